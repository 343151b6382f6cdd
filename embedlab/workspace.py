"""The on-disk workspace: every corpus and model a user makes, kept across restarts.

Layout (all names chosen by embedlab, never by an uploaded file's name)::

    root/corpora/<id>/source       an uploaded original (moved in; files named on the CLI stay where they are)
    root/corpora/<id>/tokens.txt   one sentence a line, tokens space-joined
    root/corpora/<id>/corpus.json  PreparedCorpus: name, tokeniser, encoding, stats, source signature
    root/corpora/<id>/concordance/ the keyword-in-context index (embedlab.concordance), rebuildable
    root/models/<id>/manifest.json records.Manifest: params, corpus, versions, timings, loss, metrics
    root/models/<id>/*.npy         words-ordered unit vectors, norms, counts, raw vectors, n-grams
    root/models/<id>/categories.*  a category table the user uploaded for this model (optional)
    root/comparisons/<id>.json     records.ComparisonRecord: 2-3 model ids compared together
    root/cache/projections/        finished map layouts by (vectors, params), safe to delete

This module is the only one that knows these paths: maths modules take and return
arrays, and ``embedlab.workflows`` composes them with this store.

Models are stored as plain ``.npy`` arrays rather than one ``.npz`` so the next load
memory-maps them (about a second for 400k x 300) instead of reading and copying;
``io`` exports a single ``.npz`` for sharing. Nothing here is ever pickled: arrays
are loaded with ``allow_pickle=False`` and words live in JSON.

Writes are atomic: a model directory is built under a temporary name and renamed
into place, files are written to a temporary name and ``os.replace``d, so a crash
or a cancelled job never leaves a half-written model that looks complete.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import re
import shutil
import tempfile
import threading
import time
import uuid
import dataclasses
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Mapping, Sequence

import numpy as np

from embedlab import __version__
from embedlab.concordance import ConcordanceIndex, build_index, index_is_current
from embedlab.config import CorpusParams, ProjectionParams
from embedlab.corpus import PreparedCorpus, prepare_corpus
from embedlab.diskfull import as_disk_full, is_disk_full, reported
from embedlab.errors import (ComparisonNotFoundError, CorpusNotFoundError, EmbedlabError, FileTooLargeError,
                             ModelNotFoundError)
from embedlab.i18n import N_, use_language
from embedlab.ownership import is_partial_save, is_scratch, orphaned, owner_tag
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.projection import LAYOUT_VERSION, Projection, SampleDescription
from embedlab.records import ComparisonRecord, Manifest, SubwordInfo
from embedlab.rowfile import RowFile
from embedlab.subword import SubwordModel
from embedlab.vectors import WordVectors

ENV_VAR = "EMBEDLAB_WORKSPACE"
COPY_CHUNK = 1024 * 1024
#: upload copies older than this are abandoned (their tab was closed before "add")
STALE_UPLOAD_S = 24 * 3600
#: a comparison names this many saved models
MIN_COMPARED, MAX_COMPARED = 2, 3
#: the largest category table a user may upload for a model
MAX_CATEGORY_TABLE_BYTES = 50 * 1024 * 1024
#: one concordance index is built at a time per process (two pages asking at once build it once)
_INDEX_LOCK = threading.Lock()


def default_root() -> Path:
    """``$EMBEDLAB_WORKSPACE`` if set, else ``./workspace`` (beside wherever embedlab is run)."""
    return Path(os.environ.get(ENV_VAR) or Path.cwd() / "workspace")


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # the temporary name carries this process's mark, so a crash's leftover is swept (``Workspace.clean_stale``)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{owner_tag()}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def new_id(prefix: str) -> str:
    """Sortable, unique, filesystem-safe: ``w2v-20261122-134501-3fa2``."""
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def library_versions() -> dict[str, str]:
    import gensim

    return {"embedlab": __version__, "gensim": gensim.__version__, "numpy": np.__version__,
            "python": platform.python_version()}


#: a model's recorded training, beside its vectors
SNAPSHOTS_FILE = "snapshots.npz"
#: the search index chosen for a model (the Index lab), beside its vectors
SEARCH_INDEX_FILE = "search_index.json"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class ModelRecord:
    """A saved model as listed: its id and manifest (vectors load separately, lazily)."""

    model_id: str
    manifest: Manifest

    @property
    def name(self) -> str:
        return self.manifest.name or self.model_id

    @property
    def algorithm(self) -> str:
        return self.manifest.algorithm

    @property
    def created(self) -> str:
        return self.manifest.created


@dataclass(frozen=True)
class SourceSignature:
    """How a corpus's original file is recognised again without keeping a copy of it.

    Size and modification time decide for free when they match; when only the size
    matches, one streamed digest of the new file is compared with the one recorded.
    """

    size: int
    mtime_ns: int
    digest: str

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "digest": self.digest}


def file_digest(path: Path) -> str:
    """A streamed blake2b digest of a file's whole content (memory stays at one chunk)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def source_signature(path: Path) -> SourceSignature:
    info = Path(path).stat()
    return SourceSignature(info.st_size, info.st_mtime_ns, file_digest(path))


