"""The index behind search: faiss Flat, IVF-Flat, IVF-PQ and HNSW measured on a model's own vectors.

Approximate nearest-neighbour indexes trade recall for speed and memory
(Jégou et al. 2011 for IVF and product quantisation, Malkov & Yashunin 2018 for
HNSW). The lab builds each kind on the model's unit vectors (inner product =
cosine) and sweeps its search knob, so the trade-off is measured on the user's
data rather than quoted:

* **Flat**: exact brute force; recall 1 by definition, the latency to beat.
* **IVF-Flat**: k-means cells (``nlist``); a query scans the ``nprobe`` nearest
  cells only. nprobe = nlist scans everything and is exact again.
* **IVF-PQ**: IVF plus product quantisation: each vector compressed to
  ``m`` codes of ``nbits`` bits (``m`` bytes at 8 bits); far less memory, lower
  recall. Swept over the code size ``m`` and ``nprobe``.
* **HNSW**: a navigable small-world graph; ``efSearch`` is how many candidates a
  query keeps, higher = better recall and slower.

Recall@k is measured against exact search over the same vectors (the query word
itself left out of both lists), latency is the mean time per query with one
thread, each query sent alone (as a Neighbours query is), memory is the size of the serialised index. Pure: vectors in, a table
out; nothing is saved.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from embedlab.errors import EmbedlabError, ParameterError
from embedlab.i18n import _, N_, Message
from embedlab.progress import CancelToken, ProgressFn, check, no_progress
from embedlab.vectors import WordVectors

KINDS: dict[str, str] = {"flat": "Flat (exact)", "ivf_flat": "IVF-Flat", "ivf_pq": "IVF-PQ", "hnsw": "HNSW"}
#: the lab runs on at most this many of the model's (most frequent) words: an HNSW build over 100k x 100
#: takes about a minute on two cores, which is beyond an interactive sweep
DEFAULT_MAX_VECTORS = 20_000
DEFAULT_QUERIES = 500
DEFAULT_NPROBES: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)
DEFAULT_EF_SEARCH: tuple[int, ...] = (8, 16, 32, 64, 128, 256)
DEFAULT_PQ_BYTES: tuple[int, ...] = (4, 8, 16, 32)
HNSW_M = 32
#: indexes over fewer vectors are built with one thread (measured: 2 threads made a 1,500-vector IVF build
#: 0.002 s -> 0.55 s on a loaded 2-core machine)
PARALLEL_BUILD_MIN = 50_000
HNSW_EF_CONSTRUCTION = 80


@dataclass(frozen=True)
class IndexSpec:
    """One index configuration: its kind, how it is built, and its search knob."""

    kind: str
    nlist: int = 0  # IVF cells
    pq_m: int = 0  # PQ sub-quantisers (bytes per vector at 8 bits)
    pq_nbits: int = 8
    hnsw_m: int = HNSW_M
    nprobe: int = 0  # IVF cells scanned per query
    ef_search: int = 0  # HNSW candidates kept per query

    @property
    def label(self) -> str:
        if self.kind == "flat":
            return "Flat"
        if self.kind == "ivf_flat":
            return f"IVF{self.nlist}-Flat, nprobe {self.nprobe}"
        if self.kind == "ivf_pq":
            return f"IVF{self.nlist}-PQ{self.pq_m}x{self.pq_nbits}, nprobe {self.nprobe}"
        return f"HNSW{self.hnsw_m}, efSearch {self.ef_search}"

    @property
    def shown_label(self) -> Message:
        """``label`` in the reader's language when shown (``label`` itself stays English: it is a key)."""
        if self.kind == "flat":
            return Message(N_("Flat"))
        if self.kind == "ivf_flat":
            return Message(N_("IVF{nlist}-Flat, nprobe {nprobe}"), nlist=self.nlist, nprobe=self.nprobe)
        if self.kind == "ivf_pq":
            return Message(N_("IVF{nlist}-PQ{m}x{bits}, nprobe {nprobe}"), nlist=self.nlist, m=self.pq_m,
                           bits=self.pq_nbits, nprobe=self.nprobe)
        return Message(N_("HNSW{m}, efSearch {ef}"), m=self.hnsw_m, ef=self.ef_search)

    @property
    def knob(self) -> tuple[str, int]:
        """The search-time knob this row sweeps and its value."""
        if self.kind in ("ivf_flat", "ivf_pq"):
            return "nprobe", self.nprobe
        if self.kind == "hnsw":
            return "efSearch", self.ef_search
        return "-", 0

    def to_json(self) -> dict[str, Any]:
        """The settings as JSON (what the workspace keeps for a model's chosen index)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> "IndexSpec | None":
        """Settings read back from ``to_json``; None for anything this version cannot build (a kind it does not
        know, a damaged file), so a bad file means the default search, never a broken page."""
        if not isinstance(data, Mapping) or data.get("kind") not in KINDS:
            return None
        values: dict[str, int] = {}
        for f in dataclasses.fields(cls):
            if f.name == "kind":
                continue
            value = data.get(f.name, f.default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                return None
            values[f.name] = value
        spec = cls(str(data["kind"]), **values)
        if spec.kind in ("ivf_flat", "ivf_pq") and (spec.nlist < 1 or spec.nprobe < 1):
            return None
        if spec.kind == "ivf_pq" and not (spec.pq_m >= 1 and 1 <= spec.pq_nbits <= 16):
            return None
        if spec.kind == "hnsw" and (spec.hnsw_m < 2 or spec.ef_search < 1):
            return None
        return spec

    def build_key(self) -> tuple:
        """What the built index depends on (not the search knob): one build serves a whole sweep."""
        return (self.kind, self.nlist, self.pq_m, self.pq_nbits, self.hnsw_m if self.kind == "hnsw" else 0)


@dataclass(frozen=True)
class LabRow:
    spec: IndexSpec
    recall: float  # recall@k against exact search
    latency_ms: float  # mean per query, one thread
    memory_bytes: int  # serialised index size
    build_s: float

    def row(self, k: int) -> dict[str, Any]:
        knob, value = self.spec.knob
        pq_bytes = self.spec.pq_m * self.spec.pq_nbits // 8 if self.spec.kind == "ivf_pq" else None
        return {"index": KINDS[self.spec.kind], "setting": self.spec.label, "knob": knob,
                "value": value if knob != "-" else None, "code bytes": pq_bytes,
                f"recall@{k}": round(self.recall, 4), "latency ms": round(self.latency_ms, 4),
                "memory MB": round(self.memory_bytes / 1024**2, 3), "build s": round(self.build_s, 3)}


@dataclass(frozen=True)
class LabResult:
    rows: list[LabRow]
    k: int
    n_vectors: int
    n_queries: int
    dim: int
    seconds: float

    def table(self) -> list[dict[str, Any]]:
        return [r.row(self.k) for r in self.rows]


def default_nlist(n: int) -> int:
    """IVF cells: about 4·√n (faiss's guideline), at most n/39 so k-means has 39 points per cell."""
    return max(1, min(int(4 * math.sqrt(n)), n // 39))


def pq_sizes(dim: int, wanted: Sequence[int] = DEFAULT_PQ_BYTES) -> list[int]:
    """Sub-quantiser counts that divide ``dim`` (faiss needs it), each the divisor nearest a wanted size."""
    divisors = [m for m in range(1, dim + 1) if dim % m == 0 and m < dim]
    if not divisors:
        return []
    picked = {min(divisors, key=lambda m: (abs(math.log(m / w)), m)) for w in wanted if w > 0}
    return sorted(picked)


def pq_bits(n_train: int) -> int:
    """Bits per PQ code: 8 (256 centroids) when there are 39 vectors per centroid to train them (faiss's
    guideline), fewer for small vocabularies (at least 4, never more centroids than vectors)."""
    by_guideline = math.floor(math.log2(max(n_train / 39, 1)))
    return int(max(1, min(8, max(4, by_guideline), math.floor(math.log2(max(n_train, 2))))))


def build(spec: IndexSpec, unit: np.ndarray, seed: int = 1) -> Any:
    """A faiss index of ``spec``'s kind over the rows of ``unit`` (inner product), trained and filled."""
    import faiss

    dim = unit.shape[1]
    metric = faiss.METRIC_INNER_PRODUCT
    if spec.kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif spec.kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, spec.hnsw_m, metric)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    elif spec.kind in ("ivf_flat", "ivf_pq"):
        quantizer = faiss.IndexFlatIP(dim)
        if spec.kind == "ivf_flat":
            index = faiss.IndexIVFFlat(quantizer, dim, spec.nlist, metric)
        else:
            if dim % spec.pq_m:
                raise ParameterError(N_("PQ needs a code count that divides the {dim} dimensions; {pq_m} does not."),
                                     dim=dim, pq_m=spec.pq_m)
            index = faiss.IndexIVFPQ(quantizer, dim, spec.nlist, spec.pq_m, spec.pq_nbits, metric)
            # small vocabularies train fewer centroids (``pq_bits``); faiss would warn on every sub-quantiser
            index.pq.cp.min_points_per_centroid = 1
        index.cp.seed = seed
        index.cp.min_points_per_centroid = 1
        index.train(unit)  # faiss's Python wrapper keeps the quantizer alive with the index
    else:
        raise ParameterError(N_("Unknown index kind {kind!r}; choose one of {kinds}."),
                             kind=spec.kind, kinds=', '.join(KINDS))
    index.add(unit)
    return index


def set_knob(index: Any, spec: IndexSpec) -> None:
    if spec.kind in ("ivf_flat", "ivf_pq"):
        index.nprobe = spec.nprobe
    elif spec.kind == "hnsw":
        index.hnsw.efSearch = spec.ef_search


def search_excluding_self(index: Any, queries: np.ndarray, rows: np.ndarray, k: int,
                          one_by_one: bool = False) -> np.ndarray:
    """Top-``k`` ids per query from ``index``, the query's own row removed (searched k+1 deep).

    ``one_by_one`` sends each query alone, as the Neighbours page does (for timing single-query latency).
    """
    if one_by_one:
        ids = np.vstack([index.search(queries[i:i + 1], k + 1)[1] for i in range(len(queries))])
    else:
        _, ids = index.search(queries, k + 1)
    out = np.full((len(rows), k), -1, dtype=np.int64)
    for i, (found, own) in enumerate(zip(ids, rows)):
        kept = [j for j in found.tolist() if j != own and j >= 0][:k]
        out[i, :len(kept)] = kept
    return out


#: a found neighbour whose true similarity is within this of the k-th exact one counts as a hit (a tie)
TIE_TOLERANCE = 2e-6


def recall_at_k(found: np.ndarray, exact: np.ndarray, unit: np.ndarray | None = None,
                queries: np.ndarray | None = None, kth: np.ndarray | None = None) -> float:
    """Mean fraction of each exact top-k list that ``found`` recovered.

    With ``unit``, ``queries`` and ``kth`` (the k-th exact similarity per query), a found row that is not
    in the exact list but ties its last entry counts too: among equal similarities, which row exact search
    lists is arbitrary (float rounding decides), so it is no miss.
    """
    k = exact.shape[1]
    hits = 0
    for i, (f, e) in enumerate(zip(found, exact)):
        rows = [j for j in f.tolist() if j >= 0]
        same = set(rows) & set(e.tolist())
        hits += len(same)
        if unit is not None and queries is not None and kth is not None:
            others = [j for j in rows if j not in same]
            if others:
                sims = unit[others] @ queries[i]
                hits += int((sims >= kth[i] - TIE_TOLERANCE).sum())
    return min(hits, k * len(exact)) / (k * len(exact)) if len(exact) else 0.0


def sweep_specs(n: int, dim: int, nprobes: Sequence[int] = DEFAULT_NPROBES,
                ef_searches: Sequence[int] = DEFAULT_EF_SEARCH, pq_bytes: Sequence[int] = DEFAULT_PQ_BYTES,
                kinds: Sequence[str] = tuple(KINDS), nlist: int | None = None) -> list[IndexSpec]:
    """Every configuration of a sweep, grouped so consecutive specs share one build."""
    nlist = nlist or default_nlist(n)
    probes = sorted({min(p, nlist) for p in nprobes if p > 0})
    specs: list[IndexSpec] = []
    if "flat" in kinds:
        specs.append(IndexSpec("flat"))
    if "ivf_flat" in kinds:
        specs += [IndexSpec("ivf_flat", nlist=nlist, nprobe=p) for p in probes]
    if "ivf_pq" in kinds:
        bits = pq_bits(n)
        for m in pq_sizes(dim, pq_bytes):
            specs += [IndexSpec("ivf_pq", nlist=nlist, pq_m=m, pq_nbits=bits, nprobe=p) for p in probes]
    if "hnsw" in kinds:
        specs += [IndexSpec("hnsw", ef_search=e) for e in sorted(set(ef_searches)) if e > 0]
    return specs


def query_rows(n: int, n_queries: int, seed: int = 1) -> np.ndarray:
    """Which rows serve as queries: a seeded uniform sample (all rows when there are few)."""
    if n_queries >= n:
        return np.arange(n, dtype=np.int64)
    return np.sort(np.random.default_rng(seed).choice(n, size=n_queries, replace=False)).astype(np.int64)


def check_size(n: int, k: int) -> None:
    """Raise a clear error when ``n`` vectors are too few to measure recall@``k`` (queries exclude themselves)."""
    if n < 2 * k + 2:
        raise EmbedlabError(N_("The index lab needs at least {needed} vectors for recall@{k}; this model has {n}."),
                            needed=2 * k + 2, k=k, n=n)


def run_sweep(vectors: WordVectors, k: int = 10, n_queries: int = DEFAULT_QUERIES,
              max_vectors: int = DEFAULT_MAX_VECTORS, specs: Sequence[IndexSpec] | None = None, seed: int = 1,
              on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> LabResult:
    """Build each index once, sweep its knob, and measure recall@k, latency and memory against exact search."""
    import faiss

    from embedlab.search import faiss_threads, top_k

    started = time.perf_counter()
    base = vectors.top(max_vectors)
    unit = np.ascontiguousarray(np.asarray(base.unit), dtype=np.float32)
    n, dim = unit.shape
    check_size(n, k)
    specs = list(specs) if specs is not None else sweep_specs(n, dim)
    rows = query_rows(n, n_queries, seed)
    queries = unit[rows]
    on_progress(0, len(specs) + 1, _("Exact neighbours (the ground truth)"))
    exact, exact_sims = top_k(queries, unit, k, exclude=rows)
    kth = exact_sims[:, -1]
    results: list[LabRow] = []
    built_key, index, build_s, memory = None, None, 0.0, 0
    for step, spec in enumerate(specs, start=1):
        check(cancel)
        if spec.build_key() != built_key:
            # small builds take milliseconds, and OpenMP's thread team only adds waiting on a busy machine
            faiss.omp_set_num_threads(faiss_threads(False) if n >= PARALLEL_BUILD_MIN else 1)
            t0 = time.perf_counter()
            index = build(spec, unit, seed)
            build_s = time.perf_counter() - t0
            memory = int(faiss.serialize_index(index).size)
            built_key = spec.build_key()
        set_knob(index, spec)
        faiss.omp_set_num_threads(1)  # latency per query as one user's query sees it
        t0 = time.perf_counter()
        found = search_excluding_self(index, queries, rows, k, one_by_one=True)
        latency_ms = (time.perf_counter() - t0) * 1000 / len(rows)
        results.append(LabRow(spec, recall_at_k(found, exact, unit, queries, kth), latency_ms, memory, build_s))
        on_progress(step, len(specs) + 1, _("{label}: recall@{k} {recall:.3f}").format(
            label=spec.label, k=k, recall=results[-1].recall))
    return LabResult(results, k, n, len(rows), dim, time.perf_counter() - started)


def best_for(result: LabResult, min_recall: float = 0.95) -> LabRow | None:
    """The fastest setting whose recall reaches ``min_recall`` (None when no setting does)."""
    good = [r for r in result.rows if r.recall >= min_recall]
    return min(good, key=lambda r: r.latency_ms) if good else None
