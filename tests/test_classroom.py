"""Classroom mode: private workspaces per browser, the teacher's published models shared read-only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embedlab import classroom
from embedlab.errors import ModelNotFoundError
from embedlab.records import Manifest
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace


def _model(workspace: Workspace, name: str) -> str:
    vectors = WordVectors.from_matrix(["king", "queen", "man", "woman"], np.eye(4) + 0.1)
    return workspace.save_model(vectors, Manifest(algorithm="word2vec", name=name))


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


def test_the_queue_shows_each_waiting_job_its_place_and_cancels_it_before_it_runs() -> None:
    import threading

    from embedlab.ui.jobs import JobRunner

    runner = JobRunner(max_workers=1)
    release, ran = threading.Event(), []

    def blocking(progress, cancel):
        release.wait(30)
        ran.append("first")

    first = runner.submit("first", blocking, kind="train")
    second = runner.submit("second", lambda p, c: ran.append("second"), kind="train")
    third = runner.submit("third", lambda p, c: ran.append("third"), kind="train")
    for _ in range(100):
        if first.status == "running":
            break
        threading.Event().wait(0.05)
    assert runner.place(second) == (1, 1) and runner.place(third) == (2, 1)
    runner.stop(third)  # Cancel while waiting: done at once, not when a worker gets to it
    assert third.status == "cancelled" and not third.active and "never ran" in third.error
    assert runner.place(second) == (1, 1)
    release.set()
    second.wait(30)
    assert ran == ["first", "second"] and second.status == "done"


def _classroom_app(monkeypatch, root: Path, code: str | None = "sesame"):
    from streamlit.testing.v1 import AppTest

    from embedlab.ui import jobs

    jobs.runner()  # the process's runner exists already, with its usual workers (a server reads the cap at start)
    monkeypatch.setenv("EMBEDLAB_WORKSPACE", str(root))
    monkeypatch.setenv(classroom.ENV_ON, "1")
    if code:
        monkeypatch.setenv(classroom.ENV_CODE, code)
    return AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)


def test_each_browser_gets_a_private_workspace_behind_the_access_code(workspace, monkeypatch) -> None:
    from embedlab.ui.state import STATE_KEY

    root = workspace.root
    lesson = _model(workspace, "Lesson model")
    classroom.publish(root, lesson, root / classroom.PUBLISHED)
    alice = _classroom_app(monkeypatch, root).run()
    assert not alice.exception
    assert [t.label for t in alice.text_input] == ["Access code"] and not alice.sidebar.selectbox  # nothing else
    alice.text_input[0].set_value("wrong")
    alice.button[0].click().run()
    assert any("not the access code" in e.value for e in alice.error)
    alice.text_input[0].set_value("sesame")
    alice.button[0].click().run()
    assert not alice.exception and not alice.error
    state = alice.session_state[STATE_KEY]
    alice_id = alice.query_params[classroom.WORKSPACE_PARAM][0] if isinstance(
        alice.query_params[classroom.WORKSPACE_PARAM], list) else alice.query_params[classroom.WORKSPACE_PARAM]
    assert Path(state.workspace_root) == root / classroom.STUDENTS / alice_id
    assert state.active_model_id == lesson  # the published model, to explore at once
    own = _model(state.workspace, "Alice's own")
    bob = _classroom_app(monkeypatch, root)
    bob.session_state[classroom_view_key()] = True  # Bob has given the code in his own browser
    bob.run()
    bob_state = bob.session_state[STATE_KEY]
    assert bob_state.workspace_root != state.workspace_root
    assert [r.name for r in bob_state.workspace.list_models()] == ["Lesson model"]  # not Alice's
    # a reload of Alice's page (her id in the URL) finds her workspace again, without the code
    again = _classroom_app(monkeypatch, root)
    again.query_params[classroom.WORKSPACE_PARAM] = alice_id
    again.run()
    assert not again.text_input or again.text_input[0].label != "Access code"
    assert own in {r.model_id for r in again.session_state[STATE_KEY].workspace.list_models()}


def classroom_view_key() -> str:
    from embedlab.ui.classroom_view import ADMITTED_KEY

    return ADMITTED_KEY


def test_the_queue_and_a_restart_read_in_the_readers_language(monkeypatch) -> None:
    """describe() says a waiting job's place in the reader's language; a title kept in a job's record
    (after a restart) is its msgid, shown in whatever language reads it."""
    import threading

    from embedlab.i18n import N_, Message, use_language
    from embedlab.ui import jobs

    runner = jobs.JobRunner(max_workers=1)
    monkeypatch.setattr(jobs, "_runner", runner)
    release = threading.Event()
    first = runner.submit("first", lambda p, c: release.wait(30), kind="train")
    second = runner.submit("second", lambda p, c: None, kind="train")
    third = runner.submit(Message(N_("Training {algorithm} on {corpus}"), algorithm="GloVe", corpus="新闻"),
                          lambda p, c: None, kind="train")
    try:
        for _ in range(100):
            if first.status == "running":
                break
            threading.Event().wait(0.05)
        assert jobs.describe(third) == "Waiting for a free worker: 1 job ahead of it (1 job running)"
        assert jobs.describe(second) == "Waiting for a free worker: next in line (1 job running)"
        with use_language("zh"):
            assert jobs.describe(third) == "等待空闲的工作线程：前面还有 1 个任务（1 个任务正在运行）"
            assert jobs.describe(first) == "正在启动"
            assert str(third.title) == "在语料 新闻 上训练 GloVe"
        record = third.record()
        assert record["title"] == "Training GloVe on 新闻"  # the record's plain title is English (logs, old readers)
        kept = jobs._title_from_record(record)
        with use_language("zh"):
            assert str(kept) == "在语料 新闻 上训练 GloVe"
        assert jobs._title_from_record({"title": "an old record"}) == "an old record"
    finally:
        release.set()
        third.wait(30)


def test_the_access_code_gate_reads_in_chinese(workspace, monkeypatch) -> None:
    """In Chinese: the gate (with the language switch), its error, then the student's sidebar on the Models page."""
    from test_i18n_pages import english_problems, visible_texts

    root = workspace.root
    lesson = _model(workspace, "课程模型")
    classroom.publish(root, lesson, root / classroom.PUBLISHED)
    at = _classroom_app(monkeypatch, root)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["访问码"] and at.button[0].label == "进入"
    assert not english_problems(visible_texts(at)), english_problems(visible_texts(at))
    assert at.sidebar.get("button_group")  # the language switch: a student can change the gate's language
    at.text_input[0].set_value("wrong")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["访问码不对。"]
    at.text_input[0].set_value("sesame")
    at.button[0].click().run()
    assert not at.exception and not at.error
    at.switch_page("pages/3_Models.py").run()
    assert not at.exception and not at.error
    texts = visible_texts(at)
    assert not english_problems(texts), english_problems(texts)
    assert any("你的私人工作区" in c.value for c in at.sidebar.caption)
    assert [p.proto.popover.label for p in at.sidebar.get("popover")] == ["打开另一个工作区"]


