"""Nearest neighbours: exact search equals brute force, HNSW recall, exclusion, OOV words, errors."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab import search
from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.search import NeighbourIndex, knn_graph, select_top, top_k
from embedlab.subword import SubwordModel
from embedlab.vectors import WordVectors


def random_vectors(n: int, dim: int, seed: int = 0) -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors.from_matrix([f"w{i}" for i in range(n)], rng.normal(size=(n, dim)))


def brute_force(unit: np.ndarray, queries: np.ndarray, k: int, own: np.ndarray | None = None) -> np.ndarray:
    scores = queries @ unit.T
    if own is not None:
        scores[np.arange(len(queries)), own] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def test_select_top_matches_a_stable_full_sort_with_ties_and_exclusion() -> None:
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 5, size=(40, 30)).astype(np.float32)  # many ties
    exclude = rng.integers(-1, 30, size=40)
    idx, vals = select_top(scores, 7, exclude)
    masked = scores.copy()
    rows = np.nonzero(exclude >= 0)[0]
    masked[rows, exclude[rows]] = -np.inf
    expected = np.argsort(-masked, axis=1, kind="stable")[:, :7]
    assert (idx == expected).all()
    assert np.array_equal(vals, np.take_along_axis(masked, expected, axis=1))


def test_select_top_pads_rows_with_too_few_candidates() -> None:
    idx, vals = select_top(np.array([[0.5, -np.inf, 0.1]], dtype=np.float32), 3)
    assert idx.tolist() == [[0, 2, -1]] and vals[0, 2] == -np.inf


@pytest.mark.parametrize("budget", [search.SCORE_BUDGET, 3_000])  # one block, or many blocks of 8 rows
def test_knn_graph_equals_brute_force(budget: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SCORE_BUDGET", budget)
    unit = random_vectors(400, 16).unit
    idx, sims = knn_graph(unit, 10)
    assert idx.shape == (400, 10)
    assert (idx == brute_force(unit, unit, 10, own=np.arange(400))).all()
    assert np.allclose(sims, np.einsum("ij,ikj->ik", unit, unit[idx]), atol=1e-5)
    assert not (idx == np.arange(400)[:, None]).any()
    with_self, _ = knn_graph(unit, 3, exclude_self=False)
    assert (with_self[:, 0] == np.arange(400)).all()


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("exclude_self", [True, False])
def test_knn_graph_blocks_ties_duplicates_and_k_past_n(threads: int, exclude_self: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The half-matrix kNN graph equals a stable sort of each full row: blocks of 14 rows that do not
    divide 203, words past a block split over 1 or 3 ranges (some ranges empty near the end), exact ties
    (small integer vectors, many duplicated: equal scores must come in word order), and k beyond n."""
    from embedlab.errors import Cancelled
    from embedlab.progress import CancelToken

    monkeypatch.setattr(search, "_threads", lambda: threads)
    rng = np.random.default_rng(5)
    vectors = rng.integers(-2, 3, size=(70, 3)).astype(np.float32)
    matrix = vectors[rng.integers(0, 70, size=203)]  # duplicates: identical rows, identical scores
    n = len(matrix)
    scores = matrix @ matrix.T  # small integers: exact in float32 whatever the summation order
    if exclude_self:
        scores[np.arange(n), np.arange(n)] = -np.inf
    for k in (1, 9, n - 1, n + 4):
        idx, sims = knn_graph(matrix, k, exclude_self=exclude_self, budget=3_000)  # 3000 // 203 = 14 rows
        width = min(k, n - 1 if exclude_self else n)
        expected = np.argsort(-scores, axis=1, kind="stable")[:, :width]
        assert idx.shape == sims.shape == (n, width)
        assert (idx == expected).all(), k
        assert np.array_equal(sims, np.take_along_axis(scores, expected, axis=1))
    seen: list[int] = []
    knn_graph(matrix, 3, exclude_self=exclude_self, budget=3_000, on_progress=lambda done, total, m: seen.append(done))
    assert seen[0] == 0 and seen[-1] == n and seen == sorted(seen)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        knn_graph(matrix, 3, cancel=token)


