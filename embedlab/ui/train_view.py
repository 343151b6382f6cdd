"""The Train page's sections: the corpus line, the algorithm choice, the form, and the last run's outcome.

The form's values are checked before a job starts (a refused form stays explained until
the next submit, kept in ``state.train``); training runs as a background job, and its
outcome is shown while it is about the corpus the page is on.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from embedlab.corpus import PreparedCorpus
from embedlab.errors import EmbedlabError, VocabularyError
from embedlab.i18n import N_, _, format_number, format_seconds
from embedlab.playback import DEFAULT_TOP_N, MAX_TOP_N
from embedlab.records import CorpusRef
from embedlab.textsafe import md
from embedlab.samples import shown_corpus_name
from embedlab.train.registry import ALGORITHMS, AlgorithmSpec, count_label, default_model_name, train_page_algorithms
from embedlab.ui.actions import start_training
from embedlab.ui.beyond_view import input_note
from embedlab.ui.corpus_view import form_defaults, size_warning, tokenizer_name
from embedlab.ui.feedback import user_errors
from embedlab.ui.forms import params_inputs
from embedlab.ui.jobs import Job, latest_job
from embedlab.ui.model_access import shown_name
from embedlab.ui.state import AppState, FormError
from embedlab.viz.training import loss_figure

#: the fields shown at the top of every form; the others are under "More settings"
BASIC_FIELDS = ("architecture", "mode", "loss", "p", "q", "walk_length", "walks_per_node", "vector_size",
                "window", "min_count", "epochs")


def render_corpus(corpus: PreparedCorpus) -> None:
    st.write(_("Corpus: **{name}** · {lines} lines · {tokens} tokens · tokeniser {tokenizer}").format(
        name=md(shown_corpus_name(corpus.name)), lines=format_number(corpus.n_sentences),
        tokens=format_number(corpus.n_tokens), tokenizer=md(tokenizer_name(corpus.tokenizer))))
    if (warning := size_warning(corpus.n_tokens)) is not None:
        st.warning(warning, icon="🔬")


def choose_algorithm(state: AppState) -> tuple[str, AlgorithmSpec]:
    # documents and graphs too (the page says what input each one needs); Spark only where pyspark and Java are
    algorithms = train_page_algorithms()
    if state.train.algorithm not in algorithms:
        state.train.algorithm = next(iter(algorithms))
    algorithm = st.radio(_("Algorithm"), list(algorithms), format_func=lambda key: algorithms[key].shown_label(),
                         horizontal=True,
                         key="train_algorithm", index=list(algorithms).index(state.train.algorithm),
                         on_change=lambda: setattr(state.train, "algorithm", st.session_state["train_algorithm"]))
    st.caption(algorithms[algorithm].shown_description())
    return algorithm, algorithms[algorithm]


def render_form(state: AppState, corpus: PreparedCorpus, algorithm: str, spec: AlgorithmSpec, busy: bool) -> None:
    """The algorithm's form; a submit is checked here and starts the job (or keeps the reason it was refused)."""
    st.caption(input_note(spec.units, corpus))
    params_cls = spec.params_class
    defaults = form_defaults(algorithm, params_cls, corpus.n_tokens)
    with st.form(f"train_form_{algorithm}"):
        fields = [f.name for f in dataclasses.fields(params_cls)]
        basic = [n for n in BASIC_FIELDS if n in fields][:6]
        cols = st.columns(3)
        values: dict[str, Any] = {}
        for i, name in enumerate(basic):
            with cols[i % 3]:
                values.update(params_inputs(params_cls, defaults, key_prefix=f"{algorithm}_", only=(name,)))
        with st.expander(_("More settings")):
            values.update(params_inputs(params_cls, defaults, key_prefix=f"{algorithm}_", skip=tuple(basic)))
        # a built-in sample's name in the reader's language: a Chinese class gets Chinese model names
        default_name = default_model_name(algorithm, shown_corpus_name(corpus.name))
        name = st.text_input(_("Model name (optional)"), key=f"{algorithm}_name", placeholder=default_name)
        record_top = 0
        if spec.records_epochs:
            left, right = st.columns([2, 1])
            record = left.toggle(_("Record the training (for Playback)"), key=f"{algorithm}_record",
                                 help=_("Saves the most frequent words' vectors after every epoch beside the model, so "
                                        "the Playback page can replay how the space formed. Costs a little disk, "
                                        "almost no time."))
            top_n = right.number_input(_("Words recorded"), 2, MAX_TOP_N, DEFAULT_TOP_N, step=500,
                                       key=f"{algorithm}_record_top",
                                       help=_("The most frequent words whose vectors are saved each epoch."))
            record_top = int(top_n) if record else 0
        submitted = st.form_submit_button(_("Train"), type="primary", disabled=busy)
    if submitted:
        # A refused form stays explained until the next submit: the message is kept in the state,
        # not just drawn once, because any rerun (a job ending, a sidebar click) would wipe it.
        state.train.form_error = None
        with user_errors():
            try:
                params = _checked(params_cls(**values), corpus)
            except EmbedlabError as error:
                state.train.form_error = FormError(algorithm, corpus.corpus_id, str(error))
            else:
                start_training(state, algorithm, params, corpus.corpus_id, name.strip() or default_name,
                               record_top=record_top)
                st.rerun()
    error = state.train.form_error
    if error and error.algorithm == algorithm and error.corpus_id == corpus.corpus_id:
        st.error(md(error.message), icon="⚠️")