@dataclass(frozen=True)
class CategoryTable:
    """A category table a user uploaded for one model: the file's bytes and its name (a label only)."""

    data: bytes
    source: str
    #: the column the user chose as the category (None: the likeliest one)
    column: str | None = None


class Workspace:
    """A folder of corpora and models. Safe to share between threads of one process."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        for sub in ("corpora", "models", "comparisons", "cache", "incoming"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.clean_stale()

    def clean_stale(self, max_age_s: float = STALE_UPLOAD_S) -> int:
        """Delete leftovers no running process owns, and any older than ``max_age_s``; returns how many.

        Upload copies wait in ``incoming/`` only between an upload and its "add" (or while a
        job tokenises them), ``.building-``/``.deleting-`` folders exist only during a
        save or delete, and a concordance index is written beside the one it replaces
        (``ownership.scratch_prefix``) inside a corpus folder or the cache. Each name carries
        its maker's mark (``owner_tag``): after a restart or a kill no job can own them, so
        they go at once; a live process's go when a day old (a closed tab's upload copy,
        which a page re-makes if it is still wanted).

        Partial saves (``*.tmp`` of ``atomic_write_bytes`` and the caches, a model's
        ``.snapshots-*.npz``) go only when their maker is gone: a save never takes a day, but
        one in progress in another live process must never lose its file.
        """
        removed = 0
        cutoff = time.time() - max_age_s
        leftovers = [p for p in (self.root / "incoming").iterdir() if p.is_file() or p.name.startswith(".unzip-")]
        for kind in ("models", "corpora"):
            leftovers += [p for p in (self.root / kind).iterdir()
                          if p.is_dir() and p.name.startswith((".building-", ".deleting-"))]
        index_homes = [p for p in (self.root / "corpora").iterdir() if p.is_dir() and not p.name.startswith(".")]
        index_homes.append(self.cache_dir / "concordance")
        for home in index_homes:
            try:
                leftovers += [p for p in home.iterdir() if is_scratch(p.name)]
            except OSError:
                continue  # no index cache yet, or a corpus deleted meanwhile
        for path in leftovers:
            try:
                if not orphaned(path.name) and path.stat().st_mtime >= cutoff:
                    continue
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed += 1
            except OSError:
                continue  # another process got there first
        for path in self._partial_saves():
            try:
                if orphaned(path.name):
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    def _partial_saves(self) -> list[Path]:
        """Files a save writes under a temporary name and renames when complete, wherever saves write: the
        workspace's own folders, each model's and corpus's folder and the cache's folders (never inside a
        ``.building-`` folder, which goes whole)."""
        homes = [self.root]
        homes += [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
        for kind in ("models", "corpora"):
            homes += [p for p in (self.root / kind).iterdir() if p.is_dir() and not p.name.startswith(".")]
        homes += [p for p in self.cache_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
        found = []
        for home in homes:
            try:
                found += [p for p in home.iterdir() if p.is_file() and is_partial_save(p.name)]
            except OSError:
                continue  # a folder deleted meanwhile
        return found

    # -- paths -------------------------------------------------------------
    _NOT_FOUND = {"models": ModelNotFoundError, "corpora": CorpusNotFoundError, "comparisons": ComparisonNotFoundError}

    def _dir(self, kind: str, item_id: str) -> Path:
        """The folder (or, for comparisons, the file stem) of an id; ids are ours, so anything else is refused."""
        if not isinstance(item_id, str) or not _SAFE_ID.match(item_id):
            template = {"models": N_("{item_id!r} is not a valid model id."),
                        "corpora": N_("{item_id!r} is not a valid corpus id."),
                        "comparisons": N_("{item_id!r} is not a valid comparison id.")}[kind]
            raise self._NOT_FOUND[kind](template, item_id=item_id)
        return self.root / kind / item_id

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    # -- corpora -------------------------------------------------------------
    def receive_upload(self, stream: BinaryIO, max_bytes: int | None = None) -> Path:
        """Copy an upload in chunks to a file named by us; returns its path in ``incoming/``."""
        target = self.root / "incoming" / f"{owner_tag()}-{uuid.uuid4().hex}.upload"
        written = 0
        try:
            with reported(self.root / "incoming", getattr(stream, "size", None)), open(target, "wb") as out:
                while chunk := stream.read(COPY_CHUNK):
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise FileTooLargeError(N_("The file is larger than {max_bytes_mb:.0f} MB, the limit for uploads."),
                                                max_bytes_mb=max_bytes / 1024**2)
                    out.write(chunk)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    def add_corpus(
        self,
        source: Path,
        name: str,
        params: CorpusParams = CorpusParams(),
        *,
        move: bool = False,
        on_progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
        index: bool = True,
    ) -> PreparedCorpus:
        """Tokenise ``source`` into a new corpus folder; the folder appears only when complete.

        ``move`` takes the file in as ``source`` (an upload copy); otherwise it stays where it
        is and only its signature is recorded, so ``find_corpus`` recognises it next time.

        ``index`` also builds the corpus's concordance index (about a second per million
        tokens); without it the index is built on first use.
        """
        corpus_id = new_id("corpus")
        building = self.root / "corpora" / f".building-{corpus_id}-{owner_tag()}"
        building.mkdir(parents=True)
        try:
            signature = source_signature(source)
            with reported(self.root / "corpora", 2 * Path(source).stat().st_size):  # the tokens, and the source if moved
                prepared = prepare_corpus(source, building, params, name=name, on_progress=on_progress, cancel=cancel)
                if index:  # the concordance index: about 9 bytes a token, less than the tokens file
                    build_index(building / "tokens.txt", building / "concordance", prepared.fingerprint, on_progress,
                                cancel)
                if move:
                    shutil.move(str(source), building / "source")
                final = self.root / "corpora" / corpus_id
                prepared = dataclasses.replace(prepared, tokens_path=final / "tokens.txt", corpus_id=corpus_id,
                                               requested_tokenizer=params.tokenizer, source=signature.to_json())
                atomic_write_text(building / "corpus.json", json.dumps(prepared.to_json(), ensure_ascii=False, indent=1))
            os.replace(building, final)
            return prepared
        finally:
            if building.exists():
                shutil.rmtree(building, ignore_errors=True)
            if move and Path(source).exists():
                Path(source).unlink(missing_ok=True)

    def list_corpora(self) -> list[PreparedCorpus]:
        found = []
        for folder in sorted((self.root / "corpora").iterdir(), reverse=True):
            if folder.name.startswith(".") or not (folder / "corpus.json").exists():
                continue
            found.append(self._read_corpus(folder))
        return found

    def load_corpus(self, corpus_id: str) -> PreparedCorpus:
        folder = self._dir("corpora", corpus_id)
        if not (folder / "corpus.json").exists():
            raise CorpusNotFoundError(N_("Corpus {corpus_id!r} is not in the workspace (was it deleted?)."),
                                      corpus_id=corpus_id)
        return self._read_corpus(folder)

    def find_corpus(self, path: Path, params: CorpusParams = CorpusParams()) -> PreparedCorpus | None:
        """A corpus made earlier from this same file with the same options, if any (newest first).

        Same content means the same size and either the same modification time (no read
        at all) or the same streamed digest (one read of ``path``, never of the old file).
        """
        path = Path(path)
        info = path.stat()
        digest: str | None = None
        for corpus in self.list_corpora():
            recorded = corpus.source or {}
            if recorded.get("size") != info.st_size or corpus.lowercase != params.lowercase:
                continue
            if params.tokenizer not in (corpus.tokenizer, corpus.requested_tokenizer):
                continue
            if recorded.get("mtime_ns") == info.st_mtime_ns:
                return corpus
            digest = digest or file_digest(path)
            if recorded.get("digest") == digest:
                return corpus
        return None

    def _read_corpus(self, folder: Path) -> PreparedCorpus:
        data = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
        data["tokens_path"] = str(folder / "tokens.txt")  # the workspace may have moved
        data["corpus_id"] = folder.name
        return PreparedCorpus.from_json(data)

    def concordance_dir(self, corpus: PreparedCorpus) -> Path:
        """Where a corpus's concordance index lives: in its folder, so it goes when the corpus goes."""
        if corpus.corpus_id:
            return self._dir("corpora", corpus.corpus_id) / "concordance"
        return self.cache_dir / "concordance" / corpus.fingerprint  # a corpus prepared outside the workspace

    def concordance_index(self, corpus: PreparedCorpus, on_progress: ProgressFn = no_progress,
                          cancel: CancelToken | None = None) -> ConcordanceIndex:
        """The corpus's concordance index, built now if it is missing or outdated."""
        folder = self.concordance_dir(corpus)
        if index_is_current(folder, corpus.fingerprint):
            return ConcordanceIndex.open(folder)
        with _INDEX_LOCK:
            if index_is_current(folder, corpus.fingerprint):  # another thread built it meanwhile
                return ConcordanceIndex.open(folder)
            return build_index(corpus.tokens_path, folder, corpus.fingerprint, on_progress, cancel)

    def delete_corpus(self, corpus_id: str) -> None:
        shutil.rmtree(self._dir("corpora", corpus_id), ignore_errors=True)

    # -- models --------------------------------------------------------------
    def save_model(self, vectors: WordVectors, manifest: Manifest, model_id: str | None = None,
                   arrays: Mapping[str, tuple[Mapping[str, np.ndarray], Mapping[str, Any]]] | None = None) -> str:
        """Write vectors + manifest atomically; returns the new model's id.

        The manifest gets the fields every reader relies on (id, created, size,
        dimension, fingerprint, versions) filled in here, so no caller forgets them.
        ``arrays`` are extra groups of arrays with JSON facts (e.g. Doc2Vec's inference
        weights), written into the same folder before it appears (``load_model_arrays``).
        """
        needed = (2 * vectors.unit.nbytes + vectors.norms.nbytes + vectors.counts.nbytes + sum(len(w) + 4 for w in vectors.words)
                  + (vectors.subword.ngram_vectors.nbytes if vectors.subword is not None else 0))
        with self.draft_model(manifest, model_id, needed) as draft:
            np.save(draft.folder / "unit.npy", np.ascontiguousarray(vectors.unit))
            if vectors.raw_matrix is not None:  # exports write these bits: export -> import is exact
                np.save(draft.folder / "raw.npy", np.ascontiguousarray(vectors.raw_matrix, dtype=np.float32))
            return draft.finish(vectors.words, vectors.dim, vectors.norms, vectors.counts, vectors.fingerprint,
                                vectors.subword, arrays)

    def draft_model(self, manifest: Manifest, model_id: str | None = None, needed: int | None = None) -> "ModelDraft":
        """A model folder to fill array by array, e.g. an import streaming its file's rows to disk.

        Use it as a context manager: ``finish`` renames the folder into place; an error (or leaving
        without ``finish``) deletes it, and a full disk becomes a ``DiskFullError``. A kill leaves a
        marked ``.building-`` folder that ``clean_stale`` sweeps. ``needed`` (bytes) is for that message
        and may be set later on the draft, once the caller knows the model's size.
        """
        model_id = model_id or new_id(manifest.algorithm if manifest.algorithm != "?" else "model")
        final = self._dir("models", model_id)
        if final.exists():
            raise EmbedlabError(N_("A model with id {model_id!r} already exists."), model_id=model_id)
        return ModelDraft(self, model_id, manifest, needed)

    def list_models(self) -> list[ModelRecord]:
        """Every complete model, newest first (half-built folders are skipped)."""
        records = []
        for folder in (self.root / "models").iterdir():
            if folder.name.startswith(".") or not (folder / "manifest.json").exists():
                continue
            try:
                manifest = _read_manifest(folder / "manifest.json")
            except (OSError, ValueError, TypeError, KeyError):
                continue  # a damaged manifest must not hide every other model
            records.append(ModelRecord(folder.name, manifest))
        # milliseconds in `created` order models made in one second; the id breaks exact ties stably
        return sorted(records, key=lambda r: (r.created, r.model_id), reverse=True)

    def manifest(self, model_id: str) -> Manifest:
        path = self._dir("models", model_id) / "manifest.json"
        if not path.exists():
            raise ModelNotFoundError(N_("Model {model_id!r} is not in the workspace (was it deleted?)."),
                                     model_id=model_id)
        return _read_manifest(path)

    def model(self, model_id: str) -> ModelRecord:
        return ModelRecord(model_id, self.manifest(model_id))

    def load_vectors(self, model_id: str, mmap: bool = True) -> WordVectors:
        """Load a saved model's vectors, memory-mapped by default (fast, shared between readers)."""
        folder = self._dir("models", model_id)
        manifest = self.manifest(model_id)
        mode = "r" if mmap else None
        load = lambda name: np.load(folder / name, mmap_mode=mode, allow_pickle=False)  # noqa: E731
        words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        subword = None
        if (folder / "ngrams.npy").exists() and manifest.subword is not None:
            subword = SubwordModel(load("ngrams.npy"), manifest.subword.min_n, manifest.subword.max_n)
        raw = load("raw.npy") if (folder / "raw.npy").exists() else None  # models saved before it was kept have none
        return WordVectors.from_parts(words, load("unit.npy"), load("norms.npy"), load("counts.npy"),
                                      manifest.fingerprint, subword, raw)

    def update_manifest(self, model_id: str, **changes: Any) -> Manifest:
        """Change manifest fields (rename, add metrics) atomically; returns the new manifest."""
        manifest = self.manifest(model_id).replace(**changes)
        _write_json(self._dir("models", model_id) / "manifest.json", manifest.to_json())
        return manifest

    def rename_model(self, model_id: str, name: str) -> None:
        name = name.strip()
        if not name:
            raise EmbedlabError(N_("A model's name cannot be empty."))
        self.update_manifest(model_id, name=name[:200])

    def delete_model(self, model_id: str) -> None:
        folder = self._dir("models", model_id)
        if not folder.exists():
            raise ModelNotFoundError(N_("Model {model_id!r} is not in the workspace."), model_id=model_id)
        # rename first so a listing never sees a half-deleted model
        trash = self.root / "models" / f".deleting-{model_id}-{uuid.uuid4().hex[:4]}-{owner_tag()}"
        os.replace(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)

    # -- the search index chosen for a model ----------------------------------------------
    def save_search_index(self, model_id: str, settings: Mapping[str, Any] | None) -> None:
        """Keep the search index chosen for a model (the Index lab's pick, as JSON settings); None forgets it.

        A file beside the vectors rather than a manifest field: the manifest says how the model was made, this
        says how it is searched, and code that does not know the file never reads it (older workspaces and
        older embedlab versions open the model as before). Deleting the model deletes it too.
        """
        folder = self._dir("models", model_id)
        if not (folder / "manifest.json").exists():
            raise ModelNotFoundError(N_("Model {model_id!r} is not in the workspace (was it deleted?)."),
                                     model_id=model_id)
        if settings is None:
            (folder / SEARCH_INDEX_FILE).unlink(missing_ok=True)
        else:
            _write_json(folder / SEARCH_INDEX_FILE, dict(settings))

    def load_search_index(self, model_id: str) -> dict[str, Any] | None:
        """The settings ``save_search_index`` kept for this model, or None (none chosen, or unreadable)."""
        try:
            data = json.loads((self._dir("models", model_id) / SEARCH_INDEX_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, EmbedlabError):
            return None
        return data if isinstance(data, dict) else None

    # -- training snapshots (playback) ----------------------------------------------------
    def save_snapshots(self, model_id: str, arrays: Mapping[str, np.ndarray]) -> None:
        """Store a model's recorded training beside its vectors (so deleting the model deletes it too)."""
        folder = self._dir("models", model_id)
        if not (folder / "manifest.json").exists():
            raise ModelNotFoundError(N_("Model {model_id!r} is not in the workspace."), model_id=model_id)
        partial = folder / f".snapshots-{owner_tag()}-{uuid.uuid4().hex[:6]}.npz"  # marked: see clean_stale
        try:
            with open(partial, "wb") as handle:
                np.savez(handle, **arrays)
            os.replace(partial, folder / SNAPSHOTS_FILE)
        finally:
            partial.unlink(missing_ok=True)

    def has_snapshots(self, model_id: str) -> bool:
        try:
            return (self._dir("models", model_id) / SNAPSHOTS_FILE).exists()
        except EmbedlabError:
            return False

    def load_snapshots(self, model_id: str) -> dict[str, np.ndarray] | None:
        """A model's recorded training as plain arrays, or None when it was not recorded."""
        path = self._dir("models", model_id) / SNAPSHOTS_FILE
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}

    # -- lesson results -------------------------------------------------------------
    def _lesson_path(self, key: str) -> Path:
        if not isinstance(key, str) or not _SAFE_ID.match(key):
            raise EmbedlabError(N_("{key!r} is not a valid lesson name."), key=key)
        return self.root / "lessons" / f"{key}.json"

    def save_lesson_result(self, key: str, data: Mapping[str, Any]) -> None:
        """Keep the last run of a guided lesson (measurements, model ids), replacing the one before."""
        _write_json(self._lesson_path(key), data)

    def load_lesson_result(self, key: str) -> dict[str, Any] | None:
        """The last stored run of lesson ``key`` as saved, or None (never run, or unreadable)."""
        path = self._lesson_path(key)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    @staticmethod
    def _write_arrays(folder: Path, arrays: Mapping[str, np.ndarray], facts: Mapping[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for key, array in arrays.items():
            np.save(folder / f"{_array_group(key)}.npy", np.ascontiguousarray(array), allow_pickle=False)
        _write_json(folder / "facts.json", {"arrays": list(arrays), **facts})

    def load_model_arrays(self, model_id: str, group: str) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
        """A group of arrays saved with the model (memory-mapped) and its facts, or None when it has none."""
        folder = self._dir("models", model_id) / _array_group(group)
        try:
            facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        arrays = {key: np.load(folder / f"{_array_group(key)}.npy", mmap_mode="r", allow_pickle=False)
                  for key in facts.pop("arrays", [])}
        return arrays, facts

    # -- corpus attachments ----------------------------------------------------------
    def attach_to_corpus(self, corpus_id: str, name: str, data: bytes) -> None:
        """Keep a file beside a corpus's tokens (read back with ``PreparedCorpus.attachment``).

        Documents keep their labels and whole texts here, graphs their weighted edges and node table.
        """
        if not re.fullmatch(r"[a-z0-9_]+\.[a-z]+", name) or name in ("corpus.json", "tokens.txt"):
            raise EmbedlabError(N_("{name!r} is not a corpus attachment name."), name=name)
        folder = self._dir("corpora", corpus_id)
        if not (folder / "corpus.json").exists():
            raise CorpusNotFoundError(N_("Corpus {corpus_id!r} is not in the workspace (was it deleted?)."),
                                      corpus_id=corpus_id)
        atomic_write_bytes(folder / name, data)

    # -- category tables (per model) -------------------------------------------------
    def save_category_table(self, model_id: str, data: bytes, source: str, column: str | None = None) -> None:
        """Keep the category table (CSV/TSV bytes) a user uploaded for a model, replacing any earlier one.

        The bytes are stored as uploaded and parsed by the reader (``embedlab.categories``),
        so a table is validated the same way on upload and on every later load.
        """
        folder = self._dir("models", model_id)
        if not (folder / "manifest.json").exists():
            raise ModelNotFoundError(N_("Model {model_id!r} is not in the workspace (was it deleted?)."),
                                     model_id=model_id)
        if len(data) > MAX_CATEGORY_TABLE_BYTES:
            raise FileTooLargeError(N_("The table is larger than {max_mb:.0f} MB."),
                                    max_mb=MAX_CATEGORY_TABLE_BYTES / 1024**2)
        atomic_write_bytes(folder / "categories.table", data)
        _write_json(folder / "categories.json", {"source": str(source)[:200], "column": column})

    def load_category_table(self, model_id: str) -> CategoryTable | None:
        """The table saved for this model by ``save_category_table``, or None."""
        folder = self._dir("models", model_id)
        try:
            data = (folder / "categories.table").read_bytes()
        except FileNotFoundError:
            return None
        try:
            about = json.loads((folder / "categories.json").read_text(encoding="utf-8"))
            source, column = about.get("source", ""), about.get("column")
        except (OSError, ValueError, AttributeError):
            source, column = "", None
        return CategoryTable(data, str(source) or "categories", str(column) if column else None)

    def delete_category_table(self, model_id: str) -> None:
        folder = self._dir("models", model_id)
        (folder / "categories.table").unlink(missing_ok=True)
        (folder / "categories.json").unlink(missing_ok=True)

    # -- comparisons -------------------------------------------------------------------
    def save_comparison(self, model_ids: Sequence[str], name: str = "", *, kind: str = "set",
                        corpus_id: str | None = None, settings: dict[str, Any] | None = None) -> ComparisonRecord:
        """Record 2-3 existing, distinct models as a comparison; returns the saved record.

        The record stores only ids: vectors and scores stay in each model's own folder, so
        deleting a model never leaves a stale copy here (``missing_models`` reports it).
        """
        ids = list(dict.fromkeys(model_ids))
        if not MIN_COMPARED <= len(ids) <= MAX_COMPARED:
            raise EmbedlabError(N_("A comparison needs {min_compared} or {max_compared} different models; "
                                   "{n_ids} chosen."),
                                min_compared=MIN_COMPARED, max_compared=MAX_COMPARED, n_ids=len(ids))
        names = [self.manifest(model_id).name or model_id for model_id in ids]  # raises if one is gone
        record = ComparisonRecord(new_id("cmp"), (name.strip() or " vs ".join(names))[:200], tuple(ids), now_iso(),
                                  kind, corpus_id, dict(settings or {}))
        _write_json(self._comparison_path(record.comparison_id), record.to_json())
        return record

    def _comparison_path(self, comparison_id: str) -> Path:
        folder = self._dir("comparisons", comparison_id)
        return folder.with_name(folder.name + ".json")

    def list_comparisons(self) -> list[ComparisonRecord]:
        """Every saved comparison, newest first; unreadable files are skipped, not fatal."""
        found = []
        for path in (self.root / "comparisons").glob("*.json"):
            if path.name.startswith("."):
                continue
            try:
                record = ComparisonRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
                found.append(((record.created, path.stat().st_mtime_ns), record))
            except (OSError, ValueError, TypeError):
                continue
        # 'created' has millisecond resolution; the file's write time orders records made within one
        return [record for _, record in sorted(found, key=lambda pair: pair[0], reverse=True)]

    def load_comparison(self, comparison_id: str) -> ComparisonRecord:
        path = self._comparison_path(comparison_id)
        if not path.exists():
            raise ComparisonNotFoundError(N_("Comparison {comparison_id!r} is not in the workspace (was it deleted?)."),
                                          comparison_id=comparison_id)
        return ComparisonRecord.from_json(json.loads(path.read_text(encoding="utf-8")))

    def delete_comparison(self, comparison_id: str) -> None:
        """Forget a comparison (its models stay)."""
        self._comparison_path(comparison_id).unlink(missing_ok=True)

    def missing_models(self, comparison: ComparisonRecord) -> list[str]:
        """Ids of models in the comparison that have since been deleted."""
        known = {record.model_id for record in self.list_models()}
        return [model_id for model_id in comparison.model_ids if model_id not in known]

    # -- the projection cache -----------------------------------------------------------
    def _projection_path(self, fingerprint: str, params: ProjectionParams) -> Path:
        return self.cache_dir / "projections" / f"{fingerprint}-{projection_key(params)}.npz"

    def load_projection(self, vectors: WordVectors, params: ProjectionParams) -> Projection | None:
        """A map computed before for these vectors and params, or None (also when the file is damaged)."""
        path = self._projection_path(vectors.fingerprint, params)
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                coords, rows = data["coords"].astype(np.float32), data["rows"].astype(np.int64)
                seconds = float(data["seconds"])
                # the facts, not the English sentence; a map cached before they were stored has only the
                # sentence, and its facts follow from the rows, the model and the params
                sample = SampleDescription.from_json(json.loads(str(data["sample"]))) if "sample" in data.files \
                    else SampleDescription(len(rows), len(vectors), params.sampling,
                                           params.seed if params.sampling == "random" else None)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if coords.shape != (len(rows), params.dims) or (len(rows) and rows.max() >= len(vectors)):
            return None
        return Projection(coords, rows, sample, params, seconds)

    def save_projection(self, vectors: WordVectors, projection: Projection) -> Path:
        path = self._projection_path(vectors.fingerprint, projection.params)
        buffer = io.BytesIO()
        with use_language("en"):  # the sentence too, for an older embedlab reading this cache
            sentence = str(projection.description)
        np.savez(buffer, coords=projection.coords, rows=projection.rows, description=np.array(sentence),
                 sample=np.array(json.dumps(projection.description.to_json())), seconds=np.array(projection.seconds))
        atomic_write_bytes(path, buffer.getvalue())
        return path


class ModelDraft:
    """A model being written under a temporary name (``Workspace.draft_model``): nothing lists it until ``finish``.

    ``unit.npy`` and ``raw.npy`` are written by the caller, whole (``np.save`` into ``folder``) or a block of rows
    at a time (``row_file``); ``finish`` adds the words, norms, counts and manifest and renames the folder into place.
    """

    def __init__(self, workspace: Workspace, model_id: str, manifest: Manifest, needed: int | None) -> None:
        self.workspace = workspace
        self.model_id = model_id
        self.manifest = manifest
        self.needed = needed
        self.final = workspace.root / "models" / model_id
        self.folder = workspace.root / "models" / f".building-{model_id}-{owner_tag()}"
        self._row_files: list[RowFile] = []
        self._finished = False

    def __enter__(self) -> "ModelDraft":
        self.folder.mkdir(parents=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        for row_file in self._row_files:
            row_file.discard()
        if not self._finished:
            shutil.rmtree(self.folder, ignore_errors=True)
        if error is not None and is_disk_full(error):
            raise as_disk_full(error, self.workspace.root / "models", self.needed) from None  # type: ignore[arg-type]

    def row_file(self, name: str, dims: int, dtype: np.dtype | type = np.float32) -> RowFile:
        """``name.npy`` (``unit`` or ``raw``) in this draft, to append rows to; ``finish`` completes it."""
        if name not in ("unit", "raw"):
            raise ValueError(name)
        row_file = RowFile(self.folder / f"{name}.npy", dims, dtype)
        self._row_files.append(row_file)
        return row_file

    def finish(self, words: Sequence[str], dim: int, norms: np.ndarray, counts: np.ndarray, fingerprint: str,
               subword: SubwordModel | None = None,
               arrays: Mapping[str, tuple[Mapping[str, np.ndarray], Mapping[str, Any]]] | None = None,
               manifest: Manifest | None = None) -> str:
        """Write the rest of the model and rename it into place; returns its id.

        ``manifest`` replaces the draft's (an import knows its facts only once the file is read). It gets the
        fields every reader relies on (id, created, size, dimension, fingerprint, versions) filled in here,
        so no caller forgets them.
        """
        for row_file in self._row_files:
            row_file.close()
        building = self.folder
        if not (building / "unit.npy").exists():
            raise ValueError("a model needs its unit vectors (unit.npy) before it is finished")
        np.save(building / "norms.npy", np.ascontiguousarray(norms))
        np.save(building / "counts.npy", np.ascontiguousarray(counts))
        (building / "words.json").write_text(json.dumps(list(words), ensure_ascii=False), encoding="utf-8")
        info = None
        if subword is not None:
            np.save(building / "ngrams.npy", np.ascontiguousarray(subword.ngram_vectors))
            info = SubwordInfo(subword.min_n, subword.max_n, subword.bucket)
        manifest = manifest or self.manifest
        full = manifest.replace(
            id=self.model_id, name=manifest.name or self.model_id, created=manifest.created or now_iso(),
            versions=manifest.versions or library_versions(), vocab_size=len(words), dim=int(dim),
            fingerprint=fingerprint, subword=info)
        _write_json(building / "manifest.json", full.to_json())
        for group, (group_arrays, facts) in (arrays or {}).items():
            self.workspace._write_arrays(building / _array_group(group), group_arrays, facts)
        os.replace(building, self.final)
        self._finished = True
        return self.model_id


def projection_key(params: ProjectionParams) -> str:
    """A short stable hash of the parameters that change the picture (PCA ignores UMAP's)."""
    values = dataclasses.asdict(params)
    if params.method == "pca":
        values = {k: values[k] for k in ("method", "dims", "n_points", "sampling", "seed")}
        if params.sampling == "frequent":
            values.pop("seed")
    values["cache_version"] = LAYOUT_VERSION
    return hashlib.blake2b(json.dumps(values, sort_keys=True).encode(), digest_size=8).hexdigest()


def _array_group(name: str) -> str:
    """A group or array name as a file name: letters, digits and underscores only."""
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise EmbedlabError(N_("{name!r} cannot name stored arrays."), name=name)
    return name


def _read_manifest(path: Path) -> Manifest:
    return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))


def _write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
