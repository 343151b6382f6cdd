"""TensorFlow Embedding Projector files: ``vectors.tsv`` (tab-separated numbers, no header,
no words) and ``metadata.tsv`` (the labels).

The projector's rule for metadata: a single column has no header row; with two
or more columns the first row is the header. We follow it both ways, so our
export loads in projector.tensorflow.org and its files load here.
"""

from __future__ import annotations

from pathlib import Path

from typing import Mapping, Sequence

import numpy as np

from embedlab.errors import VectorFormatError
from embedlab.i18n import _, N_
from embedlab.io.formats import check_size
from embedlab.io.text import BOM, _parse_numbers, count_lines, iter_blocks
from embedlab.progress import CancelToken, ProgressFn, check, no_progress

#: metadata columns that hold the label, in order of preference (else the first column)
LABEL_COLUMNS = ("word", "label", "name", "token")


def read_projector_vectors(
    path: Path,
    label: str = "vectors.tsv",
    limit: int | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[np.ndarray, int]:
    """The float32 matrix of a ``vectors.tsv`` and the number of rows in the file."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        first = handle.readline().lstrip(BOM).rstrip(b"\r\n")
    dims = len(first.split(b"\t"))
    check_size(None, dims, label)
    in_file = count_lines(path, skip_first=False)
    rows = in_file if limit is None else min(in_file, limit)
    check_size(rows, dims, label)
    matrix = np.empty((rows, dims), dtype=np.float32)
    row, done = 0, 0
    with open(path, "rb") as handle:
        for lines, line_no, consumed in iter_blocks(handle):
            check(cancel)
            values, line_nos = [], []
            for i, line in enumerate(lines):
                if row + len(values) >= rows:
                    break
                line = line.rstrip(b"\r")
                if line_no == 1 and i == 0:
                    line = line.lstrip(BOM)
                if not line.strip():
                    continue
                n_values = line.count(b"\t") + 1
                if n_values != dims:
                    raise VectorFormatError(N_("{label}, line {line_no}: {n_values} values where "
                                               "{dims} are expected (tab-separated)."),
                                            label=label, line_no=line_no + i, n_values=n_values, dims=dims)
                values.append(line)
                line_nos.append(line_no + i)
            if values:
                block = _parse_numbers(values, line_nos, dims, label, sep="\t")
                if not np.isfinite(block).all():
                    bad = int(np.flatnonzero(~np.isfinite(block).all(axis=1))[0])
                    raise VectorFormatError(N_("{label}, line {line_no}: NaN or infinite values."),
                                            label=label, line_no=line_nos[bad])
                matrix[row:row + len(values)] = block
                row += len(values)
            done += consumed
            on_progress(min(done, size), size, _("Read {row:,} of {rows:,} vectors").format(row=row, rows=rows))
            if row >= rows:
                break
    return matrix[:row], in_file


def read_metadata(path: Path | None, rows: int, label: str = "metadata.tsv") -> tuple[list[str], np.ndarray | None]:
    """One label per vector row, and counts if a 'count' column exists (our own export writes one).

    The projector's rule decides whether the first line is a header: only when there are several columns.
    """
    if path is None:
        return [str(i) for i in range(rows)], None
    text = Path(path).read_bytes().lstrip(BOM).decode("utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.rstrip("\r") for line in lines]
    if not lines:
        raise VectorFormatError(N_("{label} is empty; it should hold one label per vector."), label=label)
    column, count_column = 0, None
    if "\t" in lines[0]:  # several columns: the first row names them
        header = lines.pop(0).split("\t")
        lowered = [h.strip().lower() for h in header]
        column = next((lowered.index(c) for c in LABEL_COLUMNS if c in lowered), 0)
        count_column = lowered.index("count") if "count" in lowered else None
    if len(lines) < rows:
        raise VectorFormatError(N_("{label} has {n_lines:,} labels for {rows:,} vectors; it needs one per vector "
                                   "(with a header row only when it has several columns)."),
                                label=label, n_lines=len(lines), rows=rows)
    labels, counts = [], []
    for line in lines[:rows]:
        fields = line.split("\t")
        labels.append(fields[column] if column < len(fields) else "")
        if count_column is not None:
            value = fields[count_column].strip() if count_column < len(fields) else ""
            counts.append(int(value) if value.isdigit() else 0)
    return labels, (np.array(counts, dtype=np.int64) if count_column is not None else None)


def metadata_text(words: list[str] | tuple[str, ...], counts: np.ndarray | None,
                  columns: Mapping[str, Sequence[str]] | None = None) -> str:
    """``metadata.tsv``: words alone (no header), or words, counts and ``columns`` (e.g. an item's title and
    category, one value per word) under a header row, which the Projector needs for more than one column."""
    has_counts = counts is not None and bool(np.any(counts))
    if not has_counts and not columns:
        return "".join(f"{w}\n" for w in words)
    header = ["word"] + (["count"] if has_counts else []) + [_field(name) for name in (columns or {})]
    rows = []
    for i, word in enumerate(words):
        fields = [word] + ([str(int(counts[i]))] if has_counts else [])  # type: ignore[index]
        fields += [_field(values[i]) for values in (columns or {}).values()]
        rows.append("\t".join(fields) + "\n")
    return "\t".join(header) + "\n" + "".join(rows)


def _field(text: str) -> str:
    """A title or category as one TSV field: tabs and line breaks would shift every column after them."""
    return " ".join(str(text).split())
