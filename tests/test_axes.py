"""Semantic axes: directions from expressions or word lists; words placed by cosine; the gender demo."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.axes import GENDER_DEMO, AxisError, choose_words, parse_axis, project_on_axes
from embedlab.errors import UnknownWordError
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace


@pytest.fixture
def vectors() -> WordVectors:
    rng = np.random.default_rng(0)
    words = ["he", "she", "him", "her", "king", "queen", "man", "woman", "good", "bad"]
    return WordVectors.from_matrix(words, rng.normal(size=(len(words), 16)).astype(np.float32))


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_expressions_and_word_lists_name_directions(vectors: WordVectors) -> None:
    v = vectors.vector
    axis = parse_axis(vectors, "he - she")
    np.testing.assert_allclose(axis.direction, unit(v("he") - v("she")), atol=1e-6)
    assert axis.label == "he - she"
    analogy = parse_axis(vectors, "King − man + woman")  # Unicode minus; case folded
    np.testing.assert_allclose(analogy.direction, unit(v("king") - v("man") + v("woman")), atol=1e-6)
    assert analogy.positive == ("king", "woman") and analogy.label == "King − man + woman"
    lists = parse_axis(vectors, "he, him | she her")
    np.testing.assert_allclose(lists.direction, unit((v("he") + v("him")) / 2 - (v("she") + v("her")) / 2), atol=1e-6)
    assert lists.label == "mean(he, him) − mean(she, her)"
    np.testing.assert_allclose(parse_axis(vectors, "good |").direction, v("good"), atol=1e-6)


@pytest.mark.parametrize("text, error, message", [
    ("", AxisError, "Write an axis"),
    ("he - he", AxisError, "no direction"),
    ("a | b | c", AxisError, "one '|'"),
    (" | ", AxisError, "empty"),
    ("he - - she", AxisError, "Two signs"),
    ("he - shee", UnknownWordError, "Closest known spellings: she"),
])
def test_bad_axes_are_refused_with_a_message(vectors: WordVectors, text: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        parse_axis(vectors, text)


def test_words_are_placed_at_their_cosine_with_each_direction(vectors: WordVectors) -> None:
    x, y = parse_axis(vectors, "he - she"), parse_axis(vectors, "good - bad")
    words, unknown = choose_words(vectors, ["queen", "nobody", "KING"], n_frequent=2, include=["good"])
    assert words == ["queen", "king", "he", "she", "good"] and unknown == ["nobody"]
    placed = project_on_axes(vectors, x, y, words, centre=False)
    for word, (cx, cy) in zip(placed.words, placed.coords):
        assert cx == pytest.approx(float(vectors.vector(word) @ x.direction), abs=1e-6)
        assert cy == pytest.approx(float(vectors.vector(word) @ y.direction), abs=1e-6)
    centred = project_on_axes(vectors, x, y, words)  # the common direction removed, then cosine
    mean = np.asarray(vectors.unit, dtype=np.float64).mean(axis=0)
    for word, (cx, _) in zip(centred.words, centred.coords):
        assert cx == pytest.approx(float(unit(vectors.vector(word) - mean) @ x.direction), abs=1e-5)
    assert placed.axes_cosine == pytest.approx(float(x.direction @ y.direction), abs=1e-6)
    with pytest.raises(AxisError, match="No words"):
        project_on_axes(vectors, x, y, [])


def test_the_gender_direction_demo_works_on_the_english_sample(workspace: Workspace, trained_model: str) -> None:
    vectors = workspace.load_vectors(trained_model)
    x_text, y_text, demo_words = GENDER_DEMO
    words, unknown = choose_words(vectors, demo_words)
    assert unknown == []
    placed = project_on_axes(vectors, parse_axis(vectors, x_text), parse_axis(vectors, y_text), words)
    at = dict(zip(placed.words, placed.coords[:, 0]))
    pairs = list(zip(demo_words[0::2], demo_words[1::2]))
    assert sum(at[male] > at[female] for male, female in pairs) == len(pairs)  # every male word right of its pair
    royal = dict(zip(placed.words, placed.coords[:, 1]))
    assert min(royal["king"], royal["queen"]) > max(royal["man"], royal["woman"])
