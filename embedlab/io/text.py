"""Text vector files: word2vec text (header 'rows dims'), GloVe (no header), fastText ``.vec``.

The hot path of a 400k x 300 file is turning 120M decimal strings into floats.
gensim does it one value at a time in Python; here each block of ~16 MB is
split into lines in C, the word is cut off each line with one ``partition``
(the only per-line Python), and the numbers of the whole block go through
pandas' C parser at once. Each block of rows goes to a sink (``embedlab.io.sinks``):
a preallocated matrix for ``read_vectors``, the workspace model's files for an
import. Memory stays at one block (plus the matrix, when one is asked for),
whatever the file size.

A word may contain spaces (GloVe's Common Crawl files have ``new york``): the
word is everything before the last ``dims`` fields of its line. A line that does
not have the expected shape is reported by number, with what is wrong with it.
"""

from __future__ import annotations

import csv
import itertools
import math
import io as _stdio
from collections import Counter
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np
import pandas as pd

from embedlab.errors import VectorFormatError
from embedlab.i18n import _, N_
from embedlab.io.formats import check_size, is_number, parse_header
from embedlab.io.sinks import RowSink
from embedlab.progress import CancelToken, ProgressFn, check, no_progress

#: bytes read per block: big enough that per-block overhead vanishes, small enough to keep memory flat
BLOCK_BYTES = 16 * 1024 * 1024
#: lines looked at to decide how many dimensions a headerless file has
DIM_SAMPLE_LINES = 20
BOM = b"\xef\xbb\xbf"


def iter_blocks(handle: BinaryIO, first_line_no: int = 1,
                block_bytes: int = BLOCK_BYTES) -> Iterator[tuple[list[bytes], int, int]]:
    """Whole lines of a binary stream in blocks: ``(lines, number of the first line, bytes consumed)``."""
    carry = b""
    line_no = first_line_no
    while True:
        chunk = handle.read(block_bytes)
        if not chunk:
            if carry:
                yield [carry], line_no, len(carry)
            return
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        lines = data[:cut].split(b"\n")
        carry = data[cut + 1:]
        yield lines, line_no, cut + 1
        line_no += len(lines)


def count_lines(path: Path, skip_first: bool, stop_at: int | None = None) -> int:
    """Non-trivial line count (a final line without newline counts), stopping early at ``stop_at``."""
    total, last = 0, b"\n"
    with open(path, "rb") as handle:
        if skip_first:
            handle.readline()
        while chunk := handle.read(BLOCK_BYTES):
            total += chunk.count(b"\n")
            last = chunk[-1:]
            if stop_at is not None and total >= stop_at:
                return stop_at
    return total + (last != b"\n")


def guess_dims(lines: list[bytes]) -> int:
    """Dimensions of a headerless file: the most common 'fields - 1' over its first lines.

    Most common rather than the first line's, so a first word with a space in it
    (``new york 0.1 ...``) does not decide the shape of the whole file.
    """
    counts = Counter(len(line.split()) - 1 for line in lines if line.strip())
    return counts.most_common(1)[0][0] if counts else 0


