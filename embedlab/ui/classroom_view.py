"""Classroom mode in the app: the access-code gate, the browser's private workspace, its code in the sidebar.

Off unless ``EMBEDLAB_CLASSROOM=1`` (see ``embedlab.classroom``); then every page,
before drawing anything, asks for the access code once per browser, and the
session's workspace is the browser's own folder, found from the ``?ws=`` id in the
URL (a reload, a bookmark) or made new. The id is put back in the URL on every run,
because page links drop query parameters.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from embedlab import classroom
from embedlab.i18n import _
from embedlab.textsafe import md
from embedlab.ui import language

ID_KEY = "embedlab_workspace_id"
ADMITTED_KEY = "embedlab_admitted"
#: workspace ids that passed the access code in this server process: a reload of an admitted browser
#: (its id is in the URL) is not asked again. Ids are unguessable, so holding one is the proof.
_admitted: set[str] = set()
_lock = threading.Lock()


def settings() -> classroom.Classroom | None:
    """The server's classroom settings, or None in the ordinary single-user mode (read from the environment
    each run: a few lookups, and never stale in tests that switch the mode)."""
    return classroom.from_environment()


def gate() -> None:
    """Stop the page at the access-code form until this browser has given the code (classroom mode only)."""
    room = settings()
    if room is None or st.session_state.get(ADMITTED_KEY):
        return
    from_url = st.query_params.get(classroom.WORKSPACE_PARAM, "")
    with _lock:
        known = from_url in _admitted
    if not room.access_code or (known and room.exists(from_url)):
        st.session_state[ADMITTED_KEY] = True
        return
    st.title("🧭 embedlab")
    with st.sidebar:
        language.switch()  # the frame's switch: a student can read the gate in either language
    with st.form("classroom_code"):
        typed = st.text_input(_("Access code"), type="password", help=_("Your teacher gives it to the class."),
                              key="classroom_code_input")
        if st.form_submit_button(_("Enter"), type="primary"):
            if room.code_ok(typed):
                st.session_state[ADMITTED_KEY] = True
                st.rerun()
            st.error(_("That is not the access code."), icon="🔒")
    st.stop()


def workspace_root(default: Path) -> Path:
    """This session's workspace folder: ``default`` normally, the browser's own one in classroom mode."""
    room = settings()
    if room is None:
        return default
    workspace_id = st.session_state.get(ID_KEY)
    if workspace_id is None:
        from_url = st.query_params.get(classroom.WORKSPACE_PARAM, "")
        workspace_id = from_url if room.exists(from_url) else classroom.new_id()
        st.session_state[ID_KEY] = workspace_id
    with _lock:
        _admitted.add(workspace_id)
    root = room.student_root(workspace_id)
    _prepare(root, room)
    return root


def _prepare(root: Path, room: classroom.Classroom) -> None:
    """Make the student's folder and point it at the shared published models (read-only for it)."""
    from embedlab.classroom import link_shared

    root.mkdir(parents=True, exist_ok=True)
    link_shared(root, room.published_root)


def keep_id_in_url() -> None:
    """Put the browser's workspace id back in the URL (page links drop query parameters)."""
    workspace_id = st.session_state.get(ID_KEY)
    if workspace_id and st.query_params.get(classroom.WORKSPACE_PARAM) != workspace_id:
        st.query_params[classroom.WORKSPACE_PARAM] = workspace_id


def sidebar() -> None:
    """The workspace code, and a way to open another workspace by its code (another day, another machine)."""
    room = settings()
    workspace_id = st.session_state.get(ID_KEY)
    if room is None or workspace_id is None:
        return
    st.caption(_("Your private workspace: `{code}`. Bookmark this page's address, or note the code, to "
                 "come back to your work.").format(code=workspace_id))
    with st.popover(_("Open another workspace")):
        with st.form("classroom_open"):
            typed = st.text_input(_("Workspace code"), max_chars=16, key="classroom_open_code")
            if st.form_submit_button(_("Open")):
                code = typed.strip().lower()
                if room.exists(code):
                    _switch(code)
                st.error(_("No workspace has the code {code}.").format(code=md(code)), icon="⚠️")


def _switch(workspace_id: str) -> None:
    """Start this tab afresh on another workspace (nothing of the old session's state is kept)."""
    admitted = st.session_state.get(ADMITTED_KEY)
    st.session_state.clear()
    st.session_state[ADMITTED_KEY] = admitted
    st.session_state[ID_KEY] = workspace_id
    st.query_params[classroom.WORKSPACE_PARAM] = workspace_id
    st.rerun()
