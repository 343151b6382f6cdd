"""Flattening a model's vectors to 2-D or 3-D for the map: PCA, UMAP, t-SNE.

Every result says which words it shows and how they were chosen (``Projection.
description``), because a map of 10,000 of 80,000 words must say so. The description
is data (``SampleDescription``: how many, of how many, chosen how), not a sentence, so
a cached map reads in whoever's language looks at it.

UMAP is made fast in four ways, measured in ``benchmarks/projection.py``:

* its k-nearest-neighbour graph comes from an exact inner-product search on the
  unit vectors (cosine; ``embedlab.search.knn_graph``), passed as ``precomputed_knn``.
  UMAP then never runs NN-descent, whose numba compilation is most of a cold first call;
* ``warm_up()`` runs a tiny UMAP once per server process (in the background) so
  the remaining numba code is compiled before a user asks for a map;
* finished projections are cached on disk under (model fingerprint, params) by the
  store (``Workspace.load_projection``/``save_projection``, composed in
  ``embedlab.workflows.project_cached``), so a map is computed once per model and
  setting, across sessions and restarts. This module itself never touches the disk;
* PCA initialisation instead of spectral: the spectral step alone took 5-8 s of a
  20k-word fit on real word vectors (text8 Word2Vec), for a slightly better map
  (0.057 against 0.053 of each word's 14 nearest map neighbours among its 14
  nearest in the original space); and 200 optimisation epochs from 5,000 points
  (see ``umap_epochs``).

Without a seed UMAP runs its epochs on every core (for maps above
``SINGLE_THREAD_POINTS``); with one it is reproducible but single-threaded, so the
seed is the user's choice (empty by default).

``umap`` is imported lazily: the import alone costs seconds.
"""

from __future__ import annotations

import io
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from embedlab.config import ProjectionParams
from embedlab.errors import EmbedlabError, ParameterError
from embedlab.i18n import _, N_, format_number
from embedlab.progress import CancelToken, ProgressFn, check, no_progress, scaled
from embedlab.vectors import WordVectors

#: the map never draws more than this many words (the browser's limit, not ours)
MAX_POINTS = 50_000
#: t-SNE is quadratic-ish and single-purpose here; above this it would take minutes
TSNE_MAX_POINTS = 10_000
#: UMAP maps up to this size run on one thread: each epoch is too short to share, and on a busy machine the
#: threads' barrier waits made a 1,327-word map take 8 s on two threads against 2 s on one
SINGLE_THREAD_POINTS = 5_000
#: bump when the layout code changes: the store's projection cache keys include it, so old maps are not served
LAYOUT_VERSION = 1


@dataclass(frozen=True)
class SampleDescription:
    """Which words a map shows, as language-neutral facts; ``str()`` says it in the current language.

    Kept in the projection cache as these facts (``to_json``), never as a sentence, so a map
    cached by an English session reads in Chinese in a Chinese one.

    >>> str(SampleDescription(10_000, 81_234))
    'the 10,000 most frequent of 81,234 words'
    """

    n: int  # words shown
    total: int  # words in the model
    policy: str = "frequent"  # 'frequent' or 'random'
    seed: int | None = None  # the random sample's seed

    def __str__(self) -> str:
        n, total = format_number(self.n), format_number(self.total)
        if self.n >= self.total:
            return _("all {total} words").format(total=total)
        if self.policy == "random":
            return _("a uniform random sample of {n} of {total} words (seed {seed})").format(
                n=n, total=total, seed=0 if self.seed is None else self.seed)
        return _("the {n} most frequent of {total} words").format(n=n, total=total)

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "total": self.total, "policy": self.policy, "seed": self.seed}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SampleDescription":
        seed = data.get("seed")
        return cls(int(data["n"]), int(data["total"]), str(data.get("policy", "frequent")),
                   None if seed is None else int(seed))


@dataclass(frozen=True, eq=False)
class Projection:
    """Coordinates for some of a model's words.

    ``coords[i]`` is the position of word ``vectors.words[rows[i]]``.
    """

    coords: np.ndarray  # (n, dims) float32
    rows: np.ndarray  # (n,) int64 rows of the model's vocabulary
    description: SampleDescription  # str() reads e.g. "the 10,000 most frequent of 81,234 words"
    params: ProjectionParams
    seconds: float = 0.0

    @property
    def dims(self) -> int:
        return int(self.coords.shape[1])

    def words(self, vectors: WordVectors) -> list[str]:
        return [vectors.words[r] for r in self.rows]


# -- which words ---------------------------------------------------------------------------------

