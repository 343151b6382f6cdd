"""Compiling UMAP's numba code in the background, once per server process.

Whichever page a user lands on, the first UMAP map is then a warm fit (seconds,
not the tens of seconds of a cold compile). ``EMBEDLAB_WARM_UP=0`` turns it off
everywhere (the unit tests do, so compiling does not compete with them for the
two cores). Its own module so the page frame and the Map view can both start it
without importing each other.
"""

from __future__ import annotations

import logging
import os
import threading

import streamlit as st

ENV_VAR = "EMBEDLAB_WARM_UP"


def enabled() -> bool:
    return os.environ.get(ENV_VAR, "1") != "0"


def start_warm_up() -> threading.Thread | None:
    """Start the warm-up thread unless ``EMBEDLAB_WARM_UP=0``; returns it (the same one on every call)."""
    return _start() if enabled() else None


@st.cache_resource(show_spinner=False)
def _start() -> threading.Thread:
    thread = threading.Thread(target=_warm, name="embedlab-umap-warm-up", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    from embedlab import projection

    try:
        projection.warm_up()
    except Exception:  # a failed warm-up only means the first real map compiles instead
        logging.getLogger("embedlab").exception("UMAP warm-up failed")
