"""k-means clusters of word vectors, for colouring the map by cluster.

faiss's k-means on unit vectors (spherical-ish: unit rows, Euclidean assignment,
which ranks the same as cosine). Seeded, so the same model and k give the same
colours on every run; faiss runs its iterations on every core without the GIL.
"""

from __future__ import annotations

import numpy as np

from embedlab.errors import ParameterError
from embedlab.i18n import N_

#: beyond this a legend of colours is unreadable
MAX_CLUSTERS = 100


def kmeans_labels(unit: np.ndarray, k: int, seed: int = 1, iterations: int = 25) -> np.ndarray:
    """A cluster number in ``0..k-1`` for every row of ``unit``; clusters are numbered by size, largest first.

    Numbering by size makes "cluster 0" mean the same kind of thing (the biggest
    group) whatever the seed, and keeps colours stable when k changes a little.
    """
    x = np.ascontiguousarray(unit, dtype=np.float32)
    n = len(x)
    if not 2 <= k <= MAX_CLUSTERS:
        raise ParameterError(N_("The number of clusters must be between 2 and {max_clusters}; got {k}."),
                             max_clusters=MAX_CLUSTERS, k=k)
    if n < k:
        raise ParameterError(N_("Cannot make {k} clusters of only {n} words; choose fewer clusters."), k=k, n=n)
    import faiss

    from embedlab.search import faiss_threads

    faiss.omp_set_num_threads(faiss_threads(single_query=False))  # process-wide; single queries set it to one
    kmeans = faiss.Kmeans(x.shape[1], k, niter=iterations, seed=seed, verbose=False,
                          # faiss samples 256 points per centroid by default and warns otherwise; use them all
                          max_points_per_centroid=max(256, (n + k - 1) // k))
    kmeans.train(x)
    _, assigned = kmeans.index.search(x, 1)
    labels = assigned[:, 0].astype(np.int64)
    sizes = np.bincount(labels, minlength=k)
    order = np.argsort(-sizes, kind="stable")  # old label of the largest cluster first
    renumber = np.empty(k, dtype=np.int64)
    renumber[order] = np.arange(k)
    return renumber[labels]
