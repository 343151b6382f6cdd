"""Exports: any model out in the formats other tools read.

Every writer streams rows in blocks (a 400k-word model is never formatted in one
string) and checks first that each word can be written in that format: a word
with a space cannot round-trip through word2vec binary, a tab or newline
cannot through any text format. Such a model gets a message naming the words,
not a silently corrupt file. Numbers are written with 8 significant digits,
within float32 precision of the stored values.
"""

from __future__ import annotations

import io as _stdio
import json
import zipfile
from pathlib import Path
from typing import Any, BinaryIO, Callable, Mapping, Sequence

import numpy as np

from embedlab.errors import EmbedlabError, VectorFormatError
import embedlab.io.formats as fmt
from embedlab.i18n import N_, Message
from embedlab.io.native import write_npz
from embedlab.io.projector import metadata_text
from embedlab.vectors import WordVectors

ROW_CHUNK = 8192
NUMBER = "%.8g"

#: export format -> (file suffix, mime type, what the user reads)
EXPORTS: dict[str, tuple[str, str, str]] = {
    fmt.WORD2VEC_TEXT: (".txt", "text/plain", N_("word2vec text (.txt, with a header; gensim, fastText .vec readers)")),
    fmt.WORD2VEC_BINARY: (".bin", "application/octet-stream", N_("word2vec binary (.bin)")),
    fmt.GLOVE: (".txt", "text/plain", N_("GloVe text (.txt, no header)")),
    fmt.PROJECTOR: (".zip", "application/zip", N_("Embedding Projector (vectors.tsv + metadata.tsv, zipped)")),
    fmt.NPZ: (".zip", "application/zip", N_("embedlab .npz + manifest.json (zipped)")),
}


def check_words(words: tuple[str, ...] | list[str], format: str) -> None:
    """Refuse words this format cannot hold, naming a few of them.

    Text formats: gensim splits a line on spaces, so a word with a space in it ('new york')
    would be read back as several fields (the file does not load), and a word that is
    blank or starts or ends with whitespace does not survive the readers' trimming. Projector
    metadata: a word that is only whitespace reads back as an empty line, which shifts
    every label after it. Binary: the word ends at the first space.
    """
    def bad(word: str) -> bool:
        if not word or "\n" in word or "\r" in word:
            return True
        if format == fmt.PROJECTOR:
            return "\t" in word or not word.strip()
        if format == fmt.WORD2VEC_BINARY:
            return " " in word
        return " " in word or word != word.strip()  # text

    if format == fmt.NPZ:
        return
    found = [w for w in words if bad(w)]
    if found:
        what = Message({fmt.PROJECTOR: N_("tabs or line breaks, or are only whitespace"),
                        fmt.WORD2VEC_BINARY: N_("spaces or line breaks")}.get(
            format, N_("spaces or line breaks (text readers such as gensim split lines on spaces), or surrounding "
                       "whitespace")))
        raise VectorFormatError(
            N_("{n_found:,} word(s) cannot be written as {format_label} because they contain {what}, e.g. "
               "{examples}. Choose another format (the .npz keeps every word as it is)."),
            n_found=len(found), format_label=Message(EXPORTS[format][2]), what=what,
            examples=", ".join(repr(w) for w in found[:3]))


def _blocks(vectors: WordVectors):
    for start in range(0, len(vectors), ROW_CHUNK):
        stop = min(start + ROW_CHUNK, len(vectors))
        if vectors.raw_matrix is not None:  # the exact bits trained or read: an export read back is identical
            raw = np.asarray(vectors.raw_matrix[start:stop], dtype=np.float32)
        else:
            raw = np.asarray(vectors.unit[start:stop], dtype=np.float32) * np.asarray(vectors.norms[start:stop])[:, None]
        yield vectors.words[start:stop], raw


def write_text(vectors: WordVectors, out: BinaryIO, header: bool) -> None:
    """word2vec text (``header=True``) or GloVe text: 'word v1 v2 ...' per line."""
    check_words(vectors.words, fmt.WORD2VEC_TEXT if header else fmt.GLOVE)
    row_format = " ".join([NUMBER] * vectors.dim)
    if header:
        out.write(f"{len(vectors)} {vectors.dim}\n".encode())
    for words, raw in _blocks(vectors):
        out.write("".join(f"{w} {row_format % tuple(r)}\n" for w, r in zip(words, raw.tolist())).encode("utf-8"))


