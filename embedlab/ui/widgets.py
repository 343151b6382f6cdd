"""Small shared page helpers: widget values that survive page switches, and the shared search index.

Streamlit deletes a widget's state when a run does not draw it (a page switch), so
a durable widget seeds itself from ``state.extras`` and writes back on change.
Every page's views take these from here.
"""

from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from embedlab.search import NeighbourIndex
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors


def durable(state: AppState, key: str, default: Any) -> str:
    """Seed widget ``key`` from ``state.extras`` (widget state dies on page switch); returns the key."""
    if key not in st.session_state:
        st.session_state[key] = state.extras.get(key, default)
    return key


def keep(state: AppState, key: str) -> Callable[[], None]:
    """An ``on_change`` callback that copies the widget's value into ``state.extras``."""
    return lambda: state.extras.__setitem__(key, st.session_state[key])


def set_value(state: AppState, key: str, value: Any) -> Callable[[], None]:
    """An ``on_click`` callback that sets a durable widget's value (e.g. an example or a suggestion)."""

    def apply() -> None:
        state.extras[key] = value
        st.session_state[key] = value

    return apply


@st.cache_resource(max_entries=8, show_spinner=False)
def _index(fingerprint: str, _vectors: WordVectors) -> NeighbourIndex:
    # keyed on the content fingerprint, never the array; the index is immutable and thread-safe
    return NeighbourIndex(_vectors)


def neighbour_index(vectors: WordVectors) -> NeighbourIndex:
    """The model's search index, one per server process, shared by every page and session."""
    return _index(vectors.fingerprint, vectors)
