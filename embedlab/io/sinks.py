"""Where a reader's rows go: one matrix in memory (``read_vectors``) or a workspace model's files (``import_vectors``).

The text and word2vec binary readers parse a file a block of rows at a time and hand
each block to a sink. ``MatrixSink`` fills one preallocated matrix, for callers that want
the vectors in memory. ``ModelSink`` is the import's: it drops repeated words as they
come, normalises each block and appends the raw and the unit rows to the draft model's
``raw.npy`` and ``unit.npy``, so a 400k x 300 import holds one block, never the matrix
(let alone the matrix and its unit copy, about twice its size, as it used to).

Both give the same model: ``vectors.unit_rows`` is the one normalisation, and the fingerprint is
``vectors.fingerprint_blocks`` of the raw rows, read back from the file for ``ModelSink``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from embedlab.rowfile import RowFile
from embedlab.vectors import fingerprint_blocks, unit_rows

if TYPE_CHECKING:
    from embedlab.records import Manifest
    from embedlab.workspace import ModelDraft


class RowSink(Protocol):
    """What a block-wise reader writes to."""

    def begin(self, rows: int, dims: int) -> None:
        """At most ``rows`` rows of ``dims`` values follow (blank lines and repeats may make them fewer)."""

    def add(self, words: list[str], block: np.ndarray) -> None:
        """The next rows of the file, in order. ``block`` is float32 and may be reused by the reader afterwards."""


class MatrixSink:
    """All rows in one preallocated float32 matrix, repeated words included (``assemble`` drops them)."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._matrix = np.empty((0, 0), dtype=np.float32)

    def begin(self, rows: int, dims: int) -> None:
        self._matrix = np.empty((rows, dims), dtype=np.float32)

    def add(self, words: list[str], block: np.ndarray) -> None:
        start = len(self.words)
        self._matrix[start:start + len(words)] = block
        self.words.extend(words)

    @property
    def matrix(self) -> np.ndarray:
        """The rows read (fewer than announced when blank lines were skipped: a view, not a copy)."""
        return self._matrix if len(self.words) == len(self._matrix) else self._matrix[:len(self.words)]


class ModelSink:
    """Rows straight into a workspace model's files: repeated words dropped (the first row kept), rows normalised
    and written a block at a time. ``draft`` is a ``workspace.ModelDraft``; ``finish`` completes it."""

    def __init__(self, draft: ModelDraft) -> None:
        self.draft = draft
        self.words: list[str] = []
        self.dropped = 0
        self.dims = 0
        self._seen: set[str] = set()
        self._norms: list[np.ndarray] = []
        self._raw: RowFile | None = None
        self._unit: RowFile | None = None

    def begin(self, rows: int, dims: int) -> None:
        self.dims = dims
        self.draft.needed = 8 * rows * dims + 4 * rows + 8 * rows  # raw and unit rows, norms, counts (words: more)
        self._raw = self.draft.row_file("raw", dims)
        self._unit = self.draft.row_file("unit", dims)

    def add(self, words: list[str], block: np.ndarray) -> None:
        assert self._raw is not None and self._unit is not None, "begin() first"
        seen = self._seen
        keep = []
        for i, word in enumerate(words):
            if word not in seen:
                seen.add(word)
                keep.append(i)
        if len(keep) < len(words):
            self.dropped += len(words) - len(keep)
            block = block[keep]
            words = [words[i] for i in keep]
        if not words:
            return
        block = np.ascontiguousarray(block, dtype=np.float32)
        norms, unit = unit_rows(block)
        self._raw.write(block)
        self._unit.write(unit)
        self._norms.append(norms)
        self.words.extend(words)

    def fingerprint(self) -> str:
        """``fingerprint_arrays(words, raw matrix)``, hashing the finished ``raw.npy`` a block at a time."""
        assert self._raw is not None, "begin() first"
        self._raw.close()
        return fingerprint_blocks(self.words, (len(self.words), self.dims), self._raw.chunks())

    def finish(self, manifest: Manifest | None = None) -> str:
        """Complete the draft model (norms, counts, words, ``manifest``) and rename it into place; returns its id."""
        fingerprint = self.fingerprint()
        norms = np.concatenate(self._norms) if self._norms else np.empty(0, dtype=np.float32)
        return self.draft.finish(self.words, self.dims, norms, np.zeros(len(self.words), dtype=np.int64), fingerprint,
                                 manifest=manifest)