def test_a_job_title_names_a_built_in_sample_in_the_readers_language() -> None:
    from embedlab import samples
    from embedlab.i18n import N_, Message, use_language
    from embedlab.ui.actions import _CorpusName
    from embedlab.ui.jobs import _title_record

    sample = samples.get_sample("english")
    title = Message(N_("Training {algorithm} on {corpus}"), algorithm="Word2Vec", corpus=_CorpusName(sample.title))
    user = Message(N_("Training {algorithm} on {corpus}"), algorithm="Word2Vec", corpus=_CorpusName("Map"))
    assert str(title) == f"Training Word2Vec on {sample.title}"
    with use_language("zh"):
        assert str(title) == f"在语料 {sample.shown_title()} 上训练 Word2Vec" and sample.shown_title() != sample.title
        assert str(user) == "在语料 Map 上训练 Word2Vec"  # a user's corpus name is data, never looked up
        assert _title_record(title)["title"] == f"Training Word2Vec on {sample.title}"  # the record stays English


def test_an_interrupted_job_s_title_reads_in_the_readers_language_after_a_restart(tmp_path: Path) -> None:
    """A job's record keeps its title language-neutral: after a restart, a Chinese session reads the built-in
    sample's and the lesson's titles in Chinese (they read back as plain English strings before)."""
    import json

    from embedlab import lessons, samples
    from embedlab.i18n import N_, Message, use_language
    from embedlab.samples import CorpusName
    from embedlab.ui import jobs
    from embedlab.ui.state import AppState

    sample = samples.get_sample("chinese")
    lesson = lessons.LESSONS[0]
    titles = [Message(N_("Training {algorithm} on {corpus}"), algorithm="Word2Vec", corpus=CorpusName(sample.title)),
              Message(N_("Lesson: {title}"), title=Message(lesson.title)),
              Message(N_("Training {algorithm} on {corpus}"), algorithm="GloVe", corpus=CorpusName("Map"))]
    state = AppState(workspace_root=str(tmp_path / "ws"), session_id="0123456789abcdef")
    folder = jobs.records_dir(state)
    folder.mkdir(parents=True)
    for i, title in enumerate(titles):
        job = jobs.Job(id=f"{i:012x}", kind="train", title=title, session_id=state.session_id, status="running")
        (folder / f"{job.id}.json").write_text(json.dumps(job.record()), encoding="utf-8")
    # a record written before parameters were marked: the sample's title is still said in the reader's language
    old = jobs.Job(id="0000000000ff", kind="train", title=titles[0], session_id=state.session_id, status="running")
    record = old.record()
    record.pop("title_corpus_names", None), record.pop("title_messages", None)
    (folder / f"{old.id}.json").write_text(json.dumps(record), encoding="utf-8")

    found = {r.id: r.title for r in jobs.interrupted(state)}
    assert len(found) == 4
    assert str(found["000000000000"]) == f"Training Word2Vec on {sample.title}"
    with use_language("zh"):
        assert str(found["000000000000"]) == f"在语料 {sample.shown_title()} 上训练 Word2Vec"
        assert str(found["000000000001"]) == str(titles[1]) and lesson.title not in str(found["000000000001"])
        assert str(found["000000000002"]) == "在语料 Map 上训练 GloVe"  # a user's name is data, as it is
        assert str(found["0000000000ff"]) == str(found["000000000000"])


