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

from embedlab.errors import UnsafeFileError, VectorFormatError
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
    _check_declared_shape(path, label)
    try:
        archive = np.load(path, allow_pickle=False)
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        raise VectorFormatError(f"{label} is not a readable .npz file ({error}).") from None
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
                raise VectorFormatError(f"{label} has no word list (expected 'words_utf8' or 'words'); "
                                        f"it holds {', '.join(sorted(names))}.")
            if "vectors" not in names:
                raise VectorFormatError(f"{label} has no 'vectors' array; it holds {', '.join(sorted(names))}.")
            matrix_view = archive["vectors"]
            if matrix_view.ndim != 2 or matrix_view.shape[0] != len(words):
                raise VectorFormatError(f"{label}: {len(words):,} words but a vectors array of shape {matrix_view.shape}.")
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
                raise UnsafeFileError(f"{label} holds Python objects that only unpickling could read; embedlab never "
                                      f"unpickles files (that would run code from the file). {WHAT_TO_UPLOAD}") from None
            raise VectorFormatError(f"{label} could not be read: {error}.") from None
        except (KeyError, zipfile.BadZipFile, EOFError) as error:
            raise VectorFormatError(f"{label} is damaged or incomplete ({error}).") from None
    return words[:rows], matrix, counts, subword, manifest


def _check_declared_shape(path: Path, label: str) -> None:
    """Refuse an oversized ``vectors`` array from its ``.npy`` header, before numpy reads (and inflates) it."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "vectors.npy" not in archive.namelist():
                return
            with archive.open("vectors.npy") as member:
                version = np.lib.format.read_magic(member)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, _, _ = read_header(member)
    except (zipfile.BadZipFile, ValueError, OSError, KeyError) as error:
        raise VectorFormatError(f"{label} is not a readable .npz file ({error}).") from None
    if len(shape) != 2:
        raise VectorFormatError(f"{label}: 'vectors' should be a table of rows and dimensions, not shape {shape}.")
    check_size(int(shape[0]), int(shape[1]), label)
