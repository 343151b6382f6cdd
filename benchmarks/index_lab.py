"""The index lab's sweep: how long it takes, and what it finds, on word-vector-like data.

Usage::

    python benchmarks/index_lab.py                    # 20,000 x 100 clustered vectors (the lab's default cap), 500 queries
    python benchmarks/index_lab.py --vectors 50000 --dim 128
    python benchmarks/index_lab.py --quick            # 3,000 x 64: a smoke run

The vectors are drawn around 200 Gaussian centres (word vectors cluster; uniform random vectors are the
worst case for every ANN index). The baseline in the same run is exact search: faiss ``IndexFlatIP`` and
embedlab's own exact top-k (``embedlab.search.top_k``) over the same queries. Prints the sweep table
(recall@10, latency per query with one thread, index size, build time) and the sweep's total time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from embedlab import index_lab  # noqa: E402
from embedlab.vectors import WordVectors  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", type=int, default=20_000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="3,000 x 64 vectors, 200 queries")
    args = parser.parse_args()
    if args.quick:
        args.vectors, args.dim, args.queries = 3000, 64, 200
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(200, args.dim))
    matrix = centres[rng.integers(0, 200, size=args.vectors)] + 1.0 * rng.normal(size=(args.vectors, args.dim))
    vectors = WordVectors.from_matrix([f"w{i}" for i in range(args.vectors)], matrix)

    from embedlab.search import top_k

    rows = index_lab.query_rows(len(vectors), args.queries)
    unit = np.ascontiguousarray(vectors.unit)
    top_k(unit[:2], unit, 10)  # compile (or load) the selection kernel outside the timing
    t0 = time.perf_counter()
    for r in rows.tolist():
        top_k(unit[r:r + 1], unit, 10, exclude=np.array([r]))
    exact_ms = (time.perf_counter() - t0) * 1000 / len(rows)

    started = time.perf_counter()
    result = index_lab.run_sweep(vectors, k=10, n_queries=args.queries, max_vectors=args.vectors)
    sweep_s = time.perf_counter() - started
    table = result.table()
    print(f"\n{args.vectors:,} x {args.dim} clustered vectors, {len(rows)} queries, recall@10 against exact search")
    columns = list(table[0])
    print("| " + " | ".join(columns) + " |")
    print("|---" * len(columns) + "|")
    for row in table:
        print("| " + " | ".join("" if row[c] is None else str(row[c]) for c in columns) + " |")
    flat = next(r for r in result.rows if r.spec.kind == "flat")
    best = index_lab.best_for(result, 0.95)
    print(f"\nsweep: {len(result.rows)} settings, {len({r.spec.build_key() for r in result.rows})} builds, "
          f"{sweep_s:.1f} s in all")
    print(f"exact search per query (one at a time): embedlab top_k {exact_ms:.3f} ms, faiss Flat (one thread) "
          f"{flat.latency_ms:.3f} ms")
    if best is not None:
        print(f"fastest setting with recall@10 >= 0.95: {best.spec.label}: {best.latency_ms:.3f} ms/query "
              f"({flat.latency_ms / best.latency_ms:.1f}x faster than Flat), {best.memory_bytes / 1024**2:.1f} MB")


if __name__ == "__main__":
    main()
