"""Which model and corpus a tab is on: remembered per tab, and a new tab starts on shared work, not on anyone's newest.

In a shared workspace a new tab used to take whoever's work was newest: one person's new
tab opened another's newest model and corpus, and trained on that corpus with one line
on the Train page as the only clue. Now:

* a tab's choice is remembered under its session id (the ``?session=`` of the URL) in
  ``workspace/sessions/<id>.json``, so a reload lands where that tab was;
* a new tab starts on *shared* work: the newest model made from a shipped sample (the one
  ``make run`` prepares) or published by the teacher, with that sample as its corpus, and
  only when there is none, on the newest model; it never picks an uploaded corpus by itself
  (the Train page then asks which corpus to train on).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from embedlab.samples import builtin_samples
from embedlab.workspace import Workspace, atomic_write_text

SESSIONS = "sessions"
_SESSION_ID = re.compile(r"^[0-9a-f]{16}$")


def _path(workspace: Workspace, session_id: str) -> Path | None:
    if not _SESSION_ID.match(session_id or ""):
        return None
    return workspace.root / SESSIONS / f"{session_id}.json"


def recall(workspace: Workspace, session_id: str) -> dict[str, str | None]:
    """The model and corpus this tab was on before a reload ({} for a new tab)."""
    path = _path(workspace, session_id)
    if path is None:
        return {}
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: data.get(k) for k in ("model", "corpus")} if isinstance(data, dict) else {}


def remember(workspace: Workspace, session_id: str, model_id: str | None, corpus_id: str | None) -> None:
    """Keep this tab's choice (written only when it changed)."""
    path = _path(workspace, session_id)
    if path is None or recall(workspace, session_id) == {"model": model_id, "corpus": corpus_id}:
        return
    try:
        atomic_write_text(path, json.dumps({"model": model_id, "corpus": corpus_id}))
    except OSError:
        pass  # a read-only or full disk must not break the page; the tab just forgets on reload


def shared_start(workspace: Workspace) -> tuple[str | None, str | None]:
    """(model, corpus) a new tab starts on: shared work (a shipped sample's model and corpus, a published model),
    not anyone's own. Only private models: the newest, but no corpus (the Train page then asks)."""
    sample_names = {s.title for s in builtin_samples()}
    corpora = workspace.list_corpora()  # newest first
    sample_corpus = next((c.corpus_id for c in corpora if c.name in sample_names), None)
    records = workspace.list_models()
    if not records:
        return None, sample_corpus
    is_shared = getattr(workspace, "is_shared", lambda _model_id: False)
    known = {c.corpus_id for c in corpora}
    for record in records:  # newest first
        corpus = record.manifest.corpus
        from_sample = corpus is not None and corpus.name in sample_names
        if from_sample or is_shared(record.model_id):
            own_corpus = corpus.id if from_sample and corpus is not None and corpus.id in known else None
            return record.model_id, own_corpus or sample_corpus
    return records[0].model_id, sample_corpus
