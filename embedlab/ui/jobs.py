"""Background jobs: long work runs in worker threads, pages poll its progress.

A Streamlit rerun (any click) would kill work done in the script thread, so
training, tokenising and projecting run here instead. This module needs no
streamlit itself, but lives in ``ui`` because only the app has sessions. The worker
makes no ``st.*`` calls: it writes progress into a plain ``Job`` object, and saves its
output to the workspace itself, so closing the tab loses nothing.

Jobs belong to a *session id*, not to a Streamlit session: the id travels in the page's
URL (see ``ui.state``), so a browser reload finds its running jobs again (progress,
Cancel, the completion notice). Each job also leaves a small record in the workspace
(``jobs/<id>.json``); after a server restart, a record still marked running names the
job the restart interrupted.

The workers are daemon threads and every job is cancelled when the interpreter shuts
down, so a running job never keeps a stopped server alive (SIGTERM exits at once).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import threading
import time
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from embedlab.diskfull import as_disk_full, is_disk_full
from embedlab import classroom
from embedlab.errors import Cancelled, EmbedlabError
from embedlab.i18n import N_, Message, _, current_language, ngettext, use_language
from embedlab.progress import CancelToken, ProgressFn
from embedlab.samples import CorpusName
from embedlab.ui.feedback import BUG_MESSAGE
from embedlab.ui.state import AppState
from embedlab.workspace import atomic_write_text

log = logging.getLogger("embedlab")

#: two workers: a UMAP projection need not wait behind a training run
MAX_WORKERS = 2
ACTIVE = ("queued", "running")
#: records of finished jobs older than this are removed when a new job starts
RECORD_MAX_AGE_S = 7 * 24 * 3600
#: test hook: a job lasts at least this many seconds (its work is unchanged; the worker then waits,
#: cancellably). The browser tests use it to make a cheap job as long as a real one.
MIN_SECONDS_ENV = "EMBEDLAB_TEST_JOB_MIN_SECONDS"
_JOB_ID = re.compile(r"^[0-9a-f]{12}$")

#: what a job says before its work reports progress (msgids: ``describe`` shows them in the reader's language)
WAITING = N_("Waiting for a free worker")
STARTING = N_("Starting")
FINISHING = N_("Finishing")

Work = Callable[[ProgressFn, CancelToken], Any]
OnDone = Callable[[AppState, "Job"], None]


@dataclass(eq=False)
class Job:
    id: str
    kind: str
    #: a ``Message`` (shown in the reader's language, kept language-neutral in the job's record) or plain text
    title: str | Message
    session_id: str = ""
    cancel: CancelToken = field(default_factory=CancelToken)
    status: str = "queued"
    done: float = 0.0
    total: float = 1.0
    #: the work's last progress message (written in the job's language), or one of the msgids above
    message: str = WAITING
    result: Any = None
    error: str = ""
    started: float = field(default_factory=time.time)
    finished: float | None = None
    future: Future | None = None
    on_done: OnDone | None = None
    #: the session has seen it end (its ``on_done`` applied, its toast shown): once per job, even across reloads
    acknowledged: bool = False
    record_path: Path | None = None
    #: the submitting session's language: the job's progress messages and errors are written in it
    language: str = field(default_factory=current_language)

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

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "session": self.session_id, "kind": self.kind, **_title_record(self.title),
                "status": self.status, "started": self.started, "finished": self.finished, "error": self.error}


def _title_record(title: str | Message) -> dict[str, Any]:
    """A title as JSON: its English text, and for a ``Message`` its msgid and parameters (to show it translated).

    Parameters that are said in the reader's language when shown are marked, so a title read back after a server
    restart reads in the reader's language too: a corpus name (a built-in sample's title) under
    ``title_corpus_names``, a nested ``Message`` (a lesson's title) under ``title_messages``. The plain English
    parameters stay beside them for older readers.
    """
    if not isinstance(title, Message):
        return {"title": str(title)}
    with use_language("en"):  # parameters that render themselves (a sample's title) are kept in English too
        english, params = str(title), {k: str(v) for k, v in title.params.items()}
        messages = {k: {"msgid": v.msgid, "params": {pk: str(pv) for pk, pv in v.params.items()}}
                    for k, v in title.params.items() if isinstance(v, Message)}
    corpus_names = {k: v.name for k, v in title.params.items() if isinstance(v, CorpusName)}
    return {"title": english, "title_msgid": title.msgid, "title_params": params,
            "title_corpus_names": sorted(corpus_names), "title_messages": messages}


def _title_from_record(data: dict[str, Any]) -> str | Message:
    msgid, params = data.get("title_msgid"), data.get("title_params")
    if not (isinstance(msgid, str) and isinstance(params, dict)):
        return str(data.get("title", ""))
    values: dict[str, Any] = {str(k): str(v) for k, v in params.items()}
    corpus_names, messages = data.get("title_corpus_names"), data.get("title_messages")
    if corpus_names is None and messages is None:
        # written before parameters were marked: a built-in sample's title is the only parameter said in the
        # reader's language, and a name that is not one is shown exactly as it is
        corpus_names = list(values)
    for key in corpus_names if isinstance(corpus_names, list) else []:
        if str(key) in values:
            values[str(key)] = CorpusName(values[str(key)])
    for key, nested in (messages if isinstance(messages, dict) else {}).items():
        if isinstance(nested, dict) and isinstance(nested.get("msgid"), str) and isinstance(nested.get("params"), dict):
            values[str(key)] = Message(nested["msgid"], **{str(k): str(v) for k, v in nested["params"].items()})
    return Message(msgid, **values)


@dataclass(frozen=True)
class JobRecord:
    """What the workspace remembers of a job (enough to say which one a restart interrupted)."""

    id: str
    session: str
    kind: str
    title: str | Message
    status: str
    started: float


class JobRunner:
    """The process-wide workers and registry of jobs, by session id."""

    def __init__(self, max_workers: int = MAX_WORKERS) -> None:
        self._queue: queue.Queue[tuple[Job, Work] | None] = queue.Queue()
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        # daemon threads: a running job never keeps a stopping interpreter alive
        self._threads = [threading.Thread(target=self._worker, name=f"embedlab-job-{i}", daemon=True)
                         for i in range(max_workers)]
        for thread in self._threads:
            thread.start()

    def submit(self, title: str | Message, work: Work, kind: str, on_done: OnDone | None = None, session_id: str = "",
               records: Path | None = None) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, title=title, session_id=session_id, on_done=on_done)
        job.future = Future()
        if records is not None:
            job.record_path = records / f"{job.id}.json"
            _prune(records)
            _write_record(job)
        with self._lock:
            self._jobs[job.id] = job
        self._queue.put((job, work))
        return job

    def place(self, job: Job) -> tuple[int, int]:
        """(its place in the queue, 1 = next; jobs running now) for a waiting job."""
        with self._lock:
            jobs = list(self._jobs.values())
        waiting = [j for j in jobs if j.status == "queued"]  # submission order: dicts keep insertion order
        running = sum(j.status == "running" for j in jobs)
        return (waiting.index(job) + 1 if job in waiting else 0), running

    def stop(self, job: Job) -> None:
        """Cancel a job: at once if it is still waiting for a worker, else at its next progress check."""
        job.cancel.cancel()
        if job.status == "queued" and job.future is not None and job.future.cancel():
            # called from the Cancel button, so in the reader's language (like every job error)
            job.status, job.error, job.finished = "cancelled", _("Cancelled while waiting; it never ran."), time.time()
            _write_record(job)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def session_jobs(self, session_id: str) -> list[Job]:
        """The jobs of one session, oldest first."""
        with self._lock:
            return [job for job in self._jobs.values() if job.session_id == session_id]

    def shut_down(self) -> None:
        """The server is stopping: cancel every running job and record it as interrupted.

        The record is written here, not when the job ends: the process may be gone by then,
        and a cancelled record would hide from the next start that a restart stopped it.
        """
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            if job.active:
                path, job.record_path = job.record_path, None  # the job's own end writes no record now
                job.cancel.cancel()
                if path is not None:
                    try:
                        atomic_write_text(path, json.dumps({**job.record(), "status": "interrupted"}))
                    except OSError:
                        pass

    def _worker(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, work = item
            if job.future is not None and not job.future.set_running_or_notify_cancel():
                continue  # cancelled while it waited (stop): it never runs
            with use_language(job.language):
                self._run(job, work)

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        assert job.future is not None
        job.status, job.message = "running", STARTING
        _write_record(job)
        try:
            if job.cancel.cancelled:
                raise Cancelled()
            job.result = work(job.report, job.cancel)
            _stretch(job)
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
            job.status, job.error = "failed", _(BUG_MESSAGE)  # in the job's language, like its other errors
        finally:
            job.finished = time.time()
            _write_record(job)
            job.future.set_result(job.status)


def _stretch(job: Job) -> None:
    """The test hook ``EMBEDLAB_TEST_JOB_MIN_SECONDS``: wait (cancellably) until the job is that old."""
    minimum = float(os.environ.get(MIN_SECONDS_ENV, "0") or 0)
    while time.time() - job.started < minimum:
        job.report(job.done, job.total, FINISHING)
        job.cancel.raise_if_cancelled()
        time.sleep(0.1)


def _write_record(job: Job) -> None:
    if job.record_path is None:
        return
    try:
        atomic_write_text(job.record_path, json.dumps(job.record()))
    except OSError:  # a record is a courtesy: never fail a job for it
        log.warning("could not write the job record %s", job.record_path, exc_info=True)


def _prune(records: Path) -> None:
    records.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - RECORD_MAX_AGE_S
    for path in records.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


_runner: JobRunner | None = None
_runner_lock = threading.Lock()


def runner() -> JobRunner:
    """The process's job runner: a module singleton rather than ``st.cache_resource``, so that
    clearing Streamlit's caches never orphans running jobs, and tests and the CLI reach the same one."""
    global _runner
    with _runner_lock:
        if _runner is None:
            room = classroom.from_environment()
            _runner = JobRunner(max_workers=room.max_jobs if room is not None else MAX_WORKERS)
            _on_shutdown(_runner.shut_down)
        return _runner


def _on_shutdown(callback: Callable[[], None]) -> None:
    """Run ``callback`` when the interpreter starts shutting down, before it joins non-daemon threads.

    ``threading._register_atexit`` runs before those joins (plain ``atexit`` runs after them),
    so a library thread pool used by a job (gensim, GloVe's pool) sees the cancel and ends.
    """
    register = getattr(threading, "_register_atexit", None)
    try:
        if register is not None:
            register(callback)
            return
    except RuntimeError:  # already shutting down
        return
    import atexit

    atexit.register(callback)


def records_dir(state: AppState) -> Path:
    return state.workspace.root / "jobs"


def submit(state: AppState, title: str | Message, work: Work, kind: str, on_done: OnDone | None = None) -> Job:
    """Start ``work`` in the background for this session; ``on_done`` runs in the page thread when it ends.

    ``title`` is best a ``Message`` (``Message(N_("Training {algorithm} on {corpus}"), ...)``): it then reads in
    whatever language the page is shown in, and after a restart too.
    """
    return runner().submit(title, work, kind, on_done, session_id=state.session_id, records=records_dir(state))


def session_jobs(state: AppState) -> list[Job]:
    return runner().session_jobs(state.session_id)


def latest_job(state: AppState, kind: str) -> Job | None:
    matching = [job for job in session_jobs(state) if job.kind == kind]
    return matching[-1] if matching else None


def acknowledge_finished(state: AppState) -> list[Job]:
    """Apply the ``on_done`` of jobs that ended since the last run; returns them (once each)."""
    ended = [job for job in session_jobs(state) if not job.active and not job.acknowledged]
    for job in ended:
        job.acknowledged = True
        if job.status == "done" and job.on_done is not None:
            try:
                job.on_done(state, job)
            except Exception:
                log.exception("on_done of job %s failed", job.id)
    return ended


def interrupted(state: AppState) -> list[JobRecord]:
    """This session's jobs that a server restart stopped: recorded as running, unknown to this process.

    Their records are rewritten as 'interrupted', so they stay listed (as ended) but are not
    looked for again.
    """
    folder = records_dir(state)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime):
        if not _JOB_ID.match(path.stem):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("session") != state.session_id or runner().get(path.stem) is not None:
            continue
        if data.get("status") in ACTIVE:
            data["status"] = "interrupted"
            try:
                atomic_write_text(path, json.dumps(data))
            except OSError:
                pass
        if data.get("status") == "interrupted":
            found.append(JobRecord(path.stem, data["session"], str(data.get("kind", "")), _title_from_record(data),
                                   "interrupted", float(data.get("started") or 0)))
    return found


def stop(job: Job) -> None:
    """The Cancel button: a waiting job is dropped from the queue at once, a running one stops soon."""
    runner().stop(job)


def describe(job: Job) -> str:
    """What a job is doing now, in the current language; a waiting one says its place in the queue
    (classroom servers share one). The work's own progress messages are already in the job's language."""
    if job.status != "queued":
        return _(job.message)
    place, running = runner().place(job)
    if place == 0:
        return _(job.message)
    jobs_running = ngettext("{n} job running", "{n} jobs running", running).format(n=running)
    if place == 1:
        return _("Waiting for a free worker: next in line ({running})").format(running=jobs_running)
    return ngettext("Waiting for a free worker: {n} job ahead of it ({running})",
                    "Waiting for a free worker: {n} jobs ahead of it ({running})", place - 1).format(
                        n=place - 1, running=jobs_running)
