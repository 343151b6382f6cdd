"""Compare: the same corpus, two or three models, one screen (neighbours, stability, aligned map, what-if)."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import recommend_view
from embedlab.ui.compare import aligned_map, neighbours as neighbours_tab, picker, stability as stability_tab, what_if as what_if_tab
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page

state = page("Compare")
st.caption(_("Word2Vec, FastText and GloVe learn from the same text in different ways. Train all three at once, "
             "then see where they agree and where they do not."))

chosen = picker.render_picker(state)
picker.render_running(state)
if chosen is None:
    st.info(_("No comparison yet: train the three algorithms above, or pick two or three saved models."), icon="💡")
    st.stop()

with user_errors():
    comparison, manifests = picker.load(state, chosen)
    picker.render_summary(comparison, manifests)
    recommend_view.render_side_by_side(state, list(chosen.model_ids))  # Item2Vec scores, when measured
    neighbours, stability, aligned, what_if = st.tabs(
        [_("Neighbours"), _("Stability"), _("Aligned map"), _("What if…")])
    with neighbours:
        neighbours_tab.render_neighbours(state, comparison, neighbours_tab.item_categories(state, chosen.model_ids, manifests))
    with stability:
        stability_tab.render_stability(state, comparison)
    with aligned:
        aligned_map.render_map(state, comparison)
    with what_if:
        what_if_tab.render_what_if(state, chosen, manifests)
    st.page_link("pages/8_Evaluate.py", label=_("Benchmark these models"), icon="📏")
