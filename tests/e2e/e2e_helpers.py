"""Helpers for the browser tests: waiting for Streamlit's script runs to end.

Import them in a test module with ``from e2e_helpers import open_app, wait_for_app``
(pytest puts ``tests/e2e`` on ``sys.path`` for the modules in it).
"""

from __future__ import annotations

from typing import Any

#: one script run; the first run of a page also imports its libraries on a busy machine
SCRIPT_TIMEOUT_MS = 60_000
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: placeholders Streamlit draws while an element's code loads (and for the app before its first run)
SKELETONS = "[data-testid='stSkeleton'], [data-testid='stSkeletonElement'], [data-testid='stAppSkeleton']"


def wait_for_app(page: Any, timeout_ms: float = SCRIPT_TIMEOUT_MS) -> None:
    """Wait until the app has drawn and its script is not running (a fragment may still tick later)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    # the main block exists once the first run has sent its elements
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=timeout_ms)
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    # widgets whose code is still loading are drawn as skeletons: wait for the real thing
    page.wait_for_function(f"!document.querySelector({SKELETONS!r})", timeout=timeout_ms)


def open_app(page: Any, url: str, timeout_ms: float = SCRIPT_TIMEOUT_MS) -> None:
    """Navigate to ``url`` (the home page or ``<url>/<PageName>``) and wait for its first run to end."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_for_app(page, timeout_ms)
