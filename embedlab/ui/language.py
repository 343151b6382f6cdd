"""Which language a session sees, and the sidebar switch that changes it.

The choice, strongest first: the URL's ``?lang=zh|en`` (a teacher's link, and what a
reload carries), the session's earlier choice, the server's ``EMBEDLAB_LANG``, the
browser's language (``st.context.locale``), English. The sidebar switch writes the URL,
so the language survives page switches and reloads.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from embedlab import i18n

LANG_PARAM = "lang"
LANG_KEY = "_embedlab_language"
SWITCH_KEY = "language_switch"


def _session_language() -> str | None:
    if get_script_run_ctx(suppress_warning=True) is None:
        return None  # a job thread or plain library use: i18n.use_language decides there
    try:
        return st.session_state.get(LANG_KEY)
    except Exception:  # noqa: BLE001 - no session (bare mode): fall back to the default
        return None


i18n.set_language_provider(_session_language)


def _browser_language() -> str | None:
    try:
        return i18n.normalise(st.context.locale)
    except Exception:  # noqa: BLE001 - older front ends send no locale
        return None


def resolve() -> str:
    """Decide this run's language (see the module docstring), remember it, and keep it in the URL."""
    chosen = (i18n.normalise(st.query_params.get(LANG_PARAM)) or st.session_state.get(LANG_KEY)
              or i18n.server_default() or _browser_language() or i18n.DEFAULT_LANGUAGE)
    st.session_state[LANG_KEY] = chosen
    if st.query_params.get(LANG_PARAM) != chosen:
        st.query_params[LANG_PARAM] = chosen  # page links drop it: put it back on every page
    return chosen


def _switched() -> None:
    picked = st.session_state.get(SWITCH_KEY)
    if picked in i18n.LANGUAGES:
        st.session_state[LANG_KEY] = picked
        st.query_params[LANG_PARAM] = picked


def switch() -> None:
    """The sidebar's language switch; its label is in both languages, so a reader lost in one finds it."""
    current = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)
    if st.session_state.get(SWITCH_KEY) != current:
        st.session_state[SWITCH_KEY] = current
    st.segmented_control("Language · 语言", list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.__getitem__,
                         key=SWITCH_KEY, on_change=_switched, selection_mode="single", label_visibility="collapsed")
