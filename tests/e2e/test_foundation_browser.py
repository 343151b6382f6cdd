"""What AppTest cannot show: background polling, reloads, the server's upload cap, Cancel from the sidebar.

Each test starts its own ``streamlit run`` (see ``conftest.py``) and drives it with
chromium. Page switches go through the sidebar's menu (embedlab's page links): a ``goto`` would
start a new browser session, which does not see the jobs of the old one.
"""

from __future__ import annotations

import re
import time

import pytest

from e2e_helpers import open_app, wait_for_app
from embedlab.workflows import ensure_sample_corpus

TRAINING_TIMEOUT_MS = 120_000


def sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def go_to(page, name: str) -> None:
    """Switch page inside the same session, as a user does."""
    sidebar(page).locator("[data-testid='stPageLink']").get_by_role("link", name=name).click()
    page.wait_for_selector(f"[data-testid='stMainBlockContainer'] h1:has-text('{name}')")
    wait_for_app(page)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator("[data-testid='stException']").all_inner_texts()


def test_try_it_trains_in_the_background_and_a_reload_or_restart_keeps_the_model(app_server, start_app_server,
                                                                                browser_page) -> None:
    page = browser_page
    open_app(page, app_server.url)
    assert sidebar(page).get_by_text("No models yet").is_visible()
    page.evaluate("window.__same_document = true")  # gone if anything reloads the page

    page.get_by_role("button", name="Train Word2Vec on the English sample").click()
    # the sidebar's polling fragment shows progress while the job runs...
    sidebar(page).locator("[data-testid='stProgress']").wait_for(timeout=30_000)
    # ...and, when the job ends, reruns the page so the new model shows up: no manual reload
    picker = sidebar(page).locator(".st-key-sidebar_model")
    picker.wait_for(timeout=TRAINING_TIMEOUT_MS)
    wait_for_app(page)
    assert page.evaluate("window.__same_document === true")
    [model] = app_server.workspace.list_models()
    assert model.manifest.corpus.name.startswith("English sample")
    assert "Word2Vec" in picker.locator("input").input_value()
    assert page.get_by_text("A model is ready").is_visible()
    no_exception(page)

    page.reload()  # a new session: the model comes back from the workspace on disk
    wait_for_app(page)
    assert page.evaluate("window.__same_document") is None
    picker = sidebar(page).locator(".st-key-sidebar_model")
    picker.wait_for()
    assert "Word2Vec" in picker.locator("input").input_value()
    assert page.get_by_text("A model is ready").is_visible()
    no_exception(page)

    app_server.stop()  # a server restart on the same workspace loses nothing either
    restarted = start_app_server(workspace=app_server.workspace)
    open_app(page, restarted.url)
    assert "Word2Vec" in sidebar(page).locator(".st-key-sidebar_model input").input_value()
    no_exception(page)


@pytest.mark.app_env(STREAMLIT_SERVER_MAX_UPLOAD_SIZE="1")
def test_an_upload_over_the_server_limit_is_refused_clearly(app_server, browser_page) -> None:
    page = browser_page
    open_app(page, f"{app_server.url}/Corpus")
    page.get_by_role("tab", name="Upload a file").click()
    assert page.get_by_text("Up to 1 MB").is_visible()
    dropzone = page.locator("[data-testid='stFileUploaderDropzoneInput']")

    big = b"the king spoke to the queen .\n" * (2 * 1024 * 1024 // 30 + 1)  # about 2 MB
    dropzone.set_input_files({"name": "big.txt", "mimeType": "text/plain", "buffer": big})
    page.get_by_text(re.compile(r"File must be 1(\.0)? ?MB or smaller")).wait_for()
    wait_for_app(page)
    no_exception(page)
    assert page.get_by_text("Detected tokeniser").count() == 0
    assert list((app_server.workspace.root / "incoming").iterdir()) == []

    # nothing broke: a small file (replacing the refused one) still goes through
    dropzone.set_input_files({"name": "small.txt", "mimeType": "text/plain", "buffer": b"the king spoke to the queen .\n" * 50})
    page.get_by_text("Detected tokeniser").wait_for()
    no_exception(page)
    uploader = page.locator("[data-testid='stFileUploader']")
    assert uploader.get_by_text("small.txt").count() == 1
    page.get_by_role("button", name="Tokenise and add").click()
    page.locator("[data-testid='stMetric']").first.wait_for()  # the new corpus's statistics
    wait_for_app(page)
    assert [c.name for c in app_server.workspace.list_corpora()] == ["small.txt"]
    assert uploader.get_by_text("small.txt").count() == 0  # the uploader is empty again
    assert list((app_server.workspace.root / "incoming").iterdir()) == []
    no_exception(page)


def test_cancel_from_the_sidebar_on_another_page_stops_training(app_server, browser_page) -> None:
    page = browser_page
    ensure_sample_corpus(app_server.workspace, "english")
    open_app(page, f"{app_server.url}/Train")
    epochs = page.locator(".st-key-word2vec_epochs input")
    epochs.fill("200")
    # Tab commits the value; Enter would already submit the form (Streamlit's enter_to_submit), and a
    # click on Train after that waits for the disabled button, i.e. for the first run to finish
    epochs.press("Tab")
    train = page.get_by_role("button", name="Train", exact=True)
    train.click()
    sidebar(page).locator("[data-testid='stProgress']").wait_for(timeout=30_000)
    wait_for_app(page)
    assert train.is_disabled(), "a second run could be started while the first one trains"
    # the page body's progress follows the job on its own (a polling fragment), no click needed
    body_progress = page.locator("[data-testid='stMainBlockContainer'] [data-testid='stProgress']")
    body_progress.wait_for()
    first = body_progress.inner_text()
    deadline = time.monotonic() + 30
    while body_progress.inner_text() == first and time.monotonic() < deadline:
        time.sleep(0.25)
    assert body_progress.inner_text() != first, f"the progress text stayed at {first!r}"

    go_to(page, "Models")  # the job keeps running, and its Cancel button follows to every page
    cancel = sidebar(page).get_by_role("button", name="Cancel")
    cancel.wait_for()
    started = time.monotonic()
    cancel.click()
    sidebar(page).get_by_text("cancelled").wait_for(timeout=60_000)
    assert time.monotonic() - started < 60
    wait_for_app(page)
    no_exception(page)
    assert app_server.workspace.list_models() == []
