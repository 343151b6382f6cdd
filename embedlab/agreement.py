"""Agreement between two or three models of the same words: shared vocabulary, alignment, agreement.

Models trained separately live in unrelated coordinate systems: even two runs of
one algorithm differ by an arbitrary rotation. So comparisons here use only what
is rotation-free, the *neighbourhoods* of words (Jaccard overlap of top-k
neighbour sets), or first rotate every model onto a reference with orthogonal
Procrustes (Hamilton et al. 2016, "Diachronic word embeddings") so their vectors
can be drawn on one map.

Everything is computed over the vocabulary all models share: models of one corpus
with different vocabulary filters (or of different corpora) are intersected, not
refused. Neighbours are searched among the shared words only, so an overlap of 0
means "the models disagree", never "one model could not have said that word".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.i18n import _, N_
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.search import top_k
from embedlab.vectors import WordVectors

#: fewer shared words than this cannot say anything about agreement
MIN_SHARED_WORDS = 10
#: words used to fit the Procrustes rotation: the frequent ones have the most reliable vectors
DEFAULT_FIT_WORDS = 10_000


class ComparisonError(EmbedlabError):
    """Models that cannot be compared (too few, or almost no words in common)."""


# -- the shared vocabulary -----------------------------------------------------

def shared_vocabulary(models: Sequence[WordVectors], limit: int | None = None) -> list[str]:
    """Words every model knows, in the first model's (frequency) order, at most ``limit``.

    >>> a = WordVectors.from_matrix(["the", "cat", "sat"], np.eye(3))
    >>> b = WordVectors.from_matrix(["sat", "the", "dog"], np.eye(3))
    >>> shared_vocabulary([a, b])
    ['the', 'sat']
    """
    if not models:
        return []
    first, rest = models[0], models[1:]
    words = [w for w in first.words if all(w in m.index for m in rest)]
    return words if limit is None else words[:limit]


@dataclass(frozen=True, eq=False)
class Comparison:
    """Two or more models seen through the words they share.

    ``rows[i][j]`` is the row in model ``i`` of shared word ``j``; ``unit(i)`` is
    model ``i``'s unit vectors of the shared words, in shared order (computed once).
    """

    names: tuple[str, ...]
    models: tuple[WordVectors, ...]
    words: tuple[str, ...]
    rows: tuple[np.ndarray, ...]
    index: dict[str, int] = field(repr=False, default_factory=dict)

    @classmethod
    def build(cls, models: Sequence[WordVectors], names: Sequence[str] | None = None,
              limit: int | None = None) -> "Comparison":
        """Intersect the vocabularies; raise ``ComparisonError`` if there is too little to compare."""
        models = tuple(models)
        if len(models) < 2:
            raise ComparisonError(N_("Choose at least two models to compare."))
        names = tuple(names) if names is not None else tuple(f"Model {i + 1}" for i in range(len(models)))
        if len(names) != len(models):
            raise ComparisonError(N_("{n_models} models but {n_names} names."),
                                  n_models=len(models), n_names=len(names))
        if len(set(names)) != len(names):  # names label columns and map layers; make them distinct
            names = tuple(f"{n} ({i + 1})" for i, n in enumerate(names))
        words = shared_vocabulary(models, limit)
        if len(words) < MIN_SHARED_WORDS:
            raise ComparisonError(
                N_("These models share only {n_words} word(s); at least {min_shared_words} are needed. "
                   "Were they trained on the same kind of text (same language, same tokeniser)?"),
                n_words=len(words), min_shared_words=MIN_SHARED_WORDS
            )
        rows = tuple(np.fromiter((m.index[w] for w in words), dtype=np.int64, count=len(words)) for m in models)
        return cls(names, models, tuple(words), rows, {w: i for i, w in enumerate(words)})

    def __len__(self) -> int:
        return len(self.words)

    @property
    def n_models(self) -> int:
        return len(self.models)

    @cached_property
    def fingerprint(self) -> str:
        """Cache key: the models' fingerprints and the shared vocabulary size."""
        digest = hashlib.blake2b(digest_size=10)
        for model in self.models:
            digest.update(model.fingerprint.encode())
        digest.update(f"|{len(self.words)}|{'|'.join(self.names)}".encode())
        return digest.hexdigest()

    @cached_property
    def _units(self) -> tuple[np.ndarray, ...]:
        # a model whose vocabulary starts with the shared words in shared order (the usual case for
        # models of one corpus) is used as it is, memory-mapped, without a copy
        return tuple(m.unit[:len(r)] if _is_prefix(r) else np.ascontiguousarray(m.unit[r], dtype=np.float32)
                     for m, r in zip(self.models, self.rows))

    def unit(self, i: int) -> np.ndarray:
        """Model ``i``'s unit vectors of the shared words (rows in ``self.words`` order)."""
        return self._units[i]

    def coverage(self) -> list[float]:
        """Share of each model's vocabulary that is in the comparison."""
        return [len(self.words) / max(len(m), 1) for m in self.models]


