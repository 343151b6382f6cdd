"""The session's state in a real browser: the page shows the model, corpus and jobs the user just made.

Each test failed on the code before issue 10's fixes. The jobs are cheap (one epoch on
the English sample) but made as long as a real one with ``EMBEDLAB_TEST_JOB_MIN_SECONDS``:
the browser's copy of a picker's value only went stale during jobs of more than a few
seconds, when many polling ticks had passed.
"""

from __future__ import annotations

import re
import signal
import time

import pytest

from e2e_helpers import open_app, wait_for_app
from embedlab.workflows import ensure_sample_corpus

LONG_JOB_S = "12"
JOB_TIMEOUT_MS = 150_000
MAIN = "[data-testid='stMainBlockContainer']"


def sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def model_picker_text(page) -> str:
    return sidebar(page).locator(".st-key-sidebar_model input").input_value()


def go_to(page, name: str) -> None:
    """Switch page by the sidebar menu, inside the same session."""
    sidebar(page).locator("[data-testid='stPageLink']").get_by_role("link", name=name, exact=True).click()
    page.wait_for_selector(f"{MAIN} h1:has-text('{name}')")
    wait_for_app(page)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator("[data-testid='stException']").all_inner_texts()


def train_from_form(page, name: str, epochs: int = 1) -> None:
    epochs_input = page.locator(".st-key-word2vec_epochs input")
    epochs_input.fill(str(epochs))
    epochs_input.press("Tab")  # Enter would submit the form at once
    name_input = page.locator(".st-key-word2vec_name input")
    name_input.fill(name)
    name_input.press("Tab")
    page.get_by_role("button", name="Train", exact=True).click()


@pytest.mark.app_env(EMBEDLAB_TEST_JOB_MIN_SECONDS=LONG_JOB_S)
def test_after_a_long_job_every_page_shows_the_new_model(app_server, browser_page) -> None:
    """Defect 1: the model a long job made stays active on the next page, by the page's link or the menu."""
    page = browser_page
    app_server.train_sample_model("word2vec", epochs=1)  # the older model, active when the page opens
    open_app(page, f"{app_server.url}/Train")
    train_from_form(page, "Newer model")
    page.get_by_text("It is now the active model").wait_for(timeout=JOB_TIMEOUT_MS)
    wait_for_app(page)
    assert model_picker_text(page).startswith("Newer model")

    # the Train page's own link...
    page.locator(MAIN).get_by_role("link", name="See the map").click()
    page.wait_for_selector(f"{MAIN} h1:has-text('Map')")
    wait_for_app(page)
    assert model_picker_text(page).startswith("Newer model")
    # ...and the menu: the next page works on the new model, not the one active before the job
    go_to(page, "Neighbours")
    assert model_picker_text(page).startswith("Newer model")
    assert page.locator(MAIN).get_by_text(re.compile(r"Model Newer model")).count() >= 1
    no_exception(page)


@pytest.mark.app_env(EMBEDLAB_TEST_JOB_MIN_SECONDS=LONG_JOB_S)
def test_after_a_long_job_the_new_corpus_stays_active(app_server, browser_page) -> None:
    """Defect 2: the corpus a job prepares becomes the active one in the page's dropdown and the sidebar."""
    page = browser_page
    ensure_sample_corpus(app_server.workspace, "english")
    open_app(page, f"{app_server.url}/Corpus")
    page.get_by_text("Shopping sessions (Item2Vec)").first.click()
    page.get_by_role("button", name="Use this corpus").click()
    corpus_picker = page.locator(".st-key-corpus_active input")
    page.wait_for_function("document.querySelector(\".st-key-corpus_active input\")?.value.startsWith('Shopping')",
                           timeout=JOB_TIMEOUT_MS)
    wait_for_app(page)
    assert sidebar(page).get_by_text(re.compile(r"Corpus for training: Shopping")).count() >= 1
    go_to(page, "Train")  # the next page trains on it
    assert page.locator(MAIN).get_by_text(re.compile(r"Corpus: Shopping")).count() >= 1
    go_to(page, "Corpus")
    assert corpus_picker.input_value().startswith("Shopping")
    no_exception(page)


