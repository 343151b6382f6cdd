"""Analogies: king − man + woman, with 3CosAdd and 3CosMul side by side and the parallelogram."""

import streamlit as st

from embedlab.i18n import _, format_number
from embedlab.textsafe import md
from embedlab.ui import analogies_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import require_model, shown_name

state = page("Analogies")
record, vectors = require_model(state)
st.caption(_("Model **{name}**: {n} words. Vector arithmetic finds the word that completes a "
             "relation: *man* is to *king* as *woman* is to …?").format(name=md(shown_name(record)),
                                                                         n=format_number(len(vectors))))

with user_errors():
    expression, k, exclude = view.render_controls(state, vectors)
    view.render_results(state, vectors, expression, k, exclude)
