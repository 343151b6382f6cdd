"""Nearest neighbours by cosine similarity: interactive queries, batches, and the all-words kNN graph.

Every row of ``WordVectors.unit`` has length 1, so cosine similarity is a dot
product and the neighbours of a query are the largest entries of one
matrix-vector product. How that is done was chosen by measurement (2 shared
cores, 100-dimensional random vectors; ``benchmarks/explore.py`` prints the
figures against gensim and faiss):

* **Single queries are exact: one BLAS matrix-vector product, then a compiled
  top-k selection** (``search_kernels.select_rows``) over the scores in a
  per-thread buffer. That is gensim's ``most_similar`` minus its work: the same
  product, but no norm division, no ``argpartition`` and no copies, so it is never
  slower than gensim and on an idle machine 1.9x faster at 10k words, 1.2x at 100k
  (``benchmarks/explore.py``). A fused one-thread pass (``query_rows``: each dot
  product offered to a k-heap at once) was measured too: it wins when other work
  keeps both cores busy (OpenBLAS's thread team then wakes slowly: 12.7 ms against
  1.1 ms at 100k words), but loses on an idle machine (1.15 ms against 0.77 ms at
  100k), so it serves only the split path: from ``SPLIT_QUERY_ROWS`` words the
  matrix is cut in two and each half scanned by one thread.
* **Batches are BLAS blocks plus a compiled top-k selection** (``select_rows``):
  almost every score fails one comparison against the current k-th best, so a
  row of scores is read once and nothing is copied; 15x faster than
  ``np.argpartition`` on 640 x 50k scores. The matrix product is what remains,
  so the all-words kNN graph (``knn_graph``) computes only half of its symmetric
  score matrix and offers each score to both words (1.7x faster than full rows,
  CPU time and wall, on 50k words in ``benchmarks/explore.py``).
* **Approximate search (``embedlab.ann``) only above ``APPROXIMATE_MIN_ELEMENTS``.**
  Exact search over 1M x 100 takes tens of milliseconds, still interactive, while
  an index over it takes a minute or more to build on two cores and misses some true
  neighbours. So exact is the default up to 2M words at 100 dimensions (650k at 300);
  ``approximate=True`` forces the index for any size. The index (HNSW or IVF, chosen
  by size and memory) reports its recall@10 against exact search, measured on a
  held-out sample of words, and the page shows it beside the results.

The kernels are single-threaded and release the GIL; this module splits work
across its own small thread pool (numba's ``parallel=True`` aborts the process
when two threads start parallel regions at once). faiss is imported lazily (only
the approximate path needs it) and its OpenMP thread count is set per call: one
thread for a single query, all cores for building an index and for batches.
"""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from embedlab.errors import EmbedlabError
from embedlab.i18n import _, N_
from embedlab.progress import CancelToken, ProgressFn, check, no_progress
from embedlab.vectors import WordVectors

#: exact search up to this many matrix elements (words x dimensions): 2M words at 100 dimensions, where
#: an exact query costs a few tens of ms; above it the approximate index (embedlab.ann) is used by default,
#: so a 1M x 300 model answers in milliseconds (benchmarks/scale.py). Below it an index is not worth it: at
#: 100k words HNSW answered in 0.7 ms against 1.5 ms exact but took a minute to build and found 81% of the
#: true top 10 (random 100-d vectors, the worst case; see benchmarks/explore.py)
APPROXIMATE_MIN_ELEMENTS = 200_000_000
#: HNSW graph degree and build/search breadths (recall@10 >= 0.95 on 5k random 32-d vectors in the tests;
#: real word vectors cluster, which makes graph search easier than random ones)
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
#: the score-matrix size (elements) one block of a batch may reach: 32 M float32 = 128 MB (larger blocks
#: measured faster: the BLAS product dominates, and it prefers many rows at once)
SCORE_BUDGET = 32_000_000
#: query rows per block at most
QUERY_CHUNK = 1024
#: single queries over at least this many rows are split across threads (measured at 1M: see benchmarks)
SPLIT_QUERY_ROWS = 500_000
#: vocabularies from this many words also keep an int8 copy of the matrix: single queries first screen it
#: (a quarter of the memory traffic) with a proven error bound, then score the few candidates exactly
QUANTIZE_MIN_ROWS = 200_000
#: the largest k anyone can ask for (the page offers far less; this bounds memory)
MAX_K = 1000


