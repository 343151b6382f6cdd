"""The pages beyond words under AppTest: Graphs, Documents, Recommend, Index lab (and the Neighbours hand-off),
in English and, after each page's main action, in Chinese."""

from __future__ import annotations

import random
import re
from pathlib import Path
from types import SimpleNamespace

from apptest_helpers import app_state, assert_clean, open_page, plotly_figures, shown, tables_with, wait_for_jobs
from embedlab import graphs, index_lab, workflows
from embedlab.config import CorpusParams, Doc2VecParams, GraphWalkParams, Word2VecParams
from embedlab.i18n import use_language
from embedlab.textsafe import md
from embedlab.ui import graphs_view, index_lab_view, recommend_view
from embedlab.workspace import Workspace
from test_i18n_pages import CJK, english_problems, visible_texts

SMALL_WALKS = GraphWalkParams(walk_length=10, walks_per_node=5, vector_size=8, epochs=2, workers=1)


def test_graphs_page_prepares_draws_and_finds_neighbours(workspace: Workspace) -> None:
    at = open_page("pages/31_Graphs.py")
    assert_clean(at)
    at.button(key="graphs_use_builtin").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    corpus_id = app_state(at).active_corpus_id
    corpus = workspace.load_corpus(corpus_id)
    assert corpus.name.startswith("Zachary")
    figure = plotly_figures(at)[0]
    assert any(trace.get("name") == "Mr. Hi" for trace in figure["data"]) or at.selectbox(key="graphs_colour")
    model_id = workflows.train_and_save(workspace, "deepwalk", SMALL_WALKS, corpus)
    at = open_page("pages/31_Graphs.py", model_id=model_id, corpus_id=corpus_id)
    assert_clean(at)
    table = tables_with(at, "node", "similarity", "club", "community")[0]
    assert len(table) == 5 and set(table["node"]) <= set(graphs.builtin_graph("karate").nodes)


def test_documents_page_finds_documents_like_typed_text(workspace: Workspace) -> None:
    at = open_page("pages/30_Documents.py")
    assert_clean(at)
    at.button(key="documents_sample").click().run()
    at = wait_for_jobs(at)
    corpus = workspace.load_corpus(app_state(at).active_corpus_id)
    assert corpus.n_sentences == 3000
    params = Doc2VecParams(vector_size=16, epochs=5, workers=1, infer_epochs=20)
    model_id = workflows.train_and_save(workspace, "doc2vec", params, corpus)
    at = open_page("pages/30_Documents.py", model_id=model_id, corpus_id=corpus.corpus_id)
    assert_clean(at)
    assert len(tables_with(at, "document", "label", "text")[0]) == 10
    at.text_area(key="documents_text").input("the striker scored a late goal for the home team").run()
    assert_clean(at)
    found = tables_with(at, "document", "label", "text")
    assert any((t["label"] == "sport").sum() >= 8 for t in found)
    # the Map colours the documents by their label
    at = open_page("pages/4_Map.py", model_id=model_id, corpus_id=corpus.corpus_id)
    assert_clean(at)
    legend = {str(trace.get("name")).split(" (")[0] for fig in plotly_figures(at) for trace in fig["data"]}
    assert {"sport", "cooking", "science", "travel", "music", "finance"} <= legend


def test_recommend_page_scores_and_lists_items(workspace: Workspace) -> None:
    corpus = workflows.ensure_sample_corpus(workspace, "sessions")
    held = workflows.holdout_corpus(workspace, corpus)
    model_id = workflows.train_and_save(workspace, "word2vec", Word2VecParams(
        architecture="skipgram", min_count=1, epochs=2, vector_size=16, workers=1), held, "item2vec")
    at = open_page("pages/32_Recommend.py", model_id=model_id, corpus_id=held.corpus_id)
    assert_clean(at)
    at.button(key="recommend_score").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    scores = tables_with(at, "ranker", "HitRate@10", "MRR@10")[0]
    assert list(scores["ranker"]) == ["item2vec", "most popular", "co-occurrence count"]
    lists = tables_with(at, "item", "title", "sessions together")
    assert len(lists) == 2 and all(len(t) == 10 for t in lists)
    assert not at.warning  # trained on the held-out split: no leak warning


