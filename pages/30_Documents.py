"""Documents: labelled documents, Doc2Vec's nearest documents to a document or to new text."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import documents_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.model_access import get_vectors, model_categories

state = page("Documents")
st.caption(_("Doc2Vec learns one vector per document (PV-DBOW or PV-DM), so documents can be searched, mapped and "
             "compared like words. On the Map, a Doc2Vec model's documents are coloured by their label."))
with user_errors():
    view.render_choose(state)
    if state.active_model_id is not None:
        record = state.workspace.model(state.active_model_id)
        vectors = get_vectors(state, record.model_id)
        view.render_similar(state, record, vectors, model_categories(state, record))
