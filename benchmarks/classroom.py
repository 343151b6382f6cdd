"""Classroom load test: one server in classroom mode, 30 browser sessions, 10 of them training at once.

    python benchmarks/classroom.py            # 30 sessions, 10 training, at most 6 minutes
    python benchmarks/classroom.py --quick    # 6 sessions, 2 training (a smoke run)

Loopback only: the server is started here on 127.0.0.1 with a fresh workspace, an
access code and the default job cap; the teacher's model (Word2Vec on the English
sample) is trained and published first. Each session is a real Streamlit session over
the websocket (``_streamlit_client``: the protocol the browser speaks, no browser):
it gives the access code, gets its private workspace, opens pages and runs neighbour
and analogy queries on the published model; the first ``--training`` sessions also
take the English sample on the Corpus page and train Word2Vec on it (Train page), both through the job queue.

Reported: pages served (script runs), query latency p50/p95 while training runs and
after, training jobs completed, failures (exceptions, error boxes, timeouts; goal 0),
lost models (a job said done but its model is missing or unreadable; goal 0), and the
server's RSS before the sessions, at peak and after they close.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _streamlit_client import RunResult, Session  # noqa: E402

CODE = "class-2026"
#: the sessions go on querying this long after the last training job ends (latency without training)
AFTER_TRAINING_S = 20
WORDS = ("king", "queen", "paris", "good", "man", "woman", "city", "day", "water", "music")
ANALOGIES = ("king - man + woman", "paris - france + germany", "man : king :: woman : ?")
#: what a student asks, in this order each round: (page, its query box's key, what is typed, tally labels)
QUERIES = (("Neighbours", "neighbours_query", WORDS, "neighbours page", "neighbours query"),
           ("Analogies", "analogy_expression", ANALOGIES, "analogies page", "analogy query"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(root: Path) -> str:
    """The teacher's model, trained in the server's root workspace and published to the class."""
    from embedlab import classroom
    from embedlab.bootstrap import bootstrap
    from embedlab.workspace import Workspace

    model_id = bootstrap(Workspace(root))
    assert model_id is not None
    classroom.publish(root, model_id, root / classroom.PUBLISHED)
    return model_id


class Server:
    def __init__(self, root: Path, port: int, max_jobs: int | None) -> None:
        env = {**os.environ, "EMBEDLAB_CLASSROOM": "1", "EMBEDLAB_ACCESS_CODE": CODE, "EMBEDLAB_WORKSPACE": str(root),
               "EMBEDLAB_WARM_UP": "0", "PYTHONPATH": str(REPO)}
        if max_jobs:
            env["EMBEDLAB_MAX_JOBS"] = str(max_jobs)
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
             "127.0.0.1", "--server.headless", "true"], cwd=REPO, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("the server did not start")
        self.peak = self.rss()
        self._stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def rss(self) -> float:
        """The server's resident memory in MB (its process and any children)."""
        process = psutil.Process(self.process.pid)
        return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 1024**2

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.rss())
            except psutil.Error:
                return
            time.sleep(0.25)

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Tally:
    def __init__(self) -> None:
        self.pages = 0
        self.latency_training: list[float] = []
        self.latency_idle: list[float] = []
        self.failures: list[str] = []
        self.training_until = float("inf")  # set when the last training job has ended

    def record(self, who: int, what: str, result: RunResult, query: bool) -> None:
        self.pages += 1
        for problem in result.exceptions + result.errors:
            self.failures.append(f"session {who}, {what}: {problem[:160]}")
        if query:
            (self.latency_training if time.time() < self.training_until else self.latency_idle).append(result.seconds)


async def enter_class(session: Session) -> RunResult:
    """Open the app and give the access code if the gate asks for it; returns the home page's run."""
    page = await session.run("")
    code = page.widget("classroom_code_input")
    if code is not None:
        submit = next(b for b in page.of_type("button") if b.label == "Enter")
        page = await session.run("", set_values={code.id: CODE}, click=submit.id)
    return page


async def student(who: int, url: str, trains: bool, tally: Tally, deadline: float, roots: dict[int, Path],
                  root: Path, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, 3))  # a class arrives over a few seconds
    try:
        async with Session(url, timeout=180) as session:
            tally.record(who, "home", await enter_class(session), False)
            workspace_id = parse_qs(session.query_string).get("ws", [""])[0]
            roots[who] = root / "students" / workspace_id
            if trains:
                await train_own_model(who, session, tally, rng)
            while time.time() < min(deadline, tally.training_until + AFTER_TRAINING_S):
                for name, key, choices, page_label, query_label in QUERIES:  # open the page, then ask on it
                    opened = await session.run(name)
                    tally.record(who, page_label, opened, False)
                    box = opened.widget(key)
                    if box is not None:
                        result = await session.run(name, set_values={box.id: rng.choice(choices)})
                        tally.record(who, query_label, result, True)
                await asyncio.sleep(rng.uniform(1, 3))  # a student reads the answer
    except Exception as error:  # a timeout or a dropped connection is a failure of the server, not of the test
        tally.failures.append(f"session {who}: {type(error).__name__}: {error}"[:200])


