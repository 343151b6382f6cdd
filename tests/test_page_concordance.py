"""AppTest: the Concordance page (lines in context, sorting, paging, links with a word) and its why-tab."""

from __future__ import annotations

from apptest_helpers import assert_clean, errors, open_page, tables_with
from embedlab.concordance import ConcordanceIndex
from embedlab.evidence import model_corpus
from embedlab.ui.evidence_view import EVIDENCE_KEY

PAGE = "pages/9_Concordance.py"


def lines(at) -> list:
    return tables_with(at, "left context", "word", "right context")


def test_a_word_s_lines_sorted_and_paged_as_the_index_says(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    assert any("Type a word" in i.value for i in at.info)
    at.text_input(key="concordance_word").set_value("queen").run()
    assert_clean(at)
    index = ConcordanceIndex.open(workspace.concordance_dir(model_corpus(workspace, trained_model)))
    [table] = lines(at)
    expected = index.search("queen", limit=20)
    assert list(table["right context"]) == [" ".join(line.right) for line in expected.lines]
    assert set(table["word"]) == {"queen"} and [m.value for m in at.metric][:2] == ["690", "690"]
    at.radio(key="concordance_sort").set_value("right").run()
    by_right = index.search("queen", sort="right", limit=20)
    assert list(lines(at)[0]["right context"]) == [" ".join(line.right) for line in by_right.lines]
    at.button(key="concordance_next").click().run()
    assert_clean(at)
    second = index.search("queen", sort="right", offset=20, limit=20)
    assert list(lines(at)[0]["line"]) == [line.line + 1 for line in second.lines]
    assert at.session_state[EVIDENCE_KEY].offset == 20
    at.button(key="concordance_previous").click().run()
    assert list(lines(at)[0]["line"]) == [line.line + 1 for line in by_right.lines]
    at.text_input(key="concordance_word").set_value("quen").run()
    assert any("'quen' does not occur in this corpus" in e and "queen" in e for e in errors(at))


def test_a_link_with_two_words_opens_why_they_are_close(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.query_params["word"] = "king"
    at.query_params["why"] = "queen"
    at.run()
    assert_clean(at)
    assert at.text_input(key="concordance_word").value == "king"
    [why] = tables_with(at, "context", "near king", "near queen", "PMI king", "PMI queen")
    assert {"crown", "coronation"} <= set(why["context"])
    assert any("Why are “king” and “queen” close?" in m.value for m in at.markdown)
    at.radio(key="concordance_ranking").set_value("count").run()
    [by_count] = tables_with(at, "context", "near king")
    assert list(by_count["context"])[0] == "the"


def test_without_a_corpus_the_page_says_where_to_make_one(workspace) -> None:
    at = open_page(PAGE)
    assert_clean(at)
    assert any("no corpus yet" in i.value for i in at.info)


def test_the_concordance_and_why_tab_read_in_chinese(workspace, tmp_path_factory) -> None:
    """A word's lines (metrics, headers, paging) and why two words are close, in Chinese."""
    from embedlab.i18n import use_language
    from zh_explore import chinese_model, english_left

    model_id = chinese_model(tmp_path_factory, workspace)
    with use_language("zh"):
        at = open_page(PAGE, model_id=model_id, language="zh")
        at.text_input(key="concordance_word").set_value("国王").run()
        at.text_input(key="concordance_why_a").set_value("国王")
        at.text_input(key="concordance_why_b").set_value("女王").run()
        assert_clean(at)
        assert tables_with(at, "左侧上下文", "词", "右侧上下文", "行号")
        assert tables_with(at, "上下文词", "国王 附近", "女王 附近", "PMI 国王", "PMI 女王", "语料中次数")
        assert [m.label for m in at.metric] == ["出现次数", "行数", "每百万词元", "当前显示"]
        assert any("“国王”和“女王”为什么相近？" in m.value for m in at.markdown)
        assert not english_left(at), english_left(at)
