"""Playback: a recorded training replayed, the map epoch by epoch, a word's neighbours and the loss."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import playback_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page

state = page("Playback")
st.caption(_("Watch a model's space form: the most frequent words' vectors were saved after every epoch while it "
             "trained, and are replayed here."))

with user_errors():
    model_id = view.render_picker(state)
    if model_id is not None:
        view.render_playback(state, model_id)
