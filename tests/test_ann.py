"""The approximate index: chosen by size and memory, and its reported recall is what it measures."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.ann import (BackgroundBuild, build_index, exact_neighbours, measure_recall, plan_index, recall_at_k)
from embedlab.errors import Cancelled, EmbedlabError
from embedlab.progress import CancelToken
from embedlab.projection import clustered_unit_vectors


@pytest.fixture(scope="module")
def unit() -> np.ndarray:
    return clustered_unit_vectors(12_000, 32, n_clusters=200, seed=3, spread=0.3)


def brute_force(unit: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Exact neighbours by a full numpy sort: independent of embedlab.search."""
    scores = unit[rows] @ unit.T
    scores[np.arange(len(rows)), rows] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def test_plan_chooses_by_size_and_memory() -> None:
    matrix = 1_000_000 * 300 * 4
    big = plan_index(1_000_000, 300, available_bytes=20 * 1024**3)
    assert big.kind == "ivfsq8" and big.nlist == 1024 and big.extra_bytes < 0.3 * matrix
    short = plan_index(1_000_000, 300, available_bytes=1024**3)  # memory too short for one byte a value
    assert short.kind == "ivfpq" and short.pq_m == 30 and short.extra_bytes < 0.05 * matrix
    assert plan_index(40_000, 100, available_bytes=20 * 1024**3).kind == "hnsw"
    assert plan_index(40_000, 100, available_bytes=50 * 1024**2).kind == "ivfsq8"  # no room for HNSW's copy
    assert plan_index(1_000_000, 307, available_bytes=1024**3).kind == "ivfsq8"  # 307 is prime: no PQ split
    assert plan_index(5_000, 64, available_bytes=1024**2).kind == "ivfsq8"  # too few words to train PQ
    with pytest.raises(EmbedlabError):
        plan_index(1, 10)


@pytest.mark.parametrize("kind", ["ivfpq", "ivfsq8", "hnsw"])
def test_reported_recall_is_the_measured_recall(unit: np.ndarray, kind: str) -> None:
    index = build_index(unit, plan_index(len(unit), unit.shape[1], kind=kind), tune_sample=100, measure_sample=150)
    report = index.recall
    assert report is not None and report.k == 10 and report.sample == 150
    # re-measure on the same held-out rows with an independent exact answer
    truth = brute_force(unit, report.rows, 10)
    found = np.vstack([index.search(unit[r], 10, np.array([r]))[0] for r in report.rows])
    assert recall_at_k(found, truth) == pytest.approx(report.value, abs=1e-12)
    assert report.value >= 0.9
    # on fresh queries the figure holds (it is an estimate from 150 words, so within a few points)
    fresh = np.setdiff1d(np.random.default_rng(7).choice(len(unit), 300, replace=False), report.rows)[:150]
    assert measure_recall(index, fresh).value == pytest.approx(report.value, abs=0.06)


def test_search_excludes_and_orders(unit: np.ndarray) -> None:
    index = build_index(unit, plan_index(len(unit), unit.shape[1], kind="ivfsq8"), tune_sample=50, measure_sample=50)
    idx, sims = index.search(unit[:3], 5, exclude=np.array([0, 1, 2]))
    assert idx.shape == (3, 5) and all(i not in row for i, row in zip(range(3), idx.tolist()))
    assert np.all(np.diff(sims, axis=1) <= 1e-6)  # best first
    # the IVF path re-scores exactly: returned similarities are the true cosines
    assert np.allclose(sims, np.einsum("qd,qkd->qk", unit[:3], unit[idx]), atol=1e-5)


def test_exact_reference_matches_brute_force(unit: np.ndarray) -> None:
    rows = np.arange(0, 12_000, 1500)
    assert recall_at_k(exact_neighbours(unit, rows, 10), brute_force(unit, rows, 10)) == 1.0


def test_background_build_reports_progress_and_cancels(unit: np.ndarray) -> None:
    build = BackgroundBuild(unit, plan_index(len(unit), unit.shape[1], kind="ivfsq8"), tune_sample=50,
                            measure_sample=50)
    index = build.wait(120)
    assert build.done and build.fraction == 1.0 and "recall@10" in build.message and index is not None
    cancelled = CancelToken()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        build_index(unit, plan_index(len(unit), unit.shape[1], kind="ivfsq8"), cancel=cancelled)


def test_sq8_over_a_width_faiss_cannot_scan_with_simd_is_padded() -> None:
    """30 dimensions are held as 32 (zeros added): the answers and the reported recall are those of the real rows."""
    unit = clustered_unit_vectors(6_000, 30, n_clusters=100, seed=5, spread=0.3)
    index = build_index(unit, plan_index(len(unit), 30, kind="ivfsq8"), tune_sample=50, measure_sample=80)
    assert index.index.d == 32 and index.plan.index_dim == 32
    idx, sims = index.search(unit[:4], 10, exclude=np.arange(4))
    assert np.allclose(sims, np.einsum("qd,qkd->qk", unit[:4], unit[idx]), atol=1e-5)
    truth = brute_force(unit, index.recall.rows, 10)
    found = np.vstack([index.search(unit[r], 10, np.array([r]))[0] for r in index.recall.rows])
    assert recall_at_k(found, truth) == pytest.approx(index.recall.value, abs=1e-12) and index.recall.value >= 0.9
    # every word went into exactly one inverted list
    assert index.index.ntotal == len(unit)
    lists = [index.index.invlists.list_size(c) for c in range(index.index.nlist)]
    assert sum(lists) == len(unit)


def test_a_pages_index_answers_exactly_until_its_background_build_has_run(unit: np.ndarray) -> None:
    # the app's shared index never builds in a page's thread (45 s at 1M words): exact answers until build() ran
    from embedlab.search import NeighbourIndex
    from embedlab.vectors import WordVectors

    words = [f"w{i}" for i in range(len(unit))]
    vectors = WordVectors.from_matrix(words, unit)
    index = NeighbourIndex(vectors, approximate=True, build_on_query=False)
    exact = NeighbourIndex(vectors, approximate=False)
    assert [n.word for n in index.query("w3", 10)] == [n.word for n in exact.query("w3", 10)]
    idx, _sims = index.batch(["w3", "w7"], 5)
    exact_idx, _ = exact.batch(["w3", "w7"], 5)
    assert np.array_equal(idx, exact_idx)
    assert not index.ready  # nothing was built by those queries
    index.build()
    assert index.ready and index.recall is not None
    assert len(index.query("w3", 10)) == 10
    # a library user's index (the default) still builds on its first query, as before
    eager = NeighbourIndex(vectors, approximate=True)
    eager.query("w3", 5)
    assert eager.ready