def _is_prefix(rows: np.ndarray) -> bool:
    return bool(len(rows) == 0 or (rows[0] == 0 and rows[-1] == len(rows) - 1 and (np.diff(rows) == 1).all()))


# -- nearest neighbours within the shared vocabulary ---------------------------------

def neighbour_rows(comparison: Comparison, model: int, rows: np.ndarray, k: int,
                   cancel: CancelToken | None = None) -> np.ndarray:
    """Top-``k`` neighbours (shared-vocabulary rows) of shared words ``rows`` in one model, self excluded.

    The search is ``embedlab.search.top_k`` (BLAS blocks within ``search.SCORE_BUDGET``
    and a compiled top-k selection).
    """
    unit = comparison.unit(model)
    rows = np.asarray(rows, dtype=np.int64)
    idx, _ = top_k(unit[rows], unit, k, exclude=rows, cancel=cancel)
    return idx


# -- agreement -------------------------------------------------------------------------

def jaccard(a: set | frozenset, b: set | frozenset) -> float:
    """|A ∩ B| / |A ∪ B|; two empty sets agree completely (1.0).

    >>> jaccard({"a", "b", "c"}, {"b", "c", "d"})
    0.5
    """
    union = len(a | b)
    return 1.0 if union == 0 else len(a & b) / union


def jaccard_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise Jaccard of two (n, k) arrays of neighbour ids (no repeats within a row).

    Sorting each row's 2k ids puts shared ids side by side, so the intersection is
    the number of equal neighbours in the sorted row: no Python loop per word.

    >>> jaccard_rows(np.array([[1, 2, 3], [1, 2, 3]]), np.array([[3, 2, 9], [4, 5, 6]])).tolist()
    [0.5, 0.0]
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"neighbour arrays differ in shape: {a.shape} vs {b.shape}")
    if a.shape[1] == 0:
        return np.ones(a.shape[0])
    both = np.sort(np.concatenate([a, b], axis=1), axis=1)
    inter = (np.diff(both, axis=1) == 0).sum(axis=1)
    return inter / (2 * a.shape[1] - inter)


def pair_labels(names: Sequence[str]) -> list[tuple[int, int, str]]:
    """Every pair of models with a column label, e.g. (0, 1, 'Word2Vec ~ GloVe')."""
    return [(i, j, f"{names[i]} ~ {names[j]}") for i, j in combinations(range(len(names)), 2)]


@dataclass(frozen=True)
class Neighbour:
    word: str
    similarity: float
    rank: int