@dataclass(frozen=True)
class Neighbour:
    """One answer: a word, its cosine similarity to the query, and its rank (1 = nearest)."""

    word: str
    similarity: float
    rank: int


# -- top-k selection -----------------------------------------------------------------------------

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="embedlab-topk")
        return _POOL


def _select_into(scores: np.ndarray, k: int, exclude: np.ndarray, out_idx: np.ndarray, out_val: np.ndarray) -> None:
    """Run the compiled selection, splitting many rows across threads (the kernel releases the GIL)."""
    from embedlab.search_kernels import select_rows  # numba: imported (and compiled) on first use

    rows = scores.shape[0]
    parts = min(_threads(), rows // 16)
    if parts <= 1:
        select_rows(scores, k, exclude, out_idx, out_val)
        return
    bounds = np.linspace(0, rows, parts + 1).astype(int)
    futures = [_pool().submit(select_rows, scores[a:b], k, exclude[a:b], out_idx[a:b], out_val[a:b])
               for a, b in zip(bounds[:-1], bounds[1:])]
    for future in futures:
        future.result()


def select_top(scores: np.ndarray, k: int, exclude: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest entries of each row of ``scores``, best first: (columns, values).

    ``exclude[i]`` (a column, or -1) is never chosen for row ``i``. ``k`` must not
    exceed the number of columns that can be chosen; rows with fewer finite
    scores return -1 / -inf in the spare places.
    """
    scores = np.ascontiguousarray(scores, dtype=np.float32)
    if scores.ndim == 1:
        scores = scores[None, :]
    rows = scores.shape[0]
    if exclude is None:
        exclude = np.full(rows, -1, dtype=np.int64)
    idx = np.empty((rows, k), dtype=np.int64)
    vals = np.empty((rows, k), dtype=np.float32)
    if k > 0 and rows > 0:
        _select_into(scores, k, np.ascontiguousarray(exclude, dtype=np.int64), idx, vals)
    return idx, vals


def top_k(queries: np.ndarray, base: np.ndarray, k: int, exclude: np.ndarray | None = None,
          cancel: CancelToken | None = None, on_progress: ProgressFn = no_progress,
          budget: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``k`` rows of ``base`` by dot product for each query row, best first.

    ``exclude[i]`` (a row of ``base``, or -1) is never returned for query ``i``:
    a word is not its own neighbour. Work is chunked so the score matrix of a
    block stays within ``budget`` (default ``SCORE_BUDGET``) elements whatever the
    vocabulary size.
    """
    queries = np.asarray(queries, dtype=np.float32)
    if queries.ndim == 1:
        queries = queries[None, :]
    base = np.asarray(base, dtype=np.float32)
    n = base.shape[0]
    k = min(k, n - (1 if exclude is not None else 0))
    if k <= 0:
        return np.zeros((len(queries), 0), np.int64), np.zeros((len(queries), 0), np.float32)
    if exclude is None:
        exclude = np.full(len(queries), -1, dtype=np.int64)
    exclude = np.asarray(exclude, dtype=np.int64)
    idx = np.empty((len(queries), k), dtype=np.int64)
    sims = np.empty((len(queries), k), dtype=np.float32)
    chunk = chunk_rows(n, budget)
    buffer = np.empty((min(chunk, len(queries)), n), dtype=np.float32)
    for start in range(0, len(queries), chunk):
        check(cancel)
        on_progress(start, len(queries), _("Neighbours of {start:,} of {total:,} words").format(
            start=start, total=len(queries)))
        stop = min(start + chunk, len(queries))
        scores = buffer[:stop - start]
        np.matmul(queries[start:stop], base.T, out=scores)  # one buffer: no page faults per block
        _select_into(scores, k, np.ascontiguousarray(exclude[start:stop]), idx[start:stop], sims[start:stop])
    on_progress(len(queries), max(len(queries), 1), _("Neighbours done"))
    return idx, sims


def exact_query(unit: np.ndarray, vector: np.ndarray, k: int, banned: np.ndarray | None = None,
                parts: int | None = None) -> tuple[list[int], list[float]]:
    """Exact top-``k`` rows of ``unit`` for one query vector, best first, never a ``banned`` row.

    Below ``SPLIT_QUERY_ROWS`` rows: a BLAS product into this thread's score buffer and
    the compiled selection. From there (or with ``parts`` > 1): one fused pass per part,
    the parts spread over the thread pool and their top-k merged.
    """
    from embedlab.search_kernels import query_rows, select_rows

    n = unit.shape[0]
    banned = np.zeros(0, dtype=np.int64) if banned is None else np.asarray(banned, dtype=np.int64)
    vector = np.ascontiguousarray(vector, dtype=np.float32)
    parts = (_threads() if n >= SPLIT_QUERY_ROWS else 1) if parts is None else max(1, parts)
    if parts == 1:
        scores = _score_buffer(n)
        np.dot(unit, vector, out=scores)
        scores[banned] = -np.inf
        idx = np.empty((1, k), dtype=np.int64)
        vals = np.empty((1, k), dtype=np.float32)
        select_rows(scores[None, :], k, _NO_EXCLUSION, idx, vals)
    else:
        idx = np.empty((parts, k), dtype=np.int64)
        vals = np.empty((parts, k), dtype=np.float32)
        bounds = np.linspace(0, n, parts + 1).astype(np.int64)
        futures = [_pool().submit(query_rows, unit, vector, k, banned, int(a), int(b), idx[p], vals[p])
                   for p, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))]
        for future in futures:
            future.result()
    flat_idx, flat_vals = idx.ravel(), vals.ravel()
    keep = flat_idx >= 0
    flat_idx, flat_vals = flat_idx[keep], flat_vals[keep]
    order = np.lexsort((flat_idx, -flat_vals))[:k]  # best first, ties by row
    return flat_idx[order].tolist(), flat_vals[order].tolist()


