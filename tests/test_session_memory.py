"""A new tab starts on shared work, never on another person's newest model or corpus; a reload keeps its own."""

from __future__ import annotations

from pathlib import Path

from embedlab.config import CorpusParams, Word2VecParams
from embedlab.ui import session_memory
from embedlab.workflows import ensure_sample_corpus, train_and_save
from embedlab.workspace import Workspace


def test_a_new_tab_starts_on_the_sample_not_on_someone_elses_newest_work(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    sample = ensure_sample_corpus(workspace, "english")
    sample_model = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=8, epochs=1, seed=1), sample)
    # then someone uploads their own corpus and trains on it: the newest work in the shared workspace
    private = tmp_path / "diary.txt"
    private.write_text("my own private words here\n" * 50)
    theirs = workspace.add_corpus(private, "Alice's diary", CorpusParams("words"))
    their_model = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=8, epochs=1, min_count=1, seed=1),
                                 theirs)
    assert workspace.list_models()[0].model_id == their_model  # it is the newest
    assert session_memory.shared_start(workspace) == (sample_model, sample.corpus_id)
    # a tab's own choice comes back after a reload (same session id), and only for that tab
    session_memory.remember(workspace, "0123456789abcdef", their_model, theirs.corpus_id)
    assert session_memory.recall(workspace, "0123456789abcdef") == {"model": their_model, "corpus": theirs.corpus_id}
    assert session_memory.recall(workspace, "fedcba9876543210") == {}
    assert session_memory.recall(workspace, "../../etc/passwd") == {}


def test_with_only_private_work_a_new_tab_picks_no_corpus_but_a_sample_one(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    text = tmp_path / "t.txt"
    text.write_text("some words of mine\n" * 50)
    corpus = workspace.add_corpus(text, "mine", CorpusParams("words"))
    model = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=8, epochs=1, min_count=1, seed=1), corpus)
    assert session_memory.shared_start(workspace) == (model, None)
    sample = ensure_sample_corpus(workspace, "english")  # a shipped sample is shared: a new tab may start on it
    assert session_memory.shared_start(workspace) == (model, sample.corpus_id)


def test_a_new_browser_tab_does_not_open_or_train_on_another_persons_work(workspace, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from embedlab.ui.state import STATE_KEY

    sample = ensure_sample_corpus(workspace, "english")
    sample_model = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=8, epochs=1, seed=1), sample)
    private = workspace.root.parent / "diary.txt"
    private.write_text("my own private words here\n" * 50)
    theirs = workspace.add_corpus(private, "Alice's diary", CorpusParams("words"))
    train_and_save(workspace, "word2vec", Word2VecParams(vector_size=8, epochs=1, min_count=1, seed=1), theirs,
                   "Alice's model")
    app = Path(__file__).resolve().parent.parent / "app.py"
    bob = AppTest.from_file(str(app), default_timeout=60)
    bob.switch_page("pages/2_Train.py")
    bob.run()
    assert not bob.exception
    state = bob.session_state[STATE_KEY]
    assert state.active_model_id == sample_model and state.active_corpus_id == sample.corpus_id
    shown = " ".join(m.value for m in bob.markdown) + " ".join(c.value for c in bob.caption)
    assert "Alice" not in shown.replace("\\", "")  # nothing of Alice's on Bob's new tab, Train page included
    # Alice's tab, reloaded (its session id in the URL), is back on her own model and corpus
    from embedlab.ui.state import AppState

    if "session_id" not in AppState.__dataclass_fields__:
        return  # tabs have no session id before the 'state' work lands; nothing to come back to
    alice_session = "00112233445566aa"
    session_memory.remember(workspace, alice_session, workspace.list_models()[0].model_id, theirs.corpus_id)
    alice = AppTest.from_file(str(app), default_timeout=60)
    alice.query_params["session"] = alice_session
    alice.run()
    assert alice.session_state[STATE_KEY].active_corpus_id == theirs.corpus_id
