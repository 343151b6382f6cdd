"""An import streams text and word2vec binary files into the model's files a block at a time.

The streamed model must be the very model ``read_vectors`` builds in memory (words, raw and
unit bits, norms, fingerprint, facts) wherever the blocks happen to end; a bad row, a cancel or
a full disk late in the file must leave nothing in the workspace; and the import must not hold
the whole matrix (the reason it streams: 400k x 300 used to peak at 2.7x the matrix).
"""

from __future__ import annotations

import errno
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from embedlab import io as eio
from embedlab.errors import DiskFullError, EmbedlabError, VectorFormatError
from embedlab.io import binary, text
from embedlab.io.sinks import unit_rows
from embedlab.progress import CancelToken
from embedlab.rowfile import HEADER_BYTES, RowFile, npy_header
from embedlab.vectors import WordVectors, fingerprint_arrays
from embedlab.workspace import Workspace, library_versions

RNG = np.random.default_rng(11)


def _values(rows: int, dims: int) -> np.ndarray:
    matrix = np.round(RNG.standard_normal((rows, dims)), 4).astype(np.float32)
    matrix[3] = 0.0  # a zero row stays zero
    return matrix


def _line(word: str, row: np.ndarray) -> str:
    return word + " " + " ".join(f"{v:.4f}" for v in row) + "\n"


def _words(rows: int) -> list[str]:
    """Mostly plain words, some repeated far from their first row (other blocks), one non-ASCII."""
    words = [f"w{i}" for i in range(rows)]
    words[5] = "国王"
    for i in (40, 77, rows - 1):  # repeats of earlier words: the first row is kept
        words[i] = words[i - 37]
    return words


def glove_file(path: Path, rows: int = 120, dims: int = 7) -> Path:
    matrix, words = _values(rows, dims), _words(rows)
    lines = [_line(w, r) for w, r in zip(words, matrix)]
    lines.insert(60, "\n")  # a blank line mid-file
    lines[10] = _line("new york", matrix[10])  # a word with a space (GloVe Common Crawl has them)
    path.write_bytes(b"\xef\xbb\xbf" + "".join(lines).encode("utf-8") + b"\n\n")
    return path


def word2vec_text_file(path: Path, rows: int = 120, dims: int = 7) -> Path:
    matrix, words = _values(rows, dims), _words(rows)
    body = "".join(_line(w, r).replace("\n", " \r\n") for w, r in zip(words, matrix))  # fastText .vec style
    path.write_bytes(f"{rows} {dims}\n{body}".encode("utf-8"))
    return path


def binary_bytes(words: list[str], matrix: np.ndarray, newline: bool = True) -> bytes:
    parts = [f"{len(words)} {matrix.shape[1]}\n".encode()]
    for word, row in zip(words, matrix):
        parts.append(word.encode("utf-8", "surrogateescape") + b" " + row.astype("<f4").tobytes()
                     + (b"\n" if newline else b""))
    return b"".join(parts)


def binary_file(path: Path, rows: int = 120, dims: int = 7, newline: bool = True) -> Path:
    words = _words(rows)
    words[8] = "caf\udce9"  # an undecodable byte (latin-1 é): replaced by U+FFFD and counted
    path.write_bytes(binary_bytes(words, _values(rows, dims), newline))
    return path


FILES = {eio.GLOVE: glove_file, eio.WORD2VEC_TEXT: word2vec_text_file, eio.WORD2VEC_BINARY: binary_file}


def small_blocks(monkeypatch, text_bytes: int, binary_rows: int, binary_bytes: int) -> None:
    monkeypatch.setattr(text, "BLOCK_BYTES", text_bytes)
    monkeypatch.setattr(binary, "BLOCK_ROWS", binary_rows)
    monkeypatch.setattr(binary, "BLOCK_BYTES", binary_bytes)


def assert_same_model(workspace: Workspace, model_id: str, expected: eio.Loaded) -> None:
    """The saved model is ``expected``, bit for bit, with the same facts in its manifest."""
    saved = workspace.load_vectors(model_id)
    wanted = expected.vectors
    assert saved.words == wanted.words
    for name in ("unit", "norms", "counts"):
        got, want = getattr(saved, name), getattr(wanted, name)
        assert got.dtype == want.dtype and got.shape == want.shape and got.tobytes() == want.tobytes(), name
    assert saved.raw().tobytes() == wanted.raw().tobytes()
    assert saved.fingerprint == wanted.fingerprint == fingerprint_arrays(saved.words, saved.raw())
    manifest = workspace.manifest(model_id)
    assert (manifest.vocab_size, manifest.dim, manifest.fingerprint) == (len(wanted), wanted.dim, wanted.fingerprint)
    for key, value in expected.info.items():
        assert manifest.source[key] == value, key


def assert_nothing_left(workspace: Workspace) -> None:
    assert workspace.list_models() == []
    assert list((workspace.root / "models").iterdir()) == []  # no .building- folder, no half-written file


