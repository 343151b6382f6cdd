"""Compare page, Aligned map tab: the models rotated onto one (Procrustes) and drawn together (PCA)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from embedlab import agreement as cmp
from embedlab import reports
from embedlab.i18n import N_, _, format_number
from embedlab.projection import pca
from embedlab.textsafe import md
from embedlab.ui.feedback import user_errors
from embedlab.ui.state import AppState
from embedlab.ui.widgets import choice_key, durable, keep
from embedlab.viz import compare as figures


#: words drawn per model on the aligned map by default, and at most (x 3 models)
MAP_WORDS, MAP_WORDS_MAX = 300, 3000

#: words offered in the 'follow' picker (a longer list makes the widget slow)
FOLLOW_OPTIONS = 5000

#: the two layouts of the map: internal id -> what the radio shows
LAYOUTS = {"layers": N_("one map, coloured"), "panels": N_("side by side")}


#: the durable value (``state.widget_values``) of the reference frame: a position in the comparison's models
REFERENCE = "compare_reference"


def reference_key(state: AppState, names: list[str]) -> str:
    """The reference-frame selectbox's key, seeded with the durable choice: one key per list of model names.

    Its options are positions (0, 1, 2), the same for every comparison of as many models, so under one key
    the browser kept the label it last showed (the previous comparison's model) while the figure followed
    the new one. A key that carries the names draws a fresh widget for another comparison.
    """
    key = choice_key(REFERENCE, "\n".join(names))
    if key not in st.session_state:
        st.session_state[key] = min(int(state.widget_values.get(REFERENCE, 0)), len(names) - 1)
    return key


@st.cache_resource(max_entries=4, show_spinner=False)
def _align(key: str, reference: int, _comparison: cmp.Comparison) -> cmp.Alignment:
    return cmp.align(_comparison, reference)


def render_map(state: AppState, comparison: cmp.Comparison) -> None:
    names = list(comparison.names)
    cols = st.columns(4)
    ref_key = reference_key(state, names)
    n_key = durable(state, "compare_map_words", min(MAP_WORDS, len(comparison)))
    layout_key = durable(state, "compare_layout", "layers")
    cols[0].selectbox(_("Reference frame"), list(range(len(names))), format_func=names.__getitem__, key=ref_key,
                      on_change=lambda: state.widget_values.__setitem__(REFERENCE, st.session_state[ref_key]),
                      help=_("The other models are rotated (Procrustes) onto this one."))
    cols[1].number_input(_("Words per model"), 10, max(10, min(MAP_WORDS_MAX, len(comparison))), step=50, key=n_key,
                         on_change=keep(state, n_key))
    # format_func looks the labels up, translated now: a lazy _() would run outside this session's language
    # (AppTest calls format_func between runs)
    layouts = {layout: _(label) for layout, label in LAYOUTS.items()}
    cols[2].radio(_("Layout"), list(layouts), key=layout_key, on_change=keep(state, layout_key), horizontal=True,
                  format_func=layouts.__getitem__)
    reference = min(int(st.session_state[ref_key]), len(names) - 1)
    n_words = min(int(st.session_state[n_key]), len(comparison))
    with user_errors():
        with st.spinner(_("Aligning the models…")):
            alignment = _align(comparison.fingerprint, reference, comparison)
        query = st.session_state.get("compare_word", state.widget_values.get("compare_word"))
        selected_key = durable(state, "compare_selected", [query] if query in comparison.index else [])
        # any shared word can be followed (the most frequent ones are offered first); followed words are drawn
        # even when they are rarer than the words on the map
        st.session_state[selected_key] = [w for w in st.session_state[selected_key] if w in comparison.index]
        options = list(dict.fromkeys(list(comparison.words[:FOLLOW_OPTIONS]) + list(st.session_state[selected_key])))
        cols[3].multiselect(_("Follow words"), options, key=selected_key, on_change=keep(state, selected_key),
                            help=_("Or select points on the map."), max_selections=12)
        followed_rows = [comparison.index[w] for w in st.session_state[selected_key]]
        rows = np.array(sorted(set(range(n_words)) | set(followed_rows)), dtype=np.int64)
        matrix, model_ids, word_rows = cmp.stacked(alignment, rows)
        coords = pca(matrix)
        words = [comparison.words[r] for r in word_rows]
        fig = figures.aligned_map(coords, model_ids, words, names, st.session_state[selected_key],
                                  st.session_state[layout_key],
                                  title=_("{n} most frequent shared words, aligned to {reference} (PCA)").format(
                                      n=format_number(n_words), reference=names[reference]))
        event = st.plotly_chart(fig, key="compare_map", on_select="rerun", selection_mode=("points", "lasso", "box"))
        picked = _picked_words(event)
        if picked:
            st.caption(_("Selected on the map: {words}").format(words=md(_(", ").join(picked[:30]))))
            if st.button(_("Follow the selected words"), key="compare_follow"):
                merged = list(dict.fromkeys(list(st.session_state[selected_key]) + picked))[:12]
                state.widget_values[selected_key] = merged
                st.session_state.pop(selected_key, None)
                st.rerun()
        followed = st.session_state[selected_key]
        if followed:
            rows_followed = [comparison.index[w] for w in followed]
            st.dataframe(pd.DataFrame({reports.column_title("word"): followed, **{
                _("cosine to {reference} ({name})").format(reference=names[reference], name=name):
                    [round(float(alignment.agreement[m][r]), 3) for r in rows_followed]
                for m, name in enumerate(names) if m != reference}}), hide_index=True, key="compare_followed")
        st.caption(_("Rotations fitted on the {n} most frequent shared words. A word whose points sit "
                     "together has the same place in every model; a long line means the models disagree about it. "
                     "The projection is PCA: linear, so the length of a word's line is comparable anywhere on the map, "
                     "and deterministic and instant.").format(n=format_number(alignment.fit_words)))


def _picked_words(event: Any) -> list[str]:
    try:
        points = event.selection.points  # type: ignore[union-attr]
    except AttributeError:
        return []
    words = []
    for point in points or []:
        data = point.get("customdata")
        word = data[0] if isinstance(data, list) else data
        if isinstance(word, str):
            words.append(word)
    return list(dict.fromkeys(words))
