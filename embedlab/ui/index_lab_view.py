"""Index lab page: sweep faiss indexes on the active model, see recall against latency and memory, and pick
one to serve the Neighbours page (for this session)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from embedlab import index_lab
from embedlab.progress import CancelToken, ProgressFn
from embedlab.search import NeighbourIndex
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors
from embedlab.viz.beyond import index_tradeoff

JOB_KIND = "index_lab"
STATE_KEY = "index_lab"


@dataclass
class LabState:
    """This session's sweeps (by model fingerprint) and the index chosen for each model."""

    results: dict[str, index_lab.LabResult] = field(default_factory=dict)
    chosen: dict[str, index_lab.IndexSpec] = field(default_factory=dict)


def lab_state() -> LabState:
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, LabState):
        state = st.session_state[STATE_KEY] = LabState()
    return state


@st.cache_resource(max_entries=4, show_spinner=False)
def _built(fingerprint: str, spec: index_lab.IndexSpec, _vectors: WordVectors) -> NeighbourIndex:
    # keyed on the model's content and the index settings; the index is read-only once built
    import faiss

    unit = _vectors.unit
    index = index_lab.build(spec, np.ascontiguousarray(unit, dtype=np.float32))
    index_lab.set_knob(index, spec)
    faiss.omp_set_num_threads(1)
    return NeighbourIndex(_vectors, ann=index, ann_label=spec.label)


def chosen_index(vectors: WordVectors) -> NeighbourIndex | None:
    """The index this session chose for this model in the lab, built once (None: the default search)."""
    spec = lab_state().chosen.get(vectors.fingerprint)
    return None if spec is None else _built(vectors.fingerprint, spec, vectors)


def render(state: AppState, vectors: WordVectors) -> None:
    lab = lab_state()
    st.markdown(
        "Approximate nearest-neighbour indexes trade **recall** (how many of the true 10 nearest words they find) "
        "for **speed** and **memory**. Each index is built on this model's vectors and its search knob swept: "
        "**IVF** scans `nprobe` of its k-means cells, **PQ** compresses each vector to a few bytes, **HNSW** keeps "
        "`efSearch` candidates while walking its graph. Recall is measured against exact search.")
    with st.form("index_lab_form"):
        cols = st.columns(3)
        max_vectors = cols[0].number_input("Words indexed (most frequent)", 100, 200_000,
                                           min(len(vectors), index_lab.DEFAULT_MAX_VECTORS), step=1000)
        queries = cols[1].number_input("Query words (random sample)", 10, 5000, 300, step=50)
        k = cols[2].number_input("Recall@k", 1, 100, 10)
        kinds = st.multiselect("Indexes", list(index_lab.KINDS), default=list(index_lab.KINDS),
                               format_func=index_lab.KINDS.__getitem__)
        cols = st.columns(3)
        nprobes = cols[0].multiselect("IVF nprobe", [1, 2, 4, 8, 16, 32, 64, 128], default=[1, 2, 4, 8, 16, 64])
        efs = cols[1].multiselect("HNSW efSearch", [8, 16, 32, 64, 128, 256, 512], default=[8, 16, 32, 64, 128, 256])
        pq = cols[2].multiselect("PQ code size (bytes)", [4, 8, 16, 32, 64], default=[4, 8, 16])
        busy = jobs.latest_job(state, JOB_KIND) is not None and jobs.latest_job(state, JOB_KIND).active
        run = st.form_submit_button("Run the sweep", type="primary", disabled=busy)
    if run:
        n = min(len(vectors), int(max_vectors))
        specs = index_lab.sweep_specs(n, vectors.dim, nprobes=nprobes, ef_searches=efs, pq_bytes=pq, kinds=kinds)
        fingerprint = vectors.fingerprint

        def work(progress: ProgressFn, cancel: CancelToken) -> str:
            lab.results[fingerprint] = index_lab.run_sweep(vectors, int(k), int(queries), n, specs,
                                                           on_progress=progress, cancel=cancel)
            return fingerprint

        jobs.submit(state, f"Index lab: {len(specs)} settings on {n:,} words", work, kind=JOB_KIND)
        st.rerun()
    live_job_progress(state, JOB_KIND, cancel_key="cancel_index_lab")
    result = lab.results.get(vectors.fingerprint)
    if result is None:
        st.info("Run the sweep to see the trade-off on this model's vectors.", icon="💡")
        return
    table = pd.DataFrame(result.table())
    st.caption(f"{result.n_vectors:,} words × {result.dim} dimensions, {result.n_queries} queries; the sweep took "
               f"{result.seconds:.1f} s. Latency: one query at a time, one thread.")
    st.plotly_chart(index_tradeoff(result.table(), result.k), key="index_lab_tradeoff")
    st.dataframe(table, hide_index=True, width="stretch")
    render_choice(lab, vectors, result)


def render_choice(lab: LabState, vectors: WordVectors, result: index_lab.LabResult) -> None:
    best = index_lab.best_for(result, 0.95)
    labels = {row.spec.label: row.spec for row in result.rows}
    options = ["(default search)"] + list(labels)
    current = lab.chosen.get(vectors.fingerprint)
    default = options.index(current.label) if current is not None and current.label in labels else 0
    if best is not None:
        st.caption(f"Fastest setting with recall ≥ 0.95: **{md(best.spec.label)}** ({best.latency_ms:.3f} ms a query).")
    choice = st.selectbox("Index that serves the Neighbours page (this session)", options, index=default,
                          key="index_lab_choice")
    if st.button("Use this index", key="index_lab_use"):
        if choice == options[0]:
            lab.chosen.pop(vectors.fingerprint, None)
        else:
            lab.chosen[vectors.fingerprint] = labels[choice]
        st.rerun()
    if current is not None:
        st.success(f"Neighbours now answers with **{md(current.label)}**.", icon="✅")
        st.page_link("pages/5_Neighbours.py", label="Try it on Neighbours", icon="🔎")