@dataclass(frozen=True)
class SideBySide:
    """One query word's neighbours in every model, and how much they agree."""

    word: str
    k: int
    names: tuple[str, ...]
    columns: tuple[tuple[Neighbour, ...] | None, ...]  # None: the model cannot represent the word
    notes: tuple[str, ...]  # per model: '' or why the column is special (composed from n-grams, unknown)
    shared_by_all: frozenset[str]
    pairwise: dict[str, float]  # 'A ~ B' -> Jaccard@k
    agreement: float | None  # mean pairwise Jaccard over the models that answered

    def table(self) -> pd.DataFrame:
        """Rank-aligned columns ('Word2Vec', 'Word2Vec sim', ...) for display and download."""
        data: dict[str, list] = {"rank": list(range(1, self.k + 1))}
        for name, column in zip(self.names, self.columns):
            column = column or ()
            data[name] = [n.word for n in column] + [""] * (self.k - len(column))
            data[f"{name} similarity"] = [round(n.similarity, 4) for n in column] + [None] * (self.k - len(column))
        return pd.DataFrame(data)


def side_by_side(comparison: Comparison, word: str, k: int = 10) -> SideBySide:
    """Top-``k`` neighbours of ``word`` in each model, searched among the shared words.

    A model that does not know ``word`` but can compose it (FastText) answers from
    its n-grams, and says so; one that cannot gets an empty column. If no model
    knows the word, ``UnknownWordError`` with suggestions from the first model.
    """
    word = word.strip()
    if not word:
        raise EmbedlabError(N_("Type a word to compare its neighbours."))
    if k < 1:
        raise EmbedlabError(N_("Show at least one neighbour (k ≥ 1)."))
    columns: list[tuple[Neighbour, ...] | None] = []
    notes: list[str] = []
    own_row = comparison.index.get(word, -1)
    for i, model in enumerate(comparison.models):
        try:
            query = model.vector(word, unit=True)
        except UnknownWordError:
            columns.append(None)
            notes.append(_("not in this model's vocabulary"))
            continue
        notes.append("" if word in model.index else _("composed from character n-grams (not in the vocabulary)"))
        idx, sims = top_k(query[None, :].astype(np.float32), comparison.unit(i), k,
                          exclude=np.array([own_row]) if own_row >= 0 else None)
        columns.append(tuple(Neighbour(comparison.words[j], float(s), r + 1)
                             for r, (j, s) in enumerate(zip(idx[0], sims[0]))))
    answered = [(i, frozenset(n.word for n in c)) for i, c in enumerate(columns) if c is not None]
    if not answered:
        raise UnknownWordError(word, comparison.models[0].suggest(word))
    sets = dict(answered)
    pairwise = {label: jaccard(sets[i], sets[j])
                for i, j, label in pair_labels(comparison.names) if i in sets and j in sets}
    shared = frozenset.intersection(*(s for _, s in answered)) if len(answered) > 1 else frozenset()
    agreement = float(np.mean(list(pairwise.values()))) if pairwise else None
    return SideBySide(word, k, comparison.names, tuple(columns), tuple(notes), shared, pairwise, agreement)


