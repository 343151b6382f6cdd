"""Corpus evidence in the app: the Concordance page, "why are they close?" panels, and links to the corpus.

The maths is ``embedlab.concordance`` and ``embedlab.shared_contexts``; the store
(``Workspace.concordance_index``) decides where an index lives and builds it on
first use; ``embedlab.evidence`` finds a model's corpus and recounts a GloVe
model's co-occurrences. This module only draws.

The page's durable choices live in one small typed object of its own
(``EvidenceState`` under ``EVIDENCE_KEY``). Other pages link here with
``corpus_link`` (``st.page_link`` with the word as a query parameter, so the URL
can be shared), and show the why-panel inline with ``why_picker``.

Every word shown is data: Markdown-escaped (``_md``) wherever Streamlit renders
Markdown, and otherwise shown in data frames, which render plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd
import streamlit as st

from embedlab import shared_contexts as sc
from embedlab.concordance import SORTS, ConcordanceIndex, format_line, joiner_for
from embedlab.corpus import PreparedCorpus
from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, _, format_number, format_percent, ngettext
from embedlab.evidence import GloveMatrix, NoCorpusError, glove_matrix, model_corpus
from embedlab.samples import shown_corpus_name
from embedlab.textsafe import md as _md
from embedlab.ui.corpus_view import tokenizer_name
from embedlab.ui.feedback import user_errors
from embedlab.ui.state import AppState

PAGE = "pages/9_Concordance.py"
CORPUS_PAGE = "pages/1_Corpus.py"
EVIDENCE_KEY = "embedlab_evidence"
PER_PAGE = (20, 50, 100)
#: shared contexts listed in a why-panel (the page) and in a compact one (beside a table or the map)
WHY_ROWS = 20
WHY_ROWS_COMPACT = 8
SORT_LABELS = {"corpus": N_("corpus order"), "right": N_("right context"), "left": N_("left context")}
RANKING_LABELS = {"pmi": "PMI", "count": N_("co-occurrence count")}


@dataclass
class EvidenceState:
    """What the Concordance page shows, kept across page switches (widgets seed from it)."""

    corpus_id: str | None = None
    word: str = ""
    sort: str = "corpus"
    width: int = 8
    per_page: int = 20
    offset: int = 0
    why_a: str = ""
    why_b: str = ""
    window: int = sc.DEFAULT_WINDOW
    ranking: str = "pmi"


def evidence_state() -> EvidenceState:
    state = st.session_state.get(EVIDENCE_KEY)
    if not isinstance(state, EvidenceState):
        state = EvidenceState()
        st.session_state[EVIDENCE_KEY] = state
    return state


# -- cached resources ------------------------------------------------------------------------------------

@st.cache_resource(max_entries=4, show_spinner=False)
def _index(root: str, corpus_id: str, fingerprint: str) -> ConcordanceIndex:
    # keyed on the corpus fingerprint; the index is memory-mapped, immutable and safe to share
    from embedlab.workspace import Workspace

    workspace = Workspace(root)
    return workspace.concordance_index(workspace.load_corpus(corpus_id))


def corpus_index(state: AppState, corpus: PreparedCorpus) -> ConcordanceIndex:
    """The corpus's concordance index (built on first use), shared by every session."""
    # the spinners are drawn here, not by the cached functions (their text would be fixed at import, in English)
    with st.spinner(_("Indexing the corpus for the concordance (once)…")):
        return _index(str(state.workspace.root), corpus.corpus_id, corpus.fingerprint)


@st.cache_data(max_entries=32, show_spinner=False)
def _shared(fingerprint: str, a: str, b: str, window: int, ranking: str, n: int,
            _index: ConcordanceIndex) -> sc.SharedContexts:
    return sc.shared_contexts(_index, a, b, window=window, ranking=ranking, n=n)


@st.cache_resource(max_entries=1, show_spinner=False)
def _glove(root: str, model_id: str, fingerprint: str) -> GloveMatrix:
    # one matrix at a time: on the text8 head it holds tens of MB
    from embedlab.workspace import Workspace

    return glove_matrix(Workspace(root), model_id)


def active_model_corpus(state: AppState) -> PreparedCorpus | None:
    """The active model's training corpus, or None (imported vectors, deleted corpus, no model)."""
    if state.active_model_id is None:
        return None
    try:
        return model_corpus(state.workspace, state.active_model_id)
    except (NoCorpusError, EmbedlabError):
        return None


# -- links from other pages --------------------------------------------------------------------------------

