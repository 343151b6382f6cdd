"""The Map's first picture in a real browser: the points are on screen before plotly.js has started, and the
interactive chart covers the still picture once it draws. The server is started as ``make run`` starts it."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from e2e_helpers import SCRIPT_TIMEOUT_MS, open_app

pytestmark = pytest.mark.e2e

PICTURE = ".st-key-map_stack [data-testid='stImage'] img"
PICTURE_SHOWN = f"""() => {{
  const img = document.querySelector("{PICTURE}");
  return !!img && img.complete && img.naturalWidth > 0;
}}"""
#: whether the mouse at the middle of the map meets the interactive chart (the picture never takes the mouse)
ON_TOP_AT_THE_MIDDLE = """() => {
  const stack = document.querySelector(".st-key-map_stack");
  stack.scrollIntoView({block: "center"});
  const box = stack.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return hit.closest("[data-testid='stPlotlyChart']") ? "chart" : "no chart";
}"""


def test_points_are_drawn_before_plotly_starts_and_the_chart_then_covers_them(start_app_server, browser_page) -> None:
    server = start_app_server(launcher=True)
    server.train_sample_model("word2vec")
    page = browser_page
    # a browser that never gets plotly.js (as if it were still loading it): the points are there anyway
    page.route("**/PlotlyChart*.js", lambda route: None)
    page.goto(f"{server.url}/Map", wait_until="domcontentloaded", timeout=SCRIPT_TIMEOUT_MS)
    page.wait_for_function(PICTURE_SHOWN, timeout=SCRIPT_TIMEOUT_MS)
    picture = page.locator(PICTURE)
    box = picture.bounding_box()
    assert box["width"] > 300 and abs(box["height"] - 640) < 2  # the chart's size, where the chart will be
    # what is on screen where the picture is (an element screenshot shows whatever covers it too)
    shot = np.asarray(Image.open(io.BytesIO(picture.screenshot())).convert("RGB")).astype(int)
    coloured = (shot.max(axis=2) - shot.min(axis=2)) > 60  # the points' colours on a white page
    assert coloured.mean() > 0.02, coloured.mean()
    assert page.evaluate(ON_TOP_AT_THE_MIDDLE) == "no chart"

    # a new tab that gets plotly.js: once the chart has drawn, it is what the reader sees
    chart_page = page.context.new_page()
    open_app(chart_page, f"{server.url}/Map")
    chart_page.wait_for_selector("[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg", timeout=SCRIPT_TIMEOUT_MS)
    assert chart_page.evaluate(ON_TOP_AT_THE_MIDDLE) == "chart"
    # the picture (sent in this session's first seconds too) lies exactly under the chart, not beside it
    tops = chart_page.evaluate(f"""() => [document.querySelector("{PICTURE}").getBoundingClientRect().top,
        document.querySelector(".st-key-map_stack [data-testid='stPlotlyChart']").getBoundingClientRect().top]""")
    assert abs(tops[0] - tops[1]) < 2, tops
    assert not chart_page.locator("[data-testid='stException']").count()
    chart_page.close()
