"""Where the benchmarks find the shared text8 head: one lookup for every script.

The full-size runs use ``text8-head-2m.txt`` (2.14 M tokens of English Wikipedia, see
``shared/data/README.md``). It is not part of the repository, so each benchmark must also run
without it (a fresh clone): then it says so and uses its own fallback (gensim's Lee corpus, the
English sample or a generated Zipf corpus) with a label that says what the figures are worth.

Looked up, first match wins:

1. ``$EMBEDLAB_BENCH_CORPUS``: a file to use instead (it must exist), or ``none`` to run as a
   fresh clone does, without the shared corpus, wherever the checkout is;
2. ``shared/data/text8-head-2m.txt`` beside the repository (``../shared``), or beside the nearest
   folder above it that has one: a git worktree in ``ROOT/wt/NAME`` finds ``ROOT/shared``.

A private helper (``_`` prefix): ``run_all.py`` does not run it as a benchmark.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV_VAR = "EMBEDLAB_BENCH_CORPUS"
NAME = "text8-head-2m.txt"
#: how a table names a corpus generated here (random words: no analogy or similarity pair can mean anything)
GENERATED = "generated corpus, quality rows mean nothing"


def text8_head(repo: Path = REPO, environ: dict[str, str] | None = None) -> Path | None:
    """The shared text8 head, or None when there is none (a fresh clone without ``../shared``)."""
    environ = os.environ if environ is None else environ
    named = environ.get(ENV_VAR, "").strip()
    if named.lower() == "none":
        return None
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SystemExit(f"{ENV_VAR}={named} is not a file (unset it, or set it to 'none' to run without)")
        return path
    for folder in repo.resolve().parents:
        candidate = folder / "shared" / "data" / NAME
        if candidate.is_file():
            return candidate
    return None


def missing_note() -> str:
    """One line for stderr: why the shared corpus was not used and how to point at it."""
    if os.environ.get(ENV_VAR, "").strip().lower() == "none":
        return f"{ENV_VAR}=none: running without the shared {NAME}"
    return (f"the shared {NAME} is not beside this checkout (no shared/data/ in {REPO.parent} or above it; "
            f"set {ENV_VAR}=FILE to name it)")
