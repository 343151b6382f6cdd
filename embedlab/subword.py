"""FastText's out-of-vocabulary composition, kept with the vectors.

A FastText model can give a vector to a word it never saw: the mean of the
vectors of the word's hashed character n-grams. We keep just the n-gram matrix
and the hashing settings (not gensim's pickled model), so a saved FastText model
still answers OOV queries after a reload, and nothing is ever unpickled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from embedlab.i18n import N_, Message

#: what the app and the CLI say when FastText answers a word it never saw: one wording, one translation
COMPOSED_NOTE = N_("“{word}” is not in the vocabulary. FastText composed its vector from the mean of its "
                   "{n} character n-grams: {ngrams}")


def composed_note(word: str, ngrams: Sequence[str], escape: Callable[[str], str] = str) -> Message:
    """The note shown beside an answer for a word composed from ``ngrams`` (shown in the reader's language).

    ``escape`` treats the user's word and its n-grams as data where the note is rendered
    (``textsafe.md`` for Streamlit's Markdown; the terminal prints them as they are).
    """
    return Message(COMPOSED_NOTE, word=escape(word), n=len(ngrams), ngrams=escape(" ".join(ngrams)))


@dataclass(frozen=True, eq=False)
class SubwordModel:
    """Hashed character n-gram vectors: ``ngram_vectors[hash(ngram) % bucket]``."""

    ngram_vectors: np.ndarray  # (bucket, dim) float32
    min_n: int
    max_n: int

    @property
    def bucket(self) -> int:
        return int(self.ngram_vectors.shape[0])

    def ngrams(self, word: str) -> list[str]:
        """The n-grams (with FastText's ``<`` and ``>`` word-boundary marks) a vector is built from."""
        from gensim.models.fasttext import compute_ngrams  # gensim costs ~1 s to import: only when asked

        return list(compute_ngrams(word, self.min_n, self.max_n))

    def compose(self, word: str) -> np.ndarray | None:
        """The raw (not normalised) vector gensim would give this OOV word, or None without n-grams."""
        from gensim.models.fasttext import ft_ngram_hashes

        hashes = ft_ngram_hashes(word, self.min_n, self.max_n, self.bucket)
        if not hashes:
            return None
        return self.ngram_vectors[np.asarray(hashes, dtype=np.int64)].mean(axis=0, dtype=np.float32)
