"""Corpus: pick a sample or upload a file, preview its tokens, see its statistics."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import corpus_view as view
from embedlab.ui.frame import live_job_progress, page

state = page("Corpus")
job = live_job_progress(state, "corpus", note=_("Tokenising runs in the background; the corpus appears here when done."))
busy = job is not None and job.active
view.render_job_outcome(job)

sample_tab, upload_tab = st.tabs([_("Built-in samples"), _("Upload a file")])
with sample_tab:
    view.render_samples(state, busy)
with upload_tab:
    view.render_upload(state, busy)

st.divider()
corpora = state.workspace.list_corpora()
if not corpora:
    st.info(_("No corpus yet: choose a sample or upload a file above."), icon="💡")
    st.stop()

corpus = view.choose_corpus(state, corpora)
view.render_statistics(corpus)
st.page_link("pages/2_Train.py", label=_("Train a model on this corpus"), icon="🏋️")
view.render_delete(state, corpus)
