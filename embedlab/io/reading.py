"""Any supported file in, ``WordVectors`` out: detect, dispatch to the format's reader, assemble.

The readers fill one writable float32 matrix (the text and binary ones through a
``sinks.MatrixSink``), kept as the raw vectors; ``assemble`` computes the unit rows,
norms and fingerprint in row blocks instead of ``WordVectors.from_matrix``'s whole-matrix
temporaries. The fingerprint equals ``fingerprint_arrays(words, raw matrix)``, the same
as a trained model's. An import does not come through here for the ``STREAMED``
formats: ``importer`` hands ``read_rows`` a sink that writes the model's files as it reads.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from embedlab.errors import EmbedlabError, FileTooLargeError, VectorFormatError
import embedlab.io.formats as fmt
from embedlab.i18n import N_
from embedlab.io.sinks import MatrixSink, RowSink
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.subword import SubwordModel
from embedlab.vectors import WordVectors, fingerprint_blocks, unit_rows

ROW_CHUNK = 8192  # rows normalised and hashed at a time: bounded temporaries (10 MB at 300 dims)
#: the formats read a block of rows at a time into a sink (an import writes them straight to disk)
STREAMED = (fmt.WORD2VEC_TEXT, fmt.GLOVE, fmt.WORD2VEC_BINARY)


@dataclass
class Loaded:
    """What a file held: the vectors, the format it was in, and facts for the manifest."""

    vectors: WordVectors
    format: str
    info: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)  # only .npz files carry one


def assemble(words: list[str], matrix: np.ndarray, counts: np.ndarray | None = None,
             subword: SubwordModel | None = None) -> tuple[WordVectors, int]:
    """``WordVectors`` over ``matrix`` (kept as the raw vectors; the unit vectors are a second array).

    Repeated words keep their first row. The raw rows are kept so that an export of ours
    read back is bit-exact (same unit vectors, norms and fingerprint as the model exported).

    Returns the vectors and how many repeated rows were dropped (real files have a few).
    """
    first: dict[str, int] = {}
    for i, word in enumerate(words):
        first.setdefault(word, i)
    dropped = len(words) - len(first)
    if dropped:
        rows = np.fromiter(first.values(), dtype=np.int64, count=len(first))
        matrix = matrix[rows]
        words = [words[i] for i in rows]
        counts = None if counts is None else counts[rows]
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if not matrix.flags.writeable:
        matrix = matrix.copy()
    norms = np.empty(len(words), dtype=np.float32)
    unit = np.empty_like(matrix)

    def normalised_blocks() -> Iterator[np.ndarray]:  # one pass: each block is normalised, then hashed
        for start in range(0, len(words), ROW_CHUNK):
            block = matrix[start:start + ROW_CHUNK]
            norms[start:start + ROW_CHUNK], _ = unit_rows(block, out=unit[start:start + ROW_CHUNK])
            yield block

    fingerprint = fingerprint_blocks(words, matrix.shape, normalised_blocks())
    if counts is None:
        counts = np.zeros(len(words), dtype=np.int64)
    return WordVectors.from_parts(words, unit, norms, np.asarray(counts, dtype=np.int64), fingerprint,
                                  subword, raw=matrix), dropped


def resolve_format(path: Path, format: str | None, name: str = "", limit: int | None = None) -> str:
    """The format a file will be read as: ``format`` if given (a fastText ``.bin`` is always one), else detected.

    Refuses unknown formats and a row limit below 1 before anything is read.
    """
    detected = fmt.detect_format(path, name)
    format = format or detected
    if format not in fmt.FORMAT_LABELS:
        raise EmbedlabError(N_("Unknown format {format!r}; choose one of {format_labels}."),
                            format=format, format_labels=', '.join(fmt.FORMAT_LABELS))
    if limit is not None and limit < 1:
        raise EmbedlabError(N_("The number of rows to load must be at least 1 (or empty for all)."))
    if detected == fmt.FASTTEXT_BIN and format != fmt.FASTTEXT_BIN:
        format = fmt.FASTTEXT_BIN  # its magic number is unambiguous
    return format


def read_rows(path: Path, format: str, sink: RowSink, label: str = "The file", limit: int | None = None,
              on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> dict[str, Any]:
    """Parse a file of a ``STREAMED`` format block by block into ``sink``; returns facts for the manifest."""
    if format in (fmt.WORD2VEC_TEXT, fmt.GLOVE):
        from embedlab.io.text import read_text

        return read_text(path, format == fmt.WORD2VEC_TEXT, label, limit, on_progress, cancel, sink=sink)
    if format == fmt.WORD2VEC_BINARY:
        from embedlab.io.binary import read_binary

        return read_binary(path, label, limit, on_progress, cancel, sink=sink)
    raise ValueError(f"{format} is not read row block by row block")


def read_vectors(
    path: Path | str,
    format: str | None = None,
    *,
    name: str = "",
    limit: int | None = None,
    metadata: Path | str | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Loaded:
    """Read a vector file of any supported format (detected from content when ``format`` is None).

    ``name`` (the user's file name) is only used in messages; ``limit`` keeps the
    first rows; ``metadata`` is the Embedding Projector's labels file.
    """
    path = Path(path)
    label = fmt.file_label(name)
    format = resolve_format(path, format, name, limit)
    if format in (fmt.NPZ, fmt.PROJECTOR) and _is_bundle(path):
        return _read_bundle(path, format, label, limit, metadata, on_progress, cancel)
    info: dict[str, Any]
    counts = subword = None
    stored: dict[str, Any] = {}
    if format in STREAMED:
        sink = MatrixSink()
        info = read_rows(path, format, sink, label, limit, on_progress, cancel)
        words, matrix = sink.words, sink.matrix
    elif format == fmt.FASTTEXT_BIN:
        from embedlab.io.fasttext_bin import read_fasttext_bin

        words, matrix, counts, subword, info = read_fasttext_bin(path, label, limit, on_progress, cancel)
    elif format == fmt.PROJECTOR:
        from embedlab.io.projector import read_metadata, read_projector_vectors

        matrix, in_file = read_projector_vectors(path, name or "vectors.tsv", limit, on_progress, cancel)
        words, counts = read_metadata(Path(metadata) if metadata else None, len(matrix))
        info = {"rows_in_file": in_file, "dims": matrix.shape[1], "metadata": bool(metadata)}
    else:
        from embedlab.io.native import read_npz

        words, matrix, counts, subword, stored = read_npz(path, label, limit)
        info = {"rows_in_file": None, "dims": matrix.shape[1]}
        if not np.isfinite(matrix).all():
            bad = int(np.flatnonzero(~np.isfinite(matrix).all(axis=1))[0])
            raise VectorFormatError(N_("{label}, row {row:,} ({word!r}): NaN or infinite values."),
                                    label=label, row=bad + 1, word=words[bad])
    if len(words) == 0:
        raise VectorFormatError(N_("{label} holds no vectors."), label=label)
    vectors, dropped = assemble(words, matrix, counts, subword)
    info["duplicates_dropped"] = dropped
    return Loaded(vectors, format, info, stored)


def _is_bundle(path: Path) -> bool:
    """A zip of our export bundles (an ``.npz`` + manifest, or the projector pair), not a bare ``.npz``."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return not any(n.endswith(".npy") for n in archive.namelist())


def _read_bundle(path: Path, format: str, label: str, limit: int | None, metadata: Path | str | None,
                 on_progress: ProgressFn, cancel: CancelToken | None) -> Loaded:
    """Unpack the bundle's members next to it (under names we choose) and read them."""
    from embedlab.workspace import owner_tag  # marked, so a kill's leftover is cleaned at the next start

    scratch = Path(tempfile.mkdtemp(prefix=f".unzip-{owner_tag()}-", dir=path.parent))
    try:
        with zipfile.ZipFile(path) as archive:
            members = {Path(n).name: n for n in archive.namelist() if not n.endswith("/")}

            def extract(member: str) -> Path:
                info = archive.getinfo(members[member])
                if info.file_size > fmt.MAX_FILE_BYTES:
                    raise FileTooLargeError(N_("{label}: {member} unpacks to {size_gb:.1f} GB, "
                                               "more than embedlab reads."),
                                            label=label, member=member, size_gb=info.file_size / 1024**3)
                target = scratch / f"member-{len(members)}-{len(list(scratch.iterdir()))}"
                with archive.open(info) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
                return target

            if format == fmt.NPZ:
                inner = next((n for n in members if n.endswith(".npz")), None)
                if inner is None:
                    raise VectorFormatError(N_("{label} is a zip without an .npz inside."), label=label)
                return read_vectors(extract(inner), fmt.NPZ, name=inner, limit=limit,
                                    on_progress=on_progress, cancel=cancel)
            if "vectors.tsv" not in members:
                raise VectorFormatError(N_("{label} is a zip without vectors.tsv inside."), label=label)
            labels = extract("metadata.tsv") if "metadata.tsv" in members else metadata
            return read_vectors(extract("vectors.tsv"), fmt.PROJECTOR, name="vectors.tsv", limit=limit,
                                metadata=labels, on_progress=on_progress, cancel=cancel)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
