"""The Models page: the list of saved models, the chosen one's actions, loading and exporting vectors.

Loading copies the upload into the workspace in chunks (under a name we choose),
detects the format from its content, and imports it in a background job with
progress; the new model becomes the active one. Exports are built only when a
download button is clicked (``data=callable``), one button per format, and a
format that cannot hold some of the model's words says so instead of offering
a broken file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from embedlab import io as vector_io
from embedlab.train.registry import described_kind
from embedlab.errors import EmbedlabError, VectorFormatError
from embedlab.i18n import N_, Message, _, format_number, format_seconds, pgettext
from embedlab.progress import CancelToken, ProgressFn
from embedlab.samples import shown_corpus_name
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import job_progress
from embedlab.ui.model_access import distinct, get_vectors, model_categories, model_label, shown_name
from embedlab.ui.widgets import choice_key, state_select
from embedlab.ui.state import AppState
from embedlab.ui.uploads import accept_upload, consume_upload, upload_limit_mb, uploader_key
from embedlab.workspace import ModelRecord

IMPORT_JOB = "import"
#: button labels short enough for five columns (msgids); the full description is the button's tooltip
SHORT_LABELS = {vector_io.WORD2VEC_TEXT: N_("word2vec .txt"), vector_io.WORD2VEC_BINARY: N_("word2vec .bin"),
                vector_io.GLOVE: N_("GloVe .txt"), vector_io.PROJECTOR: N_("Projector .zip"),
                vector_io.NPZ: N_("npz + manifest")}
def format_name(format: str) -> str:
    """A vector file format as the picker shows it, in the current language (the labels are msgids)."""
    return _(vector_io.FORMAT_LABELS.get(format, format))
#: the largest model offered as an in-browser download (values); bigger ones go through the CLI
DOWNLOAD_MAX_ELEMENTS = 60_000_000
#: labels files are small; a bigger "metadata.tsv" is surely the wrong file
METADATA_MAX_BYTES = 200 * 1024 * 1024


def _activate_import(state: AppState, job: jobs.Job) -> None:
    """on_done: the new model becomes active, and the page's model picker shows it."""
    state.active_model_id = job.result.model_id
    state.models.chosen_id = job.result.model_id


def render_list(state: AppState, records: list[ModelRecord]) -> None:
    """Every saved model in one table: name, algorithm, corpus or file, size, time, creation date, id."""
    # the headers in the reader's language (a context: 'words' here is a count, not the tokeniser's choice)
    c = {"name": pgettext("models table", "name"), "algorithm": pgettext("models table", "algorithm"),
         "corpus or file": pgettext("models table", "corpus or file"), "words": pgettext("models table", "words"),
         "dims": pgettext("models table", "dims"), "train/load s": pgettext("models table", "train/load s"),
         "created": pgettext("models table", "created"), "id": pgettext("models table", "id")}
    table = pd.DataFrame([{
        c["name"]: shown_name(r),
        c["algorithm"]: described_kind(r.algorithm, r.manifest.original, r.manifest.subword is not None),
        # a built-in sample's title in the reader's language; the user's corpus and file names as they are
        c["corpus or file"]: shown_corpus_name(r.manifest.origin) if r.manifest.corpus is not None
        else r.manifest.origin,
        c["words"]: r.manifest.vocab_size,
        c["dims"]: r.manifest.dim,
        c["train/load s"]: r.manifest.seconds,
        c["created"]: r.created,
        c["id"]: r.model_id,
    } for r in records])
    # a hand-edited manifest's unreadable time shows blank
    table[c["created"]] = pd.to_datetime(table[c["created"]], errors="coerce", utc=True)
    st.dataframe(table, hide_index=True, key="models_table", column_config={
        c["words"]: st.column_config.NumberColumn(format="localized"),
        c["train/load s"]: st.column_config.NumberColumn(format="%.1f",
                                                         help=_("Seconds the training or the loading took.")),
        c["created"]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
    })


