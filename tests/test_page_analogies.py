"""AppTest: the Analogies page on the sample models (examples, both methods, exclusion toggle, plot, errors)."""

from __future__ import annotations


import pytest

from apptest_helpers import app_state, assert_clean, errors, open_page, plotly_figures, tables_with
from embedlab import analogy

PAGE = "pages/6_Analogies.py"


def charts(at) -> dict[str, dict]:
    """The page's plotly charts, decoded, by their title."""
    return {c["layout"]["title"]["text"]: c for c in plotly_figures(at)}


def test_default_example_answers_queen_with_both_methods(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    assert at.text_input(key="analogy_expression").value == "king - man + woman"
    assert at.toggle(key="analogy_exclude").value is True
    found = charts(at)
    assert {"3CosAdd", "3CosMul"} <= set(found)
    for label in ("3CosAdd", "3CosMul"):
        assert found[label]["data"][0]["customdata"][0] == "queen"
    vectors = workspace.load_vectors(trained_model)
    expected = analogy.solve(vectors, ["king", "woman"], ["man"], "3cosmul", k=10)
    assert found["3CosMul"]["data"][0]["customdata"] == [a.word for a in expected.answers]
    assert len(tables_with(at, "rank", "word", "score")) == 2
    plot = next(c for title, c in found.items() if "PCA" in title)
    points = {w for trace in plot["data"] for w in trace["customdata"]}
    assert {"king", "man", "woman", "queen"} <= points
    assert len(plot["layout"]["annotations"]) == 2  # man -> king and woman -> queen
    assert len(at.get("download_button")) == 1


def test_examples_are_offered_only_when_the_model_knows_their_words(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    labels = [b.label for b in at.button if b.key and b.key.startswith("analogy_example_")]
    assert "berlin − germany + france" in labels and not any("国王" in label for label in labels)
    next(b for b in at.button if b.label == "berlin − germany + france").click().run()
    assert_clean(at)
    assert app_state(at).widget_values["analogy_expression"] == "berlin - germany + france"
    assert "paris" in charts(at)["3CosAdd"]["data"][0]["customdata"][:2]


def test_turning_exclusion_off_shows_where_the_inputs_rank(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.toggle(key="analogy_exclude").set_value(False).run()
    assert_clean(at)
    captions = [c.value for c in at.caption if c.value.startswith("Where the inputs rank")]
    assert len(captions) == 2 and all("**king** #" in c for c in captions)
    table = tables_with(at, "rank", "word", "input word")[0]
    assert table["input word"].any()
    assert app_state(at).widget_values["analogy_exclude"] is False
    at.toggle(key="analogy_exclude").set_value(True).run()
    assert not tables_with(at, "input word")  # the column only appears when inputs can be answers


@pytest.mark.parametrize("text, message", [
    ("king - - man", "Two signs in a row"),
    ("kingg - man + woman", "'kingg' is not in this model's vocabulary"),
])
def test_bad_input_is_explained(workspace, trained_model, text: str, message: str) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="analogy_expression").set_value(text).run()
    assert not at.exception
    assert any(message in e for e in errors(at))
    assert not at.get("plotly_chart")


def test_a_suggested_spelling_can_be_clicked(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="analogy_expression").set_value("man : kingg :: woman : ?").run()
    at.button(key="analogy_suggest_0").click().run()
    assert_clean(at)
    assert at.text_input(key="analogy_expression").value == "man : king :: woman : ?"
    assert charts(at)["3CosAdd"]["data"][0]["customdata"][0] == "queen"


def test_chinese_examples_are_offered_for_a_chinese_vocabulary() -> None:
    import numpy as np

    from embedlab.ui.analogies_view import available_examples, replace_word
    from embedlab.vectors import WordVectors

    words = ["国王", "女王", "男人", "女人", "柏林", "德国", "法国", "巴黎"]
    vectors = WordVectors.from_matrix(words, np.random.default_rng(0).normal(size=(len(words), 4)))
    assert [e for _, e in available_examples(vectors)] == ["国王 - 男人 + 女人", "柏林 - 德国 + 法国",
                                                           "男人 : 国王 :: 女人 : ?"]
    assert replace_word("国王x - 男人 + 国王xy", "国王x", "国王") == "国王 - 男人 + 国王xy"


def test_an_analogy_reads_in_chinese(workspace, tmp_path_factory) -> None:
    """国王 − 男人 + 女人 with both methods, the inputs not excluded, and an unknown word: charts' titles, axes
    and legends, tables' headers and every caption in Chinese."""
    from embedlab.i18n import use_language
    from zh_explore import chinese_model, english_left, figure_titles

    model_id = chinese_model(tmp_path_factory, workspace)
    with use_language("zh"):
        at = open_page(PAGE, model_id=model_id, language="zh")
        assert at.text_input(key="analogy_expression").value == "国王 - 男人 + 女人"
        at.toggle(key="analogy_exclude").set_value(False).run()
        assert_clean(at)
        titles = figure_titles(at)
        assert {"3CosAdd", "3CosMul", "与目标的余弦", "加上的词 (+)", "减去的词 (−)", "答案"} <= set(titles)
        assert any(t.startswith("国王 − 男人 + 女人：输入、答案与偏移") for t in titles)
        assert any(t.startswith("第一主成分") for t in titles)
        assert tables_with(at, "排名", "词", "得分", "输入词")
        assert any(c.value.startswith("输入词的排名") for c in at.caption)
        assert not english_left(at), english_left(at)
        at.text_input(key="analogy_expression").set_value("国王 - 男人 + 女人x").run()
        assert at.error and not at.exception
        assert not english_left(at), english_left(at)
