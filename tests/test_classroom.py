"""Classroom mode: private workspaces per browser, the teacher's published models shared read-only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embedlab import classroom
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace


def _model(workspace: Workspace, name: str) -> str:
    vectors = WordVectors.from_matrix(["king", "queen", "man", "woman"], np.eye(4) + 0.1)
    return workspace.save_model(vectors, {"algorithm": "word2vec", "name": name})


def test_published_models_are_shared_read_only_and_students_are_private(tmp_path: Path) -> None:
    teacher = Workspace(tmp_path)
    lesson = _model(teacher, "Lesson model")
    published = tmp_path / classroom.PUBLISHED
    classroom.publish(tmp_path, lesson, published)
    room = classroom.Classroom(tmp_path, None, 2)
    alice_id, bob_id = classroom.new_id(), classroom.new_id()
    for who in (alice_id, bob_id):
        classroom.link_shared(room.student_root(who), published)
    alice = classroom.open_workspace(room.student_root(alice_id))
    bob = classroom.open_workspace(room.student_root(bob_id))
    assert isinstance(alice, classroom.StudentWorkspace)
    own = _model(alice, "Alice's own")
    assert [r.name for r in alice.list_models()] == ["Alice's own", "Lesson model"]
    assert [r.name for r in bob.list_models()] == ["Lesson model"]  # Bob never sees Alice's work
    assert alice.load_vectors(lesson).words == ("king", "queen", "man", "woman")
    assert alice.is_shared(lesson) and not alice.is_shared(own)
    for write in (lambda: alice.rename_model(lesson, "mine now"), lambda: alice.delete_model(lesson),
                  lambda: alice.update_manifest(lesson, name="x")):
        with pytest.raises(classroom.ReadOnlyModelError, match="published by the teacher"):
            write()
    assert [r.name for r in teacher.list_models()] == ["Lesson model"]  # the teacher's copy is untouched
    alice.delete_model(own)
    assert [r.name for r in alice.list_models()] == ["Lesson model"]
    with pytest.raises(Exception):
        room.student_root("../../etc")


def test_the_access_code_and_ids(monkeypatch) -> None:
    room = classroom.Classroom(Path("/tmp"), "open sesame", 2)
    assert room.code_ok(" open sesame ") and not room.code_ok("open") and not room.code_ok("")
    assert classroom.Classroom(Path("/tmp"), None, 2).code_ok("anything")
    assert classroom.valid_id(classroom.new_id()) and not classroom.valid_id("ABC") and not classroom.valid_id("")
    monkeypatch.delenv(classroom.ENV_ON, raising=False)
    assert classroom.from_environment() is None
    monkeypatch.setenv(classroom.ENV_ON, "1")
    monkeypatch.setenv(classroom.ENV_JOBS, "3")
    assert classroom.from_environment(Path("/tmp")).max_jobs == 3