def test_knn_graph_equals_top_k_over_full_rows() -> None:
    """The symmetric shortcut returns what the plain blocked search (every row against every word) returns."""
    unit = random_vectors(1500, 24, seed=3).unit
    idx, sims = knn_graph(unit, 30, budget=40_000)  # 26 rows a block
    plain_idx, plain_sims = top_k(unit, unit, 30, exclude=np.arange(1500))
    assert (idx == plain_idx).all()
    assert np.allclose(sims, plain_sims, atol=1e-6)


def test_top_k_reports_progress_and_stops_when_cancelled() -> None:
    from embedlab.errors import Cancelled
    from embedlab.progress import CancelToken

    unit = random_vectors(50, 4).unit
    seen: list[float] = []
    top_k(unit, unit, 3, on_progress=lambda done, total, msg: seen.append(done))
    assert seen[-1] == 50
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        top_k(unit, unit, 3, cancel=token)


def test_query_equals_brute_force_and_excludes_the_word_itself() -> None:
    wv = random_vectors(500, 12)
    index = NeighbourIndex(wv)
    assert not index.approximate and index.method == "exact"
    result = index.query("w7", k=15)
    expected = brute_force(wv.unit, wv.unit[7:8], 15, own=np.array([7]))[0]
    assert [n.word for n in result] == [wv.words[i] for i in expected]
    assert [n.rank for n in result] == list(range(1, 16))
    assert result[0].similarity == pytest.approx(float(wv.unit[7] @ wv.unit[expected[0]]), abs=1e-6)
    # a vector query is not excluded from its own answers
    assert index.query(wv.unit[7] * 3.0, k=1)[0].word == "w7"


def test_query_excludes_named_words_and_ignores_unknown_ones() -> None:
    wv = random_vectors(100, 8)
    index = NeighbourIndex(wv)
    top3 = [n.word for n in index.query("w0", k=3)]
    again = [n.word for n in index.query("w0", k=3, exclude=[top3[0], "not-a-word"])]
    assert top3[0] not in again and again[:2] == top3[1:]


def test_k_larger_than_the_vocabulary_returns_every_other_word() -> None:
    index = NeighbourIndex(random_vectors(5, 3))
    assert len(index.query("w0", k=50)) == 4
    with pytest.raises(EmbedlabError, match="between 1 and"):
        index.query("w0", k=0)


def test_unknown_words_raise_with_suggestions() -> None:
    wv = WordVectors.from_matrix(["king", "queen", "kings"], np.eye(3))
    with pytest.raises(UnknownWordError) as error:
        NeighbourIndex(wv).query("kingg")
    assert "king" in error.value.suggestions
    with pytest.raises(EmbedlabError, match="needs 3 numbers"):
        NeighbourIndex(wv).query(np.ones(4))


def test_fasttext_models_compose_unknown_words() -> None:
    rng = np.random.default_rng(3)
    subword = SubwordModel(rng.normal(size=(1000, 6)).astype(np.float32), 3, 5)
    wv = WordVectors.from_matrix(["alpha", "beta", "gamma"], rng.normal(size=(3, 6)), subword=subword)
    index = NeighbourIndex(wv)
    vector, own = index.vector_of("alphabet")
    assert own == -1 and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)
    result = index.query("alphabet", k=3)
    assert len(result) == 3  # none is excluded: the query is not a vocabulary word
    scores = wv.unit @ vector
    assert [n.word for n in result] == [wv.words[i] for i in np.argsort(-scores)]


def test_batch_of_words_and_of_vectors() -> None:
    wv = random_vectors(300, 10)
    index = NeighbourIndex(wv)
    idx, sims = index.batch(["w1", "w2", "w3"], k=5)
    assert (idx == brute_force(wv.unit, wv.unit[1:4], 5, own=np.array([1, 2, 3]))).all()
    idx_v, _ = index.batch(wv.unit[1:4] * 2.0, k=5)
    assert (idx_v[:, 0] == [1, 2, 3]).all()  # vectors are not excluded from their own lists
    with pytest.raises(EmbedlabError, match="rows of 10"):
        index.batch(np.ones((2, 3)), k=5)


