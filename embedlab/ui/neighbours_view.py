"""The Neighbours page's sections: query words with bar charts and tables, and batch mode with a CSV.

The search is ``embedlab.search`` (one shared index per model, see
``embedlab.ui.widgets.neighbour_index``), the figure ``embedlab.viz.neighbours``.
Durable choices (the query, k, the mode, the batch list) live in ``state.neighbours`` and the durable widget values
under ``neighbours_*`` keys so they survive page switches.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embedlab import search
from embedlab.categories import TITLE, Categories
from embedlab.errors import UnknownWordError
from embedlab.i18n import N_, _, format_number, ngettext
from embedlab.textsafe import md
from embedlab.progress import CancelToken, ProgressFn
from embedlab.search import NeighbourIndex
from embedlab.subword import composed_note
from embedlab.ui import evidence_view, jobs
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import job_progress
from embedlab.ui.state import AppState
from embedlab.ui.widgets import durable, keep, neighbour_index, set_value
from embedlab.vectors import WordVectors
from embedlab.workspace import ModelRecord
from embedlab.viz.neighbours import neighbour_bars

#: query words drawn at once in interactive mode (each gets a chart and a table)
MAX_QUERY_WORDS = 8
MAX_K = 100
QUERY_KEY = "neighbours_query"
BUILD_JOB = "search-index"
#: words tried, in order, as the first query on a fresh page
DEFAULT_WORDS = ("king", "queen", "paris", "good", "国王", "北京")
MODE_LABELS = {"words": N_("A few words"), "batch": N_("Batch: a list of words → CSV")}
#: the batch table's columns (``search.neighbour_table``'s names) as the reader sees them
BATCH_COLUMNS = {"query": N_("query"), "rank": N_("rank"), "neighbour": N_("neighbour"), "similarity": N_("similarity")}


def default_query(vectors: WordVectors) -> str:
    for word in DEFAULT_WORDS:
        if word in vectors.index:
            return word
    return vectors.words[min(20, len(vectors) - 1)] if len(vectors) else ""


def split_query(text: str) -> list[str]:
    """The words typed in the query box (spaces or commas between them), repeats dropped."""
    return list(dict.fromkeys(w for w in text.replace(",", " ").replace("，", " ").split() if w))


def knows(vectors: WordVectors, word: str) -> bool:
    """Whether the model's vocabulary has ``word`` (as typed, or lower-cased as the query box reads it)."""
    return word in vectors.index or word.lower() in vectors.index


def follow_model(state: AppState, vectors: WordVectors) -> None:
    """When the active model changed, drop a query the new model knows none of the words of.

    The query box is durable across pages, so after a switch from a text model to an item model
    it would still ask for 'king': the page starts from the new model's default query instead,
    as on a first visit. A query with a word the new model knows is kept as typed.
    """
    if state.neighbours.query_model == vectors.fingerprint:
        return
    if state.neighbours.query_model is not None:
        typed = st.session_state.get(QUERY_KEY, state.widget_values.get(QUERY_KEY))
        if typed is not None and not any(knows(vectors, word) for word in split_query(str(typed))):
            state.widget_values.pop(QUERY_KEY, None)
            st.session_state.pop(QUERY_KEY, None)
    state.neighbours.query_model = vectors.fingerprint


def active_index(state: AppState, vectors: WordVectors) -> NeighbourIndex:
    """The model's index; a large model's approximate index is built in a background job (exact meanwhile)."""
    from embedlab.ui.index_lab_view import chosen_index

    # an index picked on the Index lab page (saved with the model) serves this model's queries, in every session
    chosen = chosen_index(state.workspace, state.active_model_id, vectors)
    if chosen is not None:
        return chosen
    index = neighbour_index(vectors)
    if index.ready:
        return index
    running = [job for job in jobs.session_jobs(state) if job.active and job.kind == BUILD_JOB]
    if not running:
        def work(progress: ProgressFn, cancel: CancelToken) -> None:
            progress(0, 1, _("Indexing {n} words").format(n=format_number(len(vectors))))
            index.build(progress, cancel)

        running = [jobs.submit(state, _("Building the search index of {n} words").format(n=format_number(len(vectors))),
                               work, kind=BUILD_JOB)]
    st.info(_("Building the fast approximate index for this large vocabulary in the background; "
              "answers are exact (slower) until it is ready."), icon="⏳")
    job_progress(running[0])  # the bar follows the build and redraws the page (with its recall) when it ends
    # exact answers meanwhile, without the int8 screening copy: a quarter of the matrix beside the index being built
    # (and made again on every run of the page) would push the server past twice the matrix's memory
    return NeighbourIndex(vectors, approximate=False, screen=False)


