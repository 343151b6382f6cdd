"""Item2Vec as a recommender: a leave-last-out split, three rankers and HitRate/Recall@K and MRR.

The protocol is the usual one for session data (e.g. Barkan & Koenigstein's
Item2Vec, and the GRU4Rec line of work): from every session of at least two items
the **last item is held out**; the item just before it is the query ("users who
bought X also bought ..."), and a ranker scores well when the held-out item is
among its first K answers. Models and baselines learn from the **training part
only** (every session without its last item), or the held-out item leaks in.

* ``EmbeddingRanker``: the query item's nearest items by cosine similarity (Item2Vec);
* ``PopularityRanker``: the most frequent items in the training part (the bar any
  recommender must clear);
* ``CooccurrenceRanker``: the items that shared the most training sessions with the
  query ("bought together" counts), topped up with popular items.

With one held-out item per case, Recall@K equals HitRate@K: the fraction of cases
whose held-out item is in the top K. MRR@K averages 1/rank of the held-out item
(0 when it is not in the top K). A query the ranker cannot answer (an item the
model never saw) counts as a miss, and ``coverage`` says how often that happened.
The query item itself is never recommended.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Protocol, Sequence

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_
from embedlab.vectors import WordVectors

#: the cut-offs the issue and the literature report
DEFAULT_KS: tuple[int, ...] = (5, 10, 20)


@dataclass(frozen=True)
class HoldoutSplit:
    """Training sessions, and one (query, held-out target) case per session of two items or more."""

    train: list[list[str]]
    queries: list[str]
    targets: list[str]

    def __len__(self) -> int:
        return len(self.targets)


def holdout_last(sessions: Iterable[Sequence[str]]) -> HoldoutSplit:
    """Hold out the last item of every session with at least two items; shorter sessions train as they are."""
    train: list[list[str]] = []
    queries: list[str] = []
    targets: list[str] = []
    for session in sessions:
        items = list(session)
        if len(items) >= 2:
            queries.append(items[-2])
            targets.append(items[-1])
            train.append(items[:-1])
        elif items:
            train.append(items)
    if not targets:
        raise EmbedlabError(N_("No session has two items or more, so there is nothing to hold out and evaluate. "
                               "A recommendation test needs sessions of several items (one session per line)."))
    return HoldoutSplit(train, queries, targets)


class Ranker(Protocol):
    name: str

    def recommend(self, queries: Sequence[str], k: int) -> list[list[str]]:
        """Up to ``k`` items per query, best first (an empty list when the query is unknown)."""
        ...


class PopularityRanker:
    """The same most-popular list for everyone (minus the query item)."""

    name = "most popular"

    def __init__(self, train: Iterable[Sequence[str]]) -> None:
        counts = Counter(item for session in train for item in session)
        # ties by first appearance: Counter keeps insertion order and most_common sorts stably
        self.ranked = [item for item, _ in counts.most_common()]
        self.counts = counts

    def recommend(self, queries: Sequence[str], k: int) -> list[list[str]]:
        head = self.ranked[:k + 1]
        return [[item for item in head if item != q][:k] for q in queries]


class CooccurrenceRanker:
    """Items that appeared in the most training sessions together with the query, then popular ones."""

    name = "co-occurrence count"

    def __init__(self, train: Sequence[Sequence[str]]) -> None:
        from scipy import sparse

        self.popular = PopularityRanker(train)
        self.items = self.popular.ranked  # by popularity, so equal counts fall back to popularity
        self.index = {item: i for i, item in enumerate(self.items)}
        rows = [s for s, session in enumerate(train) for _ in dict.fromkeys(session)]
        cols = [self.index[item] for session in train for item in dict.fromkeys(session)]
        incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                      shape=(len(train), len(self.items)))
        together = (incidence.T @ incidence).tocsr()  # sessions shared by each pair of items
        together.setdiag(0)
        together.eliminate_zeros()
        self.together = together

    def counts(self, item: str) -> dict[str, int]:
        """How many training sessions held ``item`` together with each other item."""
        i = self.index.get(item)
        if i is None:
            return {}
        row = self.together.getrow(i)
        return {self.items[j]: int(c) for j, c in zip(row.indices.tolist(), row.data.tolist())}

    def recommend(self, queries: Sequence[str], k: int) -> list[list[str]]:
        out = []
        for q in queries:
            i = self.index.get(q)
            picked: list[str] = []
            if i is not None:
                row = self.together.getrow(i)
                # most shared sessions first; equal counts by popularity (a lower index is more popular)
                order = np.lexsort((row.indices, -row.data))[:k]
                picked = [self.items[j] for j in row.indices[order].tolist()]
            if len(picked) < k:  # top up with popular items
                seen = set(picked) | {q}
                picked += [item for item in self.popular.ranked[:k + len(seen)] if item not in seen][:k - len(picked)]
            out.append(picked)
        return out


class EmbeddingRanker:
    """Nearest items by cosine similarity in a model's vectors (Item2Vec's 'users who bought X')."""

    def __init__(self, vectors: WordVectors, name: str = "Item2Vec") -> None:
        self.vectors = vectors
        self.name = name

    def recommend(self, queries: Sequence[str], k: int) -> list[list[str]]:
        from embedlab.search import top_k

        known = [i for i, q in enumerate(queries) if q in self.vectors.index]
        out: list[list[str]] = [[] for _ in queries]
        if not known:
            return out
        k = min(k, len(self.vectors) - 1)
        rows = np.array([self.vectors.index[queries[i]] for i in known], dtype=np.int64)
        unit = np.ascontiguousarray(np.asarray(self.vectors.unit), dtype=np.float32)
        idx, _ = top_k(unit[rows], unit, k, exclude=rows)
        words = self.vectors.words
        for i, found in zip(known, idx.tolist()):
            out[i] = [words[j] for j in found if j >= 0]
        return out


@dataclass(frozen=True)
class RecommendationScores:
    """One ranker's scores on one split."""

    name: str
    n_cases: int
    coverage: float  # fraction of queries the ranker answered at all
    hit_rate: dict[int, float] = field(default_factory=dict)  # = Recall@K with one held-out item
    mrr: dict[int, float] = field(default_factory=dict)

    def row(self) -> dict[str, float | str | int]:
        """One table row: name, cases, coverage, HitRate@K and MRR@K columns."""
        out: dict[str, float | str | int] = {"ranker": self.name, "cases": self.n_cases,
                                             "coverage": round(self.coverage, 4)}
        for k in sorted(self.hit_rate):
            out[f"HitRate@{k}"] = round(self.hit_rate[k], 4)
        for k in sorted(self.mrr):
            out[f"MRR@{k}"] = round(self.mrr[k], 4)
        return out

    def to_json(self) -> dict:
        return {"name": self.name, "n_cases": self.n_cases, "coverage": self.coverage,
                "hit_rate": {str(k): v for k, v in self.hit_rate.items()},
                "mrr": {str(k): v for k, v in self.mrr.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "RecommendationScores":
        return cls(data["name"], int(data["n_cases"]), float(data["coverage"]),
                   {int(k): float(v) for k, v in data.get("hit_rate", {}).items()},
                   {int(k): float(v) for k, v in data.get("mrr", {}).items()})


def ranks_of_targets(recommended: Sequence[Sequence[str]], targets: Sequence[str]) -> np.ndarray:
    """1-based rank of each target in its list, 0 when absent."""
    ranks = np.zeros(len(targets), dtype=np.int64)
    for i, (found, target) in enumerate(zip(recommended, targets)):
        for r, item in enumerate(found, start=1):
            if item == target:
                ranks[i] = r
                break
    return ranks


def evaluate(ranker: Ranker, split: HoldoutSplit, ks: Sequence[int] = DEFAULT_KS) -> RecommendationScores:
    """HitRate@K (= Recall@K) and MRR@K of ``ranker`` on the held-out items, for every K in ``ks``."""
    ks = sorted({int(k) for k in ks})
    if not ks or ks[0] < 1:
        raise EmbedlabError(N_("K must be a positive number of recommendations."))
    recommended = ranker.recommend(split.queries, ks[-1])
    ranks = ranks_of_targets(recommended, split.targets)
    answered = sum(1 for found in recommended if found)
    n = len(split)
    hit = {k: float(((ranks >= 1) & (ranks <= k)).sum() / n) for k in ks}
    reciprocal = np.where(ranks >= 1, 1.0 / np.maximum(ranks, 1), 0.0)
    mrr = {k: float(np.where(ranks <= k, reciprocal, 0.0).sum() / n) for k in ks}
    return RecommendationScores(ranker.name, n, answered / n if n else 0.0, hit, mrr)


def evaluate_all(vectors: WordVectors | None, split: HoldoutSplit, ks: Sequence[int] = DEFAULT_KS,
                 name: str = "Item2Vec") -> list[RecommendationScores]:
    """The model (when given) and both baselines on the same split, model first."""
    rankers: list[Ranker] = [PopularityRanker(split.train), CooccurrenceRanker(split.train)]
    if vectors is not None:
        rankers.insert(0, EmbeddingRanker(vectors, name))
    return [evaluate(r, split, ks) for r in rankers]


def training_text(split: HoldoutSplit) -> str:
    """The training part as a sessions file (one session per line, items separated by spaces)."""
    return "".join(" ".join(session) + "\n" for session in split.train)