def test_a_published_model_s_search_index_is_the_teacher_s_choice(tmp_path: Path) -> None:
    """Chosen before publishing, the index travels with the model; a student cannot change it for the class."""
    teacher = Workspace(tmp_path)
    lesson = _model(teacher, "Lesson model")
    teacher.save_search_index(lesson, {"fingerprint": "f", "index": {"kind": "hnsw", "ef_search": 64}})
    published = tmp_path / classroom.PUBLISHED
    classroom.publish(tmp_path, lesson, published)
    room = classroom.Classroom(tmp_path, None, 2)
    student_id = classroom.new_id()
    classroom.link_shared(room.student_root(student_id), published)
    student = classroom.open_workspace(room.student_root(student_id))
    assert student.load_search_index(lesson) == teacher.load_search_index(lesson)
    for change in ({"fingerprint": "f", "index": {"kind": "flat"}}, None):
        with pytest.raises(classroom.ReadOnlyModelError, match="published by the teacher"):
            student.save_search_index(lesson, change)
    assert student.load_search_index(lesson)["index"]["kind"] == "hnsw"
    own = _model(student, "Mine")
    student.save_search_index(own, {"fingerprint": "g", "index": {"kind": "flat"}})
    assert student.load_search_index(own)["index"] == {"kind": "flat"}


def test_publishing_again_hands_on_an_index_chosen_after_publishing(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The teacher picks an index once the class has the model: `publish` again gives the class that index,
    then the default search again when the teacher drops it; the vectors are not copied again."""
    from embedlab.cli import main

    teacher = Workspace(tmp_path)
    lesson = _model(teacher, "Lesson model")
    published = tmp_path / classroom.PUBLISHED
    classroom.publish(tmp_path, lesson, published)
    shared = Workspace(published)
    unit_file = shared._dir("models", lesson) / "unit.npy"
    copied_at = unit_file.stat().st_mtime_ns
    choice = {"fingerprint": "f", "index": {"kind": "hnsw", "ef_search": 64}}
    teacher.save_search_index(lesson, choice)
    assert shared.load_search_index(lesson) is None
    assert main(["--workspace", str(tmp_path), "publish", lesson]) == 0
    assert "now search it with the index chosen in your workspace" in capsys.readouterr().out
    assert shared.load_search_index(lesson) == choice
    assert main(["--workspace", str(tmp_path), "publish", lesson]) == 0
    assert "with the same search index" in capsys.readouterr().out
    teacher.save_search_index(lesson, None)
    assert classroom.republish_search_index(tmp_path, lesson, published) is True
    assert shared.load_search_index(lesson) is None
    assert unit_file.stat().st_mtime_ns == copied_at
    with pytest.raises(ModelNotFoundError, match="not published"):
        classroom.republish_search_index(tmp_path, _model(teacher, "Not shared"), published)
