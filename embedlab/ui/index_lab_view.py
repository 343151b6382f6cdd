"""Index lab page: sweep faiss indexes on the active model, see recall against latency and memory, and pick
one to serve the Neighbours page.

The pick is saved with the model in the workspace (``Workspace.save_search_index``), so it serves every
session, after a reload or a server restart, until someone goes back to the default search: a teacher who
chooses an approximate index for a big model chooses it for the class. The sweeps themselves stay in the
session (they are measurements, quick to run again)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from embedlab import index_choice, index_lab
from embedlab.i18n import N_, _, format_number, format_seconds
from embedlab.progress import CancelToken, ProgressFn
from embedlab.search import NeighbourIndex
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace
from embedlab.viz.beyond import index_tradeoff

JOB_KIND = "index_lab"
STATE_KEY = "index_lab"
#: the selectbox option for "no index chosen" (an id; its label is translated when drawn)
DEFAULT_SEARCH = ""

#: the index kinds as ``index_lab.KINDS`` names them, marked here for this page's catalogue
#: (tests/test_page_beyond.py checks they match the library's names)
KIND_NAMES: tuple[str, ...] = (N_("Flat (exact)"), N_("IVF-Flat"), N_("IVF-PQ"), N_("HNSW"))
#: the sweep table's columns (``index_lab.LabRow.row``) as the reader sees them; recall@k is named apart
COLUMNS: dict[str, str] = {"index": N_("index"), "setting": N_("setting"), "knob": N_("knob"), "value": N_("value"),
                           "code bytes": N_("code bytes"), "latency ms": N_("latency ms"),
                           "memory MB": N_("memory MB"), "build s": N_("build s")}


def kind_label(kind: str) -> str:
    return _(index_lab.KINDS[kind])


def setting_label(spec: index_lab.IndexSpec) -> str:
    """``spec.label`` in the session's language (in English it is exactly ``spec.label``)."""
    return str(spec.shown_label)


def display_rows(result: index_lab.LabResult) -> list[dict]:
    """The sweep's rows with the index kind and setting named in the session's language (keys unchanged)."""
    return [{**row, "index": kind_label(lab_row.spec.kind), "setting": setting_label(lab_row.spec)}
            for lab_row, row in zip(result.rows, result.table())]


def display_table(rows: list[dict], k: int) -> pd.DataFrame:
    headers = {**{key: _(label) for key, label in COLUMNS.items()}, f"recall@{k}": _("recall@{k}").format(k=k)}
    return pd.DataFrame(rows).rename(columns=headers)


@dataclass
class LabState:
    """This session's sweeps, by model fingerprint (the chosen index is saved with the model instead)."""

    results: dict[str, index_lab.LabResult] = field(default_factory=dict)


def lab_state() -> LabState:
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, LabState):
        state = st.session_state[STATE_KEY] = LabState()
    return state


@st.cache_resource(max_entries=4, show_spinner=False)
def _built(fingerprint: str, spec: index_lab.IndexSpec, _vectors: WordVectors) -> NeighbourIndex:
    # keyed on the model's content and the index settings; the index is read-only once built
    return index_choice.searcher(spec, _vectors)


def chosen_index(workspace: Workspace, model_id: str | None, vectors: WordVectors) -> NeighbourIndex | None:
    """The index chosen for this model in the lab, built once per server (None: the default search)."""
    spec = index_choice.saved_spec(workspace, model_id, vectors)
    return None if spec is None else _built(vectors.fingerprint, spec, vectors)


