"""embedlab's own ``.npz``: raw float32 vectors, words as UTF-8 bytes, counts, FastText n-grams,
and the manifest as JSON, all plain numeric arrays, so it loads with ``allow_pickle=False``.

Words are stored as one UTF-8 byte array plus offsets rather than a numpy string
array: exact for any word (spaces, tabs, Chinese) and a quarter of the size of
numpy's fixed-width UTF-32. An ``.npz`` that would need pickle (object arrays)
is refused with an explanation.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from embedlab.errors import FileTooLargeError, UnsafeFileError, VectorFormatError
from embedlab.i18n import N_, Message
from embedlab.io.formats import WHAT_TO_UPLOAD, check_size
from embedlab.subword import SubwordModel
from embedlab.vectors import WordVectors


def write_npz(vectors: WordVectors, target: BinaryIO | Path | str, manifest: dict[str, Any] | None = None) -> None:
    """Save ``vectors`` (raw, as trained or loaded) with their manifest as one ``.npz``."""
    encoded = [w.encode("utf-8") for w in vectors.words]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in encoded], out=offsets[1:])
    arrays: dict[str, np.ndarray] = {
        "vectors": vectors.raw().astype(np.float32, copy=False),
        "words_utf8": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "word_offsets": offsets,
        "counts": np.asarray(vectors.counts, dtype=np.int64),
        "manifest_json": np.frombuffer(json.dumps(manifest or {}, ensure_ascii=False, default=str).encode(), np.uint8),
    }
    if vectors.subword is not None:
        arrays["ngrams"] = np.asarray(vectors.subword.ngram_vectors, dtype=np.float32)
        arrays["subword_n"] = np.array([vectors.subword.min_n, vectors.subword.max_n], dtype=np.int64)
    np.savez(target, **arrays)


def read_npz(path: Path, label: str = "The file", limit: int | None = None
             ) -> tuple[list[str], np.ndarray, np.ndarray | None, SubwordModel | None, dict[str, Any]]:
    """Words, writable raw matrix, counts, subword model and stored manifest of an ``.npz``."""
    _check_declared_sizes(path, label)
    try:
        archive = np.load(path, allow_pickle=False)
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        raise VectorFormatError(N_("{label} is not a readable .npz file ({error})."),
                                label=label, error=error) from None
    with archive:
        names = set(archive.files)
        try:
            if "words_utf8" in names:
                data = archive["words_utf8"].tobytes()
                offsets = archive["word_offsets"]
                words = [data[offsets[i]:offsets[i + 1]].decode("utf-8", errors="replace") for i in range(len(offsets) - 1)]
            elif "words" in names:
                words = [str(w) for w in archive["words"]]
            else:
                raise VectorFormatError(N_("{label} has no word list (expected 'words_utf8' or 'words'); "
                                           "it holds {names}."), label=label, names=', '.join(sorted(names)))
            if "vectors" not in names:
                raise VectorFormatError(N_("{label} has no 'vectors' array; it holds {names}."),
                                        label=label, names=', '.join(sorted(names)))
            matrix_view = archive["vectors"]
            if matrix_view.ndim != 2 or matrix_view.shape[0] != len(words):
                raise VectorFormatError(N_("{label}: {n_words:,} words but a vectors array of shape {shape}."),
                                        label=label, n_words=len(words), shape=matrix_view.shape)
            check_size(matrix_view.shape[0], matrix_view.shape[1], label)
            rows = len(words) if limit is None else min(limit, len(words))
            matrix = np.array(matrix_view[:rows], dtype=np.float32)
            counts = np.asarray(archive["counts"][:rows], dtype=np.int64) if "counts" in names else None
            subword = None
            if "ngrams" in names and "subword_n" in names:
                min_n, max_n = (int(x) for x in archive["subword_n"][:2])
                subword = SubwordModel(np.asarray(archive["ngrams"], dtype=np.float32), min_n, max_n)
            manifest: dict[str, Any] = {}
            if "manifest_json" in names:
                try:
                    manifest = json.loads(archive["manifest_json"].tobytes().decode("utf-8"))
                except ValueError:
                    manifest = {}
        except ValueError as error:
            if "pickle" in str(error):
                raise UnsafeFileError(N_("{label} holds Python objects that only unpickling could read; embedlab never "
                                         "unpickles files (that would run code from the file). {safe_format}"),
                                      label=label, safe_format=WHAT_TO_UPLOAD) from None
            raise VectorFormatError(N_("{label} could not be read: {error}."), label=label, error=error) from None
        except (KeyError, zipfile.BadZipFile, EOFError) as error:
            raise VectorFormatError(N_("{label} is damaged or incomplete ({error})."),
                                    label=label, error=error) from None
    return words[:rows], matrix, counts, subword, manifest


#: the most bytes a word may take on average in ``words_utf8`` (real vocabularies average under 20)
MAX_MEAN_WORD_BYTES = 256
#: numpy's fixed-width word arrays (``words``, written by other tools) take 4 bytes per character of the longest
MAX_WORD_CHARS = 1024
#: the manifest is a few kilobytes of JSON; anything near this is not ours
MAX_MANIFEST_BYTES = 16 * 1024**2


def _check_declared_sizes(path: Path, label: str) -> None:
    """Refuse oversized arrays from their ``.npy`` headers and the zip's directory, before anything inflates.

    A 1 MB ``.npz`` can hold gigabytes of zeros (a decompression bomb): every array
    ``read_npz`` reads is sized here from its declared shape (and the zip entry's declared
    size, which also bounds what zipfile will inflate) against a cap that follows from the
    vectors' shape: words and counts scale with the rows, the manifest is small.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = {info.filename: info for info in archive.infolist()}
            # vectors first: its shape sets the other caps, and a huge one is the commonest mistake
            names = sorted((n for n in entries if n.endswith(".npy")), key=lambda n: n != "vectors.npy")
            declared = {}
            for name in names:
                declared[name.removesuffix(".npy")] = _npy_header(archive, entries[name])
                if name == "vectors.npy":
                    _check_matrix(declared["vectors"][0], label)
    except (zipfile.BadZipFile, ValueError, OSError, KeyError, EOFError) as error:
        raise VectorFormatError(N_("{label} is not a readable .npz file ({error})."),
                                label=label, error=error) from None
    rows = int(declared["vectors"][0][0]) if "vectors" in declared else 0
    if "ngrams" in declared:
        _check_matrix(declared["ngrams"][0], Message(N_("{label} (its n-gram table)"), label=label), "ngrams")
    caps = {"vectors": None, "ngrams": None,  # checked above
            "words_utf8": rows * MAX_MEAN_WORD_BYTES + 65536, "words": (rows + 1) * 4 * MAX_WORD_CHARS,
            "word_offsets": (rows + 1) * 8, "counts": rows * 8, "manifest_json": MAX_MANIFEST_BYTES, "subword_n": 64}
    for name, (shape, itemsize) in declared.items():
        cap = caps.get(name)
        if cap is None:  # vectors and n-grams are checked above; other arrays are never read, so never inflated
            continue
        # the zip entry's declared size bounds what zipfile inflates; the header takes at most a few kB of it
        nbytes = max(int(np.prod(shape, dtype=np.float64)) * itemsize, entries[f"{name}.npy"].file_size - 4096)
        if nbytes > cap:
            raise FileTooLargeError(
                N_("{label}: its '{name}' array unpacks to {nbytes_mb:,.1f} MB, far more than "
                   "{rows:,} vectors need (at most {cap_mb:,.1f} MB); embedlab does not unpack it. "
                   "{safe_format}"),
                label=label, name=name, nbytes_mb=nbytes / 1024**2, rows=rows, cap_mb=cap / 1024**2,
                safe_format=WHAT_TO_UPLOAD)


def _check_matrix(shape: tuple[int, ...], label: str | Message, name: str = "vectors") -> None:
    if len(shape) != 2:
        raise VectorFormatError(N_("{label}: '{name}' should be a table of rows and dimensions, not shape {shape}."),
                                label=label, name=name, shape=shape)
    check_size(int(shape[0]), int(shape[1]), label)


def _npy_header(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[tuple[int, ...], int]:
    """An ``.npy`` member's declared shape and item size, from its header (a few hundred bytes inflated)."""
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(member)
    return tuple(int(x) for x in shape), int(dtype.itemsize)
