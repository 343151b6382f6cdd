"""The Map page in a real browser: clicking a point shows its nearest neighbours and exports it (AppTest cannot click charts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e_helpers import SCRIPT_TIMEOUT_MS, open_app, wait_for_app

pytestmark = pytest.mark.e2e

#: finds a point of the map, inside the browser's viewport, that no other point crowds (so the click
#: cannot hit a neighbour instead) and returns its word and its position on the screen; a point below
#: the fold cannot be hovered, since the mouse only reaches what the window shows
FIND_ISOLATED_POINT = """
() => {
  const plot = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
  if (!plot || !plot._fullLayout || !plot._fullLayout.xaxis) return null;
  const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis, box = plot.getBoundingClientRect();
  const points = [];
  plot._fullData.forEach(trace => {
    if (trace.mode !== "markers" || !trace.visible) return;
    for (let i = 0; i < trace.x.length; i++) {
      const px = xa._offset + xa.d2p(trace.x[i]), py = ya._offset + ya.d2p(trace.y[i]);
      const onScreen = box.top + py > 20 && box.top + py < window.innerHeight - 20;
      if (onScreen && px > xa._offset + 20 && px < xa._offset + xa._length - 20 && py > ya._offset + 20 && py < ya._offset + ya._length - 20)
        points.push({word: String(trace.customdata[i]), px, py});
    }
  });
  let best = null, bestGap = 0;
  for (const p of points.slice(0, 400)) {
    let gap = Infinity;
    for (const q of points) if (q !== p) gap = Math.min(gap, Math.hypot(p.px - q.px, p.py - q.py));
    if (gap > bestGap) { bestGap = gap; best = p; }
  }
  return best && {word: best.word, x: box.left + best.px, y: box.top + best.py, gap: bestGap};
}
"""


#: the first line of plotly's hover label: the word of the point under the mouse
HOVERED_WORD = """
() => {
  const line = document.querySelector(".hoverlayer .hovertext tspan.line");
  return line ? line.textContent : null;
}
"""


def _hover_an_isolated_point(page, attempts: int = 6) -> dict:
    """Find a point far from the others and hover it until plotly labels that very point.

    On a busy machine the chart can still be laying out (or move, when a late caption
    lands above it) between the measurement and the mouse, and plotly then labels, and a
    click selects, another point: so the label must name the point measured, else the
    measurement is repeated. The chart starts low on the page (controls and captions above
    it), so it is scrolled into view first.
    """
    shown = None
    for _ in range(attempts):
        page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").scroll_into_view_if_needed()
        target = page.evaluate(FIND_ISOLATED_POINT)
        assert target is not None and target["gap"] > 6, target
        page.mouse.move(target["x"] - 30, target["y"] - 30)
        page.mouse.move(target["x"], target["y"])
        try:
            page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)  # plotly sees a point under the mouse
        except Exception:
            wait_for_app(page)
            continue
        shown = page.evaluate(HOVERED_WORD)
        if shown == target["word"]:
            return target
        wait_for_app(page)
    raise AssertionError(f"plotly never labelled the chosen point (last label: {shown!r})")


def test_clicking_a_point_shows_its_neighbours_and_exports_it(app_server, browser_page) -> None:
    app_server.train_sample_model("word2vec")
    page = browser_page
    open_app(page, f"{app_server.url}/Map")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .js-plotly-plot .scatterlayer", timeout=SCRIPT_TIMEOUT_MS)
    wait_for_app(page)  # a late rerun (e.g. the map's caption) redraws the chart and moves its points
    assert page.get_by_text("Select a word on the map").is_visible()
    target = _hover_an_isolated_point(page)
    page.mouse.click(target["x"], target["y"])
    heading = page.get_by_text(f"Nearest to “{target['word']}”")
    heading.wait_for(timeout=SCRIPT_TIMEOUT_MS)
    wait_for_app(page)
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    export = page.get_by_role("button", name="Export the selection (1 word, CSV)")
    with page.expect_download() as download:
        export.click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "word,x,y,frequency rank,frequency band,k-means cluster"
    assert len(lines) == 2 and lines[1].startswith(f"{target['word']},") and ",cluster " in lines[1]
    assert not page.locator("[data-testid='stException']").count()