_NO_EXCLUSION = np.full(1, -1, dtype=np.int64)
_buffers = threading.local()


def _score_buffer(n: int) -> np.ndarray:
    """A float32 scratch row of length ``n``, one per thread (queries from many sessions run at once)."""
    buffer = getattr(_buffers, "scores", None)
    if buffer is None or len(buffer) < n:
        buffer = _buffers.scores = np.empty(n, dtype=np.float32)
    return buffer[:n]


@dataclass(frozen=True)
class Quantized:
    """int8 codes of unit rows with per-row scales and L1 norms (for the screening error bound)."""

    codes: np.ndarray  # (n, dim) int8
    scales: np.ndarray  # (n,) float32
    l1: np.ndarray  # (n,) float32

    @classmethod
    def of(cls, unit: np.ndarray) -> "Quantized":
        from embedlab.search_kernels import quantize_rows

        codes = np.empty(unit.shape, dtype=np.int8)
        scales = np.empty(len(unit), dtype=np.float32)
        l1 = np.empty(len(unit), dtype=np.float32)
        quantize_rows(unit, codes, scales, l1)
        return cls(codes, scales, l1)


def screened_query(unit: np.ndarray, quantized: Quantized, vector: np.ndarray, k: int,
                   banned: np.ndarray | None = None, parts: int | None = None) -> tuple[list[int], list[float]]:
    """The same answer as ``exact_query``, found by an int8 screening pass and exact scores of the survivors.

    The screen can only drop rows that provably cannot be in the top ``k`` (see
    ``search_kernels.screen_rows``), so the result is exact; if too many rows
    survive (a degenerate matrix), the full exact pass runs instead.
    """
    from embedlab.search_kernels import quantize_rows, rescore, screen_rows

    n = unit.shape[0]
    banned = np.zeros(0, dtype=np.int64) if banned is None else np.asarray(banned, dtype=np.int64)
    vector = np.ascontiguousarray(vector, dtype=np.float32)
    q_codes = np.empty((1, len(vector)), dtype=np.int8)
    q_scale = np.empty(1, dtype=np.float32)
    q_l1 = np.empty(1, dtype=np.float32)
    quantize_rows(vector[None, :], q_codes, q_scale, q_l1)
    parts = (_threads() if n >= SPLIT_QUERY_ROWS else 1) if parts is None else max(1, parts)
    bounds = np.linspace(0, n, parts + 1).astype(np.int64)
    capacity = max(4096, n // (64 * parts))
    buffers = [(np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.float32)) for _ in range(parts)]
    args = [(quantized.codes, quantized.scales, quantized.l1, q_codes[0], float(q_scale[0]), float(q_l1[0]), k,
             banned, int(a), int(b), cand, up) for (a, b), (cand, up) in zip(zip(bounds[:-1], bounds[1:]), buffers)]
    if parts == 1:
        screened = [screen_rows(*args[0])]
    else:
        screened = [f.result() for f in [_pool().submit(screen_rows, *a) for a in args]]
    if any(count < 0 for count, _ in screened):
        return exact_query(unit, vector, k, banned, parts)
    floor = max(f for _, f in screened)  # each part's k-th best lower bound is a floor for the whole
    candidates = np.concatenate([cand[:count] for (cand, _), (count, _) in zip(buffers, screened)])
    uppers = np.concatenate([up[:count] for (_, up), (count, _) in zip(buffers, screened)])
    idx = np.empty(k, dtype=np.int64)
    vals = np.empty(k, dtype=np.float32)
    rescore(unit, vector, k, candidates, len(candidates), uppers, floor, idx, vals)
    keep = idx >= 0
    return idx[keep].tolist(), vals[keep].tolist()


