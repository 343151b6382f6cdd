"""Classroom mode: one server for a class, a private workspace per browser, the teacher's models shared read-only.

Turned on by ``EMBEDLAB_CLASSROOM=1`` (``make classroom`` sets it). The server's
workspace root then holds::

    root/students/<id>/   one private workspace per browser (models, corpora, comparisons, cache)
    root/published/       the models the teacher published (``python -m embedlab publish``): every
                          student sees them, nobody can change or delete them from the app

A browser's id is a random 16-hex-digit code kept in the page URL (``?ws=``); the
page shows it, so a student can bookmark the URL or type the code on another day or
another machine. Knowing the code is what gives access to that workspace: it is a
capability, not an account. An optional access code (``EMBEDLAB_ACCESS_CODE``) is
asked once per browser before anything else.

This module holds the pure parts (configuration, ids, paths, publishing) and needs
no Streamlit; ``embedlab.ui.classroom_view`` draws the gate and the workspace code.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from embedlab.errors import EmbedlabError, ModelNotFoundError
from embedlab.i18n import N_
from embedlab.ownership import owner_tag
from embedlab.workspace import Workspace

ENV_ON, ENV_CODE, ENV_JOBS = "EMBEDLAB_CLASSROOM", "EMBEDLAB_ACCESS_CODE", "EMBEDLAB_MAX_JOBS"
#: the URL parameter holding a browser's workspace id
WORKSPACE_PARAM = "ws"
STUDENTS, PUBLISHED = "students", "published"
_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Classroom:
    """The server's classroom settings, read from the environment once."""

    root: Path
    access_code: str | None
    max_jobs: int

    def student_root(self, workspace_id: str) -> Path:
        """The private workspace of ``workspace_id``; only well-formed ids map to a folder."""
        if not valid_id(workspace_id):
            raise EmbedlabError(N_("That workspace code is not valid: it has 16 characters, 0-9 and a-f."))
        return self.root / STUDENTS / workspace_id

    @property
    def published_root(self) -> Path:
        return self.root / PUBLISHED

    def code_ok(self, typed: str) -> bool:
        """Whether ``typed`` is the access code (constant-time; always true when there is none)."""
        if not self.access_code:
            return True
        return hmac.compare_digest(typed.strip().encode("utf-8"), self.access_code.encode("utf-8"))

    def exists(self, workspace_id: str) -> bool:
        return valid_id(workspace_id) and (self.root / STUDENTS / workspace_id).is_dir()


def default_max_jobs() -> int:
    """Heavy jobs at once: one per core but one, so page views and queries keep a core (at least 1)."""
    return max(1, (os.cpu_count() or 2) - 1)


def from_environment(root: Path | None = None) -> Classroom | None:
    """The classroom settings, or None when classroom mode is off."""
    if os.environ.get(ENV_ON, "").strip().lower() not in ("1", "true", "yes", "on"):
        return None
    from embedlab.workspace import default_root

    try:
        max_jobs = int(os.environ.get(ENV_JOBS) or default_max_jobs())
    except ValueError:
        raise EmbedlabError(N_("{env_jobs} must be a whole number of jobs."), env_jobs=ENV_JOBS) from None
    return Classroom(Path(root or default_root()).resolve(), os.environ.get(ENV_CODE) or None, max(1, max_jobs))


def valid_id(workspace_id: str) -> bool:
    return bool(_ID.match(workspace_id or ""))


def new_id() -> str:
    """A fresh browser workspace id: 64 random bits, unguessable in a class's lifetime."""
    return secrets.token_hex(8)


