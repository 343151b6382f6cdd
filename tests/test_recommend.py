"""Item2Vec as a recommender: the leave-last-out split, the baselines, and metrics equal to a brute-force count."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab import recommend
from embedlab.errors import EmbedlabError
from embedlab.vectors import WordVectors


def test_holdout_last_item_of_each_session() -> None:
    split = recommend.holdout_last([["a", "b", "c"], ["d"], ["e", "f"], []])
    assert split.train == [["a", "b"], ["d"], ["e"]]
    assert split.queries == ["b", "e"] and split.targets == ["c", "f"]
    assert recommend.training_text(split) == "a b\nd\ne\n"
    with pytest.raises(EmbedlabError, match="two items"):
        recommend.holdout_last([["a"], ["b"]])


def test_popularity_and_cooccurrence_by_hand() -> None:
    train = [["a", "b"], ["a", "b", "c"], ["a", "c"], ["d", "a"], ["b", "c"]]
    popular = recommend.PopularityRanker(train)
    assert popular.recommend(["a", "z"], 2) == [["b", "c"], ["a", "b"]]
    together = recommend.CooccurrenceRanker(train)
    assert together.counts("a") == {"b": 2, "c": 2, "d": 1}
    # b and c share a's sessions twice each; b is more popular... they tie on popularity (3 each), first seen wins
    assert together.recommend(["a"], 3) == [["b", "c", "d"]]
    assert together.recommend(["d"], 3) == [["a", "b", "c"]]  # one co-occurring item, topped up by popularity
    assert together.recommend(["zzz"], 2) == [["a", "b"]]  # unknown query: popularity


def _random_case(seed: int = 0):
    rng = np.random.default_rng(seed)
    items = [f"P{i:03d}" for i in range(60)]
    vectors = WordVectors.from_matrix(items, rng.normal(size=(60, 8)))
    sessions = [[items[j] for j in rng.integers(0, 60, size=rng.integers(1, 6))] for _ in range(300)]
    sessions.append(["UNKNOWN", items[0]])  # a query the model never saw: a miss
    return vectors, recommend.holdout_last(sessions)


def test_recall_and_mrr_equal_a_brute_force_count() -> None:
    vectors, split = _random_case()
    scores = recommend.evaluate(recommend.EmbeddingRanker(vectors), split, ks=(1, 5, 10, 20))
    # brute force: every item's cosine with the query, sorted in full, the query itself removed
    unit = vectors.unit.astype(np.float64)
    ranks = []
    for query, target in zip(split.queries, split.targets):
        if query not in vectors.index:
            ranks.append(0)
            continue
        q = vectors.index[query]
        order = [j for j in np.argsort(-(unit @ unit[q]), kind="stable") if j != q]
        t = vectors.index[target]
        ranks.append(order.index(t) + 1 if t != q else 0)  # a repeated item is never recommended
    ranks = np.array(ranks)
    for k in (1, 5, 10, 20):
        assert scores.hit_rate[k] == pytest.approx(np.mean((ranks >= 1) & (ranks <= k)))
        assert scores.mrr[k] == pytest.approx(np.mean(np.where((ranks >= 1) & (ranks <= k), 1.0 / np.maximum(ranks, 1), 0)))
    assert scores.coverage == pytest.approx((len(split) - 1) / len(split))
    assert scores.hit_rate[1] < scores.hit_rate[5] < scores.hit_rate[20]  # the check above compares real numbers


def test_popularity_scores_equal_a_brute_force_count() -> None:
    _, split = _random_case(1)
    scores = recommend.evaluate(recommend.PopularityRanker(split.train), split, ks=(5, 10))
    counts: dict[str, int] = {}
    for session in split.train:
        for item in session:
            counts[item] = counts.get(item, 0) + 1
    ranked = sorted(counts, key=lambda i: -counts[i])  # stable: first appearance breaks ties, as Counter does
    hits = {5: 0, 10: 0}
    for q, t in zip(split.queries, split.targets):
        top = [i for i in ranked if i != q]
        for k in hits:
            hits[k] += t in top[:k]
    assert scores.hit_rate == {k: pytest.approx(v / len(split)) for k, v in hits.items()}


def test_scores_table_row_and_json_round_trip() -> None:
    vectors, split = _random_case()
    results = recommend.evaluate_all(vectors, split, ks=(5, 10))
    assert [r.name for r in results] == ["Item2Vec", "most popular", "co-occurrence count"]
    row = results[0].row()
    assert set(row) == {"ranker", "cases", "coverage", "HitRate@5", "HitRate@10", "MRR@5", "MRR@10"}
    assert recommend.RecommendationScores.from_json(results[1].to_json()) == results[1]
