"""Concordance: the corpus lines behind a word (keyword in context), and why two words are close."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import evidence_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page

state = page("Concordance")
st.caption(_("The lines of the corpus where a word occurs, and the contexts two words share: the evidence "
             "behind every neighbour a model finds."))

with user_errors():
    view.render_page(state)
