"""Importing a vector file into the workspace: read once, then memory-mapped from our own arrays.

The first import of a file parses it and saves a workspace model (manifest
``algorithm: "imported"`` with where it came from). Text and word2vec binary files
are parsed a block of rows at a time straight into the model's files
(``sinks.ModelSink``), so the import's memory is one block and the words, not the
matrix and its unit-normalised copy. Importing the same file again
with the same options finds that model by the file's signature and loads it
memory-mapped instead: about a second for 400k x 300 rather than a re-parse.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import embedlab.io.formats as fmt
from embedlab.errors import VectorFormatError
from embedlab.i18n import _, N_
from embedlab.io.reading import STREAMED, read_rows, read_vectors, resolve_format
from embedlab.io.sinks import ModelSink
from embedlab.records import Manifest
from embedlab.train.registry import IMPORTED
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.workspace import Workspace

ALGORITHM = IMPORTED
#: bytes hashed from each end of a file for its signature (with its size): cheap even for gigabytes
SIGNATURE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    model_id: str
    reused: bool  # True when an earlier import of the same file was found
    format: str
    rows: int
    dims: int
    seconds: float


def file_signature(path: Path, *extra: Any) -> str:
    """A content signature of a file: its size and first and last megabyte (plus the import options)."""
    path = Path(path)
    size = path.stat().st_size
    digest = hashlib.blake2b(digest_size=12)
    digest.update(str((size, *extra)).encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(SIGNATURE_BYTES))
        if size > SIGNATURE_BYTES:
            handle.seek(max(SIGNATURE_BYTES, size - SIGNATURE_BYTES))
            digest.update(handle.read(SIGNATURE_BYTES))
    return digest.hexdigest()


def find_import(workspace: Workspace, signature: str) -> str | None:
    """The id of a model imported earlier from a file with this signature, if it is still there."""
    for record in workspace.list_models():
        if (record.manifest.source or {}).get("signature") == signature:
            return record.model_id
    return None


def import_vectors(
    workspace: Workspace,
    path: Path | str,
    *,
    source_name: str = "",
    name: str | None = None,
    format: str | None = None,
    limit: int | None = None,
    metadata: Path | str | None = None,
    reuse: bool = True,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ImportResult:
    """Make ``path`` a workspace model (or find the one made from it before); returns its id and facts.

    ``source_name`` is the user's file name, kept as a label only (never a path).
    """
    started = time.perf_counter()
    path = Path(path)
    source_name = source_name or path.name
    # the detected format stands in for "auto", so the CLI (auto) and the page (explicit) find each other's imports
    signature = file_signature(path, format or fmt.detect_format(path, source_name), limit,
                               file_signature(metadata) if metadata else None)
    if reuse and (existing := find_import(workspace, signature)) is not None:
        on_progress(1, 1, _("Already imported: using the saved copy"))
        manifest = workspace.manifest(existing)
        return ImportResult(existing, True, str((manifest.source or {}).get("format", "")), manifest.vocab_size,
                            manifest.dim, time.perf_counter() - started)
    format = resolve_format(path, format, source_name, limit)
    if format in STREAMED:
        return _import_streamed(workspace, path, format, source_name, name, limit, signature, on_progress, cancel,
                                started)
    loaded = read_vectors(path, format, name=source_name, limit=limit, metadata=metadata,
                          on_progress=on_progress, cancel=cancel)
    on_progress(1, 1, _("Saving {n:,} vectors to the workspace").format(n=len(loaded.vectors)))
    seconds = time.perf_counter() - started
    manifest = import_manifest(len(loaded.vectors), loaded.vectors.dim, loaded.format, source_name, name, limit,
                               signature, loaded.info, seconds, loaded.manifest)
    model_id = workspace.save_model(loaded.vectors, manifest)
    return ImportResult(model_id, False, loaded.format, len(loaded.vectors), loaded.vectors.dim,
                        time.perf_counter() - started)


def _import_streamed(workspace: Workspace, path: Path, format: str, source_name: str, name: str | None,
                     limit: int | None, signature: str, on_progress: ProgressFn, cancel: CancelToken | None,
                     started: float) -> ImportResult:
    """Parse a text or word2vec binary file straight into a draft model's files, a block of rows at a time.

    Nothing but one block and the words is held in memory (``sinks.ModelSink``). A bad row, a cancel or a full
    disk, however late in the file, deletes the draft: the workspace gains the whole model or nothing.
    """
    label = fmt.file_label(source_name)
    with workspace.draft_model(Manifest(algorithm=ALGORITHM)) as draft:
        sink = ModelSink(draft)
        info = read_rows(path, format, sink, label, limit, on_progress, cancel)
        if not sink.words:
            raise VectorFormatError(N_("{label} holds no vectors."), label=label)
        info["duplicates_dropped"] = sink.dropped
        rows, dims = len(sink.words), sink.dims
        on_progress(1, 1, _("Saving {n:,} vectors to the workspace").format(n=rows))
        seconds = time.perf_counter() - started
        manifest = import_manifest(rows, dims, format, source_name, name, limit, signature, info, seconds)
        model_id = sink.finish(manifest)
    return ImportResult(model_id, False, format, rows, dims, time.perf_counter() - started)


def import_manifest(rows: int, dims: int, format: str, source_name: str, name: str | None, limit: int | None,
                    signature: str, info: dict[str, Any], seconds: float,
                    stored: dict[str, Any] | None = None) -> Manifest:
    """The manifest of an imported model: where it came from, and what an npz carried of its own."""
    stored = stored or {}
    if stored.get("algorithm") == ALGORITHM and isinstance(stored.get("original"), dict):
        stored = stored["original"]  # an export of an imported model: keep what first trained the vectors
    return Manifest(
        algorithm=ALGORITHM,
        # the file's own name: labels and the models table already say 'Imported' (in the reader's language)
        name=(name or "").strip()[:200] or Path(source_name).name[:200],
        timings={"load_s": round(seconds, 3)},
        source={
            "file": Path(source_name).name[:200],
            "format": format,
            "format_label": fmt.FORMAT_LABELS[format],
            "rows": rows,
            "dims": dims,
            "limit": limit,
            "signature": signature,
            **{k: v for k, v in info.items() if k != "dims"},
        },
        # our own npz: keep what the model was (algorithm, params, corpus) as provenance
        original={k: stored[k] for k in ("name", "algorithm", "params", "corpus", "created", "metrics") if k in stored}
        if stored else None,
    )
