"""AppTest: benchmarking saved models from the Evaluate page; uploads with bad lines are explained."""

from __future__ import annotations

from apptest_helpers import assert_clean, errors, open_page, picker, wait_for_jobs

PAGE = "pages/8_Evaluate.py"


def test_benchmark_models_and_store_scores(workspace, trained_models) -> None:
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    assert_clean(at)
    picker(at, "evaluate_models", "multiselect").set_value(list(trained_models.values())).run()
    at.multiselect(key="evaluate_methods").set_value(["3cosadd", "3cosmul"]).run()
    at.button(key="evaluate_run").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "memory (MB)" in d.value.columns)
    assert len(table) == len(trained_models)
    for column in ("Google analogies · 3CosAdd", "Google analogies · 3CosMul", "WordSim353", "SimLex-999"):
        assert column in table.columns and f"{column} coverage" in table.columns
    assert (table["memory (MB)"] > 0).all()
    for model_id in trained_models.values():
        stored = workspace.manifest(model_id).metrics.benchmarks
        assert stored["WordSim353"].total == 353 and 0 <= stored["WordSim353"].coverage <= 1
    assert {c.key for c in at.get("plotly_chart")} >= {"evaluate_bars", "evaluate_sections"}


def test_an_uploaded_analogy_file_with_bad_lines_is_explained(workspace, trained_models) -> None:
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    bad = b": royals\nman king woman queen\nman king woman\n"
    at.file_uploader(key="evaluate_upload_analogy").upload("mine.txt", bad, "text/plain").run()
    assert not at.exception
    assert any("line 3 has 3 word(s)" in e for e in errors(at)), errors(at)


def test_an_uploaded_pair_file_is_used(workspace, trained_models) -> None:
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    pairs = b"king\tqueen\t8\nman\twoman\t8\nking\tman\t5\nqueen\twoman\t5\nking\twoman\t3\n"
    at.file_uploader(key="evaluate_upload_pairs").upload("royal.tsv", pairs, "text/plain").run()
    for key in ("evaluate_use_questions-words", "evaluate_use_wordsim353", "evaluate_use_simlex999"):
        at.checkbox(key=key).uncheck()
    at.button(key="evaluate_run").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    stored = workspace.manifest(trained_models["word2vec"]).metrics.benchmarks
    assert list(stored) == ["royal.tsv"] and stored["royal.tsv"].total == 5


def test_no_model_yet(workspace) -> None:
    at = open_page(PAGE)
    assert_clean(at)
    assert any("no model yet" in i.value for i in at.info)


def test_a_new_bundled_benchmark_is_offered_with_its_description(workspace, trained_models, monkeypatch) -> None:
    """Adding a bundled benchmark is one entry in benchmark_files.BUNDLED: the page lists it (no KeyError)."""
    from embedlab import benchmark_files as bf

    entry = bf.BundledBenchmark("Tiny pairs", "wordsim353.tsv", "pairs", "A test entry reusing WordSim353's file.")
    monkeypatch.setitem(bf.BUNDLED, "tiny-pairs", entry)
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    assert_clean(at)
    box = at.checkbox(key="evaluate_use_tiny-pairs")
    assert box.label == "Tiny pairs" and box.help == entry.description


# -- in Chinese -------------------------------------------------------------------------------------

from test_page_compare import chinese_models, chinese_page_problems, chinese_workspace  # noqa: E402,F401 - fixtures

#: a small Chinese analogy file (words of the Chinese sample): sections, per-section bars and wrong answers
CHINESE_ANALOGIES = (": 首都\n北京 中国 东京 日本\n东京 日本 巴黎 法国\n北京 中国 巴黎 法国\n"
                     ": 性别\n国王 女王 男人 女人\n男人 女人 国王 女王\n").encode("utf-8")


def test_evaluate_reads_in_chinese_after_a_run(chinese_workspace) -> None:
    """Scores of three models, in Chinese: the table's headers, the bars' titles, sections and wrong answers."""
    from apptest_helpers import plotly_figures

    workspace, ids = chinese_workspace
    at = open_page(PAGE, model_id=ids["word2vec"], language="zh")
    picker(at, "evaluate_models", "multiselect").set_value(list(ids.values())).run()
    at.file_uploader(key="evaluate_upload_analogy").upload("类比.txt", CHINESE_ANALOGIES, "text/plain").run()
    at.checkbox(key="evaluate_use_questions-words").uncheck()
    at.button(key="evaluate_run").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "内存（MB）" in d.value.columns)
    assert len(table) == 3 and {"模型", "算法", "词表大小", "维度", "WordSim353", "WordSim353 覆盖率"} <= set(table.columns)
    assert at.selectbox(key="evaluate_sections_of").value == "类比.txt · 3CosAdd"
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles == ["基准得分", "类比.txt · 3CosAdd：各小节准确率"], titles
    wrong = [d.value for d in at.dataframe if "正确答案" in d.value.columns]
    assert wrong and {"模型", "小节", "题目", "模型的答案"} <= set(wrong[0].columns)
    problems = chinese_page_problems(at, workspace, {"类比.txt"})
    assert not problems, "\n".join(problems)


def test_models_that_cover_no_question_get_a_message_not_empty_charts(workspace, tmp_path) -> None:
    """A Chinese model scored on the English built-in benchmarks covers nothing: the page says so and why,
    instead of drawing a score chart with no bars (axes 0 to 4) and an empty per-section chart."""
    from embedlab.io import import_vectors

    words = ["国王", "王后", "男人", "女人", "城市", "乡村", "猫", "狗"]
    path = tmp_path / "中文.vec"
    path.write_text(f"{len(words)} 4\n" + "".join(f"{w} {i % 3} {i % 2} 1 {i}\n" for i, w in enumerate(words)),
                    encoding="utf-8")
    model_id = import_vectors(workspace, path).model_id
    at = open_page(PAGE, model_id=model_id)
    picker(at, "evaluate_models", "multiselect").set_value([model_id]).run()
    at.button(key="evaluate_run").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    assert not at.get("plotly_chart"), [c.key for c in at.get("plotly_chart")]
    assert any("coverage 0%" in i.value and "upload your own" in i.value for i in at.info), [i.value for i in at.info]
