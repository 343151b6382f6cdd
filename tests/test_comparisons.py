"""Comparison sets on disk, one-click training of several algorithms, and what-if retraining."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from embedlab import reports, workflows
from embedlab.config import CorpusParams, FastTextParams, Word2VecParams
from embedlab.i18n import use_language
from embedlab.errors import Cancelled, ComparisonNotFoundError, EmbedlabError, ModelNotFoundError, ParameterError
from embedlab.records import ComparisonRecord, Manifest
from embedlab.progress import CancelToken
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace


@pytest.fixture
def space(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def tiny_corpus(space: Workspace, tmp_path: Path):
    """A few thousand short generated sentences: trains in well under a second."""
    rng = np.random.default_rng(0)
    topics = [["cat", "dog", "pet", "fur", "paw"], ["car", "road", "wheel", "drive", "fuel"],
              ["king", "queen", "crown", "throne", "royal"]]
    lines = [" ".join(rng.choice(topics[rng.integers(3)], 8)) for _ in range(3000)]
    source = tmp_path / "tiny.txt"
    source.write_text("\n".join(lines) + "\n")
    return space.add_corpus(source, "tiny", CorpusParams("words"))


def saved_model(space: Workspace, seed: int, name: str) -> str:
    rng = np.random.default_rng(seed)
    vectors = WordVectors.from_matrix([f"w{i}" for i in range(50)], rng.normal(size=(50, 8)))
    return space.save_model(vectors, Manifest(algorithm="word2vec", name=name))


def test_comparisons_round_trip_newest_first(space: Workspace) -> None:
    a, b, c = (saved_model(space, i, f"m{i}") for i in range(3))
    first = space.save_comparison([a, b], "first")
    second = space.save_comparison([a, b, c])
    assert second.name == "m0 vs m1 vs m2"
    assert [s.comparison_id for s in space.list_comparisons()] == [second.comparison_id, first.comparison_id]
    assert space.load_comparison(first.comparison_id) == first
    stored = json.loads((space.root / "comparisons" / f"{first.comparison_id}.json").read_text())
    assert stored["model_ids"] == [a, b]
    space.delete_comparison(first.comparison_id)
    assert [s.comparison_id for s in space.list_comparisons()] == [second.comparison_id]


def test_damaged_files_are_skipped_and_deleted_models_reported(space: Workspace) -> None:
    a, b = saved_model(space, 1, "a"), saved_model(space, 2, "b")
    kept = space.save_comparison([a, b])
    (space.root / "comparisons" / "broken.json").write_text("{not json")
    assert [s.comparison_id for s in space.list_comparisons()] == [kept.comparison_id]
    space.delete_model(b)
    assert space.missing_models(kept) == [b]


def test_a_comparison_needs_two_or_three_existing_models(space: Workspace) -> None:
    a = saved_model(space, 1, "a")
    with pytest.raises(EmbedlabError, match="2 or 3 different models; 1 chosen"):
        space.save_comparison([a, a])
    with pytest.raises(ModelNotFoundError):
        space.save_comparison([a, "word2vec-20990101-000000-dead"])
    with pytest.raises(ComparisonNotFoundError):
        space.load_comparison("../../etc/passwd")
    with pytest.raises(ComparisonNotFoundError):
        space.load_comparison("cmp-20990101-000000-dead")


def test_trio_params_share_settings_and_keep_own_overrides() -> None:
    params = workflows.trio_params(workflows.SharedSettings(vector_size=50, window=4, epochs=3),
                              {"glove": {"epochs": 15, "window": None, "x_max": 10.0},
                               "word2vec": {"architecture": "skipgram"}})
    assert params["word2vec"].architecture == "skipgram" and params["word2vec"].window == 4
    assert params["fasttext"].vector_size == 50 and params["fasttext"].epochs == 3
    assert (params["glove"].epochs, params["glove"].window, params["glove"].x_max) == (15, 4, 10.0)
    with pytest.raises(ParameterError, match="Dimensions must be at least 2"):
        workflows.trio_params(workflows.SharedSettings(vector_size=1))


def test_column_names() -> None:
    w2v, ft = Manifest(algorithm="word2vec", name="a"), Manifest(algorithm="fasttext", name="b")
    assert reports.column_names([w2v, ft]) == ["Word2Vec", "FastText"]
    assert reports.column_names([w2v, w2v.replace(name="c")]) == ["a", "c"]
    what_if = ComparisonRecord("cmp-x", "x", ("a", "b"), kind="what-if", settings={"field": "window", "before": 5, "after": 10})
    assert reports.column_names([w2v, w2v], what_if) == ["before", "after: window = 10"]
    loss = ComparisonRecord("cmp-y", "y", ("a", "b"), kind="what-if",
                            settings={"field": "loss", "before": "negative", "after": "hierarchical"})
    assert reports.column_names([w2v, w2v], loss) == ["before", "after: output layer = hierarchical softmax"]
    with use_language("zh"):
        assert reports.column_names([w2v, w2v], what_if) == ["改动前", "改动后：窗口大小 = 10"]


def test_tables_are_shown_with_translated_headers_and_keep_their_english_names() -> None:
    """The frames keep English columns (CLI, CSV, tests); for_display renames them for the reader."""
    table = pd.DataFrame({"model": ["a"], "Google analogies · 3CosAdd": [0.5],
                          "Google analogies · 3CosAdd coverage": [0.9], "mine.txt": [0.1], "Word2Vec ~ GloVe": [0.2]})
    assert list(reports.for_display(table).columns) == list(table.columns)
    with use_language("zh"):
        shown = list(reports.for_display(table).columns)
    assert shown == ["模型", "Google 类比题 · 3CosAdd", "Google 类比题 · 3CosAdd 覆盖率", "mine.txt", "Word2Vec ~ GloVe"]
    assert list(table.columns)[0] == "model"  # the table itself is untouched


def test_train_trio_saves_each_model_and_the_comparison(space: Workspace, tiny_corpus) -> None:
    params = {"word2vec": Word2VecParams(vector_size=16, epochs=2, min_count=1),
              "fasttext": FastTextParams(vector_size=16, epochs=2, min_count=1, bucket=2000)}
    progress: list[float] = []
    made = workflows.train_trio(space, tiny_corpus, params, on_progress=lambda d, t, m: progress.append(d / t))
    assert made.kind == "trio" and made.corpus_id == tiny_corpus.corpus_id
    assert [space.manifest(i).algorithm for i in made.model_ids] == ["word2vec", "fasttext"]
    assert made.settings["fasttext"]["bucket"] == 2000
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0)
    assert space.list_comparisons() == [made]


def test_cancelled_trio_keeps_finished_models_but_saves_no_comparison(space: Workspace, tiny_corpus) -> None:
    cancel = CancelToken()
    params = {"word2vec": Word2VecParams(vector_size=8, epochs=1, min_count=1),
              "fasttext": FastTextParams(vector_size=8, epochs=1, min_count=1, bucket=1000)}

    def progress(done: float, total: float, message: str) -> None:
        if "FastText" in message:
            cancel.cancel()

    with pytest.raises(Cancelled):
        workflows.train_trio(space, tiny_corpus, params, on_progress=progress, cancel=cancel)
    assert [r.algorithm for r in space.list_models()] == ["word2vec"]
    assert space.list_comparisons() == []


def test_what_if_retrains_with_one_change(space: Workspace, tiny_corpus) -> None:
    from embedlab.workflows import train_and_save

    base = train_and_save(space, "word2vec", Word2VecParams(vector_size=12, epochs=1, min_count=1, window=5), tiny_corpus)
    presets = workflows.what_if_presets("word2vec", space.manifest(base).params)
    assert {(p.field, p.value) for p in presets} >= {("window", 2), ("window", 10), ("architecture", "skipgram"),
                                                     ("loss", "hierarchical")}
    made = workflows.train_what_if(space, base, "architecture", "skipgram")
    assert made.kind == "what-if" and made.model_ids[0] == base
    assert made.what_if_change == ("architecture", "cbow", "skipgram")
    new = space.manifest(made.model_ids[1]).params
    old = space.manifest(base).params
    assert {k for k in old if old[k] != new[k]} == {"architecture"}
    with pytest.raises(ParameterError, match="already"):
        workflows.train_what_if(space, base, "window", 5)
    with pytest.raises(ParameterError, match="no setting"):
        workflows.what_if_params(space.manifest(base), "x_max", 10.0)


def test_what_if_refuses_models_not_trained_here(space: Workspace) -> None:
    loaded = saved_model(space, 3, "from a file")
    with pytest.raises(EmbedlabError, match="loaded from a file"):
        workflows.train_what_if(space, loaded, "window", 10)


def test_typed_settings_parse_strictly() -> None:
    """A what-if value typed by the user: booleans must be a recognised word, not silently False."""
    from dataclasses import dataclass

    from embedlab.config import Doc2VecParams

    @dataclass(frozen=True)
    class Settings:
        flag: bool = True
        count: int = 1
        rate: float = 0.5
        cap: int | None = None
        mode: str = "a"

    for text, value in (("yes", True), ("ON", True), (" 1 ", True), ("no", False), ("False", False), ("off", False)):
        assert workflows.parse_setting(Settings, "flag", text) is value
    for text in ("maybe", "ja", "2", "t"):
        with pytest.raises(EmbedlabError, match="not a valid value for flag"):
            workflows.parse_setting(Settings, "flag", text)
    assert workflows.parse_setting(Settings, "count", "15") == 15
    assert workflows.parse_setting(Settings, "cap", "7") == 7
    assert workflows.parse_setting(Settings, "rate", "0.05") == 0.05 and workflows.parse_setting(Settings, "mode", "b") == "b"
    with pytest.raises(EmbedlabError, match="whole number"):
        workflows.parse_setting(Settings, "count", "1.5")
    with pytest.raises(EmbedlabError, match="Type the new value"):
        workflows.parse_setting(Settings, "rate", "  ")
    assert workflows.parse_setting(Doc2VecParams, "train_words", "no") is False


def test_train_trio_names_a_built_in_sample_in_the_readers_language(space: Workspace, tmp_path: Path) -> None:
    """As the Train page does: a Chinese session's models and comparison name the sample in Chinese (the job runs
    in the session's language); the CLI's stay English, and the stored corpus name stays English."""
    from embedlab.samples import get_sample

    sample = get_sample("chinese")
    source = tmp_path / "sample.txt"
    source.write_text("国王 王后 城堡 王冠\n猫 狗 宠物 毛\n" * 200, encoding="utf-8")
    corpus = space.add_corpus(source, sample.title, CorpusParams("words"))  # named as the sample is stored
    params = {"word2vec": Word2VecParams(vector_size=8, epochs=1, min_count=1),
              "fasttext": FastTextParams(vector_size=8, epochs=1, min_count=1, bucket=1000)}
    with use_language("zh"):
        shown = sample.shown_title()
        made = workflows.train_trio(space, corpus, params)
    assert shown != sample.title and "中文" in shown
    assert [space.manifest(i).name for i in made.model_ids] == [f"Word2Vec · {shown}", f"FastText · {shown}"]
    assert made.name == f"Word2Vec vs FastText · {shown}"
    assert space.load_corpus(corpus.corpus_id).name == sample.title
    english = workflows.train_trio(space, corpus, params, name="again")
    assert [space.manifest(i).name for i in english.model_ids] == [f"Word2Vec · {sample.title} · again",
                                                                   f"FastText · {sample.title} · again"]
