"""Small shared page helpers: widget values that survive page switches, and the shared search index.

Streamlit deletes a widget's state when a run does not draw it (a page switch), so
a durable widget seeds itself from ``state.widget_values`` and writes back on change.
Every page's views take these from here.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Mapping

import streamlit as st

from embedlab.search import NeighbourIndex
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors


def durable(state: AppState, key: str, default: Any) -> str:
    """Seed widget ``key`` from ``state.widget_values`` (widget state dies on page switch); returns the key."""
    if key not in st.session_state:
        st.session_state[key] = state.widget_values.get(key, default)
    return key


def keep(state: AppState, key: str) -> Callable[[], None]:
    """An ``on_change`` callback that copies the widget's value into ``state.widget_values``."""
    return lambda: state.widget_values.__setitem__(key, st.session_state[key])


def set_value(state: AppState, key: str, value: Any) -> Callable[[], None]:
    """An ``on_click`` callback that sets a durable widget's value (e.g. an example or a suggestion)."""

    def apply() -> None:
        state.widget_values[key] = value
        st.session_state[key] = value

    return apply


def choice_key(base: str, current: str | None) -> str:
    """A widget key that changes whenever the state's choice changes from outside the widget."""
    return f"{base}-{hashlib.sha1(str(current).encode()).hexdigest()[:10]}"


def state_select(label: str, options: Mapping[str, str], read: Callable[[], str | None],
                 on_pick: Callable[[str], None], key: str, **kwargs: Any) -> str:
    """A selectbox that shows the state's choice (``read()``) and reports only what the user picks.

    Why not a plain keyed selectbox: the browser keeps its own copy of a widget's value and
    sends it back with the next rerun (a page link, the menu). When the state's choice
    changed without the widget (a job ended and activated its model), that copy was stale,
    Streamlit took it for the user's change and fired ``on_change``: the model or corpus
    active before the job came back on the next page (seen in headless chromium: the value
    came with the page link's request, from the picker drawn before the job ended). So here a
    change counts only if the state's choice is still the one the widget was drawn for, and
    the widget's key carries that choice, so a choice made elsewhere draws a fresh widget
    that starts from it. ``options`` maps ids to labels; the labels must be distinct (the browser sends
    the label, and two equal labels read back as the first id). Returns the id shown.
    """
    ids = list(options)
    if not ids:
        raise ValueError("state_select needs options")

    def normal(choice: str | None) -> str:
        return choice if choice in options else ids[0]

    drawn_for = read()
    shown = normal(drawn_for)
    # the label too: a renamed choice keeps its id, and a widget kept across the rename would hold the old
    # label in the browser, which no longer reads back as any option
    widget_key = choice_key(key, f"{shown}\n{options[shown]}")

    def picked() -> None:
        if read() != drawn_for:
            return  # the choice changed elsewhere since this widget was drawn: a stale value, not a pick
        value = st.session_state.get(widget_key)
        if value is not None and value in options:
            on_pick(value)

    with st.container(key=key):  # tests and styles find the widget by its stable base key
        st.selectbox(label, ids, index=ids.index(shown), format_func=options.__getitem__, key=widget_key,
                     on_change=picked, **kwargs)
    return shown


@st.cache_resource(max_entries=8, show_spinner=False)
def _index(fingerprint: str, _vectors: WordVectors) -> NeighbourIndex:
    # keyed on the content fingerprint, never the array; the index is immutable and thread-safe
    # a page's query never builds the approximate index in the page's thread: the Neighbours page builds it in
    # the background (with progress); until then every page gets exact answers
    return NeighbourIndex(_vectors, build_on_query=False)


def neighbour_index(vectors: WordVectors) -> NeighbourIndex:
    """The model's search index, one per server process, shared by every page and session."""
    return _index(vectors.fingerprint, vectors)