def test_models_with_the_same_name_are_told_apart_and_each_can_be_renamed(app_server, browser_page) -> None:
    """Defect 3: distinct labels, choice by id, the Name field follows the choice; Try it opens the sample model."""
    page = browser_page
    older = app_server.train_sample_model("word2vec", epochs=1)
    time.sleep(1.1)  # model ids and times have a one-second resolution
    newer = app_server.train_sample_model("word2vec", epochs=2)
    for model_id in (older, newer):
        app_server.workspace.rename_model(model_id, "Same name")
    open_app(page, f"{app_server.url}/Models")
    picker = page.locator(".st-key-models_chosen")
    picker.locator("input").click()
    page.locator("[role='option']").nth(1).wait_for()  # the list opens after the click, not with it
    options = page.locator("[role='option']").all_inner_texts()
    assert len(options) == 2 and len(set(options)) == 2, options
    older_label = next(o for o in options if "1 ep" in o)
    page.locator("[role='option']").filter(has_text=older_label).click()
    wait_for_app(page)
    assert picker.locator("input").input_value() == older_label
    manifest = page.locator(f"{MAIN} [data-testid='stExpander']").filter(has_text="Manifest")
    name = page.locator(f"{MAIN} [class*='st-key-models_new_name'] input")
    assert name.input_value() == "Same name"
    name.fill("The one-epoch model")
    name.press("Tab")
    page.get_by_role("button", name="Rename").click()
    page.wait_for_function("document.querySelector(\".st-key-models_chosen input\")?.value.startsWith('The one-epoch')")
    wait_for_app(page)
    assert app_server.workspace.manifest(older).name == "The one-epoch model"
    assert app_server.workspace.manifest(newer).name == "Same name"
    assert manifest.count() == 1
    no_exception(page)

    # Home's Try it opens the sample model that exists (as `make run` makes it) instead of training another
    from embedlab.config import Word2VecParams
    from embedlab.workflows import train_and_save

    sample = train_and_save(app_server.workspace, "word2vec", Word2VecParams(),
                            ensure_sample_corpus(app_server.workspace, "english"))
    before = len(app_server.workspace.list_models())
    open_app(page, app_server.url)
    page.get_by_role("button", name="Open the English sample model").click()
    page.wait_for_selector(f"{MAIN} h1:has-text('Map')")
    wait_for_app(page)
    assert len(app_server.workspace.list_models()) == before
    assert model_picker_text(page).startswith(app_server.workspace.manifest(sample).name)
    no_exception(page)


@pytest.mark.app_env(EMBEDLAB_TEST_JOB_MIN_SECONDS=LONG_JOB_S)
def test_a_reload_keeps_the_job_and_a_restart_says_it_was_interrupted(app_server, start_app_server,
                                                                       browser_page) -> None:
    """Defects 4 and 5: the job survives a reload; SIGTERM stops the server at once; the restart names the job."""
    page = browser_page
    ensure_sample_corpus(app_server.workspace, "english")
    open_app(page, f"{app_server.url}/Train")
    train_from_form(page, "Reloaded")
    sidebar(page).locator("[data-testid='stProgress']").wait_for(timeout=30_000)
    page.reload()
    wait_for_app(page)
    # the same job: its progress and Cancel come back, then its completion
    sidebar(page).locator("[data-testid='stProgress']").wait_for(timeout=10_000)
    assert sidebar(page).get_by_role("button", name="Cancel").count() == 1
    page.get_by_text("It is now the active model").wait_for(timeout=JOB_TIMEOUT_MS)
    wait_for_app(page)
    assert model_picker_text(page).startswith("Reloaded")
    assert sidebar(page).get_by_text(re.compile("✅ Training Word2Vec")).count() == 1

    # a long job running (real work), then SIGTERM: the server exits at once, not when the job ends
    url = page.url
    train_from_form(page, "Interrupted", epochs=200)
    sidebar(page).locator("[data-testid='stProgress']").wait_for(timeout=30_000)
    time.sleep(1)  # let the worker get into the epochs
    started = time.monotonic()
    app_server.process.send_signal(signal.SIGTERM)
    try:
        app_server.process.wait(timeout=10)
    except Exception:
        pytest.fail(f"the server did not exit within 10 s of SIGTERM:\n{app_server.log()[-2000:]}")
    assert time.monotonic() - started < 10

    restarted = start_app_server(workspace=app_server.workspace)
    open_app(page, url.replace(app_server.url, restarted.url))
    sidebar(page).get_by_text("was interrupted by a server restart").wait_for()
    assert sidebar(page).get_by_text(re.compile(r"Training Word2Vec on English sample")).count() >= 1
    assert [r.name for r in restarted.workspace.list_models()] == ["Reloaded"]
    no_exception(page)
