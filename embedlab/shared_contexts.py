"""Why are two words close? The context words they share in the corpus, ranked by PMI or by count.

Word2Vec, GloVe and FastText all place two words near each other when they occur
in similar contexts, so the evidence for a pair of neighbours is the set of
context words both have. For a word ``w`` and a context word ``x``:

* ``c(w, x)``: how often ``x`` occurs within ``window`` tokens of ``w`` (either
  side, same line; every occurrence pair counts, see
  ``ConcordanceIndex.context_counts``);
* ``PMI(w, x) = log2( c(w, x) * N / (c(w) * c(x) * 2 * window) )``: how many
  times more often than chance ``x`` falls in ``w``'s context, in bits. The
  denominator is the expected count if the corpus's N tokens were shuffled:
  ``w``'s ``2 * window * c(w)`` context slots, each holding ``x`` with
  probability ``c(x) / N``.

A context is *shared* when both words have it at least ``min_count`` times. The
ranking by ``pmi`` scores a shared context by the smaller of its two PMIs (it
explains the closeness only if it is typical of both words, which demotes "the"
and "of"); by ``count`` it uses the smaller of the two co-occurrence counts.

For GloVe models the model's own input can be shown too: the rows of its
co-occurrence matrix X (1/distance weights, built by
``embedlab.train.glove_cooccur``) for the two words, which ``glove_entries``
reads from the matrix's CSR arrays (the caller builds the matrix; this module
never imports a trainer).

Pure: an index or arrays in, values out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from embedlab.concordance import ConcordanceError, ConcordanceIndex
from embedlab.i18n import _, N_

DEFAULT_WINDOW = 5
#: a shared context needs at least this many co-occurrences with each word (PMI of a count of 1 is noise)
DEFAULT_MIN_COUNT = 2
RANKINGS: dict[str, str] = {
    "pmi": N_("PMI (contexts typical of both words)"),
    "count": N_("co-occurrence count (frequent contexts, often function words)"),
}


@dataclass(frozen=True)
class SharedContexts:
    """The evidence for one pair of words, from one corpus."""

    word_a: str
    word_b: str
    count_a: int  # corpus frequency of each word
    count_b: int
    together: int  # how often b occurs within the window of a (= a within the window of b)
    window: int
    ranking: str
    min_count: int
    n_tokens: int
    n_shared: int  # contexts both words have at least min_count times
    n_contexts_a: int  # distinct contexts of each word (count >= min_count)
    n_contexts_b: int
    table: pd.DataFrame  # context, count, with_a, with_b, pmi_a, pmi_b, score; best first

    @property
    def overlap(self) -> float:
        """Share of the two words' distinct contexts that are shared (Jaccard; 0 when neither has any)."""
        union = self.n_contexts_a + self.n_contexts_b - self.n_shared
        return self.n_shared / union if union else 0.0


def pmi(pair_count: np.ndarray | float, count_w: float, count_x: np.ndarray | float, n_tokens: int,
        window: int) -> np.ndarray:
    """``log2(c(w, x) * N / (c(w) * c(x) * 2 * window))`` (see the module docstring); -inf where c(w, x) is 0."""
    pair = np.asarray(pair_count, dtype=np.float64)
    expected = count_w * np.asarray(count_x, dtype=np.float64) * 2.0 * window / n_tokens
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log2(pair / expected)


def shared_contexts(index: ConcordanceIndex, word_a: str, word_b: str, *, window: int = DEFAULT_WINDOW,
                    ranking: str = "pmi", min_count: int = DEFAULT_MIN_COUNT, n: int = 30,
                    exclude: Sequence[str] = ()) -> SharedContexts:
    """The contexts ``word_a`` and ``word_b`` share, best first (see the module docstring).

    The two words themselves are never listed as contexts (their co-occurrence is
    ``together``), nor are the words in ``exclude``.
    """
    if ranking not in RANKINGS:
        raise ConcordanceError(N_("Unknown ranking {ranking!r}; choose {rankings}."),
                               ranking=ranking, rankings=', '.join(RANKINGS))
    if min_count < 1:
        raise ConcordanceError(N_("The minimum count must be at least 1."))
    a, b = index.resolve(word_a), index.resolve(word_b)
    if a == b:
        raise ConcordanceError(N_("Pick two different words."))
    with_a = index.context_counts(a, window)
    with_b = index.context_counts(b, window)
    frequency = index.frequencies
    count_a, count_b = int(frequency[index.lookup[a]]), int(frequency[index.lookup[b]])
    together = int(with_a[index.lookup[b]])
    eligible_a, eligible_b = with_a >= min_count, with_b >= min_count
    for word in (a, b, *exclude):
        i = index.lookup.get(word)
        if i is not None:
            eligible_a[i] = eligible_b[i] = False
    shared = np.flatnonzero(eligible_a & eligible_b)
    pmi_a = pmi(with_a[shared], count_a, frequency[shared], index.n_tokens, window)
    pmi_b = pmi(with_b[shared], count_b, frequency[shared], index.n_tokens, window)
    if ranking == "pmi":
        score = np.minimum(pmi_a, pmi_b)
    else:
        score = np.minimum(with_a[shared], with_b[shared]).astype(np.float64)
    # best first; ties by the larger combined count, then alphabetically (ids are alphabetical)
    order = np.lexsort((shared, -(with_a[shared] + with_b[shared]), -score))[:max(n, 0)]
    rows = shared[order]
    table = pd.DataFrame({
        "context": [index.words[i] for i in rows],
        "count": frequency[rows].astype(np.int64),
        "with_a": with_a[rows], "with_b": with_b[rows],
        "pmi_a": np.round(pmi_a[order], 3), "pmi_b": np.round(pmi_b[order], 3),
        "score": np.round(score[order], 3),
    })
    return SharedContexts(a, b, count_a, count_b, together, window, ranking, min_count, index.n_tokens, int(shared.shape[0]),
                          int(np.count_nonzero(eligible_a)), int(np.count_nonzero(eligible_b)), table)


