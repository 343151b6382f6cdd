"""AppTest: the Semantic axes page (the gender demo by default, expressions, word lists, bad axes)."""

from __future__ import annotations

import numpy as np

from apptest_helpers import assert_clean, errors, open_page, plotly_figures, tables_with
from embedlab import axes

PAGE = "pages/10_Axes.py"


def points(at) -> dict[str, tuple[float, float]]:
    placed = {}
    for trace in plotly_figures(at)[0]["data"]:
        placed.update({w: (x, y) for w, x, y in zip(trace["customdata"], trace["x"], trace["y"])})
    return placed


def test_gender_demo_places_each_male_word_right_of_its_pair(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    assert at.text_input(key="axes_x").value == "he - she"
    placed = points(at)
    words = axes.GENDER_DEMO[2]
    assert set(words) <= set(placed)
    assert all(placed[m][0] > placed[f][0] for m, f in zip(words[0::2], words[1::2]))
    vectors = workspace.load_vectors(trained_model)
    expected = axes.project_on_axes(vectors, axes.parse_axis(vectors, "he - she"),
                                    axes.parse_axis(vectors, axes.GENDER_DEMO[1]), ["king"])
    assert placed["king"] == tuple(np.round(expected.coords[0], 6).tolist()) or \
        np.allclose(placed["king"], expected.coords[0], atol=1e-5)
    [table] = tables_with(at, "word", "x", "y")
    assert len(table) == len(placed)


def test_axes_from_lists_frequent_words_and_refused_expressions(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.text_input(key="axes_x").set_value("good, happy | terrible, sad").run()
    at.radio(key="axes_source").set_value("frequent").run()
    at.number_input(key="axes_n").set_value(50).run()
    assert_clean(at)
    assert len(points(at)) >= 50
    layout = plotly_figures(at)[0]["layout"]
    assert layout["xaxis"]["title"]["text"] == "cosine with mean(good, happy) − mean(terrible, sad)"
    assert any(r"mean\(good\, happy\)" in c.value for c in at.caption)  # escaped for Markdown
    at.text_input(key="axes_y").set_value("king - kingg").run()
    assert any("'kingg' is not in this model's vocabulary" in e for e in errors(at))
    at.text_input(key="axes_y").set_value("king - king").run()
    assert any("gives no direction" in e for e in errors(at))
    at.button(key="axes_demo").click().run()
    assert_clean(at)
    assert at.text_input(key="axes_x").value == "he - she" and at.radio(key="axes_source").value == "list"
