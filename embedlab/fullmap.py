"""Coordinates for every word of a big model: PCA of all of them, or UMAP through a fitted sample.

``embedlab.projection`` lays out up to 50,000 words, all in memory at once. A map of
every point needs more care:

* **PCA of all words** in row blocks: one pass for the mean, one for the covariance
  (a float32 BLAS product per block, summed in float64), one to project. Nothing of
  the matrix's size is copied, so a memory-mapped 1M x 300 model is read three times
  and the only new memory is the (n x 2) result.
* **UMAP of up to ``UMAP_MAX_POINTS`` words**: UMAP is fitted on a uniform random
  sample (``UMAP_FIT_SAMPLE`` words, with the exact kNN graph of
  ``projection.umap_layout``) and the other words are placed by UMAP's own
  ``transform``, in blocks (progress and cancel between them). ``transform`` finds each
  new word's neighbours among the sample through the search index handed to UMAP; here
  that is ``SampleSearch``, an exact blocked BLAS search (``search.top_k``), so no
  pynndescent index is built or compiled.

Every result says how it was made (``FullProjection.description``, language-neutral facts that ``str()``
says in the reader's language), and the map shows it.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embedlab.config import ProjectionParams
from embedlab.errors import EmbedlabError, ParameterError
from embedlab.i18n import _, N_, format_number, format_percent
from embedlab.ownership import owner_tag
from embedlab.progress import CancelToken, ProgressFn, check, no_progress, scaled

#: rows per block of the PCA passes (16k x 300 float32 = 20 MB per temporary; the BLAS products are as fast as
#: with 65k-row blocks, whose two 78 MB temporaries showed in the server's peak memory at 1M x 300)
PCA_BLOCK = 16_384
#: above this many words the PCA axes come from a uniform random sample of this size (the covariance of
#: 100k rows pins the top axes down to a fraction of a degree); every word is then projected onto them.
#: The full covariance of 1M x 300 took 37 s on two busy cores, the sample's about a second
PCA_FIT_ROWS = 100_000
#: UMAP maps at most this many words (fit + transform); PCA has no limit
UMAP_MAX_POINTS = 200_000
#: words UMAP is fitted on when a map has more
UMAP_FIT_SAMPLE = 20_000
#: words placed by one ``transform`` call (progress and cancel between calls)
TRANSFORM_BLOCK = 20_000


@dataclass(frozen=True)
class FullDescription:
    """How a map of every word was made, as language-neutral facts; ``str()`` says it in the current language.

    Kept in the cache file as these facts (``to_json``), never as a sentence, so a map cached by an English
    session reads in Chinese in a Chinese one, a PCA's variance shares included.

    >>> str(FullDescription("pca", 3_000, 3_000, 3_000, (0.25, 0.1)))
    'PCA of all 3,000 words (axes keep 25% and 10% of the variance)'
    """

    method: str  # "pca" or "umap"
    shown: int  # words on the map
    total: int  # words in the model
    fitted: int  # words the PCA axes or the UMAP were fitted on
    shares: tuple[float, float] | None = None  # PCA: the variance the two axes keep (None: not known)

    def __str__(self) -> str:
        from embedlab.projection import SampleDescription  # the Map page's words for which words a map shows

        what = str(SampleDescription(min(self.shown, self.total), self.total))
        fitted = format_number(self.fitted)
        if self.method == "pca":
            if self.shares is None:  # a map cached by an older embedlab whose sentence did not say them
                return _("PCA of {what}").format(what=what)
            first, second = (format_percent(share) for share in self.shares)
            if self.fitted >= self.shown:
                return _("PCA of {what} (axes keep {first} and {second} of the variance)").format(
                    what=what, first=first, second=second)
            return _("PCA of {what} (axes keep {first} and {second} of the variance, axes fitted on a random "
                     "sample of {fitted})").format(what=what, first=first, second=second, fitted=fitted)
        if self.fitted >= self.shown:
            return _("UMAP of {what}").format(what=what)
        return _("UMAP of {what}: fitted on a random sample of {fitted}, the other {rest} placed by UMAP's transform"
                 ).format(what=what, fitted=fitted, rest=format_number(self.shown - self.fitted))

    def to_json(self) -> dict:
        return {"method": self.method, "shown": self.shown, "total": self.total, "fitted": self.fitted,
                "shares": None if self.shares is None else list(self.shares)}

    @classmethod
    def from_json(cls, data: dict) -> "FullDescription":
        shares = data.get("shares")
        return cls(str(data["method"]), int(data["shown"]), int(data["total"]), int(data["fitted"]),
                   None if shares is None else (float(shares[0]), float(shares[1])))

    @classmethod
    def from_sentence(cls, sentence: str, method: str, shown: int, total: int, fitted: int) -> "FullDescription":
        """The facts of a map cached by an older embedlab as an English sentence: the counts come from the
        file's arrays, a PCA's variance shares from the sentence ("axes keep 25% and 12% of the variance")."""
        found = re.search(r"axes keep (\d+)% and (\d+)% of the variance", sentence)
        shares = (int(found.group(1)) / 100, int(found.group(2)) / 100) if found and method == "pca" else None
        return cls(method, shown, total, fitted, shares)


@dataclass(frozen=True, eq=False)
class FullProjection:
    """2-D coordinates of ``rows`` of a model (``coords[i]`` is row ``rows[i]``), and how they were made."""

    coords: np.ndarray  # (n, 2) float32
    rows: np.ndarray  # (n,) int64 rows of the model's vocabulary
    method: str  # "pca" or "umap"
    description: FullDescription  # str() says how the map was made in the current language
    fit_rows: np.ndarray  # the rows UMAP was fitted on (all rows for PCA)
    seconds: float = 0.0


def pca_blocked(matrix: np.ndarray, dims: int = 2, block: int = PCA_BLOCK, on_progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None, fit_rows: np.ndarray | None = None
                ) -> tuple[np.ndarray, tuple[float, ...]]:
    """PCA coordinates (float32, n x dims) and variance shares of ``matrix`` rows, read in blocks.

    The same axes and signs as ``projection.pca_with_variance`` (eigenvectors of the
    covariance, each oriented so its largest loading is positive), without its float64
    copies of the whole matrix. With ``fit_rows`` the mean and axes come from those rows
    only (read a block at a time, never gathered into one copy), and every row is
    projected onto them.
    """
    n, d = matrix.shape
    if n < 2:
        raise EmbedlabError(N_("A map needs at least two words."))
    chosen = None if fit_rows is None else np.sort(np.asarray(fit_rows, dtype=np.int64))
    fit_n = n if chosen is None else len(chosen)

    def source(start: int) -> np.ndarray:
        """Block ``start`` of the rows the axes are fitted on (a view of the matrix, or a gathered copy)."""
        part = matrix[start:start + block] if chosen is None else matrix[chosen[start:start + block]]
        return np.asarray(part, dtype=np.float32)

    steps = 2 * ((fit_n + block - 1) // block) + (n + block - 1) // block
    done = 0

    def tick(message: str) -> None:
        nonlocal done
        check(cancel)
        done += 1
        on_progress(done, steps, message)

    total = np.zeros(d, dtype=np.float64)
    for start in range(0, fit_n, block):
        total += source(start).sum(axis=0, dtype=np.float64)
        tick(_("PCA: mean of {done:,} of {total:,} words").format(done=min(start + block, fit_n), total=fit_n))
    mean = total / fit_n
    mean32 = mean.astype(np.float32)
    cov = np.zeros((d, d), dtype=np.float64)
    for start in range(0, fit_n, block):
        centred = source(start) - mean32
        cov += (centred.T @ centred).astype(np.float64)
        tick(_("PCA: covariance of {done:,} of {total:,} words").format(done=min(start + block, fit_n), total=fit_n))
    cov /= max(fit_n - 1, 1)
    values, vectors = np.linalg.eigh(cov)
    values = np.clip(values, 0.0, None)
    order = np.argsort(values)[::-1][:dims]
    axes = vectors[:, order]
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(axes.shape[1])])
    axes = (axes * np.where(signs == 0, 1.0, signs)).astype(np.float32)
    coords = np.zeros((n, dims), dtype=np.float32)
    for start in range(0, n, block):
        centred = np.asarray(matrix[start:start + block], dtype=np.float32) - mean32
        coords[start:start + block, :axes.shape[1]] = centred @ axes
        tick(_("PCA: placing {done:,} of {total:,} words").format(done=min(start + block, n), total=n))
    total_var = float(values.sum())
    shares = [float(values[i] / total_var) if total_var > 0 else 0.0 for i in order]
    shares += [0.0] * (dims - len(shares))
    return coords, tuple(shares)


#: samples from this size are searched through a faiss IVF-Flat index (exact scores in the nearest cells)
IVF_SAMPLE_ROWS = 5_000


class SampleSearch:
    """The search index UMAP's ``transform`` queries: cosine neighbours among the fitted sample.

    UMAP calls ``query(X, k, epsilon=...)`` and reads ``_angular_trees``; it expects
    ``(indices, distances)``, cosine distance being ``1 - similarity``. Small samples are
    searched exactly (``search.top_k``); larger ones through a faiss IVF-Flat index probing
    an eighth of its cells, which cut the search for 180,000 words among 20,000 by about
    eight (UMAP's own transform searches approximately too, with NN-descent).
    """

    _angular_trees = True

    def __init__(self, sample_unit: np.ndarray) -> None:
        self.sample_unit = np.ascontiguousarray(sample_unit, dtype=np.float32)
        self._ivf = None

    def _index(self):
        import faiss

        from embedlab.ann import ivf_cells

        if self._ivf is None:
            n, dim = self.sample_unit.shape
            nlist = ivf_cells(n)
            quantizer = faiss.IndexFlatIP(dim)
            index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            index.own_fields = True
            quantizer.this.disown()
            index.train(self.sample_unit)
            index.add(self.sample_unit)
            index.nprobe = max(8, nlist // 8)
            self._ivf = index
        return self._ivf

    def query(self, queries: np.ndarray, k: int, epsilon: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if len(self.sample_unit) < IVF_SAMPLE_ROWS:
            from embedlab.search import top_k

            idx, sims = top_k(queries, self.sample_unit, k)
        else:
            sims, idx = self._index().search(queries, k)
            missing = idx < 0  # a query whose probed cells held fewer than k words: pad with its nearest
            if missing.any():
                idx = np.where(missing, idx[:, :1], idx)
                sims = np.where(missing, sims[:, :1], sims)
        return idx.astype(np.int32), np.clip(1.0 - sims, 0.0, 2.0).astype(np.float32)


def umap_sampled(unit: np.ndarray, params: ProjectionParams, fit_sample: int = UMAP_FIT_SAMPLE,
                 on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """UMAP coordinates of every row of ``unit``: fitted on ``fit_sample`` random rows, the rest transformed.

    Returns (coords, fit positions): ``fit positions`` are the indices into ``unit`` of the sample.
    """
    import warnings

    from embedlab.projection import _EpochProgress, _import_umap, umap_epochs, umap_knn

    n = len(unit)
    if n < 5:
        raise EmbedlabError(N_("UMAP needs at least 5 words; use PCA for so few."))
    rng = np.random.default_rng(seed if params.seed is None else params.seed)
    fit = np.arange(n) if n <= fit_sample else np.sort(rng.choice(n, size=fit_sample, replace=False))
    sample = np.ascontiguousarray(unit[fit], dtype=np.float32)
    k = max(2, min(params.n_neighbors, len(fit) - 1))
    on_progress(0.0, 1, _("Finding the nearest neighbours of the {n:,} sample words").format(n=len(fit)))
    indices, dists = umap_knn(sample, k, cancel)
    check(cancel)
    umap = _import_umap()
    fit_share = 0.4 if len(fit) < n else 1.0
    epochs = _EpochProgress(scaled(on_progress, 0.05, fit_share), cancel)
    reducer = umap.UMAP(
        n_components=params.dims, n_neighbors=k, min_dist=params.min_dist, metric="cosine",
        precomputed_knn=(indices, dists, SampleSearch(sample)), random_state=params.seed,
        n_jobs=1 if params.seed is not None else -1, init="pca", n_epochs=umap_epochs(len(fit)),
        tqdm_kwds={"disable": False, "file": epochs, "mininterval": 0.25},
    )
    coords = np.zeros((n, params.dims), dtype=np.float32)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*n_jobs value.*")
        # UMAP warns that a search index other than pynndescent's cannot transform; ours can (see SampleSearch)
        warnings.filterwarnings("ignore", message=".*knn_search_index.*")
        coords[fit] = reducer.fit_transform(sample)
        rest = np.setdiff1d(np.arange(n), fit)
        reducer.tqdm_kwds = {"disable": True}
        for start in range(0, len(rest), TRANSFORM_BLOCK):
            check(cancel)
            on_progress(fit_share + (1 - fit_share) * start / len(rest), 1,
                        _("Placing the other words with UMAP's transform: {start:,} of {total:,}").format(
                            start=start, total=len(rest)))
            block = rest[start:start + TRANSFORM_BLOCK]
            coords[block] = reducer.transform(np.ascontiguousarray(unit[block], dtype=np.float32))
    return coords, fit


def project_all(unit: np.ndarray, method: str = "pca", params: ProjectionParams | None = None,
                max_points: int | None = None, fit_sample: int = UMAP_FIT_SAMPLE,
                on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> FullProjection:
    """A 2-D map of the first ``max_points`` rows (all for PCA; ``UMAP_MAX_POINTS`` for UMAP).

    Rows are in vocabulary order, which trainers and loaders keep by descending
    frequency, so a capped UMAP map shows the most frequent words.
    """
    started = time.perf_counter()
    total = len(unit)
    params = params or ProjectionParams(method=method, dims=2)
    if method == "pca":
        limit = total if max_points is None else min(total, max_points)
        fit_rows = None
        if limit > PCA_FIT_ROWS:
            fit_rows = np.sort(np.random.default_rng(0).choice(limit, size=PCA_FIT_ROWS, replace=False))
        coords, shares = pca_blocked(unit[:limit] if limit < total else unit, 2, on_progress=on_progress,
                                     cancel=cancel, fit_rows=fit_rows)
        rows = np.arange(limit, dtype=np.int64)
        fit = rows if fit_rows is None else fit_rows.astype(np.int64)
        description = FullDescription("pca", limit, total, len(fit), (float(shares[0]), float(shares[1])))
    elif method == "umap":
        limit = min(total, UMAP_MAX_POINTS if max_points is None else min(max_points, UMAP_MAX_POINTS))
        rows = np.arange(limit, dtype=np.int64)
        coords, fit_pos = umap_sampled(unit[:limit] if limit < total else unit, params, fit_sample, on_progress,
                                       cancel)
        fit = rows[fit_pos]
        description = FullDescription("umap", limit, total, len(fit))
    else:
        raise ParameterError(N_("A map of every point is drawn with 'pca' or 'umap', not {method!r}."), method=method)
    on_progress(1, 1, _("Map ready"))
    return FullProjection(coords, rows, method, description, fit, time.perf_counter() - started)


# -- the disk cache (a map of every point is computed once per model and setting) ------------------------

def cache_key(method: str, max_points: int | None, fit_sample: int, params: ProjectionParams | None = None) -> str:
    """A short stable name for a full map's settings (UMAP's parameters only matter for UMAP)."""
    import hashlib
    import json

    values: dict = {"method": method, "max_points": max_points, "version": 1}
    if method == "umap":
        p = params or ProjectionParams(method="umap")
        values.update(fit_sample=fit_sample, n_neighbors=p.n_neighbors, min_dist=p.min_dist, seed=p.seed)
    return hashlib.blake2b(json.dumps(values, sort_keys=True).encode(), digest_size=8).hexdigest()


def cache_path(cache_dir: Path, fingerprint: str, key: str) -> Path:
    return Path(cache_dir) / "fullmaps" / f"{fingerprint}-{key}.npz"


def save_cached(cache_dir: Path, fingerprint: str, key: str, result: FullProjection) -> None:
    """Write a finished map atomically (plain arrays, no pickle)."""
    import os
    import tempfile

    path = cache_path(cache_dir, fingerprint, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    # marked with its maker, so a crash's leftover is swept (Workspace.clean_stale)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{owner_tag()}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, coords=result.coords, rows=result.rows, fit_rows=result.fit_rows,
                     method=np.array(result.method), about=np.array(json.dumps(result.description.to_json())),
                     seconds=np.array(result.seconds))
        os.replace(tmp, path)  # readers never see half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_cached(cache_dir: Path, fingerprint: str, key: str, n_words: int) -> FullProjection | None:
    """A map saved before for this model and settings, or None (also when damaged or not this model's)."""
    path = cache_path(cache_dir, fingerprint, key)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            rows, fit_rows, method = data["rows"].astype(np.int64), data["fit_rows"].astype(np.int64), str(data["method"])
            if "about" in data.files:
                description = FullDescription.from_json(json.loads(str(data["about"])))
            else:  # cached by an older embedlab: an English sentence; its facts are rebuilt
                description = FullDescription.from_sentence(str(data["description"]), method, len(rows), n_words,
                                                            len(fit_rows))
            result = FullProjection(data["coords"].astype(np.float32), rows, method, description, fit_rows,
                                    float(data["seconds"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if len(result.coords) != len(result.rows) or (len(result.rows) and result.rows.max() >= n_words):
        return None
    return result
