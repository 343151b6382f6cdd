"""``WordVectors``: the one immutable vector store every analysis reads.

Trainers produce it, ``io`` loads and saves it, search/analogy/projection/compare
consume it. It holds unit-normalised float32 rows (what cosine similarity wants)
plus the raw norms (so the original vectors can be rebuilt and exported), word
counts when known, and a content fingerprint that caches key on, never on the
array itself.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.i18n import N_
from embedlab.subword import SubwordModel

#: how many of the most frequent words ``suggest`` scans: difflib is quadratic-ish,
#: and a misspelt query almost always means a frequent word.
SUGGESTION_SCAN_LIMIT = 50_000


def fingerprint_arrays(words: Sequence[str], matrix: np.ndarray) -> str:
    """A short content hash of words and vectors: equal content, equal fingerprint."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    return fingerprint_blocks(words, matrix.shape, [matrix])


def fingerprint_blocks(words: Sequence[str], shape: tuple[int, int], blocks: Iterable[Any]) -> str:
    """``fingerprint_arrays`` of a float32 matrix given as its rows' bytes a block at a time (contiguous arrays or
    buffers, in row order): a model read or written block by block gets the fingerprint it would get held whole."""
    digest = hashlib.blake2b(digest_size=10)
    digest.update("\n".join(words).encode("utf-8"))
    digest.update(str(tuple(int(n) for n in shape)).encode())
    for block in blocks:
        digest.update(block)
    return digest.hexdigest()