def sample_rows(vectors: WordVectors, n_points: int, policy: str = "frequent", seed: int | None = None
                ) -> tuple[np.ndarray, SampleDescription]:
    """The rows a map shows, and how they were chosen (``str()`` of it is a sentence in the current language).

    >>> wv = WordVectors.from_matrix(["a", "b", "c"], np.eye(3))
    >>> rows, how = sample_rows(wv, 2)
    >>> rows, str(how)
    (array([0, 1]), 'the 2 most frequent of 3 words')
    >>> str(sample_rows(wv, 5)[1])
    'all 3 words'
    """
    total = len(vectors)
    if total == 0:
        raise EmbedlabError(N_("This model has no words to draw."))
    n = min(int(n_points), total, MAX_POINTS)
    if n >= total:
        return np.arange(total, dtype=np.int64), SampleDescription(total, total, policy, seed)
    if policy == "frequent":
        # trainers and loaders store words by descending frequency
        return np.arange(n, dtype=np.int64), SampleDescription(n, total, policy)
    if policy == "random":
        seed = 0 if seed is None else seed
        rng = np.random.default_rng(seed)
        rows = np.sort(rng.choice(total, size=n, replace=False)).astype(np.int64)
        return rows, SampleDescription(n, total, policy, seed)
    raise ParameterError(N_("Unknown sampling policy {policy!r}; choose 'frequent' or 'random'."), policy=policy)


# -- PCA -----------------------------------------------------------------------------------------

def pca(matrix: np.ndarray, dims: int = 2) -> np.ndarray:
    """Principal components of ``matrix`` rows as float32 ``(n, dims)``, signs fixed for stable maps.

    The one PCA of embedlab: the Map page, the Compare page's aligned map and the
    Analogies page's parallelogram all draw with it.
    """
    return pca_with_variance(matrix, dims)[0]


def pca_with_variance(matrix: np.ndarray, dims: int = 2) -> tuple[np.ndarray, tuple[float, ...]]:
    """PCA coordinates and each axis's share of the total variance (for axis titles).

    Uses the eigenvectors of the (dim x dim) covariance, so 50,000 x 300 takes well
    under a second. Each axis is oriented so its largest loading is positive, making
    the picture independent of the solver's arbitrary signs. Missing axes (fewer
    input dimensions than ``dims``) are zeros with a zero share.
    """
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise EmbedlabError(N_("A map needs at least two words."))
    centred = x - x.mean(axis=0)
    # one BLAS thread: these products are small, and OpenBLAS's second thread spin-waits for a core, so on a
    # busy 2-core machine 10,000 x 100 took 0.15-1.5 s with two threads against 0.03 s with one
    with threadpool_limits(limits=1, user_api="blas"):
        cov = centred.T @ centred / max(len(x) - 1, 1)
        values, vectors = np.linalg.eigh(cov)
    values = np.clip(values, 0.0, None)  # rank-deficient data gives eigenvalues of -1e-17
    order = np.argsort(values)[::-1][:dims]
    axes = vectors[:, order]
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(axes.shape[1])])
    axes = axes * np.where(signs == 0, 1.0, signs)
    with threadpool_limits(limits=1, user_api="blas"):
        coords = centred @ axes
    total = float(values.sum())
    shares = [float(values[i] / total) if total > 0 else 0.0 for i in order]
    if coords.shape[1] < dims:  # fewer input dimensions than asked: pad with zeros
        coords = np.hstack([coords, np.zeros((len(coords), dims - coords.shape[1]))])
        shares += [0.0] * (dims - len(shares))
    return coords.astype(np.float32), tuple(shares)


# -- UMAP ------------------------------------------------------------------------------------------