def chosen_model(state: AppState, records: list[ModelRecord]) -> ModelRecord:
    """The model the page acts on, picked by id (labels tell same-named models apart); the active one at first."""
    by_id = {r.model_id: r for r in records}
    if state.models.chosen_id not in by_id:
        state.models.chosen_id = state.active_model_id if state.active_model_id in by_id else records[0].model_id

    def picked(model_id: str) -> None:
        state.models.chosen_id = model_id

    labels = distinct({r.model_id: model_label(r) for r in records})
    return by_id[state_select(_("Model"), labels, lambda: state.models.chosen_id, picked, key="models_chosen")]


def render_actions(state: AppState, record: ModelRecord) -> None:
    """Rename, make active and delete: always the model shown in the picker, by its id."""
    workspace = state.workspace
    cols = st.columns([2, 1, 1])
    # keyed by the model: the Name field shows the picked model's name, never the previous one's
    with cols[0], st.form("rename_form"):
        new_name = st.text_input(_("Name"), value=record.name, key=choice_key("models_new_name", record.model_id))
        if st.form_submit_button(_("Rename")):
            with user_errors():
                workspace.rename_model(record.model_id, new_name)
                st.rerun()
    with cols[1]:
        if st.button(_("Make active"), key="models_activate", disabled=record.model_id == state.active_model_id):
            state.active_model_id = record.model_id
            st.rerun()
    with cols[2]:
        confirm = st.checkbox(_("I want to delete it"), key=choice_key("models_confirm_delete", record.model_id))
        if st.button(_("Delete model"), key="models_delete", disabled=not confirm):
            with user_errors():
                workspace.delete_model(record.model_id)
                if state.active_model_id == record.model_id:
                    state.active_model_id = None
                state.models.chosen_id = None
                st.rerun()
    with st.expander(_("Manifest: parameters, corpus, versions, timings"), key="models_manifest"):
        st.json(record.manifest.to_json(), expanded=2)


def start_import(state: AppState, path: Path, source_name: str, name: str, format: str | None,
                 limit: int | None, metadata: Path | None) -> jobs.Job:
    """Import ``path`` (an upload copy we own) in the background; the copies are removed when it ends."""
    workspace = state.workspace

    def work(progress: ProgressFn, cancel: CancelToken) -> vector_io.ImportResult:
        try:
            return vector_io.import_vectors(workspace, path, source_name=source_name, name=name or None,
                                            format=format, limit=limit, metadata=metadata,
                                            on_progress=progress, cancel=cancel)
        finally:
            path.unlink(missing_ok=True)
            if metadata is not None:
                metadata.unlink(missing_ok=True)

    return jobs.submit(state, Message(N_("Loading {file}"), file=source_name), work, kind=IMPORT_JOB,
                       on_done=_activate_import)


def render_job_status(state: AppState) -> bool:
    """The latest load's outcome on this page; returns True while one is running."""
    job = jobs.latest_job(state, IMPORT_JOB)
    if job is None:
        return False
    if job.active:
        job_progress(job)
        return True
    if job.status == "failed":
        st.error(_("{title} failed. {error}").format(title=md(job.title), error=md(job.error)), icon="⚠️")
    elif job.status == "cancelled":
        st.warning(_("{title} was cancelled; nothing was added.").format(title=md(job.title)), icon="⏹️")
    elif job.status == "done" and job.result is not None:
        result: vector_io.ImportResult = job.result
        if result.reused:
            message = _("{title}: {rows} words x {dims} dimensions (found the copy made earlier). "
                        "It is now the active model.")
        else:
            message = _("{title}: {rows} words x {dims} dimensions (took {time}). It is now the active model.")
        st.success(message.format(title=md(job.title), rows=format_number(result.rows), dims=result.dims,
                                  time=format_seconds(result.seconds)), icon="✅")
    return False


