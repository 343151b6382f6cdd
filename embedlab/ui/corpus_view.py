"""The Corpus page's advice on a corpus (more of the page moves here with the page-state work)."""

from __future__ import annotations

#: below this many tokens, word vectors mostly reflect chance: a 1,327-line licence text (about
#: 10,000 tokens) gave every pair of words a similarity near 0.999
SMALL_CORPUS_TOKENS = 50_000


def size_warning(n_tokens: int) -> str | None:
    """A warning for a corpus too small to train anything meaningful (None if it is big enough)."""
    if n_tokens >= SMALL_CORPUS_TOKENS:
        return None
    return (f"This corpus is small ({n_tokens:,} tokens). Word vectors learn from how often words share "
            f"contexts, and below about {SMALL_CORPUS_TOKENS:,} tokens most of that is chance: expect "
            "neighbours that make no sense and similarities all close to 1. Fine for trying the app; "
            "for real results use a larger text (a million tokens or more).")