def read_text(
    path: Path,
    has_header: bool,
    label: str = "The file",
    limit: int | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    *,
    sink: RowSink,
) -> dict:
    """Parse a text vector file block by block into ``sink``; returns facts (rows in the file, dims, replaced
    characters).

    ``limit`` keeps only the first rows (files list words by descending frequency). The sink
    gets ``begin(at most rows, dims)`` once the shape is known, then every block of rows in order.
    """
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        first = handle.readline()
        if first.startswith(BOM):
            first = first[len(BOM):]
        if has_header:
            header = parse_header(first)
            if header is None:
                raise VectorFormatError(N_("{label}, line 1: expected a 'rows dims' header, found {found}."),
                                        label=label, found=_show(first))
            declared, dims = header
            first_line_no = 2
            check_size(declared, dims, label, size, min_row_bytes=2 * dims + 1)
            rows = declared if limit is None else min(declared, limit)
        else:
            sample = [first] + [handle.readline() for _ in range(DIM_SAMPLE_LINES - 1)]
            dims = guess_dims(sample)
            if dims < 1:
                raise VectorFormatError(N_("{label}, line 1: expected a word followed by numbers, found {found}."),
                                        label=label, found=_show(first))
            declared = None
            first_line_no = 1
            check_size(None, dims, label)
            rows = count_lines(path, skip_first=False, stop_at=limit)
            check_size(rows, dims, label)
    if rows == 0:
        raise VectorFormatError(N_("{label} holds no vectors."), label=label)
    sink.begin(rows, dims)
    done = 0  # rows handed to the sink (repeated words included: the sink decides about them)
    replaced = 0
    done_bytes = len(first) if has_header else 0
    with open(path, "rb") as handle:
        if has_header:
            handle.readline()
        blocks = iter_blocks(handle, first_line_no, BLOCK_BYTES)
        for lines, line_no, consumed in blocks:
            check(cancel)
            if line_no == 1 and lines and lines[0].startswith(BOM):
                lines[0] = lines[0][len(BOM):]
            block_words, block, last, bad_chars = _parse_block(lines, line_no, dims, rows - done, label)
            if block_words:
                sink.add(block_words, block)
            done += len(block_words)
            replaced += bad_chars
            done_bytes += consumed
            on_progress(min(done_bytes, size), size, _("Read {row:,} of {rows:,} vectors").format(
                row=done, rows=rows))
            if done >= rows:
                if has_header and (limit is None or limit >= declared):
                    _refuse_extra_rows(lines[last - line_no + 1:], last + 1, blocks, declared, label)
                break
    if has_header and done < rows:
        raise VectorFormatError(N_("{label} declares {declared:,} rows but ends after {n_rows:,} "
                                   "(line {line_no}). Is the file cut short?"),
                                label=label, declared=declared, n_rows=done,
                                line_no=first_line_no + done - 1)
    return {"rows_in_file": declared if declared is not None else None, "dims": dims,
            "replaced_characters": replaced}


def _parse_block(lines: list[bytes], first_line_no: int, dims: int, room: int,
                 label: str) -> tuple[list[str], np.ndarray | None, int, int]:
    """Parse one block of lines (at most ``room`` rows of it); returns the words, their float32 rows (None when
    the block held only blank lines), the number of the last line parsed and how many characters were replaced."""
    words: list[bytes] = []
    values: list[bytes] = []
    line_nos: list[int] = []
    spaces = dims - 1
    for i, line in enumerate(lines):
        if len(words) >= room:
            break
        word, _, rest = line.partition(b" ")
        rest = rest.rstrip()
        if not word or not rest or rest.count(b" ") != spaces:
            if not line.strip():
                continue  # blank lines (e.g. at the end) carry no vector
            word, rest = _irregular_line(line, dims, first_line_no + i, label)
        words.append(word)
        values.append(rest)
        line_nos.append(first_line_no + i)
    if not words:
        return [], None, first_line_no + len(lines) - 1, 0
    block = _parse_numbers(values, line_nos, dims, label)
    finite = np.isfinite(block).all(axis=1)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise VectorFormatError(N_("{label}, line {line_no}: the vector of {word} holds NaN or "
                                   "infinite values."), label=label, line_no=line_nos[bad], word=_show(words[bad]))
    decoded, replaced = decode_words(words)
    return decoded, block, line_nos[-1], replaced


def _refuse_extra_rows(rest: list[bytes], line_no: int, blocks: Iterator[tuple[list[bytes], int, int]],
                       declared: int, label: str) -> None:
    """Refuse a file holding more rows than its header declares (as the binary reader does), naming the line.

    Silently keeping the first ``declared`` rows would drop words without a word of warning; trailing
    blank lines are fine. Reads on only until the first non-blank line.
    """
    for lines, first, _ in itertools.chain([(rest, line_no, 0)], blocks):
        for i, line in enumerate(lines):
            if line.strip():
                raise VectorFormatError(
                    N_("{label}, line {line_no}: a row after the {declared:,} rows its header declares "
                       "({line}). Correct the header's row count, or load only the first rows (the top-N "
                       "option)."), label=label, line_no=first + i, declared=declared, line=_show(line))



