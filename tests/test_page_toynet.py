"""AppTest: the Inside the network page steps a toy Word2Vec and shows its weights, loss and neighbours."""

from __future__ import annotations

from apptest_helpers import assert_clean, open_page, plotly_figures, tables_with
from embedlab.ui.toynet_view import NETWORK_KEY, plain

PAGE = "pages/22_Inside_the_network.py"


def test_next_20_and_100_steps_train_the_toy_and_every_view_follows(workspace) -> None:
    at = open_page(PAGE)
    assert_clean(at)
    assert any("Nothing trained yet" in i.value for i in at.info)
    at.button(key="toynet_step_1").click().run()
    at.button(key="toynet_step_20").click().run()
    net = at.session_state[NETWORK_KEY]
    assert net.steps_done == 21
    assert any("Step 21" in m.value for m in at.markdown)
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles[:2] == ["Input vectors (input → hidden weights)", "Output vectors (hidden → output weights)"]
    assert "Loss over steps" in titles
    heatmap = plotly_figures(at)[0]
    assert heatmap["layout"]["yaxis"]["ticktext"] == list(net.words)
    assert heatmap["data"][0]["z"]["shape"] == f"{len(net.words)}, 5"  # plotly sends arrays base64-encoded
    loss = next(f for f in plotly_figures(at) if f["layout"]["title"]["text"] == "Loss over steps")
    assert loss["data"][1]["x"][-1] == 21
    first_loss = net.history[0].corpus_loss
    for _ in range(10):
        at.button(key="toynet_step_100").click().run()
    assert_clean(at)
    assert net.steps_done == 1021
    [table] = tables_with(at, "word", "#1")
    nearest = dict(zip(table["word"], table["#1"]))
    assert nearest["king"].startswith("queen") and nearest["woman"].startswith("man")
    assert net.history[-1].corpus_loss < 0.8 * first_loss


def test_start_over_with_another_corpus_and_bad_input_keeps_the_network(workspace) -> None:
    at = open_page(PAGE)
    at.text_area(key="toynet_corpus").set_value("[click](http://x) likes *cats*\nyou like dogs")
    at.selectbox(key="toynet_architecture").set_value("cbow")
    at.selectbox(key="toynet_objective").set_value("softmax")
    at.button(key="FormSubmitter:toynet_settings-Start over with these settings").click().run()
    assert_clean(at)
    net = at.session_state[NETWORK_KEY]
    assert net.config.architecture == "cbow" and net.config.objective == "softmax"
    assert "[click](http://x)" in net.words
    at.button(key="toynet_step_1").click().run()
    step = next(m.value for m in at.markdown if "Step 1" in m.value)
    assert plain("[click](http://x)") in step or plain("likes") in step  # words reach Markdown escaped only
    assert "](http" not in step.replace("\\]\\(http", "")
    at.text_area(key="toynet_corpus").set_value("single")
    at.button(key="FormSubmitter:toynet_settings-Start over with these settings").click().run()
    assert any("two different words" in e.value for e in at.error)
    assert at.session_state[NETWORK_KEY] is net


def test_a_diverging_run_says_so_on_the_page(workspace) -> None:
    at = open_page(PAGE)
    at.number_input(key="toynet_rate").set_value(2.0)
    at.button(key="FormSubmitter:toynet_settings-Start over with these settings").click().run()
    for _ in range(20):
        at.button(key="toynet_step_100").click().run()
        if at.error:
            break
    assert not at.exception
    assert any("Training diverged" in e.value for e in at.error)


def test_the_toy_network_steps_in_chinese(workspace) -> None:
    """In Chinese, the settings, the step explanation, every figure's titles, axes and legend, and the
    neighbours table read in Chinese after a few steps (with negative sampling and with full softmax)."""
    from embedlab.i18n import use_language
    from test_i18n_pages import CJK, english_problems, visible_texts

    # AppTest formats a selectbox's value with the app's format_func in the test's own thread: Chinese there too
    with use_language("zh"):
        at = open_page(PAGE, language="zh")
        assert_clean(at)
        assert any("还没有训练" in i.value for i in at.info)
        assert {"国王", "女王", "男人", "女人"} <= set(at.session_state[NETWORK_KEY].words)  # a Chinese toy corpus
        assert not english_problems(visible_texts(at))
        at.button(key="toynet_step_1").click().run()
        at.button(key="toynet_step_20").click().run()
        at.toggle(key="toynet_show_outputs").set_value(True).run()
        assert_clean(at)
        assert any("第 21 步" in m.value and "负样本" in m.value for m in at.markdown)
        figures = plotly_figures(at)
        assert {f["layout"]["title"]["text"] for f in figures} >= {"输入向量（输入层 → 隐藏层的权重）", "损失随步数的变化"}
        legend = [t["name"] for f in figures for t in f["data"] if t.get("name")]
        assert "输入向量" in legend and "输出向量" in legend
        texts = visible_texts(at)
        assert not english_problems(texts), english_problems(texts)
        assert [column for column in at.dataframe[0].value.columns][:2] == ["词", "#1"]
        at.selectbox(key="toynet_objective").set_value("softmax")
        at.button(key="FormSubmitter:toynet_settings-用这些设置重新开始").click().run()
        at.button(key="toynet_step_1").click().run()
        assert_clean(at)
        assert any("完整 Softmax" in c.value for c in at.caption)
        texts = visible_texts(at)
        assert not english_problems(texts), english_problems(texts)
        assert sum(bool(CJK.search(text)) for _field, text in texts) > 20


def test_the_starting_corpus_is_the_default_one_in_english() -> None:
    """The page's starting corpus is a msgid (a Chinese session starts on it in Chinese); in English it is the
    library's default."""
    from embedlab import toynet
    from embedlab.ui.toynet_view import STARTING_CORPUS

    assert STARTING_CORPUS == toynet.DEFAULT_CORPUS
