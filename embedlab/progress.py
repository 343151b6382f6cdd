"""Progress reporting and cooperative cancellation for long operations.

Every long operation (tokenising, training, projecting, loading) takes an
``on_progress(done, total, message)`` callable and a ``CancelToken``. They are
plain Python so the library runs the same in a notebook, the CLI and the app's
background jobs.
"""

from __future__ import annotations

import threading
from typing import Callable

from embedlab.errors import Cancelled

ProgressFn = Callable[[float, float, str], None]


def no_progress(done: float, total: float, message: str) -> None:
    """The default progress callback: ignore."""


class CancelToken:
    """A flag a UI thread sets and a worker polls at safe points."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def check(cancel: CancelToken | None) -> None:
    """Raise ``Cancelled`` if a token was given and set."""
    if cancel is not None:
        cancel.raise_if_cancelled()


def scaled(on_progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """Map a sub-task's 0..total progress into the [start, end] fraction of a parent's.

    Used when one job runs several steps (tokenise, then train three models) and the
    bar should move smoothly across all of them; the parent's total is 1.0.
    """

    def report(done: float, total: float, message: str) -> None:
        fraction = (done / total) if total else 0.0
        on_progress(start + (end - start) * min(max(fraction, 0.0), 1.0), 1.0, message)

    return report