def test_hnsw_recall_at_10_against_exact() -> None:
    wv = random_vectors(5000, 32, seed=4)
    index = NeighbourIndex(wv, approximate=True)
    assert index.method.startswith("approximate")
    queries = [f"w{i}" for i in range(0, 5000, 25)]  # 200 queries
    approx, _ = index.batch(queries, k=10)
    exact, _ = NeighbourIndex(wv, approximate=False).batch(queries, k=10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx.tolist(), exact.tolist())])
    assert recall >= 0.95, recall
    assert not (approx == np.arange(0, 5000, 25)[:, None]).any()  # the query word is excluded
    single = index.query("w0", k=10)
    assert len(single) == 10 and "w0" not in {n.word for n in single}
    assert len({n.word for n in single} & {wv.words[i] for i in exact[0]}) >= 8


def test_exact_by_default_below_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    wv = random_vectors(100, 10)
    assert not NeighbourIndex(wv).approximate
    monkeypatch.setattr(search, "APPROXIMATE_MIN_ELEMENTS", 999)
    assert NeighbourIndex(wv).approximate
    assert not NeighbourIndex(wv, approximate=False).approximate


def test_a_read_only_matrix_is_not_copied() -> None:
    wv = random_vectors(50, 4)
    assert not wv.unit.flags.writeable
    index = NeighbourIndex(wv)
    assert np.shares_memory(index.unit, wv.unit)
    index.query("w1")


def test_word_lists_and_the_batch_table() -> None:
    assert search.parse_word_list(" king,queen\n\nparis ; king\t国王、北京") == ["king", "queen", "paris", "国王", "北京"]
    with pytest.raises(EmbedlabError, match="At most 1,000 words"):
        search.parse_word_list(" ".join(f"w{i}" for i in range(1001)))
    wv = random_vectors(60, 6)
    table = search.neighbour_table(NeighbourIndex(wv), ["w1", "nope", "w2"], k=4)
    assert table.unknown == {"nope": []}
    assert list(table.table.columns) == ["query", "rank", "neighbour", "similarity"]
    assert list(table.table["query"]) == ["w1"] * 4 + ["w2"] * 4
    assert list(table.table["neighbour"][:4]) == [n.word for n in NeighbourIndex(wv).query("w1", 4)]
    lines = table.csv().splitlines()
    assert lines[0] == "query,rank,neighbour,similarity" and lines[1].startswith("w1,1,")


@pytest.mark.parametrize("parts", [1, 2])
def test_int8_screening_gives_exactly_the_exact_answer(parts: int) -> None:
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(20, 24))
    # clustered rows, with exact duplicates: many near-ties for the screen to get right
    matrix = centres[rng.integers(0, 20, size=3000)] + 0.15 * rng.normal(size=(3000, 24))
    matrix[100:110] = matrix[99]
    unit = WordVectors.from_matrix([f"w{i}" for i in range(3000)], matrix).unit
    quantized = search.Quantized.of(np.ascontiguousarray(unit))
    for row in [0, 99, 105, 1234, 2999]:
        banned = np.array([row], dtype=np.int64)
        expected = search.exact_query(unit, unit[row], 15, banned, parts=1)
        got = search.screened_query(unit, quantized, unit[row], 15, banned, parts=parts)
        assert got[0] == expected[0]
        assert np.allclose(got[1], expected[1], atol=1e-6)


def test_screening_falls_back_to_the_exact_pass_when_too_many_rows_survive(monkeypatch) -> None:
    unit = np.tile(np.eye(8, dtype=np.float32)[:1], (5000, 1))  # 5,000 identical rows: all survive
    quantized = search.Quantized.of(unit)
    idx, vals = search.screened_query(unit, quantized, unit[0], 3)
    assert idx == [0, 1, 2] and vals == [1.0, 1.0, 1.0]


def test_large_vocabularies_are_screened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "QUANTIZE_MIN_ROWS", 100)
    wv = random_vectors(400, 12)
    index = NeighbourIndex(wv)
    result = index.query("w3", k=10)
    assert index._quantized is not None
    assert [n.word for n in result] == [wv.words[i] for i in brute_force(wv.unit, wv.unit[3:4], 10, np.array([3]))[0]]
    # the page's stand-in while an approximate index builds answers exactly without making the int8 copy
    standin = NeighbourIndex(wv, approximate=False, screen=False)
    assert [n.word for n in standin.query("w3", k=10)] == [n.word for n in result] and standin._quantized is None


def test_module_doctests() -> None:
    import doctest

    assert doctest.testmod(search).failed == 0