def describe(index: NeighbourIndex) -> str:
    """What the similarity is and how it was searched, for the caption under the controls."""
    if not index.approximate:
        how = _("exact: every word is compared")
    elif index.recall is not None:
        recall = index.recall
        how = _("{method}: very fast, may miss a rare true neighbour; its recall@{k} = {value} against exact search, "
                "measured on {n} random words of the vocabulary (1 = finds every true neighbour)").format(
            method=index.shown_method, k=recall.k, value=format_number(recall.value, 3), n=format_number(recall.sample))
    else:  # an index chosen in the index lab: its recall is in the lab's table
        how = _("{method}: very fast, may miss a rare true neighbour").format(method=index.shown_method)
    return _("Similarity is **cosine similarity** between word vectors (1: same direction, 0: unrelated, "
             "−1: opposite). Search over all {n} words, {how}.").format(n=format_number(len(index)), how=how)


def render_controls(state: AppState, vectors: WordVectors) -> str:
    """Mode switch; returns 'words' or 'batch'."""
    mode_key = durable(state, "neighbours_mode", "words")
    st.radio(_("Mode"), ["words", "batch"], key=mode_key, on_change=keep(state, mode_key), horizontal=True,
             format_func=lambda mode: _(MODE_LABELS[mode]))
    return str(st.session_state[mode_key])


def render_words(state: AppState, vectors: WordVectors, index: NeighbourIndex,
                 categories: Categories | None = None) -> None:
    """One or more query words: a bar chart and a table each (with item titles and categories when known)."""
    cols = st.columns([3, 2])
    follow_model(state, vectors)
    query_key = durable(state, QUERY_KEY, default_query(vectors))
    k_key = durable(state, "neighbours_k", 10)
    cols[0].text_input(_("Query words"), key=query_key, on_change=keep(state, query_key),
                       help=_("One or more words separated by spaces or commas (up to {n}).").format(n=MAX_QUERY_WORDS))
    cols[1].slider(_("Neighbours (k)"), 1, MAX_K, key=k_key, on_change=keep(state, k_key))
    st.caption(describe(index))
    words = split_query(str(st.session_state[query_key]))
    k = int(st.session_state[k_key])
    if not words:
        st.info(_("Type a word to see its nearest neighbours."), icon="💡")
        return
    if len(words) > MAX_QUERY_WORDS:
        st.warning(_("Showing the first {shown} of {n} words; use batch mode for more.").format(
            shown=MAX_QUERY_WORDS, n=len(words)))
        words = words[:MAX_QUERY_WORDS]
    columns = st.columns(min(len(words), 2))
    for i, word in enumerate(words):
        with columns[i % len(columns)]:
            render_one(state, vectors, index, word, k, i, words, categories)


def render_one(state: AppState, vectors: WordVectors, index: NeighbourIndex, word: str, k: int, slot: int,
               words: list[str], categories: Categories | None = None) -> None:
    """One query word's neighbours; unknown words explained, with their closest spellings to click."""
    with user_errors():
        if word not in vectors.index and word.lower() in vectors.index:
            # 'King' in a lower-cased model means 'king', as on the Analogies page (before FastText composes 'King')
            st.caption(_("Showing “{word}”: the model's vocabulary is lower-cased.").format(word=md(word.lower())))
            word = word.lower()
        try:
            neighbours = index.query(word, k)
        except UnknownWordError as error:
            st.error(md(error), icon="⚠️")
            by_title = categories.find_by_title(word, vectors.index) if categories is not None else []
            if by_title:
                st.caption(_("Items whose title contains “{word}”:").format(word=md(word)))
            suggestions = by_title or error.suggestions[:5]  # a product name typed for its ID: offer the items
            for j, suggestion in enumerate(suggestions):
                replaced = " ".join(suggestion if w == word else w for w in words)
                title = categories.titles.get(suggestion) if by_title and categories is not None else None
                st.button(_("Use “{word}”").format(word=md(suggestion)) + (f" · {md(title)}" if title else ""),
                          key=f"neighbours_suggest_{slot}_{j}",
                          on_click=set_value(state, QUERY_KEY, replaced))
            return
        note = ""
        if (ngrams := vectors.composed_ngrams(word)) is not None:
            note = _("composed from character n-grams")
            st.info(str(composed_note(word, ngrams, escape=md)), icon="🧩")
        if categories is not None and (what := categories.describe(word)):
            st.caption(what)
        found = [n.word for n in neighbours]
        about = categories.annotations(found) if categories is not None else {}
        st.plotly_chart(neighbour_bars(word, neighbours, note, about.get(TITLE)), key=f"neighbours_chart_{slot}")
        table = pd.DataFrame({_("rank"): [n.rank for n in neighbours], _("word"): found, **item_columns(about),
                              _("cosine similarity"): [round(n.similarity, 4) for n in neighbours]})
        st.dataframe(table, hide_index=True, key=f"neighbours_table_{slot}", height=min(38 + 35 * len(neighbours), 420))
        evidence_view.why_picker(state, word, found, key=f"neighbours_why_{slot}")


