"""Lessons: the classic demonstrations of word embeddings, one click each, measured on the built-in samples."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import lessons_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page

state = page("Lessons")
st.caption(_("Each lesson trains small models on a built-in sample with the parameters it states, measures, and "
             "says what this run shows, even where that differs from the textbook. Its models are saved: explore "
             "them on the page the lesson links to."))

with user_errors():
    menu, body = st.columns([1, 4])
    with menu:
        lesson = view.render_menu()
    with body:
        view.render_lesson(state, lesson)
