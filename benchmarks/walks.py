"""Random-walk speed: embedlab's compiled DeepWalk/Node2Vec walker against the same walk in plain Python.

Usage::

    python benchmarks/walks.py                 # a 100,000-node Barabási-Albert graph (m = 5), 80-node walks
    python benchmarks/walks.py --nodes 20000 --walk-length 40
    python benchmarks/walks.py --quick         # 5,000 nodes: a smoke run

Both walkers run the same algorithm (Node2Vec's p/q law by rejection sampling with the step back split off; the
tests check the compiled one against the exact transition probabilities). The Python baseline is that algorithm
line for line over the same CSR arrays, timed on a sample of start nodes (it is slow); walks/s and steps/s are per second of wall time, with one
thread and with two (the compiled walker releases the GIL). ``pecanpy`` was considered and not used: its
dependencies pin numpy < 2 (checked with ``pip install --dry-run pecanpy``: it would install numpy 1.26.4).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from embedlab import graphs  # noqa: E402
from embedlab.walks import cumulative_weights, random_walks  # noqa: E402


def python_walks(graph: graphs.Graph, starts: list[int], length: int, p: float, q: float, seed: int) -> int:
    """The kernel's algorithm line for line in plain Python over the same arrays; returns the steps taken."""
    import bisect

    rng = random.Random(seed)
    indptr, indices, weights = graph.indptr.tolist(), graph.indices.tolist(), graph.weights.tolist()
    cumw = cumulative_weights(graph).tolist()
    top = max(1.0, 1 / q)
    steps = 0

    def draw(v: int) -> int:
        lo, hi = indptr[v], indptr[v + 1]
        base = cumw[lo - 1] if lo else 0.0
        return indices[min(bisect.bisect_right(cumw, base + rng.random() * (cumw[hi - 1] - base), lo, hi), hi - 1)]

    def position(t: int, x: int) -> int:
        i = bisect.bisect_left(indices, x, indptr[t], indptr[t + 1])
        return i if i < indptr[t + 1] and indices[i] == x else -1

    for start in starts:
        prev, cur = -1, start
        for _ in range(length - 1):
            lo, hi = indptr[cur], indptr[cur + 1]
            if lo == hi:
                break
            if prev < 0 or (p == 1 and q == 1):
                nxt = draw(cur)
            else:
                back = position(cur, prev)
                w_back = weights[back] if back >= 0 else 0.0
                mass_back = w_back / p
                mass_rest = top * (cumw[hi - 1] - (cumw[lo - 1] if lo else 0.0) - w_back)
                while True:
                    if mass_rest <= 0 or rng.random() * (mass_back + mass_rest) < mass_back:
                        nxt = prev
                        break
                    x = draw(cur)
                    while x == prev:
                        x = draw(cur)
                    if rng.random() * top < (1.0 if position(prev, x) >= 0 else 1 / q):
                        nxt = x
                        break
            prev, cur = cur, nxt
            steps += 1
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--walk-length", type=int, default=80)
    parser.add_argument("--walks-per-node", type=int, default=2)
    parser.add_argument("--python-walks", type=int, default=2000, help="walks the Python baseline times")
    parser.add_argument("--quick", action="store_true", help="5,000 nodes, 40-node walks")
    args = parser.parse_args()
    if args.quick:
        args.nodes, args.walk_length, args.python_walks = 5000, 40, 300
    import networkx as nx

    started = time.perf_counter()
    g = nx.barabasi_albert_graph(args.nodes, 5, seed=1)
    graph = graphs.from_networkx(g, f"Barabási-Albert {args.nodes:,}")
    print(f"graph: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges, built in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    random_walks(graph, 3, 1, 0.5, 2.0, workers=1)  # compile (or load the cache) outside the timings
    rows = []
    for label, p, q in (("DeepWalk (p=q=1)", 1.0, 1.0), ("Node2Vec p=1 q=0.5", 1.0, 0.5), ("Node2Vec p=0.25 q=4", 0.25, 4.0)):
        starts = list(np.random.default_rng(1).integers(0, graph.n_nodes, size=args.python_walks))
        t0 = time.perf_counter()
        steps = python_walks(graph, starts, args.walk_length, p, q, 1)
        py_s = time.perf_counter() - t0
        py_rate = len(starts) / py_s
        result = {}
        for workers in (1, 2):
            walks = random_walks(graph, args.walk_length, args.walks_per_node, p, q, seed=1, workers=workers)
            result[workers] = walks
        rows.append((label, py_rate, steps / py_s, result[1], result[2]))
    print(f"\n{graph.name}: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges, walks of {args.walk_length} nodes, "
          f"{args.walks_per_node} per node")
    print("| walk | Python walks/s | compiled walks/s (1 thread) | compiled walks/s (2 threads) | steps/s (2 threads) "
          "| speed-up vs Python (1 thread) |")
    print("|---" * 6 + "|")
    for label, py_rate, py_steps, one, two in rows:
        print(f"| {label} | {py_rate:,.0f} | {one.walks_per_s:,.0f} | {two.walks_per_s:,.0f} "
              f"| {two.steps / two.seconds:,.0f} | {one.walks_per_s / py_rate:.0f}x |")


if __name__ == "__main__":
    main()