def publish(teacher_root: Path, model_id: str, published_root: Path) -> Path:
    """Copy a model of the teacher's workspace into the shared, read-only published area.

    The copy is made under a temporary name and renamed, so students never see half a model.
    """
    source = Workspace(teacher_root)._dir("models", model_id)
    if not (source / "manifest.json").exists():
        raise ModelNotFoundError(N_("Model {model_id!r} is not in the workspace {teacher_root}."),
                                 model_id=model_id, teacher_root=teacher_root)
    target = published_root / "models" / model_id
    if target.exists():
        raise EmbedlabError(N_("Model {model_id!r} is already published."), model_id=model_id)
    (published_root / "models").mkdir(parents=True, exist_ok=True)
    # marked with this process's owner mark: a crashed publish's copy is swept when the published area is opened
    # next (``Workspace.clean_stale``), one still copying in another process is left alone
    building = published_root / "models" / f".building-{model_id}-{owner_tag()}"
    try:
        shutil.copytree(source, building)
        os.replace(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return target


def republish_search_index(teacher_root: Path, model_id: str, published_root: Path) -> bool:
    """Give the published copy of a model the search index the teacher's own copy has now (or none).

    The vectors of a published model never change under the students' feet, but how it is searched may: a
    teacher who picks an index after publishing (``index-lab --use-best``) hands it on by publishing again.
    Returns whether the published copy's choice changed. The file is replaced atomically: a student's page
    reads either the old choice or the new one.
    """
    teacher, shared = Workspace(teacher_root), Workspace(published_root)
    if not (shared._dir("models", model_id) / "manifest.json").exists():
        raise ModelNotFoundError(N_("Model {model_id!r} is not published."), model_id=model_id)
    if not (teacher._dir("models", model_id) / "manifest.json").exists():
        raise ModelNotFoundError(N_("Model {model_id!r} is not in the workspace {teacher_root}."),
                                 model_id=model_id, teacher_root=teacher_root)
    wanted = teacher.load_search_index(model_id)
    if wanted == shared.load_search_index(model_id):
        return False
    shared.save_search_index(model_id, wanted)
    return True


def unpublish(published_root: Path, model_id: str) -> None:
    """Withdraw a published model (the teacher's own copy stays)."""
    target = Workspace(published_root)._dir("models", model_id)
    if not target.exists():
        raise ModelNotFoundError(N_("Model {model_id!r} is not published."), model_id=model_id)
    shutil.rmtree(target)


# -- a student's workspace: its own models, and the published ones read-only ----------------------------

SHARED_FILE = "shared.json"


class ReadOnlyModelError(EmbedlabError):
    """A published model cannot be renamed, deleted or changed from a student's workspace."""


class StudentWorkspace(Workspace):
    """A private workspace that also lists the teacher's published models, which it cannot change.

    Reads of a published model (manifest, vectors, category table) fall through to the
    published area; every write to one is refused. The student's own maps, comparisons and
    scores of it live in the student's folder.
    """

    def __init__(self, root: Path | str, published: Path | str) -> None:
        super().__init__(root)
        self.published = Workspace(published)

    def is_shared(self, model_id: str) -> bool:
        own = super()._dir("models", model_id)
        return not own.exists() and (self.published._dir("models", model_id) / "manifest.json").exists()

    def _dir(self, kind: str, item_id: str) -> Path:
        path = super()._dir(kind, item_id)
        if kind == "models" and not path.exists():
            shared = self.published._dir(kind, item_id)
            if shared.exists():
                return shared
        return path

    def list_models(self):  # type: ignore[no-untyped-def]
        own = super().list_models()
        ids = {r.model_id for r in own}
        shared = [r for r in self.published.list_models() if r.model_id not in ids]
        return sorted(own + shared, key=lambda r: (r.created, r.model_id), reverse=True)

    def _refuse_shared(self, model_id: str) -> None:
        if self.is_shared(model_id):
            raise ReadOnlyModelError(N_("This model was published by the teacher for the whole class: it is read-only "
                                        "here. Train or load your own to rename, delete, score it or choose its search index."))

    def update_manifest(self, model_id: str, **changes):  # type: ignore[no-untyped-def]
        self._refuse_shared(model_id)
        return super().update_manifest(model_id, **changes)

    def delete_model(self, model_id: str) -> None:
        self._refuse_shared(model_id)
        super().delete_model(model_id)

    def save_category_table(self, model_id: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._refuse_shared(model_id)
        return super().save_category_table(model_id, *args, **kwargs)  # type: ignore[misc]

    def delete_category_table(self, model_id: str) -> None:
        self._refuse_shared(model_id)
        super().delete_category_table(model_id)  # type: ignore[misc]

    def save_search_index(self, model_id: str, settings):  # type: ignore[no-untyped-def]
        self._refuse_shared(model_id)  # the teacher chooses a published model's index, for the whole class
        return super().save_search_index(model_id, settings)


def link_shared(root: Path, published: Path) -> None:
    """Mark ``root`` as a student workspace that sees the models published in ``published``."""
    marker = Path(root) / SHARED_FILE
    text = json.dumps({"published": str(Path(published).resolve())})
    if not marker.exists() or marker.read_text(encoding="utf-8") != text:
        Path(root).mkdir(parents=True, exist_ok=True)
        marker.write_text(text, encoding="utf-8")


def open_workspace(root: Path | str) -> Workspace:
    """The workspace at ``root``: a ``StudentWorkspace`` when it is a classroom student's, else a plain one."""
    marker = Path(root) / SHARED_FILE
    if marker.exists():
        try:
            published = json.loads(marker.read_text(encoding="utf-8"))["published"]
        except (OSError, ValueError, KeyError, TypeError):
            published = None
        if published:
            return StudentWorkspace(root, published)
    return Workspace(root)
