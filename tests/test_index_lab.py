"""The index lab: each faiss index's recall measured against exact search, and the sweep's shape."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab import index_lab
from embedlab.errors import EmbedlabError
from embedlab.vectors import WordVectors


@pytest.fixture(scope="module")
def clustered() -> WordVectors:
    """1,500 vectors in 30 Gaussian clusters of 32 dimensions: word vectors cluster too."""
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(30, 32))
    matrix = centres[rng.integers(0, 30, size=1500)] + 0.35 * rng.normal(size=(1500, 32))
    return WordVectors.from_matrix([f"w{i}" for i in range(1500)], matrix)


def _brute_force_recall(vectors: WordVectors, spec: index_lab.IndexSpec, rows: np.ndarray, k: int) -> float:
    """Recall of ``spec``'s index computed independently: a full numpy sort as the truth."""
    unit = np.ascontiguousarray(vectors.unit, dtype=np.float32)
    index = index_lab.build(spec, unit)
    index_lab.set_knob(index, spec)
    _, ids = index.search(unit[rows], k + 1)
    total = 0
    for q, found in zip(rows, ids):
        scores = unit.astype(np.float64) @ unit[q].astype(np.float64)
        scores[q] = -np.inf
        order = np.argsort(-scores)
        kth = scores[order[k - 1]]
        # a hit: one of the true k, or a row tying the k-th (exact search's pick among ties is arbitrary)
        total += sum(1 for j in [j for j in found.tolist() if j != q][:k]
                     if j in set(order[:k].tolist()) or scores[j] >= kth - index_lab.TIE_TOLERANCE)
    return total / (k * len(rows))


def test_each_index_recall_is_measured_against_exact_search(clustered: WordVectors) -> None:
    specs = index_lab.sweep_specs(len(clustered), clustered.dim, nprobes=(1, 4, 1000), ef_searches=(4, 128),
                                  pq_bytes=(4,))
    result = index_lab.run_sweep(clustered, k=10, n_queries=120, specs=specs)
    rows = index_lab.query_rows(len(clustered), 120)
    by_label = {r.spec.label: r for r in result.rows}
    assert {r.spec.kind for r in result.rows} == set(index_lab.KINDS)
    for row in result.rows:
        assert row.recall == pytest.approx(_brute_force_recall(clustered, row.spec, rows, 10), abs=1 / 1200)  # float32 vs float64: one boundary tie may differ
        assert row.latency_ms > 0 and row.memory_bytes > 0
    nlist = index_lab.default_nlist(len(clustered))
    assert by_label["Flat"].recall == 1.0
    assert by_label[f"IVF{nlist}-Flat, nprobe {nlist}"].recall == 1.0  # scanning every cell is exact
    assert by_label[f"IVF{nlist}-Flat, nprobe 1"].recall < 1.0  # one cell misses neighbours across borders
    assert by_label["HNSW32, efSearch 128"].recall >= 0.95
    pq = [r for r in result.rows if r.spec.kind == "ivf_pq"]
    assert all(r.memory_bytes < by_label["Flat"].memory_bytes / 2 for r in pq)  # 4 bytes instead of 128 a vector
    assert max(r.recall for r in pq) < 1.0  # quantisation loses something


def test_sweep_table_and_best_setting(clustered: WordVectors) -> None:
    specs = index_lab.sweep_specs(len(clustered), clustered.dim, nprobes=(1, 8), ef_searches=(16,), pq_bytes=(8,))
    result = index_lab.run_sweep(clustered, k=5, n_queries=50, specs=specs)
    table = result.table()
    assert len(table) == len(specs) and {"index", "setting", "recall@5", "latency ms", "memory MB"} <= set(table[0])
    best = index_lab.best_for(result, 0.9)
    assert best is not None and best.recall >= 0.9
    assert index_lab.best_for(result, 1.01) is None


def test_pq_sizes_divide_the_dimension() -> None:
    assert index_lab.pq_sizes(100) == [4, 10, 20, 50] or all(100 % m == 0 for m in index_lab.pq_sizes(100))
    assert all(128 % m == 0 for m in index_lab.pq_sizes(128)) and index_lab.pq_sizes(128) == [4, 8, 16, 32]
    assert index_lab.pq_bits(100) == 4 and index_lab.pq_bits(1500) == 5 and index_lab.pq_bits(10_000) == 8
    assert index_lab.pq_bits(10) == 3
    assert index_lab.default_nlist(1500) == 38 and index_lab.default_nlist(10) == 1


def test_too_few_vectors_is_a_clear_error() -> None:
    small = WordVectors.from_matrix(["a", "b", "c"], np.eye(3))
    with pytest.raises(EmbedlabError, match="at least"):
        index_lab.run_sweep(small, k=10)
