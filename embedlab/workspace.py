"""The on-disk workspace: every corpus and model a user makes, kept across restarts.

Layout (all names chosen by embedlab, never by an uploaded file's name)::

    root/corpora/<id>/source       the uploaded or copied original
    root/corpora/<id>/tokens.txt   one sentence a line, tokens space-joined
    root/corpora/<id>/corpus.json  PreparedCorpus: name, tokeniser, encoding, stats
    root/models/<id>/manifest.json params, corpus, versions, timings, loss, metrics
    root/models/<id>/*.npy         words-ordered unit vectors, norms, counts, n-grams
    root/cache/                    derived data (projections), safe to delete

Models are stored as plain ``.npy`` arrays rather than one ``.npz`` so the next load
memory-maps them (about a second for 400k x 300) instead of reading and copying;
``io`` exports a single ``.npz`` for sharing. Nothing here is ever pickled: arrays
are loaded with ``allow_pickle=False`` and words live in JSON.

Writes are atomic: a model directory is built under a temporary name and renamed
into place, files are written to a temporary name and ``os.replace``d, so a crash
or a cancelled job never leaves a half-written model that looks complete.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Iterator

import numpy as np

from embedlab import __version__
from embedlab.config import CorpusParams
from embedlab.corpus import PreparedCorpus, prepare_corpus
from embedlab.diskfull import reported
from embedlab.errors import EmbedlabError, FileTooLargeError, ModelNotFoundError
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.subword import SubwordModel
from embedlab.vectors import WordVectors

ENV_VAR = "EMBEDLAB_WORKSPACE"
COPY_CHUNK = 1024 * 1024
#: upload copies older than this are abandoned (their tab was closed before "add")
STALE_UPLOAD_S = 24 * 3600
#: this process's mark on the temporary files and folders it makes (upload copies, half-built models and
#: corpora, unzip scratch): the pid says whether the maker still runs, the token tells a reused pid apart
_TOKEN = uuid.uuid4().hex[:6]
_OWNER_RE = re.compile(r"p(\d+)x([0-9a-f]{6})")


def owner_tag() -> str:
    """The mark this process puts in the names of its temporary files and folders."""
    return f"p{os.getpid()}x{_TOKEN}"


def orphaned(name: str) -> bool:
    """Whether no running process can own the temporary file or folder ``name``.

    Unmarked names (made before marks existed) and marks of a process that has exited, or
    of an earlier process whose pid this one reuses, are orphans: after a restart nobody
    can finish or use them. Marks of running processes (this one too) are not.
    """
    found = _OWNER_RE.search(name)
    if found is None:
        return True
    pid, token = int(found.group(1)), found.group(2)
    if pid == os.getpid():
        return token != _TOKEN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def default_root() -> Path:
    """``$EMBEDLAB_WORKSPACE`` if set, else ``./workspace`` (beside wherever embedlab is run)."""
    return Path(os.environ.get(ENV_VAR) or Path.cwd() / "workspace")


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class ModelRecord:
    """A saved model as listed: its id and manifest (vectors load separately, lazily)."""

    model_id: str
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return self.manifest.get("name", self.model_id)

    @property
    def algorithm(self) -> str:
        return self.manifest.get("algorithm", "?")

    @property
    def created(self) -> str:
        return self.manifest.get("created", "")


class Workspace:
    """A folder of corpora and models. Safe to share between threads of one process."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        for sub in ("corpora", "models", "cache", "incoming"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.clean_stale()

    def clean_stale(self, max_age_s: float = STALE_UPLOAD_S) -> int:
        """Delete leftovers no running process owns, and any older than ``max_age_s``; returns how many.

        Upload copies wait in ``incoming/`` only between an upload and its "add" (or while a
        job tokenises them), and ``.building-``/``.deleting-`` folders exist only during a
        save or delete. Each name carries its maker's mark (``owner_tag``): after a restart or
        a kill no job can own them, so they go at once; a live process's go when a day old
        (a closed tab's upload copy, which a page re-makes if it is still wanted).
        """
        removed = 0
        cutoff = time.time() - max_age_s
        leftovers = [p for p in (self.root / "incoming").iterdir() if p.is_file() or p.name.startswith(".unzip-")]
        for kind in ("models", "corpora"):
            leftovers += [p for p in (self.root / kind).iterdir()
                          if p.is_dir() and p.name.startswith((".building-", ".deleting-"))]
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
        return removed

    # -- paths -------------------------------------------------------------
    def _dir(self, kind: str, item_id: str) -> Path:
        if not _SAFE_ID.match(item_id):
            raise ModelNotFoundError(f"{item_id!r} is not a valid {kind[:-1]} id.")
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
                        raise FileTooLargeError(f"The file is larger than {max_bytes / 1024**2:.0f} MB, the limit for uploads.")
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
    ) -> PreparedCorpus:
        """Tokenise ``source`` into a new corpus folder; the folder appears only when complete."""
        corpus_id = new_id("corpus")
        building = self.root / "corpora" / f".building-{corpus_id}-{owner_tag()}"
        building.mkdir(parents=True)
        try:
            with reported(self.root / "corpora", 2 * Path(source).stat().st_size):  # the tokens, and the source if moved
                prepared = prepare_corpus(source, building, params, name=name, on_progress=on_progress, cancel=cancel)
                if move:
                    shutil.move(str(source), building / "source")
                final = self.root / "corpora" / corpus_id
                prepared = PreparedCorpus(**{**prepared.__dict__, "tokens_path": final / "tokens.txt", "corpus_id": corpus_id})
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
            raise ModelNotFoundError(f"Corpus {corpus_id!r} is not in the workspace (was it deleted?).")
        return self._read_corpus(folder)

    def _read_corpus(self, folder: Path) -> PreparedCorpus:
        data = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
        data["tokens_path"] = str(folder / "tokens.txt")  # the workspace may have moved
        data["corpus_id"] = folder.name
        return PreparedCorpus.from_json(data)

    def delete_corpus(self, corpus_id: str) -> None:
        shutil.rmtree(self._dir("corpora", corpus_id), ignore_errors=True)

    # -- models --------------------------------------------------------------
    def save_model(self, vectors: WordVectors, manifest: dict[str, Any], model_id: str | None = None) -> str:
        """Write vectors + manifest atomically; returns the new model's id.

        The manifest gets the fields every reader relies on (id, created, size,
        dimension, fingerprint, versions) filled in here, so no caller forgets them.
        """
        model_id = model_id or new_id(manifest.get("algorithm", "model"))
        final = self._dir("models", model_id)
        if final.exists():
            raise EmbedlabError(f"A model with id {model_id!r} already exists.")
        building = self.root / "models" / f".building-{model_id}-{owner_tag()}"
        building.mkdir(parents=True)
        needed = (vectors.unit.nbytes + vectors.norms.nbytes + vectors.counts.nbytes + sum(len(w) + 4 for w in vectors.words)
                  + (vectors.subword.ngram_vectors.nbytes if vectors.subword is not None else 0))
        try:
            with reported(self.root / "models", needed):
                np.save(building / "unit.npy", np.ascontiguousarray(vectors.unit))
                np.save(building / "norms.npy", np.ascontiguousarray(vectors.norms))
                np.save(building / "counts.npy", np.ascontiguousarray(vectors.counts))
                (building / "words.json").write_text(json.dumps(list(vectors.words), ensure_ascii=False), encoding="utf-8")
                if vectors.subword is not None:
                    np.save(building / "ngrams.npy", np.ascontiguousarray(vectors.subword.ngram_vectors))
                full = {
                    "name": model_id, "created": now_iso(), "versions": library_versions(), **manifest,
                    "id": model_id, "vocab_size": len(vectors), "dim": vectors.dim,
                    "fingerprint": vectors.fingerprint,
                    "subword": None if vectors.subword is None else {"min_n": vectors.subword.min_n, "max_n": vectors.subword.max_n, "bucket": vectors.subword.bucket},
                }
                atomic_write_text(building / "manifest.json", json.dumps(full, ensure_ascii=False, indent=1, default=_json_default))
            os.replace(building, final)
        finally:
            if building.exists():
                shutil.rmtree(building, ignore_errors=True)
        return model_id

    def list_models(self) -> list[ModelRecord]:
        """Every complete model, newest first (half-built folders are skipped)."""
        records = []
        for folder in (self.root / "models").iterdir():
            if folder.name.startswith(".") or not (folder / "manifest.json").exists():
                continue
            try:
                manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a damaged manifest must not hide every other model
            records.append(ModelRecord(folder.name, manifest))
        # milliseconds in `created` order models made in one second; the id breaks exact ties stably
        return sorted(records, key=lambda r: (r.created, r.model_id), reverse=True)

    def manifest(self, model_id: str) -> dict[str, Any]:
        path = self._dir("models", model_id) / "manifest.json"
        if not path.exists():
            raise ModelNotFoundError(f"Model {model_id!r} is not in the workspace (was it deleted?).")
        return json.loads(path.read_text(encoding="utf-8"))

    def load_vectors(self, model_id: str, mmap: bool = True) -> WordVectors:
        """Load a saved model's vectors, memory-mapped by default (fast, shared between readers)."""
        folder = self._dir("models", model_id)
        manifest = self.manifest(model_id)
        mode = "r" if mmap else None
        load = lambda name: np.load(folder / name, mmap_mode=mode, allow_pickle=False)  # noqa: E731
        words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        subword = None
        if (folder / "ngrams.npy").exists() and manifest.get("subword"):
            sub = manifest["subword"]
            subword = SubwordModel(load("ngrams.npy"), int(sub["min_n"]), int(sub["max_n"]))
        return WordVectors.from_parts(words, load("unit.npy"), load("norms.npy"), load("counts.npy"),
                                      manifest["fingerprint"], subword)

    def update_manifest(self, model_id: str, **changes: Any) -> dict[str, Any]:
        """Change manifest fields (rename, add metrics) atomically."""
        manifest = {**self.manifest(model_id), **changes}
        atomic_write_text(self._dir("models", model_id) / "manifest.json",
                          json.dumps(manifest, ensure_ascii=False, indent=1, default=_json_default))
        return manifest

    def rename_model(self, model_id: str, name: str) -> None:
        name = name.strip()
        if not name:
            raise EmbedlabError("A model's name cannot be empty.")
        self.update_manifest(model_id, name=name[:200])

    def delete_model(self, model_id: str) -> None:
        folder = self._dir("models", model_id)
        if not folder.exists():
            raise ModelNotFoundError(f"Model {model_id!r} is not in the workspace.")
        # rename first so a listing never sees a half-deleted model
        trash = self.root / "models" / f".deleting-{model_id}-{uuid.uuid4().hex[:4]}-{owner_tag()}"
        os.replace(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def iter_model_ids(self) -> Iterator[str]:
        return (r.model_id for r in self.list_models())


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
