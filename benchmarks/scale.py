"""Scale: a 1M x 300 model opened, searched and mapped, each figure beside a baseline from the same run.

Usage::

    python benchmarks/scale.py            # 1,000,000 x 300 (about 3.6 GB of temporary files; minutes)
    python benchmarks/scale.py --quick    # 50,000 x 128, UMAP of 20,000 (for run_all.py --quick)

The model is generated (no download): word-like vectors with hierarchical cluster
structure (200 topics, 20,000 sub-topics of ~50 words, then per-word noise), written as
a word2vec *binary* file, i.e. what a pretrained download looks like, and imported with
``embedlab.io.importer`` like a user's file. Each measurement runs in a fresh
subprocess so imports, caches and memory of one cannot skew another:

* **open**: ``Workspace.load_vectors`` (memory-mapped) against gensim's
  ``KeyedVectors.load_word2vec_format`` of the same file;
* **RSS growth**: the peak resident memory (sampled every 20 ms) above the level after
  the imports, while the model is opened, searched exactly, indexed, searched
  approximately, mapped by PCA and drawn as a density image; divided by the matrix size
  (goal: at most 2);
* **index**: build time of ``embedlab.ann``'s index, its reported recall@10 (held-out
  sample) and an independent re-measurement on 200 other words; single-query latency
  (median of 200) against exact search and gensim ``most_similar``;
* **map**: PCA of every word, and the density image (aggregate + shade + PNG) with the
  figure's size as sent to the browser;
* **UMAP**: ``fullmap.project_all('umap')`` (fit on a sample + transform) on the most
  frequent 200,000 words against umap-learn's ``fit_transform`` on the same words
  (stopped after a time limit if it does not finish).
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

QUERIES = 200
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

class PeakRss:
    """Samples this process's RSS every 20 ms; ``peak`` is the largest seen."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.base = self.process.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)
        return self.peak - self.base


def step_explore(work: Path) -> dict:
    import faiss  # noqa: F401 - imported before the baseline RSS, as a running app has it
    import datashader  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from embedlab import ann, density
    from embedlab.fullmap import project_all
    from embedlab.search import NeighbourIndex
    from embedlab.viz.density_map import density_map
    from embedlab.viz.map import match_words
    from embedlab.workspace import Workspace

    info = json.loads((work / "import.json").read_text())
    density.warm_up()
    workspace = Workspace(work / "ws")
    rss = PeakRss()
    out: dict = {}
    started = time.perf_counter()
    vectors = workspace.load_vectors(info["model_id"])
    out["open_s"] = time.perf_counter() - started
    matrix_bytes = vectors.unit.nbytes
    rng = np.random.default_rng(5)
    asked = [vectors.words[i] for i in rng.integers(0, len(vectors), size=QUERIES)]
    exact = NeighbourIndex(vectors, approximate=False)
    exact.query(asked[0], K)  # first query makes the int8 screening copy
    t_exact = []
    for word in asked:
        t = time.perf_counter()
        exact.query(word, K)
        t_exact.append(time.perf_counter() - t)
    out["exact_ms"] = statistics.median(t_exact) * 1000
    del exact  # with its int8 copy: the page's index of a model this size never makes one (see search._search)
    index = NeighbourIndex(vectors)
    out["approximate_by_default"] = index.approximate
    index.approximate = True
    started = time.perf_counter()
    index.build()
    out["build_s"] = time.perf_counter() - started
    out["index"] = index.method
    out["plan"] = index._ann.plan.reason
    out["breadth"] = index._ann.breadth
    out["recall_reported"] = index.recall.value
    out["recall_sample"] = index.recall.sample
    t_approx = []
    index.query(asked[0], K)
    for word in asked:
        t = time.perf_counter()
        index.query(word, K)
        t_approx.append(time.perf_counter() - t)
    out["approx_ms"] = statistics.median(t_approx) * 1000
    out["approx_p95_ms"] = float(np.percentile(t_approx, 95) * 1000)
    fresh = np.setdiff1d(rng.choice(len(vectors), size=400, replace=False), index.recall.rows)[:200]
    out["recall_fresh"] = ann.measure_recall(index._ann, fresh).value
    started = time.perf_counter()
    projection = project_all(vectors.unit, "pca")
    out["pca_s"] = time.perf_counter() - started
    started = time.perf_counter()
    grid = density.aggregate(projection.coords)
    uri = density.png_data_uri(density.shade(grid))
    out["density_s"] = time.perf_counter() - started
    out["density_total"] = grid.total
    pick = density.first_inside(projection.coords, grid.x_range, grid.y_range, 20_000)
    matches = match_words(vectors.words, "w00777")  # a search among all words, highlighted on the map
    fig = density_map(uri, grid.x_range, grid.y_range, projection.coords[pick], [vectors.words[i] for i in pick],
                      projection.coords[matches], [vectors.words[i] for i in matches], "map", projection.description)
    out["figure_bytes"] = len(fig.to_json())
    out["rss_growth_bytes"] = rss.stop()
    out["matrix_bytes"] = matrix_bytes
    out["words"] = len(vectors)
    return out


