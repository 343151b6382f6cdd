"""The app serves its home page to a real browser."""

from e2e_helpers import open_app


def test_home_page_renders(app_server, browser_page) -> None:
    open_app(browser_page, app_server.url)
    assert browser_page.get_by_role("heading", name="embedlab").is_visible()
    assert not browser_page.locator("[data-testid='stException']").count()
