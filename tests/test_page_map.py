"""AppTest: the Map page draws PCA at once, highlights searches, runs UMAP as a job, shows neighbours."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from apptest_helpers import app_state, assert_clean, errors, open_page, plotly_figures, shown, tables_with, wait_for_jobs
from embedlab import projection as proj
from embedlab.config import ProjectionParams
from embedlab.ui import map_view, model_access as models, warm_up
from embedlab.records import CorpusRef, Manifest
from embedlab.workspace import ModelRecord

PAGE = "pages/4_Map.py"


@pytest.fixture(autouse=True)
def warm_ups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Warm-up starts, recorded instead of compiling UMAP (which would only compete for the 2 cores)."""
    started: list[str] = []
    monkeypatch.setattr(warm_up, "_start", lambda: started.append("started"))
    return started


@pytest.mark.parametrize("setting, expected", [("0", []), ("1", ["started"])])
def test_the_warm_up_follows_embedlab_warm_up(workspace, trained_model, warm_ups, monkeypatch, setting, expected) -> None:
    """EMBEDLAB_WARM_UP=0 means no UMAP compile on any page, the Map page included."""
    monkeypatch.setenv("EMBEDLAB_WARM_UP", setting)
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    assert sorted(set(warm_ups)) == expected


def traces(at) -> list[dict]:
    return plotly_figures(at)[0]["data"]


def test_pca_map_is_drawn_at_once_with_a_sampling_line(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    data = traces(at)
    points = sum(len(t["customdata"]) for t in data if t.get("mode") == "markers")
    vocab = workspace.manifest(trained_model).vocab_size
    assert points == min(vocab, 10_000)
    words = {w for t in data if t.get("mode") == "markers" for w in t["customdata"]}
    assert "king" in words
    assert any("PCA map" in shown(c.value) and "words" in shown(c.value) for c in at.caption)
    assert not at.get("plotly_chart")[0].proto.spec == ""



def test_search_highlights_matches_and_an_exact_word_shows_its_neighbours(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="map_search").set_value("king").run()
    assert_clean(at)
    highlight = [t for t in traces(at) if t["name"].startswith("matches")]
    assert len(highlight) == 1 and "king" in highlight[0]["text"]
    assert all("king" in w for w in highlight[0]["text"])
    assert plotly_figures(at)[0]["layout"]["xaxis"]["range"]  # zoomed to the matches
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["word", "similarity"])
    assert len(table) == map_view.NEIGHBOURS_K and "king" not in set(table["word"]) and "queen" in set(table["word"])
    assert app_state(at).widget_values["map_search"] == "king"  # durable across page switches
    at.checkbox(key="map_regex").check().run()
    at.text_input(key="map_search").set_value("(").run()
    assert any("not a valid regular expression" in e for e in errors(at))


def test_the_zoom_to_a_found_word_keeps_the_ends_of_its_neighbour_lines_in_view(workspace, trained_model) -> None:
    """One match used to zoom to a tenth of the map around it: its neighbour lines ran off the chart, to words the
    panel listed but the map did not show."""
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="map_search").set_value("queen").run()
    assert_clean(at)
    layout = plotly_figures(at)[0]["layout"]
    (x0, x1), (y0, y1) = layout["xaxis"]["range"], layout["yaxis"]["range"]
    def values(axis) -> list[float]:  # plotly's JSON holds long arrays as base64 ({'dtype', 'bdata'})
        return np.frombuffer(base64.b64decode(axis["bdata"]), axis["dtype"]).tolist() if "bdata" in axis else axis

    at_word = {w: (x, y) for t in traces(at) if t.get("mode") == "markers" and t.get("customdata") is not None
               for w, x, y in zip(t["customdata"], values(t["x"]), values(t["y"]))}
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["word", "similarity"])
    shown_neighbours = [w for w in table["word"] if w in at_word]
    assert shown_neighbours
    outside = [w for w in shown_neighbours if not (x0 <= at_word[w][0] <= x1 and y0 <= at_word[w][1] <= y1)]
    assert not outside, outside


