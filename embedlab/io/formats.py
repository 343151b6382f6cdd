"""Which vector format a file holds, read from its first bytes, and the limits every reader keeps.

Detection looks at content, not the name: a user's ``vectors.txt`` may be a
word2vec file with a header, a GloVe file without one, or something we must
refuse (a gensim pickle). The name only breaks ties the content leaves open.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

from embedlab.errors import FileTooLargeError, UnsafeFileError, VectorFormatError
from embedlab.i18n import N_, Message

#: rows x dims a single import may hold: 400M float32 values = 1.6 GB in memory
MAX_IMPORT_ELEMENTS = 400_000_000
#: the largest vector file we read (uploads are capped lower, by Streamlit's maxUploadSize)
MAX_FILE_BYTES = 8 * 1024**3
#: dimensions above this are surely a misread header, not a real model
MAX_DIMS = 10_000
#: bytes of the file's start that detection looks at
SNIFF_BYTES = 64 * 1024
#: Facebook fastText's binary model magic number (little-endian int32 at offset 0)
FASTTEXT_MAGIC = 793712314

WORD2VEC_TEXT = "word2vec-text"
WORD2VEC_BINARY = "word2vec-binary"
GLOVE = "glove"
FASTTEXT_BIN = "fasttext-bin"
PROJECTOR = "projector"
NPZ = "npz"

#: format id -> what a user reads in pickers and messages (marked: shown through ``_()``)
FORMAT_LABELS: dict[str, str] = {
    WORD2VEC_TEXT: N_("word2vec text (with a 'rows dims' header; also fastText .vec)"),
    WORD2VEC_BINARY: N_("word2vec binary (.bin from the C tool or gensim)"),
    GLOVE: N_("GloVe text (no header)"),
    FASTTEXT_BIN: N_("fastText binary model (.bin, keeps subwords for unseen words)"),
    PROJECTOR: N_("TensorFlow Embedding Projector (vectors.tsv + metadata.tsv)"),
    NPZ: "embedlab .npz",
}

_PICKLE_TEXT_STARTS = (b"ccopy_reg\n", b"cgensim", b"c__builtin__\n", b"cnumpy", b"(dp0", b"(lp0", b"(idict")
_HEADER = re.compile(rb"^\s*(\d+)\s+(\d+)\s*$")
_NUMBER = re.compile(rb"^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|nan|inf|NaN|Inf)$")

WHAT_TO_UPLOAD = Message(N_("Save the vectors in a safe format instead, e.g. in gensim: "
                  "model.wv.save_word2vec_format('vectors.bin', binary=True), "
                  "or for FastText gensim.models.fasttext.save_facebook_model(model, 'model.bin')."))


def is_number(token: bytes) -> bool:
    return bool(_NUMBER.match(token))


def refuse_pickle(head: bytes, label: str) -> None:
    """Raise ``UnsafeFileError`` for anything that would need unpickling to read."""
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5 or head.startswith(_PICKLE_TEXT_STARTS):
        raise UnsafeFileError(
            N_("{label} is a Python pickle (e.g. a gensim .model or .kv file). embedlab never unpickles files: "
               "loading a pickle runs whatever code it contains. {safe_format}"),
            label=label, safe_format=WHAT_TO_UPLOAD)


def check_size(rows: int | None, dims: int, label: str, file_bytes: int | None = None,
               min_row_bytes: int | None = None) -> None:
    """Refuse a declared shape above the caps, or one the file is too short to hold, before reading it."""
    if dims < 1 or dims > MAX_DIMS:
        raise VectorFormatError(N_("{label} declares {dims:,} dimensions; expected between 1 and {max_dims:,}."),
                                label=label, dims=dims, max_dims=MAX_DIMS)
    if rows is None:
        return
    if rows * dims > MAX_IMPORT_ELEMENTS:
        raise FileTooLargeError(
            N_("{label} holds {rows:,} rows x {dims:,} dimensions = {n_values:,} values; embedlab imports at most "
               "{max_import_elements:,} ({max_gb:.1f} GB). Load fewer rows (the top-N option)."),
            label=label, rows=rows, dims=dims, n_values=rows * dims, max_import_elements=MAX_IMPORT_ELEMENTS,
            max_gb=MAX_IMPORT_ELEMENTS * 4 / 1024**3)
    if file_bytes is not None and min_row_bytes is not None and rows * min_row_bytes > file_bytes:
        raise VectorFormatError(
            N_("{label} declares {rows:,} rows x {dims:,} dimensions, but the file is only {file_bytes:,} bytes: "
               "it cannot hold them (at least {needed_bytes:,} bytes needed). Is the header wrong or the file cut short?"),
            label=label, rows=rows, dims=dims, file_bytes=file_bytes, needed_bytes=rows * min_row_bytes)


def parse_header(line: bytes) -> tuple[int, int] | None:
    """``(rows, dims)`` if the line is a word2vec header 'N D', else None."""
    match = _HEADER.match(line)
    return (int(match.group(1)), int(match.group(2))) if match else None


def detect_format(path: Path | str, name: str = "") -> str:
    """The format of the file at ``path``, from its content (``name`` is only a hint for messages).

    Raises ``UnsafeFileError`` for pickles and ``VectorFormatError`` for anything unreadable.
    """
    path = Path(path)
    label = f"'{name}'" if name else "The file"
    size = path.stat().st_size
    if size == 0:
        raise VectorFormatError(N_("{label} is empty: there are no vectors in it."), label=label)
    if size > MAX_FILE_BYTES:
        raise FileTooLargeError(N_("{label} is {size_gb:.1f} GB; embedlab reads vector files up to "
                                   "{max_gb:.0f} GB."),
                                label=label, size_gb=size / 1024**3, max_gb=MAX_FILE_BYTES / 1024**3)
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    refuse_pickle(head, label)
    if len(head) >= 4 and struct.unpack("<i", head[:4])[0] == FASTTEXT_MAGIC:
        return FASTTEXT_BIN
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(path, label)
    first, newline, rest = head.partition(b"\n")
    header = parse_header(first)
    if header is not None:
        # a header line: text if the next line is a word and numbers, binary otherwise
        dims = header[1]
        second = rest.split(b"\n", 1)[0]
        fields = second.rstrip().split()
        if len(fields) > dims and all(is_number(f) for f in fields[-dims:]) and b"\x00" not in second:
            return WORD2VEC_TEXT
        if len(fields) >= 2 and all(is_number(f) for f in fields[1:]) and b"\x00" not in second:
            # a word and numbers, just not ``dims`` of them: a text file with a bad first row (raw float bytes
            # never split into numbers), so the text reader names the line instead of a size in bytes
            return WORD2VEC_TEXT
        if len(rest) == 0 and header[0] == 0:
            raise VectorFormatError(N_("{label} declares 0 rows: there are no vectors in it."), label=label)
        return WORD2VEC_BINARY
    if b"\x00" in first[:4096]:  # words may be in a legacy encoding (reported later), but text has no NULs
        raise VectorFormatError(
            N_("{label} is neither a text vector file nor a format embedlab knows (word2vec text or binary, GloVe, "
               "fastText .vec/.bin, Embedding Projector .tsv, .npz)."), label=label)
    line = first.rstrip(b"\r")
    if b"\t" in line and all(is_number(f) for f in line.split(b"\t") if f.strip()):
        return PROJECTOR
    fields = line.split()
    if len(fields) >= 2 and is_number(fields[-1]):
        return GLOVE
    raise VectorFormatError(
        N_("{label}: line 1 is not a vector ({line}). Expected 'word value value ...' (GloVe), "
           "a 'rows dims' header (word2vec), or tab-separated numbers (Embedding Projector vectors.tsv)."),
        label=label, line=_quote(line))


def _detect_zip(path: Path, label: str) -> str:
    """An ``.npz`` (ours) or a zip bundle of an export (vectors.tsv + metadata.tsv, or .npz + manifest)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise VectorFormatError(N_("{label} looks like a zip archive but cannot be opened (is it cut short?)."),
                                label=label) from None
    if any(n.endswith(".npy") for n in names):
        return NPZ
    base = {Path(n).name for n in names}
    if any(n.endswith(".npz") for n in base):
        return NPZ
    if "vectors.tsv" in base:
        return PROJECTOR
    raise VectorFormatError(N_("{label} is a zip archive without vectors embedlab can read "
                               "(expected .npy arrays, an .npz, or vectors.tsv); it holds {names}."),
                            label=label, names=', '.join(names[:5]))


def _quote(line: bytes, limit: int = 60) -> str:
    text = line.decode("utf-8", errors="replace")
    return repr(text if len(text) <= limit else text[:limit] + "…")


def file_label(name: str) -> str:
    return f"'{name}'" if name else "The file"
