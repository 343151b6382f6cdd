"""Keyword in context (KWIC): every line of a prepared corpus where a word occurs, over an on-disk index.

A concordance answers "where does this word come from?": the lines behind a
vector. Scanning ``tokens.txt`` for every query would take seconds on the text8
head (2 M tokens), so a prepared corpus gets an index, written once (when the
corpus is prepared, or on first use) and memory-mapped afterwards:

* ``words.json``: the corpus's distinct tokens in code-point order, so a token id's
  order *is* the alphabetical order and sorting lines by their left or right
  context is a numeric sort of ids;
* ``ids.npy``: the whole corpus as int32 token ids, one after another;
* ``lines.npy``: where each line of ``tokens.txt`` starts in ``ids`` (int64, one more
  than the number of lines), so contexts never run across a line;
* ``postings.npy`` + ``starts.npy``: an inverted index, every position of word ``i``
  at ``postings[starts[i]:starts[i + 1]]``, in corpus order.

A query is then one dictionary lookup, a slice of ``postings``, a sort of at most
the word's occurrences (three context ids a line) and gathers for the page shown.
About 8 bytes a token on disk (ids and postings); measured in
``benchmarks/why.py``.

This module is pure: it reads and writes the folder it is given, and the store
(``embedlab.workspace``) decides where that folder lives.
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
import tempfile
import time
from array import array
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.i18n import _, N_
from embedlab.ownership import scratch_prefix
from embedlab.progress import CancelToken, ProgressFn, check, no_progress

#: bump when the files change, so an old index is rebuilt instead of misread
INDEX_VERSION = 1
#: context words shown on each side of the keyword by default
DEFAULT_WIDTH = 8
MAX_WIDTH = 50
#: lines per page at most (the page offers far fewer; this bounds a CLI request)
MAX_LIMIT = 10_000
#: the words on each side the left/right sorts compare, nearest first
SORT_DEPTH = 3
#: lines of tokens.txt read at a time while building
READ_BYTES = 4 * 1024**2

Sort = Literal["corpus", "left", "right"]
SORTS: dict[str, str] = {
    "corpus": N_("corpus order"),
    "right": N_("right context (the word after, then the next)"),
    "left": N_("left context (the word before, then the one before it)"),
}


class ConcordanceError(EmbedlabError):
    """A word that does not occur in the corpus, or a request that cannot be answered."""


class _Ids(dict):
    """token -> id, numbering a token the first time it is seen (``__missing__`` keeps the loop in C)."""

    def __missing__(self, token: str) -> int:
        value = self[token] = len(self)
        return value


def build_index(tokens_path: Path, folder: Path, fingerprint: str = "", on_progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None) -> "ConcordanceIndex":
    """Index ``tokens_path`` (one sentence a line, tokens space-separated) into ``folder``.

    The index is written to a temporary folder beside ``folder`` and renamed into
    place, so a cancelled or failed build never leaves a half-written index that
    looks complete. Returns the index, opened from disk.
    """
    started = time.perf_counter()
    tokens_path, folder = Path(tokens_path), Path(folder)
    size = max(tokens_path.stat().st_size, 1)
    numbering = _Ids()
    get = numbering.__getitem__
    ids = array("i")
    line_starts = array("q", [0])
    read = 0
    with open(tokens_path, encoding="utf-8") as handle:
        while True:
            check(cancel)
            lines = handle.readlines(READ_BYTES)
            if not lines:
                break
            for line in lines:
                tokens = line.split()
                if tokens:  # prepared corpora have no empty lines; a hand-made file may
                    ids.extend(map(get, tokens))
                    line_starts.append(len(ids))
                read += len(line)
            on_progress(min(read / size, 1.0), 1.0, _("Indexing the corpus: {n_tokens:,} tokens").format(
                n_tokens=len(ids)))
    if len(ids) >= 2**31 - 1:
        raise ConcordanceError(N_("This corpus has more than 2 billion tokens, more than a concordance index holds."))
    first_seen = list(numbering)
    order = sorted(range(len(first_seen)), key=first_seen.__getitem__)  # alphabetical (code points)
    rank = np.empty(len(first_seen), dtype=np.int32)
    rank[order] = np.arange(len(first_seen), dtype=np.int32)
    token_ids = rank[np.frombuffer(ids, dtype=np.int32)] if len(ids) else np.empty(0, np.int32)
    del ids
    postings = np.argsort(token_ids, kind="stable").astype(np.int32)
    starts = np.zeros(len(first_seen) + 1, dtype=np.int64)
    np.cumsum(np.bincount(token_ids, minlength=len(first_seen)), out=starts[1:])
    words = [first_seen[i] for i in order]
    check(cancel)

    folder.parent.mkdir(parents=True, exist_ok=True)
    # marked with this process: a crash's leftover is swept at the next start, a build running elsewhere is not
    building = Path(tempfile.mkdtemp(dir=folder.parent, prefix=scratch_prefix(folder.name, "building")))
    os.chmod(building, 0o755)  # mkdtemp makes it private; the index is as readable as the corpus
    try:
        np.save(building / "ids.npy", token_ids)
        np.save(building / "lines.npy", np.frombuffer(line_starts, dtype=np.int64))
        np.save(building / "postings.npy", postings)
        np.save(building / "starts.npy", starts)
        (building / "words.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        meta = {"version": INDEX_VERSION, "fingerprint": fingerprint, "n_tokens": int(token_ids.shape[0]),
                "n_lines": len(line_starts) - 1, "n_types": len(words),
                "build_s": round(time.perf_counter() - started, 3)}
        (building / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if folder.exists():  # an outdated index: move it aside first, so the rename below cannot fail
            stale = folder.with_name(f"{scratch_prefix(folder.name, 'stale')}{time.monotonic_ns()}")
            os.replace(folder, stale)
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(building, folder)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    on_progress(1.0, 1.0, _("Indexed {n_tokens:,} tokens, {n_types:,} distinct").format(
        n_tokens=meta['n_tokens'], n_types=meta['n_types']))
    return ConcordanceIndex.open(folder)


def index_is_current(folder: Path, fingerprint: str = "") -> bool:
    """Whether ``folder`` holds a complete index of this version (and of this corpus, if a fingerprint is given)."""
    try:
        meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("version") == INDEX_VERSION and (not fingerprint or meta.get("fingerprint") == fingerprint)


def index_bytes(folder: Path) -> int:
    """The index's size on disk."""
    return sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file())


