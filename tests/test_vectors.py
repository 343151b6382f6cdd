"""WordVectors: normalisation, lookup with suggestions, immutability, fingerprints, subsets."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.progress import CancelToken, scaled
from embedlab.vectors import WordVectors


def make(words=("king", "queen", "man", "woman"), seed=0, dim=8) -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors.from_matrix(list(words), rng.normal(size=(len(words), dim)), list(range(len(words), 0, -1)))


def test_rows_are_unit_length_and_raw_vectors_are_kept() -> None:
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(5, 3)).astype(np.float32)
    wv = WordVectors.from_matrix(list("abcde"), matrix)
    assert np.allclose(np.linalg.norm(wv.unit, axis=1), 1)
    assert np.allclose(wv.raw(), matrix, atol=1e-6)
    assert wv.vector("c", unit=False) == pytest.approx(matrix[2])


def test_zero_vectors_stay_zero_instead_of_nan() -> None:
    wv = WordVectors.from_matrix(["a", "b"], np.array([[0.0, 0.0], [1.0, 1.0]]))
    assert np.all(wv.unit[0] == 0) and np.isfinite(wv.unit).all()


def test_vectors_are_read_only() -> None:
    wv = make()
    with pytest.raises(ValueError):
        wv.unit[0, 0] = 1.0


def test_unknown_words_get_suggestions() -> None:
    wv = make()
    with pytest.raises(UnknownWordError) as error:
        wv.vector("quen")
    assert error.value.suggestions[0] == "queen"
    assert "Closest known spellings: queen" in str(error.value)
    assert isinstance(error.value, KeyError)  # code written for gensim's KeyError keeps working


def test_fingerprint_follows_content() -> None:
    assert make().fingerprint == make().fingerprint
    assert make(seed=1).fingerprint != make().fingerprint
    assert make(words=("king", "queen", "man", "women")).fingerprint != make().fingerprint


def test_subset_top_and_shared_words() -> None:
    wv = make()
    sub = wv.subset(["woman", "king"])
    assert sub.words == ("woman", "king") and list(sub.counts) == [1, 4]
    assert np.allclose(sub.vector("king"), wv.vector("king"))
    assert wv.top(2).words == ("king", "queen") and wv.top(10) is wv
    other = make(words=("queen", "prince", "king"))
    assert wv.shared_words(other) == ["king", "queen"]


@pytest.mark.parametrize(
    "words, matrix, message",
    [
        (["a", "b"], np.zeros((3, 2)), "one vector per word"),
        (["a", "a"], np.ones((2, 2)), "repeats"),
        (["a", "b"], np.array([[1.0, np.nan], [1.0, 1.0]]), "NaN"),
    ],
)
def test_inconsistent_input_is_refused(words, matrix, message) -> None:
    with pytest.raises(EmbedlabError, match=message):
        WordVectors.from_matrix(words, matrix)


def test_scaled_progress_maps_into_a_parent_range() -> None:
    seen = []
    report = scaled(lambda d, t, m: seen.append((d, t, m)), 0.5, 1.0)
    report(0, 10, "start")
    report(5, 10, "half")
    report(20, 10, "overshoot")
    assert seen == [(0.5, 1.0, "start"), (0.75, 1.0, "half"), (1.0, 1.0, "overshoot")]


def test_cancel_token() -> None:
    token = CancelToken()
    token.raise_if_cancelled()
    token.cancel()
    assert token.cancelled
    with pytest.raises(EmbedlabError, match="Cancelled"):
        token.raise_if_cancelled()
