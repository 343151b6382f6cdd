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
from embedlab.train.registry import label as algorithm_label
from embedlab.errors import EmbedlabError, VectorFormatError
from embedlab.progress import CancelToken, ProgressFn
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import job_progress
from embedlab.ui.model_access import distinct, get_vectors, model_categories, model_label
from embedlab.ui.widgets import choice_key, state_select
from embedlab.ui.state import AppState
from embedlab.ui.uploads import accept_upload, consume_upload, upload_limit_mb, uploader_key
from embedlab.workspace import ModelRecord

IMPORT_JOB = "import"
#: button labels short enough for five columns; the full description is the button's tooltip
SHORT_LABELS = {vector_io.WORD2VEC_TEXT: "word2vec .txt", vector_io.WORD2VEC_BINARY: "word2vec .bin",
                vector_io.GLOVE: "GloVe .txt", vector_io.PROJECTOR: "Projector .zip", vector_io.NPZ: "npz + manifest"}
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
    table = pd.DataFrame([{
        "name": r.name,
        "algorithm": algorithm_label(r.algorithm),
        "corpus or file": r.manifest.origin,
        "words": r.manifest.vocab_size,
        "dims": r.manifest.dim,
        "train/load s": r.manifest.seconds,
        "created": r.created,
        "id": r.model_id,
    } for r in records])
    table["created"] = pd.to_datetime(table["created"], errors="coerce", utc=True)  # a hand-edited manifest shows blank
    st.dataframe(table, hide_index=True, key="models_table", column_config={
        "words": st.column_config.NumberColumn(format="localized"),
        "train/load s": st.column_config.NumberColumn(format="%.1f"),
        "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
    })


def chosen_model(state: AppState, records: list[ModelRecord]) -> ModelRecord:
    """The model the page acts on, picked by id (labels tell same-named models apart); the active one at first."""
    by_id = {r.model_id: r for r in records}
    if state.models.chosen_id not in by_id:
        state.models.chosen_id = state.active_model_id if state.active_model_id in by_id else records[0].model_id

    def picked(model_id: str) -> None:
        state.models.chosen_id = model_id

    labels = distinct({r.model_id: model_label(r) for r in records})
    return by_id[state_select("Model", labels, lambda: state.models.chosen_id, picked, key="models_chosen")]


def render_actions(state: AppState, record: ModelRecord) -> None:
    """Rename, make active and delete: always the model shown in the picker, by its id."""
    workspace = state.workspace
    cols = st.columns([2, 1, 1])
    # keyed by the model: the Name field shows the picked model's name, never the previous one's
    with cols[0], st.form("rename_form"):
        new_name = st.text_input("Name", value=record.name, key=choice_key("models_new_name", record.model_id))
        if st.form_submit_button("Rename"):
            with user_errors():
                workspace.rename_model(record.model_id, new_name)
                st.rerun()
    with cols[1]:
        if st.button("Make active", key="models_activate", disabled=record.model_id == state.active_model_id):
            state.active_model_id = record.model_id
            st.rerun()
    with cols[2]:
        confirm = st.checkbox("I want to delete it", key=choice_key("models_confirm_delete", record.model_id))
        if st.button("Delete model", key="models_delete", disabled=not confirm):
            with user_errors():
                workspace.delete_model(record.model_id)
                if state.active_model_id == record.model_id:
                    state.active_model_id = None
                state.models.chosen_id = None
                st.rerun()
    with st.expander("Manifest: parameters, corpus, versions, timings"):
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

    return jobs.submit(state, f"Loading {source_name}", work, kind=IMPORT_JOB, on_done=_activate_import)


def render_job_status(state: AppState) -> bool:
    """The latest load's outcome on this page; returns True while one is running."""
    job = jobs.latest_job(state, IMPORT_JOB)
    if job is None:
        return False
    if job.active:
        job_progress(job)
        return True
    if job.status == "failed":
        st.error(f"{md(job.title)} failed. {md(job.error)}", icon="⚠️")
    elif job.status == "cancelled":
        st.warning(f"{md(job.title)} was cancelled; nothing was added.", icon="⏹️")
    elif job.status == "done" and job.result is not None:
        result: vector_io.ImportResult = job.result
        how = "found the copy made earlier" if result.reused else f"took {result.seconds:.1f} s"
        st.success(f"{md(job.title)}: {result.rows:,} words x {result.dims} dimensions ({how}). "
                   f"It is now the active model.", icon="✅")
    return False


