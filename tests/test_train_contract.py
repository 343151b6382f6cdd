"""The trainer contract, checked for every algorithm in the registry on tiny data.

A new ``AlgorithmSpec`` is covered here without editing this file: vectors of the
asked size, progress reported, a cancel honoured within an epoch, and a manifest
that round-trips through the workspace.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from embedlab.corpus import PreparedCorpus, prepare_corpus
from embedlab.errors import Cancelled
from embedlab.progress import CancelToken
from embedlab.records import Manifest
from embedlab.train import train
from embedlab.train.registry import ALGORITHMS, AlgorithmSpec, corpus_algorithms, params_from_dict
from embedlab.workflows import save_result
from embedlab.workspace import Workspace

DIM = 8


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> PreparedCorpus:
    """3,000 lines of eight words over three topics: every algorithm trains on it in well under a second."""
    rng = np.random.default_rng(0)
    topics = [["cat", "dog", "pet", "fur", "paw", "tail"], ["car", "road", "wheel", "drive", "fuel", "lane"],
              ["king", "queen", "crown", "throne", "royal", "court"]]
    lines = [" ".join(rng.choice(topics[rng.integers(3)], 8)) for _ in range(3000)]
    folder = tmp_path_factory.mktemp("tiny")
    source = folder / "tiny.txt"
    source.write_text("\n".join(lines) + "\n")
    return prepare_corpus(source, folder / "out", name="tiny")


def tiny_params(spec: AlgorithmSpec, **wanted: object) -> object:
    """The algorithm's defaults with the small settings it has (not every algorithm has every field)."""
    small = {"vector_size": DIM, "min_count": 1, "epochs": 2, "workers": 1, "seed": 3, "bucket": 2000, **wanted}
    names = {f.name for f in dataclasses.fields(spec.params_class)}
    return spec.params_class(**{k: v for k, v in small.items() if k in names})


ALL = pytest.mark.parametrize("algorithm", list(ALGORITHMS))
#: the contract below hands each trainer a tokenised corpus; algorithms with another input have their own tests
ON_CORPUS = pytest.mark.parametrize("algorithm", list(corpus_algorithms()))


@ON_CORPUS
def test_vectors_have_the_asked_shape_and_progress_is_reported(tiny: PreparedCorpus, algorithm: str) -> None:
    spec = ALGORITHMS[algorithm]
    params = tiny_params(spec)
    calls: list[tuple[float, float, str]] = []
    result = train(algorithm, params, tiny, on_progress=lambda d, t, m: calls.append((d, t, m)))
    vectors = result.vectors
    assert result.algorithm == algorithm and result.params == params
    # min_count 1: every word (every node of the word adjacency graph), or every line as a document
    expected = tiny.n_sentences if spec.units == "documents" else tiny.stats.n_types
    assert vectors.dim == DIM and len(vectors) == expected
    assert np.allclose(np.linalg.norm(vectors.unit, axis=1), 1.0, atol=1e-5)
    if spec.units != "documents":  # documents keep their order; words and nodes come most frequent first
        assert list(vectors.counts) == sorted(vectors.counts, reverse=True)
    assert calls and calls[-1][0] == calls[-1][1]  # the last report is 'done'
    done = [d / t for d, t, _ in calls if t]
    assert done == sorted(done), "progress never goes backwards"
    assert result.corpus_fingerprint == tiny.fingerprint and result.timings["total_s"] > 0


@ON_CORPUS
def test_a_cancel_is_honoured_within_an_epoch(tiny: PreparedCorpus, algorithm: str) -> None:
    token = CancelToken()
    seen: list[float] = []
    asked_at: list[float] = []

    def progress(done: float, total: float, message: str) -> None:
        seen.append(done)
        if "epoch" in message and not asked_at:  # the first report from the training epochs
            asked_at.append(done)
            token.cancel()

    params = tiny_params(ALGORITHMS[algorithm], epochs=50)
    with pytest.raises(Cancelled):
        train(algorithm, params, tiny, progress, token)
    assert asked_at, "the trainer reported no epoch progress"
    assert max(seen) <= asked_at[0] + 1, f"{algorithm} ran on for more than an epoch after the cancel"


@ON_CORPUS
def test_the_manifest_round_trips_through_the_workspace(tiny: PreparedCorpus, algorithm: str, tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    params = tiny_params(ALGORITHMS[algorithm])
    result = train(algorithm, params, tiny)
    model_id = save_result(workspace, result, tiny, name="contract")
    manifest = workspace.manifest(model_id)
    assert manifest.algorithm == algorithm and manifest.name == "contract" and manifest.id == model_id
    assert params_from_dict(algorithm, manifest.params) == params
    assert manifest.corpus is not None and manifest.corpus.fingerprint == tiny.fingerprint
    assert (manifest.vocab_size, manifest.dim) == (len(result.vectors), DIM)
    assert Manifest.from_json(manifest.to_json()) == manifest
    loaded = workspace.load_vectors(model_id)
    assert loaded.fingerprint == result.vectors.fingerprint == manifest.fingerprint
    assert np.array_equal(np.asarray(loaded.unit), result.vectors.unit)


@ALL
def test_every_parameter_is_explained(algorithm: str) -> None:
    """Forms and CLI flags are generated from the fields, so each needs a label and help text."""
    spec = ALGORITHMS[algorithm]
    assert spec.label and spec.description and spec.cost > 0
    defaults = spec.params_class()
    defaults.validate()  # the defaults themselves are valid
    for f in dataclasses.fields(spec.params_class):
        assert f.metadata.get("label"), f"{algorithm}.{f.name} has no label"
        assert len(f.metadata.get("help", "")) >= 10, f"{algorithm}.{f.name} has no help text"
    suggested = spec.default_params(suggested=True)
    suggested.validate()


def test_other_params_classes_are_explained_too() -> None:
    """Every parameter dataclass in embedlab.config (not only registered ones), and the comparison's shared settings."""
    from embedlab import config
    from embedlab.workflows import SharedSettings

    classes = [c for c in vars(config).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert len(classes) >= 5
    for cls in (*classes, SharedSettings):
        for f in dataclasses.fields(cls):
            assert f.metadata.get("label") and f.metadata.get("help"), f"{cls.__name__}.{f.name}"
