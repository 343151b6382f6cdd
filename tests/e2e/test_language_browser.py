"""The interface language in a real browser: the sidebar switch, page changes, reloads, the browser's own language."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from e2e_helpers import SCRIPT_TIMEOUT_MS, open_app, wait_for_app

SIDEBAR = "[data-testid='stSidebar']"
TITLE = "[data-testid='stMainBlockContainer'] h1"


@pytest.fixture
def page_in(_browser: Any) -> Iterator[Any]:
    """``page_in(locale)``: a fresh page whose browser reports ``locale`` as its language."""
    contexts = []

    def make(locale: str) -> Any:
        context = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
        context.set_default_timeout(SCRIPT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _menu(page: Any) -> list[str]:
    return page.locator(f"{SIDEBAR} [data-testid='stPageLink'] a").all_inner_texts()


def test_the_switch_keeps_the_language_across_pages_and_a_reload(app_server, page_in) -> None:
    page = page_in("en-US")
    open_app(page, app_server.url)
    assert any("Map" in item for item in _menu(page))

    page.locator(SIDEBAR).get_by_role("radio", name="中文").click()
    page.wait_for_function("[...document.querySelectorAll(\"[data-testid='stSidebar'] a\")]"
                           ".some(a => a.innerText.includes('地图'))")
    wait_for_app(page)
    assert "lang=zh" in page.url
    assert not any("Neighbours" in item for item in _menu(page))

    page.locator(SIDEBAR).get_by_role("link", name="地图").click()
    page.wait_for_function(f"document.querySelector({TITLE!r})?.innerText.includes('地图')")
    wait_for_app(page)
    assert "lang=zh" in page.url
    assert any("最近邻" in item for item in _menu(page))

    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    assert "地图" in page.locator(TITLE).inner_text()
    assert any("最近邻" in item for item in _menu(page))

    page.locator(SIDEBAR).get_by_role("radio", name="English").click()
    page.wait_for_function(f"document.querySelector({TITLE!r})?.innerText.includes('Map')")
    assert "lang=en" in page.url


def test_a_first_visit_follows_the_browsers_language(app_server, page_in) -> None:
    chinese = page_in("zh-CN")
    open_app(chinese, app_server.url)
    assert any("地图" in item for item in _menu(chinese))
    open_app(chinese, f"{app_server.url}/?lang=en")  # the address wins over the browser
    assert any("Map" in item for item in _menu(chinese))


@pytest.mark.app_env(EMBEDLAB_LANG="zh")
def test_the_server_default_applies_to_every_new_visitor(app_server, page_in) -> None:
    page = page_in("en-US")
    open_app(page, app_server.url)
    assert any("地图" in item for item in _menu(page))