def test_a_selection_shows_neighbours_and_exports_csv(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    app_state(at).map.selected = ["queen", "king"]  # what a chart click stores
    at.run()
    assert_clean(at)
    assert at.selectbox(key="map_focus").value == "queen"
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["word", "similarity"])
    assert "king" in set(table["word"]) and "queen" not in set(table["word"])
    ring = next(t for t in traces(at) if t["name"] == "selected")
    assert sorted(ring["text"]) == ["king", "queen"]
    assert at.get("download_button")  # the export (built on click, so AppTest cannot read its bytes)
    at.button(key="map_clear").click().run()
    assert app_state(at).map.selected == []


def test_selection_table_is_what_the_csv_holds(trained_model, workspace) -> None:
    vectors = workspace.load_vectors(trained_model)
    made = proj.project(vectors, ProjectionParams(dims=3, n_points=200))
    groups = [f"g{i}" for i in range(len(made.rows))]
    table = map_view.selection_table(made, vectors, [vectors.words[0], "nope", vectors.words[5]], {"cluster": groups})
    assert list(table.columns) == ["word", "x", "y", "z", "frequency rank", "cluster"]
    assert table["cluster"].tolist() == ["g0", "g5"]
    assert table["word"].tolist() == [vectors.words[0], vectors.words[5]]  # words not on the map are left out
    row = table[table["word"] == vectors.words[5]].iloc[0]
    assert row["frequency rank"] == 6 and np.isclose(row["x"], made.coords[5, 0])


