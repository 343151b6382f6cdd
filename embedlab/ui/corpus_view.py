"""The Corpus page's sections (samples, upload with preview, the active corpus and its statistics), and
advice drawn from a corpus's size (a warning when it is too small, the Train form's starting values)."""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from embedlab import samples
from embedlab.config import CorpusParams
from embedlab.corpus import PreparedCorpus, make_tokenizer, sniff
from embedlab.i18n import _, format_number, pgettext
from embedlab.textsafe import md
from embedlab.ui.actions import start_sample_corpus, start_upload_corpus
from embedlab.ui.feedback import user_errors
from embedlab.ui.forms import params_inputs
from embedlab.ui.jobs import Job
from embedlab.ui.model_access import distinct
from embedlab.ui.state import AppState
from embedlab.ui.uploads import accept_upload, consume_upload, discard_copies, upload_limit_mb, uploader_key
from embedlab.ui.widgets import state_select
from embedlab.viz.corpus import top_words_figure, zipf_figure

PREVIEW_LINES = 5

#: below this many tokens, word vectors mostly reflect chance: a 1,327-line licence text (about
#: 10,000 tokens) gave every pair of words a similarity near 0.999
SMALL_CORPUS_TOKENS = 50_000


def tokenizer_name(kind: str) -> str:
    """A tokeniser's name as the page says it: its id ('words', 'chinese', 'ids') in English, a word in Chinese."""
    names = {"auto": pgettext("tokeniser", "auto"), "words": pgettext("tokeniser", "words"),
             "chinese": pgettext("tokeniser", "chinese"), "ids": pgettext("tokeniser", "ids")}
    return names.get(kind, kind)


def size_warning(n_tokens: int) -> str | None:
    """A warning for a corpus too small to train anything meaningful (None if it is big enough)."""
    if n_tokens >= SMALL_CORPUS_TOKENS:
        return None
    return _("This corpus is small ({n} tokens). Word vectors learn from how often words share "
             "contexts, and below about {limit} tokens most of that is chance: expect "
             "neighbours that make no sense and similarities all close to 1. Fine for trying the app; "
             "for real results use a larger text (a million tokens or more).").format(
        n=format_number(n_tokens), limit=format_number(SMALL_CORPUS_TOKENS))


#: GloVe's x_max by corpus size: the paper's 100 was tuned on billions of tokens; in a small corpus almost no
#: pair is seen 100 times, so every pair is down-weighted and rare pairs hardly count
GLOVE_SMALL_CORPUS_TOKENS = 1_000_000
GLOVE_X_MAX_SMALL, GLOVE_X_MAX_LARGE = 10.0, 100.0


def form_defaults(algorithm: str, params_cls: type, n_tokens: int) -> Any:
    """The Train form's starting values for this corpus: the parameter class's defaults, except GloVe's
    x_max, which follows the corpus size (10 under a million tokens, 100 above), as its help text says."""
    defaults = params_cls()
    if algorithm == "glove" and hasattr(defaults, "x_max"):
        x_max = GLOVE_X_MAX_SMALL if n_tokens < GLOVE_SMALL_CORPUS_TOKENS else GLOVE_X_MAX_LARGE
        defaults = dataclasses.replace(defaults, x_max=x_max)
    return defaults


def render_job_outcome(job: Job | None) -> None:
    if job is not None and job.status == "failed":  # the job's message says what to change
        st.error(_("{title} failed. {error}").format(title=md(job.title), error=md(job.error)), icon="⚠️")
    elif job is not None and job.status == "cancelled":
        st.warning(_("{title} was cancelled; nothing was added. Corpora already in the workspace are untouched.")
                   .format(title=md(job.title)), icon="⏹️")


def render_samples(state: AppState, busy: bool) -> None:
    by_key = {s.key: s for s in samples.builtin_samples()}
    key = st.radio(_("Sample corpus"), list(by_key), format_func=lambda k: by_key[k].shown_title(), key="corpus_sample")
    st.caption(by_key[key].shown_description())
    with user_errors():
        if st.button(_("Use this corpus"), type="primary", disabled=busy, key="use_sample"):
            start_sample_corpus(state, key)
            st.rerun()


