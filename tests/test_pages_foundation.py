"""AppTest: the first path a user walks — corpus in, model trained, listed, renamed, deleted — and bad input."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

from apptest_helpers import (app_state, assert_clean, errors, open_page, picker, plotly_figures, tables_with,
                             wait_for_jobs)
from embedlab.workflows import ensure_sample_corpus
from embedlab.ui.jobs import runner

ENGLISH = ("the king spoke to the queen . the man walked with the woman .\n"
           "a prince and a princess lived in the castle with the king and the queen .\n") * 80


def upload(at, name: str, data: bytes):
    at.file_uploader(key="corpus_upload").upload(name, data, "text/plain").run()
    return at


def test_upload_a_file_then_see_its_statistics(workspace) -> None:
    at = upload(open_page("pages/1_Corpus.py"), "my corpus.txt", ENGLISH.encode("utf-16"))
    assert_clean(at)
    assert any("Detected tokeniser: **words**" in m.value for m in at.markdown)
    at.button(key="add_upload").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lines"] == "160"
    assert int(metrics["Tokens"].replace(",", "")) == len([t for t in ENGLISH.split() if t != "."])
    corpora = workspace.list_corpora()
    assert [c.name for c in corpora] == ["my corpus.txt"] and corpora[0].encoding == "utf-16"
    assert app_state(at).active_corpus_id == corpora[0].corpus_id
    assert [p for p in (workspace.root / "incoming").iterdir()] == []  # the upload moved into the corpus
    assert [u.value for u in at.file_uploader] == [None]  # a fresh, empty uploader for the next file
    at.run()  # a later rerun does not copy the consumed upload again
    assert [p for p in (workspace.root / "incoming").iterdir()] == []
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG image"),
        ("model.pkl", pickle.dumps({"vectors": [1.0, 2.0]}), "never unpickles"),
        ("punctuation.txt", b"... !!! ???\n", None),
    ],
)
def test_bad_uploads_get_a_clear_message_and_no_exception(workspace, name: str, data: bytes, message: str | None) -> None:
    at = upload(open_page("pages/1_Corpus.py"), name, data)
    assert not at.exception
    if message is None:  # readable but tokenless: caught when tokenising, in the job
        at.button(key="add_upload").click().run()
        at = wait_for_jobs(at)
        assert not at.exception
        assert any("No tokens were found" in e for e in errors(at)), errors(at)
    else:
        assert any(message in e for e in errors(at)), errors(at)
    assert workspace.list_corpora() == []


def test_train_from_the_form_and_find_the_model_everywhere(workspace) -> None:
    corpus = workspace.add_corpus(_write(workspace, ENGLISH), "tiny")
    at = open_page("pages/2_Train.py", corpus_id=corpus.corpus_id)
    assert_clean(at)
    at.number_input(key="word2vec_epochs").set_value(2)
    at.number_input(key="word2vec_min_count").set_value(2)
    assert at.selectbox(key="word2vec_architecture").options == ["CBOW", "skip-gram"]  # readable, values unchanged
    at.selectbox(key="word2vec_architecture").set_value("skipgram")
    at.button(key="FormSubmitter:train_form_word2vec-Train").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    [model] = workspace.list_models()
    assert model.manifest.params["architecture"] == "skipgram" and model.manifest.params["epochs"] == 2
    assert app_state(at).active_model_id == model.model_id
    assert any("It is now the active model" in s.value for s in at.success)
    assert picker(at.sidebar, "sidebar_model").value == model.model_id

    models = open_page("pages/3_Models.py", model_id=model.model_id)
    assert_clean(models)
    assert list(models.dataframe[0].value["id"]) == [model.model_id]


def test_a_second_model_becomes_active_in_the_sidebar_picker(workspace, trained_model) -> None:
    """The picker already exists (and holds the first model) when the second one finishes."""
    corpus = workspace.list_corpora()[0]
    at = open_page("pages/2_Train.py", model_id=trained_model, corpus_id=corpus.corpus_id)
    assert picker(at.sidebar, "sidebar_model").value == trained_model
    at.number_input(key="word2vec_epochs").set_value(1)
    at.button(key="FormSubmitter:train_form_word2vec-Train").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    newest = workspace.list_models()[0].model_id
    assert newest != trained_model and app_state(at).active_model_id == newest
    assert picker(at.sidebar, "sidebar_model").value == newest
    picker(at.sidebar, "sidebar_model").set_value(trained_model).run()  # and the user can switch back
    assert app_state(at).active_model_id == trained_model
    at.switch_page("pages/3_Models.py").run()
    assert picker(at.sidebar, "sidebar_model").value == trained_model


def test_training_error_keeps_what_was_saved(workspace, trained_model) -> None:
    corpus = workspace.add_corpus(_write(workspace, ENGLISH), "tiny")
    at = open_page("pages/2_Train.py", model_id=trained_model, corpus_id=corpus.corpus_id)
    at.number_input(key="word2vec_min_count").set_value(1000)
    at.button(key="FormSubmitter:train_form_word2vec-Train").click().run()
    at = wait_for_jobs(at)
    assert not at.exception
    assert any("lower the minimum count" in e for e in errors(at))
    assert [r.model_id for r in workspace.list_models()] == [trained_model]


def test_cancel_from_the_sidebar_stops_training_and_saves_nothing(workspace, trained_model) -> None:
    corpus = workspace.list_corpora()[0]
    at = open_page("pages/2_Train.py", model_id=trained_model, corpus_id=corpus.corpus_id)
    at.number_input(key="word2vec_epochs").set_value(200)
    at.button(key="FormSubmitter:train_form_word2vec-Train").click().run()
    job = runner().session_jobs(app_state(at).session_id)[-1]
    assert job.active
    at.switch_page("pages/3_Models.py").run()  # cancel works from any page
    cancel = [b for b in at.sidebar.button if b.key == f"cancel-{job.id}"]
    assert cancel, "the sidebar shows a Cancel button for the running job"
    cancel[0].click().run()
    job.wait(60)
    assert job.status == "cancelled"
    at = wait_for_jobs(at)
    assert not at.exception
    assert [r.model_id for r in workspace.list_models()] == [trained_model]
    at.switch_page("pages/2_Train.py").run()  # the Train page says what happened
    assert any("Training was cancelled" in w.value for w in at.warning)
    assert not at.exception and not at.error


def test_rename_and_delete_on_the_models_page(workspace, trained_model) -> None:
    at = open_page("pages/3_Models.py", model_id=trained_model)
    [listed] = tables_with(at, "name", "algorithm", "words", "created")
    assert listed["id"].tolist() == [trained_model]
    assert listed["created"].iloc[0] == pd.Timestamp(workspace.manifest(trained_model).created)  # a date, not text
    picker(at, "models_new_name", "text_input").set_value("Royal sample")
    at.button(key="FormSubmitter:rename_form-Rename").click().run()
    assert workspace.manifest(trained_model).name == "Royal sample"
    picker(at, "models_confirm_delete", "checkbox").check().run()
    at.button(key="models_delete").click().run()
    assert_clean(at)
    assert workspace.list_models() == []
    assert app_state(at).active_model_id is None


def test_home_try_it_trains_the_sample(workspace) -> None:
    at = open_page("app.py")
    assert_clean(at)
    at.button(key="try_it").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    [model] = workspace.list_models()
    assert model.manifest.corpus.name.startswith("English sample")
    assert app_state(at).active_model_id == model.model_id
    assert app_state(at).active_corpus_id == workspace.list_corpora()[0].corpus_id


def test_a_new_session_finds_the_saved_work(workspace, trained_model) -> None:
    """A browser reload is a new session: it starts on the newest model, and on that model's corpus."""
    at = open_page("pages/3_Models.py")
    assert app_state(at).active_model_id == trained_model
    model_corpus = workspace.manifest(trained_model).corpus.id
    assert app_state(at).active_corpus_id == model_corpus
    ensure_sample_corpus(workspace, "sessions")  # a newer corpus does not pull a new session away from it
    assert workspace.list_corpora()[0].corpus_id != model_corpus
    at = open_page("pages/3_Models.py")
    assert app_state(at).active_model_id == trained_model and app_state(at).active_corpus_id == model_corpus
    assert any("Corpus for training" in c.value for c in at.sidebar.caption)