def render_load(state: AppState) -> None:
    """Upload a vector file, check what it is, choose rows and a name, and load it in the background."""
    busy = render_job_status(state)
    st.write(f"word2vec text or binary, GloVe, fastText `.vec` or `.bin`, Embedding Projector `vectors.tsv`, or an "
             f"embedlab `.npz`: the format is read from the content. Up to {upload_limit_mb()} MB here; larger files "
             f"load from a terminal with `python -m embedlab import FILE --limit N`.")
    uploaded = st.file_uploader("Vector file", key=uploader_key(state, "models_load_upload"),
                                help="gensim .model/.kv files are pickles and are refused: save them with "
                                     "save_word2vec_format first.")
    if uploaded is None:
        return
    with user_errors():
        if uploaded.size == 0:
            raise VectorFormatError(f"'{uploaded.name}' is empty: there are no vectors in it.")
        path = accept_upload(state, uploaded)
        if path is None:
            return
        detected = vector_io.detect_format(path, uploaded.name)
        formats = list(vector_io.FORMAT_LABELS)
        cols = st.columns([3, 2])
        format = cols[0].selectbox("Format (detected from the content)", formats, index=formats.index(detected),
                                   format_func=vector_io.FORMAT_LABELS.__getitem__,
                                   key=f"models_load_format_{uploaded.file_id}")
        limit = cols[1].number_input("Load only the first N rows", min_value=1, value=None, step=10_000,
                                     placeholder="all rows", key="models_load_limit",
                                     help="Files list words from most to least frequent; the top 100,000 "
                                          "usually cover everything you will query.")
        metadata_upload = None
        if format == vector_io.PROJECTOR:
            metadata_upload = st.file_uploader("metadata.tsv (the labels; optional)", type=["tsv", "txt"],
                                               key=uploader_key(state, "models_load_metadata"),
                                               help="One label per line, or several columns under a header row.")
        name = st.text_input("Model name", key="models_load_name", placeholder=f"{uploaded.name} (imported)")
        if st.button("Load vectors", type="primary", disabled=busy, key="models_load_start"):
            metadata = None
            if metadata_upload is not None:
                metadata_upload.seek(0)
                metadata = state.workspace.receive_upload(metadata_upload, max_bytes=METADATA_MAX_BYTES)
            start_import(state, path, uploaded.name, name, format, int(limit) if limit else None, metadata)
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
        st.info(f"This model has {size:,} values, too many to build in the browser. Export it from a terminal: "
                f"`python -m embedlab export word2vec-binary model.bin --model {record.model_id}`.", icon="💡")
        return
    vectors = get_vectors(state, record.model_id)
    manifest: dict[str, Any] = record.manifest.to_json()
    # item models (Item2Vec): titles and categories go into the Projector's metadata, so its labels and
    # colours mean something there too
    categories = model_categories(state, record)
    columns = categories.annotations(list(vectors.words)) if categories is not None else None
    st.caption("The Embedding Projector zip holds vectors.tsv and metadata.tsv: load both at "
               "projector.tensorflow.org (Load → Choose file). The .npz zip keeps everything, including FastText's "
               "n-grams, and loads back here.")
    cols = st.columns(len(vector_io.EXPORTS))
    for col, (format, (_, mime, label)) in zip(cols, vector_io.EXPORTS.items()):
        with col:
            problem = _unwritable(vectors.fingerprint, format, vectors.words)
            st.download_button(SHORT_LABELS[format], data=lambda f=format: vector_io.export_bytes(vectors, f, manifest, columns),
                               help=label, icon=":material/download:",
                               file_name=vector_io.export_filename(record.name, format), mime=mime,
                               on_click="ignore", key=f"models_export_{format}", disabled=problem is not None,
                               width="stretch")
            if problem:
                st.caption(md(problem))