def render_load(state: AppState) -> None:
    """Upload a vector file, check what it is, choose rows and a name, and load it in the background."""
    busy = render_job_status(state)
    st.write(_("word2vec text or binary, GloVe, fastText `.vec` or `.bin`, Embedding Projector `vectors.tsv`, or an "
               "embedlab `.npz`: the format is read from the content. Up to {limit} MB here; larger files "
               "load from a terminal with `python -m embedlab import FILE --limit N`.").format(
                   limit=format_number(upload_limit_mb())))
    uploaded = st.file_uploader(_("Vector file"), key=uploader_key(state, "models_load_upload"),
                                help=_("gensim `.model`/`.kv` files are pickles and are refused: save them with "
                                       "`save_word2vec_format` first."))
    if uploaded is None:
        return
    with user_errors():
        if uploaded.size == 0:
            raise VectorFormatError(N_("'{name}' is empty: there are no vectors in it."), name=uploaded.name)
        path = accept_upload(state, uploaded)
        if path is None:
            return
        detected = vector_io.detect_format(path, uploaded.name)
        formats = list(vector_io.FORMAT_LABELS)
        cols = st.columns([3, 2])
        format = cols[0].selectbox(_("Format (detected from the content)"), formats, index=formats.index(detected),
                                   format_func=format_name,
                                   key=f"models_load_format_{uploaded.file_id}")
        limit = cols[1].number_input(_("Load only the first N rows"), min_value=1, value=None, step=10_000,
                                     placeholder=_("all rows"), key="models_load_limit",
                                     help=_("Files list words from most to least frequent; the top {n} "
                                            "usually cover everything you will query.").format(
                                                n=format_number(100_000)))
        metadata_upload = None
        if format == vector_io.PROJECTOR:
            metadata_upload = st.file_uploader(_("metadata.tsv (the labels; optional)"), type=["tsv", "txt"],
                                               key=uploader_key(state, "models_load_metadata"),
                                               help=_("One label per line, or several columns under a header row."))
        # the placeholder is the name the model gets when none is typed: the file's (labels say 'Imported')
        default_name = uploaded.name
        name = st.text_input(_("Model name"), key="models_load_name", placeholder=default_name)
        if st.button(_("Load vectors"), type="primary", disabled=busy, key="models_load_start"):
            metadata = None
            if metadata_upload is not None:
                metadata_upload.seek(0)
                metadata = state.workspace.receive_upload(metadata_upload, max_bytes=METADATA_MAX_BYTES)
            start_import(state, path, uploaded.name, name.strip() or default_name, format, int(limit) if limit else None, metadata)
            consume_upload(state, uploaded)
            st.rerun()


@st.cache_data(max_entries=32, show_spinner=False)
def _unwritable(fingerprint: str, format: str, _words: tuple[str, ...]) -> str | None:
    """Why ``format`` cannot hold this model's words (None if it can); keyed on the fingerprint."""
    try:
        vector_io.check_words(_words, format)
    except EmbedlabError as error:
        return str(error)
    return None


def render_export(state: AppState, record: ModelRecord) -> None:
    """One download button per export format for ``record``; each file is built only when clicked."""
    size = record.manifest.vocab_size * record.manifest.dim
    if size > DOWNLOAD_MAX_ELEMENTS:
        st.info(_("This model has {n} values, too many to build in the browser. Export it from a terminal: "
                  "`python -m embedlab export word2vec-binary model.bin --model {model_id}`.").format(
                      n=format_number(size), model_id=record.model_id), icon="💡")
        return
    vectors = get_vectors(state, record.model_id)
    manifest: dict[str, Any] = record.manifest.to_json()
    # item models (Item2Vec): titles and categories go into the Projector's metadata, so its labels and
    # colours mean something there too
    categories = model_categories(state, record)
    columns = categories.annotations(list(vectors.words)) if categories is not None else None
    st.caption(_("The Embedding Projector zip holds `vectors.tsv` and `metadata.tsv`: load both at "
                 "projector.tensorflow.org (Load → Choose file). The `.npz` zip keeps everything, including "
                 "FastText's n-grams, and loads back here."))
    cols = st.columns(len(vector_io.EXPORTS))
    for col, (format, (_extension, mime, label)) in zip(cols, vector_io.EXPORTS.items()):
        with col:
            problem = _unwritable(vectors.fingerprint, format, vectors.words)
            st.download_button(_(SHORT_LABELS[format]), data=lambda f=format: vector_io.export_bytes(vectors, f, manifest, columns),
                               help=_(label),
                               icon=":material/download:",
                               file_name=vector_io.export_filename(record.name, format), mime=mime,
                               on_click="ignore", key=f"models_export_{format}", disabled=problem is not None,
                               width="stretch")
            if problem:
                st.caption(md(problem))
