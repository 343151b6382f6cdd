"""Random walks over a ``Graph``: DeepWalk's uniform walks and Node2Vec's p/q-biased ones.

DeepWalk (Perozzi et al. 2014) starts ``walks_per_node`` walks from every node
(one round = every node once, in a shuffled order) and treats each walk as a
sentence of node names for skip-gram. Node2Vec (Grover & Leskovec 2016) biases
each step by where the walk came from:

* **p** (return): a small p makes the walk step back to the node it just left
  more often, so it stays local (breadth-first-like, captures structural roles);
* **q** (in-out): q > 1 keeps the walk near the previous node, q < 1 pushes it
  outwards (depth-first-like, captures communities).

p = q = 1 is DeepWalk. The compiled kernel is ``embedlab.walk_kernels``; this
module prepares its arrays, spreads batches over threads, reports progress,
honours a cancel between batches, and states the exact step probabilities
(``transition_probabilities``) that the tests check the walker against.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from embedlab.errors import ParameterError
from embedlab.graphs import Graph
from embedlab.i18n import _, N_
from embedlab.progress import CancelToken, ProgressFn, check, no_progress

#: walks per batch handed to one thread: big enough to amortise the call, small enough for a prompt cancel
BATCH_WALKS = 4096


@dataclass(frozen=True)
class Walks:
    """Walks as node rows (int32, -1 after a walk that hit a node without out-edges) and how long they took."""

    graph: Graph
    rows: np.ndarray  # (n_walks, length) int32
    seconds: float

    @property
    def walks_per_s(self) -> float:
        return self.rows.shape[0] / self.seconds if self.seconds > 0 else float("inf")

    @property
    def steps(self) -> int:
        return int((self.rows >= 0).sum())

    def sentences(self) -> "WalkSentences":
        """The walks as lists of node names, re-iterable (what gensim reads once per epoch)."""
        return WalkSentences(self.graph.nodes, self.rows)


class WalkSentences:
    """Re-iterable node-name sentences built row by row, so the walks are held once, as int32."""

    def __init__(self, nodes: tuple[str, ...], rows: np.ndarray, cancel: CancelToken | None = None) -> None:
        self.nodes, self.rows, self.cancel = nodes, rows, cancel

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def __iter__(self) -> Iterator[list[str]]:
        nodes = self.nodes
        for i, row in enumerate(self.rows):
            if i % 1024 == 0 and self.cancel is not None and self.cancel.cancelled:
                return  # the epoch ends at once; the trainer raises Cancelled after it
            yield [nodes[v] for v in row.tolist() if v >= 0]


def _check(walk_length: int, walks_per_node: int, p: float, q: float) -> None:
    if walk_length < 2:
        raise ParameterError(N_("Walk length must be at least 2 nodes; got {walk_length}."), walk_length=walk_length)
    if walks_per_node < 1:
        raise ParameterError(N_("Walks per node must be at least 1; got {walks_per_node}."),
                             walks_per_node=walks_per_node)
    for name, value in (("p", p), ("q", q)):
        if not (value > 0 and np.isfinite(value)):
            raise ParameterError(N_("{name} must be a positive number; got {value}."), name=name, value=value)


def cumulative_weights(graph: Graph) -> np.ndarray:
    """One running sum of all edge weights; a row's slice of it is that node's sampling table."""
    return np.cumsum(graph.weights, dtype=np.float64)


def random_walks(graph: Graph, walk_length: int = 80, walks_per_node: int = 10, p: float = 1.0, q: float = 1.0,
                 seed: int = 1, workers: int = 2, on_progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> Walks:
    """``walks_per_node`` walks of ``walk_length`` nodes from every node (shuffled rounds), p/q-biased."""
    _check(walk_length, walks_per_node, p, q)
    from embedlab.walk_kernels import walk_batch  # numba: compiled (or loaded from cache) on first use

    n = graph.n_nodes
    rng = np.random.default_rng(seed)
    starts = np.concatenate([rng.permutation(n) for _ in range(walks_per_node)]).astype(np.int64)
    rows = np.empty((starts.size, walk_length), dtype=np.int32)
    cumw = cumulative_weights(graph)
    weights = graph.weights.astype(np.float64, copy=False)
    indptr = graph.indptr.astype(np.int64, copy=False)
    indices = graph.indices.astype(np.int32, copy=False)
    bounds = list(range(0, starts.size, BATCH_WALKS)) + [starts.size]
    batch_seeds = rng.integers(1, 2**62, size=len(bounds) - 1)
    started = time.perf_counter()
    threads = max(1, min(workers, os.cpu_count() or 1, len(bounds) - 1))

    def run(b: int) -> int:
        check(cancel)
        a, z = bounds[b], bounds[b + 1]
        walk_batch(indptr, indices, weights, cumw, starts[a:z], walk_length, float(p), float(q), int(batch_seeds[b]), rows[a:z])
        return z - a

    done = 0
    if threads == 1:
        for b in range(len(bounds) - 1):
            done += run(b)
            on_progress(done, starts.size, _("Random walks: {done:,}/{total:,}").format(done=done, total=starts.size))
    else:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="embedlab-walks") as pool:
            for count in pool.map(run, range(len(bounds) - 1)):
                done += count
                on_progress(done, starts.size, _("Random walks: {done:,}/{total:,}").format(
                    done=done, total=starts.size))
    check(cancel)
    return Walks(graph, rows, time.perf_counter() - started)


def transition_probabilities(graph: Graph, prev: int | None, cur: int, p: float = 1.0,
                             q: float = 1.0) -> dict[int, float]:
    """The exact probability of each next node from ``cur`` (reached from ``prev``), by Node2Vec's definition.

    Straight from the paper, with no sampling trick: unnormalised weight ``w(cur, x)`` times
    1/p (x = prev), 1 (x adjacent to prev) or 1/q (otherwise); the first step (no ``prev``) is
    proportional to the edge weights alone.
    """
    neighbours = graph.neighbours(cur).tolist()
    weights = graph.edge_weights(cur).tolist()
    scores: dict[int, float] = {}
    for x, w in zip(neighbours, weights):
        if prev is None:
            bias = 1.0
        elif x == prev:
            bias = 1.0 / p
        elif graph.has_edge(prev, x):
            bias = 1.0
        else:
            bias = 1.0 / q
        scores[x] = scores.get(x, 0.0) + w * bias
    total = sum(scores.values())
    return {x: s / total for x, s in scores.items()}