def render(state: AppState, vectors: WordVectors, model_id: str) -> None:
    lab = lab_state()
    st.markdown(_(
        "Approximate nearest-neighbour indexes trade **recall** (how many of the true 10 nearest words they find) "
        "for **speed** and **memory**. Each index is built on this model's vectors and its search knob swept: "
        "**IVF** scans `nprobe` of its k-means cells, **PQ** compresses each vector to a few bytes, **HNSW** keeps "
        "`efSearch` candidates while walking its graph. Recall is measured against exact search."))
    render_current(state.workspace, model_id, vectors)
    with st.form("index_lab_form"):
        cols = st.columns(3)
        # a model smaller than the usual floor (an imported toy file) starts, and may stay, at its own size
        max_vectors = cols[0].number_input(_("Words indexed (most frequent)"), min(100, len(vectors)), 200_000,
                                           min(len(vectors), index_lab.DEFAULT_MAX_VECTORS), step=1000,
                                           key="index_lab_max_vectors")
        queries = cols[1].number_input(_("Query words (random sample)"), 10, 5000, 300, step=50,
                                       key="index_lab_queries")
        k = cols[2].number_input(_("Recall@k"), 1, 100, 10, key="index_lab_k")
        kinds = st.multiselect(_("Indexes"), list(index_lab.KINDS), default=list(index_lab.KINDS),
                               format_func=kind_label, key="index_lab_kinds")
        cols = st.columns(3)
        nprobes = cols[0].multiselect(_("IVF cells scanned"), [1, 2, 4, 8, 16, 32, 64, 128],
                                      default=[1, 2, 4, 8, 16, 64], key="index_lab_nprobes",
                                      help=_("faiss's `nprobe`: how many of the k-means cells a query scans."))
        efs = cols[1].multiselect(_("HNSW candidates"), [8, 16, 32, 64, 128, 256, 512],
                                  default=[8, 16, 32, 64, 128, 256], key="index_lab_efs",
                                  help=_("faiss's `efSearch`: how many candidates a query keeps while it walks "
                                         "the graph."))
        pq = cols[2].multiselect(_("PQ code size (bytes)"), [4, 8, 16, 32, 64], default=[4, 8, 16],
                                 key="index_lab_pq")
        busy = jobs.latest_job(state, JOB_KIND) is not None and jobs.latest_job(state, JOB_KIND).active
        run = st.form_submit_button(_("Run the sweep"), type="primary", disabled=busy, key="index_lab_run")
    if run:
        n = min(len(vectors), int(max_vectors))
        index_lab.check_size(n, int(k))  # say so here, not as a failed job in the sidebar
        specs = index_lab.sweep_specs(n, vectors.dim, nprobes=nprobes, ef_searches=efs, pq_bytes=pq, kinds=kinds)
        fingerprint = vectors.fingerprint

        def work(progress: ProgressFn, cancel: CancelToken) -> str:
            lab.results[fingerprint] = index_lab.run_sweep(vectors, int(k), int(queries), n, specs,
                                                           on_progress=progress, cancel=cancel)
            return fingerprint

        jobs.submit(state, _("Index lab: {settings} settings on {n} words").format(
            settings=format_number(len(specs)), n=format_number(n)), work, kind=JOB_KIND)
        st.rerun()
    live_job_progress(state, JOB_KIND, cancel_key="cancel_index_lab")
    result = lab.results.get(vectors.fingerprint)
    if result is None:
        st.info(_("Run the sweep to see the trade-off on this model's vectors."), icon="💡")
        return
    rows = display_rows(result)
    st.caption(_("{n} words × {dim} dimensions, {queries} queries; the sweep took {seconds}. "
                 "Latency: one query at a time, one thread.").format(
               n=format_number(result.n_vectors), dim=result.dim, queries=format_number(result.n_queries),
               seconds=format_seconds(result.seconds)))
    st.plotly_chart(index_tradeoff(rows, result.k), key="index_lab_tradeoff")
    st.dataframe(display_table(rows, result.k), hide_index=True, width="stretch")
    render_choice(state.workspace, model_id, vectors, result)


def render_current(workspace: Workspace, model_id: str, vectors: WordVectors) -> None:
    """The index saved for this model, if any, and the way back to the default search (no sweep needed)."""
    current = index_choice.saved_spec(workspace, model_id, vectors)
    if current is None:
        return
    st.success(_("Neighbours answers with **{setting}** for this model, in every session (saved with the "
                 "model).").format(setting=md(setting_label(current))), icon="✅")
    cols = st.columns([1, 1, 2], vertical_alignment="center")
    with cols[0]:
        st.page_link(page="pages/5_Neighbours.py", label=_("Try it on Neighbours"), icon="🔎")
    if cols[1].button(_("Back to the default search"), key="index_lab_reset",
                      help=_("Neighbours then searches exactly, or with its own approximate index for a large "
                             "model.")):
        with user_errors():
            index_choice.save(workspace, model_id, vectors, None)
            st.rerun()


def render_choice(workspace: Workspace, model_id: str, vectors: WordVectors, result: index_lab.LabResult) -> None:
    best = index_lab.best_for(result, 0.95)
    labels = {row.spec.label: row.spec for row in result.rows}
    options = [DEFAULT_SEARCH] + list(labels)
    current = index_choice.saved_spec(workspace, model_id, vectors)
    default = options.index(current.label) if current is not None and current.label in labels else 0
    if best is not None:
        st.caption(_("Fastest setting with recall ≥ {target}: **{setting}** ({ms} ms a query).").format(
            target=format_number(0.95, 2), setting=md(setting_label(best.spec)), ms=format_number(best.latency_ms, 3)))

    def option_label(option: str) -> str:
        return _("(default search)") if option == DEFAULT_SEARCH else setting_label(labels[option])

    choice = st.selectbox(_("Index that serves the Neighbours page"), options, index=default,
                          format_func=option_label, key="index_lab_choice",
                          help=_("Saved with the model: Neighbours uses it in every session, after a reload or a "
                                 "restart too, until you go back to the default search."))
    if st.button(_("Use this index"), key="index_lab_use"):
        with user_errors():
            index_choice.save(workspace, model_id, vectors, None if choice == DEFAULT_SEARCH else labels[choice])
            st.rerun()
