"""DeepWalk and Node2Vec: the karate club's two factions separate in the node vectors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans

from embedlab import graphs
from embedlab.config import GraphWalkParams, Node2VecParams
from embedlab.errors import Cancelled
from embedlab.progress import CancelToken
from embedlab.train.graph_walks import train_graph

SMALL = dict(walk_length=20, walks_per_node=10, vector_size=16, workers=1, seed=2)


@pytest.mark.parametrize("params", [GraphWalkParams(**SMALL), Node2VecParams(**SMALL, p=1.0, q=0.5)],
                         ids=["deepwalk", "node2vec"])
def test_karate_factions_separate(params: GraphWalkParams) -> None:
    """k-means with k = 2 on the node vectors agrees with the 'club' split on at least 29 of 34 members.

    Why 29 (85%): a random 2-way split agrees with the factions (either way round) on 29 or more members with
    probability 2 * P(Binomial(34, 1/2) >= 29) ~ 1e-4, so passing is not luck; and the split is known not to be
    perfectly recoverable from the edges (member 9 is tied to both sides; modularity methods misplace one or two
    members), so 100% would be a wrong target. Over seeds 1-5 both algorithms reached 33 of 34 here.
    """
    g = graphs.builtin_graph("karate")
    result = train_graph(params, g)
    vectors = result.vectors
    assert set(vectors.words) == set(g.nodes) and vectors.dim == 16
    clusters = KMeans(2, n_init=10, random_state=0).fit_predict(vectors.unit)
    truth = np.array([g.attributes["club"][w] == "Mr. Hi" for w in vectors.words])
    agreement = max(np.mean(clusters == truth), np.mean(clusters != truth))
    assert agreement >= 29 / 34
    manifest = result.manifest()
    assert manifest.algorithm == ("node2vec" if isinstance(params, Node2VecParams) else "deepwalk")
    assert manifest.extra["graph"]["nodes"] == 34 and manifest.timings["walks_per_s"] > 0


def test_progress_and_cancel() -> None:
    g = graphs.builtin_graph("lesmis")
    seen: list[tuple[float, float, str]] = []
    train_graph(GraphWalkParams(**{**SMALL, "epochs": 2}), g, on_progress=lambda d, t, m: seen.append((d, t, m)))
    fractions = [d / t for d, t, _ in seen]
    assert fractions[-1] == pytest.approx(1.0) and fractions == sorted(fractions)
    assert any("walks" in m for *_, m in seen) and any("epoch" in m for *_, m in seen)

    token = CancelToken()

    def cancel_in_training(done: float, total: float, message: str) -> None:
        if "epoch 1" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        train_graph(GraphWalkParams(**{**SMALL, "epochs": 50}), g, on_progress=cancel_in_training, cancel=token)
