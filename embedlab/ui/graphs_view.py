"""Graphs page: pick a shipped graph or upload an edge list, see it drawn with its communities, and find a
node's neighbours in a DeepWalk or Node2Vec model (trained on the Train page like any algorithm)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from embedlab import graphs, workflows
from embedlab.corpus import PreparedCorpus
from embedlab.progress import CancelToken, ProgressFn
from embedlab.textsafe import md
from embedlab.train.registry import ALGORITHMS
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.ui.widgets import neighbour_index
from embedlab.viz.beyond import graph_figure, spring_layout

JOB_KIND = "graph"


def _activate_corpus(state: AppState, job: jobs.Job) -> None:
    state.active_corpus_id = job.result


def render_choose(state: AppState) -> None:
    """A shipped graph or an uploaded edge list becomes the active corpus (prepared once per graph)."""
    busy = any(job.active and job.kind == JOB_KIND for job in jobs.session_jobs(state))
    shipped, upload = st.tabs(["Shipped graphs", "Your edge list"])
    with shipped:
        key = st.radio("Graph", list(graphs.BUILTIN_GRAPHS), key="graphs_builtin",
                       format_func=lambda k: graphs.BUILTIN_GRAPHS[k][0])
        st.caption(graphs.BUILTIN_GRAPHS[key][1])
        if st.button("Use this graph", type="primary", disabled=busy, key="graphs_use_builtin"):
            workspace = state.workspace

            def work(progress: ProgressFn, cancel: CancelToken) -> str:
                return workflows.graph_corpus(workspace, graphs.builtin_graph(key), progress, cancel).corpus_id

            jobs.submit(state, f"Preparing {graphs.BUILTIN_GRAPHS[key][0]}", work, kind=JOB_KIND,
                        on_done=_activate_corpus)
            st.rerun()
    with upload:
        st.caption("One edge a line: source, target and optionally a weight, separated by commas, tabs, "
                   "semicolons or spaces. A header line (source,target,weight) is recognised; lines starting "
                   "with # or % are comments.")
        uploaded = st.file_uploader("Edge list", type=["csv", "tsv", "txt", "edges", "edgelist"], key="graphs_upload")
        directed = st.checkbox("Directed edges", key="graphs_directed",
                               help="Walks then follow edges only from source to target.")
        if uploaded is not None and st.button("Use this edge list", type="primary", disabled=busy,
                                              key="graphs_use_upload"):
            data, name, workspace = uploaded.getvalue(), Path(uploaded.name).stem or "graph", state.workspace

            def work(progress: ProgressFn, cancel: CancelToken) -> str:
                graph = graphs.read_edge_list(data, name, directed)
                return workflows.graph_corpus(workspace, graph, progress, cancel).corpus_id

            jobs.submit(state, f"Preparing the graph {name}", work, kind=JOB_KIND, on_done=_activate_corpus)
            st.rerun()
    live_job_progress(state, JOB_KIND, cancel_key="cancel_graph")


@st.cache_resource(max_entries=4, show_spinner=False)
def _graph(fingerprint: str, _corpus: PreparedCorpus) -> tuple[graphs.Graph, dict[str, dict[str, str]]]:
    # keyed on the corpus content; graph and node table are read-only once built
    graph = graphs.corpus_graph(_corpus)
    return graph, graphs.node_table(graph)


@st.cache_resource(max_entries=4, show_spinner=False)
def _layout(fingerprint: str, _graph: graphs.Graph):  # noqa: ANN202
    return spring_layout(_graph)


def active_graph(state: AppState) -> tuple[PreparedCorpus, graphs.Graph, dict] | None:
    if state.active_corpus_id is None:
        return None
    corpus = state.workspace.load_corpus(state.active_corpus_id)
    if corpus.attachment(graphs.GRAPH_FILE) is None:
        return None
    graph, table = _graph(corpus.fingerprint, corpus)
    return corpus, graph, table


def render_graph(state: AppState, highlight: list[str] | None = None, focus: str | None = None) -> None:
    found = active_graph(state)
    if found is None:
        st.info("The active corpus is not a graph: pick a shipped graph or upload an edge list above.", icon="💡")
        return
    corpus, graph, table = found
    degree = graph.degree()
    st.markdown(f"**{md(graph.name)}**: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges"
                f"{', directed' if graph.directed else ''}{', weighted' if graph.weighted else ''}; "
                f"degree {int(degree.min())}–{int(degree.max())} (mean {degree.mean():.1f}).")
    columns = list(table)
    colour = st.selectbox("Colour nodes by", columns, key="graphs_colour",
                          help="Attributes shipped with the graph, communities found by Louvain modularity "
                               "(networkx), or a degree band.")
    if graph.n_nodes > graphs.DRAW_MAX_NODES:
        st.caption(f"The graph has more than {graphs.DRAW_MAX_NODES} nodes: too many to draw readably. "
                   "The Map page shows the node vectors of a trained model.")
        return
    st.plotly_chart(graph_figure(graph, _layout(corpus.fingerprint, graph), table[colour], colour,
                                 highlight or [], focus), key="graphs_figure")
    st.page_link("pages/2_Train.py", label="Train DeepWalk or Node2Vec on this graph", icon="🏋️")


def render_neighbours(state: AppState, record, vectors) -> tuple[list[str], str | None]:  # noqa: ANN001
    """A node's nearest nodes in the active node model, with their attributes; returns them for the drawing."""
    algorithm = ALGORITHMS.get(record.manifest.algorithm)
    if algorithm is None or algorithm.units != "nodes":
        st.caption("Train DeepWalk or Node2Vec on a graph to see node neighbours here.")
        return [], None
    st.subheader(f"Neighbours of a node in {record.name}")
    node = st.selectbox("Node", list(vectors.words), key="graphs_node")
    k = st.slider("How many", 1, min(30, len(vectors) - 1), min(5, len(vectors) - 1), key="graphs_k")
    neighbours = neighbour_index(vectors).query(node, k)
    data = {"rank": [n.rank for n in neighbours], "node": [n.word for n in neighbours],
            "similarity": [round(n.similarity, 4) for n in neighbours]}
    found = active_graph(state)
    if found is not None:
        _, graph, table = found
        for column, values in table.items():
            data[column] = [values.get(n.word, "") for n in neighbours]
        data["edge to the node"] = ["yes" if n.word in graph.index and node in graph.index
                                    and graph.has_edge(graph.index[node], graph.index[n.word]) else ""
                                    for n in neighbours]
    st.dataframe(pd.DataFrame(data), hide_index=True, width="stretch")
    return [n.word for n in neighbours], node