async def train_own_model(who: int, session: Session, tally: Tally, rng: random.Random) -> None:
    """What a student does to train: the English sample on the Corpus page, then Train (Word2Vec defaults).

    Both are jobs of the shared queue (tokenising into the student's workspace, then training); the
    Train page's form appears once the corpus is there. ("Try it" on Home would open the published
    sample model instead of training one.)
    """
    corpus_page = await session.run("Corpus")
    tally.record(who, "corpus page", corpus_page, False)
    use = corpus_page.widget("use_sample")
    tally.record(who, "use the sample", await session.run("Corpus", click=use.id), False)
    while True:  # the tokenising job is queued behind the others' jobs: look again, as a student would
        train_page = await session.run("Train")
        tally.record(who, "train page", train_page, False)
        submit = next((b for b in train_page.of_type("button") if b.label == "Train"), None)
        if submit is not None and not submit.disabled:
            tally.record(who, "train", await session.run("Train", click=submit.id), False)
            return
        await asyncio.sleep(rng.uniform(2, 4))


def models_in(root: Path) -> tuple[int, int]:
    """(readable models, unreadable models) in a student's workspace."""
    from embedlab.classroom import open_workspace

    if not (root / "models").is_dir():
        return 0, 0
    workspace = open_workspace(root)
    good = bad = 0
    for record in workspace.list_models():
        if workspace.is_shared(record.model_id):
            continue
        try:
            vectors = workspace.load_vectors(record.model_id)
            good += int(len(vectors) > 0)
        except Exception:
            bad += 1
    return good, bad


async def drive(url: str, root: Path, n_sessions: int, n_training: int, seconds: float, tally: Tally) -> dict[int, Path]:
    roots: dict[int, Path] = {}
    deadline = time.time() + seconds
    tasks = [asyncio.create_task(student(i, url, i < n_training, tally, deadline, roots, root, random.Random(i)))
             for i in range(n_sessions)]

    async def watch_training() -> None:
        while time.time() < deadline:
            await asyncio.sleep(1)
            trainers = [roots.get(i) for i in range(n_training)]
            if all(r is not None and models_in(r)[0] >= 1 for r in trainers):
                tally.training_until = time.time()
                return

    await asyncio.gather(watch_training(), *tasks)
    return roots


async def alone(url: str, n: int = 12) -> list[float]:
    """The baseline, measured in the same run: one session's query latency on the otherwise idle server."""
    latencies = []
    async with Session(url, timeout=180) as session:
        await enter_class(session)
        for i in range(n):
            name, key, values, _, _ = QUERIES[i % 2]
            box = (await session.run(name)).widget(key)
            latencies.append((await session.run(name, set_values={box.id: values[i % len(values)]})).seconds)
    return latencies


def percentile(values: list[float], q: float) -> str:
    return f"{np.percentile(values, q) * 1000:,.0f} ms" if values else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--training", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=360, help="How long the sessions run at most.")
    parser.add_argument("--max-jobs", type=int, default=None, help="The server's job cap (default: its own).")
    parser.add_argument("--quick", action="store_true", help="6 sessions, 2 training, 90 s.")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.training, args.seconds = 6, 2, 90
    with tempfile.TemporaryDirectory(prefix="embedlab-classroom-") as tmp:
        root = Path(tmp)
        started = time.time()
        print(f"Preparing the teacher's published model in {root}…", file=sys.stderr)
        prepare(root)
        server = Server(root, free_port(), args.max_jobs)
        tally = Tally()
        try:
            time.sleep(2)
            before = server.rss()
            baseline = asyncio.run(alone(server.url))
            print(f"{args.sessions} sessions, {args.training} training, up to {args.seconds:.0f} s…", file=sys.stderr)
            t0 = time.time()
            roots = asyncio.run(drive(server.url, root, args.sessions, args.training, args.seconds, tally))
            elapsed = time.time() - t0
            time.sleep(5)  # sessions closed: what the server keeps
            after = server.rss()
            peak = server.peak
        finally:
            server.stop()
        completed = lost = 0
        for i in range(args.training):
            good, bad = models_in(roots[i]) if i in roots else (0, 0)
            completed += min(good, 1)
            lost += bad
        rows = [
            ("sessions (training)", f"{args.sessions} ({args.training})"),
            ("run time", f"{elapsed:.0f} s (training until {min(tally.training_until, time.time()) - t0:.0f} s)"),
            ("pages served (script runs)", f"{tally.pages:,}"),
            ("baseline: one session alone: n, p50, p95",
             f"{len(baseline)}, {percentile(baseline, 50)}, {percentile(baseline, 95)}"),
            ("queries while training: n, p50, p95",
             f"{len(tally.latency_training)}, {percentile(tally.latency_training, 50)}, {percentile(tally.latency_training, 95)}"
             + (f" ({np.median(tally.latency_training) / np.median(baseline):.1f}x the baseline p50)"
                if tally.latency_training and baseline else "")),
            ("queries after training: n, p50, p95",
             f"{len(tally.latency_idle)}, {percentile(tally.latency_idle, 50)}, {percentile(tally.latency_idle, 95)}"),
            ("training jobs completed", f"{completed} of {args.training}"),
            ("failures", str(len(tally.failures))),
            ("lost models", str(lost)),
            ("server RSS before / peak / after", f"{before:,.0f} / {peak:,.0f} / {after:,.0f} MB"),
            ("whole benchmark", f"{time.time() - started:.0f} s"),
        ]
        width = max(len(k) for k, _ in rows)
        print(f"{'metric':<{width}}  value")
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
        for failure in tally.failures[:10]:
            print("  failure:", failure)
        return 0 if not tally.failures and not lost and completed == args.training else 1


if __name__ == "__main__":
    sys.exit(main())