def _irregular_line(line: bytes, dims: int, line_no: int, label: str) -> tuple[bytes, bytes]:
    """A line off the fast path: a word with spaces, tabs between values, or a malformed row."""
    parts = line.rsplit(None, dims)
    n_values = len(line.split()) - 1
    if len(parts) < dims + 1 or not parts[0].strip():
        raise VectorFormatError(N_("{label}, line {line_no}: {n_values} value(s) where {dims} are expected "
                                   "({line}). Every row must be a word followed by {dims} numbers."),
                                label=label, line_no=line_no, n_values=max(n_values, 0), dims=dims, line=_show(line))
    word = parts[0].strip()
    last = word.split()[-1]
    if len(word.split()) > 1 and is_number(last) and any(c in last for c in b".eE"):
        # 'cat 0.1 0.2 0.3' with 2 dims: the 'word' would end in a decimal number, so it is a ragged row
        raise VectorFormatError(N_("{label}, line {line_no}: {n_values} values where {dims} are expected "
                                   "({line})."),
                                label=label, line_no=line_no, n_values=n_values, dims=dims, line=_show(line))
    return word, b" ".join(parts[1:])


def _parse_numbers(values: list[bytes], line_nos: list[int], dims: int, label: str, sep: str = " ") -> np.ndarray:
    """Many lines of exactly ``dims`` numbers each, via pandas' C parser; a bad value is reported by line."""
    data = b"\n".join(values)
    try:
        frame = pd.read_csv(_stdio.BytesIO(data), sep=sep, header=None, names=range(dims), dtype=np.float32,
                            engine="c", na_filter=False, quoting=csv.QUOTE_NONE, skip_blank_lines=False)
        block = frame.to_numpy(dtype=np.float32)
    except (ValueError, pd.errors.ParserError):
        block = None
    if block is None or block.shape != (len(values), dims):
        _raise_bad_value(values, line_nos, dims, label, sep)
    return block


def _raise_bad_value(values: list[bytes], line_nos: list[int], dims: int, label: str, sep: str) -> None:
    """Find and report the first line pandas could not read (the slow path, only on errors)."""
    for line_no, value in zip(line_nos, values):
        fields = value.split(sep.encode()) if sep != " " else value.split()
        if len(fields) != dims:
            raise VectorFormatError(N_("{label}, line {line_no}: {n_values} values where {dims} are expected."),
                                    label=label, line_no=line_no, n_values=len(fields), dims=dims)
        for position, field in enumerate(fields, start=1):
            try:
                number = float(field)
            except ValueError:
                raise VectorFormatError(N_("{label}, line {line_no}: value {position} ({field}) is not a "
                                           "number."),
                                        label=label, line_no=line_no, position=position, field=_show(field)) from None
            if not math.isfinite(number):
                raise VectorFormatError(N_("{label}, line {line_no}: value {position} is {field}; NaN or "
                                           "infinite values cannot be used."),
                                        label=label, line_no=line_no, position=position, field=_show(field))
    raise VectorFormatError(N_("{label}: lines {first}-{last} could not be read as numbers."),
                            label=label, first=line_nos[0], last=line_nos[-1])


def decode_words(words: list[bytes]) -> tuple[list[str], int]:
    """UTF-8 words (one decode per block); undecodable bytes become U+FFFD and are counted."""
    try:
        return b"\n".join(words).decode("utf-8").split("\n"), 0
    except UnicodeDecodeError:
        decoded = [w.decode("utf-8", errors="replace") for w in words]
        return decoded, sum(w.count("\ufffd") for w in decoded)


def _show(data: bytes, limit: int = 50) -> str:
    text = data.decode("utf-8", errors="replace").rstrip("\r\n")
    return repr(text if len(text) <= limit else text[:limit] + "…")
