"""word2vec binary files: a 'rows dims' text header, then per row the word, a space and
``dims`` little-endian float32 values (the C tool adds a newline after each row; gensim does not).

Rows have no fixed length (words differ), so the reader walks a buffer refilled in
blocks; each row costs one ``find`` and one copy of its bytes into a block of rows (about
a second for 400k rows), and each full block is checked and handed to a sink
(``embedlab.io.sinks``: a matrix in memory, or an import's files on disk).
A file cut short is reported with the byte offset and the row where it ends.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from embedlab.errors import VectorFormatError
from embedlab.i18n import _, N_
from embedlab.io.formats import check_size, parse_header
from embedlab.io.sinks import RowSink
from embedlab.io.text import decode_words
from embedlab.progress import CancelToken, ProgressFn, check, no_progress

BLOCK_BYTES = 8 * 1024 * 1024
#: rows checked and handed to the sink at a time (10 MB at 300 dims)
BLOCK_ROWS = 8192
#: a word longer than this means we lost track of the row structure (wrong dims, or not this format)
MAX_WORD_BYTES = 4096
REPORT_EVERY = 20_000


def read_binary(
    path: Path,
    label: str = "The file",
    limit: int | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    *,
    sink: RowSink,
) -> dict:
    """Parse a word2vec binary file into ``sink`` a block of ``BLOCK_ROWS`` rows at a time; returns facts."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        first = handle.readline()
        header = parse_header(first)
        if header is None:
            raise VectorFormatError(N_("{label}: expected a 'rows dims' header line, found {found!r}."),
                                    label=label, found=first[:40])
        declared, dims = header
        check_size(declared, dims, label, size - len(first), min_row_bytes=4 * dims + 2)
        rows = declared if limit is None else min(declared, limit)
        if rows == 0:
            raise VectorFormatError(N_("{label} declares 0 rows: there are no vectors in it."), label=label)
        sink.begin(rows, dims)
        block = np.empty((min(rows, BLOCK_ROWS), dims), dtype=np.float32)
        # rows are copied as raw bytes into the block's memory (no numpy object per row); the file is
        # little-endian, so a big-endian machine swaps each block before handing it on
        target = memoryview(block).cast("B")
        block_words: list[bytes] = []
        replaced = 0
        row_bytes = 4 * dims
        buffer = b""
        view = memoryview(buffer)
        base = len(first)  # file offset of buffer[0]
        pos = 0
        row = 0
        while row < rows:
            space = buffer.find(b" ", pos, pos + MAX_WORD_BYTES + 2)
            if space < 0 or space + 1 + row_bytes > len(buffer):
                more = handle.read(BLOCK_BYTES)
                if not more:
                    raise VectorFormatError(
                        N_("{label} is cut short: row {row:,} of {declared:,} starts at byte offset {offset:,} "
                           "but the file ends at byte {size:,} (a row needs a word, a space and {row_bytes:,} bytes)."),
                        label=label, row=row + 1, declared=declared, offset=base + pos, size=size, row_bytes=row_bytes)
                view.release()
                buffer = buffer[pos:] + more
                view = memoryview(buffer)
                base += pos
                pos = 0
                if buffer.find(b" ", 0, MAX_WORD_BYTES + 2) < 0 and len(buffer) > MAX_WORD_BYTES + 1:
                    raise VectorFormatError(
                        N_("{label}: no word found at byte offset {base:,} (row {row:,}). The header says "
                           "{dims} dimensions; is it right, and is this a word2vec binary file?"),
                        label=label, base=base, row=row + 1, dims=dims)
                continue
            word = buffer[pos:space].lstrip(b"\n")
            if not word:
                raise VectorFormatError(N_("{label}: empty word at byte offset {offset:,} (row {row:,})."),
                                        label=label, offset=base + pos, row=row + 1)
            at = len(block_words) * row_bytes
            block_words.append(word)
            pos = space + 1 + row_bytes
            target[at:at + row_bytes] = view[space + 1:pos]
            row += 1
            if len(block_words) == len(block) and row < rows:
                replaced += _hand_on(block, block_words, row - len(block_words), label, dims, sink)
                block_words = []
            if row % REPORT_EVERY == 0:
                check(cancel)
                on_progress(row, rows, _("Read {row:,} of {rows:,} vectors").format(row=row, rows=rows))
        if limit is None or limit >= declared:
            rest = buffer[pos:] + handle.read(BLOCK_BYTES)
            if rest.strip():
                raise VectorFormatError(
                    N_("{label} has more data after the {declared:,} rows its header declares (from byte offset "
                       "{offset:,}). Is the header's dimension count ({dims}) right?"),
                    label=label, declared=declared, offset=base + pos, dims=dims)
        view.release()
    target.release()
    replaced += _hand_on(block[:len(block_words)], block_words, row - len(block_words), label, dims, sink)
    on_progress(rows, rows, _("Read {rows:,} vectors").format(rows=rows))
    return {"rows_in_file": declared, "dims": dims, "replaced_characters": replaced}


def _hand_on(block: np.ndarray, raw_words: list[bytes], first_row: int, label: str, dims: int,
             sink: RowSink) -> int:
    """Check a block of rows (words that line up, finite values) and give it to ``sink``; returns replaced
    characters. ``first_row`` is the 0-based row of the block's first row in the file, for messages."""
    if sys.byteorder == "big":
        block.byteswap(inplace=True)
    _check_words(raw_words, label, dims, first_row)
    finite = np.isfinite(block).all(axis=1)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise VectorFormatError(N_("{label}, row {row:,} ({word!r}): the vector holds NaN or "
                                   "infinite values."), label=label, row=first_row + bad + 1, word=raw_words[bad][:50])
    words, replaced = decode_words(raw_words)
    sink.add(words, block)
    return replaced


_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def _check_words(raw_words: list[bytes], label: str, dims: int, first_row: int = 0) -> None:
    """Control bytes inside a word mean the reader lost the row structure (usually a wrong header)."""
    joined = b" ".join(raw_words)
    found = _CONTROL.search(joined)
    if found:
        row = joined.count(b" ", 0, found.start())
        raise VectorFormatError(
            N_("{label}, row {row:,}: the word {word!r} contains control bytes, so the rows do not "
               "line up. Is the header's dimension count ({dims}) right, and is this a word2vec binary file?"),
            label=label, row=first_row + row + 1, word=raw_words[row][:30], dims=dims)