def test_index_lab_page_sweeps_and_serves_neighbours(workspace: Workspace) -> None:
    corpus = workflows.ensure_sample_corpus(workspace, "sessions")
    model_id = workflows.train_and_save(workspace, "word2vec", Word2VecParams(min_count=1, epochs=1, vector_size=16,
                                                                               workers=1), corpus)
    at = open_page("pages/33_Index_lab.py", model_id=model_id, corpus_id=corpus.corpus_id)
    assert_clean(at)
    at.button(key="index_lab_run").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    table = tables_with(at, "index", "setting", "recall@10", "latency ms", "memory MB")[0]
    assert set(table["index"]) == {"Flat (exact)", "IVF-Flat", "IVF-PQ", "HNSW"}
    assert (table[table["index"] == "Flat (exact)"]["recall@10"] == 1.0).all()
    hnsw = [s for s in table["setting"] if s.startswith("HNSW")][-1]
    at.selectbox(key="index_lab_choice").select(hnsw).run()
    at.button(key="index_lab_use").click().run()
    assert_clean(at)
    neighbours = open_page("pages/5_Neighbours.py", model_id=model_id, corpus_id=corpus.corpus_id)  # another session
    assert_clean(neighbours)
    assert any("chosen in the index lab" in c.value for c in neighbours.caption)


# -- in Chinese: each page after its main action ------------------------------------------------------------
# The sidebar (model picker, jobs) is the frame's and is checked page by page in test_i18n_pages; these
# check the page body, with Chinese data (documents, model names) wherever the data could hold English.

#: six topics of short Chinese documents, label then words (a labelled documents file, as a user would upload)
TOPICS = {
    "体育": "前锋 进球 比赛 球队 教练 决赛 球迷 射门 守门员 联赛",
    "烹饪": "厨师 米饭 炒菜 酱油 味道 厨房 面条 蔬菜 火锅 菜谱",
    "科学": "实验 细胞 物理 化学 科学家 数据 望远镜 分子 研究 理论",
    "旅行": "机场 酒店 旅客 火车 风景 护照 导游 海边 行李 景点",
    "音乐": "歌手 吉他 乐队 唱歌 音乐会 钢琴 旋律 专辑 歌曲 节奏",
    "金融": "银行 股票 利率 投资 市场 货币 基金 贷款 经济 汇率",
}


# AppTest formats a widget's value with its format_func in the test's own thread, outside the session: the
# tests that interact with a page in Chinese do so under ``use_language("zh")`` so the labels match.


def _body_problems(at) -> list[str]:  # noqa: ANN001
    """English the page body shows (tables' headers and charts' titles included), the sidebar aside."""
    texts = visible_texts(SimpleNamespace(_tree=at.main))
    assert any(CJK.search(text) for _field, text in texts)
    return english_problems(texts)


def test_graphs_page_in_chinese_after_preparing_a_graph_and_training_deepwalk(workspace: Workspace) -> None:
    with use_language("zh"):
        at = open_page("pages/31_Graphs.py", language="zh")
        at.button(key="graphs_use_builtin").click().run()
        at = wait_for_jobs(at)
    assert_clean(at)
    corpus = workspace.load_corpus(app_state(at).active_corpus_id)
    model_id = workflows.train_and_save(workspace, "deepwalk", SMALL_WALKS, corpus, name="图模型")
    at = open_page("pages/31_Graphs.py", model_id=model_id, corpus_id=corpus.corpus_id, language="zh")
    assert_clean(at)
    assert not _body_problems(at), _body_problems(at)
    table = tables_with(at, "节点", "相似度", "派系", "社区", "与该节点相连")[0]
    assert set(table["派系"]) <= {"教练派", "干事派"}
    figure = plotly_figures(at)[0]
    assert figure["layout"]["title"]["text"] == "扎卡里空手道俱乐部"
    assert figure["layout"]["legend"]["title"]["text"] == "派系"
    legend = {trace.get("name") for trace in figure["data"] if trace.get("showlegend", True)}
    assert legend >= {"教练派", "干事派"}


def test_documents_page_in_chinese_finds_documents_like_typed_text(workspace: Workspace, tmp_path) -> None:
    rng = random.Random(1)
    lines = [f"{label}\t{' '.join(rng.sample(words.split(), 6))}" for label, words in TOPICS.items() for _ in range(40)]
    source = tmp_path / "中文文档.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = workflows.documents_corpus(workspace, source, CorpusParams("words"), name="中文文档")
    model_id = workflows.train_and_save(workspace, "doc2vec", Doc2VecParams(
        vector_size=16, epochs=10, workers=1, infer_epochs=20, min_count=1), corpus, name="文档向量")
    with use_language("zh"):
        at = open_page("pages/30_Documents.py", model_id=model_id, corpus_id=corpus.corpus_id, language="zh")
        assert_clean(at)
        at.text_area(key="documents_text").input("前锋 射门 进球 决赛").run()
    assert_clean(at)
    assert not _body_problems(at), _body_problems(at)
    found = tables_with(at, "排名", "文档", "相似度", "标签", "文本")
    assert len(found) == 2 and all(set(t["标签"]) <= set(TOPICS) and len(t) == 10 for t in found)
    assert tables_with(at, "排名", "词", "相似度")