@dataclass(frozen=True)
class GloveEntries:
    """What a GloVe model was fitted to for two words: their rows of the co-occurrence matrix X."""

    word_a: str
    word_b: str
    x_ab: float  # X[a, b]: the pair's own entry (0 when they never co-occur)
    nonzeros_a: int
    nonzeros_b: int
    n_shared: int
    table: pd.DataFrame  # context, x_a, x_b, log_x_a, log_x_b; by min(x_a, x_b), best first


def glove_entries(indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, words: Sequence[str], word_a: str,
                  word_b: str, n: int = 30) -> GloveEntries:
    """The co-occurrence entries of two words from a CSR matrix over ``words`` (GloVe's X).

    GloVe fits ``w_a . w~_x + b_a + b~_x`` to ``log X[a, x]``, so two words whose
    rows have large entries in the same columns get similar vectors; the table
    lists those columns, ranked by the smaller of the two entries.
    """
    ids = {word: i for i, word in enumerate(words)}
    for word in (word_a, word_b):
        if word not in ids:
            raise ConcordanceError(N_("'{word}' is not in the GloVe co-occurrence vocabulary (it is below the model's "
                                      "minimum count, or outside its maximum vocabulary)."), word=word)
    a, b = ids[word_a], ids[word_b]

    def row(i: int) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(cols[indptr[i]:indptr[i + 1]], dtype=np.int64), np.asarray(vals[indptr[i]:indptr[i + 1]], dtype=np.float64)

    cols_a, vals_a = row(a)
    cols_b, vals_b = row(b)
    shared, in_a, in_b = np.intersect1d(cols_a, cols_b, assume_unique=True, return_indices=True)
    keep = (shared != a) & (shared != b)
    shared, x_a, x_b = shared[keep], vals_a[in_a][keep], vals_b[in_b][keep]
    order = np.lexsort((shared, -(x_a + x_b), -np.minimum(x_a, x_b)))[:max(n, 0)]
    x_ab = vals_a[cols_a == b]
    table = pd.DataFrame({
        "context": [words[int(i)] for i in shared[order]],
        "x_a": np.round(x_a[order], 3), "x_b": np.round(x_b[order], 3),
        "log_x_a": np.round(np.log(x_a[order]), 3), "log_x_b": np.round(np.log(x_b[order]), 3),
    })
    return GloveEntries(word_a, word_b, float(x_ab[0]) if x_ab.shape[0] else 0.0, int(cols_a.shape[0]),
                        int(cols_b.shape[0]), int(shared.shape[0]), table)


def describe(result: SharedContexts) -> str:
    """One plain sentence summing the evidence up (plain text: the caller escapes it for Markdown)."""
    if not result.n_shared:
        return _("'{word_a}' and '{word_b}' share no context word seen at least {min_count} time(s) within {window} "
                 "tokens of each.").format(word_a=result.word_a, word_b=result.word_b, min_count=result.min_count,
                                           window=result.window)
    top = ", ".join(result.table["context"].head(5))
    bits = result.table["score"].iloc[0] if result.ranking == "pmi" else None
    values = dict(word_a=result.word_a, count_a=result.count_a, word_b=result.word_b, count_b=result.count_b,
                  n_shared=result.n_shared, overlap=result.overlap, top=top, window=result.window,
                  together=result.together)
    if bits is not None and math.isfinite(bits):
        return _("'{word_a}' ({count_a:,} times) and '{word_b}' ({count_b:,} times) share {n_shared:,} context words "
                 "({overlap:.0%} of their distinct contexts); the strongest: {top} (the best at {bits:.1f} bits above "
                 "chance for both). They occur within {window} tokens of each other {together:,} times."
                 ).format(bits=bits, **values)
    return _("'{word_a}' ({count_a:,} times) and '{word_b}' ({count_b:,} times) share {n_shared:,} context words "
             "({overlap:.0%} of their distinct contexts); the strongest: {top}. They occur within {window} tokens of "
             "each other {together:,} times.").format(**values)