def unit_rows(block: np.ndarray, out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Row lengths and unit rows of a float32 block (zero rows stay zero): the one normalisation, so equal raw
    rows give equal unit rows whichever path (trained, read whole, streamed to disk) made them."""
    norms = np.linalg.norm(block, axis=1).astype(np.float32)
    unit = np.divide(block, np.where(norms > 0, norms, 1.0).astype(np.float32)[:, None], out=out)
    return norms, unit


def _word_rows(words: tuple[str, ...]) -> dict[str, int]:
    """Word -> row. Most of the time a big model takes to open: ``dict(zip(...))`` builds it in C, about a fifth
    faster than a comprehension (0.29 s against 0.38 s for 1M words on a busy core)."""
    return dict(zip(words, range(len(words))))


def _readonly(array: np.ndarray) -> np.ndarray:
    if array.flags.writeable:
        array = array.view()
        array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class WordVectors:
    """Words and their vectors, immutable.

    >>> wv = WordVectors.from_matrix(["a", "b"], np.array([[3.0, 4.0], [1.0, 0.0]]))
    >>> wv.unit[0].tolist(), float(wv.norms[0])
    ([0.6000000238418579, 0.800000011920929], 5.0)
    >>> wv.similarity("a", "b")
    0.6
    """

    words: tuple[str, ...]
    unit: np.ndarray  # (n, dim) float32, rows of length 1 (zero rows stay zero)
    norms: np.ndarray  # (n,) float32, original row lengths
    counts: np.ndarray  # (n,) int64 corpus frequencies; zeros when unknown
    fingerprint: str
    subword: SubwordModel | None = None
    index: dict[str, int] = field(repr=False, default_factory=dict)
    #: the vectors exactly as trained or read (float32), when known: exports write these bits, so an
    #: export read back gives the very same unit vectors, norms and fingerprint (``unit * norms`` is
    #: only within rounding of them). None for models saved before raw vectors were kept.
    raw_matrix: np.ndarray | None = field(repr=False, default=None)

    @classmethod
    def from_matrix(
        cls,
        words: Iterable[str],
        matrix: np.ndarray,
        counts: np.ndarray | Sequence[int] | None = None,
        subword: SubwordModel | None = None,
    ) -> "WordVectors":
        """Build from raw vectors; normalises a float32 copy and fingerprints the content (the raw copy is kept)."""
        words = tuple(words)
        matrix = np.array(matrix, dtype=np.float32)  # a copy: the caller may change its array later
        if matrix.ndim != 2 or matrix.shape[0] != len(words):
            raise EmbedlabError(N_("Expected one vector per word: {n_words} words but a matrix of shape {shape}."),
                                n_words=len(words), shape=matrix.shape)
        if not np.isfinite(matrix).all():
            raise EmbedlabError(N_("The vectors contain NaN or infinite values."))
        index = _word_rows(words)
        if len(index) != len(words):
            seen: set[str] = set()
            dupes = [w for w in words if w in seen or seen.add(w)]
            raise EmbedlabError(N_("The vocabulary repeats {n_dupes} word(s), e.g. {examples}."),
                                n_dupes=len(dupes), examples=dupes[:3])
        norms, unit = unit_rows(matrix)
        counts_arr = np.zeros(len(words), dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
        return cls(
            words=words,
            unit=_readonly(unit),
            norms=_readonly(norms),
            counts=_readonly(counts_arr),
            fingerprint=fingerprint_arrays(words, matrix),
            subword=subword,
            index=index,
            raw_matrix=_readonly(matrix),
        )

    @classmethod
    def from_parts(
        cls,
        words: Sequence[str],
        unit: np.ndarray,
        norms: np.ndarray,
        counts: np.ndarray,
        fingerprint: str,
        subword: SubwordModel | None = None,
        raw: np.ndarray | None = None,
    ) -> "WordVectors":
        """Reassemble already-normalised parts (e.g. memory-mapped from the workspace) without copying."""
        words = tuple(words)
        return cls(words, _readonly(unit), _readonly(norms), _readonly(np.asarray(counts)), fingerprint, subword,
                   _word_rows(words), None if raw is None else _readonly(raw))

    # -- shape -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.words)

    @property
    def dim(self) -> int:
        return int(self.unit.shape[1])

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def raw(self) -> np.ndarray:
        """The original (un-normalised) vectors, as trained or loaded (bit-exact when ``raw_matrix`` is kept)."""
        if self.raw_matrix is not None:
            return np.asarray(self.raw_matrix)
        return self.unit * self.norms[:, None]

    # -- lookup ------------------------------------------------------------
    def suggest(self, word: str, n: int = 5) -> list[str]:
        """Known words spelt most like ``word`` (for 'did you mean' messages)."""
        candidates = self.words[:SUGGESTION_SCAN_LIMIT]
        return difflib.get_close_matches(word, candidates, n=n, cutoff=0.6)

    def index_of(self, word: str) -> int:
        """Row of an in-vocabulary word; ``UnknownWordError`` with suggestions otherwise."""
        try:
            return self.index[word]
        except KeyError:
            raise UnknownWordError(word, self.suggest(word)) from None

    def vector(self, word: str, *, unit: bool = True) -> np.ndarray:
        """A word's vector; FastText models compose one for unseen words from n-grams."""
        i = self.index.get(word)
        if i is not None:
            return self.unit[i] if unit else self.unit[i] * self.norms[i]
        if self.subword is not None:
            composed = self.subword.compose(word)
            if composed is not None:
                if not unit:
                    return composed
                norm = float(np.linalg.norm(composed))
                return composed / norm if norm > 0 else composed
        raise UnknownWordError(word, self.suggest(word))

    def composed_ngrams(self, word: str) -> tuple[str, ...] | None:
        """The n-grams FastText composes ``word``'s vector from; None for a known word or a model without n-grams.

        Whoever answers a query for ``word`` says so when this is not None (``subword.composed_note``):
        the answer then comes from spelling, not from the word's own contexts.
        """
        if word in self.index or self.subword is None or self.subword.compose(word) is None:
            return None
        return tuple(self.subword.ngrams(word))

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words (rounded to float32 precision)."""
        return round(float(np.dot(self.vector(a), self.vector(b))), 6)

    # -- derived sets ------------------------------------------------------
    def subset(self, words: Iterable[str]) -> "WordVectors":
        """The given words (which must be known), in the given order."""
        rows = np.array([self.index_of(w) for w in words], dtype=np.int64)
        return self.take(rows)

    def take(self, rows: np.ndarray) -> "WordVectors":
        rows = np.asarray(rows, dtype=np.int64)
        return WordVectors.from_matrix([self.words[i] for i in rows], self.raw()[rows], self.counts[rows], self.subword)

    def top(self, n: int) -> "WordVectors":
        """The first ``n`` words (trainers and loaders store words by descending frequency)."""
        return self if n >= len(self) else self.take(np.arange(n))

    def shared_words(self, other: "WordVectors") -> list[str]:
        """Words both models know, in this model's order."""
        return [w for w in self.words if w in other.index]