def umap_knn(unit: np.ndarray, k: int, cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine kNN graph in UMAP's format: ``(indices, distances)``, each ``(n, k)``.

    Row ``i`` starts with ``i`` itself at distance 0 (as UMAP's own search returns),
    then its ``k - 1`` nearest other rows by cosine distance ``1 - similarity``.
    The search is ``embedlab.search.knn_graph`` (blocked BLAS + compiled selection,
    measured faster than faiss's flat index here), which notices a cancel between blocks.
    """
    from embedlab.search import knn_graph as nearest_rows

    n = len(unit)
    k = min(k, n)
    others, other_sims = nearest_rows(unit, k - 1, exclude_self=True, cancel=cancel)
    rows = np.arange(n)
    indices = np.hstack([rows[:, None], others]).astype(np.int32)
    dists = np.hstack([np.zeros((n, 1), np.float32), np.clip(1.0 - other_sims, 0.0, 2.0)]).astype(np.float32)
    return indices, dists


class _EpochProgress(io.TextIOBase):
    """A file for UMAP's tqdm bar: turns 'n/total' into progress and checks for cancel.

    UMAP reports its optimisation epochs only through tqdm; raising ``Cancelled``
    from ``write`` stops the epoch loop, which runs in Python between numba calls.
    """

    _COUNT = re.compile(r"(\d+)/(\d+)")

    def __init__(self, on_progress: ProgressFn, cancel: CancelToken | None) -> None:
        super().__init__()
        self._on_progress, self._cancel = on_progress, cancel

    def write(self, text: str) -> int:
        check(self._cancel)
        found = self._COUNT.findall(text)
        if found:
            done, total = map(int, found[-1])
            self._on_progress(done, total, _("Laying out the map: epoch {done} of {total}").format(
                done=done, total=total))
        return len(text)

    def flush(self) -> None:
        check(self._cancel)


def umap_layout(unit: np.ndarray, params: ProjectionParams, on_progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None) -> np.ndarray:
    """UMAP coordinates (float32 ``(n, dims)``) of unit vectors, cosine metric, exact kNN graph (``umap_knn``)."""
    n = len(unit)
    if n < 5:
        raise EmbedlabError(N_("UMAP needs at least 5 words; use PCA for so few."))
    on_progress(0, 1, _("Finding each word's nearest neighbours"))
    k = max(2, min(params.n_neighbors, n - 1))
    indices, dists = umap_knn(unit, k, cancel)
    check(cancel)
    on_progress(0.1, 1, _("Loading UMAP") if "umap" not in _imported else _("Building the neighbour graph"))
    umap = _import_umap()
    check(cancel)
    epochs = _EpochProgress(scaled(on_progress, 0.15, 1.0), cancel)
    reducer = umap.UMAP(
        n_components=params.dims, n_neighbors=k, min_dist=params.min_dist, metric="cosine",
        precomputed_knn=(indices, dists), random_state=params.seed,
        # with a seed UMAP is reproducible but single-threaded; without, it uses every core for large maps
        n_jobs=1 if params.seed is not None or n <= SINGLE_THREAD_POINTS else -1,
        # PCA initialisation: spectral (UMAP's default) took 5-8 s of a 20k-word fit on real word vectors for a
        # slightly better map (see the module docstring and benchmarks/projection.py --text8)
        init="pca" if n > params.dims + 1 else "random",
        n_epochs=umap_epochs(n),
        tqdm_kwds={"disable": False, "file": epochs, "mininterval": 0.25},
    )
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*knn_search_index.*")
        warnings.filterwarnings("ignore", message=".*n_jobs value.*")
        coords = reducer.fit_transform(np.asarray(unit, dtype=np.float32))
    return np.asarray(coords, dtype=np.float32)


def umap_epochs(n: int) -> int:
    """Optimisation epochs: UMAP's own rule is 500 up to 10,000 points and 200 above, which made the
    default 10,000-word map slower than a 20,000-word one. With 200 epochs a 10,000-word map of a
    text8 Word2Vec model took 2.2x less time and kept 95% of the neighbour preservation (share of
    each word's 14 nearest map neighbours among its 14 nearest in the original space: 0.116 against
    0.122). Small maps are cheap and keep 500.

    >>> umap_epochs(1_000), umap_epochs(10_000), umap_epochs(50_000)
    (500, 200, 200)
    """
    return 500 if n <= 5_000 else 200


_imported: set[str] = set()
_import_lock = threading.Lock()


def _import_umap() -> Any:
    with _import_lock:
        import umap

        _imported.add("umap")
        return umap


# -- t-SNE -----------------------------------------------------------------------------------------

def tsne_layout(unit: np.ndarray, params: ProjectionParams, on_progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None) -> np.ndarray:
    """scikit-learn's t-SNE (cosine, PCA initialisation); cannot be interrupted once started."""
    from sklearn.manifold import TSNE

    n = len(unit)
    _check_tsne_size(n)
    if n < 5:
        raise EmbedlabError(N_("t-SNE needs at least 5 words; use PCA for so few."))
    check(cancel)
    on_progress(0.05, 1, _("t-SNE on {n:,} words (cannot report progress; cancel takes effect when it ends)").format(
        n=n))
    perplexity = min(params.perplexity, (n - 1) / 3)
    tsne = TSNE(n_components=params.dims, perplexity=perplexity, metric="cosine", init="pca",
                random_state=params.seed if params.seed is not None else 0, n_jobs=-1)
    coords = tsne.fit_transform(np.asarray(unit, dtype=np.float32))
    check(cancel)
    return np.asarray(coords, dtype=np.float32)


def _check_tsne_size(n: int) -> None:
    if n > TSNE_MAX_POINTS:
        raise ParameterError(N_("t-SNE is limited to {tsne_max_points:,} words here (it would take many minutes); "
                                "show fewer words or use UMAP."), tsne_max_points=TSNE_MAX_POINTS)


# -- the entry point -----------------------------------------------------------------------------

def validate(params: ProjectionParams, n_words: int) -> None:
    """Raise ``ParameterError`` now for a request that would fail in its background job."""
    params.validate()
    if params.method == "tsne":
        _check_tsne_size(min(params.n_points, n_words, MAX_POINTS))


def project(vectors: WordVectors, params: ProjectionParams = ProjectionParams(), on_progress: ProgressFn = no_progress,
            cancel: CancelToken | None = None) -> Projection:
    """Project the words ``params`` selects with ``params.method``; see the module docstring."""
    validate(params, len(vectors))
    started = time.perf_counter()
    rows, description = sample_rows(vectors, params.n_points, params.sampling, params.seed)
    unit = np.asarray(vectors.unit[rows], dtype=np.float32)
    if params.method == "pca":
        coords = pca(unit, params.dims)
    elif params.method == "umap":
        coords = umap_layout(unit, params, on_progress, cancel)
    elif params.method == "tsne":
        coords = tsne_layout(unit, params, on_progress, cancel)
    else:
        raise ParameterError(N_("Unknown projection method {method!r}."), method=params.method)
    on_progress(1, 1, _("Map ready"))
    return Projection(coords, rows, description, params, time.perf_counter() - started)


# -- warming numba once per process ----------------------------------------------------------------

_warm_lock = threading.Lock()
_warm_seconds: float | None = None


def warm_up(seeded: bool = False, cancel: CancelToken | None = None) -> float:
    """Run a tiny UMAP so its numba code is compiled before a user needs it; returns seconds (0 if done before).

    Uses the same path as ``umap_layout`` (precomputed kNN, cosine), parallel unless
    ``seeded``, on a clustered synthetic set big enough to exercise every kernel.
    A job that finds another thread compiling waits for it, but a cancel ends the wait.
    """
    global _warm_seconds
    while not _warm_lock.acquire(timeout=0.25):
        check(cancel)
    try:
        if _warm_seconds is not None and not seeded:
            return 0.0
        started = time.perf_counter()
        unit = clustered_unit_vectors(400, 16, n_clusters=8, seed=0)
        for dims in (2, 3):
            umap_layout(unit, ProjectionParams(method="umap", dims=dims, n_neighbors=10,
                                               seed=0 if seeded else None))
        took = time.perf_counter() - started
        if not seeded:
            _warm_seconds = took
        return took
    finally:
        _warm_lock.release()


#: the reference map ``measure_umap`` times: big enough for the optimisation to dominate, quick on 2 cores
REFERENCE_POINTS = 2_000


def measure_umap(n_points: int = REFERENCE_POINTS) -> float:
    """Seconds one warm UMAP of ``n_points`` clustered 100-d vectors takes here (for ``estimate_umap_seconds``)."""
    unit = clustered_unit_vectors(n_points, 100, n_clusters=30, seed=1)
    started = time.perf_counter()
    umap_layout(unit, ProjectionParams(method="umap", n_points=n_points))
    return time.perf_counter() - started


def estimate_umap_seconds(n_points: int, n_neighbors: int, reference_s: float,
                          reference_points: int = REFERENCE_POINTS) -> float:
    """A UMAP map's time from one measured on this machine: its work grows with points x epochs x neighbours.

    >>> round(estimate_umap_seconds(4_000, 15, 2.0), 1)  # twice the points, same epochs
    4.0
    >>> round(estimate_umap_seconds(10_000, 15, 2.0), 1)  # 5x the points, 200 epochs instead of 500
    4.0
    """
    work = n_points * umap_epochs(n_points) * n_neighbors
    reference = reference_points * umap_epochs(reference_points) * 15
    return reference_s * work / reference


def is_warm() -> bool:
    return _warm_seconds is not None


def clustered_unit_vectors(n: int, dim: int, n_clusters: int = 50, seed: int = 0, spread: float = 0.35
                           ) -> np.ndarray:
    """Synthetic embedding-like data: unit vectors around random centres (for warm-up, tests, benchmarks)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_clusters, dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    labels = rng.integers(0, n_clusters, size=n)
    x = centres[labels] + spread * rng.normal(size=(n, dim)) / np.sqrt(dim) * 3
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)
