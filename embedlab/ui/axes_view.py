"""The Semantic axes page: a map whose axes are directions the user writes (``he - she``, ``good - bad``).

The maths is ``embedlab.axes``, the figure ``embedlab.viz.axes``. The page's choices
live in one small typed object (``AxesState`` under ``AXES_KEY``) so they survive page
switches; widgets seed from it and write back when changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from embedlab import axes
from embedlab.i18n import N_, _, format_number
from embedlab.textsafe import md as _md
from embedlab.ui.feedback import user_errors
from embedlab.vectors import WordVectors
from embedlab.viz.axes import axes_map

AXES_KEY = "embedlab_axes"
MAX_FREQUENT = 2_000
SOURCE_LABELS = {"list": N_("these words"), "frequent": N_("the most frequent")}


@dataclass
class AxesState:
    x: str = ""
    y: str = ""
    source: str = "list"  # 'list' (the words typed) or 'frequent' (the n most frequent)
    words: str = ""
    n_frequent: int = 300
    include_axis_words: bool = True
    centre: bool = True
    model_fingerprint: str = ""  # defaults are re-chosen when the model changes


def axes_state(vectors: WordVectors) -> AxesState:
    state = st.session_state.get(AXES_KEY)
    if not isinstance(state, AxesState):
        state = AxesState()
        st.session_state[AXES_KEY] = state
    if state.model_fingerprint != vectors.fingerprint:
        state.model_fingerprint = vectors.fingerprint
        if not state.x:
            _defaults(state, vectors)
    return state


def _defaults(state: AxesState, vectors: WordVectors) -> None:
    """The gender-direction demo when the model knows its words, else the two most frequent words as an axis."""
    x, y, words = axes.GENDER_DEMO
    if all(w in vectors for w in words):
        state.x, state.y, state.words, state.source = x, y, ", ".join(words), "list"
    elif len(vectors) >= 4:
        state.x, state.y = f"{vectors.words[0]} - {vectors.words[1]}", f"{vectors.words[2]} - {vectors.words[3]}"
        state.source = "frequent"


def _sync_widgets(state: AxesState) -> None:
    for key, value in (("axes_x", state.x), ("axes_y", state.y), ("axes_source", state.source),
                       ("axes_words", state.words), ("axes_n", state.n_frequent),
                       ("axes_include", state.include_axis_words), ("axes_centre", state.centre)):
        if key not in st.session_state:
            st.session_state[key] = value


def _store(state: AxesState, field: str, key: str):
    return lambda: setattr(state, field, st.session_state[key])


def _demo(state: AxesState) -> None:
    x, y, words = axes.GENDER_DEMO
    state.x, state.y, state.words, state.source = x, y, ", ".join(words), "list"
    for key, value in (("axes_x", x), ("axes_y", y), ("axes_words", state.words), ("axes_source", "list")):
        st.session_state[key] = value


def render(vectors: WordVectors) -> None:
    state = axes_state(vectors)
    _sync_widgets(state)
    left, right = st.columns(2)
    left.text_input(_("x axis"), key="axes_x", on_change=_store(state, "x", "axes_x"),
                    help=_("An expression (he - she, king - man + woman, good) or two word lists separated by | "
                           "(he, him, his | she, her, hers): the direction from the second list's mean to the first's."))
    right.text_input(_("y axis"), key="axes_y", on_change=_store(state, "y", "axes_y"),
                     help=_("Written like the x axis. Each word is placed at its cosine with each direction."))
    cols = st.columns([2, 3, 2, 2])
    cols[0].radio(_("Which words"), ["list", "frequent"], key="axes_source",
                  on_change=_store(state, "source", "axes_source"), format_func=lambda source: _(SOURCE_LABELS[source]))
    if st.session_state["axes_source"] == "list":
        cols[1].text_input(_("Words"), key="axes_words", on_change=_store(state, "words", "axes_words"),
                           help=_("Separated by spaces or commas."))
    else:
        cols[1].number_input(_("How many"), 10, MAX_FREQUENT, step=50, key="axes_n",
                             on_change=_store(state, "n_frequent", "axes_n"))
    cols[2].checkbox(_("Add the axes' own words"), key="axes_include",
                     on_change=_store(state, "include_axis_words", "axes_include"))
    cols[2].checkbox(_("Remove the common direction"), key="axes_centre",
                     on_change=_store(state, "centre", "axes_centre"),
                     help=_("Subtract the mean of all word vectors before measuring cosines. Word vectors (GloVe's "
                            "especially) share one large common direction that otherwise puts every word on the "
                            "same side of an axis."))
    cols[3].button(_("Gender-direction demo"), key="axes_demo", on_click=_demo, args=(state,),
                   help=_("x: he − she; y: royal versus common (king + queen − man − woman); family and royal words."))
    with user_errors():
        x = axes.parse_axis(vectors, str(st.session_state["axes_x"]))
        y = axes.parse_axis(vectors, str(st.session_state["axes_y"]))
        listed = axes._split_list(str(st.session_state.get("axes_words", ""))) if st.session_state["axes_source"] == "list" else []
        n_frequent = int(st.session_state.get("axes_n", state.n_frequent)) if st.session_state["axes_source"] == "frequent" else 0
        own = [*x.positive, *x.negative, *y.positive, *y.negative] if st.session_state["axes_include"] else []
        words, unknown = axes.choose_words(vectors, listed, n_frequent, [w for w in own if w in vectors])
        if unknown:
            st.warning(_("Not in this model's vocabulary, left out: {words}").format(
                words=", ".join(_md(w) for w in unknown[:20])), icon="⚠️")
        placed = axes.project_on_axes(vectors, x, y, words, centre=bool(st.session_state["axes_centre"]))
        st.plotly_chart(axes_map(placed.coords, placed.words, x.label, y.label, highlight=own), key="axes_chart")
        if st.session_state["axes_centre"]:
            about = _("x (of the centred vectors): cosine with **{x}**; y: cosine with **{y}**.")
        else:
            about = _("x: cosine with **{x}**; y: cosine with **{y}**.")
        st.caption(about.format(x=_md(x.label), y=_md(y.label)) + " "
                   + _("The two directions have cosine {cosine} (0: independent axes; near ±1: the plot is squeezed "
                       "onto a diagonal). {n} words.").format(cosine=f"{placed.axes_cosine:+.2f}",
                                                             n=format_number(len(words))))
        table = pd.DataFrame(placed.table()).rename(columns={"word": _("word")})
        with st.expander(_("Coordinates")):
            st.dataframe(table, hide_index=True, key="axes_table")
            st.download_button(_("Download (CSV)"), data=lambda: table.to_csv(index=False), file_name="semantic-axes.csv",
                               mime="text/csv", on_click="ignore", key="axes_csv")