def test_recommend_page_in_chinese_after_scoring(workspace: Workspace) -> None:
    corpus = workflows.ensure_sample_corpus(workspace, "sessions")
    held = workflows.holdout_corpus(workspace, corpus)
    model_id = workflows.train_and_save(workspace, "word2vec", Word2VecParams(
        architecture="skipgram", min_count=1, epochs=2, vector_size=16, workers=1), held, "物品向量")
    with use_language("zh"):
        at = open_page("pages/32_Recommend.py", model_id=model_id, corpus_id=held.corpus_id, language="zh")
        at.button(key="recommend_score").click().run()
        at = wait_for_jobs(at)
    assert_clean(at)
    # item IDs, product titles and corpus names are data: the item picker's options ("P0172 · Orbit A10 Pro
    # phone") and the held-out corpus's name (the sample's English title, named by the library) stay
    texts = [(f, t.replace(md(held.name), "")) for f, t in visible_texts(SimpleNamespace(_tree=at.main))
             if not (f == "options" and re.match(r"P\d{4} · ", t))]
    assert not english_problems(texts), english_problems(texts)
    scores = tables_with(at, "排序方法", "命中率@10", "MRR@10", "覆盖率")[0]
    assert list(scores["排序方法"]) == ["物品向量", "最热门", "共现计数"]
    assert len(tables_with(at, "物品", "标题", "类别", "同会话次数")) == 2
    figure = plotly_figures(at)[0]
    assert [trace["name"] for trace in figure["data"]] == ["物品向量", "最热门", "共现计数"]
    assert "命中率@K" in figure["layout"]["title"]["text"]


def test_index_lab_page_in_chinese_after_a_sweep(workspace: Workspace) -> None:
    corpus = workflows.ensure_sample_corpus(workspace, "chinese")
    model_id = workflows.train_and_save(workspace, "word2vec", Word2VecParams(
        epochs=1, seed=1, vector_size=16, workers=1), corpus, name="中文词向量")
    with use_language("zh"):
        at = open_page("pages/33_Index_lab.py", model_id=model_id, corpus_id=corpus.corpus_id, language="zh")
        at.number_input(key="index_lab_queries").set_value(50)
        at.button(key="index_lab_run").click().run()
        at = wait_for_jobs(at)
        assert_clean(at)
        table = tables_with(at, "索引类型", "设置", "召回率@10", "延迟（毫秒）", "内存（MB）")[0]
        assert set(table["索引类型"]) == {"精确搜索", "IVF（未压缩）", "IVF-PQ", "HNSW"}
        options = at.selectbox(key="index_lab_choice").options
        assert options[0] == "（默认搜索）"
        hnsw = next(option for option in options if option.startswith("HNSW"))
        assert "候选数" in hnsw
        at.selectbox(key="index_lab_choice").select_index(options.index(hnsw)).run()
        at.button(key="index_lab_use").click().run()
    assert_clean(at)
    assert not _body_problems(at), _body_problems(at)
    assert at.success and "候选数" in at.success[0].value
    # the chosen index is the model's now: another session's Neighbours names it in Chinese too
    with use_language("zh"):
        neighbours = open_page("pages/5_Neighbours.py", model_id=model_id, corpus_id=corpus.corpus_id, language="zh")
    assert_clean(neighbours)
    said = [c.value for c in neighbours.caption if "HNSW" in c.value]
    assert said and "候选数" in said[0] and "efSearch" not in said[0], said


# -- the library's English names this area translates --------------------------------------------------------

def test_the_shipped_graph_texts_are_all_marked_for_translation() -> None:
    """Every name, description and computed column the graphs library ships is in ``SHIPPED_TEXTS``."""
    shipped = {text for name, description in graphs.BUILTIN_GRAPHS.values() for text in (name, description)}
    karate = graphs.builtin_graph("karate")
    table = graphs.node_table(karate)
    shipped |= set(table) | set(table["degree band"].values()) | set(table["club"].values())
    assert shipped <= graphs_view.SHIPPED_TEXTS
    with use_language("zh"):
        assert all(CJK.search(graphs_view.shipped_text(text)) for text in shipped)
        assert graphs_view.shipped_text("my own graph") == "my own graph"  # a user's names stay


