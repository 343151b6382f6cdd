"""AppTest: the Map page's every-word view (density image of all words, sample points, search among all)."""

from __future__ import annotations

import base64
import io

import numpy as np

from apptest_helpers import assert_clean, open_page, plotly_figures, wait_for_jobs
from embedlab.ui import density_view

PAGE = "pages/4_Map.py"  # the UMAP warm-up stays off: tests run with EMBEDLAB_WARM_UP=0 (conftest)


def test_every_word_view_draws_all_words_as_a_density(workspace, trained_model) -> None:
    from PIL import Image

    at = open_page(PAGE, model_id=trained_model)
    at.radio(key="density_switch").set_value("every").run()
    at = wait_for_jobs(at)  # PCA of every word runs as a background job
    assert_clean(at)
    figure = plotly_figures(at)[0]
    vocab = workspace.manifest(trained_model).vocab_size
    image = figure["layout"]["images"][0]
    assert image["source"].startswith("data:image/png;base64,") and image["xref"] == "x"
    picture = Image.open(io.BytesIO(base64.b64decode(image["source"].split(",", 1)[1])))
    assert picture.size == (800, 600) and np.asarray(picture)[..., 3].any()  # some pixels hold words
    sample = figure["data"][0]
    assert len(sample["customdata"]) == min(vocab, 20_000) and "king" in sample["customdata"]
    assert f"Density of all {vocab:,} mapped words" in figure["layout"]["title"]["text"]
    assert "PCA of all" in figure["layout"]["title"]["text"]
    # search highlights matches among all words
    at.text_input(key="density_search").set_value("king")
    at.button(key="FormSubmitter:density_form-Draw").click().run()
    assert_clean(at)
    figure = plotly_figures(at)[0]
    matches = figure["data"][1]["customdata"]
    assert "king" in matches and all("king" in w for w in matches)
    assert any("words contain" in c.value for c in at.caption)


def test_a_box_zooms_the_density_into_that_window(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    at.radio(key="density_switch").set_value("every").run()
    at = wait_for_jobs(at)
    ours = at.session_state[density_view.STATE_KEY]
    full = plotly_figures(at)[0]["layout"]["xaxis"]["range"]
    ours.window = ((full[0], (full[0] + full[1]) / 2), (-1e9, 1e9))  # what a box selection sets
    at.run()
    assert_clean(at)
    zoomed = plotly_figures(at)[0]
    assert zoomed["layout"]["xaxis"]["range"] == [full[0], (full[0] + full[1]) / 2]
    assert "in this window" in zoomed["layout"]["title"]["text"]
    at.button(key="density_reset").click().run()
    assert plotly_figures(at)[0]["layout"]["xaxis"]["range"] == full


def test_the_every_word_caption_keeps_the_pca_variance_in_chinese(workspace, trained_model) -> None:
    """The map made (and cached) in an English session reads in Chinese with the PCA's variance shares."""
    from embedlab.i18n import use_language

    at = open_page(PAGE, model_id=trained_model)
    at.radio(key="density_switch").set_value("every").run()
    at = wait_for_jobs(at)
    english = plotly_figures(at)[0]["layout"]["title"]["text"]
    assert "of the variance" in english
    with use_language("zh"):  # AppTest formats the radio's options in the test's thread
        at = open_page(PAGE, model_id=trained_model, language="zh")
        at.radio(key="density_switch").set_value("every").run()
        at = wait_for_jobs(at)
        assert_clean(at)
    chinese = plotly_figures(at)[0]["layout"]["title"]["text"]
    assert "的 PCA（两轴分别保留" in chinese and "的方差" in chinese and "variance" not in chinese


def test_box_reading() -> None:
    assert density_view._box({"selection": {"box": [{"x": [2.0, 1.0], "y": [0.0, 3.0]}]}}) == ((1.0, 2.0), (0.0, 3.0))
    assert density_view._box({"selection": {"box": []}}) is None
    assert density_view._box(None) is None
