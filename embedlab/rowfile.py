"""A ``.npy`` file written a block of rows at a time, its row count filled in when it is closed.

An import of a 400k x 300 file used to hold the parsed matrix and its unit-normalised
copy in memory at once, then ``np.save`` both: about twice the matrix on top of the
interpreter. Writing each parsed block straight to the file instead keeps one block in
memory, whatever the file size. The number of rows is only known at the end (repeated
words and blank lines are dropped), so the header is written with room to spare and
rewritten by ``close``; the file is an ordinary ``.npy`` that ``np.load`` reads and
memory-maps. Plain writes, not a writable memory map: the pages of a map count in the
process's resident memory until they are written back, plain writes go to the page cache.

This module imports nothing of embedlab: the store and the readers share it.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np

#: bytes the header takes: ``np.save``'s header alignment (64), enough for any 2-D shape's digits
HEADER_BYTES = 128
_MAGIC = b"\x93NUMPY\x01\x00"
#: bytes read at a time when hashing a finished file
READ_BYTES = 1024 * 1024


def npy_header(shape: tuple[int, ...], dtype: np.dtype) -> bytes:
    """A version 1.0 ``.npy`` header for a C-ordered array, padded with spaces to ``HEADER_BYTES``."""
    text = repr({"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False,
                 "shape": tuple(int(n) for n in shape)})
    room = HEADER_BYTES - len(_MAGIC) - 2 - 1  # magic, the length field, the closing newline
    if len(text) > room:
        raise ValueError(f"a .npy header for shape {shape} does not fit in {HEADER_BYTES} bytes")
    body = (text.ljust(room) + "\n").encode("latin1")
    return _MAGIC + struct.pack("<H", len(body)) + body


class RowFile:
    """Rows of ``dims`` values appended to a ``.npy`` file; ``close`` writes the final row count into its header.

    A file left unclosed (an error, a kill) has a header saying 0 rows: the caller writes it inside a folder
    that is deleted or swept on failure, never where a reader looks.
    """

    def __init__(self, path: Path, dims: int, dtype: np.dtype | type = np.float32) -> None:
        self.path = Path(path)
        self.dims = int(dims)
        self.dtype = np.dtype(dtype)
        self.rows = 0
        self._handle: BinaryIO | None = open(self.path, "wb")
        self._handle.write(npy_header((0, self.dims), self.dtype))

    def write(self, block: np.ndarray) -> None:
        """Append ``block`` (rows x dims), converted to this file's dtype and C order if it is not already."""
        if self._handle is None:
            raise ValueError(f"{self.path.name} is closed")
        block = np.ascontiguousarray(block, dtype=self.dtype)
        if block.ndim != 2 or block.shape[1] != self.dims:
            raise ValueError(f"expected rows of {self.dims} values, got shape {block.shape}")
        self._handle.write(memoryview(block).cast("B"))
        self.rows += len(block)

    def close(self) -> None:
        """Write the header with the real row count and close the file (once; later calls do nothing)."""
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        try:
            handle.seek(0)
            handle.write(npy_header((self.rows, self.dims), self.dtype))
        finally:
            handle.close()

    def discard(self) -> None:
        """Close without completing the header (the caller deletes the folder the file is in)."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            handle.close()

    def chunks(self) -> Iterator[memoryview]:
        """The data bytes of the closed file, a block at a time, read back through the page cache (not mapped).

        Each block is a view of one reused buffer, valid until the next is read: hash or copy it at once.
        """
        if self._handle is not None:
            raise ValueError(f"{self.path.name} is still being written")
        left = self.rows * self.dims * self.dtype.itemsize
        buffer = memoryview(bytearray(min(READ_BYTES, left)))
        with open(self.path, "rb") as handle:
            handle.seek(HEADER_BYTES)
            while left > 0:
                got = handle.readinto(buffer[:min(len(buffer), left)])
                if not got:
                    raise OSError(f"{self.path.name} ends {left:,} bytes early")
                left -= got
                yield buffer[:got]
