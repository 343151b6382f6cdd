"""Neighbours: the nearest words of one or more query words, or of a whole pasted list (CSV)."""

import streamlit as st

from embedlab.i18n import _, format_number
from embedlab.textsafe import md
from embedlab.ui import neighbours_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import model_categories, require_model, shown_name

state = page("Neighbours")
record, vectors = require_model(state)
st.caption(_("Model **{name}**: {n} words, {dim} dimensions.").format(
           name=md(shown_name(record)), n=format_number(len(vectors)), dim=vectors.dim)
           + (" " + _("FastText: unseen words get a vector from their character n-grams.") if vectors.subword else ""))

view.render_fasttext_note(record)

with user_errors():
    index = view.active_index(state, vectors)
    categories = model_categories(state, record)  # item IDs get their titles and categories beside them
    if view.render_controls(state, vectors) == "words":
        view.render_words(state, vectors, index, categories)
    else:
        view.render_batch(state, vectors, index, categories)
