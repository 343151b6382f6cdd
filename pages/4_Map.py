"""Map: the model's words in 2-D or 3-D (PCA at once, UMAP/t-SNE in the background), neighbours of a selection."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import density_view
from embedlab.ui import map_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import require_model
from embedlab.ui.warm_up import start_warm_up

state = page("Map")
st.caption(_("Each point is a word; words used alike land near each other. PCA keeps the broad directions of "
             "the space, UMAP each word's neighbourhood. Neighbours on the right are measured in the original "
             "space, not on the flattened map."))
start_warm_up()  # unless EMBEDLAB_WARM_UP=0
record, vectors = require_model(state)

with user_errors():
    if density_view.render_switch(vectors):
        density_view.render(state, vectors)
    else:
        params = view.render_settings(state, vectors)
        view.render_map(state, record, vectors, params)
        view.render_categories_upload(state, record)
