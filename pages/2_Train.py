"""Train: one form per algorithm, every parameter explained; training runs in the background."""

import dataclasses

import streamlit as st

from embedlab.playback import DEFAULT_TOP_N, MAX_TOP_N
from embedlab.train.registry import corpus_algorithms
from embedlab.errors import EmbedlabError, VocabularyError
from embedlab.textsafe import md
from embedlab.ui.actions import start_training
from embedlab.ui.corpus_view import form_defaults, size_warning
from embedlab.ui.feedback import user_errors
from embedlab.ui.beyond_view import input_note
from embedlab.ui.forms import params_inputs
from embedlab.ui.frame import live_job_progress, page
from embedlab.ui.jobs import latest_job
from embedlab.records import CorpusRef
from embedlab.ui.state import FormError
from embedlab.viz.training import loss_figure

state = page("Train")
ALGORITHMS = corpus_algorithms()

if state.active_corpus_id is None:
    st.info("Choose a corpus first: a built-in sample or your own file.", icon="💡")
    st.page_link("pages/1_Corpus.py", label="Choose a corpus", icon="📚")
    st.stop()

corpus = state.workspace.load_corpus(state.active_corpus_id)
st.write(f"Corpus: **{md(corpus.name)}** · {corpus.n_sentences:,} lines · {corpus.n_tokens:,} tokens · tokeniser {corpus.tokenizer}")
if (warning := size_warning(corpus.n_tokens)) is not None:
    st.warning(warning, icon="🔬")

algorithm = st.radio("Algorithm", list(ALGORITHMS), format_func=lambda key: ALGORITHMS[key].label, horizontal=True,
                     key="train_algorithm", index=list(ALGORITHMS).index(state.train.algorithm),
                     on_change=lambda: setattr(state.train, "algorithm", st.session_state["train_algorithm"]))
st.caption(ALGORITHMS[algorithm].description)
st.caption(input_note(ALGORITHMS[algorithm].units, corpus))
params_cls = ALGORITHMS[algorithm].params_class
defaults = form_defaults(algorithm, params_cls, corpus.n_tokens)
job = latest_job(state, "train")
busy = job is not None and job.active

with st.form(f"train_form_{algorithm}"):
    fields = [f.name for f in dataclasses.fields(params_cls)]
    basic = [n for n in ("architecture", "mode", "loss", "p", "q", "walk_length", "walks_per_node", "vector_size",
                         "window", "min_count", "epochs") if n in fields][:6]
    cols = st.columns(3)
    values = {}
    for i, name in enumerate(basic):
        with cols[i % 3]:
            values.update(params_inputs(params_cls, defaults, key_prefix=f"{algorithm}_", only=(name,)))
    with st.expander("More settings"):
        values.update(params_inputs(params_cls, defaults, key_prefix=f"{algorithm}_", skip=tuple(basic)))
    name = st.text_input("Model name (optional)", key=f"{algorithm}_name",
                         placeholder=f"{ALGORITHMS[algorithm].label} · {corpus.name}")
    record_top = 0
    if ALGORITHMS[algorithm].records_epochs:
        left, right = st.columns([2, 1])
        record = left.toggle("Record the training (for Playback)", key=f"{algorithm}_record",
                             help="Saves the most frequent words' vectors after every epoch beside the model, so the "
                                  "Playback page can replay how the space formed. Costs a little disk, almost no time.")
        top_n = right.number_input("Words recorded", 2, MAX_TOP_N, DEFAULT_TOP_N, step=500, key=f"{algorithm}_record_top",
                                   help="The most frequent words whose vectors are saved each epoch.")
        record_top = int(top_n) if record else 0
    submitted = st.form_submit_button("Train", type="primary", disabled=busy)

if submitted:
    # A refused form stays explained until the next submit: the message is kept in the state,
    # not just drawn once, because any rerun (a job ending, a sidebar click) would wipe it.
    state.train.form_error = None
    with user_errors():
        try:
            params = params_cls(**values)
            params.validate()
            stats = corpus.stats
            min_count = getattr(params, "min_count", 1)  # graph walks keep every node
            if stats is not None and stats.types_at_least(min_count) == 0:
                most = stats.top_words[0][1] if stats.top_words else 0
                raise VocabularyError(f"No word appears {min_count} times or more in this corpus (the most "
                                      f"frequent appears {most:,} times); lower the minimum count.")
        except EmbedlabError as error:
            state.train.form_error = FormError(algorithm, corpus.corpus_id, str(error))
        else:
            start_training(state, algorithm, params, corpus.corpus_id, name, record_top=record_top)
            st.rerun()

form_error = state.train.form_error
if form_error and form_error.algorithm == algorithm and form_error.corpus_id == corpus.corpus_id:
    st.error(md(form_error.message), icon="⚠️")

live_job_progress(state, "train", cancel_key="cancel_main",
                  note="You can switch pages meanwhile: training continues and the model appears in the sidebar when done.")
if job is not None:
    # the outcome of the last run, while it is about this corpus: after a change of corpus it would
    # present another corpus's model as the result of this page (and it is still in the sidebar)
    made_here = job.status != "done" or (job.result in {r.model_id for r in state.workspace.list_models()}  # not deleted
                                         and (state.workspace.manifest(job.result).corpus or CorpusRef()).id == corpus.corpus_id)
    if not made_here:
        pass
    elif job.status == "done":
        with user_errors():
            manifest = state.workspace.manifest(job.result)
            units = ALGORITHMS[manifest.algorithm].units if manifest.algorithm in ALGORITHMS else "words"
            st.success(f"Trained **{md(manifest.name)}**: {manifest.vocab_size:,} {units} × {manifest.dim} dimensions "
                       f"in {manifest.seconds or 0:.1f} s. It is now the active model.", icon="✅")
            if manifest.loss:
                st.plotly_chart(loss_figure(list(manifest.loss)), key="loss_curve")
            if state.workspace.has_snapshots(job.result):
                st.page_link("pages/21_Playback.py", label="Replay the training, epoch by epoch", icon="🎬")
            cols = st.columns(3)
            cols[0].page_link("pages/4_Map.py", label="See the map", icon="🗺️")
            cols[1].page_link("pages/5_Neighbours.py", label="Nearest neighbours", icon="🔎")
            cols[2].page_link("pages/6_Analogies.py", label="Analogies", icon="➗")
    elif job.status == "cancelled":
        st.warning("Training was cancelled; nothing was saved from that run. Earlier models are untouched.", icon="⏹️")
    elif job.status == "failed":
        st.error(md(job.error), icon="⚠️")
