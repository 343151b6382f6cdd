"""The compiled random walker behind ``embedlab.walks`` (DeepWalk and Node2Vec).

Node2Vec's second-order step (Grover & Leskovec 2016) from ``cur`` reached from
``prev`` picks neighbour ``x`` with probability proportional to ``w(cur, x) * a(x)``
where ``a`` is ``1/p`` when ``x`` is ``prev`` (going back), 1 when ``x`` is a neighbour
of ``prev`` (staying close) and ``1/q`` otherwise (moving out). The reference code
precomputes an alias table per *edge*, which costs memory proportional to the sum of
squared degrees; here the step is drawn by rejection instead, as in KnightKing and
pecanpy's on-the-fly mode: draw ``x`` by edge weight (binary search in the row's
cumulative weights), accept it with probability ``a(x) / max(1, 1/q)``; the step back to ``prev``
is split off and taken with its exact probability first (so a small p costs
nothing). The accepted draws follow exactly the distribution above, and memory
stays O(edges).
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
    return _position(indptr, indices, t, x) >= 0


@njit(cache=True, nogil=True, inline="always")
def _position(indptr: np.ndarray, indices: np.ndarray, t: int, x: int) -> int:  # pragma: no cover - compiled
    """Where x sits in t's sorted row, or -1 when x is not t's neighbour (binary search)."""
    a = indptr[t]
    b = indptr[t + 1]
    while a < b:
        mid = (a + b) // 2
        if indices[mid] < x:
            a = mid + 1
        else:
            b = mid
    if a < indptr[t + 1] and indices[a] == x:
        return a
    return -1


@njit(cache=True, nogil=True)
def walk_batch(indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, cumw: np.ndarray, starts: np.ndarray,
               length: int, p: float, q: float, seed: int, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """One walk of ``length`` nodes from each of ``starts`` into ``out`` (rows padded with -1 at dead ends).

    p = q = 1 is DeepWalk's first-order walk (no rejection step at all). Otherwise the step back to
    ``prev`` is split off exactly: it is taken with probability ``w(cur, prev)/p`` over the proposal's
    total mass ``w(cur, prev)/p + top * (W - w(cur, prev))`` where ``top = max(1, 1/q)``; every other
    neighbour is proposed by weight (a draw of ``prev`` is redrawn) and accepted with ``a(x) / top``.
    The envelope therefore never pays for a large 1/p (small p), only for 1/q.
    """
    state = np.empty(1, dtype=np.uint64)
    state[0] = np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)
    if state[0] == 0:
        state[0] = np.uint64(1)
    second_order = p != 1.0 or q != 1.0
    inv_p = 1.0 / p
    inv_q = 1.0 / q
    top = max(1.0, inv_q)
    for i in range(starts.size):
        cur = starts[i]
        out[i, 0] = cur
        prev = -1
        for step in range(1, length):
            lo = indptr[cur]
            hi = indptr[cur + 1]
            if lo == hi:  # a node with no out-edges ends the walk
                for rest in range(step, length):
                    out[i, rest] = -1
                break
            if prev < 0 or not second_order:
                nxt = indices[_draw(indptr, cumw, cur, state)]
            else:
                back = _position(indptr, indices, cur, prev)  # -1 on a directed graph without the edge back
                w_back = weights[back] if back >= 0 else 0.0
                total = cumw[hi - 1] - (cumw[lo - 1] if lo > 0 else 0.0)
                mass_back = w_back * inv_p
                mass_rest = top * (total - w_back)
                while True:  # a rejected proposal starts over, the choice of the step back included
                    if mass_rest <= 0.0 or _next(state) * (mass_back + mass_rest) < mass_back:
                        nxt = prev
                        break
                    x = indices[_draw(indptr, cumw, cur, state)]
                    while x == prev:  # proposed by weight among the other neighbours
                        x = indices[_draw(indptr, cumw, cur, state)]
                    bias = 1.0 if _adjacent(indptr, indices, prev, x) else inv_q
                    if _next(state) * top < bias:
                        nxt = x
                        break
            prev = cur
            cur = nxt
            out[i, step] = cur