@pytest.mark.parametrize("format", list(FILES))
@pytest.mark.parametrize("blocks", [(97, 3, 101), (4096, 16, 4096), None], ids=["odd", "medium", "default"])
@pytest.mark.parametrize("limit", [None, 50])
def test_the_streamed_import_is_the_model_read_in_memory(tmp_path: Path, monkeypatch, format: str, blocks,
                                                        limit: int | None) -> None:
    if blocks is not None:
        small_blocks(monkeypatch, *blocks)
    path = FILES[format](tmp_path / "vectors.data")
    assert eio.detect_format(path) == format
    expected = eio.read_vectors(path, limit=limit)
    assert expected.info["duplicates_dropped"] == (1 if limit else 3)
    workspace = Workspace(tmp_path / "ws")
    result = eio.import_vectors(workspace, path, source_name="vectors.data", limit=limit)
    assert (result.format, result.rows, result.dims) == (format, len(expected.vectors), 7)
    assert_same_model(workspace, result.model_id, expected)
    if format == eio.GLOVE:
        assert "new york" in workspace.load_vectors(result.model_id).index
    if format == eio.WORD2VEC_BINARY:
        assert expected.info["replaced_characters"] == 1


def test_the_unit_rows_are_the_ones_a_trained_model_gets() -> None:
    matrix = _values(50, 9)
    norms, unit = unit_rows(matrix)
    reference = WordVectors.from_matrix([f"w{i}" for i in range(50)], matrix)
    assert unit.tobytes() == reference.unit.tobytes() and norms.tobytes() == reference.norms.tobytes()


def test_a_binary_without_row_newlines_streams_too(tmp_path: Path, monkeypatch) -> None:
    small_blocks(monkeypatch, 97, 5, 64)
    path = binary_file(tmp_path / "gensim.bin", newline=False)  # gensim writes no newline after a row
    workspace = Workspace(tmp_path / "ws")
    assert_same_model(workspace, eio.import_vectors(workspace, path).model_id, eio.read_vectors(path))


# -- bad files late in the file leave nothing --------------------------------------------------------

def _long_glove(path: Path, rows: int, bad_row: int | None = None, bad_value: str = "abc") -> Path:
    matrix = _values(rows, 5)
    lines = [_line(f"w{i}", r) for i, r in enumerate(matrix)]
    if bad_row is not None:
        lines[bad_row] = f"w{bad_row} 0.1 0.2 {bad_value} 0.4 0.5\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("bad_value, message", [
    ("abc", r"line 2951: value 3 \('abc'\) is not a number"),
    ("nan", "line 2951: value 3 is 'nan'; NaN or infinite values cannot be used"),
])
def test_a_bad_value_in_a_late_block_names_its_line_and_leaves_nothing(tmp_path: Path, monkeypatch,
                                                                      bad_value: str, message: str) -> None:
    monkeypatch.setattr(text, "BLOCK_BYTES", 4096)  # dozens of blocks were written before the bad line
    path = _long_glove(tmp_path / "late.txt", 3000, bad_row=2950, bad_value=bad_value)
    workspace = Workspace(tmp_path / "ws")
    with pytest.raises(VectorFormatError, match=message):
        eio.import_vectors(workspace, path, source_name="late.txt")
    assert_nothing_left(workspace)


def test_a_ragged_line_and_extra_rows_late_in_a_word2vec_text_file_leave_nothing(tmp_path: Path,
                                                                                 monkeypatch) -> None:
    monkeypatch.setattr(text, "BLOCK_BYTES", 4096)
    workspace = Workspace(tmp_path / "ws")
    lines = [_line(f"w{i}", r) for i, r in enumerate(_values(2000, 5))]
    ragged = lines.copy()
    ragged[1990] = "w1990 9.5 " + lines[1990].split(" ", 1)[1]  # line 1992 (after the header)
    cases = [("2000 5\n", ragged, r"line 1992: 6 values where 5 are expected"),
             ("1999 5\n", lines, r"line 2001: a row after the 1,999 rows"),
             ("2001 5\n", lines, r"declares 2,001 rows but ends after 2,000")]
    for header, body, message in cases:
        path = tmp_path / "bad.vec"
        path.write_text(header + "".join(body), encoding="utf-8")
        with pytest.raises(VectorFormatError, match=message):
            eio.import_vectors(workspace, path)
        assert_nothing_left(workspace)


def test_a_bad_row_late_in_a_binary_file_names_it_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    small_blocks(monkeypatch, 4096, 16, 1000)
    workspace = Workspace(tmp_path / "ws")
    words, matrix = [f"w{i}" for i in range(120)], _values(120, 7)
    with_nan = matrix.copy()
    with_nan[100, 2] = np.nan
    controlled = words.copy()
    controlled[110] = "w\x01110"
    cases = [(binary_bytes(words, with_nan), r"row 101 \(b'w100'\): the vector holds NaN"),
             (binary_bytes(words, matrix)[:-20], r"cut short: row 120 of 120"),
             (binary_bytes(controlled, matrix), r"row 111: the word b'w\\x01110' contains control bytes")]
    for data, message in cases:
        path = tmp_path / "bad.bin"
        path.write_bytes(data)
        with pytest.raises(VectorFormatError, match=message):
            eio.import_vectors(workspace, path)
        assert_nothing_left(workspace)


