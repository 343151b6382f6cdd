"""The Compare page in a real browser: what the browser keeps of a widget between comparisons."""

from __future__ import annotations

import shutil
from pathlib import Path

from e2e_helpers import open_app, wait_for_app
from embedlab.workspace import Workspace

OLD_WORKSPACE = Path(__file__).resolve().parents[1] / "data" / "workspace_v0"
MAIN = "[data-testid='stMainBlockContainer']"


def _reference_shown(page) -> str:
    return page.locator(f"{MAIN} [class*='st-key-compare_reference'] input").input_value()


def _aligned_map_tab(page) -> None:
    page.get_by_role("tab", name="Aligned map").click()
    page.locator(f"{MAIN} [class*='st-key-compare_reference'] input").wait_for()


def test_the_reference_frame_names_a_model_of_the_comparison_shown(start_app_server, browser_page, tmp_path) -> None:
    """Two comparisons of two models each: the reference frame's options are positions (0, 1) in both, and the
    browser kept the label of the comparison shown before the switch."""
    root = tmp_path / "workspace"
    shutil.copytree(OLD_WORKSPACE, root)
    workspace = Workspace(root)
    by_name = {r.name: r.model_id for r in workspace.list_models()}
    second = workspace.save_comparison([by_name["tiny ft"], by_name["tiny imported"]], "second pair")
    server = start_app_server(workspace=workspace)
    page = browser_page
    open_app(page, f"{server.url}/Compare")  # the newest comparison: tiny ft and tiny imported
    _aligned_map_tab(page)
    assert _reference_shown(page) == "FastText"  # the models are named by algorithm when that tells them apart
    picker = page.locator(f"{MAIN} .st-key-compare_id input")
    picker.click()
    page.locator("[role='option']").filter(has_text="tiny pair").first.click()
    wait_for_app(page)
    _aligned_map_tab(page)
    assert _reference_shown(page) == "Word2Vec"  # not FastText, the first model of the comparison shown before
    assert page.locator("[data-testid='stException']").count() == 0
    assert workspace.load_comparison(second.comparison_id).name == "second pair"
