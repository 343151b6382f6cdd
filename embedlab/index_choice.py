"""The search index chosen for a model in the Index lab: read, saved and built the same way by the app and the CLI.

The choice is kept with the model in the workspace (``Workspace.save_search_index``) as the lab's settings plus
the fingerprint of the vectors they were measured on, so a choice never outlives the vectors it was made for.
Both the Neighbours page and ``python -m embedlab neighbours`` answer through it: a teacher who picks an
approximate index for a big model sees the same neighbours on the command line as in class.
"""

from __future__ import annotations

import numpy as np

from embedlab import index_lab
from embedlab.search import NeighbourIndex
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace


def saved_spec(workspace: Workspace, model_id: str | None, vectors: WordVectors) -> index_lab.IndexSpec | None:
    """The index chosen for this model and saved with it (None: the default search).

    Settings that do not fit these vectors (another model's, a damaged file, a kind this version does not know,
    more cells than words) mean the default search, never an error: the choice is an optimisation.
    """
    if model_id is None:
        return None
    saved = workspace.load_search_index(model_id)
    if saved is None or saved.get("fingerprint") != vectors.fingerprint:
        return None
    spec = index_lab.IndexSpec.from_json(saved.get("index"))
    return spec if spec is not None and spec.nlist <= len(vectors) else None


def save(workspace: Workspace, model_id: str, vectors: WordVectors, spec: index_lab.IndexSpec | None) -> None:
    """Keep ``spec`` as the index that serves this model's neighbour queries (None: back to the default)."""
    workspace.save_search_index(model_id, None if spec is None else {
        "fingerprint": vectors.fingerprint, "index": spec.to_json()})


def searcher(spec: index_lab.IndexSpec, vectors: WordVectors) -> NeighbourIndex:
    """A neighbour index that answers through the index ``spec`` describes, built on ``vectors`` now.

    faiss is held to one thread for its queries: a single query gains nothing from more, and a server answers
    many sessions at once.
    """
    import faiss

    index = index_lab.build(spec, np.ascontiguousarray(vectors.unit, dtype=np.float32))
    index_lab.set_knob(index, spec)
    faiss.omp_set_num_threads(1)
    return NeighbourIndex(vectors, ann=index, ann_label=spec.label, ann_shown=spec.shown_label)
