"""The compiled random walker behind ``embedlab.walks`` (DeepWalk and Node2Vec).

Node2Vec's second-order step (Grover & Leskovec 2016) from ``cur`` reached from
``prev`` picks neighbour ``x`` with probability proportional to ``w(cur, x) * a(x)``
where ``a`` is ``1/p`` when ``x`` is ``prev`` (going back), 1 when ``x`` is a neighbour
of ``prev`` (staying close) and ``1/q`` otherwise (moving out). The reference code
precomputes an alias table per *edge*, which costs memory proportional to the sum of
squared degrees; here the step is drawn by rejection instead, as in KnightKing and
pecanpy's on-the-fly mode: draw ``x`` by edge weight (binary search in the row's
cumulative weights), accept it with probability ``a(x) / max(1/p, 1, 1/q)``. The
accepted draws follow exactly the distribution above, and memory stays O(edges).
"is x a neighbour of prev" is a binary search in prev's sorted row.

Random numbers come from a xorshift64* generator seeded per batch, so results are
reproducible whatever the thread count; the kernel is ``nogil`` and
single-threaded, and ``embedlab.walks`` splits batches over a Python thread pool
(like ``search_kernels``, never numba's ``parallel=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _next(state: np.ndarray) -> float:  # pragma: no cover - compiled
    """xorshift64*: advance ``state[0]`` and return a float in [0, 1) with 53 random bits."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    r = x * np.uint64(2685821657736338717)
    return (r >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True, inline="always")
def _draw(indptr: np.ndarray, cumw: np.ndarray, v: int, state: np.ndarray) -> int:  # pragma: no cover - compiled
    """A position in v's row, with probability proportional to its edge weight (binary search)."""
    lo = indptr[v]
    hi = indptr[v + 1]
    base = cumw[lo - 1] if lo > 0 else 0.0
    target = base + _next(state) * (cumw[hi - 1] - base)
    a, b = lo, hi - 1
    while a < b:
        mid = (a + b) // 2
        if cumw[mid] > target:
            b = mid
        else:
            a = mid + 1
    return a


@njit(cache=True, nogil=True, inline="always")
def _adjacent(indptr: np.ndarray, indices: np.ndarray, t: int, x: int) -> bool:  # pragma: no cover - compiled
    a = indptr[t]
    b = indptr[t + 1]
    while a < b:
        mid = (a + b) // 2
        if indices[mid] < x:
            a = mid + 1
        else:
            b = mid
    return a < indptr[t + 1] and indices[a] == x


@njit(cache=True, nogil=True)
def walk_batch(indptr: np.ndarray, indices: np.ndarray, cumw: np.ndarray, starts: np.ndarray, length: int,
               p: float, q: float, seed: int, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """One walk of ``length`` nodes from each of ``starts`` into ``out`` (rows padded with -1 at dead ends).

    p = q = 1 is DeepWalk's first-order walk (no rejection step at all).
    """
    state = np.empty(1, dtype=np.uint64)
    state[0] = np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)
    if state[0] == 0:
        state[0] = np.uint64(1)
    second_order = p != 1.0 or q != 1.0
    inv_p = 1.0 / p
    inv_q = 1.0 / q
    top = max(inv_p, max(1.0, inv_q))
    for i in range(starts.size):
        cur = starts[i]
        out[i, 0] = cur
        prev = -1
        for step in range(1, length):
            if indptr[cur] == indptr[cur + 1]:  # a node with no out-edges ends the walk
                for rest in range(step, length):
                    out[i, rest] = -1
                break
            if prev < 0 or not second_order:
                nxt = indices[_draw(indptr, cumw, cur, state)]
            else:
                while True:
                    x = indices[_draw(indptr, cumw, cur, state)]
                    if x == prev:
                        bias = inv_p
                    elif _adjacent(indptr, indices, prev, x):
                        bias = 1.0
                    else:
                        bias = inv_q
                    if _next(state) * top < bias:
                        nxt = x
                        break
            prev = cur
            cur = nxt
            out[i, step] = cur