def corpus_link(word: str, other: str | None = None, label: str | None = None) -> None:
    """A link to the Concordance page for ``word`` (and, with ``other``, why the two are close)."""
    params = {"word": word} if other is None else {"word": word, "why": other}
    text = label or (_("See “{word}” in the corpus").format(word=_md(word)) if other is None
                     else _("Why are “{a}” and “{b}” close?").format(a=_md(word), b=_md(other)))
    st.page_link(PAGE, label=text, icon="📜", query_params=params)


def why_picker(state: AppState, word: str, neighbours: Sequence[str], key: str, compact: bool = False) -> None:
    """Under a neighbour list: pick a neighbour to see why it is close to ``word``, from the model's corpus."""
    corpus = active_model_corpus(state)
    if corpus is None:
        st.caption(_("No corpus evidence: this model's training corpus is not in the workspace (imported vectors?)."))
        return
    options = [n for n in neighbours if n != word]
    if not options:
        return
    choice = st.pills(_("Why is it close? Pick a neighbour"), options, key=key, selection_mode="single",
                      format_func=_md, help=_("The context words the two share in the training corpus, ranked by PMI."))
    corpus_link(word)
    if choice:
        with user_errors():
            index = corpus_index(state, corpus)
            render_why(state, index, corpus, word, choice, compact=compact, key=f"{key}_why")


def corpus_pills(words: Sequence[str], key: str, label: str = N_("See in the corpus")) -> None:
    """Words as pills; picking one opens the Concordance page on it (the word goes as a query parameter)."""
    options = list(dict.fromkeys(w for w in words if w))
    if not options:
        return
    choice = st.pills(_(label), options, key=key, selection_mode="single", format_func=_md,
                      help=_("The lines of the corpus where the word occurs (keyword in context)."))
    if choice:
        st.switch_page(PAGE, query_params={"word": choice})


# -- the why-panel ---------------------------------------------------------------------------------------------

def why_table(result: sc.SharedContexts) -> pd.DataFrame:
    """The shared contexts as a display table (column names name the two words)."""
    a, b = result.word_a, result.word_b
    near, pmi = _("near {word}"), _("PMI {word}")
    return pd.DataFrame({
        _("context"): result.table["context"],
        near.format(word=a): result.table["with_a"], near.format(word=b): result.table["with_b"],
        pmi.format(word=a): result.table["pmi_a"], pmi.format(word=b): result.table["pmi_b"],
        _("corpus count"): result.table["count"],
    })


def render_why(state: AppState, index: ConcordanceIndex, corpus: PreparedCorpus, word_a: str, word_b: str,
               window: int = sc.DEFAULT_WINDOW, ranking: str = "pmi", compact: bool = False,
               key: str = "why") -> sc.SharedContexts:
    """Why two words are close: the contexts they share, with counts and PMI for each (and GloVe's entries)."""
    n = WHY_ROWS_COMPACT if compact else WHY_ROWS
    a, b = index.resolve(word_a), index.resolve(word_b)
    with st.spinner(_("Counting contexts…")):
        result = _shared(index.fingerprint or corpus.fingerprint, a, b, window, ranking, n, index)
    st.markdown("**" + _("Why are “{a}” and “{b}” close?").format(a=_md(a), b=_md(b)) + "** "
                + _md(sc.describe(result)))
    table = why_table(result)
    if compact:
        table = table.iloc[:, :3]
    if len(table):
        st.dataframe(table, hide_index=True, key=f"{key}_table", height=38 + 35 * len(table))
        st.caption(_("“near …”: times the context word occurs within {span} tokens of each word in "
                     "{name}; PMI: log₂ of how many times more often than chance (for both words the "
                     "ranking takes the smaller).").format(span=window, name=_md(shown_corpus_name(corpus.name))))
    if not compact:
        corpus_link(b)
        render_glove(state, a, b, key)
    return result


def render_glove(state: AppState, a: str, b: str, key: str) -> None:
    """For a GloVe model trained on this corpus: its co-occurrence entries X for the two words."""
    model_id = state.active_model_id
    if model_id is None:
        return
    manifest = state.workspace.manifest(model_id)
    if manifest.algorithm != "glove":
        return
    window = manifest.params.get("window")
    show = st.toggle(_("Show GloVe's own co-occurrence entries"), key=f"{key}_glove",
                     help=_("The model was fitted to log X, where X counts pairs within {span} words weighted "
                            "1/distance. Recounting them takes about a second per million tokens.").format(span=window))
    if not show:
        return
    with user_errors():
        with st.spinner(_("Recounting GloVe's co-occurrences with the model's settings…")):
            matrix = _glove(str(state.workspace.root), model_id, manifest.fingerprint)
        entries = matrix.entries(a, b, WHY_ROWS)
        st.markdown(_("GloVe's X[“{a}”, “{b}”] = **{x}**; {n} columns where both rows are non-zero (of {n_a} and "
                      "{n_b}).").format(a=_md(a), b=_md(b), x=format_number(entries.x_ab, 2),
                                        n=format_number(entries.n_shared), n_a=format_number(entries.nonzeros_a),
                                        n_b=format_number(entries.nonzeros_b)))
        st.dataframe(entries.table.rename(columns={"context": _("context"), "x_a": f"X {a}", "x_b": f"X {b}",
                                                   "log_x_a": f"log X {a}", "log_x_b": f"log X {b}"}),
                     hide_index=True, key=f"{key}_glove_table")


