"""Models: every saved model; rename, delete, read its manifest; load and export vectors."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import models_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page

state = page("Models")
records = state.workspace.list_models()

if not records:
    st.info(_("No models yet. Train one, or load pretrained vectors below."), icon="💡")
    st.page_link("pages/2_Train.py", label=_("Train a model"), icon="🏋️")
else:
    view.render_list(state, records)
    record = view.chosen_model(state, records)
    view.render_actions(state, record)
    st.subheader(_("Export"))
    with user_errors():
        view.render_export(state, record)

st.subheader(_("Load vectors"))
view.render_load(state)
