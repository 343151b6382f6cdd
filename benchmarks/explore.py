"""Exploring a model: neighbour queries vs gensim, the all-words kNN graph, then the Map's projections.

Usage (from the repository root)::

    .venv/bin/python benchmarks/explore.py            # 10k, 100k and 1M words; a few minutes on 2 cores
    .venv/bin/python benchmarks/explore.py --quick    # 10k and 100k words, no HNSW, no projections
    .venv/bin/python benchmarks/explore.py --no-projection
    .venv/bin/python benchmarks/explore.py --batch-only   # only the all-words kNN (knn_graph vs faiss)

What it measures, all in this one process so the ratios are fair on a shared machine:

* **single-query latency**: ``NeighbourIndex.query(word, 10)`` (exact: a fused
  one-pass kernel, and from 200k words an int8 screen with a proven error bound
  then exact float32 rescoring) against gensim's
  ``KeyedVectors.most_similar(word, topn=10)`` on the same random 100-d vectors
  (10k, 100k, 1M words). The two are timed alternately, query by query, so load
  from other processes hits both alike; the median per query is reported. Goal:
  embedlab faster at every size (ratio > 1). The answers are checked to be equal.
* **approximate search** (not with --quick): a faiss HNSW index at 100k words, its
  build time, query latency and recall@10 against exact.
* **batch kNN**: every word's 50 nearest neighbours among 50k words (``knn_graph``),
  against faiss's flat index with ``distance_compute_blas_threshold`` lowered to 20
  (at faiss 1.15's default of 128,000 a batch under that size takes the slow
  per-query path, timed here on 1,000 queries and scaled), numpy
  ``argpartition``, and ``top_k`` over full rows (what ``knn_graph`` did before it
  computed half of the symmetric score matrix). Goal: <= 5 s. The neighbour sets are checked to agree. CPU
  time (all threads) is printed too: on a shared machine it says more than wall time.
* then ``benchmarks/projection.py`` (the Map page's UMAP/PCA timings) in a subprocess,
  which prints its own table; not when ``run_all.py`` runs projection.py in the same run
  (once is enough: it is one of the slowest).

Random Gaussian vectors are the worst case for approximate search (no cluster
structure), so the HNSW recall here is a lower bound.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from embedlab import search  # noqa: E402
from embedlab.search import NeighbourIndex, knn_graph, top_k  # noqa: E402
from embedlab.vectors import WordVectors  # noqa: E402

DIM = 100
K = 10
BATCH_WORDS, BATCH_K = 50_000, 50
ROWS: list[dict[str, Any]] = []


def row(measurement: str, size: str, embedlab: str, reference: str = "", ratio: str = "", goal: str = "",
        note: str = "") -> None:
    ROWS.append({"measurement": measurement, "size": size, "embedlab": embedlab, "reference": reference,
                 "ratio": ratio, "goal": goal, "note": note})
    print(f"  {measurement} · {size}: {embedlab} | {reference} | {ratio} {goal} {note}", flush=True)


def random_vectors(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, DIM), dtype=np.float32)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def query_latency(n: int, queries: int) -> None:
    """embedlab vs gensim most_similar, alternating per query; median ms each."""
    from gensim.models import KeyedVectors

    matrix = random_vectors(n)
    words = [f"w{i}" for i in range(n)]
    started = time.perf_counter()
    vectors = WordVectors.from_matrix(words, matrix)
    index = NeighbourIndex(vectors)
    if n >= search.QUANTIZE_MIN_ROWS:
        index.quantized()  # made on the first query in the app; counted as setup here
    ours_setup = time.perf_counter() - started
    started = time.perf_counter()
    kv = KeyedVectors(DIM)  # (count=n would pre-allocate n zero rows and add_vectors append n more)
    kv.add_vectors(words, matrix)
    kv.fill_norms()
    theirs_setup = time.perf_counter() - started
    del matrix
    rng = np.random.default_rng(1)
    asked = [words[i] for i in rng.integers(0, n, size=queries)]
    # warm both (numba kernel, BLAS threads, gensim's norms)
    index.query(asked[0], K)
    kv.most_similar(asked[0], topn=K)
    ours, theirs, same = [], [], 0
    for i, word in enumerate(asked):
        order: list[tuple[list[float], Callable[[], Any]]] = [
            (ours, lambda: index.query(word, K)), (theirs, lambda: kv.most_similar(word, topn=K))]
        if i % 2:
            order.reverse()  # alternate who goes first
        answers = []
        for bucket, call in order:
            t = time.perf_counter()
            answers.append(call())
            bucket.append(time.perf_counter() - t)
        mine, gensims = (answers if i % 2 == 0 else answers[::-1])
        same += [n.word for n in mine] == [w for w, _ in gensims]
    a, b = statistics.median(ours), statistics.median(theirs)
    how = "int8 screen + exact rescoring" if n >= search.QUANTIZE_MIN_ROWS else "BLAS product + compiled top-k"
    row("single query, k=10", f"{n:,} words", ms(a), f"gensim {ms(b)}", f"{b / a:.2f}x",
        "faster" if a < b else "NOT faster",
        f"{how}; {queries} queries, median; identical answers {same}/{queries}; "
        f"setup {ours_setup:.1f} s vs {theirs_setup:.1f} s")


def approximate(n: int, queries: int) -> None:
    """HNSW at ``n`` words: build time, latency and recall@10 against exact."""
    vectors = WordVectors.from_matrix([f"w{i}" for i in range(n)], random_vectors(n, seed=2))
    exact = NeighbourIndex(vectors, approximate=False)
    approx = NeighbourIndex(vectors, approximate=True)
    started = time.perf_counter()
    approx.build()
    build = time.perf_counter() - started
    rng = np.random.default_rng(3)
    asked = [f"w{i}" for i in rng.integers(0, n, size=queries)]
    approx.query(asked[0], K)
    exact.query(asked[0], K)
    t_approx, t_exact, hits = [], [], 0
    for word in asked:
        t = time.perf_counter()
        got = {x.word for x in approx.query(word, K)}
        t_approx.append(time.perf_counter() - t)
        t = time.perf_counter()
        truth = {x.word for x in exact.query(word, K)}
        t_exact.append(time.perf_counter() - t)
        hits += len(got & truth)
    a, b = statistics.median(t_approx), statistics.median(t_exact)
    row("single query, HNSW", f"{n:,} words", ms(a), f"exact {ms(b)}", f"{b / a:.1f}x", "",
        f"recall@10 {hits / (K * queries):.3f}; build {build:.1f} s (M={search.HNSW_M}, "
        f"efConstruction={search.HNSW_EF_CONSTRUCTION}, efSearch={search.HNSW_EF_SEARCH})")


def batch_knn(n: int, k: int) -> None:
    """All-words kNN: embedlab vs faiss flat (BLAS threshold lowered and default) vs numpy argpartition."""
    import faiss

    unit = WordVectors.from_matrix([f"w{i}" for i in range(n)], random_vectors(n, seed=4)).unit
    unit = np.ascontiguousarray(unit)
    knn_graph(unit[:100], 5)  # compile/load the kernel outside the timing
    top_k(unit[:100], unit[:100], 5)
    started, cpu = time.perf_counter(), time.process_time()
    ours_idx, _ = knn_graph(unit, k)
    ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    # what knn_graph did before it computed half the symmetric matrix: every row against every word
    started, cpu = time.perf_counter(), time.process_time()
    full_idx, _ = top_k(unit, unit, k, exclude=np.arange(n, dtype=np.int64))
    full, full_cpu = time.perf_counter() - started, time.process_time() - cpu
    same_as_full = float(np.mean(ours_idx == full_idx))

    faiss.omp_set_num_threads(search.faiss_threads(False))
    default_threshold = faiss.cvar.distance_compute_blas_threshold
    flat = faiss.IndexFlatIP(DIM)
    flat.add(unit)
    try:
        faiss.cvar.distance_compute_blas_threshold = 20
        started, cpu = time.perf_counter(), time.process_time()
        _, faiss_idx = flat.search(unit, k + 1)
        lowered, lowered_cpu = time.perf_counter() - started, time.process_time() - cpu
        faiss.cvar.distance_compute_blas_threshold = default_threshold
        sample = 1000
        started = time.perf_counter()
        flat.search(unit[:sample], k + 1)
        default = (time.perf_counter() - started) * n / sample
    finally:
        faiss.cvar.distance_compute_blas_threshold = default_threshold
    # faiss includes each word itself; drop it to compare neighbour sets
    faiss_sets = [set(r) - {i} for i, r in enumerate(faiss_idx.tolist())]
    agree = np.mean([len(set(o) & f) / k for o, f in zip(ours_idx.tolist(), faiss_sets)])

    started = time.perf_counter()
    for start in range(0, n, 512):
        scores = unit[start:start + 512] @ unit.T
        np.argpartition(scores, -(k + 1), axis=1)[:, -(k + 1):]
    numpy_time = time.perf_counter() - started

    size = f"{n:,} x k={k}"
    row("batch kNN (knn_graph)", size, f"{ours:.2f} s", f"faiss flat, blas threshold 20: {lowered:.2f} s",
        f"{lowered / ours:.2f}x", "<= 5 s: " + ("met" if ours <= 5 else "NOT met"),
        f"same neighbours as faiss: {agree:.4f}; CPU time (all threads) {ours_cpu:.1f} s vs faiss {lowered_cpu:.1f} s")
    row("batch kNN (knn_graph)", size, f"{ours:.2f} s", f"faiss flat, default threshold "
        f"{default_threshold:,}: {default:.1f} s", f"{default / ours:.1f}x", "", "faiss timed on 1,000 queries, scaled")
    row("batch kNN (knn_graph)", size, f"{ours:.2f} s", f"numpy argpartition: {numpy_time:.2f} s",
        f"{numpy_time / ours:.2f}x", "", "selection only, no sort of the top k")
    row("batch kNN (knn_graph)", size, f"{ours:.2f} s", f"top_k over full rows: {full:.2f} s",
        f"{full / ours:.2f}x", "", f"the whole score matrix, not half; CPU time {full_cpu:.1f} s; "
        f"same neighbours in the same order: {same_as_full:.5f} (the rest: near-ties BLAS rounds apart)")


def blas_name() -> str:
    """numpy's BLAS and the kernels it runs (``OPENBLAS_CORETYPE`` may pin older ones than the CPU has)."""
    from threadpoolctl import threadpool_info

    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return (f"{pool.get('internal_api')} {pool.get('version')}, {pool.get('architecture')} kernels, "
                    f"{pool.get('num_threads')} threads")
    return "unknown"


