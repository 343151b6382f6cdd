"""Uploads: copied once, in chunks, to a file embedlab names, then read from disk.

Streamlit holds an upload in server memory; keeping our own copy lets the
tokeniser stream it and lets a rerun reuse it instead of copying again. The
user's file name is only ever a label, never a path.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from embedlab.errors import EmptyCorpusError
from embedlab.ui.state import AppState

DEFAULT_LIMIT_MB = 200


def upload_limit_mb() -> int:
    """The server's real cap (``server.maxUploadSize``); larger uploads are refused before they reach us."""
    try:
        return int(st.get_option("server.maxUploadSize"))
    except Exception:
        return DEFAULT_LIMIT_MB


def accept_upload(state: AppState, uploaded: "st.runtime.uploaded_file_manager.UploadedFile") -> Path:
    """The upload's copy in the workspace, made on first sight and reused on reruns."""
    token = f"{uploaded.file_id}"
    cached = st.session_state.get("_upload_copies", {})
    path = cached.get(token)
    if path is not None and Path(path).exists():
        return Path(path)
    if uploaded.size == 0:
        raise EmptyCorpusError("The uploaded file is empty. Choose a text file with at least a few sentences.")
    uploaded.seek(0)
    for old in cached.values():  # only the latest upload is kept; added corpora moved theirs away already
        Path(old).unlink(missing_ok=True)
    path = state.workspace.receive_upload(uploaded, max_bytes=upload_limit_mb() * 1024 * 1024)
    st.session_state["_upload_copies"] = {token: str(path)}
    return path
