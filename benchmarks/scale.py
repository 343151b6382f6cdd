"""Scale: a 1M x 300 model opened, searched and mapped, each figure beside a baseline from the same run.

Usage::

    python benchmarks/scale.py            # 1,000,000 x 300 (about 3.6 GB of temporary files; minutes)
    python benchmarks/scale.py --quick    # 50,000 x 128, UMAP of 20,000 (for run_all.py --quick)

The model is generated (no download): word-like vectors with hierarchical cluster
structure (200 topics, 20,000 sub-topics of ~50 words, then per-word noise), written as
a word2vec *binary* file, i.e. what a pretrained download looks like, and imported with
``embedlab.io.importer`` like a user's file. Then, each in a fresh subprocess:

* **open**: ``Workspace.load_vectors`` (memory-mapped), timed in three fresh processes
  (median), against gensim's ``KeyedVectors.load_word2vec_format`` of the same file;
* **explore**: one process does what a user does with the model, in order: open it,
  20 exact queries (what the Neighbours page answers while the index builds), build
  the approximate index (with its recall tuning and held-out measurement),
  500 single queries, an independent recall re-measurement on 200 other words, PCA of
  every word, the density image, a search highlighted among all words with the figure
  sent to the browser, and UMAP of the 200,000 most frequent words (fit on a sample +
  ``transform``). Each phase's time and resident memory (total, heap, and the memory
  map's file pages) are recorded; the **RSS growth** is the peak over all of them
  (sampled every 10 ms) above the level after imports and the app's start-up warm-ups,
  divided by the matrix size (goal: at most 2). Single queries report wall-time median,
  p95 and p99 beside this thread's CPU time, so a slow query shows whether the library
  worked longer or another process had the core;
* **baselines**, each in its own process so their memory is not the explored server's:
  exact search (``embedlab.search`` with its int8 screening copy) and gensim
  ``most_similar`` (median of 200 queries), and umap-learn's ``fit_transform`` on the
  same 200,000 words (stopped after a time limit if it does not finish).

The load average is printed before and after: on a shared machine wall times depend on it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: single queries timed on our index (median, p95, p99), and on each baseline (median)
QUERIES = 500
#: fresh processes the open is timed in (the median is reported)
OPENS = 3
BASELINE_QUERIES = 200
#: exact queries the page answers while the approximate index builds
STANDIN_QUERIES = 20
K = 10


# -- data -------------------------------------------------------------------------------------------

def write_word2vec_binary(path: Path, n: int, dim: int, seed: int = 0, block: int = 50_000) -> None:
    """A word2vec binary file of ``n`` word-like vectors, written in blocks (never the whole matrix in memory)."""
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((200, dim)).astype(np.float32)
    n_sub = max(1, n // 50)
    subs = topics[rng.integers(0, 200, size=n_sub)] + 0.8 * rng.standard_normal((n_sub, dim)).astype(np.float32)
    width = len(f"w{n - 1}")
    row = np.dtype([("word", f"S{width + 1}"), ("vec", "<f4", (dim,)), ("nl", "S1")])
    with open(path, "wb") as out:
        out.write(f"{n} {dim}\n".encode())
        for start in range(0, n, block):
            stop = min(n, start + block)
            ids = np.arange(start, stop)
            vec = subs[rng.integers(0, n_sub, size=len(ids))] + 1.0 * rng.standard_normal((len(ids), dim), dtype=np.float32)
            rows = np.empty(len(ids), dtype=row)
            rows["word"] = [f"w{i:0{width - 1}d} ".encode() for i in ids]
            rows["vec"] = vec
            rows["nl"] = b"\n"
            out.write(rows.tobytes())


# -- steps run in subprocesses ------------------------------------------------------------------------

def memory() -> dict[str, int]:
    """This process's resident memory in bytes: all of it, anonymous (heap), and file-backed (the memory map's pages)."""
    fields = {"VmRSS": "rss", "RssAnon": "anon", "RssFile": "file"}
    out = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in fields:
                out[fields[name]] = int(value.split()[0]) * 1024
    return out


class Phases:
    """Resident memory through named phases: after each, and the peak inside it (sampled every 10 ms).

    Everything is relative to ``base``, the level when the object is made (after imports and
    warm-ups). ``peak`` is the largest RSS seen in any phase.
    """

    def __init__(self) -> None:
        self.base = memory()
        self.rows: list[dict] = []
        self._peak = dict(self.base)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self._note(memory())

    def _note(self, now: dict[str, int]) -> None:
        with self._lock:
            if now["rss"] > self._peak["rss"]:
                self._peak = now

    def run(self, name: str, fn):
        with self._lock:
            self._peak = memory()
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        after = memory()
        self._note(after)
        with self._lock:
            peak = self._peak
        grow = lambda m: {k: m[k] - self.base[k] for k in ("rss", "anon", "file")}  # noqa: E731
        self.rows.append({"phase": name, "s": seconds, "after": grow(after), "peak": grow(peak)})
        return result

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return max((r["peak"] for r in self.rows), key=lambda g: g["rss"])


def latencies(query, words: list[str]) -> dict:
    """Wall and CPU (this thread's) time of single queries, and the context switches the slow ones suffered."""
    import resource

    wall, cpu, switched = [], [], []
    for word in words:
        before = resource.getrusage(resource.RUSAGE_THREAD)
        c, t = time.thread_time(), time.perf_counter()
        query(word)
        wall.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
        switched.append(resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw - before.ru_nivcsw)
    wall_ms, cpu_ms = np.array(wall) * 1000, np.array(cpu) * 1000
    slow = wall_ms >= np.percentile(wall_ms, 95)
    out = {"n": len(words)}
    for name, values in (("wall", wall_ms), ("cpu", cpu_ms)):
        out.update({f"{name}_median": float(np.median(values)), f"{name}_p95": float(np.percentile(values, 95)),
                    f"{name}_p99": float(np.percentile(values, 99)), f"{name}_max": float(values.max())})
    out["slow_preempted"] = float(np.mean(np.array(switched)[slow] > 0))
    out["slow_off_cpu_ms"] = float(np.mean(wall_ms[slow] - cpu_ms[slow]))
    return out


def step_open(work: Path) -> dict:
    from embedlab.workspace import Workspace

    info = json.loads((work / "import.json").read_text())
    workspace = Workspace(work / "ws")
    started = time.perf_counter()
    vectors = workspace.load_vectors(info["model_id"])
    return {"open_s": time.perf_counter() - started, "words": len(vectors)}


def step_explore(work: Path, umap_points: int, fit: int) -> dict:
    """What a user does with a big model in one server process: every phase's time and resident memory."""
    import faiss  # noqa: F401 - imported before the baseline RSS, as a running app has it
    import datashader  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from embedlab import ann, density, projection
    from embedlab.fullmap import project_all
    from embedlab.search import NeighbourIndex
    from embedlab.viz.density_map import density_map
    from embedlab.viz.map import match_words
    from embedlab.workspace import Workspace

    info = json.loads((work / "import.json").read_text())
    density.warm_up()  # the app warms these up in the background when it starts, before any model is open
    projection.warm_up()
    workspace = Workspace(work / "ws")
    phases = Phases()
    out: dict = {}
    vectors = phases.run("open (memory-mapped)", lambda: workspace.load_vectors(info["model_id"]))
    out["open_s"] = phases.rows[-1]["s"]
    matrix_bytes = vectors.unit.nbytes
    rng = np.random.default_rng(5)
    asked = [vectors.words[i] for i in rng.integers(0, len(vectors), size=QUERIES)]
    # the Neighbours page answers exactly while the approximate index builds (neighbours_view.active_index)
    standin = NeighbourIndex(vectors, approximate=False, screen=False)
    out["standin"] = phases.run(f"{STANDIN_QUERIES} exact queries (page, index building)",
                                lambda: latencies(lambda w: standin.query(w, K), asked[:STANDIN_QUERIES]))
    index = NeighbourIndex(vectors)
    out["approximate_by_default"] = index.approximate
    index.approximate = True
    phases.run("approximate index build (+ recall)", index.build)
    out["build_s"] = phases.rows[-1]["s"]
    out["index"] = index.method
    out["plan"] = index._ann.plan.reason
    out["breadth"] = index._ann.breadth
    out["recall_reported"] = index.recall.value
    out["recall_sample"] = index.recall.sample
    index.query(asked[0], K)
    out["latency"] = phases.run(f"{QUERIES} single queries", lambda: latencies(lambda w: index.query(w, K), asked))
    fresh = np.setdiff1d(rng.choice(len(vectors), size=400, replace=False), index.recall.rows)[:200]
    out["recall_fresh"] = phases.run("recall re-measured (200 words)", lambda: ann.measure_recall(index._ann, fresh)).value
    projection_all = phases.run("PCA of every word", lambda: project_all(vectors.unit, "pca"))
    out["pca_s"] = phases.rows[-1]["s"]

    def draw() -> tuple:
        grid = density.aggregate(projection_all.coords)
        return grid, density.png_data_uri(density.shade(grid))

    grid, uri = phases.run("density image", draw)
    out["density_s"] = phases.rows[-1]["s"]
    out["density_total"] = grid.total

    def highlight() -> int:
        pick = density.first_inside(projection_all.coords, grid.x_range, grid.y_range, 20_000)
        matches = match_words(vectors.words, "w00777")  # a search among all words, highlighted on the map
        fig = density_map(uri, grid.x_range, grid.y_range, projection_all.coords[pick],
                          [vectors.words[i] for i in pick], projection_all.coords[matches],
                          [vectors.words[i] for i in matches], "map", projection_all.description)
        return len(fig.to_json())

    out["figure_bytes"] = phases.run("search highlight + figure", highlight)
    umap_map = phases.run(f"UMAP of {umap_points:,} (fit {fit:,} + transform)",
                          lambda: project_all(vectors.unit, "umap", max_points=umap_points, fit_sample=fit))
    out["umap_s"] = phases.rows[-1]["s"]
    out["umap_description"] = str(umap_map.description)  # the sentence: the result travels as JSON
    out["peak"] = phases.stop()
    out["phases"] = phases.rows
    out["matrix_bytes"] = matrix_bytes
    out["words"] = len(vectors)
    return out


def step_exact(work: Path) -> dict:
    """The exact-search baseline, in its own process (its int8 screening copy is not the explored server's)."""
    from embedlab.search import NeighbourIndex
    from embedlab.workspace import Workspace

    info = json.loads((work / "import.json").read_text())
    vectors = Workspace(work / "ws").load_vectors(info["model_id"])
    base = memory()["rss"]
    rng = np.random.default_rng(5)
    asked = [vectors.words[i] for i in rng.integers(0, len(vectors), size=BASELINE_QUERIES)]
    exact = NeighbourIndex(vectors, approximate=False)
    exact.query(asked[0], K)  # the first query makes the int8 screening copy
    times = []
    for word in asked:
        t = time.perf_counter()
        exact.query(word, K)
        times.append(time.perf_counter() - t)
    return {"exact_ms": statistics.median(times) * 1000, "rss_growth_bytes": memory()["rss"] - base}


def step_gensim(work: Path) -> dict:
    from gensim.models import KeyedVectors

    started = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(str(work / "vectors.bin"), binary=True)
    load = time.perf_counter() - started
    rng = np.random.default_rng(5)
    asked = [kv.index_to_key[i] for i in rng.integers(0, len(kv), size=BASELINE_QUERIES)]
    kv.most_similar(asked[0], topn=K)
    times = []
    for word in asked:
        t = time.perf_counter()
        kv.most_similar(word, topn=K)
        times.append(time.perf_counter() - t)
    return {"load_s": load, "most_similar_ms": statistics.median(times) * 1000}


def step_umap_full(work: Path, points: int) -> dict:
    import umap

    from embedlab.projection import warm_up
    from embedlab.workspace import Workspace

    info = json.loads((work / "import.json").read_text())
    vectors = Workspace(work / "ws").load_vectors(info["model_id"])
    data = np.asarray(vectors.unit[:points], dtype=np.float32)
    warm_up()
    started = time.perf_counter()
    umap.UMAP(n_components=2, metric="cosine").fit_transform(data)
    return {"umap_s": time.perf_counter() - started}


def run_step(work: Path, name: str, *extra: str, timeout: float | None = None) -> dict | None:
    command = [sys.executable, __file__, "--step", name, "--work", str(work), *extra]
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the table ----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="50,000 x 128 words, UMAP of 20,000")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--points", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--fit", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--umap-timeout", type=float, default=None,
                        help="seconds umap-learn on the full set may take before it is stopped (default 900; quick 300)")
    args = parser.parse_args()
    if args.step:
        work = Path(args.work)
        result = {"open": lambda: step_open(work), "explore": lambda: step_explore(work, args.points, args.fit),
                  "exact": lambda: step_exact(work), "gensim": lambda: step_gensim(work),
                  "umap_full": lambda: step_umap_full(work, args.points)}[args.step]()
        print(json.dumps(result))
        return
    n, dim, umap_points, fit = (50_000, 128, 20_000, 5_000) if args.quick else (1_000_000, 300, 200_000, 20_000)
    umap_timeout = args.umap_timeout or (300 if args.quick else 900)
    load_before = os.getloadavg()
    print(f"Load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"({os.cpu_count()} cores)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="embedlab-scale-"))
    try:
        from embedlab.io.importer import import_vectors
        from embedlab.workspace import Workspace

        print(f"Generating {n:,} x {dim} word-like vectors as a word2vec binary file…", flush=True)
        write_word2vec_binary(work / "vectors.bin", n, dim)
        started = time.perf_counter()
        imported = import_vectors(Workspace(work / "ws"), work / "vectors.bin")
        import_s = time.perf_counter() - started
        (work / "import.json").write_text(json.dumps({"model_id": imported.model_id}))
        print(f"Opening it in {OPENS} fresh processes…", flush=True)
        opens = [run_step(work, "open")["open_s"] for _ in range(OPENS)]
        print(f"Exploring in one process (open, index, {QUERIES} queries, PCA, density, highlight, "
              f"UMAP of {umap_points:,})…", flush=True)
        explore = run_step(work, "explore", "--points", str(umap_points), "--fit", str(fit))
        print("Baseline: exact search (own process)…", flush=True)
        exact = run_step(work, "exact")
        print("Baseline: gensim (own process)…", flush=True)
        gensim = run_step(work, "gensim")
        print(f"Baseline: umap-learn on all {umap_points:,} (stopped after {umap_timeout:.0f} s)…", flush=True)
        full = run_step(work, "umap_full", "--points", str(umap_points), timeout=umap_timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    assert explore and exact and gensim
    print_report(explore, exact, gensim, full, opens, import_s, n, dim, umap_points, fit, umap_timeout)
    print(f"\nLoad average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, after "
          f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} ({os.cpu_count()} cores; above the core count "
          f"other work competed for the CPU and wall times are inflated).")


def print_table(headers: tuple[str, ...], rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    for r in [headers, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())


def print_report(explore: dict, exact: dict, gensim: dict, full: dict | None, opens: list[float], import_s: float,
                 n: int, dim: int, umap_points: int, fit: int, umap_timeout: float) -> None:
    size = f"{n:,} x {dim}"
    matrix = explore["matrix_bytes"]
    peak = explore["peak"]
    lat = explore["latency"]
    open_median = statistics.median(opens)
    ratio = lambda v: f"{v / matrix:.2f}x"  # noqa: E731
    rows = [
        ("import the word2vec binary file", size, f"{import_s:.1f} s", "(once; later opens are memory-mapped)", "", ""),
        (f"open (memory-mapped), median of {len(opens)}", size, f"{open_median:.2f} s",
         f"gensim load {gensim['load_s']:.1f} s", f"{gensim['load_s'] / open_median:.0f}x", "< 1 s"),
        ("RSS growth while explored / matrix", size, f"{ratio(peak['rss'])} ({peak['rss'] / 1e9:.2f} GB)",
         f"matrix {matrix / 1e9:.2f} GB (heap {ratio(peak['anon'])}, mapped file {ratio(peak['file'])})", "", "<= 2x"),
        ("approximate index build", size, f"{explore['build_s']:.1f} s", explore["index"], "", "background"),
        ("recall@10 (reported, held-out)", f"{explore['recall_sample']} words", f"{explore['recall_reported']:.3f}",
         f"re-measured on 200 others: {explore['recall_fresh']:.3f}", "", ">= 0.95"),
        ("single query, k=10, median", size, f"{lat['wall_median']:.2f} ms",
         f"exact {exact['exact_ms']:.1f} ms; gensim {gensim['most_similar_ms']:.1f} ms",
         f"{exact['exact_ms'] / lat['wall_median']:.0f}x / {gensim['most_similar_ms'] / lat['wall_median']:.0f}x",
         "< 10 ms"),
        ("single query, k=10, p95 / p99", f"{lat['n']} queries", f"{lat['wall_p95']:.2f} / {lat['wall_p99']:.2f} ms",
         f"CPU time: median {lat['cpu_median']:.2f}, p95 {lat['cpu_p95']:.2f}, p99 {lat['cpu_p99']:.2f} ms", "",
         "p95 < 10 ms"),
        ("PCA of every word", size, f"{explore['pca_s']:.1f} s", "", "", "< 10 s"),
        ("density image (aggregate+shade+PNG)", f"{explore['density_total']:,} points", f"{explore['density_s']:.2f} s",
         f"figure sent: {explore['figure_bytes'] / 1e6:.2f} MB", "", "a few MB"),
        (f"UMAP of {umap_points:,} words", f"fit on {fit:,} + transform", f"{explore['umap_s']:.1f} s",
         f"umap-learn on all: {full['umap_s']:.1f} s" if full else f"umap-learn on all: not done in {umap_timeout:.0f} s",
         f"{full['umap_s'] / explore['umap_s']:.1f}x" if full else f"> {umap_timeout / explore['umap_s']:.1f}x",
         "background"),
    ]
    print()
    print_table(("measurement", "size", "embedlab", "baseline (same run)", "ratio", "goal"), rows)
    print(f"\nOpens in fresh processes: {', '.join(f'{s:.2f}' for s in opens)} s; in the exploring process "
          f"{explore['open_s']:.2f} s.")
    print(f"Index: {explore['index']} ({explore['plan']}); breadth {explore['breadth']}. "
          f"Exact by default up to 200M elements: approximate by default here: {explore['approximate_by_default']}.")
    print(f"Single queries: the {lat['n'] // 20} slowest waited {lat['slow_off_cpu_ms']:.1f} ms off the CPU on average "
          f"(wall minus this thread's CPU time); {lat['slow_preempted']:.0%} of them were preempted (involuntary "
          f"context switches), i.e. other processes had the core.")
    standin = explore["standin"]
    print(f"While the index builds, the Neighbours page answers exactly (no int8 copy): median "
          f"{standin['wall_median']:.1f} ms, p95 {standin['wall_p95']:.1f} ms over {standin['n']} queries.")
    print(f"UMAP map says: {explore['umap_description']}")
    print("\nWhat the RSS figure covers: the peak resident memory of ONE process doing, in order, every phase below "
          "(sampled every 10 ms), above its level after imports and the warm-ups the app does at start. It counts the "
          "memory-mapped matrix's pages once read (\"file\": the matrix is 1.00x; code pages of libraries first used add a little) and everything the library allocates "
          "(\"heap\"). The baselines (exact search with its int8 screening copy, gensim, umap-learn) run in their own "
          f"processes and are not in it; exact search alone grew its process by {ratio(exact['rss_growth_bytes'])}.\n")
    if n < 1_000_000:
        print(f"(At {size} the matrix is {matrix / 1e6:.0f} MB, so fixed costs (allocator arenas, code pages, UMAP's "
              "working memory) dominate these ratios; the goal is for the 1M x 300 run.)\n")
    print_table(("phase (one process, in order)", "time", "RSS after", "heap after", "file after", "peak in phase",
                 "heap at peak"),
                [(r["phase"], f"{r['s']:.2f} s", ratio(r["after"]["rss"]), ratio(r["after"]["anon"]),
                  ratio(r["after"]["file"]), ratio(r["peak"]["rss"]), ratio(r["peak"]["anon"]))
                 for r in explore["phases"]])


if __name__ == "__main__":
    main()