def test_index_settings_read_as_the_library_names_them_in_english() -> None:
    assert set(index_lab.KINDS.values()) <= set(index_lab_view.KIND_NAMES)
    specs = index_lab.sweep_specs(2000, 32, nprobes=(1, 4), ef_searches=(16,), pq_bytes=(8,))
    assert {spec.kind for spec in specs} == set(index_lab.KINDS)
    with use_language("en"):
        assert [index_lab_view.setting_label(spec) for spec in specs] == [spec.label for spec in specs]
    with use_language("zh"):
        assert not english_problems([("options", index_lab_view.setting_label(spec)) for spec in specs])


def test_recommender_baselines_are_named_for_the_reader_and_models_as_named() -> None:
    from embedlab.recommend import CooccurrenceRanker, PopularityRanker

    assert {PopularityRanker.name, CooccurrenceRanker.name} == set(recommend_view.BASELINE_NAMES)
    rows = [{"ranker": "most popular", "HitRate@5": 0.1}, {"ranker": "most popular", "HitRate@5": 0.2}]
    with use_language("zh"):
        shown = recommend_view.display_scores(rows)
        assert [row["ranker"] for row in shown] == ["most popular", "最热门"]  # a model may be named anything
        assert list(recommend_view.score_table(shown).columns) == ["排序方法", "命中率@5"]


def test_the_index_chosen_in_the_lab_is_saved_with_the_model_until_the_default_is_chosen_again(
        workspace: Workspace) -> None:
    """A reload (a new session) and another session search with the index chosen in the lab; going back to
    the default search needs no sweep."""
    corpus = workflows.ensure_sample_corpus(workspace, "sessions")
    model_id = workflows.train_and_save(workspace, "word2vec", Word2VecParams(min_count=1, epochs=1, vector_size=16,
                                                                               workers=1), corpus)
    at = open_page("pages/33_Index_lab.py", model_id=model_id, corpus_id=corpus.corpus_id)
    at.number_input(key="index_lab_queries").set_value(50)
    at.multiselect(key="index_lab_kinds").set_value(["flat", "hnsw"])
    at.button(key="index_lab_run").click().run()
    at = wait_for_jobs(at)
    hnsw = [s for s in at.selectbox(key="index_lab_choice").options if s.startswith("HNSW")][-1]
    at.selectbox(key="index_lab_choice").select(hnsw).run()
    at.button(key="index_lab_use").click().run()
    assert_clean(at)
    saved = workspace.load_search_index(model_id)
    assert saved is not None and saved["index"]["kind"] == "hnsw"

    neighbours = open_page("pages/5_Neighbours.py", model_id=model_id, corpus_id=corpus.corpus_id)  # a new session
    assert_clean(neighbours)
    assert any(f"faiss {hnsw}, chosen in the index lab" in c.value for c in neighbours.caption)

    lab = open_page("pages/33_Index_lab.py", model_id=model_id, corpus_id=corpus.corpus_id)  # no sweep here
    assert lab.success and hnsw in shown(lab.success[0].value) and "every session" in lab.success[0].value
    lab.button(key="index_lab_reset").click().run()
    assert_clean(lab)
    assert not lab.success and workspace.load_search_index(model_id) is None
    neighbours = open_page("pages/5_Neighbours.py", model_id=model_id, corpus_id=corpus.corpus_id)
    assert any("exact: every word is compared" in c.value for c in neighbours.caption)


def test_index_lab_page_on_a_model_smaller_than_its_usual_floor(workspace: Workspace, tmp_path: Path) -> None:
    """An imported toy file of 8 vectors: the page draws (it crashed on the 100-word floor of its size field) and
    a sweep that cannot measure recall says why on the page, before any job starts."""
    from embedlab.io import import_vectors
    from embedlab.ui.jobs import runner

    rows = [f"w{i} " + " ".join(str((i * 7 + j) % 5 - 2) for j in range(5)) for i in range(8)]
    path = tmp_path / "tiny.vec"
    path.write_text("8 5\n" + "\n".join(rows) + "\n", encoding="utf-8")
    model_id = import_vectors(workspace, path).model_id
    at = open_page("pages/33_Index_lab.py", model_id=model_id)
    assert_clean(at)
    assert at.number_input(key="index_lab_max_vectors").value == 8
    at.button(key="index_lab_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = [shown(e.value) for e in at.error]
    assert any("at least 22 vectors" in s and "has 8" in s for s in said), said
    assert not runner().session_jobs(app_state(at).session_id)  # no job started only to fail
