"""Typed records, and workspaces written before them: tests/data/workspace_v0 was written by embedlab
as it was before ``Manifest`` existed (no ``format_version``), and must still open, train and compare."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from embedlab import reports, workflows
from embedlab.config import Word2VecParams
from embedlab.records import FORMAT_VERSION, ComparisonRecord, Manifest
from embedlab.workspace import Workspace

OLD = Path(__file__).resolve().parent / "data" / "workspace_v0"


@pytest.fixture
def old(tmp_path: Path) -> Workspace:
    """A copy of the old workspace (tests write into it)."""
    shutil.copytree(OLD, tmp_path / "ws")
    return Workspace(tmp_path / "ws")


def by_algorithm(workspace: Workspace) -> dict[str, str]:
    return {r.algorithm: r.model_id for r in workspace.list_models()}


def test_an_old_workspace_lists_and_loads_everything(old: Workspace) -> None:
    models = by_algorithm(old)
    assert set(models) == {"word2vec", "glove", "fasttext", "imported"}
    w2v = old.manifest(models["word2vec"])
    assert w2v.format_version == 0 and w2v.name == "tiny w2v" and w2v.params["vector_size"] == 8
    assert w2v.corpus is not None and w2v.corpus.name == "tiny.txt" and w2v.corpus.n_tokens == 960
    assert w2v.timings["total_s"] > 0 and len(w2v.loss) == 2
    scores = w2v.metrics.benchmarks
    assert set(scores) == {"tiny analogies · 3CosAdd", "tiny analogies · 3CosMul", "tiny pairs"}
    assert scores["tiny pairs"].kind == "pairs" and scores["tiny pairs"].total == 4
    assert scores["tiny analogies · 3CosAdd"].sections[0]["section"] == "caps"
    assert w2v.metrics.memory_bytes > 0
    for model_id in models.values():
        vectors = old.load_vectors(model_id)
        assert len(vectors) == 14 and vectors.dim == 8
        assert vectors.fingerprint == old.manifest(model_id).fingerprint
    fasttext = old.load_vectors(models["fasttext"])
    assert fasttext.subword is not None and "queens" not in fasttext.index
    assert np.isclose(np.linalg.norm(fasttext.vector("queens")), 1.0)  # composed from its n-grams
    assert old.manifest(models["glove"]).extra["nonzeros"] > 0
    imported = old.manifest(models["imported"])
    assert imported.source["file"] == "tiny.vec" and imported.origin == "tiny.vec"

    [corpus] = old.list_corpora()
    assert corpus.n_tokens == 960 and corpus.tokens_path == old.root / "corpora" / corpus.corpus_id / "tokens.txt"
    [comparison] = old.list_comparisons()
    assert comparison.format_version == 0 and comparison.model_ids == (models["word2vec"], models["glove"])
    assert old.missing_models(comparison) == []
    table = reports.summary_table([(m.name, m) for m in (old.manifest(i) for i in models.values())])
    assert table.loc[table["model"] == "tiny w2v", "tiny pairs"].notna().all()


def test_rewriting_an_old_manifest_upgrades_it_and_loses_nothing(old: Workspace) -> None:
    models = by_algorithm(old)
    for model_id in models.values():
        path = old.root / "models" / model_id / "manifest.json"
        before = json.loads(path.read_text(encoding="utf-8"))
        old.rename_model(model_id, "renamed")
        after = json.loads(path.read_text(encoding="utf-8"))
        assert after["format_version"] == FORMAT_VERSION and after["name"] == "renamed"
        kept = {k: after.get(k) for k in before if k != "name"}
        assert kept == {k: v for k, v in before.items() if k != "name"}  # every old field, unchanged
        assert set(after) - set(before) <= {"format_version", "loss", "words_trained", "raw_words"}  # plus defaults


def test_old_models_can_still_be_retrained_and_compared(old: Workspace) -> None:
    base = by_algorithm(old)["word2vec"]
    made = workflows.train_what_if(old, base, "window", 2)
    assert made.kind == "what-if" and made.model_ids[0] == base
    assert old.manifest(made.model_ids[1]).params["window"] == 2
    corpus = old.list_corpora()[0]
    model_id = workflows.train_and_save(old, "word2vec", Word2VecParams(vector_size=8, min_count=1, epochs=1), corpus)
    assert old.manifest(model_id).format_version == FORMAT_VERSION


def test_unknown_keys_are_kept_and_missing_ones_defaulted() -> None:
    data = {"name": "x", "algorithm": "word2vec", "from_the_future": {"a": 1}, "metrics": {"benchmarks": {
        "b": {"kind": "pairs", "benchmark": "b", "score": 0.5, "coverage": 1.0, "spearman": 0.5}}, "other": 2}}
    manifest = Manifest.from_json(data)
    assert manifest.extra == {"from_the_future": {"a": 1}} and manifest.metrics.extra == {"other": 2}
    assert manifest.metrics.benchmarks["b"].data["spearman"] == 0.5
    again = manifest.to_json()
    assert again["from_the_future"] == {"a": 1} and again["metrics"]["other"] == 2
    assert again["metrics"]["benchmarks"]["b"]["spearman"] == 0.5
    assert Manifest.from_json(again) == manifest.replace(format_version=FORMAT_VERSION)
    empty = Manifest.from_json({})
    assert (empty.vocab_size, empty.corpus, empty.subword, empty.metrics.benchmarks) == (0, None, None, {})
    record = ComparisonRecord.from_json({"comparison_id": "c", "name": "n", "model_ids": ["a", "b"], "new": 1})
    assert record.model_ids == ("a", "b") and ComparisonRecord.from_json(record.to_json()) == record.__class__(
        "c", "n", ("a", "b"), format_version=FORMAT_VERSION)


def test_a_chosen_search_index_is_kept_beside_the_model_and_old_workspaces_still_open(tmp_path: Path) -> None:
    """The Index lab's choice is a file beside the vectors: the manifest is untouched, so older code (and the
    workspace written before typed records, tests/data/workspace_v0) reads the model as before."""
    import shutil

    from embedlab.index_lab import IndexSpec

    shutil.copytree(OLD, tmp_path / "ws")
    space = Workspace(tmp_path / "ws")
    model_id = next(r.model_id for r in space.list_models() if r.algorithm == "word2vec")
    manifest_before = (space.root / "models" / model_id / "manifest.json").read_bytes()
    assert space.load_search_index(model_id) is None  # nothing chosen in an old workspace
    spec = IndexSpec("ivf_flat", nlist=2, nprobe=1)
    space.save_search_index(model_id, {"fingerprint": "f", "index": spec.to_json()})
    assert IndexSpec.from_json(space.load_search_index(model_id)["index"]) == spec
    assert (space.root / "models" / model_id / "manifest.json").read_bytes() == manifest_before
    reopened = Workspace(tmp_path / "ws")
    assert [r.model_id for r in reopened.list_models()] == [r.model_id for r in space.list_models()]
    assert len(reopened.load_vectors(model_id)) == 14 and reopened.manifest(model_id).format_version == 0
    (space.root / "models" / model_id / "search_index.json").write_text("{not json", encoding="utf-8")
    assert space.load_search_index(model_id) is None  # a damaged file means the default search
    space.save_search_index(model_id, None)
    assert space.load_search_index(model_id) is None
    assert not (space.root / "models" / model_id / "search_index.json").exists()
    for damaged in ({"kind": "lsh"}, {"kind": "hnsw", "ef_search": "64"}, {"kind": "ivf_pq", "nlist": 4}, None, []):
        assert IndexSpec.from_json(damaged) is None
