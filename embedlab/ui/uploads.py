"""Uploads: copied once, in chunks, to a file embedlab names, then read from disk.

Streamlit holds an upload in server memory; keeping our own copy lets the
tokeniser stream it and lets a rerun reuse it instead of copying again. The
user's file name is only ever a label, never a path.

After an upload has been handed to a job (``consume_upload``) the uploader's widget
key changes, so the user sees an empty uploader and the rerun that follows cannot
copy the same file a second time; its ``file_id`` is remembered too, as a second
guard for a rerun that still carries the old widget value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from embedlab.errors import EmptyCorpusError
from embedlab.i18n import N_
from embedlab.ui.state import AppState, UploadsState

DEFAULT_LIMIT_MB = 200
UPLOADER_KEY = "corpus_upload"
#: how many consumed upload ids a session remembers (a few are plenty: each one is a corpus added)
CONSUMED_KEPT = 20


def upload_limit_mb() -> int:
    """The server's real cap (``server.maxUploadSize``); larger uploads are refused before they reach us."""
    try:
        return int(st.get_option("server.maxUploadSize"))
    except Exception:
        return DEFAULT_LIMIT_MB


def _uploads(state: AppState) -> UploadsState:
    return state.uploads


def uploader_key(state: AppState, base: str = UPLOADER_KEY) -> str:
    """The uploader's widget key: ``base`` at first, a new one after each consumed upload (an empty uploader)."""
    generation = _uploads(state).generation
    return base if generation == 0 else f"{base}_{generation}"


def accept_upload(state: AppState, uploaded: Any) -> Path | None:
    """The upload's copy in the workspace, made on first sight and reused on reruns.

    Returns None for an upload already handed to a job (its copy has moved into a corpus).
    """
    uploads = _uploads(state)
    token = str(uploaded.file_id)
    if token in uploads.consumed:
        return None
    path = uploads.copies.get(token)
    if path is not None and Path(path).exists():
        return Path(path)
    if uploaded.size == 0:
        raise EmptyCorpusError(N_("The uploaded file is empty. Choose a text file with at least a few sentences."))
    uploaded.seek(0)
    discard_copies(state)  # only the latest upload is kept
    path = state.workspace.receive_upload(uploaded, max_bytes=upload_limit_mb() * 1024 * 1024)
    uploads.copies = {token: str(path)}
    return path


def consume_upload(state: AppState, uploaded: Any) -> None:
    """The upload's copy now belongs to a job: forget it, never copy it again, and empty the uploader."""
    uploads = _uploads(state)
    uploads.copies.pop(str(uploaded.file_id), None)
    uploads.consumed = (uploads.consumed + [str(uploaded.file_id)])[-CONSUMED_KEPT:]
    uploads.generation += 1


def discard_copies(state: AppState) -> None:
    """Delete this session's pending (not yet added) upload copies, e.g. when the user removes the file."""
    uploads = _uploads(state)
    for old in uploads.copies.values():
        Path(old).unlink(missing_ok=True)
    uploads.copies = {}
