"""Models as every page sees them: labels for pickers, cached vectors, categories, the 'no model yet' stop.

(The Models page's own sections are ``models_view``; this was ``ui/models.py``, a name too close to it.)
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from embedlab import categories as cats
from embedlab.errors import EmbedlabError, ModelNotFoundError
from embedlab.samples import builtin_samples
from embedlab.train.registry import ALGORITHMS, label as algorithm_label
from embedlab.classroom import open_workspace
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors
from embedlab.workspace import ModelRecord, Workspace


@st.cache_resource(max_entries=8, show_spinner="Loading vectors…")
def _load(root: str, model_id: str, fingerprint: str) -> WordVectors:
    # keyed on the fingerprint too, so a re-saved model under the same id is never served stale
    return open_workspace(root).load_vectors(model_id)


def get_vectors(state: AppState, model_id: str) -> WordVectors:
    """A model's vectors, loaded once per server and shared (they are immutable)."""
    workspace = state.workspace
    manifest = workspace.manifest(model_id)
    shared = getattr(workspace, "is_shared", lambda _: False)(model_id)
    # a published model is one copy for the whole class: loaded from (and cached under) the published folder
    root = str(workspace.published.root) if shared else state.workspace_root  # type: ignore[attr-defined]
    return _load(root, model_id, manifest.fingerprint)


#: the parameters that tell two models of one algorithm apart, in the order a label shows them
KEY_PARAMS = (("architecture", "{}"), ("vector_size", "{}d"), ("window", "w{}"), ("epochs", "{} ep"),
              ("min_count", "min {}"))


def short_time(created: str) -> str:
    """'28 Nov 23:41' from an ISO time stamp ('' if it cannot be read)."""
    try:
        return datetime.fromisoformat(created).astimezone(timezone.utc).strftime("%d %b %H:%M")
    except (TypeError, ValueError):
        return ""


def model_label(record: ModelRecord) -> str:
    """Name, algorithm, key parameters, vocabulary and creation time: enough to tell two same-named models apart."""
    algorithm = algorithm_label(record.algorithm)
    params = record.manifest.params or {}
    details = [algorithm] + [fmt.format(params[name]) for name, fmt in KEY_PARAMS if params.get(name) is not None]
    units = ALGORITHMS[record.algorithm].units if record.algorithm in ALGORITHMS else "words"
    details.append(f"{record.manifest.vocab_size:,} {units}")
    when = short_time(record.created)
    if when:
        details.append(when)
    return f"{record.name} ({', '.join(details)})"


def distinct(labels: dict[str, str]) -> dict[str, str]:
    """The same labels, with ' #2', ' #3'... added where two are still equal.

    A Streamlit picker sends back the label, not the id, so two equal labels would both
    read back as the first id and the second model could never be chosen.
    """
    seen: dict[str, int] = {}
    out = {}
    for key, label in labels.items():
        seen[label] = seen.get(label, 0) + 1
        out[key] = label if seen[label] == 1 else f"{label} #{seen[label]}"
    return out


def model_options(state: AppState) -> dict[str, str]:
    """Model id -> a distinct human label, newest first."""
    return distinct({r.model_id: model_label(r) for r in state.workspace.list_models()})


def require_model(state: AppState) -> tuple[ModelRecord, WordVectors]:
    """The active model and its vectors, or an explanation and a way forward, then stop."""
    if state.active_model_id is None:
        st.info("There is no model yet. Train one on a corpus (the built-in English sample takes a few seconds), "
                "or load pretrained vectors on the Models page.", icon="💡")
        st.page_link("pages/2_Train.py", label="Train a model", icon="🏋️")
        st.page_link("pages/3_Models.py", label="Load vectors", icon="📦")
        st.stop()
    try:
        record = state.workspace.model(state.active_model_id)
        return record, get_vectors(state, state.active_model_id)
    except ModelNotFoundError:
        state.active_model_id = None
        st.warning("The selected model was deleted. Pick another in the sidebar.")
        st.stop()
        raise  # unreachable; keeps type checkers calm


@st.cache_resource(max_entries=4, show_spinner=False)
def _builtin_table(path: str, modified: float) -> cats.Categories:
    # read once per file version, not on every rerun of the three pages that show it (read-only once built)
    return cats.from_csv(Path(path), source=f"{Path(path).name} (built-in)")


def sessions_categories(record: ModelRecord) -> cats.Categories | None:
    """The item titles and categories of the built-in sessions sample, when this model was trained on it."""
    corpus_name = record.manifest.corpus.name if record.manifest.corpus is not None else None
    for sample in builtin_samples():
        # "<sample> · last item held out" (the Recommend page's training split) is the same catalogue
        same = corpus_name is not None and (corpus_name == sample.title or corpus_name.startswith(f"{sample.title} · "))
        if sample.metadata_path is not None and same and sample.metadata_path.exists():
            return _builtin_table(str(sample.metadata_path), sample.metadata_path.stat().st_mtime)
    return None


@st.cache_resource(max_entries=8, show_spinner=False)
def _uploaded_table(digest: str, source: str, column: str | None, _data: bytes) -> cats.Categories:
    # keyed on the table's content digest (never re-parsed while unchanged); read-only once built
    return cats.from_table(cats.read_table(_data), source=source, column=column)


def model_categories(state: AppState, record: ModelRecord) -> cats.Categories | None:
    """What each word of this model is: a table the user uploaded on the Map page (kept in the workspace with
    the model), else the built-in one.

    Shared by the Map (colours, hover titles), Neighbours and Compare (title and category beside each item).
    """
    saved = state.workspace.load_category_table(record.model_id)
    if saved is not None:
        try:
            return _uploaded_table(hashlib.sha1(saved.data).hexdigest(), saved.source, saved.column, saved.data)
        except EmbedlabError:
            pass  # a table that no longer reads (hand-edited?): fall back rather than break three pages
    return sessions_categories(record)
