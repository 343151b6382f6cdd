"""Browser: the Learn section's pages, driven as a teacher would in front of a class."""

from __future__ import annotations

import re

from e2e_helpers import open_app, wait_for_app


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator("[data-testid='stException']").all_inner_texts()


def test_step_the_toy_network_and_watch_it_learn(app_server, browser_page) -> None:
    page = browser_page
    open_app(page, app_server.url)
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").get_by_role("link", name="Inside the network").click()
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1:has-text('Inside the network')")
    wait_for_app(page)
    assert page.get_by_text("Nothing trained yet").is_visible()
    page.get_by_role("button", name="Next step").click()
    page.get_by_text(re.compile(r"^Step 1 trained input")).wait_for()
    page.get_by_role("button", name="20 steps").click()
    page.get_by_text(re.compile(r"^Step 21 trained input")).wait_for()
    for _ in range(5):
        page.get_by_role("button", name="100 steps").click()
        wait_for_app(page)
    page.get_by_text(re.compile(r"^Step 521 trained input")).wait_for()
    assert page.locator(".js-plotly-plot").count() >= 5  # two heatmaps, the PCA, the prediction, the loss
    assert page.get_by_text("Nearest neighbours now").is_visible()
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    no_exception(page)


def test_record_a_training_then_play_it_back(app_server, browser_page) -> None:
    page = browser_page
    open_app(page, app_server.url)
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").get_by_role("link", name="Playback").click()
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1:has-text('Playback')")
    wait_for_app(page)
    page.get_by_role("button", name=re.compile("Record Word2Vec on the English sample")).click()
    # the job trains in the background; the page redraws itself with the recording when it ends
    page.locator(".js-plotly-plot .slider-container").first.wait_for(timeout=180_000)
    wait_for_app(page)
    current = page.locator(".js-plotly-plot .slider-group > text.slider-label").first  # "Showing: ..."
    assert current.text_content().strip() == "Showing: epoch 10"
    page.locator(".js-plotly-plot .updatemenu-button").filter(has_text="Play").first.click()
    seen = set()
    for _ in range(60):  # 11 frames of 0.7 s each
        seen.add(current.text_content().strip())
        page.wait_for_timeout(150)
    assert {"Showing: start", "Showing: epoch 1", "Showing: epoch 5"} <= seen, seen
    assert page.get_by_text("Neighbours of king").is_visible()
    no_exception(page)
