"""The trainer protocol for Word2Vec and FastText: shapes, progress, cancel, loss, errors, manifests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gensim.models import FastText, Word2Vec
from gensim.test.utils import datapath

from embedlab.config import FastTextParams, Word2VecParams
from embedlab.train.registry import ALGORITHMS
from embedlab.corpus import prepare_corpus
from embedlab.errors import Cancelled, ParameterError, VocabularyError
from embedlab.progress import CancelToken
from embedlab.train import train
from embedlab.workflows import save_result
from embedlab.workspace import Workspace


@pytest.fixture(scope="module")
def lee(tmp_path_factory: pytest.TempPathFactory):
    """gensim's Lee news corpus (60k tokens): real text, small enough to train in a second."""
    return prepare_corpus(Path(datapath("lee_background.cor")), tmp_path_factory.mktemp("lee"))


@pytest.mark.parametrize(
    "algorithm, params",
    [
        ("word2vec", Word2VecParams(vector_size=32, epochs=3, workers=1)),
        ("word2vec", Word2VecParams(architecture="skipgram", loss="hierarchical", vector_size=16, epochs=2)),
        ("fasttext", FastTextParams(vector_size=16, epochs=2, bucket=20_000)),
    ],
)
def test_training_gives_vectors_progress_and_timings(lee, algorithm, params) -> None:
    calls: list[tuple[float, float, str]] = []
    result = train(algorithm, params, lee, on_progress=lambda d, t, m: calls.append((d, t, m)))
    vectors = result.vectors
    assert vectors.dim == params.vector_size
    assert len(vectors) == lee.stats.types_at_least(params.min_count)
    assert np.allclose(np.linalg.norm(vectors.unit, axis=1), 1.0, atol=1e-5)
    assert list(vectors.counts) == sorted(vectors.counts, reverse=True)
    epoch_ends = [c for c in calls if c[0] == int(c[0]) and c[0] >= 1 and "epoch" in c[2]]
    assert {c[0] for c in epoch_ends} >= set(range(1, params.epochs + 1))
    assert calls[-1][0] == calls[-1][1] == params.epochs
    assert result.timings["train_s"] > 0 and result.corpus_fingerprint == lee.fingerprint
    assert 0 < result.words_trained <= lee.n_tokens * params.epochs


def test_word2vec_reports_falling_loss_per_epoch(lee) -> None:
    result = train("word2vec", Word2VecParams(architecture="skipgram", epochs=4, workers=1), lee)
    assert len(result.loss) == 4 and all(x > 0 for x in result.loss)
    assert result.loss[-1] < result.loss[0]


def test_same_words_trained_as_raw_gensim(lee) -> None:
    """Our streaming path must feed gensim every word (the corpus_file pitfall): same raw and effective counts."""
    params = Word2VecParams(vector_size=16, epochs=2, workers=1)
    ours = train("word2vec", params, lee)
    model = Word2Vec(vector_size=16, min_count=5, epochs=2, workers=1, seed=1)
    sentences = [line.split() for line in lee.tokens_path.read_text().splitlines()]
    model.build_vocab(sentences)
    effective, raw = model.train(sentences, total_examples=len(sentences), epochs=2)
    assert raw == lee.n_tokens * 2
    assert ours.raw_words == raw
    assert ours.words_trained == effective  # one worker, same seed: the same down-sampling draws
    assert len(ours.vectors) == len(model.wv)


def test_single_worker_runs_are_reproducible(lee) -> None:
    params = Word2VecParams(vector_size=16, epochs=2, workers=1, seed=7)
    a, b = train("word2vec", params, lee), train("word2vec", params, lee)
    assert a.vectors.fingerprint == b.vectors.fingerprint


def test_fasttext_composes_vectors_for_unseen_words_like_gensim(lee) -> None:
    params = FastTextParams(vector_size=16, epochs=1, workers=1, bucket=20_000)
    vectors = train("fasttext", params, lee).vectors
    word = "governmentalisation"
    assert word not in vectors
    model = FastText(vector_size=16, min_count=5, epochs=1, workers=1, seed=1, bucket=20_000)
    # same hashing: the composed vector is the mean of the same hashed n-gram rows
    composed = vectors.subword.compose(word)
    hashes = __import__("gensim.models.fasttext", fromlist=["x"]).ft_ngram_hashes(word, 3, 6, 20_000)
    assert np.allclose(composed, vectors.subword.ngram_vectors[hashes].mean(axis=0))
    assert np.isclose(np.linalg.norm(vectors.vector(word)), 1.0)
    assert "<go" in vectors.subword.ngrams(word)
    del model


def test_cancel_stops_within_an_epoch(lee) -> None:
    token = CancelToken()
    seen: list[float] = []

    def progress(done: float, total: float, message: str) -> None:
        seen.append(done)
        if done >= 1:
            token.cancel()

    with pytest.raises(Cancelled):
        train("word2vec", Word2VecParams(epochs=50, vector_size=16), lee, progress, token)
    assert max(seen) < 3


@pytest.mark.parametrize("algorithm", ["word2vec", "fasttext", "glove"])
def test_empty_vocabulary_is_a_clear_error(tmp_path: Path, algorithm: str) -> None:
    source = tmp_path / "tiny.txt"
    source.write_text("every word here is seen once\nand never again\n")
    tiny = prepare_corpus(source, tmp_path / "out")
    with pytest.raises(VocabularyError, match="minimum count"):
        train(algorithm, ALGORITHMS[algorithm].params_class(min_count=2), tiny)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ParameterError, match="Largest n-gram"):
        FastTextParams(min_n=5, max_n=3).validate()
    with pytest.raises(ParameterError, match="Window"):
        Word2VecParams(window=0).validate()
    with pytest.raises(ParameterError, match="Unknown algorithm"):
        train("bert", Word2VecParams(), None)


def test_manifest_round_trip(lee, tmp_path: Path) -> None:
    from embedlab.train.registry import params_from_dict

    workspace = Workspace(tmp_path)
    params = FastTextParams(vector_size=16, epochs=1, bucket=20_000)
    result = train("fasttext", params, lee)
    model_id = save_result(workspace, result, lee, name="my model")
    manifest = workspace.manifest(model_id)
    assert manifest.name == "my model" and manifest.algorithm == "fasttext"
    assert params_from_dict("fasttext", manifest.params) == params
    assert manifest.corpus.fingerprint == lee.fingerprint
    assert set(manifest.versions) >= {"embedlab", "gensim", "numpy", "python"}
    loaded = workspace.load_vectors(model_id)
    assert loaded.fingerprint == result.vectors.fingerprint
    assert loaded.words == result.vectors.words
    assert np.array_equal(loaded.unit, result.vectors.unit)
    assert np.allclose(loaded.vector("unseenword"), result.vectors.vector("unseenword"))