def _write(workspace, text: str):
    path = workspace.root / "source.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_page_has_the_sidebar_menu_with_home_named_home(workspace) -> None:
    """Streamlit's own menu would call the home page "app" (its file name); embedlab's names it Home."""
    from embedlab.ui.frame import NAVIGATION

    expected = [label for _, links in NAVIGATION for _, label, _ in links]
    for path in ["app.py"] + [p for _, links in NAVIGATION for p, _, _ in links if p != "app.py"]:
        at = open_page(path)
        assert not at.exception
        links = at.sidebar.get("page_link")
        assert [link.proto.label for link in links] == expected, path
    pages = sorted(p.as_posix() for p in Path("pages").glob("*.py"))  # the tests run from the repository root
    assert sorted(p for _, links in NAVIGATION for p, _, _ in links if p != "app.py") == pages  # every page is in the menu
    assert expected[0] == "Home"


def test_glove_x_max_starts_from_the_corpus_size(workspace) -> None:
    """Issue 10: the help said 10 suits small corpora while the form started at 100 on the small sample."""
    corpus = workspace.add_corpus(_write(workspace, ENGLISH), "tiny")
    at = open_page("pages/2_Train.py", corpus_id=corpus.corpus_id)
    at.radio(key="train_algorithm").set_value("glove").run()
    assert_clean(at)
    x_max = at.number_input(key="glove_x_max")
    assert x_max.value == 10.0 and "under a million tokens" in x_max.help


