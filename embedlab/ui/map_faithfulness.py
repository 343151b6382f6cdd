"""Map faithfulness on the Map page: the score in the caption, a colour-by option, lines to true neighbours.

The maths is ``embedlab.faithfulness`` (kNN recall, original neighbours from
``search.knn_graph``); the figure helpers ``embedlab.viz.faithfulness``. The
original-space neighbours are the expensive half and the same for every map of
the same words, so they are cached per (model, words shown): switching between
PCA, UMAP and t-SNE of the same words costs only the map's own k-d tree.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from embedlab import faithfulness
from embedlab import projection as proj
from embedlab.i18n import _, format_number, format_percent
from embedlab.vectors import WordVectors
from embedlab.viz import faithfulness as figures

#: maps up to this many points get their score at once; larger ones on request (the search grows as n²)
AUTO_POINTS = 20_000
K = faithfulness.DEFAULT_K
#: session flag (not a widget, so it survives page switches): the user asked for large maps' scores too
LARGE_KEY = "embedlab_faithfulness_large"


def large_maps_wanted() -> bool:
    return bool(st.session_state.get(LARGE_KEY, False))


def want_large_maps() -> None:
    st.session_state[LARGE_KEY] = True


def _rows_key(rows: np.ndarray) -> str:
    return f"{len(rows)}-{hashlib.blake2b(np.ascontiguousarray(rows).tobytes(), digest_size=8).hexdigest()}"


@st.cache_resource(max_entries=4, show_spinner=False)
def _true_neighbours(fingerprint: str, rows_key: str, k: int, _unit: np.ndarray) -> np.ndarray:
    from embedlab.search import knn_graph

    found, _distances = knn_graph(np.asarray(_unit, dtype=np.float32), k, exclude_self=True)
    found.setflags(write=False)  # shared between sessions: read-only
    return found


@st.cache_data(max_entries=16, show_spinner=False)
def _recall(fingerprint: str, rows_key: str, layout_key: str, k: int, _unit: np.ndarray,
            _coords: np.ndarray) -> faithfulness.Faithfulness:
    true = _true_neighbours(fingerprint, rows_key, k, _unit)
    return faithfulness.knn_recall(_unit, _coords, k, true_neighbours=true)


def compute(vectors: WordVectors, projection: proj.Projection, allowed: bool) -> faithfulness.Faithfulness | None:
    """The map's kNN recall, or None when the map is large and the user has not asked for it."""
    if len(projection.rows) > AUTO_POINTS and not allowed:
        return None
    unit = np.asarray(vectors.unit[projection.rows])
    layout = hashlib.blake2b(np.ascontiguousarray(projection.coords).tobytes(), digest_size=8).hexdigest()
    # the spinner is drawn here, not by the cached functions (their text would be fixed at import, in English)
    with st.spinner(_("Finding every shown word's true neighbours (once per model)…")):
        return _recall(vectors.fingerprint, _rows_key(projection.rows), layout, K, unit, projection.coords)


def caption(result: faithfulness.Faithfulness | None, method: str) -> str:
    """The caption sentence (plain text: no user strings in it)."""
    if result is None:
        return ""
    return _(" · **faithfulness {score}**: on average {kept} of each word's {k} nearest neighbours in the original "
             "space are among its {k} nearest on this {method} map (kNN recall; a random layout keeps {chance})"
             ).format(score=format_percent(result.score), kept=format_number(result.score * result.k, 1), k=result.k,
                      method=method, chance=format_percent(result.chance, 1))


def groups(result: faithfulness.Faithfulness) -> tuple[list[str], str, list[str]]:
    """Colour groups for the word map: each point's recall band, the legend title, the band order."""
    return figures.recall_bands(result.recall), _(figures.LEGEND_TITLE), figures.band_order()


def line_targets(projection: proj.Projection, vectors: WordVectors, result: faithfulness.Faithfulness | None,
                 word: str | None) -> list[int]:
    """Positions on the map of the true neighbours ``add_neighbour_lines`` joins ``word`` to ([] when none)."""
    if result is None or word is None or word not in vectors.index:
        return []
    at = np.flatnonzero(projection.rows == vectors.index[word])
    return result.true_neighbours[int(at[0])].tolist() if len(at) else []


def add_neighbour_lines(fig, projection: proj.Projection, vectors: WordVectors,
                        result: faithfulness.Faithfulness | None, word: str) -> int | None:
    """Lines from ``word`` (when on the map) to its true neighbours among the shown words; returns how many
    of them stay near it on the map, or None when nothing was drawn."""
    if result is None or word not in vectors.index:
        return None
    at = np.flatnonzero(projection.rows == vectors.index[word])
    if not len(at):
        return None
    point = int(at[0])
    targets = result.true_neighbours[point].tolist()
    near = set(result.map_neighbours[point].tolist())
    kept = [t in near for t in targets]
    for trace in figures.neighbour_lines(projection.coords, point, targets, kept):
        fig.add_trace(trace)
    return sum(kept)
