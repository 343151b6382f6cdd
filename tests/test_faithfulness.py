"""Map faithfulness: kNN recall equals a brute-force count over full distance matrices."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import ParameterError
from embedlab.faithfulness import knn_recall, map_neighbours, overlap_counts


def unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def brute_recall(unit: np.ndarray, coords: np.ndarray, k: int) -> np.ndarray:
    sims = unit.astype(np.float64) @ unit.astype(np.float64).T
    np.fill_diagonal(sims, -np.inf)
    dists = ((coords[:, None, :].astype(np.float64) - coords[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(dists, np.inf)
    true = np.argsort(-sims, axis=1)[:, :k]
    near = np.argsort(dists, axis=1)[:, :k]
    return np.array([len(set(a) & set(b)) / k for a, b in zip(true, near)])


@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize("k", [1, 5, 10])
def test_recall_equals_brute_force(dims: int, k: int) -> None:
    unit = unit_rows(400, 24, seed=dims)
    coords = (unit[:, :dims] * 3 + np.random.default_rng(k).normal(scale=0.05, size=(400, dims))).astype(np.float32)
    result = knn_recall(unit, coords, k)
    expected = brute_recall(unit, coords, k)
    np.testing.assert_allclose(result.recall, expected, atol=1e-6)
    assert result.score == pytest.approx(expected.mean())
    assert 0 < result.score < 1 and result.chance == pytest.approx(k / 399)
    again = knn_recall(unit, coords, k, true_neighbours=result.true_neighbours)  # the reused half gives the same
    np.testing.assert_array_equal(again.recall, result.recall)


def test_a_map_that_is_the_space_itself_is_perfectly_faithful_and_a_shuffled_one_is_not() -> None:
    unit = unit_rows(300, 3, seed=1)  # on the unit sphere, Euclidean order = cosine order
    assert knn_recall(unit, unit, 10).score == 1.0
    shuffled = unit[np.random.default_rng(0).permutation(300)]
    assert knn_recall(unit, shuffled, 10).score < 0.15


def test_a_point_is_never_its_own_map_neighbour_even_on_duplicates() -> None:
    coords = np.array([[0, 0], [0, 0], [0, 0], [5, 5], [9, 9]], dtype=np.float32)
    found = map_neighbours(coords, 2)
    assert all(i not in row for i, row in enumerate(found))
    assert sorted(found[0]) == [1, 2]
    assert overlap_counts(np.array([[1, 2, 3]]), np.array([[3, 4, 1]])).tolist() == [2]


def test_bad_input_is_refused_and_tiny_maps_work() -> None:
    unit = unit_rows(5, 4, seed=0)
    with pytest.raises(ParameterError, match="4 points but 5"):
        knn_recall(unit, unit[:4, :2], 2)
    with pytest.raises(ParameterError, match="k must be"):
        knn_recall(unit, unit[:, :2], 0)
    assert knn_recall(unit, unit[:, :2], 10).k == 4  # at most n - 1 neighbours
    assert knn_recall(unit[:1], unit[:1, :2], 10).score == 1.0
