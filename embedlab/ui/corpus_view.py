"""Advice drawn from a corpus's size: a warning when it is too small, and the Train form's starting values."""

from __future__ import annotations

import dataclasses
from typing import Any

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


#: GloVe's x_max by corpus size: the paper's 100 was tuned on billions of tokens; in a small corpus almost no
#: pair is seen 100 times, so every pair is down-weighted and rare pairs hardly count
GLOVE_SMALL_CORPUS_TOKENS = 1_000_000
GLOVE_X_MAX_SMALL, GLOVE_X_MAX_LARGE = 10.0, 100.0


def form_defaults(algorithm: str, params_cls: type, n_tokens: int) -> Any:
    """The Train form's starting values for this corpus: the parameter class's defaults, except GloVe's
    x_max, which follows the corpus size (10 under a million tokens, 100 above), as its help text says."""
    defaults = params_cls()
    if algorithm == "glove" and hasattr(defaults, "x_max"):
        x_max = GLOVE_X_MAX_SMALL if n_tokens < GLOVE_SMALL_CORPUS_TOKENS else GLOVE_X_MAX_LARGE
        defaults = dataclasses.replace(defaults, x_max=x_max)
    return defaults