def test_the_upload_preview_names_the_encoding_the_import_uses(workspace) -> None:
    """Issue 10 #7: a GBK file previewed as mojibake ('tokeniser: words') and then imported correctly."""
    line = "国王和女王住在首都，男人和女人在国家里工作。\n"
    data = b"a" + (line * 8000).encode("gb18030")  # the first sample boundary falls inside a character
    at = open_page("pages/1_Corpus.py")
    at.get("file_uploader")[0].upload("gbk.txt", data, "text/plain").run()
    assert_clean(at)
    assert any("Detected tokeniser: **chinese** (encoding **gb18030**)" in m.value for m in at.markdown), \
        [m.value for m in at.markdown]
    assert any("国王" in c.value for c in at.code)


# -- the Chinese interface (issue 14): what the Corpus and Train pages show after an action ---------------------

def _main_texts(at) -> list[tuple[str, str]]:
    """What a reader sees in the page body (the sidebar's model picker is the models area's, checked per page)."""
    from types import SimpleNamespace

    from test_i18n_pages import visible_texts

    return visible_texts(SimpleNamespace(_tree=at.main))


def _english_in_chinese(at, allowed: set[str] = frozenset()) -> list[str]:
    from test_i18n_pages import english_problems

    return english_problems([(field, text) for field, text in _main_texts(at) if text not in allowed])


@pytest.fixture
def in_chinese():
    """AppTest calls a widget's ``format_func`` in the test's thread (to match the value a test sets against the
    options drawn): that thread must read Chinese too, as the session's script thread does."""
    from embedlab.i18n import use_language

    with use_language("zh"):
        yield


def test_the_corpus_page_reads_in_chinese_after_choosing_a_sample(workspace, in_chinese) -> None:
    at = open_page("pages/1_Corpus.py", language="zh")
    assert_clean(at)
    at.radio(key="corpus_sample").set_value("english").run()
    at.button(key="use_sample").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    [corpus] = workspace.list_corpora()
    assert corpus.name == "English sample (planted relations)"  # stored in English: shared work is found by it
    assert [m.label for m in at.metric][:3] == ["行数", "词元数", "词型数"]
    assert picker(at, "corpus_active").options[0].startswith("英文示例（预设关系）")  # the sample's title, translated
    figures = plotly_figures(at)
    assert [f["layout"]["title"]["text"] for f in figures] == ["排名 / 词频（齐普夫定律）", "最高频的 30 个词"]
    assert not _english_in_chinese(at), _english_in_chinese(at)
    assert any("英文示例（预设关系）" in c.value for c in at.sidebar.caption)  # the frame's corpus line
    upload(at, "语料.txt", ENGLISH.encode("utf-8"))  # the upload's preview, before adding it
    assert_clean(at)
    assert any("检测到的分词方式：**单词**" in m.value for m in at.markdown), [m.value for m in at.markdown]
    assert not _english_in_chinese(at), _english_in_chinese(at)