# -- the Concordance page --------------------------------------------------------------------------------------

def _corpus_choice(state: AppState, evidence: EvidenceState) -> PreparedCorpus | None:
    corpora = {c.corpus_id: c for c in state.workspace.list_corpora()}
    if not corpora:
        st.info(_("There is no corpus yet. Prepare one on the Corpus page (the built-in samples take seconds)."),
                icon="💡")
        st.page_link(CORPUS_PAGE, label=_("Corpus"), icon="📚")
        return None
    if evidence.corpus_id not in corpora:
        own = active_model_corpus(state)
        evidence.corpus_id = (own.corpus_id if own is not None and own.corpus_id in corpora else
                              state.active_corpus_id if state.active_corpus_id in corpora else next(iter(corpora)))
    ids = list(corpora)
    key = "concordance_corpus"
    st.session_state[key] = evidence.corpus_id

    def changed() -> None:
        evidence.corpus_id = st.session_state[key]
        evidence.offset = 0

    st.selectbox(_("Corpus"), ids, key=key, on_change=changed,
                 format_func=lambda i: _("{name} ({n} tokens, {tokenizer})").format(
                     name=shown_corpus_name(corpora[i].name), n=format_number(corpora[i].n_tokens),
                     tokenizer=tokenizer_name(corpora[i].tokenizer)),
                 help=_("The active model's training corpus is chosen when you arrive; any prepared corpus works."))
    return corpora[evidence.corpus_id]


def _take_query_params(evidence: EvidenceState) -> None:
    """A link from another page (``?word=…&why=…``) sets the word, and the pair to explain."""
    word = st.query_params.get("word")
    if word and word != evidence.word:
        evidence.word, evidence.offset = word, 0
        st.session_state.pop("concordance_word", None)
    other = st.query_params.get("why")
    if word and other and (word, other) != (evidence.why_a, evidence.why_b):
        evidence.why_a, evidence.why_b = word, other
        for stale in ("concordance_why_a", "concordance_why_b"):
            st.session_state.pop(stale, None)


def _seeded(key: str, value: object) -> str:
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def render_page(state: AppState) -> None:
    """The Concordance page: a corpus, a word, its lines in context; then why two words are close."""
    evidence = evidence_state()
    _take_query_params(evidence)
    corpus = _corpus_choice(state, evidence)
    if corpus is None:
        return
    index = corpus_index(state, corpus)
    titles = [_("Concordance"), _("Why are they close?")]
    # a link that asks why two words are close opens on that tab
    concordance_tab, why_tab = st.tabs(titles, default=titles[1] if st.query_params.get("why") else None)
    with concordance_tab:
        render_concordance(evidence, corpus, index)
    with why_tab:
        render_why_section(state, evidence, corpus, index)


def render_concordance(evidence: EvidenceState, corpus: PreparedCorpus, index: ConcordanceIndex) -> None:
    cols = st.columns([3, 3, 2, 2])
    word_key = _seeded("concordance_word", evidence.word)

    def word_changed() -> None:
        evidence.word, evidence.offset = st.session_state[word_key].strip(), 0
        st.query_params["word"] = evidence.word  # the address names the word: shareable, and a reload keeps it

    cols[0].text_input(_("Word or item ID"), key=word_key, on_change=word_changed,
                       placeholder=_("e.g. queen"), help=_("Every line of the corpus where it occurs, with its context."))
    sort_key = _seeded("concordance_sort", evidence.sort)

    def sort_changed() -> None:
        evidence.sort, evidence.offset = st.session_state[sort_key], 0

    cols[1].radio(_("Sort lines by"), list(SORTS), key=sort_key, on_change=sort_changed, horizontal=True,
                  format_func=lambda sort: _(SORT_LABELS[sort]),
                  help=_("Right: by the word after it, then the next. Left: by the word before it, then the one "
                         "before that. Sorting groups the phrases a word occurs in."))
    width_key = _seeded("concordance_width", evidence.width)
    cols[2].slider(_("Context (tokens each side)"), 2, 20, key=width_key,
                   on_change=lambda: setattr(evidence, "width", int(st.session_state[width_key])))
    per_key = _seeded("concordance_per_page", evidence.per_page)

    def per_page_changed() -> None:
        evidence.per_page, evidence.offset = int(st.session_state[per_key]), 0

    cols[3].selectbox(_("Lines per page"), PER_PAGE, key=per_key, on_change=per_page_changed)
    if not evidence.word:
        st.info(_("Type a word to see the lines it occurs in."), icon="💡")
        return
    with user_errors():
        page = index.search(evidence.word, sort=evidence.sort, offset=evidence.offset, limit=evidence.per_page,
                            width=evidence.width)
        if page.total and evidence.offset >= page.total:  # the corpus changed under a remembered page
            evidence.offset = 0
            page = index.search(evidence.word, sort=evidence.sort, limit=evidence.per_page, width=evidence.width)
        render_page_of_lines(evidence, corpus, page)


