"""The app serves its home page to a real browser, and a model trained beforehand is picked up."""

from e2e_helpers import open_app


def test_home_page_renders_with_a_pretrained_model(app_server, browser_page) -> None:
    model_id = app_server.train_sample_model("word2vec", epochs=2)
    assert app_server.models == {"word2vec": model_id}
    open_app(browser_page, app_server.url)
    assert browser_page.get_by_role("heading", name="embedlab").is_visible()
    picker = browser_page.locator("[data-testid='stSidebar'] .st-key-sidebar_model input")
    assert "Word2Vec" in picker.input_value()
    assert browser_page.locator("[data-testid='stException']").count() == 0
