"""GloVe's two hot loops, compiled with numba: co-occurrence accumulation and the AdaGrad pass.

Both kernels are ``nogil=True`` and single-threaded: the trainer runs several of
them at once from a Python thread pool (on blocks that share no row; see
``embedlab.train.glove``). We deliberately do not use ``parallel=True``/``prange``: numba's
default "workqueue" threading layer aborts the process when two parallel regions
are launched from different Python threads at once, which is exactly what
happens when the app trains two models (or runs UMAP) in background jobs.

``cache=True`` stores the machine code next to this file, so the compile (a few
seconds) is paid once per machine, not once per process. Argument dtypes are
fixed by the callers (int32 ids, float32 weights) so each kernel has exactly one
compiled signature.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Finite-math flags without 'nnan'/'ninf': the NaN guard in the update loop must survive optimisation.
# error_model="numpy" matters as much: numba's default Python error model puts a divide-by-zero
# branch in front of every division, which stops LLVM from vectorising the update loop (2x slower).
FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(cache=True, nogil=True, inline="always")
def _context_span(lines: np.ndarray, p: int, window: int, n: int) -> tuple[int, int]:
    """First and last position of ``p``'s context: at most ``window`` away, on ``p``'s line.

    ``lines`` never decreases (positions are in corpus order), so the context is one
    contiguous span; both passes of ``accumulate_cooccurrence`` walk it.
    """
    line = lines[p]
    lo = p
    while lo > 0 and p - lo < window and lines[lo - 1] == line:
        lo -= 1
    hi = p
    while hi < n - 1 and hi - p < window and lines[hi + 1] == line:
        hi += 1
    return lo, hi


@njit(cache=True, nogil=True)
def accumulate_cooccurrence(
    ids: np.ndarray,
    lines: np.ndarray,
    n_words: int,
    window: int,
    old_indptr: np.ndarray,
    old_cols: np.ndarray,
    old_vals: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add one chunk's co-occurrences to a CSR matrix; returns the new (indptr, cols, vals).

    ``ids`` are the chunk's in-vocabulary word ids in corpus order (out-of-vocabulary
    tokens already removed, so distances count in-vocabulary words only, as the
    reference's cooccur.c does) and ``lines[p]`` the line each position came from:
    pairs never cross a line. Every pair (p, p+d) with 1 <= d <= window adds 1/d to
    X[w_p, w_p+d] and to X[w_p+d, w_p], so X is symmetric and a word next to itself
    adds 2/d to its diagonal cell, like the reference.

    The matrix is built row by row with a dense accumulator: positions are grouped
    by word (counting sort), and for each row the previous total and the chunk's
    neighbours are summed in float64 in a length-V scratch array; a first pass
    counts each row's columns so the output is allocated once, at its exact size.
    No pair list is ever materialised: memory is the old matrix, the new one, 16
    bytes per chunk token and 16 bytes per word. Columns within a row are in
    first-seen order (deterministic).
    """
    n = ids.shape[0]
    # positions grouped by word id
    starts = np.zeros(n_words + 1, np.int64)
    for p in range(n):
        starts[ids[p] + 1] += 1
    for w in range(n_words):
        starts[w + 1] += starts[w]
    fill = starts[:-1].copy()
    order = np.empty(n, np.int64)
    for p in range(n):
        w = ids[p]
        order[fill[w]] = p
        fill[w] += 1

    # pass 1: the exact length of every new row (old columns + new ones), so the output is allocated once
    stamp = np.full(n_words, -1, np.int64)  # stamp[c] == w: column c already counted in row w
    indptr = np.zeros(n_words + 1, np.int64)
    for w in range(n_words):
        t = 0
        for q in range(old_indptr[w], old_indptr[w + 1]):
            stamp[old_cols[q]] = w
            t += 1
        for s in range(starts[w], starts[w + 1]):
            p = order[s]
            lo, hi = _context_span(lines, p, window, n)
            for k in range(lo, hi + 1):
                if k != p and stamp[ids[k]] != w:
                    stamp[ids[k]] = w
                    t += 1
        indptr[w + 1] = indptr[w] + t

    # pass 2: sum each row in a float64 scratch row, then write it out
    acc = np.zeros(n_words, np.float64)
    cols = np.empty(indptr[n_words], np.int32)
    vals = np.empty(indptr[n_words], np.float32)
    for w in range(n_words):
        out = indptr[w]
        for q in range(old_indptr[w], old_indptr[w + 1]):
            c = old_cols[q]
            acc[c] = old_vals[q]
            cols[out] = c
            out += 1
        for s in range(starts[w], starts[w + 1]):
            p = order[s]
            lo, hi = _context_span(lines, p, window, n)
            for k in range(lo, hi + 1):
                if k == p:
                    continue
                c = ids[k]
                if acc[c] == 0.0:
                    cols[out] = c
                    out += 1
                acc[c] += 1.0 / abs(k - p)
        for q in range(indptr[w], out):
            c = cols[q]
            vals[q] = acc[c]
            acc[c] = 0.0
    return indptr, cols, vals