@dataclass(frozen=True)
class ConcordanceLine:
    """One occurrence: ``left`` and ``right`` are the context tokens, nearest last and first respectively."""

    position: int  # token offset in the corpus
    line: int  # line of tokens.txt, 0-based
    left: tuple[str, ...]
    word: str
    right: tuple[str, ...]


@dataclass(frozen=True)
class ConcordancePage:
    """One page of a concordance, and the counts that describe all of it."""

    word: str
    total: int  # occurrences of the word in the corpus
    n_lines: int  # distinct lines it occurs on
    offset: int
    sort: str
    lines: tuple[ConcordanceLine, ...]
    left_words: tuple[tuple[str, int], ...]  # the commonest words just before it, with counts
    right_words: tuple[tuple[str, int], ...]  # ... and just after it

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.lines) < self.total


@dataclass(frozen=True, eq=False)
class ConcordanceIndex:
    """A memory-mapped concordance index (see the module docstring). Immutable; safe to share between threads."""

    folder: Path
    words: tuple[str, ...]
    ids: np.ndarray  # int32 (n_tokens,)
    line_starts: np.ndarray  # int64 (n_lines + 1,)
    postings: np.ndarray  # int32 (n_tokens,)
    starts: np.ndarray  # int64 (n_types + 1,)
    fingerprint: str = ""

    @classmethod
    def open(cls, folder: Path) -> "ConcordanceIndex":
        folder = Path(folder)
        if not index_is_current(folder):
            raise ConcordanceError(N_("No concordance index in {folder} (or one written by another version)."),
                                   folder=folder)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        load = lambda name: np.load(folder / name, mmap_mode="r", allow_pickle=False)  # noqa: E731
        words = tuple(json.loads((folder / "words.json").read_text(encoding="utf-8")))
        return cls(folder, words, load("ids.npy"), load("lines.npy"), load("postings.npy"), load("starts.npy"),
                   meta.get("fingerprint", ""))

    # -- vocabulary ------------------------------------------------------------------------------
    @cached_property
    def lookup(self) -> dict[str, int]:
        return {word: i for i, word in enumerate(self.words)}

    @property
    def n_tokens(self) -> int:
        return int(self.ids.shape[0])

    @property
    def n_lines(self) -> int:
        return int(self.line_starts.shape[0]) - 1

    @cached_property
    def frequencies(self) -> np.ndarray:
        """Each word's number of occurrences (int64, id order)."""
        return np.diff(np.asarray(self.starts))

    def __contains__(self, word: object) -> bool:
        return word in self.lookup

    def resolve(self, word: str) -> str:
        """The corpus's spelling of ``word``: itself, else its lower case (prepared corpora are usually lower-cased).

        Raises ``ConcordanceError`` naming similar corpus words when neither occurs.
        """
        word = (word or "").strip()
        if not word:
            raise ConcordanceError(N_("Type a word to look up."))
        for candidate in (word, word.lower()):
            if candidate in self.lookup:
                return candidate
        near = self.suggest(word)
        if near:
            raise ConcordanceError(N_("'{word}' does not occur in this corpus. Corpus words starting like it: {near}."),
                                   word=word, near=", ".join(near))
        raise ConcordanceError(N_("'{word}' does not occur in this corpus."), word=word)

    def suggest(self, word: str, n: int = 5) -> list[str]:
        """Corpus words sharing the longest prefix with ``word`` (a sorted vocabulary makes this a bisection)."""
        for prefix in (word, word.lower()):
            for length in range(len(prefix), 0, -1):
                start = bisect.bisect_left(self.words, prefix[:length])
                found = [w for w in self.words[start:start + n] if w.startswith(prefix[:length])]
                if found:
                    return found
        return []

    def count(self, word: str) -> int:
        i = self.lookup.get(word)
        return 0 if i is None else int(self.starts[i + 1] - self.starts[i])

    def positions(self, word: str) -> np.ndarray:
        """Every position of ``word`` in the corpus, ascending (int64); empty when it does not occur."""
        i = self.lookup.get(word)
        if i is None:
            return np.empty(0, dtype=np.int64)
        return np.asarray(self.postings[self.starts[i]:self.starts[i + 1]], dtype=np.int64)

    def line_bounds(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each position: its line, and that line's first and one-past-last positions."""
        line = np.searchsorted(self.line_starts, positions, side="right") - 1
        return line, np.asarray(self.line_starts[line]), np.asarray(self.line_starts[line + 1])

    # -- queries ---------------------------------------------------------------------------------
    def context_ids(self, positions: np.ndarray, offset: int) -> np.ndarray:
        """The token id ``offset`` places from each position (negative: to the left), -1 beyond the line."""
        _, first, end = self.line_bounds(positions)
        target = positions + offset
        inside = (target >= first) & (target < end)
        out = np.full(positions.shape[0], -1, dtype=np.int64)
        out[inside] = self.ids[target[inside]]
        return out

    def search(self, word: str, *, sort: str = "corpus", offset: int = 0, limit: int = 20,
               width: int = DEFAULT_WIDTH, n_words: int = 10) -> ConcordancePage:
        """One page of ``word``'s concordance.

        ``sort``: ``corpus`` (order of occurrence), ``right`` (by the word after it,
        then the next, then the next; a line end sorts last) or ``left`` (by the
        word before it, then the one before that...). Ties keep corpus order.
        ``width`` context tokens are shown on each side, never across a line.
        """
        if sort not in SORTS:
            raise ConcordanceError(N_("Unknown sort {sort!r}; choose {sorts}."), sort=sort, sorts=', '.join(SORTS))
        if not 0 <= width <= MAX_WIDTH:
            raise ConcordanceError(N_("The context width must be between 0 and {max_width} tokens."),
                                   max_width=MAX_WIDTH)
        if not 1 <= limit <= MAX_LIMIT:
            raise ConcordanceError(N_("Lines per page must be between 1 and {max_limit:,}."), max_limit=MAX_LIMIT)
        if offset < 0:
            raise ConcordanceError(N_("The page offset cannot be negative."))
        word = self.resolve(word)
        positions = self.positions(word)
        total = int(positions.shape[0])
        lines, _, _ = self.line_bounds(positions)
        n_lines = int(np.count_nonzero(np.diff(lines))) + 1 if total else 0
        before = self.context_ids(positions, -1)
        after = self.context_ids(positions, +1)
        if sort != "corpus":
            step = 1 if sort == "right" else -1
            keys = [self.context_ids(positions, step * depth) for depth in range(SORT_DEPTH, 0, -1)]
            for key in keys:  # a line end sorts after every word, so full contexts come first
                key[key < 0] = len(self.words)
            # lexsort: the last key is the primary one; positions are ascending, so a stable sort keeps corpus order
            order = np.lexsort(keys)
            chosen = order[offset:offset + limit]
        else:
            chosen = np.arange(offset, min(offset + limit, total))
        page = tuple(self._line(int(positions[i]), int(lines[i]), width) for i in chosen)
        return ConcordancePage(word, total, n_lines, offset, sort, page,
                               self._commonest(before, n_words), self._commonest(after, n_words))

    def _line(self, position: int, line: int, width: int) -> ConcordanceLine:
        first, end = int(self.line_starts[line]), int(self.line_starts[line + 1])
        words = self.words
        left = tuple(words[i] for i in self.ids[max(first, position - width):position])
        right = tuple(words[i] for i in self.ids[position + 1:min(end, position + 1 + width)])
        return ConcordanceLine(position, line, left, words[int(self.ids[position])], right)

    def _commonest(self, ids: np.ndarray, n: int) -> tuple[tuple[str, int], ...]:
        ids = ids[ids >= 0]
        if not ids.shape[0] or n <= 0:
            return ()
        values, counts = np.unique(ids, return_counts=True)
        top = np.lexsort((values, -counts))[:n]  # most frequent first, ties alphabetical
        return tuple((self.words[int(values[i])], int(counts[i])) for i in top)

    def context_counts(self, word: str, window: int) -> np.ndarray:
        """How often each corpus word occurs within ``window`` tokens of ``word`` (either side, same line).

        int64 of length ``len(words)``, id order. Every occurrence pair counts once
        per position: a word two places to the left of two different occurrences
        counts twice.
        """
        if window < 1:
            raise ConcordanceError(N_("The context window must be at least one token."))
        positions = self.positions(word)
        counts = np.zeros(len(self.words), dtype=np.int64)
        if not positions.shape[0]:
            return counts
        _, first, end = self.line_bounds(positions)
        for offset in range(-window, window + 1):
            if offset == 0:
                continue
            target = positions + offset
            target = target[(target >= first) & (target < end)]
            counts += np.bincount(np.asarray(self.ids[target]), minlength=len(self.words))
        return counts


def format_line(line: ConcordanceLine, joiner: str = " ") -> tuple[str, str, str]:
    """Left context, keyword and right context as display strings (``joiner``: ``""`` for Chinese)."""
    return joiner.join(line.left), line.word, joiner.join(line.right)


def joiner_for(tokenizer: str) -> str:
    """How tokens are written back together: Chinese has no spaces between words."""
    return "" if tokenizer == "chinese" else " "