def render_upload(state: AppState, busy: bool) -> None:
    """Upload, preview with the encoding and tokeniser the import will use (one detection), add."""
    st.write(_("A plain-text file, one sentence or document per line (UTF-8, UTF-16, GB18030/GBK or Latin-1: "
               "the encoding is detected). Up to {mb} MB.").format(mb=format_number(upload_limit_mb())))
    uploaded = st.file_uploader(_("Corpus file"), key=uploader_key(state),
                                help=_("For item sessions, put one session per line with item IDs separated by spaces."))
    with st.expander(_("Tokeniser"), expanded=False):
        values = params_inputs(CorpusParams, key_prefix="upload_")
    params = CorpusParams(**values)
    if uploaded is None:
        discard_copies(state)  # the user removed the file: drop our copy too
        return
    with user_errors():
        path = accept_upload(state, uploaded)
        if path is None:
            return
        text, encoding, kind = sniff(path, params)  # the same answer the import will act on
        tokenize = make_tokenizer(kind, params.lowercase)
        st.write(_("Detected tokeniser: **{kind}** (encoding **{encoding}**). The first lines become:").format(
            kind=md(tokenizer_name(kind)), encoding=md(encoding)))
        for line in [line for line in text.splitlines() if line.strip()][:PREVIEW_LINES]:
            tokens = tokenize(line)
            st.code(" · ".join(tokens[:40]) + (" …" if len(tokens) > 40 else ""), language=None)
        name = st.text_input(_("Name"), value=uploaded.name, key=uploader_key(state, "upload_name"))
        if st.button(_("Tokenise and add"), type="primary", disabled=busy, key="add_upload"):
            start_upload_corpus(state, path, name or uploaded.name, params)
            consume_upload(state, uploaded)
            st.rerun()


def choose_corpus(state: AppState, corpora: list[PreparedCorpus]) -> PreparedCorpus:
    """The active corpus picker (by id; same-named corpora told apart); returns the active corpus."""
    by_id = {c.corpus_id: c for c in corpora}
    if state.active_corpus_id not in by_id:
        state.active_corpus_id = corpora[0].corpus_id

    def picked(corpus_id: str) -> None:
        state.active_corpus_id = corpus_id

    labels = distinct({i: _("{name} ({tokens} tokens, {tokenizer})").format(
        name=samples.shown_corpus_name(c.name), tokens=format_number(c.n_tokens), tokenizer=tokenizer_name(c.tokenizer))
        for i, c in by_id.items()})
    return by_id[state_select(_("Active corpus"), labels, lambda: state.active_corpus_id, picked, key="corpus_active")]


def render_statistics(corpus: PreparedCorpus) -> None:
    stats = corpus.stats
    if stats is None:
        return
    cols = st.columns(5)
    cols[0].metric(_("Lines"), format_number(stats.n_lines))
    cols[1].metric(_("Tokens"), format_number(stats.n_tokens))
    cols[2].metric(_("Word types"), format_number(stats.n_types))
    min_count = cols[3].number_input(_("min_count"), min_value=1, max_value=1000, value=5, key="corpus_min_count",
                                     help=_("Training drops words seen fewer times than this."))
    cols[4].metric(_("Types seen ≥ {n}×").format(n=min_count), format_number(stats.types_at_least(int(min_count))))
    st.caption(" · ".join(_corpus_facts(corpus)))
    if (warning := size_warning(stats.n_tokens)) is not None:
        st.warning(warning, icon="🔬")
    left, right = st.columns(2)
    left.plotly_chart(zipf_figure(stats.zipf_ranks, stats.zipf_counts), key="zipf")
    right.plotly_chart(top_words_figure(stats.top_words), key="top_words")


def _corpus_facts(corpus: PreparedCorpus) -> list[str]:
    """The statistics caption's parts (each one a sentence of its own, so each translates whole)."""
    stats = corpus.stats
    lowered = corpus.lowercase and corpus.tokenizer != "ids"
    facts = [(_("Encoding {encoding} · tokeniser {tokenizer}, lower-cased") if lowered
              else _("Encoding {encoding} · tokeniser {tokenizer}")).format(encoding=md(corpus.encoding),
                                                                         tokenizer=md(tokenizer_name(corpus.tokenizer)))]
    if stats is not None and stats.empty_lines:
        facts.append(_("{n} empty lines skipped").format(n=format_number(stats.empty_lines)))
    if stats is not None and stats.wrapped_lines:
        facts.append(_("{n} long lines wrapped at {limit} tokens").format(n=format_number(stats.wrapped_lines),
                                                                         limit=format_number(1000)))
    if stats is not None and stats.replaced_characters:
        facts.append(_("⚠️ {n} undecodable characters replaced").format(n=format_number(stats.replaced_characters)))
    return facts


def render_delete(state: AppState, corpus: PreparedCorpus) -> None:
    with st.expander(_("Delete this corpus")):
        st.write(_("Models trained on it are kept."))
        if st.button(_("Delete corpus"), key="delete_corpus"):
            state.workspace.delete_corpus(corpus.corpus_id)
            state.active_corpus_id = None
            st.rerun()
