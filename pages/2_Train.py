"""Train: one form per algorithm, every parameter explained; training runs in the background."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import train_view as view
from embedlab.ui.frame import live_job_progress, page

state = page("Train")

if state.active_corpus_id is None:
    st.info(_("Choose a corpus first: a built-in sample or your own file."), icon="💡")
    st.page_link("pages/1_Corpus.py", label=_("Choose a corpus"), icon="📚")
    st.stop()

corpus = state.workspace.load_corpus(state.active_corpus_id)
view.render_corpus(corpus)
algorithm, spec = view.choose_algorithm(state)
job = view.train_job(state)
view.render_form(state, corpus, algorithm, spec, busy=job is not None and job.active)
live_job_progress(state, "train", cancel_key="cancel_main",
                  note=_("You can switch pages meanwhile: training continues and the model appears in the sidebar when done."))
view.render_outcome(state, corpus, job)