@njit(cache=True, nogil=True)
def fill_records(
    indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, x_max: float, alpha: float,
    records: np.ndarray, values: np.ndarray,
) -> None:
    """Write (row, col, log X, f(X)) for every non-zero of a CSR matrix, without temporaries.

    ``records`` (int32) and ``values`` (float32) are two views of one (nnz, 4) buffer.
    f is computed in float64 like the reference: (x/x_max)^alpha below x_max, else 1.
    """
    for w in range(indptr.shape[0] - 1):
        for q in range(indptr[w], indptr[w + 1]):
            x = np.float64(vals[q])
            records[q, 0] = w
            records[q, 1] = cols[q]
            values[q, 2] = np.float32(math.log(x))
            values[q, 3] = np.float32(1.0 if x >= x_max else (x / x_max) ** alpha)


@njit(cache=True, nogil=True)
def fill_blocked_records(
    indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, x_max: float, alpha: float,
    groups: int, group_size: int, records: np.ndarray, values: np.ndarray, bounds: np.ndarray,
) -> None:
    """Like ``fill_records``, but renumbered and grouped into ``groups``² blocks for the blocked schedule.

    Word ``w`` belongs to group ``w % groups`` (frequency ranks dealt round, so the
    groups are alike) and becomes row ``(w % groups) * group_size + w // groups`` of
    the model arrays, so each group's rows are contiguous. The non-zero (i, j) goes to
    block ``group(i) * groups + group(j)``; the blocks are written one after another
    (a counting sort) and ``bounds[b]:bounds[b + 1]`` are block ``b``'s records.
    """
    n_blocks = groups * groups
    bounds[:] = 0
    for w in range(indptr.shape[0] - 1):
        for q in range(indptr[w], indptr[w + 1]):
            bounds[(w % groups) * groups + cols[q] % groups + 1] += 1
    for b in range(n_blocks):
        bounds[b + 1] += bounds[b]
    fill = bounds[:-1].copy()
    for w in range(indptr.shape[0] - 1):
        row = (w % groups) * group_size + w // groups
        for q in range(indptr[w], indptr[w + 1]):
            c = cols[q]
            k = fill[(w % groups) * groups + c % groups]
            fill[(w % groups) * groups + c % groups] = k + 1
            x = np.float64(vals[q])
            records[k, 0] = row
            records[k, 1] = (c % groups) * group_size + c // groups
            values[k, 2] = np.float32(math.log(x))
            values[k, 3] = np.float32(1.0 if x >= x_max else (x / x_max) ** alpha)


@njit(cache=True, nogil=True)
def shuffle_records(records: np.ndarray, seed: int) -> None:
    """Fisher-Yates shuffle of the rows of ``records`` in place, driven by splitmix64 from ``seed``.

    Shuffling the 16-byte records themselves (rather than an index into them)
    lets the AdaGrad pass read them sequentially: one cache miss fewer per
    update, which halves the epoch time. ``z % (i + 1)`` on 64-bit draws has a
    bias below n / 2^64, i.e. none worth mentioning.
    """
    state = np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(1)
    width = records.shape[1]
    for i in range(records.shape[0] - 1, 0, -1):
        state += np.uint64(0x9E3779B97F4A7C15)
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        j = np.int64(z % np.uint64(i + 1))
        for f in range(width):
            held = records[i, f]
            records[i, f] = records[j, f]
            records[j, f] = held


@njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def adagrad_pass(
    start: int,
    stop: int,
    records: np.ndarray,
    values: np.ndarray,
    W: np.ndarray,
    C: np.ndarray,
    bw: np.ndarray,
    bc: np.ndarray,
    gW: np.ndarray,
    gC: np.ndarray,
    gbw: np.ndarray,
    gbc: np.ndarray,
    learning_rate: float,
) -> float:
    """One AdaGrad step for each non-zero ``start:stop``; returns Σ ½·f·diff² over them.

    ``records[k]`` is (row, col, ·, ·) as int32 and ``values`` the same memory seen
    as float32, whose columns 2 and 3 hold log X and f(X).

    This is glove.c's update, in float32: diff = w_i·c_j + b_i + b̃_j − log X_ij,
    g = learning_rate·f(X_ij)·diff, each parameter moves by g·(partner) / sqrt(its
    accumulated squared steps) and the accumulator then grows by that squared
    step (the reference divides by the accumulator *before* adding the current
    step, starting from 1). Rows are updated in place; the caller makes sure no other thread touches them.
    A non-finite diff skips the pair, as the reference does.
    """
    dim = W.shape[1]
    lr = np.float32(learning_rate)
    half = np.float32(0.5)
    cost = 0.0
    for k in range(start, stop):
        i = records[k, 0]
        j = records[k, 1]
        w = W[i]
        c = C[j]
        gw = gW[i]
        gc = gC[j]
        diff = np.float32(0.0)
        for d in range(dim):
            diff += w[d] * c[d]
        diff += bw[i] + bc[j] - values[k, 2]
        fdiff = values[k, 3] * diff
        if not math.isfinite(fdiff):
            continue
        cost += half * fdiff * diff
        fdiff *= lr
        for d in range(dim):  # one loop, both rows: the old w[d] and c[d] are read before either moves
            step_w = fdiff * c[d]
            step_c = fdiff * w[d]
            w[d] -= step_w / math.sqrt(gw[d])
            c[d] -= step_c / math.sqrt(gc[d])
            gw[d] += step_w * step_w
            gc[d] += step_c * step_c
        bw[i] -= fdiff / math.sqrt(gbw[i])
        bc[j] -= fdiff / math.sqrt(gbc[j])
        fdiff *= fdiff
        gbw[i] += fdiff
        gbc[j] += fdiff
    return cost