def test_cluster_colouring(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.radio(key="map_colour").set_value("cluster").run()
    at.number_input(key="map_k").set_value(4).run()
    assert_clean(at)
    names = [t["name"] for t in traces(at) if t.get("mode") == "markers"]
    assert len(names) == 4 and all(n.startswith("cluster ") for n in names)


def test_umap_runs_as_a_job_and_the_cached_map_is_drawn(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.radio(key="map_method").set_value("umap")
    at.number_input(key="map_n_points").set_value(300)
    at.number_input(key="map_n_neighbors").set_value(8)
    at.number_input(key="map_seed").set_value(1)
    at.button[0].click().run()  # the form's submit button
    assert_clean(at)
    assert any("Showing PCA while the UMAP map is computed" in i.value for i in at.info)
    job = next(j for j in map_view.jobs.session_jobs(app_state(at)) if j.kind == map_view.PROJECTION_JOB)
    at = wait_for_jobs(at)
    assert job.status == "done", job.error
    assert_clean(at)
    assert not at.info
    assert any("UMAP map" in shown(c.value) and "300 most frequent" in shown(c.value) for c in at.caption)
    params = ProjectionParams(method="umap", n_points=300, n_neighbors=8, seed=1)
    vectors = workspace.load_vectors(trained_model)
    cached = workspace.load_projection(vectors, params)
    assert cached is not None and cached.coords.shape == (300, 2)
    drawn = {w for t in traces(at) if t.get("mode") == "markers" for w in t["customdata"]}
    assert len(drawn) == 300


def test_categories_from_an_uploaded_csv(workspace, trained_model) -> None:
    vectors = workspace.load_vectors(trained_model)
    rows = "\n".join(f"{w},{'first' if i < 50 else 'later'}" for i, w in enumerate(vectors.words[:100]))
    at = open_page(PAGE, model_id=trained_model)
    at.get("file_uploader")[0].upload("kinds.csv", f"word,kind\n{rows}\n".encode(), "text/csv").run()
    assert_clean(at)
    assert at.radio(key="map_colour").value == "category"  # an upload switches the colouring to it
    names = [t["name"] for t in traces(at) if t.get("mode") == "markers"]
    assert names[:2] == ["first (50)", "later (50)"] and names[2].startswith("(no category)")  # unknown last
    assert any("kinds.csv" in shown(c.value) and "column 'kind'" in shown(c.value) for c in at.caption)
    # kept in the workspace with the model: a reload (a new session) still has it
    again = open_page(PAGE, model_id=trained_model)
    assert_clean(again)
    assert again.radio(key="map_colour").options[-1] == "category"
    assert workspace.load_category_table(trained_model).column == "kind"


def test_an_uploaded_category_table_survives_a_reload(workspace, trained_model) -> None:
    """The README promises nothing is lost on reload: the table is kept in the workspace, per model."""
    vectors = workspace.load_vectors(trained_model)
    rows = "\n".join(f"{w},{'first' if i < 50 else 'later'}" for i, w in enumerate(vectors.words[:100]))
    at = open_page(PAGE, model_id=trained_model)
    at.get("file_uploader")[0].upload("kinds.csv", f"word,kind\n{rows}\n".encode(), "text/csv").run()
    assert_clean(at)
    saved = workspace.load_category_table(trained_model)
    assert saved is not None and saved.source == "kinds.csv"
    again = open_page(PAGE, model_id=trained_model)  # a new session: nothing uploaded in it
    assert_clean(again)
    assert again.radio(key="map_colour").value == "category"
    names = [t["name"] for t in traces(again) if t.get("mode") == "markers"]
    assert names[:2] == ["first (50)", "later (50)"]


def test_without_a_model_the_page_explains(workspace) -> None:
    at = open_page(PAGE)
    assert_clean(at)
    assert any("no model yet" in i.value for i in at.info)


def test_item_categories_are_offered_for_the_sessions_sample() -> None:
    from embedlab.samples import get_sample

    sample = get_sample("sessions")
    found = models.sessions_categories(ModelRecord("m", Manifest(corpus=CorpusRef(name=sample.title))))
    assert found is not None and found.column == "category" and found.mapping["P0001"] == "phones"
    assert models.sessions_categories(ModelRecord("m", Manifest(corpus=CorpusRef(name="my text")))) is None


def test_a_model_of_the_sessions_sample_is_coloured_by_item_category(workspace) -> None:
    from embedlab.config import Word2VecParams
    from embedlab.workflows import ensure_sample_corpus
    from embedlab.workflows import train_and_save

    corpus = ensure_sample_corpus(workspace, "sessions")
    model_id = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=16, epochs=1, seed=1), corpus)
    at = open_page(PAGE, model_id=model_id)
    assert_clean(at)
    assert at.radio(key="map_colour").value == "category"  # offered, and chosen, without an upload
    data = [t for t in traces(at) if t.get("mode") == "markers"]
    assert {"phones (", "laptops ("} & {t["name"][:t["name"].index("(") + 1] for t in data}
    phone = next(t for t in data if t["name"].startswith("phones"))
    assert all(w.startswith("P") for w in phone["customdata"]) and phone["hovertext"][0].split("<br>")[1].endswith("phone")
    assert any("items.csv" in shown(c.value) for c in at.caption)
    items = models.sessions_categories(ModelRecord(model_id, workspace.manifest(model_id)))
    # Find words searches the product titles too: "mouse" finds the mice by their titles
    at.text_input(key="map_search").set_value("mouse").run()
    assert_clean(at)
    [highlight] = [t for t in traces(at) if t["name"].startswith("matches")]
    mice = {w for w, title in items.titles.items() if "mouse" in title.lower()} & set(workspace.load_vectors(model_id).words)
    assert mice and set(highlight["text"]) == mice
    assert any("titles searched too" in shown(c.value) for c in at.caption)
    # a found (or clicked) item: its title above its neighbours, each neighbour with its category
    at.text_input(key="map_search").set_value("P0001").run()
    assert_clean(at)
    assert any(c.value.startswith("**P0001**: Orbit A10 Pro phone · category *phones*") for c in at.caption)
    [table] = tables_with(at, "word", "title", "category", "similarity")  # titles too, as on Neighbours
    assert list(table["category"]) == [items.mapping[w] for w in table["word"]]
    assert list(table["title"]) == [items.titles[w] for w in table["word"]]


def test_the_search_text_is_cleared_for_a_model_of_another_corpus(workspace, trained_model) -> None:
    """Issue 10: 'king' typed on the English model was still searched on an unrelated model."""
    from embedlab.vectors import WordVectors

    words = [f"item{i}" for i in range(40)]
    other = workspace.save_model(WordVectors.from_matrix(words, np.random.default_rng(0).standard_normal((40, 8))),
                                 Manifest(name="Items", algorithm="imported", source={"file": "items.txt"}))
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="map_search").set_value("king").run()
    at.switch_page("pages/5_Neighbours.py").run()
    at.switch_page(PAGE).run()
    assert at.text_input(key="map_search").value == "king"  # the same model: kept
    app_state(at).active_model_id = other
    at.run()
    assert_clean(at)
    assert at.text_input(key="map_search").value == ""


