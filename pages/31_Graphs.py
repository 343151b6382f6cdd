"""Graphs: shipped graphs or your edge list, drawn; DeepWalk/Node2Vec node neighbours."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import graphs_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import get_vectors

state = page("Graphs")
st.caption(_("Graph embeddings: random walks over the graph are read as sentences of node names, and skip-gram "
             "turns them into node vectors (DeepWalk; Node2Vec biases the walks with p and q)."))
with user_errors():
    view.render_choose(state)
    highlight, focus = [], None
    if state.active_model_id is not None:
        record = state.workspace.model(state.active_model_id)
        highlight, focus = view.render_neighbours(state, record, get_vectors(state, record.model_id))
    view.render_graph(state, highlight, focus)
