"""AppTest: the Map page draws PCA at once, highlights searches, runs UMAP as a job, shows neighbours."""

from __future__ import annotations

import json

import numpy as np
import pytest

from apptest_helpers import app_state, assert_clean, errors, open_page, wait_for_jobs
from embedlab import projection as proj
from embedlab.config import ProjectionParams
from embedlab.ui import map_view

PAGE = "pages/4_Map.py"


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's server-wide UMAP warm-up thread would only compete for the 2 cores in tests."""
    monkeypatch.setattr(map_view, "_warm", lambda: None)


def figures(at) -> list[dict]:
    """The plotly specs on the page, decoded from the chart elements."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def traces(at) -> list[dict]:
    return figures(at)[0]["data"]


def test_pca_map_is_drawn_at_once_with_a_sampling_line(workspace, trained_model) -> None:
    at = open_page(PAGE, model_id=trained_model)
    assert_clean(at)
    data = traces(at)
    points = sum(len(t["customdata"]) for t in data if t.get("mode") == "markers")
    vocab = workspace.manifest(trained_model)["vocab_size"]
    assert points == min(vocab, 10_000)
    words = {c[0] for t in data if t.get("mode") == "markers" for c in t["customdata"]}
    assert "king" in words
    assert any("PCA map" in c.value and "words" in c.value for c in at.caption)
    assert not at.get("plotly_chart")[0].proto.spec == ""

