"""How far can a 2-D/3-D map be trusted? Per-point kNN recall between the original space and the map.

A map of word vectors keeps some neighbourhoods and tears others apart, and a
user reading "these two words are close" off the map needs to know which. For
each mapped point ``i``: the share of its ``k`` nearest neighbours in the
original space (cosine, among the mapped points) that are also among its ``k``
nearest on the map (Euclidean). 1 means the map shows that word's neighbourhood
as it is; 0 means none of its true neighbours landed near it. The mean over all
points is the map's score (UMAP keeps far more local structure than PCA, and
this is how to see it, measured); a random layout scores about ``k / (n - 1)``.

The original space's neighbours come from ``embedlab.search.knn_graph`` (exact
blocked BLAS search, the one the neighbour pages and UMAP use); they are the
expensive half (20k x 100: one 20k x 20k product) and the same for every map of
the same words, so callers may pass them in. The map's neighbours come from a
k-d tree (scipy's ``cKDTree``): in two or three dimensions it answers all
points in milliseconds, where a dot-product search would still score every
pair (measured: 1.3 s against 0.05 s for 20k points, ``benchmarks/why.py``).

Pure: arrays in, values out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedlab.errors import ParameterError
from embedlab.i18n import _, N_
from embedlab.progress import CancelToken
from embedlab.search import knn_graph

DEFAULT_K = 10
MAX_K = 100


@dataclass(frozen=True, eq=False)
class Faithfulness:
    """kNN recall of a map, point by point. Row ``i`` of every array is the map's point ``i``."""

    k: int
    recall: np.ndarray  # (n,) float32 in [0, 1]
    true_neighbours: np.ndarray  # (n, k) int64: point indices of each point's k nearest in the original space
    map_neighbours: np.ndarray  # (n, k) int64: ... and on the map

    @property
    def score(self) -> float:
        """The mean recall over all points (0 when the map has one point or none)."""
        return float(self.recall.mean()) if self.recall.shape[0] else 0.0

    @property
    def chance(self) -> float:
        """The expected recall of a random layout: k / (n - 1)."""
        n = self.recall.shape[0]
        return self.k / (n - 1) if n > 1 else 0.0

    def caption(self) -> str:
        return _("map faithfulness: {score:.0%} of each word's {k} nearest neighbours in the original space are among "
                 "its {k} nearest on the map (kNN recall; a random layout: {chance:.1%})").format(
            score=self.score, k=self.k, chance=self.chance)


def map_neighbours(coords: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` nearest other points of each point of a map by Euclidean distance, nearest first: (n, k) int64.

    A point is never its own neighbour, even when another point lies on it.
    """
    from scipy.spatial import cKDTree

    points = np.asarray(coords, dtype=np.float64)
    n = len(points)
    _, found = cKDTree(points).query(points, k=k + 1)
    found = np.asarray(found, dtype=np.int64).reshape(n, k + 1)
    # drop each point itself (usually first; with exact duplicates it may come later)
    is_self = found == np.arange(n)[:, None]
    no_self = ~is_self.any(axis=1)
    is_self[no_self, k] = True  # a duplicate crowded it out: drop the farthest instead
    return found[~is_self].reshape(n, k)


def overlap_counts(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each row, how many entries rows ``a[i]`` and ``b[i]`` have in common (rows hold distinct values)."""
    both = np.sort(np.hstack([a, b]), axis=1)
    return (both[:, 1:] == both[:, :-1]).sum(axis=1)


def knn_recall(unit: np.ndarray, coords: np.ndarray, k: int = DEFAULT_K, cancel: CancelToken | None = None,
               true_neighbours: np.ndarray | None = None) -> Faithfulness:
    """Per-point kNN recall of the map ``coords`` of the unit vectors ``unit`` (row ``i`` is point ``i``).

    ``true_neighbours`` (each point's nearest in the original space, (n, >= k),
    nearest first) can be passed when already known: it is the expensive half and
    the same for every map of the same points.
    """
    unit = np.asarray(unit)
    coords = np.asarray(coords)
    n = unit.shape[0]
    if coords.shape[0] != n:
        raise ParameterError(N_("The map has {n_points:,} points but {n:,} vectors were given."),
                             n_points=coords.shape[0], n=n)
    if not 1 <= k <= MAX_K:
        raise ParameterError(N_("k must be between 1 and {max_k}."), max_k=MAX_K)
    k = min(k, max(n - 1, 0))
    if k == 0:
        empty = np.zeros((n, 0), dtype=np.int64)
        return Faithfulness(0, np.ones(n, dtype=np.float32), empty, empty)
    if true_neighbours is None or true_neighbours.shape[1] < k:
        true_neighbours, _ = knn_graph(unit, k, exclude_self=True, cancel=cancel)
    true_neighbours = np.asarray(true_neighbours[:, :k], dtype=np.int64)
    on_map = map_neighbours(coords, k)
    recall = (overlap_counts(true_neighbours, on_map) / k).astype(np.float32)
    return Faithfulness(k, recall, true_neighbours, on_map)
