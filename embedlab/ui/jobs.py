"""Background jobs: long work runs in a thread pool, pages poll its progress.

A Streamlit rerun (any click) would kill work done in the script thread, so
training, tokenising and projecting run here instead. This module needs no
streamlit itself, but lives in ``ui`` because only the app has sessions. The worker makes no ``st.*``
calls: it writes progress into a plain ``Job`` object, and saves its output to the
workspace itself, so closing the tab loses nothing. The pool is one per server
process (a module singleton, see ``runner``); a session only sees the jobs it started.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from embedlab.diskfull import as_disk_full, is_disk_full
from embedlab.errors import Cancelled, EmbedlabError
from embedlab.progress import CancelToken, ProgressFn
from embedlab.ui.feedback import BUG_MESSAGE
from embedlab.ui.state import AppState

log = logging.getLogger("embedlab")

#: two workers: a UMAP projection need not wait behind a training run
MAX_WORKERS = 2
ACTIVE = ("queued", "running")

Work = Callable[[ProgressFn, CancelToken], Any]
OnDone = Callable[[AppState, "Job"], None]


@dataclass(eq=False)
class Job:
    id: str
    kind: str
    title: str
    cancel: CancelToken = field(default_factory=CancelToken)
    status: str = "queued"
    done: float = 0.0
    total: float = 1.0
    message: str = "Waiting for a free worker"
    result: Any = None
    error: str = ""
    started: float = field(default_factory=time.time)
    finished: float | None = None
    future: Future | None = None
    on_done: OnDone | None = None

    @property
    def fraction(self) -> float:
        return min(max(self.done / self.total, 0.0), 1.0) if self.total else 0.0

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def report(self, done: float, total: float, message: str) -> None:
        """The ``ProgressFn`` handed to the work; plain attribute writes, safe from any thread."""
        self.done, self.total, self.message = done, total, message

    def wait(self, timeout: float | None = None) -> "Job":
        """Block until finished (tests and the CLI; pages poll instead)."""
        if self.future is not None:
            self.future.result(timeout=timeout)
        return self


class JobRunner:
    """The process-wide pool and registry of jobs."""

    def __init__(self, max_workers: int = MAX_WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="embedlab-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, title: str, work: Work, kind: str, on_done: OnDone | None = None) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, title=title, on_done=on_done)
        with self._lock:
            self._jobs[job.id] = job
        job.future = self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        job.status, job.message = "running", "Starting"
        try:
            if job.cancel.cancelled:
                raise Cancelled()
            job.result = work(job.report, job.cancel)
            job.status = "done"
        except Cancelled as error:
            job.status, job.error = "cancelled", str(error)
        except EmbedlabError as error:
            job.status, job.error = "failed", str(error)
        except Exception as error:
            if is_disk_full(error):  # not a bug: say so, and where (a write site that knew its size said more)
                job.status, job.error = "failed", str(as_disk_full(error))  # type: ignore[arg-type]
                return
            log.exception("job %s (%s) failed", job.id, job.title)
            job.status, job.error = "failed", BUG_MESSAGE
        finally:
            job.finished = time.time()


_runner: JobRunner | None = None
_runner_lock = threading.Lock()


def runner() -> JobRunner:
    """The process's job runner: a module singleton rather than ``st.cache_resource``, so that
    clearing Streamlit's caches never orphans running jobs, and tests and the CLI reach the same one."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = JobRunner()
        return _runner


def submit(state: AppState, title: str, work: Work, kind: str, on_done: OnDone | None = None) -> Job:
    """Start ``work`` in the background for this session; ``on_done`` runs in the page thread when it ends."""
    job = runner().submit(title, work, kind, on_done)
    state.job_ids.append(job.id)
    return job


def session_jobs(state: AppState) -> list[Job]:
    jobs = (runner().get(job_id) for job_id in state.job_ids)
    return [job for job in jobs if job is not None]


def latest_job(state: AppState, kind: str) -> Job | None:
    matching = [job for job in session_jobs(state) if job.kind == kind]
    return matching[-1] if matching else None


def acknowledge_finished(state: AppState) -> list[Job]:
    """Apply the ``on_done`` of jobs that ended since the last run; returns them (once each)."""
    ended = [job for job in session_jobs(state) if not job.active and job.id not in state.acknowledged_jobs]
    for job in ended:
        state.acknowledged_jobs.add(job.id)
        if job.status == "done" and job.on_done is not None:
            try:
                job.on_done(state, job)
            except Exception:
                log.exception("on_done of job %s failed", job.id)
    return ended
