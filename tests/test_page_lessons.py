"""AppTest: every guided lesson runs from the Lessons page on the shipped samples and shows its concrete result.

The lessons share one workspace (module scope), so the English sample is tokenised
once; each test runs one lesson through the page, as a teacher would, and checks
the numbers it shows, not just that something was drawn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apptest_helpers import app_state, assert_clean, open_page, plotly_figures, tables_with, wait_for_jobs
from embedlab.workspace import ENV_VAR, Workspace

PAGE = "pages/20_Lessons.py"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lesson_workspace(tmp_path_factory: pytest.TempPathFactory):
    """One workspace for all lessons of this module; the app under test uses it too."""
    import streamlit as st

    root = tmp_path_factory.mktemp("lessons") / "workspace"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(root))
        patch.chdir(REPO)  # AppTest resolves pages/ relative to the app
        st.cache_data.clear()
        st.cache_resource.clear()
        yield Workspace(root)


def run_lesson(key: str):
    at = open_page(PAGE)
    at.radio(key="lesson_choice").set_value(key).run()
    at.button(key=f"run_lesson_{key}").click().run()
    at = wait_for_jobs(at, timeout=240)
    assert_clean(at)
    return at


def findings(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_analogies_find_queen_and_女王_in_the_top_3(lesson_workspace) -> None:
    at = run_lesson("analogies")
    english, chinese = tables_with(at, "rank", "word", "cosine")
    assert "queen" in list(english["word"][:3])
    assert "女王" in list(chinese["word"][:3])
    assert len([f for f in plotly_figures(at) if f["layout"]["title"]["text"] == "The parallelogram"]) == 2
    assert "gives queen at rank" in findings(at).replace("\\", "")
    # the English model is active: the Analogies page opens on it
    models = {m.model_id: m for m in lesson_workspace.list_models()}
    assert models[app_state(at).active_model_id].manifest.corpus.name.startswith("English sample")
    assert any("Exact parameters" in e.label for e in at.expander)


def test_cbow_vs_skipgram_measures_time_and_both_frequency_bands(lesson_workspace) -> None:
    at = run_lesson("architectures")
    [table] = tables_with(at, "architecture", "train_s", "frequent_accuracy", "rare_accuracy")
    assert list(table["architecture"]) == ["CBOW", "skip-gram"]
    assert (table["train_s"] > 0).all()
    assert table["frequent_questions"].nunique() == 1 and table["frequent_questions"].iloc[0] > 100
    for column in ("frequent_accuracy", "rare_accuracy"):
        assert ((table[column] > 0) & (table[column] <= 1)).all()
    text = findings(at).replace("\\", "")
    assert f"{table['train_s'].iloc[0]:.1f} s" in text  # the sentences quote this run's numbers


def test_negative_sampling_vs_hierarchical_softmax_sweeps_the_vocabulary(lesson_workspace) -> None:
    at = run_lesson("objectives")
    [sweep] = tables_with(at, "output layer", "min_count", "vocabulary", "epoch_s")
    assert len(sweep) == 6 and set(sweep["output layer"]) == {"negative sampling", "hierarchical softmax"}
    sizes = sweep.groupby("min_count")["vocabulary"].first().sort_index(ascending=False).tolist()
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]  # a lower minimum count keeps more words
    assert (sweep["epoch_s"] > 0).all()


def test_fasttext_gives_misspellings_a_vector_and_word2vec_does_not(lesson_workspace) -> None:
    at = run_lesson("subwords")
    [table] = tables_with(at, "word", "FastText's nearest", "Word2Vec")
    row = table[table["word"] == "queeen"].iloc[0]
    assert row["FastText's nearest"].startswith("queen")
    assert "not in this model's vocabulary" in row["Word2Vec"]
    at.text_input(key="lesson_subword_word").set_value("kingdomm").run()
    assert_clean(at)
    assert any("<kin" in c.value for c in at.code)  # the n-grams used are shown
    assert "kingdom" in list(tables_with(at, "word", "cosine")[-1]["word"][:3])


def test_glove_ratio_table_has_the_papers_orders_of_magnitude(lesson_workspace) -> None:
    at = run_lesson("cooccurrence")
    table = tables_with(at, "probe word k", "ratio", "order of magnitude")[0]
    magnitude = dict(zip(table["probe word k"], table["order of magnitude"]))
    assert magnitude["he"] == "≫ 1" and magnitude["she"] == "≪ 1"
    assert magnitude["throne"] == "≈ 1" and magnitude["the"] == "≈ 1"
    # any two words the user picks
    at.text_input(key="lesson_ratio_a").set_value("paris").run()
    at.text_input(key="lesson_ratio_b").set_value("berlin").run()
    at.text_input(key="lesson_ratio_probes").set_value("french german the").run()
    assert_clean(at)
    custom = dict(zip(*[tables_with(at, "probe word k", "order of magnitude")[-1][c]
                        for c in ("probe word k", "order of magnitude")]))
    assert custom == {"french": "≫ 1", "german": "≪ 1", "the": "≈ 1"}


def test_window_size_shows_both_neighbour_lists_and_opens_neighbours(lesson_workspace) -> None:
    at = run_lesson("window")
    [table] = tables_with(at, "word", "window 2", "window 15")
    assert "berlin" in table[table["word"] == "paris"]["window 2"].iloc[0]
    at.text_input(key="lesson_window_word").set_value("children").run()
    assert_clean(at)
    small_model = next(m for m in lesson_workspace.list_models() if "window 2" in m.name)
    at.button(key=f"explore_window_{small_model.model_id}").click().run()
    assert app_state(at).active_model_id == small_model.model_id


def test_item2vec_beats_the_most_popular_baseline(lesson_workspace) -> None:
    at = run_lesson("item2vec")
    [scores] = tables_with(at, "ranker", "Recall@10")
    recall = dict(zip(scores["ranker"], scores["Recall@10"]))
    assert recall["Item2Vec"] > recall["most popular"]
    neighbour_tables = tables_with(at, "item", "cosine", "title", "category")
    assert neighbour_tables and all((t["title"] != "").all() for t in neighbour_tables)


def test_findings_are_stored_as_message_ids_and_read_in_either_language() -> None:
    """A result keeps data and message ids, so a run made in English reads in Chinese; old plain findings still show."""
    import json

    from embedlab.i18n import use_language
    from embedlab.lessons import cooccurrence
    from embedlab.lessons.base import LessonResult

    table = [{"probe": p, "ratio": r, "magnitude": cooccurrence.magnitude(r)}
             for p, r in zip(cooccurrence.PROBES, (float("inf"), 0.0, 1.2, 0.9, 1.0))]
    result = LessonResult("cooccurrence", {}, {}, cooccurrence.findings(table))
    stored = LessonResult.from_json(json.loads(json.dumps(result.to_json())))
    with use_language("en"):
        english = stored.finding_texts()
    with use_language("zh"):
        chinese = stored.finding_texts()
    assert english[0].startswith("P(k|king)/P(k|queen) is ∞ for he, 0 for she, and close to 1 for throne, the, water")
    assert chinese[0].startswith("P(k|king)/P(k|queen) 的值：he 为 ∞；she 为 0；throne、the、water 接近 1")
    assert "无穷大" in chinese[1]
    old = LessonResult.from_json({**result.to_json(), "findings": ["A sentence stored before findings were ids."]})
    with use_language("zh"):
        assert old.finding_texts() == ["A sentence stored before findings were ids."]


def test_a_lesson_reads_and_runs_in_chinese(lesson_workspace) -> None:
    """The analogies lesson in Chinese: a result computed in English reads in Chinese, and a run in Chinese too.

    The lessons train on the built-in English sample, so English words appear as data: in tables (whose cells
    ``visible_texts`` does not read), and king/man/woman/queen in the expression (names the check allows).
    """
    from types import SimpleNamespace

    from embedlab import lessons
    from embedlab.i18n import _, use_language
    from test_i18n_pages import _figure_texts, english_problems, visible_texts

    if lessons.load_result(lesson_workspace, "analogies") is None:  # alone (-k): compute it as an English session would
        lessons.run_lesson(lesson_workspace, "analogies")
    assert all(isinstance(f, dict) for f in lessons.load_result(lesson_workspace, "analogies").findings)

    def check(at) -> str:
        # the page's own text: the sidebar (model picker, menu) is checked with every page in test_i18n_pages, and
        # the parallelogram's inner labels are the Analogies page's figure (embedlab/viz/analogy.py), checked there
        assert_clean(at)
        texts = visible_texts(SimpleNamespace(_tree=at.main))
        borrowed = [t for f in plotly_figures(at) if f["layout"]["title"]["text"] == "平行四边形"
                    for t in _figure_texts(f) if t[0] != "title" or t[1] != "平行四边形"]
        problems = english_problems([t for t in texts if t not in borrowed])
        assert not problems, "\n".join(problems)
        return findings(at).replace("\\", "")

    at = open_page(PAGE, language="zh")
    text = check(at)
    assert "女王" in text and "排第" in text and "本次运行说明了什么" in text
    assert any(f["layout"]["title"]["text"] == "平行四边形" for f in plotly_figures(at))
    with use_language("zh"):  # the headers other pages share (their catalogue may word them first)
        headers = [_(h) for h in ("rank", "word", "cosine")]
    assert all(any("\u4e00" <= c <= "\u9fff" for c in h) for h in headers) and tables_with(at, *headers)

    at.button(key="run_lesson_analogies").click().run()
    at = wait_for_jobs(at, timeout=240)
    text = check(at)
    assert "女王" in text
    assert any("课程：类比" in c.value for c in at.sidebar.caption)  # the finished job, named in Chinese
    names = [m.name for m in lesson_workspace.list_models() if m.model_id in
             {m.model_id for m in lessons.load_result(lesson_workspace, "analogies").models}]
    assert names and all(name.startswith("课程 · 类比 · ") for name in names)

    # every other lesson this module ran (in English) reads in Chinese as well
    for lesson in lessons.LESSONS[1:]:
        if lessons.load_result(lesson_workspace, lesson.key) is not None:
            at.radio(key="lesson_choice").set_value(lesson.key).run()
            check(at)