def render_page_of_lines(evidence: EvidenceState, corpus: PreparedCorpus, page) -> None:
    joiner = joiner_for(corpus.tokenizer)
    metrics = st.columns(4)
    metrics[0].metric(_("Occurrences"), format_number(page.total))
    metrics[1].metric(_("Lines"), format_number(page.n_lines))
    metrics[2].metric(_("Per million tokens"), format_number(page.total * 1e6 / max(corpus.n_tokens, 1), 1))
    first = page.offset + 1
    last = page.offset + len(page.lines)
    metrics[3].metric(_("Showing"), f"{format_number(first)}–{format_number(last)}")
    left_title, word_title, right_title, line_title = _("left context"), _("word"), _("right context"), _("line")
    table = pd.DataFrame([format_line(line, joiner) + (line.line + 1,) for line in page.lines],
                         columns=[left_title, word_title, right_title, line_title])
    st.dataframe(table, hide_index=True, key="concordance_lines", width="stretch",
                 height=38 + 35 * max(len(table), 1),
                 column_config={left_title: st.column_config.TextColumn(alignment="right", width="large"),
                                word_title: st.column_config.TextColumn(width="small"),
                                right_title: st.column_config.TextColumn(width="large"),
                                line_title: st.column_config.NumberColumn(
                                    help=_("Line of the prepared corpus (1 = first)"), width="small")})
    back, forward, _rest = st.columns([1, 1, 4])
    if back.button(_("← Previous"), key="concordance_previous", disabled=page.offset == 0):
        evidence.offset = max(0, page.offset - evidence.per_page)
        st.rerun()
    if forward.button(_("Next →"), key="concordance_next", disabled=not page.has_more):
        evidence.offset = page.offset + evidence.per_page
        st.rerun()
    left, right = st.columns(2)
    for column, title, pairs in ((left, _("Commonest words just before"), page.left_words),
                                 (right, _("Commonest words just after"), page.right_words)):
        if pairs:
            column.dataframe(pd.DataFrame(pairs, columns=[title, _("count")]), hide_index=True,
                             key=f"concordance_{'left' if column is left else 'right'}_words")


def render_why_section(state: AppState, evidence: EvidenceState, corpus: PreparedCorpus,
                       index: ConcordanceIndex) -> None:
    cols = st.columns([2, 2, 1, 2])
    a_key = _seeded("concordance_why_a", evidence.why_a or evidence.word)
    b_key = _seeded("concordance_why_b", evidence.why_b)
    cols[0].text_input(_("First word"), key=a_key,
                       on_change=lambda: setattr(evidence, "why_a", st.session_state[a_key]))
    cols[1].text_input(_("Second word"), key=b_key,
                       on_change=lambda: setattr(evidence, "why_b", st.session_state[b_key]),
                       placeholder=_("e.g. a neighbour of the first"))
    window_key = _seeded("concordance_window", evidence.window)
    cols[2].number_input(_("Window"), 1, 20, key=window_key,
                         on_change=lambda: setattr(evidence, "window", int(st.session_state[window_key])),
                         help=_("A context word counts when it is at most this many tokens away, on either side."))
    ranking_key = _seeded("concordance_ranking", evidence.ranking)
    cols[3].radio(_("Rank shared contexts by"), list(sc.RANKINGS), key=ranking_key, horizontal=True,
                  on_change=lambda: setattr(evidence, "ranking", st.session_state[ranking_key]),
                  format_func=lambda ranking: _(RANKING_LABELS[ranking]),
                  help=_("PMI favours contexts typical of both words; counts favour frequent ones (often 'the')."))
    a, b = str(st.session_state[a_key]).strip(), str(st.session_state[b_key]).strip()
    if not a or not b:
        st.info(_("Type two words (a word and one of its neighbours) to see the contexts they share."), icon="💡")
        return
    with user_errors():
        render_why(state, index, corpus, a, b, int(st.session_state[window_key]), str(st.session_state[ranking_key]),
                   key="concordance_why")
