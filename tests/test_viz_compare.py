"""Comparison figures: words travel in customdata, followed words are joined across models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from embedlab.viz import compare as figures


def map_data():
    words = ["a", "b", "c"] * 3
    model_ids = np.repeat(np.arange(3), 3)
    coords = np.arange(18, dtype=float).reshape(9, 2)
    return coords, model_ids, words


def test_layered_map_has_one_layer_per_model_and_a_line_per_followed_word() -> None:
    coords, model_ids, words = map_data()
    fig = figures.aligned_map(coords, model_ids, words, ["W2V", "FT", "GloVe"], selected=["b", "zzz"]).to_dict()
    layers, lines = fig["data"][:3], fig["data"][3:]
    assert [t["name"] for t in layers] == ["W2V", "FT", "GloVe"]
    assert list(layers[1]["customdata"]) == ["a", "b", "c"]
    assert len(lines) == 1  # 'zzz' is on no map: no trace
    assert list(lines[0]["x"]) == [2.0, 8.0, 14.0] and "lines" in lines[0]["mode"]
    assert fig["layout"]["yaxis"]["scaleanchor"] == "x"


def test_panel_map_shares_axes() -> None:
    coords, model_ids, words = map_data()
    fig = figures.aligned_map(coords, model_ids, words, ["W2V", "FT", "GloVe"], selected=["a"], layout="panels").to_dict()
    assert {t.get("xaxis", "x") for t in fig["data"]} == {"x", "x2", "x3"}
    assert fig["layout"]["xaxis2"]["matches"] == "x"
    with pytest.raises(ValueError):
        figures.aligned_map(coords, model_ids, words[:-1], ["a", "b", "c"])


def test_benchmark_bars_show_coverage_in_hover() -> None:
    table = pd.DataFrame([{"model": "m1", "WS": 0.5, "WS coverage": 0.9}, {"model": "m2", "WS": None, "WS coverage": None}])
    fig = figures.benchmark_bars(table, ["WS"]).to_dict()
    assert [t["name"] for t in fig["data"]] == ["m1", "m2"]
    assert fig["data"][0]["customdata"][0][0] == "90%" and fig["data"][1]["customdata"][0][0] == "n/a"


def test_section_bars_and_histogram_build() -> None:
    sections = pd.DataFrame({"model": ["m1", "m1", "m2", "m2"], "section": ["s1", "s2", "s1", "s2"],
                             "accuracy": [0.1, 0.2, 0.3, None], "answered": [5, 6, 7, 0], "questions": [10, 10, 10, 10]})
    assert len(figures.section_bars(sections).data) == 2
    assert figures.agreement_histogram([0.1, 0.5, 1.0], 10, ["a", "b"]).data[0].type == "histogram"