def stability(comparison: Comparison, k: int = 10, top_n: int = 2000,
              on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> pd.DataFrame:
    """Neighbourhood agreement of the ``top_n`` most frequent shared words across all models.

    For each word: Jaccard@k of every pair of models, their mean (``agreement``),
    and the neighbours all models agree on. Sorted most stable first. Words with a
    high agreement mean the same thing to every algorithm; low agreement marks
    words whose vectors depend on the method (often rare or polysemous words).
    """
    if k < 1:
        raise EmbedlabError(N_("Neighbourhood size k must be at least 1."))
    if k >= len(comparison):
        raise EmbedlabError(N_("k = {k} is too large: the models share only {n_models} words."),
                            k=k, n_models=len(comparison))
    n = min(top_n, len(comparison))
    rows = np.arange(n)
    neighbours = []
    for i in range(comparison.n_models):
        on_progress(i, comparison.n_models, _("Neighbours in {name}").format(name=comparison.names[i]))
        neighbours.append(neighbour_rows(comparison, i, rows, k, cancel))
    on_progress(comparison.n_models, comparison.n_models, _("Comparing neighbourhoods"))
    table = pd.DataFrame({"word": list(comparison.words[:n]), "frequency rank": rows + 1})
    pair_columns = []
    for i, j, label in pair_labels(comparison.names):
        table[label] = np.round(jaccard_rows(neighbours[i], neighbours[j]), 4)
        pair_columns.append(label)
    table.insert(2, "agreement", np.round(table[pair_columns].mean(axis=1), 4))
    common = _common_neighbours(neighbours)
    table["shared neighbours"] = [len(c) for c in common]
    table["neighbours in every model"] = [", ".join(comparison.words[j] for j in c) for c in common]
    return table.sort_values(["agreement", "frequency rank"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _common_neighbours(neighbours: list[np.ndarray]) -> list[list[int]]:
    """Per row, the ids present in every model's list, in the first model's rank order."""
    rest = [[set(row) for row in other.tolist()] for other in neighbours[1:]]
    return [[j for j in row if all(j in r[w] for r in rest)] for w, row in enumerate(neighbours[0].tolist())]


# -- alignment -----------------------------------------------------------------------------

def procrustes(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal map ``R`` minimising ||source @ R - target|| (Schönemann 1966).

    With ``U S Vᵀ = svd(sourceᵀ target)``, ``R = U Vᵀ``. When the two models have
    different dimensions ``R`` is (d_source, d_target) with orthonormal rows or
    columns: the smaller space is embedded in the larger, lengths and angles kept.
    """
    source = np.asarray(source, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if source.shape[0] != target.shape[0]:
        raise ValueError(f"Procrustes needs paired rows: {source.shape[0]} vs {target.shape[0]}")
    u, _, vt = np.linalg.svd(source.T @ target, full_matrices=False)
    return u @ vt


@dataclass(frozen=True, eq=False)
class Alignment:
    """Every model's shared-word vectors rotated into the reference model's frame.

    ``aligned[i]`` is (n_shared, d_reference) float32 with unit rows; ``agreement[i]``
    is the cosine between a word's aligned vector in model ``i`` and in the
    reference (1 for the reference itself): how far the word lands from "home".
    """

    comparison: Comparison
    reference: int
    rotations: tuple[np.ndarray, ...]
    aligned: tuple[np.ndarray, ...]
    agreement: tuple[np.ndarray, ...]
    fit_words: int


def align(comparison: Comparison, reference: int = 0, fit_words: int = DEFAULT_FIT_WORDS) -> Alignment:
    """Rotate every model onto ``reference`` using the ``fit_words`` most frequent shared words."""
    if not 0 <= reference < comparison.n_models:
        raise EmbedlabError(N_("Reference model {reference} does not exist."), reference=reference)
    n_fit = max(2, min(fit_words, len(comparison)))
    target = comparison.unit(reference)
    rotations, aligned, agreement = [], [], []
    for i in range(comparison.n_models):
        unit = comparison.unit(i)
        if i == reference:
            rotation = np.eye(unit.shape[1])
            moved = unit
        else:
            rotation = procrustes(unit[:n_fit], target[:n_fit])
            moved = (unit.astype(np.float64) @ rotation).astype(np.float32)
        rotations.append(rotation)
        aligned.append(moved)
        agreement.append(np.einsum("ij,ij->i", moved, target).astype(np.float32))
    return Alignment(comparison, reference, tuple(rotations), tuple(aligned), tuple(agreement), n_fit)


def stacked(alignment: Alignment, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The aligned vectors of ``rows`` from every model in one matrix, for a single projection.

    Returns (matrix (n_models * len(rows), d), model id per row, shared-word row per row).
    Projecting them together is what gives every model the same axes.
    """
    rows = np.asarray(rows, dtype=np.int64)
    matrix = np.concatenate([a[rows] for a in alignment.aligned], axis=0)
    model_ids = np.repeat(np.arange(len(alignment.aligned)), len(rows))
    word_rows = np.tile(rows, len(alignment.aligned))
    return matrix, model_ids, word_rows