def test_the_map_and_its_options_read_in_chinese(workspace, tmp_path_factory) -> None:
    """Colour by frequency band, faithfulness and cluster, a search with the neighbours panel and its lines, and
    the density view of every word: legends, titles, captions, labels and table headers in Chinese."""
    from embedlab.i18n import use_language
    from zh_explore import chinese_model, english_left, figure_titles

    model_id = chinese_model(tmp_path_factory, workspace)
    with use_language("zh"):  # AppTest runs format_func in the test's thread
        at = open_page(PAGE, model_id=model_id, language="zh")
        assert_clean(at)
        assert at.radio(key="map_colour").options == ["词频段", "k 均值聚类", "保真度"]
        assert any(c.value.startswith("**PCA 地图**：全部") and "**保真度" in c.value for c in at.caption)
        titles = figure_titles(at)
        assert "词频段" in titles and any(t.startswith("前 100 名（") for t in titles)
        assert not english_left(at), english_left(at)

        at.radio(key="map_colour").set_value("faithfulness").run()
        at.text_input(key="map_search").set_value("国王").run()
        assert_clean(at)
        titles = figure_titles(at)
        assert "地图上保留的真实近邻" in titles and any(t.startswith("匹配（") for t in titles)
        assert {"真实近邻，在地图上也近", "真实近邻，在地图上变远"} & set(titles)
        assert any("离“国王”最近的词" in m.value for m in at.markdown)
        assert tables_with(at, "词", "相似度")
        assert any(c.value.startswith("连线把选中的词") for c in at.caption)
        assert not english_left(at), english_left(at)

        at.radio(key="map_colour").set_value("cluster").run()
        titles = figure_titles(at)
        assert "k 均值聚类" in titles and any(t.startswith("聚类 0（") for t in titles)
        assert not english_left(at), english_left(at)

        at.radio(key="density_switch").set_value("every").run()
        at = wait_for_jobs(at)
        assert_clean(at)
        titles = figure_titles(at)
        assert any(t.startswith("全部词<br><sup>全部") for t in titles), titles
        assert not english_left(at), english_left(at)


def _map_pictures(at) -> list:
    from test_textsafe import _nodes

    return [n for n in _nodes(at._tree) if type(n).__name__ == "Image"]


def test_a_sessions_first_map_sends_a_still_picture_of_its_points_and_later_runs_do_not(workspace, trained_model) -> None:
    # a new tab waits for plotly.js before the chart draws: the first runs also send the points as a PNG
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    pictures = _map_pictures(at)
    assert len(pictures) == 1
    assert pictures[0].proto.imgs[0].alt == "The map's points, drawn while the interactive chart loads"
    assert any(".st-key-map_stack" in n.proto.body for n in _html(at))  # the CSS that stacks it under the chart
    # later runs of the session (a click, a search) keep the chart's place but send no picture
    at.session_state[map_view.SESSION_STARTED_KEY] = 0.0
    at.run()
    assert_clean(at)
    assert not _map_pictures(at)
    assert at.get("plotly_chart")


def test_a_three_d_map_sends_no_still_picture(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert _map_pictures(at)
    at.radio(key="map_dims").set_value(3)
    at.button(key="FormSubmitter:map_form-Draw the map").click().run()
    assert_clean(at)
    assert app_state(at).map.params.dims == 3
    assert not _map_pictures(at)


def _html(at) -> list:
    from test_textsafe import _nodes

    return [n for n in _nodes(at._tree) if type(n).__name__ == "Html"]


def test_an_items_neighbour_table_on_the_map_names_the_title_column_in_chinese(workspace) -> None:
    from embedlab.config import Word2VecParams
    from embedlab.i18n import use_language
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    corpus = ensure_sample_corpus(workspace, "sessions")
    model_id = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=16, epochs=1, seed=1), corpus)
    with use_language("zh"):
        at = open_page(PAGE, model_id=model_id, language="zh")
        at.text_input(key="map_search").set_value("P0001").run()
    assert_clean(at)
    headers = [list(t.value.columns) for t in at.dataframe]
    assert any("标题" in h and "category" in h for h in headers), headers  # the CSV's own column name stays
    assert not any("title" in h for h in headers), headers