def chunk_rows(n_candidates: int, budget: int | None = None) -> int:
    """Query rows per block so a block's score matrix stays within ``budget`` (``SCORE_BUDGET``) elements."""
    budget = SCORE_BUDGET if budget is None else budget
    return int(min(QUERY_CHUNK, max(8, budget // max(n_candidates, 1))))


def _in_parts(lo: int, hi: int, parts: int, call: Any, skip_empty: bool = True) -> None:
    """Cut [lo, hi) into ``parts`` ranges and run ``call(part, a, b)`` (a kernel and its arguments) for each
    on the pool, waiting for all; the kernels release the GIL. ``skip_empty=False`` runs empty ranges too."""
    cuts = np.linspace(lo, hi, parts + 1).astype(np.int64)
    jobs = [call(p, int(a), int(b)) for p, (a, b) in enumerate(zip(cuts[:-1], cuts[1:])) if b > a or not skip_empty]
    for future in [_pool().submit(*job) for job in jobs]:
        future.result()


def knn_graph(unit_matrix: np.ndarray, k: int, exclude_self: bool = True, cancel: CancelToken | None = None,
              on_progress: ProgressFn = no_progress, budget: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``k`` nearest rows of every row (by dot product): (indices, similarities), each (n, k), best first.

    The score matrix is symmetric, so only half of it is computed: for a block of
    words [r0, r1), one BLAS product gives their scores with every word from r0 on
    (one large call per block: many small ones stall when OpenBLAS's spinning
    threads share the cores with other work), laid out one row per later word, and
    each score is offered to both words' heaps (``search_kernels.offer_later``).
    The product, most of the cost, halves; the selection still reads each score
    once, with its later word's heap in L1. (Offering the transposed half to all
    50k heaps from rows of the full matrix, as first tried, cost more than the
    halved product saved: every accepted score touched a different heap in 30 MB.)
    Ties come in word order, as a stable sort of each full row gives them; a score
    is computed once for both words, so where BLAS would round (i, j) and (j, i)
    differently in the last bit, near-ties may order differently from ``top_k``.
    ``exclude_self`` drops each row from its own list; ``budget`` bounds a block's
    score matrix (elements; default ``SCORE_BUDGET``). Measured against faiss's
    flat index on 50k x 100, k = 50 (``benchmarks/explore.py``).
    """
    from embedlab.search_kernels import merge_parts, offer_later, offer_square, sort_heaps

    unit = np.ascontiguousarray(np.asarray(unit_matrix), dtype=np.float32)
    n = unit.shape[0]
    k = max(0, min(k, n - 1 if exclude_self else n))
    idx = np.full((n, k), -1, dtype=np.int64)
    sims = np.full((n, k), -np.inf, dtype=np.float32)
    if k == 0:
        return idx, sims
    bars = np.full(n, -np.inf, dtype=np.float32)  # each heap's root (its worst), compact for the comparisons
    block = min(chunk_rows(n, budget), n)
    buffer = np.empty(block * n, dtype=np.float32)
    parts = _threads()
    part_val = np.empty((parts, block, k), dtype=np.float32)
    part_idx = np.empty((parts, block, k), dtype=np.int64)
    part_bars = np.empty((parts, block), dtype=np.float32)
    for r0 in range(0, n, block):
        check(cancel)
        on_progress(r0, n, _("Neighbours of {start:,} of {total:,} words").format(start=r0, total=n))
        r1 = min(r0 + block, n)
        size = r1 - r0
        scores = buffer[:(n - r0) * size].reshape(n - r0, size)
        np.matmul(unit[r0:], unit[r0:r1].T, out=scores)  # one buffer: no page faults per block
        # the block's words among themselves first: their heaps' bars then filter what later words offer
        _in_parts(0, size, parts, lambda p, a, b: (offer_square, scores[:size], r0, a, b, not exclude_self,
                                                    sims, idx, bars))
        block_bars = bars[r0:r1].copy()
        _in_parts(size, n - r0, parts, lambda p, a, b: (offer_later, scores, r0, a, b, sims, idx, bars, block_bars,
                                                         part_val[p, :size], part_idx[p, :size],
                                                         part_bars[p, :size]), skip_empty=False)
        _in_parts(0, size, parts, lambda p, a, b: (merge_parts, part_val[:, :size], part_idx[:, :size], r0, a, b,
                                                    sims, idx, bars))
    _in_parts(0, n, parts, lambda p, a, b: (sort_heaps, sims, idx, a, b))
    on_progress(n, n, _("Neighbours done"))
    return idx, sims


# -- faiss ------------------------------------------------------------------------------------------

def faiss_threads(single_query: bool) -> int:
    """OpenMP threads for a faiss call: one for a single query (more only adds overhead), else all cores."""
    return 1 if single_query else max(1, os.cpu_count() or 1)


def build_hnsw(unit_matrix: np.ndarray, m: int = HNSW_M, ef_construction: int = HNSW_EF_CONSTRUCTION,
               ef_search: int = HNSW_EF_SEARCH) -> Any:
    """A faiss HNSW index of the rows, by inner product (the rows are unit length: cosine)."""
    import faiss

    faiss.omp_set_num_threads(faiss_threads(False))
    index = faiss.IndexHNSWFlat(unit_matrix.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ef_construction
    index.hnsw.efSearch = ef_search
    index.add(np.ascontiguousarray(unit_matrix, dtype=np.float32))
    return index


# -- the index a page queries ---------------------------------------------------------------------------

class _LabIndex:
    """A raw faiss inner-product index chosen in the index lab, with ``embedlab.ann.ApproximateIndex``'s search."""

    def __init__(self, index: Any, label: str) -> None:
        self.index, self.label, self.recall = index, f"faiss {label}", None

    def search(self, queries: np.ndarray, k: int, exclude: np.ndarray | None = None,
               threads: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        exclude = np.full(len(queries), -1, np.int64) if exclude is None else np.asarray(exclude, np.int64)
        faiss.omp_set_num_threads(threads or faiss_threads(len(queries) == 1))
        sims, idx = self.index.search(queries, k + 1)
        out_idx = np.full((len(queries), k), -1, np.int64)
        out_sims = np.full((len(queries), k), -np.inf, np.float32)
        for q in range(len(queries)):
            keep = (idx[q] >= 0) & (idx[q] != exclude[q])
            row_idx, row_sims = idx[q][keep][:k], sims[q][keep][:k]
            out_idx[q, :len(row_idx)], out_sims[q, :len(row_sims)] = row_idx, row_sims
        return out_idx, out_sims


class NeighbourIndex:
    """Cosine nearest neighbours over one model's vocabulary.

    ``approximate=None`` chooses by size (exact up to ``APPROXIMATE_MIN_ELEMENTS``);
    the approximate index (``embedlab.ann``), when used, is built on the first query
    (or by ``build()`` in a background job, with progress; ``recall`` then says how
    good it is). The object is safe to share between sessions and threads:
    the vectors are immutable and the index is built once under a lock.

    >>> wv = WordVectors.from_matrix(["a", "b", "c"], np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]))
    >>> [(n.word, n.rank) for n in NeighbourIndex(wv).query("a", k=2)]
    [('b', 1), ('c', 2)]
    """

    def __init__(self, vectors: WordVectors, approximate: bool | None = None, ann: Any = None,
                 ann_label: str = "", screen: bool | None = None, ann_shown: Any = None,
                 build_on_query: bool = True) -> None:
        self.vectors = vectors
        # one contiguous float32 view for BLAS; a copy only if the stored matrix is not already one
        # (np.asarray drops the memmap subclass without copying, which the compiled kernels want)
        self.unit = np.ascontiguousarray(np.asarray(vectors.unit), dtype=np.float32)
        size = self.unit.shape[0] * max(self.unit.shape[1], 1)
        self.approximate = size > APPROXIMATE_MIN_ELEMENTS if approximate is None else bool(approximate)
        #: exact queries screen an int8 copy first (made on the first query; a quarter of the matrix's memory).
        #: None: from QUANTIZE_MIN_ROWS words. False for an index that only answers while the approximate one
        #: builds: the copy would sit beside the index being built, and be made again on every page run
        self.screen = self.unit.shape[0] >= QUANTIZE_MIN_ROWS if screen is None else bool(screen)
        self._ann: Any = None  # embedlab.ann.ApproximateIndex once built
        self._quantized: Quantized | None = None
        self._lock = threading.Lock()
        #: an index chosen in the index lab (any faiss inner-product index over these rows) serves queries
        self.ann_label = ann_label
        #: False: until ``build()`` has run (e.g. in a background job), queries are answered exactly instead of
        #: building the approximate index first; a page must never sit for the build (45 s at 1M words)
        self.build_on_query = build_on_query
        #: how the page names that index (e.g. a lazily translated message); ``ann_label`` stays the English key
        self.ann_shown = ann_shown if ann_shown is not None else ann_label
        if ann is not None:
            self.approximate, self._ann = True, _LabIndex(ann, ann_label)

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def method(self) -> str:
        """How queries are answered, for the page to state."""
        if not self.approximate:
            return "exact"
        if self.ann_label:
            return f"approximate (faiss {self.ann_label}, chosen in the index lab)"
        return f"approximate ({self._ann.label})" if self._ann is not None else "approximate"

    @property
    def shown_method(self) -> str:
        """``method`` in the reader's language (``method`` itself stays English: caches key on it)."""
        if not self.approximate:
            return _("exact")
        if self.ann_label:
            return _("approximate (faiss {index}, chosen in the index lab)").format(index=self.ann_shown)
        if self._ann is not None:
            return _("approximate ({index})").format(index=self._ann.label)
        return _("approximate")

    @property
    def _answers_approximately(self) -> bool:
        """Whether a query goes to the approximate index (building it first when ``build_on_query``)."""
        return self.approximate and (self.build_on_query or self._ann is not None)

    @property
    def ready(self) -> bool:
        """True when a query will not first have to build the approximate index."""
        return not self.approximate or self._ann is not None

    @property
    def recall(self) -> Any:
        """The approximate index's measured recall (``embedlab.ann.RecallReport``), None for exact search."""
        return self._ann.recall if self._ann is not None else None

    def build(self, on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> "NeighbourIndex":
        """Build the approximate index now (no-op for exact search); returns self."""
        if self.approximate and self._ann is None:
            from embedlab.ann import build_index

            with self._lock:
                if self._ann is None:
                    self._ann = build_index(self.unit, on_progress=on_progress, cancel=cancel)
                    self._quantized = None  # the exact path's int8 copy is no longer needed: free its memory
        return self

    # -- queries ----------------------------------------------------------------------------
    def vector_of(self, word_or_vector: str | np.ndarray) -> tuple[np.ndarray, int]:
        """The unit query vector and the query's own row (-1 for a vector or a composed OOV word).

        Unknown words raise ``UnknownWordError`` with suggestions, unless the model
        composes them from character n-grams (FastText).
        """
        if isinstance(word_or_vector, str):
            row = self.vectors.index.get(word_or_vector, -1)
            vector = self.unit[row] if row >= 0 else self.vectors.vector(word_or_vector)
            return np.asarray(vector, dtype=np.float32), row
        vector = np.asarray(word_or_vector, dtype=np.float32).reshape(-1)
        if vector.shape[0] != self.unit.shape[1]:
            raise EmbedlabError(N_("A query vector needs {dims} numbers, not {n_values}."),
                                dims=self.unit.shape[1], n_values=vector.shape[0])
        norm = float(np.linalg.norm(vector))
        return (vector / norm if norm > 0 else vector), -1

    def query(self, word_or_vector: str | np.ndarray, k: int = 10, exclude: Iterable[str] = ()) -> list[Neighbour]:
        """The ``k`` nearest words by cosine similarity, best first.

        A word is never its own neighbour; ``exclude`` names more words to leave out
        (unknown ones are ignored).
        """
        k = _check_k(k)
        vector, own = self.vector_of(word_or_vector)
        banned = {self.vectors.index[w] for w in exclude if w in self.vectors.index}
        if own >= 0:
            banned.add(own)
        idx, sims = self._search(vector, k, banned)
        return [Neighbour(self.vectors.words[i], float(s), r) for r, (i, s) in enumerate(zip(idx, sims), start=1)]

    def _search(self, vector: np.ndarray, k: int, banned: set[int]) -> tuple[list[int], list[float]]:
        n = self.unit.shape[0]
        k = min(k, n - len(banned))
        if k <= 0:
            return [], []
        if self._answers_approximately:
            self.build()
            idx, sims = self._ann.search(vector[None, :], k + len(banned), threads=faiss_threads(True))
            pairs = [(int(i), float(s)) for i, s in zip(idx[0], sims[0]) if i >= 0 and int(i) not in banned][:k]
            return [i for i, _ in pairs], [s for _, s in pairs]
        banned_rows = np.fromiter(banned, dtype=np.int64, count=len(banned))
        # no int8 copy for an index that is going approximate, nor for one made with screen=False (the page's
        # exact answers while the approximate index builds): beside the index's own codes it would push memory
        # past 2x the matrix
        if self.screen and not self.approximate:
            return screened_query(self.unit, self.quantized(), vector, k, banned_rows)
        return exact_query(self.unit, vector, k, banned_rows)

    def quantized(self) -> Quantized:
        """The int8 screening copy of the matrix, made on first use (a quarter of the matrix's memory)."""
        if self._quantized is None:
            with self._lock:
                if self._quantized is None:
                    self._quantized = Quantized.of(self.unit)
        return self._quantized

    def batch(self, words_or_matrix: Sequence[str] | np.ndarray, k: int = 10, cancel: CancelToken | None = None,
              on_progress: ProgressFn = no_progress) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` neighbours of many queries at once: (row indices, similarities), each (queries, k).

        Words are excluded from their own lists; matrix rows (vectors) are not. Unknown
        words raise ``UnknownWordError`` (FastText composes them).
        """
        k = _check_k(k)
        if isinstance(words_or_matrix, np.ndarray):
            matrix = np.asarray(words_or_matrix, dtype=np.float32)
            if matrix.ndim != 2 or matrix.shape[1] != self.unit.shape[1]:
                raise EmbedlabError(N_("Query vectors must be rows of {dims} numbers."), dims=self.unit.shape[1])
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            queries = matrix / np.where(norms > 0, norms, 1.0)
            own = np.full(len(queries), -1, dtype=np.int64)
        else:
            resolved = [self.vector_of(w) for w in words_or_matrix]
            queries = np.array([v for v, _ in resolved], dtype=np.float32).reshape(len(resolved), self.unit.shape[1])
            own = np.array([r for _, r in resolved], dtype=np.int64)
        if not self._answers_approximately:
            idx, sims = top_k(queries, self.unit, k, exclude=own, cancel=cancel, on_progress=on_progress)
            return idx, sims
        self.build()
        check(cancel)
        k = min(k, self.unit.shape[0] - 1)
        return self._ann.search(queries, k, exclude=own, threads=faiss_threads(False))


# -- batch mode: many query words, one table ------------------------------------------------------------

#: the most words one batch may hold (1,000 x 1M words x 100 dimensions is a few seconds)
MAX_BATCH_WORDS = 1000
_SEPARATORS = re.compile(r"[\s,;，；、]+")


def parse_word_list(text: str) -> list[str]:
    """Words pasted one per line, or separated by spaces, commas or semicolons; repeats dropped.

    >>> parse_word_list("king, queen\\n  paris;king")
    ['king', 'queen', 'paris']
    """
    words = list(dict.fromkeys(w for w in _SEPARATORS.split(text or "") if w))
    if len(words) > MAX_BATCH_WORDS:
        raise EmbedlabError(N_("At most {max_batch_words:,} words at once; this list has {n_words:,}. "
                               "Split it into several batches."), max_batch_words=MAX_BATCH_WORDS, n_words=len(words))
    return words


@dataclass(frozen=True)
class NeighbourTable:
    """Neighbour lists of many words in one long table, and what could not be answered."""

    table: pd.DataFrame  # columns: query, rank, neighbour, similarity
    unknown: dict[str, list[str]]  # word -> closest known spellings
    composed: tuple[str, ...]  # out-of-vocabulary words FastText composed from n-grams

    def csv(self) -> str:
        return self.table.to_csv(index=False)


def neighbour_table(index: NeighbourIndex, words: Sequence[str], k: int = 10, cancel: CancelToken | None = None,
                    on_progress: ProgressFn = no_progress) -> NeighbourTable:
    """Top-``k`` neighbours of every word (one batched search); unknown words are listed, not fatal."""
    from embedlab.errors import UnknownWordError

    vectors = index.vectors
    answerable: list[str] = []
    unknown: dict[str, list[str]] = {}
    composed: list[str] = []
    for word in words:
        if word in vectors.index:
            answerable.append(word)
            continue
        try:
            index.vector_of(word)
        except UnknownWordError as error:
            unknown[word] = error.suggestions
            continue
        answerable.append(word)
        composed.append(word)
    columns = ["query", "rank", "neighbour", "similarity"]
    if not answerable:
        return NeighbourTable(pd.DataFrame(columns=columns), unknown, tuple(composed))
    idx, sims = index.batch(answerable, k, cancel=cancel, on_progress=on_progress)
    keep = idx >= 0
    table = pd.DataFrame({
        "query": np.repeat(np.array(answerable, dtype=object), idx.shape[1])[keep.ravel()],
        "rank": np.tile(np.arange(1, idx.shape[1] + 1), len(answerable))[keep.ravel()],
        "neighbour": np.array(vectors.words, dtype=object)[idx[keep]],
        "similarity": np.round(sims[keep].astype(np.float64), 6),
    }, columns=columns)
    return NeighbourTable(table, unknown, tuple(composed))


def _check_k(k: int) -> int:
    k = int(k)
    if k < 1 or k > MAX_K:
        raise EmbedlabError(N_("The number of neighbours must be between 1 and {max_k}, not {k}."), max_k=MAX_K, k=k)
    return k
