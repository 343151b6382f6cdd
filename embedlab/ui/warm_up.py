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
import time

import streamlit as st

log = logging.getLogger("embedlab")

ENV_VAR = "EMBEDLAB_WARM_UP"
#: the compile waits until no page has started a run for this long: it takes a core (and the GIL) for 20 s
#: or more on a 2-core machine, and started with the first page view (or 3 s after it) it tripled the Map's
#: first picture, fresh and warm (benchmarks/browser.py). After 20 quiet seconds the user is reading, not
#: waiting; a UMAP map asked for before then compiles in its own job, as it would have anyway.
IDLE_S = 20.0
#: ... but a server in constant use still warms up after this long
MAX_WAIT_S = 600.0
_last_page_run = time.monotonic()


def enabled() -> bool:
    return os.environ.get(ENV_VAR, "1") != "0"


def start_warm_up() -> threading.Thread | None:
    """Note that a page is running; start the warm-up thread unless ``EMBEDLAB_WARM_UP=0``; returns it
    (the same one on every call). Called at the start of every page run, so the thread knows when it is quiet."""
    global _last_page_run
    _last_page_run = time.monotonic()
    return _start() if enabled() else None


@st.cache_resource(show_spinner=False)
def _start() -> threading.Thread:
    thread = threading.Thread(target=_warm, name="embedlab-umap-warm-up", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    """Once pages have been quiet for ``IDLE_S``, compile UMAP (``projection.warm_up``)."""
    deadline = time.monotonic() + MAX_WAIT_S
    while time.monotonic() < deadline and time.monotonic() - _last_page_run < IDLE_S:
        time.sleep(0.25)
    from embedlab import projection

    try:
        projection.warm_up()
    except Exception:  # a failed warm-up only means the first real map compiles instead
        log.exception("UMAP warm-up failed")
