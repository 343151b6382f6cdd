"""Evaluate: analogy accuracy and word-similarity correlation of saved models, with coverage."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import evaluate_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import model_options

state = page("Evaluate")
st.caption(_("Standard benchmarks, scored the way gensim scores them so numbers compare with published ones. "
             "Every score comes with its coverage: how many items the model could answer at all."))

options = model_options(state)
if not options:
    st.info(_("There is no model yet. Train one first."), icon="💡")
    st.page_link("pages/2_Train.py", label=_("Train a model"), icon="🏋️")
    st.stop()

with user_errors():
    view.render_setup(state, options)
    st.divider()
    view.render_results(state, options)
