"""AppTest: map faithfulness on the Map page (score, colours, lines) and why a map neighbour is close."""

from __future__ import annotations

import numpy as np
import pytest

from apptest_helpers import assert_clean, open_page, plotly_figures, tables_with
from embedlab import projection as proj
from embedlab.config import ProjectionParams
from embedlab.faithfulness import knn_recall
from embedlab.ui import warm_up
from embedlab.viz.faithfulness import band_order, recall_bands

PAGE = "pages/4_Map.py"


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm_up, "_start", lambda: None)


def test_the_caption_scores_the_map_and_colours_show_each_word_s_recall(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    vectors = workspace.load_vectors(trained_model)
    made = proj.project(vectors, ProjectionParams(method="pca", n_points=len(vectors)))
    expected = knn_recall(np.asarray(vectors.unit[made.rows]), made.coords, 10)
    assert any(f"faithfulness {expected.score:.0%}" in c.value and "kNN recall" in c.value for c in at.caption)
    at.radio(key="map_colour").set_value("faithfulness").run()
    assert_clean(at)
    data = plotly_figures(at)[0]["data"]
    groups = [t["legendgroup"] for t in data if t.get("legendgroup")]
    assert groups and set(groups) <= set(band_order())
    counted = {t["legendgroup"]: len(t["customdata"]) for t in data if t.get("legendgroup")}
    labels, sizes = np.unique(recall_bands(expected.recall), return_counts=True)
    assert counted == dict(zip(labels.tolist(), sizes.tolist()))


def test_a_selected_word_gets_lines_to_its_true_neighbours_and_a_why_panel(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="map_search").set_value("king").run()
    assert_clean(at)
    lines = [t for t in plotly_figures(at)[0]["data"] if t.get("mode") == "lines"]
    assert lines and sum((len(t["x"]) // 3) for t in lines) == 10  # one segment (two points and a gap) each
    assert any("nearest neighbours in the original space" in c.value for c in at.caption)
    [neighbours] = tables_with(at, "word", "similarity")
    pills = at.get("button_group")
    [why] = [p for p in pills if p.key == "map_why"]
    why.set_value(neighbours["word"].iloc[0]).run()
    assert_clean(at)
    [shared] = tables_with(at, "context", "near king")
    assert len(shared) > 0


def test_a_large_map_is_measured_on_request(workspace, trained_model, monkeypatch) -> None:
    from embedlab.ui import map_faithfulness

    monkeypatch.setattr(map_faithfulness, "AUTO_POINTS", 100)  # the sample's 1,327 words count as large
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    assert not any("kNN recall" in c.value for c in at.caption)
    at.button(key="map_faithfulness_button").click().run()
    assert_clean(at)
    assert any("kNN recall" in c.value for c in at.caption)
    assert "map_faithfulness_button" not in [b.key for b in at.button]  # measured from now on, no button