def step_gensim(work: Path) -> dict:
    from gensim.models import KeyedVectors

    started = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(str(work / "vectors.bin"), binary=True)
    load = time.perf_counter() - started
    rng = np.random.default_rng(5)
    asked = [kv.index_to_key[i] for i in rng.integers(0, len(kv), size=QUERIES)]
    kv.most_similar(asked[0], topn=K)
    times = []
    for word in asked:
        t = time.perf_counter()
        kv.most_similar(word, topn=K)
        times.append(time.perf_counter() - t)
    return {"load_s": load, "most_similar_ms": statistics.median(times) * 1000}


def step_umap_ours(work: Path, points: int, fit: int) -> dict:
    from embedlab.fullmap import project_all
    from embedlab.projection import warm_up
    from embedlab.workspace import Workspace

    info = json.loads((work / "import.json").read_text())
    vectors = Workspace(work / "ws").load_vectors(info["model_id"])
    warm_up()  # numba compile, as the app does in the background at start
    started = time.perf_counter()
    result = project_all(vectors.unit, "umap", max_points=points, fit_sample=fit)
    return {"umap_s": time.perf_counter() - started, "description": result.description}


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
        result = {"explore": lambda: step_explore(work), "gensim": lambda: step_gensim(work),
                  "umap_ours": lambda: step_umap_ours(work, args.points, args.fit),
                  "umap_full": lambda: step_umap_full(work, args.points)}[args.step]()
        print(json.dumps(result))
        return
    n, dim, umap_points, fit = (50_000, 128, 20_000, 5_000) if args.quick else (1_000_000, 300, 200_000, 20_000)
    umap_timeout = args.umap_timeout or (300 if args.quick else 900)
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
        print("Exploring (open, search, index, map)…", flush=True)
        explore = run_step(work, "explore")
        print("Baseline: gensim…", flush=True)
        gensim = run_step(work, "gensim")
        print(f"UMAP of {umap_points:,} words: ours (sample of {fit:,} + transform)…", flush=True)
        ours = run_step(work, "umap_ours", "--points", str(umap_points), "--fit", str(fit))
        print(f"Baseline: umap-learn on all {umap_points:,} (stopped after {umap_timeout:.0f} s)…", flush=True)
        full = run_step(work, "umap_full", "--points", str(umap_points), timeout=umap_timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert explore and gensim and ours
    size = f"{n:,} x {dim}"
    growth = explore["rss_growth_bytes"] / explore["matrix_bytes"]
    rows = [
        ("import the word2vec binary file", size, f"{import_s:.1f} s", "(once; later opens are memory-mapped)", "", ""),
        ("open (memory-mapped)", size, f"{explore['open_s']:.2f} s", f"gensim load {gensim['load_s']:.1f} s",
         f"{gensim['load_s'] / explore['open_s']:.0f}x", "< 1 s"),
        ("RSS growth while explored / matrix", size, f"{growth:.2f}x ({explore['rss_growth_bytes'] / 1e9:.2f} GB)",
         f"matrix {explore['matrix_bytes'] / 1e9:.2f} GB", "", "<= 2x"),
        ("approximate index build", size, f"{explore['build_s']:.1f} s", explore["index"], "", "background"),
        ("recall@10 (reported, held-out)", f"{explore['recall_sample']} words", f"{explore['recall_reported']:.3f}",
         f"re-measured on 200 others: {explore['recall_fresh']:.3f}", "", ">= 0.95"),
        ("single query, k=10 (median)", size, f"{explore['approx_ms']:.2f} ms",
         f"exact {explore['exact_ms']:.1f} ms; gensim {gensim['most_similar_ms']:.1f} ms",
         f"{explore['exact_ms'] / explore['approx_ms']:.0f}x / {gensim['most_similar_ms'] / explore['approx_ms']:.0f}x",
         "< 10 ms"),
        ("PCA of every word", size, f"{explore['pca_s']:.1f} s", "", "", "< 10 s"),
        ("density image (aggregate+shade+PNG)", f"{explore['density_total']:,} points", f"{explore['density_s']:.2f} s",
         f"figure sent: {explore['figure_bytes'] / 1e6:.2f} MB", "", "a few MB"),
        (f"UMAP of {umap_points:,} words", f"fit on {fit:,} + transform", f"{ours['umap_s']:.1f} s",
         f"umap-learn on all: {full['umap_s']:.1f} s" if full else f"umap-learn on all: not done in {umap_timeout:.0f} s",
         f"{full['umap_s'] / ours['umap_s']:.1f}x" if full else f"> {umap_timeout / ours['umap_s']:.1f}x", "background"),
    ]
    headers = ("measurement", "size", "embedlab", "baseline (same run)", "ratio", "goal")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    print()
    for r in [headers, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print(f"\nIndex: {explore['index']} ({explore['plan']}); breadth {explore['breadth']}. "
          f"Exact by default up to 200M elements: approximate by default here: {explore['approximate_by_default']}.")
    print(f"UMAP map says: {ours['description']}")


if __name__ == "__main__":
    main()
