"""embedlab home page: what it is, and a one-click start on the sample corpus."""

from embedlab.i18n import _
from embedlab.ui.actions import start_try_it, try_it_model
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.jobs import latest_job

import streamlit as st

state = page("embedlab", icon="🧭")

st.markdown(_(
    "Train small **Word2Vec**, **GloVe** and **FastText** models on your own text, then look inside them: "
    "a map of the vector space, nearest neighbours, analogy arithmetic (*king − man + woman*), and the three "
    "algorithms side by side on the same corpus. Item IDs (shopping sessions) and Chinese text work too."
))

left, right = st.columns([2, 3])
with left:
    st.subheader(_("Try it"))
    existing = try_it_model(state)
    job = latest_job(state, "train")
    running = job is not None and job.active
    if existing is not None:
        # the sample model exists (``make run`` trains it): one click opens it instead of training a duplicate
        st.write(_("A Word2Vec model of the built-in English sample is ready: one click opens it on the map."))
        if st.button(_("Open the English sample model"), type="primary", key="try_it"):
            state.active_model_id = existing
            st.switch_page("pages/4_Map.py")
    else:
        st.write(_("One click tokenises the built-in English sample and trains a Word2Vec model on it (a few seconds)."))
        with user_errors():
            if st.button(_("Train Word2Vec on the English sample"), type="primary", disabled=running, key="try_it"):
                start_try_it(state)
                st.rerun()
    if running:
        st.info(_("Training… follow the progress in the sidebar."), icon="⏳")
    elif state.active_model_id:
        st.success(_("A model is ready. Explore it:"), icon="✅")
        st.page_link("pages/4_Map.py", label=_("Map of the vector space"), icon="🗺️")
        st.page_link("pages/5_Neighbours.py", label=_("Nearest neighbours"), icon="🔎")
        st.page_link("pages/6_Analogies.py", label=_("Analogies"), icon="➗")

with right:
    st.subheader(_("The path through the app"))
    st.page_link("pages/1_Corpus.py", label=_("1 · Corpus: pick a sample or upload a text file, see its statistics"),
                 icon="📚")
    st.page_link("pages/2_Train.py", label=_("2 · Train: Word2Vec, FastText or GloVe, with live progress"), icon="🏋️")
    st.page_link("pages/3_Models.py", label=_("3 · Models: rename, delete, load pretrained vectors, export"), icon="📦")
    st.page_link("pages/7_Compare.py", label=_("Compare: the three algorithms side by side"), icon="⚖️")
    st.page_link("pages/8_Evaluate.py", label=_("Evaluate: analogy and similarity benchmarks"), icon="📏")
    st.caption(_("Everything you make is saved in the workspace folder on disk: reloading the page or restarting "
                 "the server keeps it."))