def print_table() -> None:
    columns = ["measurement", "size", "embedlab", "reference", "ratio", "goal", "note"]
    print("\n| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for r in ROWS:
        print("| " + " | ".join(str(r[c]) for c in columns) + " |")
    print("\nratio = reference time / embedlab time (above 1: embedlab is faster). "
          f"Exact search is the default up to {search.APPROXIMATE_MIN_ELEMENTS:,} matrix elements "
          f"(words x dimensions: {search.APPROXIMATE_MIN_ELEMENTS // DIM:,} words at {DIM} dimensions).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k words only; no HNSW, no projections")
    parser.add_argument("--no-projection", action="store_true", help="skip benchmarks/projection.py")
    parser.add_argument("--batch-only", action="store_true",
                        help=f"only the batch kNN ({BATCH_WORDS:,} words, k={BATCH_K}): no queries, HNSW or projections")
    args = parser.parse_args()
    import os

    print(f"embedlab explore benchmark: {os.cpu_count()} CPU(s), random {DIM}-d vectors; "
          "the machine may be shared, so read the ratio columns", flush=True)
    print(f"Load average (1, 5, 15 min) at the start: {tuple(round(x, 2) for x in os.getloadavg())}; "
          f"BLAS: {blas_name()}", flush=True)
    sizes = [(10_000, 400), (100_000, 200)] + ([] if args.quick else [(1_000_000, 60)])
    for n, queries in [] if args.batch_only else sizes:
        query_latency(n, queries)
    if not args.quick and not args.batch_only:
        approximate(100_000, 200)
    batch_knn(10_000 if args.quick else BATCH_WORDS, BATCH_K)
    print_table()
    print(f"Load average (1, 5, 15 min) at the end: {tuple(round(x, 2) for x in os.getloadavg())}", flush=True)
    if args.batch_only:
        return
    projection = REPO / "benchmarks" / "projection.py"
    if "projection" in os.environ.get("EMBEDLAB_RUN_ALL", "").split(",") and not args.quick and not args.no_projection:
        print("\n(projection.py is not run from here: run_all.py runs it as a benchmark of its own)")
    elif not args.quick and not args.no_projection and projection.exists():
        print("\n## benchmarks/projection.py (Map page: UMAP cold and warm, PCA)", flush=True)
        subprocess.call([sys.executable, str(projection)], cwd=REPO)


if __name__ == "__main__":
    main()