def item_columns(about: dict[str, list[str]]) -> dict[str, list[str]]:
    """An item table's annotation columns under their shown headers: our title column's in the reader's
    language, the category column's as the user's CSV names it (data, never looked up in a catalogue)."""
    return {(_("title") if name == TITLE else name): values for name, values in about.items()}


@st.cache_data(max_entries=8, show_spinner=False)
def _batch(fingerprint: str, words: tuple[str, ...], k: int, _index: NeighbourIndex) -> search.NeighbourTable:
    return search.neighbour_table(_index, list(words), k)


def render_batch(state: AppState, vectors: WordVectors, index: NeighbourIndex,
                 categories: Categories | None = None) -> None:
    """Paste a list, get every word's neighbours in one table (titles and categories when known), download it as CSV."""
    st.caption(describe(index))
    with st.form("neighbours_batch_form"):
        text = st.text_area(_("Words"), value=state.neighbours.batch_text, height=160,
                            key="neighbours_batch_text_input",
                            help=_("One word per line, or separated by spaces or commas; up to {n} words.").format(
                                n=format_number(search.MAX_BATCH_WORDS)))
        k = st.slider(_("Neighbours per word (k)"), 1, MAX_K, value=state.neighbours.batch_k,
                      key="neighbours_batch_k_input")
        submitted = st.form_submit_button(_("Find neighbours"), type="primary")
    if submitted:
        with user_errors():
            state.neighbours.batch_words = search.parse_word_list(text)
            state.neighbours.batch_text = text
            state.neighbours.batch_k = int(k)
    words = state.neighbours.batch_words
    if not words:
        st.info(_("Paste some words and press *Find neighbours*."), icon="💡")
        return
    k = state.neighbours.batch_k
    with user_errors():
        with st.spinner(_("Searching…")):
            result = _batch(vectors.fingerprint + f"|{index.method}", tuple(words), k, index)
        answered = result.table["query"].nunique() if len(result.table) else 0
        cols = st.columns(3)
        cols[0].metric(_("Words answered"), _("{answered} of {n}").format(answered=format_number(answered),
                                                                         n=format_number(len(words))))
        cols[1].metric(_("Rows"), format_number(len(result.table)))
        cols[2].metric(_("Composed (FastText)"), format_number(len(result.composed)))
        if result.unknown:
            shown = _("; ").join(_("{word} (maybe {suggestions})").format(word=md(w), suggestions=md(", ".join(s[:3])))
                                 if s else md(w) for w, s in list(result.unknown.items())[:20])
            more = _(" and {n} more").format(n=len(result.unknown) - 20) if len(result.unknown) > 20 else ""
            st.warning(ngettext("{n} word is not in this model's vocabulary and was skipped: {words}{more}.",
                                "{n} words are not in this model's vocabulary and were skipped: {words}{more}.",
                                len(result.unknown)).format(n=len(result.unknown), words=shown, more=more),
                       icon="⚠️")
        if result.composed:
            st.caption(_("Composed from character n-grams (not in the vocabulary): {words}").format(
                words=md(", ".join(result.composed[:30]))))
        if len(result.table):
            table = result.table
            if categories is not None:
                extra = item_columns(categories.annotations([str(w) for w in table["neighbour"]]))
                table = table.assign(**{_("neighbour {column}").format(column=name): values
                                        for name, values in extra.items()})
            table = table.rename(columns={name: _(label) for name, label in BATCH_COLUMNS.items()})
            st.dataframe(table, hide_index=True, key="neighbours_batch_table", height=420)
            st.download_button(_("Download all neighbour lists (CSV)"), data=lambda: table.to_csv(index=False),
                               file_name=f"neighbours-k{k}.csv",
                               mime="text/csv", on_click="ignore", key="neighbours_batch_csv")


def render_fasttext_note(record: ModelRecord) -> None:
    """Why a CBOW FastText model's neighbours look alike in spelling, and what to try instead."""
    params = record.manifest.params or {}
    if record.algorithm == "fasttext" and params.get("architecture", "cbow") == "cbow":
        st.caption("ℹ️ " + _("This FastText model uses CBOW (the default). CBOW averages the context and adds each "
                             "word's character n-grams, so words that share spelling (king, kings, kingdom) get close "
                             "vectors and neighbours follow spelling more than meaning. Skip-gram (Train page → "
                             "Architecture) predicts each context word from the word and its n-grams, and its "
                             "neighbours follow meaning more."))
