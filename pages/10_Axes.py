"""Semantic axes: place words along directions you name, such as he − she or good − bad."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import axes_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import require_model

state = page("Semantic axes")
record, vectors = require_model(state)
st.caption(_("Name two directions in the vector space, each as an expression or two word lists; every word is "
             "placed at its cosine with each. The gender-direction demo shows what a model learned from its corpus."))

with user_errors():
    view.render(vectors)
