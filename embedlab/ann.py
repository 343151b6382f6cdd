"""Approximate nearest neighbours for big vocabularies: a faiss index chosen by size and memory,
built with progress, whose recall@10 against exact search is measured on a sample and reported.

Exact search (``embedlab.search``) stays the default: it is never wrong, and up to a few
hundred million matrix elements it answers in a few tens of milliseconds. Above that a
single exact query reads the whole matrix (1.2 GB at 1M x 300), so the page switches to
an approximate index, and says how good it is:

* **HNSW** (``faiss.IndexHNSWFlat``) when the matrix is small enough to build a graph over
  in about a minute on two cores and memory allows a second, flat copy of the vectors.
  Best recall for the time, but the build is slow and the copy doubles the memory.
* **IVF** otherwise: k-means cells over a training sample, each query scanning the few
  cells nearest to it. The vectors in the cells are compressed: to one byte a value
  (``IVF-SQ8``, a quarter of the matrix) when memory holds that comfortably, else by
  product quantisation to a few bytes a word (``IVF-PQ``: 30 bytes for 300 dimensions
  instead of 1,200). IVF-SQ8 is preferred because it needs no codebook training, which
  took IVF-PQ minutes at 1M x 300 on two cores. Compressed scores are rough, so each
  query takes ``REFINE_PER_K`` x k candidates from the index and re-scores them exactly
  against the (memory-mapped) unit vectors: recall close to 1 at a fraction of the scan.
  IVF-SQ8 holds the vectors zero-padded to a multiple of 8 dimensions, the only widths
  faiss scans 8-bit codes with SIMD for (a 300-d query took 2.6 ms, a 304-d one 0.3 ms).
  Each inverted list is allocated once at its final size (``_add_to_exact_lists``).

After the build, the search breadth (``nprobe`` for IVF, ``efSearch`` for HNSW) is tuned on
one sample of query words (the smallest breadth whose recall@10 reaches ``target``), and
recall@10 is then *measured* on a second, held-out sample, so the figure shown beside
the results is not flattered by the tuning. ``ApproximateIndex.recall`` is that
measurement, with the rows it was measured on, so anyone can re-check it.

faiss is imported lazily; its OpenMP thread count is set per call (all cores to build,
one for a single query).
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.i18n import _, N_, bind_language
from embedlab.progress import CancelToken, ProgressFn, check, no_progress, scaled

#: HNSW only up to this many matrix elements: 30k x 64 took 49 s to build on two busy cores, so 50k x 100
#: is about the most a page should wait for; IVF-PQ builds far faster above that
HNSW_MAX_ELEMENTS = 5_000_000
#: HNSW graph degree and build breadth (recall@10 >= 0.95 on clustered vectors at these sizes)
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
#: breadths tried when tuning, smallest first
NPROBE_STEPS = (4, 8, 16, 32, 64, 128, 256)
EF_SEARCH_STEPS = (32, 64, 128, 256, 512)
#: candidates an IVF query re-scores exactly (per requested neighbour, and at least)
REFINE_PER_K = 10
REFINE_MIN = 100
#: rows added to the index per call: progress and cancel between blocks (20k x 304 float32: a 24 MB padded copy)
ADD_BLOCK = 20_000
#: k-means training points per IVF cell (faiss warns below 39)
TRAIN_PER_CELL = 40
#: IVF-SQ8 indexes are built over rows zero-padded to a multiple of this many dimensions: faiss scans 8-bit codes
#: with SIMD only then (300 dimensions scanned 7.7x slower than 304 per probed cell; zeros change no inner product)
SQ8_SIMD_WIDTH = 8
#: the recall everything is tuned for, and the k it is measured at
TARGET_RECALL = 0.95
RECALL_K = 10


@dataclass(frozen=True)
class IndexPlan:
    """Which index to build for a matrix, with its sizes, and why (a sentence for the page)."""

    kind: str  # "hnsw", "ivfpq" or "ivfsq8"
    rows: int
    dim: int
    nlist: int = 0  # IVF cells
    pq_m: int = 0  # PQ sub-vectors (IVF-PQ)
    extra_bytes: int = 0  # memory the index adds beyond the memory-mapped matrix
    reason: str = ""

    @property
    def label(self) -> str:
        return {"hnsw": "faiss HNSW", "ivfpq": "faiss IVF-PQ", "ivfsq8": "faiss IVF-SQ8"}[self.kind]

    @property
    def index_dim(self) -> int:
        """Dimensions of the vectors faiss holds: IVF-SQ8 pads to ``SQ8_SIMD_WIDTH`` (see ``padded``)."""
        return sq8_dim(self.dim) if self.kind == "ivfsq8" else self.dim


def plan_index(rows: int, dim: int, available_bytes: int | None = None, kind: str | None = None) -> IndexPlan:
    """Choose HNSW or IVF-PQ for a ``rows`` x ``dim`` float32 matrix (``kind`` forces one).

    HNSW keeps its own flat copy of the vectors (4 bytes a value) plus the graph, and
    builds slowly; it is chosen only up to ``HNSW_MAX_ELEMENTS`` and when
    ``available_bytes`` (default: the machine's available memory) holds three copies.

    IVF with 8-bit scalar codes (``ivfsq8``, a quarter of the matrix's memory) when memory
    holds four times that, IVF-PQ (a fortieth) when it does not.

    >>> plan_index(1_000_000, 300, available_bytes=8 * 1024**3).kind
    'ivfsq8'
    >>> plan_index(1_000_000, 300, available_bytes=1024**3).kind
    'ivfpq'
    >>> plan_index(50_000, 100, available_bytes=8 * 1024**3).kind
    'hnsw'
    """
    if rows < 2 or dim < 1:
        raise EmbedlabError(N_("An approximate index needs at least two words."))
    matrix_bytes = rows * dim * 4
    if available_bytes is None:
        import psutil

        available_bytes = int(psutil.virtual_memory().available)
    hnsw_bytes = matrix_bytes + rows * HNSW_M * 2 * 4
    sq8_bytes = rows * (sq8_dim(dim) + 8)
    if kind is None:
        small = rows * dim <= HNSW_MAX_ELEMENTS
        if small and available_bytes >= 3 * hnsw_bytes:
            kind, why = "hnsw", "small enough to build a graph over quickly, and memory holds its copy of the vectors"
        elif available_bytes >= 4 * sq8_bytes or rows < 256 * TRAIN_PER_CELL:
            kind = "ivfsq8"
            why = ("too large for a graph index to build quickly" if not small
                   else "memory is too short for a graph index's copy of the vectors")
            why += "; memory holds one byte a value, which needs no codebook training (the slow part of IVF-PQ)"
        else:
            kind, why = "ivfpq", "memory is short: product-quantised codes of a few bytes a word"
    else:
        why = "chosen by the caller"
    if kind == "hnsw":
        return IndexPlan("hnsw", rows, dim, extra_bytes=hnsw_bytes, reason=why)
    if kind not in ("ivfpq", "ivfsq8"):
        raise EmbedlabError(N_("Unknown index kind {kind!r}; choose 'hnsw', 'ivfsq8' or 'ivfpq'."), kind=kind)
    nlist = ivf_cells(rows)
    sub = pq_subvector(dim)
    if kind == "ivfpq" and (sub == 0 or rows < 256 * TRAIN_PER_CELL):
        kind = "ivfsq8"  # no sub-vector split, or too few words to train 256 centroids per sub-vector
        why += "; 8-bit scalar codes instead of PQ (too few words, or no sub-vector size divides the dimensions)"
    if kind == "ivfsq8":
        return IndexPlan("ivfsq8", rows, dim, nlist, 0, sq8_bytes + nlist * sq8_dim(dim) * 4, why)
    pq_m = dim // sub
    return IndexPlan("ivfpq", rows, dim, nlist, pq_m, rows * (pq_m + 8) + nlist * dim * 4, why)


def ivf_cells(rows: int) -> int:
    """IVF cells: about sqrt(rows), a power of two, between 16 and 4096 (k-means cost grows with it).

    >>> ivf_cells(1_000_000), ivf_cells(20_000), ivf_cells(100)
    (1024, 128, 16)
    """
    return int(min(4096, max(16, 2 ** round(math.log2(max(math.sqrt(rows), 1))))))


def sq8_dim(dim: int) -> int:
    """``dim`` rounded up to a multiple of ``SQ8_SIMD_WIDTH``.

    >>> sq8_dim(300), sq8_dim(304), sq8_dim(5)
    (304, 304, 8)
    """
    return -(-dim // SQ8_SIMD_WIDTH) * SQ8_SIMD_WIDTH


def padded(rows: np.ndarray, dim: int) -> np.ndarray:
    """Contiguous float32 rows, widened with zero columns to ``dim`` (a copy only when they are narrower).

    >>> padded(np.ones((1, 3)), 4).tolist()
    [[1.0, 1.0, 1.0, 0.0]]
    """
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    if rows.shape[1] == dim:
        return rows
    out = np.zeros((rows.shape[0], dim), dtype=np.float32)
    out[:, :rows.shape[1]] = rows
    return out


def pq_subvector(dim: int) -> int:
    """A sub-vector length near 10 dividing ``dim`` (then shorter ones), or 0 if none.

    Longer sub-vectors mean fewer codebooks to train: 4-dimensional ones (75 codebooks
    for 300 dimensions) took minutes to train on two cores; the exact re-scoring of each
    query's candidates makes up for the coarser codes.

    >>> pq_subvector(300), pq_subvector(100), pq_subvector(32), pq_subvector(101)
    (10, 10, 8, 0)
    """
    for sub in (10, 8, 12, 6, 5, 4, 3, 2):
        if dim % sub == 0 and dim // sub >= 1:
            return sub
    return 0


@dataclass(frozen=True)
class RecallReport:
    """Recall@k of the approximate index against exact search, measured on ``rows`` as queries."""

    value: float  # mean share of each query's exact top k that the index returned
    k: int
    rows: np.ndarray = field(repr=False)  # the query rows it was measured on (each excluded from its own list)
    breadth: int  # nprobe or efSearch it was measured at
    seconds_per_query: float

    @property
    def sample(self) -> int:
        return int(len(self.rows))

    def sentence(self) -> str:
        """What the page shows beside approximate results."""
        return _("recall@{k} = {value:.3f} against exact search, measured on {sample:,} "
                 "random words of the vocabulary").format(k=self.k, value=self.value, sample=self.sample)


class ApproximateIndex:
    """A built faiss index over unit rows, searched by inner product (cosine), with its measured recall.

    ``unit`` is kept by reference (it may be a memory map): IVF queries re-score their
    candidates against it. Safe to query from several threads once built.
    """

    def __init__(self, plan: IndexPlan, index: Any, unit: np.ndarray, build_seconds: float) -> None:
        self.plan = plan
        self.index = index
        self.unit = unit
        self.build_seconds = build_seconds
        self.breadth = 0
        self.recall: RecallReport | None = None

    @property
    def label(self) -> str:
        return self.plan.label

    def set_breadth(self, breadth: int) -> None:
        """Set ``nprobe`` (IVF) or ``efSearch`` (HNSW)."""
        self.breadth = int(breadth)
        if self.plan.kind == "hnsw":
            self.index.hnsw.efSearch = self.breadth
        else:
            self.index.nprobe = self.breadth

    def search(self, queries: np.ndarray, k: int, exclude: np.ndarray | None = None,
               threads: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Approximate top-``k`` rows per query row, best first: (rows, similarities), -1/-inf padded.

        ``exclude[i]`` (a row, or -1) is left out of query ``i``'s list.
        """
        import faiss

        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        nq = len(queries)
        exclude = np.full(nq, -1, np.int64) if exclude is None else np.asarray(exclude, np.int64)
        faiss.omp_set_num_threads(threads or (1 if nq == 1 else max(1, os.cpu_count() or 1)))
        if self.plan.kind == "hnsw":
            sims, idx = self.index.search(queries, k + 1)
        else:
            depth = max(REFINE_MIN, REFINE_PER_K * k) + 1
            _, cand = self.index.search(padded(queries, self.index.d), depth)
            idx, sims = _rescore(self.unit, queries, cand, k + 1)
        out_idx = np.full((nq, k), -1, np.int64)
        out_sims = np.full((nq, k), -np.inf, np.float32)
        for q in range(nq):
            keep = (idx[q] >= 0) & (idx[q] != exclude[q])
            row_idx, row_sims = idx[q][keep][:k], sims[q][keep][:k]
            out_idx[q, :len(row_idx)], out_sims[q, :len(row_sims)] = row_idx, row_sims
        return out_idx, out_sims


def _rescore(unit: np.ndarray, queries: np.ndarray, cand: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact scores of each query's candidate rows, top ``k`` kept (candidates -1 are padding)."""
    nq, depth = cand.shape
    out_idx = np.full((nq, k), -1, np.int64)
    out_sims = np.full((nq, k), -np.inf, np.float32)
    for q in range(nq):
        rows = cand[q][cand[q] >= 0]
        if not len(rows):
            continue
        rows = np.sort(rows)  # ascending rows: sequential reads of the memory map
        scores = np.asarray(unit[rows], dtype=np.float32) @ queries[q]
        order = np.lexsort((rows, -scores))[:k]
        out_idx[q, :len(order)], out_sims[q, :len(order)] = rows[order], scores[order]
    return out_idx, out_sims


def exact_neighbours(unit: np.ndarray, rows: np.ndarray, k: int, block: int = 8) -> np.ndarray:
    """Exact top-``k`` rows for each query row (itself excluded): the reference recall is measured against.

    Plain numpy (BLAS scores and ``argpartition``) in blocks of ``block`` queries, so the
    reference shares no code with the index it judges (nor with ``embedlab.search``).
    """
    rows = np.asarray(rows, np.int64)
    out = np.empty((len(rows), k), np.int64)
    matrix = np.asarray(unit)
    for start in range(0, len(rows), block):
        part = rows[start:start + block]
        scores = np.asarray(matrix[part], dtype=np.float32) @ matrix.T
        scores[np.arange(len(part)), part] = -np.inf
        np.negative(scores, out=scores)  # in place, and one row at a time below: no temporaries of the block's size
        for i, row in enumerate(scores):
            top = np.argpartition(row, k - 1)[:k]
            out[start + i] = top[np.argsort(row[top], kind="stable")]
    return out


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each row of ``truth`` found in the same row of ``found``.

    >>> recall_at_k(np.array([[1, 2, 3], [4, 5, 6]]), np.array([[3, 2, 9], [4, 5, 6]]))
    0.8333333333333334
    """
    k = truth.shape[1]
    hits = [len(set(f[f >= 0].tolist()) & set(t.tolist())) for f, t in zip(found, truth)]
    return float(np.mean(hits) / k) if len(hits) else 0.0


def measure_recall(index: ApproximateIndex, rows: np.ndarray, k: int = RECALL_K,
                   truth: np.ndarray | None = None) -> RecallReport:
    """Recall@``k`` of ``index`` at its current breadth, with ``rows`` as the queries (each excluding itself)."""
    rows = np.asarray(rows, np.int64)
    truth = exact_neighbours(index.unit, rows, k) if truth is None else truth
    queries = np.asarray(index.unit[rows], dtype=np.float32)
    started = time.perf_counter()
    found = np.vstack([index.search(queries[i], k, rows[i:i + 1], threads=1)[0] for i in range(len(rows))])
    per_query = (time.perf_counter() - started) / max(len(rows), 1)
    return RecallReport(recall_at_k(found, truth), k, rows, index.breadth, per_query)


def build_index(unit: np.ndarray, plan: IndexPlan | None = None, *, target: float = TARGET_RECALL,
                tune_sample: int = 300, measure_sample: int = 500, seed: int = 0,
                on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> ApproximateIndex:
    """Build, tune and measure an approximate index over unit rows (see the module docstring).

    Progress: training 0-15%, adding rows 15-80%, tuning and measuring recall 80-100%.
    """
    import faiss

    unit_view = np.asarray(unit)
    n, dim = unit_view.shape
    plan = plan or plan_index(n, dim)
    started = time.perf_counter()
    faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))
    rng = np.random.default_rng(seed)
    if plan.kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    else:
        width = plan.index_dim
        quantizer = faiss.IndexFlatIP(width)
        if plan.kind == "ivfpq":
            index = faiss.IndexIVFPQ(quantizer, dim, plan.nlist, plan.pq_m, 8, faiss.METRIC_INNER_PRODUCT)
            index.do_polysemous_training = False  # Hamming pre-filtering is not used; it took most of the training
            index.pq.cp.niter = 10  # codebooks: 10 k-means rounds on 64 points per centroid bound the training time
            index.pq.cp.max_points_per_centroid = 64
        else:
            index = faiss.IndexIVFScalarQuantizer(quantizer, width, plan.nlist, faiss.ScalarQuantizer.QT_8bit,
                                                  faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = 10  # the cells: 10 k-means rounds (faiss's default) from TRAIN_PER_CELL points per cell
        index.own_fields = True
        quantizer.this.disown()  # the IVF index owns (and frees) its quantizer
        n_train = min(n, max(TRAIN_PER_CELL * plan.nlist, 256 * 40 if plan.kind == "ivfpq" else 0))
        train_rows = np.sort(rng.choice(n, size=n_train, replace=False)) if n_train < n else np.arange(n)
        on_progress(0.02, 1, _("Training the {label} index on {n_train:,} words").format(
            label=plan.label, n_train=n_train))
        check(cancel)
        index.train(padded(unit_view[train_rows], width))
    adding = scaled(on_progress, 0.15, 0.8)
    if plan.kind == "hnsw":
        for start in range(0, n, ADD_BLOCK):
            check(cancel)
            adding(start, n, _("Adding words to the {label} index: {start:,} of {n:,}").format(
                label=plan.label, start=start, n=n))
            index.add(np.ascontiguousarray(unit_view[start:start + ADD_BLOCK], dtype=np.float32))
    else:
        _add_to_exact_lists(index, unit_view, plan.label, adding, cancel)
    built = ApproximateIndex(plan, index, unit, time.perf_counter() - started)
    # tune on one sample, measure on another (disjoint) one
    total = min(n, tune_sample + measure_sample)
    sample = rng.choice(n, size=total, replace=False).astype(np.int64)
    tune_rows, measure_rows = np.sort(sample[:max(1, total - measure_sample)]), np.sort(sample[-min(measure_sample, total):])
    on_progress(0.8, 1, _("Measuring recall against exact search on {total:,} words").format(total=total))
    check(cancel)
    tune_truth = exact_neighbours(unit_view, tune_rows, min(RECALL_K, n - 1))
    steps = EF_SEARCH_STEPS if plan.kind == "hnsw" else tuple(s for s in NPROBE_STEPS if s <= plan.nlist)
    for step in steps:
        check(cancel)
        built.set_breadth(step)
        if measure_recall(built, tune_rows, tune_truth.shape[1], tune_truth).value >= target:
            break
    on_progress(0.9, 1, _("Measuring recall@{recall_k} on {n_words:,} held-out words").format(
        recall_k=RECALL_K, n_words=len(measure_rows)))
    built.recall = measure_recall(built, measure_rows, min(RECALL_K, n - 1))
    built.build_seconds = time.perf_counter() - started
    on_progress(1, 1, _("{label} index ready: {measured}").format(label=plan.label, measured=built.recall.sentence()))
    return built


def _add_to_exact_lists(index: Any, unit: np.ndarray, label: str, progress: ProgressFn,
                        cancel: CancelToken | None) -> None:
    """Add every row to an IVF index, each inverted list allocated once, at its final size.

    faiss's ``add`` appends each block's codes to the lists, whose vectors grow by
    doubling: at 1M x 300 that left about 100 MB allocated beyond the 300 MB of IVF-SQ8
    codes, a twelfth of the matrix, for the life of the index. So the rows are first
    assigned to their cells (the coarse search ``add`` would do anyway), each list is sized
    to its count (grown to it once, then emptied: the capacity stays), and the codes are
    then added with those assignments (``add_core``), without a second coarse search.
    """
    import faiss

    n = len(unit)
    cells = np.empty(n, dtype=np.int64)
    for start in range(0, n, ADD_BLOCK):
        check(cancel)
        progress(start, 2 * n, _("Assigning words to the cells of the {label} index: {start:,} of {n:,}").format(
            label=label, start=start, n=n))
        block = padded(unit[start:start + ADD_BLOCK], index.d)
        cells[start:start + len(block)] = index.quantizer.assign(block, 1).ravel()
    lists = faiss.downcast_InvertedLists(index.invlists)
    counts = np.bincount(cells, minlength=index.nlist)
    if isinstance(lists, faiss.ArrayInvertedLists) and lists.list_size(0) == 0 and index.ntotal == 0:
        for cell, count in enumerate(counts.tolist()):
            lists.resize(cell, count)  # one exact allocation (std::vector grows from empty to the size asked)
            lists.resize(cell, 0)  # size back to 0, capacity kept: add_core fills it without reallocating
    for start in range(0, n, ADD_BLOCK):
        check(cancel)
        progress(n + start, 2 * n, _("Adding words to the {label} index: {start:,} of {n:,}").format(
            label=label, start=start, n=n))
        block = padded(unit[start:start + ADD_BLOCK], index.d)
        assigned = np.ascontiguousarray(cells[start:start + len(block)])
        index.add_core(len(block), faiss.swig_ptr(block), None, faiss.swig_ptr(assigned))
    if index.ntotal != n:  # add_core counts what it added: a different total means faiss changed under us
        raise RuntimeError(f"the {label} index holds {index.ntotal:,} of {n:,} words")


class BackgroundBuild:
    """An index build running in a daemon thread, with progress a page can poll.

    One per ``NeighbourIndex``: queries stay exact until ``result`` is set.
    """

    def __init__(self, unit: np.ndarray, plan: IndexPlan | None = None, **kwargs: Any) -> None:
        self.cancel = CancelToken()
        self.fraction = 0.0
        self.message = _("Waiting to start")
        self.result: ApproximateIndex | None = None
        self.error: BaseException | None = None
        # the build reports its progress in the language of the session that started it
        self._thread = threading.Thread(target=bind_language(self._run), args=(unit, plan, kwargs), daemon=True,
                                        name="embedlab-ann-build")
        self._thread.start()

    def _progress(self, done: float, total: float, message: str) -> None:
        self.fraction = float(done / total) if total else 0.0
        self.message = message

    def _run(self, unit: np.ndarray, plan: IndexPlan | None, kwargs: dict[str, Any]) -> None:
        try:
            self.result = build_index(unit, plan, on_progress=self._progress, cancel=self.cancel, **kwargs)
        except BaseException as error:  # noqa: BLE001 - reported to the page, never lost
            self.error = error
            self.message = str(error)

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> ApproximateIndex | None:
        self._thread.join(timeout)
        if self.error is not None:
            raise self.error
        return self.result
