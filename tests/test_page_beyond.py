"""The pages beyond words under AppTest: Graphs, Documents, Recommend, Index lab (and the Neighbours hand-off)."""

from __future__ import annotations

from apptest_helpers import app_state, assert_clean, open_page, plotly_figures, tables_with, wait_for_jobs
from embedlab import graphs, workflows
from embedlab.config import Doc2VecParams, GraphWalkParams, Word2VecParams
from embedlab.workspace import Workspace

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
    neighbours = open_page("pages/5_Neighbours.py", model_id=model_id, corpus_id=corpus.corpus_id)
    neighbours.session_state["index_lab"] = at.session_state["index_lab"]
    neighbours.run()
    assert_clean(neighbours)
    assert any("chosen in the index lab" in c.value for c in neighbours.caption)
