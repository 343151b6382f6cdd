"""Graphs page: pick a shipped graph or upload an edge list, see it drawn with its communities, and find a
node's neighbours in a DeepWalk or Node2Vec model (trained on the Train page like any algorithm)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from embedlab import graphs, workflows
from embedlab.corpus import PreparedCorpus
from embedlab.i18n import N_, _, format_number
from embedlab.progress import CancelToken, ProgressFn
from embedlab.textsafe import md
from embedlab.train.registry import ALGORITHMS
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.ui.widgets import neighbour_index
from embedlab.ui.model_access import shown_name
from embedlab.viz.beyond import graph_figure, spring_layout

JOB_KIND = "graph"

#: The English texts the graphs library ships: the built-in graphs' names and descriptions, the columns it
#: computes for every graph (community, degree band) and the karate club's own attribute. They belong to
#: the shipped samples, not to the user, so they are shown in the session's language; a user's graph keeps
#: its names, attributes and values as they are. (tests/test_page_beyond.py checks this list covers them.)
SHIPPED_TEXTS: frozenset[str] = frozenset({
    N_("Zachary's karate club (networkx)"),
    N_("34 members of a university karate club and who met outside it (Zachary 1977). The club split in two "
       "after a dispute: the 'club' attribute says which faction each member joined."),
    N_("Les Misérables co-appearances (networkx)"),
    N_("77 characters of Victor Hugo's novel; an edge joins two characters who appear in the same chapter, "
       "weighted by how often (Knuth 1993)."),
    N_("Florentine families (networkx)"),
    N_("15 Renaissance Florentine families joined by marriage ties (Padgett 1994)."),
    N_("community"), N_("degree band"), N_("low"), N_("middle"), N_("high"),
    N_("club"), N_("Mr. Hi"), N_("Officer"),
})


def shipped_text(text: str) -> str:
    """A text the library ships (see ``SHIPPED_TEXTS``) in the session's language; anything else as it is."""
    return _(text) if text in SHIPPED_TEXTS else text


def _activate_corpus(state: AppState, job: jobs.Job) -> None:
    state.active_corpus_id = job.result


