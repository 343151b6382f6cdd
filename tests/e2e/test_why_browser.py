"""Why is a neighbour close, in a real browser: click a neighbour's pill and read the contexts the two share."""

from __future__ import annotations

import pytest

from e2e_helpers import SCRIPT_TIMEOUT_MS, open_app, wait_for_app

pytestmark = pytest.mark.e2e


def test_clicking_a_neighbour_s_why_shows_the_contexts_they_share(app_server, browser_page) -> None:
    app_server.train_sample_model("word2vec")
    page = browser_page
    open_app(page, f"{app_server.url}/Neighbours")  # the first query word is 'king'
    # the page body's first pills (the sidebar's language switch is a button group too)
    group = page.locator("[data-testid='stMain'] [data-testid='stButtonGroup']").first
    group.wait_for(timeout=SCRIPT_TIMEOUT_MS)
    group.get_by_role("radio", name="queen", exact=True).click()  # pills are radio buttons
    answer = page.get_by_text("Why are “king” and “queen” close?")
    answer.wait_for(timeout=SCRIPT_TIMEOUT_MS)
    wait_for_app(page)
    text = page.locator("[data-testid='stMarkdownContainer']", has_text="Why are").first.inner_text()
    assert "share" in text and ("crown" in text or "coronation" in text), text  # the sample's planted royal contexts
    assert page.locator("[data-testid='stDataFrame']").count() >= 2  # the neighbours, then the shared contexts
    link = page.get_by_role("link", name="See “king” in the corpus")
    link.click()
    page.get_by_text("Occurrences").wait_for(timeout=SCRIPT_TIMEOUT_MS)
    wait_for_app(page)
    assert "word=king" in page.url
    assert page.get_by_role("textbox", name="Word or item ID").input_value() == "king"
