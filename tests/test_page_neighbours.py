"""AppTest: the Neighbours page with sample models (query words, k, OOV words, batch mode and its CSV)."""

from __future__ import annotations


from apptest_helpers import app_state, assert_clean, errors, open_page, plotly_figures, shown, tables_with
from embedlab.search import NeighbourIndex

PAGE = "pages/5_Neighbours.py"


def chart(at, i: int = 0) -> dict:
    """The i-th plotly chart on the page, decoded."""
    return plotly_figures(at)[i]


def test_query_word_chart_and_table_match_the_library(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    assert at.text_input(key="neighbours_query").value == "king"
    assert any("cosine similarity" in c.value and "exact" in c.value for c in at.caption)
    vectors = workspace.load_vectors(trained_model)
    expected = NeighbourIndex(vectors).query("king", 10)
    bars = chart(at)["data"][0]
    assert bars["type"] == "bar" and bars["customdata"] == [n.word for n in expected]
    assert [round(x, 4) for x in bars["x"]] == [round(n.similarity, 4) for n in expected]
    table = tables_with(at, "rank", "word", "cosine similarity")[0]
    assert list(table["word"]) == [n.word for n in expected] and "king" not in set(table["word"])


def test_several_words_k_and_durability(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.slider(key="neighbours_k").set_value(5).run()
    at.text_input(key="neighbours_query").set_value("queen, paris").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2
    assert [len(t) for t in tables_with(at, "rank", "word")] == [5, 5]
    assert app_state(at).widget_values["neighbours_query"] == "queen, paris" and app_state(at).widget_values["neighbours_k"] == 5


def test_unknown_word_is_explained_with_clickable_spellings(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="neighbours_query").set_value("quen paris").run()
    assert not at.exception
    assert any("'quen' is not in this model's vocabulary" in e and "queen" in e for e in errors(at))
    assert len(at.get("plotly_chart")) == 1  # paris still answered
    at.button(key="neighbours_suggest_0_0").click().run()
    assert_clean(at)
    assert at.text_input(key="neighbours_query").value.split()[1] == "paris"
    assert len(at.get("plotly_chart")) == 2


def test_fasttext_composes_unknown_words_and_lists_ngrams(workspace, trained_models) -> None:
    at = open_page(PAGE, model_id=trained_models["fasttext"])
    at.text_input(key="neighbours_query").set_value("kingly").run()
    assert_clean(at)
    info = shown(" ".join(i.value for i in at.info))
    assert "FastText composed its vector" in info and "<ki" in info and "ly>" in info
    assert "n-grams" in chart(at)["layout"]["title"]["text"]


def test_batch_mode_table_and_csv(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.radio(key="neighbours_mode").set_value("batch").run()
    at.text_area(key="neighbours_batch_text_input").set_value("king\nqueen, paris\nxqzzy")
    at.slider(key="neighbours_batch_k_input").set_value(3)
    at.button[0].click().run()
    assert not at.exception
    table = tables_with(at, "query", "rank", "neighbour", "similarity")[0]
    assert list(table["query"]) == ["king"] * 3 + ["queen"] * 3 + ["paris"] * 3
    assert any("xqzzy" in w.value for w in at.warning)
    vectors = workspace.load_vectors(trained_model)
    assert list(table["neighbour"][:3]) == [n.word for n in NeighbourIndex(vectors).query("king", 3)]
    downloads = at.get("download_button")
    assert len(downloads) == 1
    # the batch survives a page switch (it lives in state.neighbours)
    at.switch_page("pages/3_Models.py").run()
    at.switch_page(PAGE).run()
    assert tables_with(at, "query", "neighbour")[0].shape == (9, 4)


def test_without_a_model_the_page_says_how_to_get_one(workspace) -> None:
    at = open_page(PAGE)
    assert_clean(at)
    assert any("There is no model yet" in i.value for i in at.info)


def test_item_ids_get_their_titles_and_categories_beside_them(workspace) -> None:
    """Item2Vec: a neighbour list of bare product IDs is unreadable, so the sessions sample's items.csv is shown."""
    from embedlab import categories as cats
    from embedlab.config import Word2VecParams
    from embedlab.samples import get_sample
    from embedlab.workflows import ensure_sample_corpus
    from embedlab.workflows import train_and_save

    corpus = ensure_sample_corpus(workspace, "sessions")
    model_id = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=16, epochs=1, seed=1), corpus)
    items = cats.from_csv(get_sample("sessions").metadata_path)
    at = open_page(PAGE, model_id=model_id)
    at.text_input(key="neighbours_query").set_value("P0001").run()
    assert_clean(at)
    assert any(c.value.startswith(f"**P0001**: {items.titles['P0001']} · category *phones*") for c in at.caption)
    table = tables_with(at, "rank", "word", "title", "category", "cosine similarity")[0]
    assert list(table["title"]) == [items.titles[w] for w in table["word"]]
    assert list(table["category"]) == [items.mapping[w] for w in table["word"]]
    bars = chart(at)["data"][0]
    assert bars["y"][0] == f"1. {table['word'][0]} · {items.titles[table['word'][0]]}"  # the title on the bar's label

    # a product name instead of an ID: the items whose titles contain it are offered
    at.text_input(key="neighbours_query").set_value("mouse").run()
    assert not at.exception and any("'mouse' is not in this model's vocabulary" in e for e in errors(at))
    offered = [b.label for b in at.button if b.key and b.key.startswith("neighbours_suggest_0_")]
    first = items.find_by_title("mouse", workspace.load_vectors(model_id).index)[0]
    assert offered and offered[0] == f"Use “{first}” · {items.titles[first]}" and "mouse" in offered[0].lower()
    at.button(key="neighbours_suggest_0_0").click().run()
    assert_clean(at)
    assert at.text_input(key="neighbours_query").value == first

    at.radio(key="neighbours_mode").set_value("batch").run()
    at.text_area(key="neighbours_batch_text_input").set_value("P0001 P0002")
    at.slider(key="neighbours_batch_k_input").set_value(3)
    at.button[0].click().run()
    assert_clean(at)
    batch = tables_with(at, "query", "neighbour", "neighbour title", "neighbour category")[0]
    assert len(batch) == 6 and list(batch["neighbour category"]) == [items.mapping[w] for w in batch["neighbour"]]


def test_an_ordinary_text_model_gets_no_item_columns(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    assert list(tables_with(at, "rank", "word")[0].columns) == ["rank", "word", "cosine similarity"]


def test_bar_labels_follow_the_words_and_must_match_them() -> None:
    import pytest

    from embedlab.search import Neighbour
    from embedlab.viz.neighbours import neighbour_bars

    found = [Neighbour("P2", 0.9, 1), Neighbour("P3", 0.5, 2)]
    fig = neighbour_bars("P1", found, labels=["Case", ""]).to_dict()
    assert fig["data"][0]["y"] == ["1. P2 · Case", "2. P3"] and fig["data"][0]["customdata"] == ["P2", "P3"]
    with pytest.raises(ValueError, match="1 labels for 2 neighbours"):
        neighbour_bars("P1", found, labels=["Case"])


def test_a_capitalised_word_finds_the_lower_cased_model_word(workspace, trained_models) -> None:
    """'King' is 'king' in a lower-cased model, as on Analogies (FastText used to compose 'King' from n-grams)."""
    for algorithm in ("word2vec", "fasttext"):
        at = open_page(PAGE, model_id=trained_models[algorithm])
        at.text_input(key="neighbours_query").set_value("King").run()
        assert_clean(at)
        assert any("Showing “king”" in shown(c.value) for c in at.caption)
        assert not at.info  # not composed from n-grams
        table = tables_with(at, "rank", "word", "cosine similarity")[0]
        expected = NeighbourIndex(workspace.load_vectors(trained_models[algorithm])).query("king", 10)
        assert list(table["word"]) == [n.word for n in expected]
        cbow_note = any("neighbours follow spelling" in shown(c.value) for c in at.caption)
        assert cbow_note == (algorithm == "fasttext")  # and why, with the skip-gram suggestion


def test_large_model_builds_an_approximate_index_and_shows_its_recall(workspace, trained_model, monkeypatch) -> None:
    from apptest_helpers import wait_for_jobs
    from embedlab import search

    monkeypatch.setattr(search, "APPROXIMATE_MIN_ELEMENTS", 1000)  # the sample model counts as large here
    at = open_page(PAGE, model_id=trained_model)
    assert any("approximate index" in i.value for i in at.info)  # built in the background, exact meanwhile
    at = wait_for_jobs(at)
    assert_clean(at)
    caption = " ".join(c.value for c in at.caption)
    assert "approximate (faiss" in caption and "recall@10 = " in caption and "measured on" in caption
    from embedlab.ui.widgets import neighbour_index

    index = neighbour_index(workspace.load_vectors(trained_model))  # the page's (process-wide) index
    assert index.ready and f"recall@10 = {index.recall.value:.3f}" in caption and index.recall.value >= 0.9


def test_neighbours_read_in_chinese(workspace, tmp_path_factory) -> None:
    """A query, an unknown word with its suggestions, and batch mode: every label, caption, chart title, axis
    and table header in Chinese."""
    from embedlab.i18n import use_language
    from test_i18n_pages import CJK
    from zh_explore import chinese_model, english_left, figure_titles

    model_id = chinese_model(tmp_path_factory, workspace)
    with use_language("zh"):  # AppTest runs format_func in the test's thread
        at = open_page(PAGE, model_id=model_id, language="zh")
        at.text_input(key="neighbours_query").set_value("国王, 女人").run()
        assert_clean(at)
        assert len(at.get("plotly_chart")) == 2
        titles = figure_titles(at)
        assert "“国王”的最近邻" in titles and "余弦相似度" in titles
        assert tables_with(at, "排名", "词", "余弦相似度")
        assert any("余弦相似度" in c.value and "精确搜索" in c.value for c in at.caption)
        assert not english_left(at), english_left(at)
        at.text_input(key="neighbours_query").set_value("国王x").run()
        assert at.error and all(CJK.search(e.value) for e in at.error)
        assert not english_left(at), english_left(at)
        at.radio(key="neighbours_mode").set_value("batch").run()
        at.text_area(key="neighbours_batch_text_input").set_value("国王\n女人\n不存在的词")
        at.button[0].click().run()
        assert not at.exception
        assert tables_with(at, "查询词", "排名", "近邻", "相似度")
        assert any("不在此模型的词表中" in w.value for w in at.warning)
        assert not english_left(at), english_left(at)


def test_switching_to_a_model_that_cannot_know_the_query_starts_from_its_default(workspace, trained_models) -> None:
    """The query box is durable, but 'king' means nothing to an item model: a switch to a model that knows none
    of the query's words starts from that model's default query; a query it knows is kept as typed."""
    from embedlab.config import Word2VecParams
    from embedlab.ui.neighbours_view import default_query
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    items_id = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=16, epochs=1, seed=1),
                              ensure_sample_corpus(workspace, "sessions"))
    items = workspace.load_vectors(items_id)
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    at.text_input(key="neighbours_query").set_value("queen paris").run()
    app_state(at).active_model_id = trained_models["fasttext"]  # another English model: the query is kept
    at.run()
    assert_clean(at)
    assert at.text_input(key="neighbours_query").value == "queen paris" and len(at.get("plotly_chart")) == 2
    app_state(at).active_model_id = items_id  # an item model knows neither word
    at.run()
    assert_clean(at)
    assert at.text_input(key="neighbours_query").value == default_query(items) and default_query(items) in items.index
    assert len(at.get("plotly_chart")) == 1
    at.text_input(key="neighbours_query").set_value("P0002").run()
    at.switch_page("pages/3_Models.py").run()  # the query survives a page switch on the same model
    at.switch_page(PAGE).run()
    assert at.text_input(key="neighbours_query").value == "P0002"
    app_state(at).active_model_id = trained_models["word2vec"]  # and back: the text model's default, not P0002
    at.run()
    assert_clean(at)
    assert at.text_input(key="neighbours_query").value == "king"