def render_choose(state: AppState) -> None:
    """A shipped graph or an uploaded edge list becomes the active corpus (prepared once per graph)."""
    busy = any(job.active and job.kind == JOB_KIND for job in jobs.session_jobs(state))
    shipped, upload = st.tabs([_("Shipped graphs"), _("Your edge list")])
    with shipped:
        key = st.radio(_("Graph"), list(graphs.BUILTIN_GRAPHS), key="graphs_builtin",
                       format_func=lambda k: shipped_text(graphs.BUILTIN_GRAPHS[k][0]))
        st.caption(shipped_text(graphs.BUILTIN_GRAPHS[key][1]))
        if st.button(_("Use this graph"), type="primary", disabled=busy, key="graphs_use_builtin"):
            workspace = state.workspace

            def work(progress: ProgressFn, cancel: CancelToken) -> str:
                return workflows.graph_corpus(workspace, graphs.builtin_graph(key), progress, cancel).corpus_id

            title = _("Preparing {name}").format(name=shipped_text(graphs.BUILTIN_GRAPHS[key][0]))
            jobs.submit(state, title, work, kind=JOB_KIND, on_done=_activate_corpus)
            st.rerun()
    with upload:
        st.caption(_("One edge a line: source, target and optionally a weight, separated by commas, tabs, "
                     "semicolons or spaces. A header line (`source,target,weight`) is recognised; lines starting "
                     "with `#` or `%` are comments."))
        uploaded = st.file_uploader(_("Edge list"), type=["csv", "tsv", "txt", "edges", "edgelist"], key="graphs_upload")
        directed = st.checkbox(_("Directed edges"), key="graphs_directed",
                               help=_("Walks then follow edges only from source to target."))
        if uploaded is not None and st.button(_("Use this edge list"), type="primary", disabled=busy,
                                              key="graphs_use_upload"):
            data, name, workspace = uploaded.getvalue(), Path(uploaded.name).stem or "graph", state.workspace

            def work(progress: ProgressFn, cancel: CancelToken) -> str:
                graph = graphs.read_edge_list(data, name, directed)
                return workflows.graph_corpus(workspace, graph, progress, cancel).corpus_id

            jobs.submit(state, _("Preparing the graph {name}").format(name=name), work, kind=JOB_KIND,
                        on_done=_activate_corpus)
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
        st.info(_("The active corpus is not a graph: pick a shipped graph or upload an edge list above."), icon="💡")
        return
    corpus, graph, table = found
    degree = graph.degree()
    summary = _("**{name}**: {nodes} nodes, {edges} edges; degree {low}–{high} (mean {mean}).").format(
        name=md(shipped_text(graph.name)), nodes=format_number(graph.n_nodes), edges=format_number(graph.n_edges),
        low=int(degree.min()), high=int(degree.max()), mean=format_number(float(degree.mean()), 1))
    if graph.directed or graph.weighted:
        edges = (_("The edges are directed and weighted.") if graph.directed and graph.weighted
                 else _("The edges are directed.") if graph.directed else _("The edges are weighted."))
        # two sentences in a row: English puts a space between them, Chinese does not
        summary = _("{sentence} {next_sentence}").format(sentence=summary, next_sentence=edges)
    st.markdown(summary)
    columns = list(table)
    colour = st.selectbox(_("Colour nodes by"), columns, key="graphs_colour", format_func=shipped_text,
                          help=_("Attributes shipped with the graph, communities found by Louvain modularity "
                                 "(networkx), or a degree band."))
    if graph.n_nodes > graphs.DRAW_MAX_NODES:
        st.caption(_("The graph has more than {n} nodes: too many to draw readably. "
                     "The Map page shows the node vectors of a trained model.").format(
                   n=format_number(graphs.DRAW_MAX_NODES)))
        return
    groups = {node: shipped_text(value) for node, value in table[colour].items()}
    st.plotly_chart(graph_figure(graph, _layout(corpus.fingerprint, graph), groups, shipped_text(colour),
                                 highlight or [], focus, title=shipped_text(graph.name)), key="graphs_figure")
    st.page_link(page="pages/2_Train.py", label=_("Train DeepWalk or Node2Vec on this graph"), icon="🏋️")


def render_neighbours(state: AppState, record, vectors) -> tuple[list[str], str | None]:  # noqa: ANN001
    """A node's nearest nodes in the active node model, with their attributes; returns them for the drawing."""
    algorithm = ALGORITHMS.get(record.manifest.algorithm)
    if algorithm is None or algorithm.units != "nodes":
        st.caption(_("Train DeepWalk or Node2Vec on a graph to see node neighbours here."))
        return [], None
    st.subheader(_("Neighbours of a node in {name}").format(name=md(shown_name(record))))
    node = st.selectbox(_("Node"), list(vectors.words), key="graphs_node")
    k = st.slider(_("How many"), 1, min(30, len(vectors) - 1), min(5, len(vectors) - 1), key="graphs_k")
    neighbours = neighbour_index(vectors).query(node, k)
    data = {_("rank"): [n.rank for n in neighbours], _("node"): [n.word for n in neighbours],
            _("similarity"): [round(n.similarity, 4) for n in neighbours]}
    found = active_graph(state)
    if found is not None:
        _corpus, graph, table = found
        for column, values in table.items():
            data[shipped_text(column)] = [shipped_text(values.get(n.word, "")) for n in neighbours]
        data[_("edge to the node")] = [_("yes") if n.word in graph.index and node in graph.index
                                    and graph.has_edge(graph.index[node], graph.index[n.word]) else ""
                                    for n in neighbours]
    st.dataframe(pd.DataFrame(data), hide_index=True, width="stretch")
    return [n.word for n in neighbours], node