def write_binary(vectors: WordVectors, out: BinaryIO) -> None:
    """word2vec binary, as the C tool writes it (a newline after each row, which gensim also reads)."""
    check_words(vectors.words, fmt.WORD2VEC_BINARY)
    out.write(f"{len(vectors)} {vectors.dim}\n".encode())
    for words, raw in _blocks(vectors):
        raw = raw.astype("<f4", copy=False)
        out.write(b"".join(w.encode("utf-8") + b" " + raw[i].tobytes() + b"\n" for i, w in enumerate(words)))


def projector_files(vectors: WordVectors, columns: Mapping[str, Sequence[str]] | None = None) -> tuple[bytes, bytes]:
    """``vectors.tsv`` and ``metadata.tsv`` as the Embedding Projector loads them; ``columns`` adds metadata
    columns (one value per word, e.g. item titles and categories)."""
    check_words(vectors.words, fmt.PROJECTOR)
    row_format = "\t".join([NUMBER] * vectors.dim)
    parts = []
    for _, raw in _blocks(vectors):
        parts.append("".join(f"{row_format % tuple(r)}\n" for r in raw.tolist()).encode())
    return b"".join(parts), metadata_text(vectors.words, vectors.counts, columns).encode("utf-8")


def write_export(vectors: WordVectors, format: str, out: BinaryIO, manifest: dict[str, Any] | None = None,
                 columns: Mapping[str, Sequence[str]] | None = None) -> None:
    """Write ``vectors`` in ``format`` to a binary stream (the zip formats write a zip); ``columns`` are extra
    metadata columns for the Projector export."""
    if format == fmt.WORD2VEC_TEXT:
        write_text(vectors, out, header=True)
    elif format == fmt.GLOVE:
        write_text(vectors, out, header=False)
    elif format == fmt.WORD2VEC_BINARY:
        write_binary(vectors, out)
    elif format == fmt.PROJECTOR:
        tsv, meta = projector_files(vectors, columns)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("vectors.tsv", tsv)
            archive.writestr("metadata.tsv", meta)
    elif format == fmt.NPZ:
        npz = _stdio.BytesIO()
        write_npz(vectors, npz, manifest)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("model.npz", npz.getvalue())
            archive.writestr("manifest.json", json.dumps(manifest or {}, ensure_ascii=False, indent=1, default=str))
    else:
        raise EmbedlabError(N_("Unknown export format {format!r}; choose one of {exports}."),
                            format=format, exports=', '.join(EXPORTS))


def export_bytes(vectors: WordVectors, format: str, manifest: dict[str, Any] | None = None,
                 columns: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """The export as bytes (for a download button)."""
    buffer = _stdio.BytesIO()
    write_export(vectors, format, buffer, manifest, columns)
    return buffer.getvalue()


def export_to_path(vectors: WordVectors, format: str, target: Path | str,
                   manifest: dict[str, Any] | None = None) -> list[Path]:
    """Write an export to ``target``; returns the files written.

    A ``.npz`` target gets the bare npz plus ``<name>.manifest.json`` beside it; a
    projector target that is a directory (no ``.zip`` suffix) gets the two ``.tsv`` files.
    """
    target = Path(target)
    if format == fmt.NPZ and target.suffix == ".npz":
        write_npz(vectors, target, manifest)
        side = target.with_suffix(".manifest.json")
        side.write_text(json.dumps(manifest or {}, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return [target, side]
    if format == fmt.PROJECTOR and target.suffix != ".zip":
        target.mkdir(parents=True, exist_ok=True)
        tsv, meta = projector_files(vectors)
        (target / "vectors.tsv").write_bytes(tsv)
        (target / "metadata.tsv").write_bytes(meta)
        return [target / "vectors.tsv", target / "metadata.tsv"]
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(target, lambda out: write_export(vectors, format, out, manifest))
    return [target]


def _write_atomically(target: Path, write: Callable[[BinaryIO], None]) -> None:
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "wb") as out:
            write(out)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def export_filename(model_name: str, format: str) -> str:
    """A safe download name from a model's name and the format."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name).strip("._") or "vectors"
    kind = {fmt.WORD2VEC_TEXT: "word2vec", fmt.WORD2VEC_BINARY: "word2vec", fmt.GLOVE: "glove",
            fmt.PROJECTOR: "projector", fmt.NPZ: "npz"}[format]
    return f"{stem[:60]}.{kind}{EXPORTS[format][0]}"
