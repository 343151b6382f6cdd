"""Semantic axes: a map whose x and y axes are directions you name, such as ``he - she`` or ``good - bad``.

The Embedding Projector's "custom projection" and Parallax's formula axes: instead
of letting PCA or UMAP choose the plane, the user writes each axis as an
expression and every word is placed at its cosine similarity with each
direction. Words far right on a ``he - she`` axis are those the model puts on
the "he" side; that is the classic gender-direction demonstration (Bolukbasi et
al. 2016), and it shows what a model learned from its corpus, biases included.

An axis is written as

* an arithmetic expression, parsed as analogies are (``embedlab.analogy``):
  ``he - she``, ``king - man + woman``, ``good``; the direction is the sum of
  the added unit vectors minus the subtracted ones;
* or two word lists separated by ``|``: ``he, him, his | she, her, hers``; the
  direction is the mean of the first list minus the mean of the second (a
  steadier direction than one pair; either list may be empty).

Pure: vectors in, coordinates out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from embedlab.analogy import AnalogyError, parse_expression
from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.i18n import N_
from embedlab.vectors import WordVectors

#: words listed in one axis at most
MAX_AXIS_WORDS = 50
#: the gender-direction demonstration on the English sample (and any English model)
GENDER_DEMO = ("he - she", "king + queen - man - woman",
               ("king", "queen", "prince", "princess", "man", "woman", "boy", "girl", "father", "mother",
                "son", "daughter", "brother", "sister", "husband", "wife", "uncle", "aunt", "he", "she"))


class AxisError(EmbedlabError):
    """An axis expression that cannot be read or gives no direction."""


@dataclass(frozen=True, eq=False)
class Axis:
    """A named direction in the embedding space (unit length)."""

    text: str  # as the user wrote it
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    direction: np.ndarray  # (dim,) float32, unit length

    @property
    def label(self) -> str:
        """The axis as a readable formula: as typed ('king + queen - man - woman'), or 'mean(he, him) − mean(she, her)'."""
        if "|" in self.text:
            show = lambda ws: f"mean({', '.join(ws)})" if len(ws) > 1 else (ws[0] if ws else "0")  # noqa: E731
            return f"{show(self.positive)} − {show(self.negative)}"
        return " ".join(self.text.split())


def _known(vectors: WordVectors, word: str) -> str:
    """The vocabulary's spelling of ``word`` (itself, else lower case); unknown words raise with suggestions."""
    if word in vectors:
        return word
    if word.lower() in vectors:
        return word.lower()
    if vectors.subword is not None:
        return word  # FastText composes it from n-grams
    raise UnknownWordError(word, vectors.suggest(word))


def _split_list(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,;，；、]+", text.strip()) if w]


def parse_axis(vectors: WordVectors, text: str) -> Axis:
    """The direction an axis expression names (see the module docstring)."""
    text = (text or "").strip()
    if not text:
        raise AxisError(N_("Write an axis, e.g. 'he - she', 'good - bad' or 'he, him, his | she, her, hers'."))
    if "|" in text:
        if text.count("|") > 1:
            raise AxisError(N_("Use one '|' between the two word lists of {text!r}."), text=text)
        left, right = (_split_list(part) for part in text.split("|"))
        if not left and not right:
            raise AxisError(N_("Both word lists are empty: put words on at least one side of '|'."))
        positive = [_known(vectors, w) for w in left]
        negative = [_known(vectors, w) for w in right]
        direction = np.zeros(vectors.dim, dtype=np.float64)
        if positive:
            direction += np.mean([vectors.vector(w) for w in positive], axis=0)
        if negative:
            direction -= np.mean([vectors.vector(w) for w in negative], axis=0)
    else:
        try:
            plus, minus = parse_expression(text, vectors)
        except AnalogyError as error:
            raise AxisError(error.message_id, **error.params) from None
        positive = [_known(vectors, w) for w in plus]
        negative = [_known(vectors, w) for w in minus]
        direction = np.sum([vectors.vector(w) for w in positive], axis=0, dtype=np.float64)
        if negative:
            direction -= np.sum([vectors.vector(w) for w in negative], axis=0, dtype=np.float64)
    if len(positive) + len(negative) > MAX_AXIS_WORDS:
        raise AxisError(N_("At most {max_axis_words} words per axis."), max_axis_words=MAX_AXIS_WORDS)
    norm = float(np.linalg.norm(direction))
    if norm < 1e-6:
        raise AxisError(N_("{text!r} gives no direction (its words balance each other out). Use two different words or lists."),
                        text=text)
    return Axis(text, tuple(positive), tuple(negative), (direction / norm).astype(np.float32))


@dataclass(frozen=True, eq=False)
class AxisMap:
    """Words placed by their cosine similarity with two directions."""

    x: Axis
    y: Axis
    words: tuple[str, ...]
    coords: np.ndarray  # (n, 2) float32: cosine with x's and with y's direction
    axes_cosine: float  # cosine between the two directions (0: independent axes)

    def table(self) -> list[dict[str, object]]:
        return [{"word": w, "x": round(float(c[0]), 4), "y": round(float(c[1]), 4)} for w, c in zip(self.words, self.coords)]


def choose_words(vectors: WordVectors, words: Sequence[str] = (), n_frequent: int = 0,
                 include: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The words to place: the given ones (unknown ones reported, not fatal), the ``n_frequent`` most
    frequent, and ``include`` (the axes' own words); in that order, without repeats. Returns (words, unknown)."""
    chosen: dict[str, None] = {}
    unknown: list[str] = []
    for word in words:
        try:
            chosen[_known(vectors, word)] = None
        except UnknownWordError:
            unknown.append(word)
    for word in vectors.words[:max(n_frequent, 0)]:
        chosen[word] = None
    for word in include:
        chosen[word] = None
    return list(chosen), unknown


def common_direction(vectors: WordVectors, sample: int = 10_000) -> np.ndarray:
    """The mean unit vector of the (at most ``sample``) most frequent words: what all words share."""
    return np.asarray(vectors.unit[:sample], dtype=np.float64).mean(axis=0).astype(np.float32)


def project_on_axes(vectors: WordVectors, x: Axis, y: Axis, words: Sequence[str], centre: bool = True) -> AxisMap:
    """Each word's cosine similarity with the x and the y direction.

    ``centre`` first subtracts the vectors' common direction (``common_direction``)
    from each word and renormalises it. GloVe vectors in particular share a large
    common component, which otherwise gives every word the same sign on an axis
    whatever its meaning; the directions themselves (differences) are unchanged.
    """
    if not words:
        raise AxisError(N_("No words to place: search for some, or show the most frequent."))
    matrix = np.stack([vectors.vector(w) for w in words]).astype(np.float32)
    if centre:
        matrix = matrix - common_direction(vectors)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = matrix / np.where(norms > 0, norms, 1.0)
    coords = matrix @ np.stack([x.direction, y.direction], axis=1)
    return AxisMap(x, y, tuple(words), coords.astype(np.float32), float(np.dot(x.direction, y.direction)))
