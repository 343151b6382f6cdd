"""Recommend: Item2Vec as a recommender (HitRate/Recall@K, MRR vs baselines) and 'users who bought X' lists."""

import streamlit as st

from embedlab.i18n import _, format_number
from embedlab.textsafe import md
from embedlab.ui import recommend_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import model_categories, require_model, shown_name

state = page("Recommend")
record, vectors = require_model(state)
st.caption(_("Model **{name}**: {items} items, {dim} dimensions. Item2Vec is Word2Vec trained on sessions of item "
             "IDs (the Shopping sessions sample, or your own file with the item-ID tokeniser).").format(
           name=md(shown_name(record)), items=format_number(len(vectors)), dim=vectors.dim))
with user_errors():
    view.render_scores(state, record)
    view.render_also_bought(state, record, vectors, model_categories(state, record))