def test_item_columns_and_the_tables_source_read_in_chinese(workspace) -> None:
    """In Chinese the title column's header and the "(from …)" caption are Chinese; the category column keeps
    the name the items.csv gives it (the user's data)."""
    from embedlab import categories as cats
    from embedlab.config import Word2VecParams
    from embedlab.i18n import use_language
    from embedlab.samples import get_sample
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    corpus = ensure_sample_corpus(workspace, "sessions")
    model_id = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=16, epochs=1, seed=1), corpus)
    items = cats.from_csv(get_sample("sessions").metadata_path)
    # interactions run under the page's language: AppTest formats a radio's options in the test's thread
    with use_language("zh"):
        at = open_page(PAGE, model_id=model_id, language="zh")
        at.text_input(key="neighbours_query").set_value("P0001").run()
        assert_clean(at)
        [about] = [c.value for c in at.caption if c.value.startswith("**P0001**")]
        assert "(from" not in about and "来自" in about and items.source in about.replace("\\", "")
        [table] = [t.value for t in at.dataframe if "category" in t.value.columns]
        assert "title" not in table.columns and "标题" in table.columns
        assert list(table["标题"]) == [items.titles[w] for w in table.iloc[:, 1]]

        at.radio(key="neighbours_mode").set_value("batch").run()
        at.text_area(key="neighbours_batch_text_input").set_value("P0001 P0002")
        at.button[0].click().run()
        assert_clean(at)
        [batch] = [t.value for t in at.dataframe if "近邻的category" in t.value.columns]
        assert "近邻的标题" in batch.columns and "近邻的title" not in batch.columns
