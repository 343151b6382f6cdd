"""The Analogies page's sections: examples, the expression box, both methods side by side, the plot.

The maths lives in ``embedlab.analogy``, the figures in ``embedlab.viz.analogy``.
Durable choices (expression, k, the exclusion toggle) live in ``state.widget_values`` (durable widgets)
under ``analogy_*`` keys so they survive page switches.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from embedlab import analogy
from embedlab.analogy import AnalogyResult, folded_note
from embedlab.subword import composed_note
from embedlab.errors import UnknownWordError
from embedlab.i18n import N_, _
from embedlab.textsafe import md
from embedlab.ui.evidence_view import corpus_pills
from embedlab.ui.feedback import user_errors
from embedlab.ui.state import AppState
from embedlab.ui.widgets import durable, keep, set_value
from embedlab.vectors import WordVectors
from embedlab.viz.analogy import answer_bars, parallelogram_figure

#: one-click examples planted in the shipped samples (sample_data/README.md); shown only when the model knows
#: every word: (label, expression)
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("king − man + woman", "king - man + woman"),
    ("berlin − germany + france", "berlin - germany + france"),
    ("man : king :: woman : ?", "man : king :: woman : ?"),
    ("cats − cat + dog", "cats - cat + dog"),
    ("went − go + walk", "went - go + walk"),
    ("mice − mouse + child", "mice - mouse + child"),
    ("国王 − 男人 + 女人", "国王 - 男人 + 女人"),
    ("柏林 − 德国 + 法国", "柏林 - 德国 + 法国"),
    ("男人 : 国王 :: 女人 : ?", "男人 : 国王 :: 女人 : ?"),
)
METHODS = ("3cosadd", "3cosmul")
MAX_K = 50
EXPRESSION_KEY, K_KEY, EXCLUDE_KEY = "analogy_expression", "analogy_k", "analogy_exclude"
#: the answer tables' columns (``AnalogyResult.table``'s names) as the reader sees them
TABLE_COLUMNS = {"analogy": N_("analogy"), "method": N_("method"), "rank": N_("rank"), "word": N_("word"),
                 "score": N_("score"), "cosine to target": N_("cosine to target"), "input word": N_("input word")}


def _headers(table: pd.DataFrame) -> pd.DataFrame:
    return table.rename(columns={name: _(label) for name, label in TABLE_COLUMNS.items()})


def available_examples(vectors: WordVectors) -> list[tuple[str, str]]:
    """The examples whose every word this model knows (the others would only show an error)."""
    shown = []
    for label, expression in EXAMPLES:
        positive, negative = analogy.parse_expression(expression)
        if all(w in vectors.index for w in positive + negative):
            shown.append((label, expression))
    return shown


def default_expression(vectors: WordVectors) -> str:
    examples = available_examples(vectors)
    return examples[0][1] if examples else ""


def render_controls(state: AppState, vectors: WordVectors) -> tuple[str, int, bool]:
    """Examples, the expression box, k and the exclusion toggle; returns (expression, k, exclude)."""
    examples = available_examples(vectors)
    if examples:
        st.caption(_("Try one:"))
        cols = st.columns(min(len(examples), 5))
        for i, (label, expression) in enumerate(examples):
            cols[i % len(cols)].button(label, key=f"analogy_example_{i}",
                                       on_click=set_value(state, EXPRESSION_KEY, expression))
    expression_key = durable(state, EXPRESSION_KEY, default_expression(vectors))
    k_key = durable(state, K_KEY, 10)
    exclude_key = durable(state, EXCLUDE_KEY, True)
    cols = st.columns([4, 2, 2])
    cols[0].text_input(_("Analogy"), key=expression_key, on_change=keep(state, expression_key),
                       placeholder=_("king - man + woman   or   man : king :: woman : ?"),
                       help=_("Add and subtract words with + and − (any number of them), or write the proportion "
                              "a : b :: c : ? (a is to b as c is to ?), which means b − a + c."))
    cols[1].slider(_("Answers (k)"), 1, MAX_K, key=k_key, on_change=keep(state, k_key))
    cols[2].toggle(_("Exclude input words"), key=exclude_key, on_change=keep(state, exclude_key),
                   help=_("The standard practice (and gensim's): the words you typed cannot be answers. "
                          "Turn it off to see where they rank; often an input word comes first."))
    return str(st.session_state[expression_key]), int(st.session_state[k_key]), bool(st.session_state[exclude_key])


def solve_both(vectors: WordVectors, expression: str, k: int, exclude: bool) -> list[AnalogyResult]:
    """The analogy under 3CosAdd and 3CosMul (parse errors and unknown words raise for the page to show)."""
    positive, negative = analogy.parse_expression(expression, vectors.index)
    return [analogy.solve(vectors, positive, negative, method, k, exclude) for method in METHODS]


def render_results(state: AppState, vectors: WordVectors, expression: str, k: int, exclude: bool) -> None:
    """Both methods side by side, notes on composed or folded words, the plot and the CSV."""
    if not expression.strip():
        st.info(_("Type an analogy, or click an example above."), icon="💡")
        return
    with user_errors():
        try:
            results = solve_both(vectors, expression, k, exclude)
        except UnknownWordError as error:
            st.error(md(error), icon="⚠️")
            for j, suggestion in enumerate(error.suggestions[:5]):
                st.button(_("Use “{word}”").format(word=md(suggestion)), key=f"analogy_suggest_{j}",
                          on_click=set_value(state, EXPRESSION_KEY, replace_word(expression, error.word, suggestion)))
            return
        first = results[0]
        st.markdown(f"**{md(first.expression)}** = ?")
        for word, ngrams in first.composed.items():
            st.info(str(composed_note(word, ngrams, escape=md)), icon="🧩")
        for word, found in first.folded.items():
            st.caption(str(folded_note(word, found, escape=md)))
        st.caption(_("Both methods use **cosine similarity** of unit vectors. 3CosAdd ranks words by cosine to "
                     "the sum b − a + c; 3CosMul (Levy & Goldberg 2014) multiplies each word's similarities to the "
                     "added words and divides by its similarities to the subtracted ones, so no single term "
                     "dominates.") + " "
                   + (_("The input words are excluded from the answers.") if exclude else
                      _("Input words are **not** excluded: they compete with the answers (hatched grey bars).")))
        columns = st.columns(2)
        for col, result in zip(columns, results):
            with col:
                render_method(result)
        render_plot(vectors, first)
        st.download_button(_("Download both answer lists (CSV)"), data=lambda: results_csv(results),
                           file_name="analogy.csv", mime="text/csv", on_click="ignore", key="analogy_csv")


def replace_word(expression: str, word: str, replacement: str) -> str:
    """``expression`` with the whole word ``word`` (not parts of other words) replaced."""
    edge = r"\s+:" + re.escape(analogy.PLUS_SIGNS + analogy.MINUS_SIGNS)
    return re.sub(rf"(?<![^{edge}]){re.escape(word)}(?![^{edge}])", lambda _: replacement, expression)


def render_method(result: AnalogyResult) -> None:
    st.plotly_chart(answer_bars(result), key=f"analogy_chart_{result.method}")
    if not result.exclude_inputs and result.input_ranks:
        st.caption(_("Where the inputs rank: {ranks}").format(
            ranks=", ".join(f"**{md(w)}** #{r}" for w, r in result.input_ranks.items())))
    table = pd.DataFrame(result.table()).drop(columns=["method"])
    if result.method == "3cosadd":
        table = table.drop(columns=["cosine to target"])  # the same as the score
    if result.exclude_inputs:
        table = table.drop(columns=["input word"])  # never true
    st.dataframe(_headers(table), hide_index=True, key=f"analogy_table_{result.method}",
                 height=min(38 + 35 * len(table), 420))
    corpus_pills([a.word for a in result.answers[:5]], key=f"analogy_corpus_{result.method}")


def render_plot(vectors: WordVectors, result: AnalogyResult) -> None:
    plot = analogy.parallelogram(vectors, result)
    st.plotly_chart(parallelogram_figure(plot, _("{expression}: inputs, answers and offsets (PCA of these {n} "
                                                 "points)").format(expression=result.expression, n=len(plot.words))),
                    key="analogy_plot")
    st.caption(_("The arrows are offset vectors: from each subtracted word to the first added word (the relation), "
                 "and from the other added word to the best 3CosAdd answer. In a clean analogy they are parallel and "
                 "of equal length. The × is the sum itself; the projection keeps only these points' two main "
                 "directions, so distances are approximate."))


def results_csv(results: list[AnalogyResult]) -> str:
    rows = [{"analogy": r.expression, **row} for r in results for row in r.table()]
    return _headers(pd.DataFrame(rows)).to_csv(index=False)