def _checked(params: Any, corpus: PreparedCorpus) -> Any:
    params.validate()
    stats = corpus.stats
    min_count = getattr(params, "min_count", 1)  # graph walks keep every node
    if stats is not None and stats.types_at_least(min_count) == 0:
        most = stats.top_words[0][1] if stats.top_words else 0
        raise VocabularyError(N_("No word appears {min_count} times or more in this corpus (the most "
                                 "frequent appears {most} times); lower the minimum count."),
                              min_count=format_number(min_count), most=format_number(most))
    return params


def train_job(state: AppState) -> Job | None:
    return latest_job(state, "train")


def render_outcome(state: AppState, corpus: PreparedCorpus, job: Job | None) -> None:
    """The last run's result, while it is about this corpus: after a change of corpus, a success message
    would present another corpus's model as this page's result (it is still in the sidebar)."""
    if job is None:
        return
    if job.status == "done":
        made = {r.model_id for r in state.workspace.list_models()}
        if job.result not in made or (state.workspace.manifest(job.result).corpus or CorpusRef()).id != corpus.corpus_id:
            return  # deleted since, or made from another corpus
        with user_errors():
            manifest = state.workspace.manifest(job.result)
            units = ALGORITHMS[manifest.algorithm].units if manifest.algorithm in ALGORITHMS else "words"
            st.success(_("Trained **{name}**: {count} × {dim} dimensions in {seconds}. It is now the active model.")
                       .format(name=md(shown_name(manifest)), count=count_label(units, manifest.vocab_size),
                               dim=format_number(manifest.dim), seconds=format_seconds(manifest.seconds or 0)),
                       icon="✅")
            if manifest.loss:
                st.plotly_chart(loss_figure(list(manifest.loss)), key="loss_curve")
            if state.workspace.has_snapshots(job.result):
                st.page_link("pages/21_Playback.py", label=_("Replay the training, epoch by epoch"), icon="🎬")
            cols = st.columns(3)
            cols[0].page_link("pages/4_Map.py", label=_("See the map"), icon="🗺️")
            cols[1].page_link("pages/5_Neighbours.py", label=_("Nearest neighbours"), icon="🔎")
            cols[2].page_link("pages/6_Analogies.py", label=_("Analogies"), icon="➗")
    elif job.status == "cancelled":
        st.warning(_("Training was cancelled; nothing was saved from that run. Earlier models are untouched."),
                   icon="⏹️")
    elif job.status == "failed":
        st.error(md(job.error), icon="⚠️")
