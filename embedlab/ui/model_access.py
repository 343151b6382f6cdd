"""Models as every page sees them: labels for pickers, cached vectors, categories, the 'no model yet' stop.

(The Models page's own sections are ``models_view``; this was ``ui/models.py``, a name too close to it.)
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from embedlab import categories as cats
from embedlab.errors import EmbedlabError, ModelNotFoundError
from embedlab.i18n import N_, _, format_datetime, format_number, pgettext
from embedlab.samples import builtin_samples, shown_corpus_name
from embedlab.train.registry import (ALGORITHMS, IMPORTED, count_label, default_model_name, made_by, model_kind,
                                     unseen_words)
from embedlab.classroom import open_workspace
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors
from embedlab.records import Manifest
from embedlab.workspace import ModelRecord, Workspace


@st.cache_resource(max_entries=8, show_spinner=False)
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
    # the spinner is ours, not the cache's: a cache's spinner text is fixed when the module is imported,
    # before any session's language is known
    with st.spinner(_("Loading vectors…")):
        return _load(root, model_id, manifest.fingerprint)


#: the parameters that tell two models of one algorithm apart, in the order a label shows them, each with
#: its English template (a msgid: '32d', 'w5', '1 ep', 'min 5' read '32维', '窗口5', '1轮', '最低词频5')
KEY_PARAMS = (("architecture", "{value}"), ("vector_size", N_("{value}d")), ("window", N_("w{value}")),
              ("epochs", N_("{value} ep")), ("min_count", N_("min {value}")))
#: a day and a time, short: a babel date pattern, itself translated ('28 Nov 23:41', '11月28日 23:41')
SHORT_TIME_PATTERN = N_("d MMM HH:mm")


def short_time(created: str) -> str:
    """'28 Nov 23:41' (UTC) from an ISO time stamp, in the current language ('' if it cannot be read)."""
    try:
        moment = datetime.fromisoformat(created).astimezone(timezone.utc)
    except (TypeError, ValueError):
        return ""
    return format_datetime(moment.replace(tzinfo=None), _(SHORT_TIME_PATTERN))


def _choice_label(algorithm: str, name: str, value: object) -> str:
    """A parameter value as the Train form shows it ('cbow' -> 'CBOW'), else the value itself."""
    spec = ALGORITHMS.get(algorithm)
    if spec is None or not isinstance(value, str):
        return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    for item in dataclasses.fields(spec.params_class):
        if item.name == name:
            return _(item.metadata.get("choice_labels", {}).get(value, value))
    return value


#: what earlier versions appended to an imported model's default name (English and Chinese): the label says
#: 'Imported' already, so it is left out there ('glove.txt (imported) (Imported, …)' read twice)
OLD_IMPORT_SUFFIXES = (" (imported)", "（导入）")


def shown_name(model: ModelRecord | Manifest) -> str:
    """A model's name as every page shows it: as the user named it, minus an old import default's suffix.

    A name embedlab gave by default to a model of a built-in sample ('Word2Vec · English sample', as
    ``make run`` and the CLI name theirs) names the sample in the reader's language, as the Train page's
    default names do; a name the user chose is data, shown as it is (the Models page's Name field edits
    the stored name).
    """
    manifest = model.manifest if isinstance(model, ModelRecord) else model
    name = model.name if isinstance(model, ModelRecord) else (manifest.name or manifest.id)
    if manifest.algorithm == IMPORTED:
        for suffix in OLD_IMPORT_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[:-len(suffix)]
    corpus = manifest.corpus
    if corpus is not None and name == default_model_name(manifest.algorithm, corpus.name):
        return default_model_name(manifest.algorithm, shown_corpus_name(corpus.name))
    return name


def model_label(record: ModelRecord) -> str:
    """Name, algorithm, key parameters, vocabulary and creation time: enough to tell two same-named models apart.

    In the current language: 'name (Word2Vec, CBOW, 32d, w5, 1 ep, min 5, 806 words, 29 Nov 02:40)' reads
    '名字（Word2Vec，CBOW，32 维，窗口 5，1 轮，最低词频 5，806 个词，11月29日 02:40）'.
    """
    manifest = record.manifest
    # an imported embedlab export keeps what trained it: 'Imported FastText, skip-gram, 100d, …'
    trained_by = made_by(record.algorithm, manifest.original)
    original = manifest.original if isinstance(manifest.original, dict) else {}  # (a hand-edited manifest)
    params = manifest.params or original.get("params") or {}
    params = params if isinstance(params, dict) else {}
    details = [model_kind(record.algorithm, manifest.original)]
    details += [_(template).format(value=_choice_label(trained_by, name, params[name]))
                for name, template in KEY_PARAMS if params.get(name) is not None]
    units = ALGORITHMS[trained_by].units if trained_by in ALGORITHMS else "words"
    details.append(count_label(units, record.manifest.vocab_size))
    if ability := unseen_words(record.algorithm, manifest.original, manifest.subword is not None):
        details.append(ability)
    when = short_time(record.created)
    if when:
        details.append(when)
    # the list separator and the brackets are the language's own (Chinese uses full-width ones)
    return _("{name} ({details})").format(name=shown_name(record), details=pgettext("model label", ", ").join(details))


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
        st.info(_("There is no model yet. Train one on a corpus (the built-in English sample takes a few seconds), "
                  "or load pretrained vectors on the Models page."), icon="💡")
        st.page_link("pages/2_Train.py", label=_("Train a model"), icon="🏋️")
        st.page_link("pages/3_Models.py", label=_("Load vectors"), icon="📦")
        st.stop()
    try:
        record = state.workspace.model(state.active_model_id)
        return record, get_vectors(state, state.active_model_id)
    except ModelNotFoundError:
        state.active_model_id = None
        st.warning(_("The selected model was deleted. Pick another in the sidebar."))
        st.stop()
        raise  # unreachable; keeps type checkers calm


@st.cache_resource(max_entries=4, show_spinner=False)
def _builtin_table(path: str, modified: float) -> cats.Categories:
    # read once per file version, not on every rerun of the three pages that show it (read-only once built)
    return cats.from_csv(Path(path), source=Path(path).name)


def sessions_categories(record: ModelRecord) -> cats.Categories | None:
    """The item titles and categories of the built-in sessions sample, when this model was trained on it."""
    corpus_name = record.manifest.corpus.name if record.manifest.corpus is not None else None
    for sample in builtin_samples():
        # "<sample> · last item held out" (the Recommend page's training split) is the same catalogue
        same = corpus_name is not None and (corpus_name == sample.title or corpus_name.startswith(f"{sample.title} · "))
        if sample.metadata_path is not None and same and sample.metadata_path.exists():
            table = _builtin_table(str(sample.metadata_path), sample.metadata_path.stat().st_mtime)
            # the source is said in the reader's language, so it is named here, outside the shared cache
            # (a shallow copy: the mappings are shared, read-only)
            return dataclasses.replace(table, source=_("{file} (built-in)").format(file=table.source))
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