def test_the_train_page_reads_in_chinese_for_every_algorithm_and_after_training(workspace, in_chinese) -> None:
    from embedlab.train.registry import train_page_algorithms
    from embedlab.ui.beyond_view import input_note

    corpus = workspace.add_corpus(_write(workspace, ENGLISH), "小语料")
    # the note on what an algorithm reads is the Documents/Graphs area's text (still English until it is translated)
    theirs = {input_note(units, corpus) for units in ("words", "documents", "nodes")}
    at = open_page("pages/2_Train.py", corpus_id=corpus.corpus_id, language="zh")
    assert_clean(at)
    for algorithm in train_page_algorithms():  # every parameter's label, help and choices, "More settings" included
        at.radio(key="train_algorithm").set_value(algorithm).run()
        assert_clean(at)
        assert not _english_in_chinese(at, theirs), (algorithm, _english_in_chinese(at, theirs))
    at.radio(key="train_algorithm").set_value("word2vec").run()
    assert at.number_input(key="word2vec_epochs").label == "训练轮数"
    assert at.selectbox(key="word2vec_loss").options == ["负采样", "层次 Softmax"]

    at.number_input(key="word2vec_min_count").set_value(1000)  # refused with a reason, in Chinese
    at.button(key="FormSubmitter:train_form_word2vec-训练").click().run()
    assert any("请调低最低词频" in e for e in errors(at)), errors(at)

    at.number_input(key="word2vec_min_count").set_value(1)
    at.number_input(key="word2vec_epochs").set_value(1)
    at.button(key="FormSubmitter:train_form_word2vec-训练").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    assert any("它现在是当前模型" in s.value for s in at.success), [s.value for s in at.success]
    [loss] = plotly_figures(at)
    assert loss["layout"]["title"]["text"] == "每轮训练损失" and loss["layout"]["xaxis"]["title"]["text"] == "轮"
    assert not _english_in_chinese(at, theirs), _english_in_chinese(at, theirs)


def test_a_model_trained_on_a_sample_is_named_in_the_readers_language(workspace, in_chinese) -> None:
    """The default name names a built-in sample as the reader reads it (the stored corpus name stays English)."""
    from embedlab.i18n import use_language
    from embedlab.samples import get_sample, shown_corpus_name
    from embedlab.workflows import ensure_sample_corpus

    corpus = ensure_sample_corpus(workspace, "english")
    with use_language("zh"):
        expected = f"Word2Vec · {shown_corpus_name(get_sample('english').title)}"
    assert "英文" in expected
    at = open_page("pages/2_Train.py", corpus_id=corpus.corpus_id, language="zh")
    assert at.text_input(key="word2vec_name").placeholder == expected
    at.number_input(key="word2vec_epochs").set_value(1)
    at.button(key="FormSubmitter:train_form_word2vec-训练").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    assert [r.name for r in workspace.list_models()] == [expected]
    assert workspace.load_corpus(corpus.corpus_id).name == get_sample("english").title


def test_a_job_ending_during_the_run_that_draws_the_sidebar_is_applied_at_once(workspace, trained_model,
                                                                               monkeypatch) -> None:
    """A quick job (a small vector file loaded) can end after the page's top applied finished jobs but before the
    sidebar decides whether to poll: the page must rerun and apply it then (the Models page had said 'it is now the
    active model' while its picker and the sidebar still showed the old one, and a rename typed there was lost)."""
    import threading

    from embedlab.ui import frame, jobs

    at = open_page("pages/3_Models.py", model_id=trained_model)
    state = app_state(at)
    release = threading.Event()

    def work(progress, cancel) -> str:
        release.wait(30)
        return "done"

    applied_in: list[str] = []

    def applied(state_, job_) -> None:  # what the import's on_done does: make its model active
        applied_in.append(state_.session_id)

    job = jobs.submit(state, "quick job", work, kind="test-quick", on_done=applied)
    real_picker = frame._model_picker

    def picker_while_the_job_ends(state_) -> None:  # between the page's top and the jobs panel
        if not job.acknowledged and not release.is_set():
            release.set()
            job.wait(30)
        real_picker(state_)

    monkeypatch.setattr(frame, "_model_picker", picker_while_the_job_ends)
    at.run()
    assert job.acknowledged and applied_in == [state.session_id]  # in this run, not at the next click
