"""Corpus: pick a sample or upload a file, preview its tokens, see its statistics."""

import streamlit as st

from embedlab import samples
from embedlab.config import CorpusParams
from embedlab.corpus import preview
from embedlab.textsafe import md
from embedlab.ui.actions import start_sample_corpus, start_upload_corpus
from embedlab.ui.corpus_view import size_warning
from embedlab.ui.feedback import user_errors
from embedlab.ui.forms import params_inputs
from embedlab.ui.frame import live_job_progress, page
from embedlab.ui.widgets import state_select
from embedlab.ui.uploads import accept_upload, consume_upload, discard_copies, upload_limit_mb, uploader_key
from embedlab.viz.corpus import top_words_figure, zipf_figure

state = page("Corpus")
job = live_job_progress(state, "corpus", note="Tokenising runs in the background; the corpus appears here when done.")
busy = job is not None and job.active
if job is not None and job.status == "failed":  # the job's message says what to change
    st.error(f"{md(job.title)} failed. {md(job.error)}", icon="⚠️")
elif job is not None and job.status == "cancelled":
    st.warning(f"{md(job.title)} was cancelled; nothing was added. Corpora already in the workspace are untouched.", icon="⏹️")

sample_tab, upload_tab = st.tabs(["Built-in samples", "Upload a file"])

with sample_tab:
    available = samples.builtin_samples()
    by_key = {s.key: s for s in available}
    key = st.radio("Sample corpus", list(by_key), format_func=lambda k: by_key[k].title, key="corpus_sample")
    st.caption(by_key[key].description)
    with user_errors():
        if st.button("Use this corpus", type="primary", disabled=busy, key="use_sample"):
            start_sample_corpus(state, key)
            st.rerun()

with upload_tab:
    st.write("A plain-text file, one sentence or document per line (UTF-8, UTF-16, GB18030/GBK or Latin-1: "
             f"the encoding is detected). Up to {upload_limit_mb()} MB.")
    uploaded = st.file_uploader("Corpus file", key=uploader_key(state),
                                help="For item sessions, put one session per line with item IDs separated by spaces.")
    with st.expander("Tokeniser", expanded=False):
        values = params_inputs(CorpusParams, key_prefix="upload_")
    params = CorpusParams(**values)
    if uploaded is None:
        discard_copies(state)  # the user removed the file: drop our copy too
    else:
        with user_errors():
            path = accept_upload(state, uploaded)
            if path is not None:
                kind, tokens = preview(path, params)
                st.write(f"Detected tokeniser: **{kind}**. The first lines become:")
                for line in tokens:
                    st.code(" · ".join(line[:40]) + (" …" if len(line) > 40 else ""), language=None)
                name = st.text_input("Name", value=uploaded.name, key=uploader_key(state, "upload_name"))
                if st.button("Tokenise and add", type="primary", disabled=busy, key="add_upload"):
                    start_upload_corpus(state, path, name or uploaded.name, params)
                    consume_upload(state, uploaded)
                    st.rerun()

st.divider()
corpora = state.workspace.list_corpora()
if not corpora:
    st.info("No corpus yet: choose a sample or upload a file above.", icon="💡")
    st.stop()

by_id = {c.corpus_id: c for c in corpora}
if state.active_corpus_id not in by_id:
    state.active_corpus_id = corpora[0].corpus_id


def _choose_corpus(corpus_id: str) -> None:
    state.active_corpus_id = corpus_id


state_select("Active corpus", {i: f"{c.name} ({c.n_tokens:,} tokens, {c.tokenizer})" for i, c in by_id.items()},
             lambda: state.active_corpus_id, _choose_corpus, key="corpus_active")
corpus = by_id[state.active_corpus_id]
stats = corpus.stats
assert stats is not None

cols = st.columns(5)
cols[0].metric("Lines", f"{stats.n_lines:,}")
cols[1].metric("Tokens", f"{stats.n_tokens:,}")
cols[2].metric("Word types", f"{stats.n_types:,}")
min_count = cols[3].number_input("min_count", min_value=1, max_value=1000, value=5, key="corpus_min_count",
                                 help="Training drops words seen fewer times than this.")
cols[4].metric(f"Types seen ≥ {min_count}×", f"{stats.types_at_least(int(min_count)):,}")
st.caption(f"Encoding {md(corpus.encoding)} · tokeniser {md(corpus.tokenizer)}"
           + (", lower-cased" if corpus.lowercase and corpus.tokenizer != "ids" else "")
           + (f" · {stats.empty_lines:,} empty lines skipped" if stats.empty_lines else "")
           + (f" · {stats.wrapped_lines:,} long lines wrapped at 1,000 tokens" if stats.wrapped_lines else "")
           + (f" · ⚠️ {stats.replaced_characters:,} undecodable characters replaced" if stats.replaced_characters else ""))

if (warning := size_warning(stats.n_tokens)) is not None:
    st.warning(warning, icon="🔬")

left, right = st.columns(2)
left.plotly_chart(zipf_figure(stats.zipf_ranks, stats.zipf_counts), key="zipf")
right.plotly_chart(top_words_figure(stats.top_words), key="top_words")
st.page_link("pages/2_Train.py", label="Train a model on this corpus", icon="🏋️")

with st.expander("Delete this corpus"):
    st.write("Models trained on it are kept.")
    if st.button("Delete corpus", key="delete_corpus"):
        state.workspace.delete_corpus(corpus.corpus_id)
        state.active_corpus_id = None
        st.rerun()
