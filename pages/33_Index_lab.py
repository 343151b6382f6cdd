"""Index lab: faiss Flat, IVF-Flat, IVF-PQ and HNSW on the active model's vectors; recall vs latency vs memory."""

from embedlab.i18n import _, format_number
from embedlab.textsafe import md
from embedlab.ui import index_lab_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import require_model, shown_name

import streamlit as st

state = page("Index lab")
record, vectors = require_model(state)
st.caption(_("Model **{name}**: {n} vectors, {dim} dimensions.").format(
           name=md(shown_name(record)), n=format_number(len(vectors)), dim=vectors.dim))
with user_errors():
    view.render(state, vectors, record.model_id)