def test_a_cancelled_import_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(text, "BLOCK_BYTES", 4096)
    path = _long_glove(tmp_path / "g.txt", 3000)
    workspace = Workspace(tmp_path / "ws")
    cancel = CancelToken()
    seen = []

    def progress(done: float, total: float, message: str) -> None:
        seen.append(done)
        if len(seen) == 5:  # some blocks are already on disk
            assert any((workspace.root / "models").glob(".building-*/raw.npy"))
            cancel.cancel()

    with pytest.raises(EmbedlabError, match="Cancelled"):
        eio.import_vectors(workspace, path, on_progress=progress, cancel=cancel)
    assert_nothing_left(workspace)


def test_a_full_disk_during_a_streamed_import_says_so_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(text, "BLOCK_BYTES", 4096)
    path = _long_glove(tmp_path / "g.txt", 3000)
    workspace = Workspace(tmp_path / "ws")
    real_write = RowFile.write
    calls = []

    def write(self: RowFile, block: np.ndarray) -> None:
        calls.append(self.path.name)
        if len(calls) == 7:
            raise OSError(errno.ENOSPC, "No space left on device", str(self.path))
        real_write(self, block)

    monkeypatch.setattr(RowFile, "write", write)
    with pytest.raises(DiskFullError, match=r"The disk is full.*models.*needed about 0\.1 MB"):
        eio.import_vectors(workspace, path)
    assert_nothing_left(workspace)


# -- memory -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("format", [eio.GLOVE, eio.WORD2VEC_BINARY])
def test_an_import_holds_a_block_not_the_matrix(tmp_path: Path, monkeypatch, format: str) -> None:
    """Python's allocation tracer (numpy arrays included) sees less than the matrix at once.

    The import used to hold the parsed matrix and its unit copy together: at least twice the matrix.
    (The file signature's 1 MB read is most of what is left at this size.)
    """
    small_blocks(monkeypatch, 32 * 1024, 64, 32 * 1024)
    rows, dims = 2000, 256
    matrix_bytes = rows * dims * 4
    path = tmp_path / "big.data"
    if format == eio.GLOVE:
        path.write_text("".join(_line(f"w{i}", r) for i, r in enumerate(_values(rows, dims))), encoding="utf-8")
    else:
        path.write_bytes(f"{rows} {dims}\n".encode() + b"".join(
            f"w{i} ".encode() + r.astype("<f4").tobytes() for i, r in enumerate(_values(rows, dims))))
    warm_up = FILES[format](tmp_path / "warm-up.data")
    library_versions()  # a first import loads gensim and pandas: their allocations are not the import's
    eio.import_vectors(Workspace(tmp_path / "warm"), warm_up)
    workspace = Workspace(tmp_path / "ws")
    tracemalloc.start()
    try:
        result = eio.import_vectors(workspace, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.rows == rows
    assert peak < matrix_bytes, f"peak {peak:,} bytes for a {matrix_bytes:,}-byte matrix"


# -- the row file ---------------------------------------------------------------------------------------

def test_a_row_file_is_an_npy_that_numpy_loads_and_maps(tmp_path: Path, monkeypatch) -> None:
    import embedlab.rowfile

    monkeypatch.setattr(embedlab.rowfile, "READ_BYTES", 10)  # read back in many small chunks
    rows = RowFile(tmp_path / "rows.npy", 3)
    blocks = [np.arange(6, dtype=np.float32).reshape(2, 3), np.ones((1, 3)), np.full((3, 4), -2.5, np.float32).T]
    for block in blocks:
        rows.write(block)
    with pytest.raises(ValueError, match="rows of 3 values"):
        rows.write(np.ones((2, 4), np.float32))
    rows.close()
    rows.close()  # a second close does nothing
    expected = np.concatenate([np.asarray(b, np.float32) for b in blocks])
    for mode in (None, "r"):
        loaded = np.load(tmp_path / "rows.npy", mmap_mode=mode, allow_pickle=False)
        assert loaded.dtype == np.float32 and loaded.shape == (7, 3) and np.array_equal(loaded, expected)
    assert b"".join(bytes(chunk) for chunk in rows.chunks()) == expected.tobytes()
    with pytest.raises(ValueError, match="closed"):
        rows.write(blocks[0])


def test_an_unfinished_row_file_holds_no_rows_and_headers_fit_any_shape(tmp_path: Path) -> None:
    rows = RowFile(tmp_path / "cut.npy", 4)
    rows.write(np.ones((5, 4), np.float32))
    rows.discard()  # a failed import: the header never got its row count
    assert np.load(tmp_path / "cut.npy").shape == (0, 4)
    assert len(npy_header((400_000_000, 10_000), np.dtype(np.float32))) == HEADER_BYTES
    assert len(npy_header((0, 1), np.dtype(np.int64))) == HEADER_BYTES
