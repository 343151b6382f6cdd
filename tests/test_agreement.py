"""Comparison maths: shared vocabulary, Procrustes, Jaccard@k, side-by-side neighbours, stability."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import special_ortho_group

from embedlab import agreement as cmp
from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.projection import pca
from embedlab.subword import SubwordModel
from embedlab.vectors import WordVectors


def random_vectors(n: int = 300, dim: int = 20, seed: int = 0, prefix: str = "w") -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors.from_matrix([f"{prefix}{i}" for i in range(n)], rng.normal(size=(n, dim)))


def rotated(vectors: WordVectors, rotation: np.ndarray, words: list[str] | None = None) -> WordVectors:
    return WordVectors.from_matrix(words or vectors.words, vectors.raw() @ rotation)


def test_procrustes_recovers_a_random_rotation() -> None:
    rng = np.random.default_rng(1)
    source = rng.normal(size=(500, 50))
    rotation = special_ortho_group.rvs(50, random_state=2)
    found = cmp.procrustes(source, source @ rotation)
    assert np.abs(found - rotation).max() < 1e-5
    assert np.allclose(found.T @ found, np.eye(50), atol=1e-10)


def test_procrustes_between_different_dimensions_keeps_angles() -> None:
    rng = np.random.default_rng(3)
    small = rng.normal(size=(200, 10))
    embed = np.linalg.qr(rng.normal(size=(30, 10)))[0].T  # (10, 30), orthonormal rows
    found = cmp.procrustes(small, small @ embed)
    assert found.shape == (10, 30)
    assert np.abs(small @ found - small @ embed).max() < 1e-8


def test_alignment_puts_rotated_copies_on_top_of_each_other() -> None:
    base = random_vectors(400, 16)
    rotation = special_ortho_group.rvs(16, random_state=5)
    comparison = cmp.Comparison.build([base, rotated(base, rotation)], ["a", "b"])
    alignment = cmp.align(comparison)
    assert np.abs(alignment.aligned[1] - alignment.aligned[0]).max() < 1e-5
    assert alignment.agreement[1].min() > 0.9999
    # unaligned, the same words point in unrelated directions
    assert np.einsum("ij,ij->i", comparison.unit(0), comparison.unit(1)).mean() < 0.5


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [({"x", "y", "z"}, {"x", "y", "z"}, 1.0), ({"x", "y"}, {"z", "w"}, 0.0),
     ({"x", "y", "z"}, {"y", "z", "w"}, 0.5), ({"x", "y", "z", "w"}, {"x", "q", "r", "s"}, 1 / 7),
     (set(), set(), 1.0)],
)
def test_jaccard_on_hand_made_sets(a: set, b: set, expected: float) -> None:
    assert cmp.jaccard(a, b) == pytest.approx(expected)


def test_jaccard_rows_agrees_with_the_set_definition() -> None:
    rng = np.random.default_rng(0)
    a = np.array([rng.choice(30, 6, replace=False) for _ in range(200)])
    b = np.array([rng.choice(30, 6, replace=False) for _ in range(200)])
    expected = [cmp.jaccard(set(x), set(y)) for x, y in zip(a.tolist(), b.tolist())]
    assert cmp.jaccard_rows(a, b) == pytest.approx(expected)
    assert cmp.jaccard_rows(np.array([[4, 1, 2]]), np.array([[2, 4, 1]])).tolist() == [1.0]


def test_different_vocabularies_are_intersected_not_refused() -> None:
    a = random_vectors(100, 8, seed=1)
    b = WordVectors.from_matrix([f"w{i}" for i in range(50, 150)], np.random.default_rng(2).normal(size=(100, 8)))
    c = WordVectors.from_matrix([f"w{i}" for i in range(0, 200, 2)], np.random.default_rng(3).normal(size=(100, 12)))
    comparison = cmp.Comparison.build([a, b, c], ["A", "B", "C"])
    assert comparison.words == tuple(f"w{i}" for i in range(50, 100, 2))
    for i, model in enumerate(comparison.models):
        assert [model.words[r] for r in comparison.rows[i]] == list(comparison.words)
    assert comparison.unit(2).shape == (25, 12)
    cmp.align(comparison)  # 8- and 12-dimensional models align too
    table = cmp.stability(comparison, k=3)
    assert set(table["word"]) == set(comparison.words)


def test_too_little_in_common_is_a_clear_error() -> None:
    with pytest.raises(cmp.ComparisonError, match="share only 0 word"):
        cmp.Comparison.build([random_vectors(50, prefix="a"), random_vectors(50, prefix="b")])
    with pytest.raises(cmp.ComparisonError, match="at least two"):
        cmp.Comparison.build([random_vectors(50)])


def test_side_by_side_of_identical_neighbourhoods() -> None:
    base = random_vectors(200, 10)
    comparison = cmp.Comparison.build([base, rotated(base, special_ortho_group.rvs(10, random_state=1))], ["x", "y"])
    result = cmp.side_by_side(comparison, "w5", k=7)
    left, right = ([n.word for n in column] for column in result.columns)
    assert left == right and "w5" not in left and len(left) == 7
    assert result.agreement == pytest.approx(1.0) and result.shared_by_all == frozenset(left)
    assert [n.rank for n in result.columns[0]] == list(range(1, 8))
    sims = [n.similarity for n in result.columns[0]]
    assert sims == sorted(sims, reverse=True)
    assert list(result.table().columns) == ["rank", "x", "x similarity", "y", "y similarity"]


def test_side_by_side_with_partial_knowledge() -> None:
    a = random_vectors(60, 6, seed=1)
    b = WordVectors.from_matrix(list(a.words[:40]) + ["only_in_b"], np.random.default_rng(2).normal(size=(41, 6)))
    comparison = cmp.Comparison.build([a, b], ["A", "B"])
    result = cmp.side_by_side(comparison, "w50", k=5)  # A knows it, B does not
    assert result.columns[1] is None and "not in" in result.notes[1]
    assert result.agreement is None and all(n.word in comparison.index for n in result.columns[0])
    with pytest.raises(UnknownWordError):
        cmp.side_by_side(comparison, "nowhere", k=5)
    with pytest.raises(EmbedlabError):
        cmp.side_by_side(comparison, "  ", k=5)


def test_side_by_side_composes_fasttext_oov_words() -> None:
    rng = np.random.default_rng(4)
    words = [f"word{i}" for i in range(40)]
    fasttext = WordVectors.from_matrix(words, rng.normal(size=(40, 8)),
                                       subword=SubwordModel(rng.normal(size=(1000, 8)).astype(np.float32), 3, 5))
    comparison = cmp.Comparison.build([random_vectors(40, 8, prefix="word"), fasttext], ["W2V", "FT"])
    result = cmp.side_by_side(comparison, "wordy", k=4)
    assert result.columns[0] is None and len(result.columns[1]) == 4
    assert "n-grams" in result.notes[1]


def test_stability_ranks_stable_words_first() -> None:
    """Two models agree on a planted cluster and disagree (independent noise) elsewhere."""
    rng = np.random.default_rng(9)
    n, dim = 200, 16
    centre = rng.normal(size=dim) * 5
    first = rng.normal(size=(n, dim))
    second = rng.normal(size=(n, dim))
    stable = np.arange(0, 200, 20)  # ten words around one centre, in both models
    first[stable] = centre + rng.normal(scale=0.1, size=(10, dim))
    second[stable] = centre + rng.normal(scale=0.1, size=(10, dim))
    words = [f"w{i}" for i in range(n)]
    comparison = cmp.Comparison.build([WordVectors.from_matrix(words, first), WordVectors.from_matrix(words, second)],
                                      ["one", "two"])
    table = cmp.stability(comparison, k=9, top_n=n)
    assert set(table["word"][:10]) == {f"w{i}" for i in stable}
    assert (table["agreement"][:10] == 1.0).all() and table["agreement"][10:].max() < 0.5
    assert table["shared neighbours"][0] == 9
    assert table["agreement"].is_monotonic_decreasing
    with pytest.raises(EmbedlabError, match="too large"):
        cmp.stability(comparison, k=500)


def test_models_of_one_vocabulary_are_compared_without_copies() -> None:
    base = random_vectors(100, 8)
    comparison = cmp.Comparison.build([base, rotated(base, np.eye(8)[::-1])])
    assert np.shares_memory(comparison.unit(0), base.unit)


@pytest.mark.parametrize("budget", [None, 5_000])  # one block, or blocks of 8 rows
def test_neighbour_rows_match_a_full_sort(budget: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import embedlab.search

    if budget is not None:
        monkeypatch.setattr(embedlab.search, "SCORE_BUDGET", budget)
    rng = np.random.default_rng(2)
    model = WordVectors.from_matrix([f"w{i}" for i in range(1000)], rng.normal(size=(1000, 12)))
    comparison = cmp.Comparison.build([model, model])
    rows = np.arange(700)
    idx = cmp.neighbour_rows(comparison, 0, rows, 5)
    unit = comparison.unit(0)
    scores = unit[rows] @ unit.T
    np.fill_diagonal(scores[:, :700], -np.inf)
    assert (idx == np.argsort(-scores, axis=1)[:, :5]).all()


def test_pca_is_deterministic_and_centred() -> None:
    matrix = np.random.default_rng(0).normal(size=(100, 8))
    coords = pca(matrix)
    assert coords.shape == (100, 2)
    assert np.allclose(coords.mean(axis=0), 0, atol=1e-5)
    assert np.array_equal(coords, pca(matrix.copy()))
    assert np.allclose(np.abs(coords), np.abs(pca(-matrix)), atol=1e-5)
