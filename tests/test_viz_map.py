"""The word map figure and its pure helpers: traces, colours, labels, highlight zoom, selections."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import ParameterError
from embedlab.viz import map as figures


def sample(n: int = 50, dims: int = 2, seed: int = 0):
    rng = np.random.default_rng(seed)
    coords = rng.normal(size=(n, dims))
    words = [f"word{i}" for i in range(n)]
    return coords, words, np.arange(n), np.arange(n, 0, -1) * 10


def marker_traces(fig) -> list[dict]:
    return [t for t in fig.to_dict()["data"] if t.get("mode") == "markers"]


def test_one_trace_per_group_with_words_in_customdata() -> None:
    coords, words, ranks, counts = sample()
    groups = ["a" if i % 3 else "b" for i in range(50)]
    fig = figures.word_map(coords, words, ranks, counts, groups, "kind", group_order=["b", "a"])
    traces = marker_traces(fig)
    assert [t["name"] for t in traces] == ["b (17)", "a (33)"]
    assert all(t["type"] == "scatter" for t in traces)
    assert sorted(w for t in traces for w in t["customdata"]) == sorted(words)
    assert traces[0]["customdata"][0] == "word0"
    # rank is 1-based; the group is in the hover text (escaped), never in the template
    assert traces[0]["hovertext"][0] == "<b>word0</b><br>frequency rank 1<br>count 500<br>kind: b"
    assert fig.layout.legend.title.text == "kind"


def test_webgl_for_many_points_and_3d() -> None:
    coords, words, ranks, _ = sample(figures.WEBGL_POINTS + 1)
    assert marker_traces(figures.word_map(coords, words, ranks))[0]["type"] == "scattergl"
    coords3, words3, ranks3, _ = sample(30, dims=3)
    fig = figures.word_map(coords3, words3, ranks3, highlight=[2, 3])
    assert {t["type"] for t in fig.to_dict()["data"]} == {"scatter3d"}
    assert fig.layout.scene.xaxis.range is not None  # zoomed to the matches in 3-D too
    assert "count" not in marker_traces(fig)[0]["hovertext"][0]  # no counts known: not shown


def test_labels_for_the_most_frequent_words() -> None:
    coords, words, ranks, counts = sample()
    shuffled = np.random.default_rng(1).permutation(50)
    fig = figures.word_map(coords[shuffled], [words[i] for i in shuffled], ranks[shuffled], label_top_n=5)
    labels = next(t for t in fig.to_dict()["data"] if t["mode"] == "text")
    assert sorted(labels["text"]) == sorted(f"word{i}" for i in range(5))
    assert labels["hoverinfo"] == "skip"


def test_search_highlight_is_its_own_trace_and_zooms() -> None:
    coords, words, ranks, _ = sample()
    coords[7] = [100, 100]  # far away: the full view would be huge
    matches = figures.match_words(words, "word1")
    assert matches.tolist() == [1] + list(range(10, 20))
    fig = figures.word_map(coords, words, ranks, highlight=matches)
    highlight = next(t for t in fig.to_dict()["data"] if t["name"].startswith("matches"))
    assert highlight["name"] == "matches (11)" and sorted(highlight["text"]) == sorted(words[i] for i in matches)
    x_range = fig.layout.xaxis.range
    assert x_range[1] < 50 and x_range[0] <= coords[matches, 0].min() and x_range[1] >= coords[matches, 0].max()
    plain = figures.word_map(coords, words, ranks)
    assert plain.layout.xaxis.range is None


def test_selected_words_are_ringed() -> None:
    coords, words, ranks, _ = sample()
    fig = figures.word_map(coords, words, ranks, selected=["word4", "unknown"])
    ring = next(t for t in fig.to_dict()["data"] if t["name"] == "selected")
    assert ring["text"] == ["word4"] and list(ring["customdata"]) == ["word4"]


def test_match_words_regex_and_errors() -> None:
    words = ["Running", "runner", "ran", "国王"]
    assert figures.match_words(words, "run").tolist() == [0, 1]
    assert figures.match_words(words, "^r.n$", regex=True).tolist() == [2]
    assert figures.match_words(words, "国").tolist() == [3]
    assert figures.match_words(words, "  ").tolist() == []
    with pytest.raises(ParameterError, match="not a valid regular expression"):
        figures.match_words(words, "(", regex=True)


def test_selection_words_from_streamlit_events() -> None:
    class AttrDict(dict):
        __getattr__ = dict.__getitem__

    event = AttrDict(selection=AttrDict(points=[
        {"curve_number": 1, "point_index": 3, "customdata": ["queen", 12, 40]},
        {"curve_number": 0, "point_index": 3, "customdata": ["king", 8, 50]},
        {"curve_number": 2, "point_index": 0, "customdata": ["queen", 12, 40]},  # the same word in the label trace
        {"curve_number": 0, "point_index": 9},
    ], point_indices=[3, 3, 0, 9], box=[], lasso=[]))
    assert figures.selection_words(event) == ["queen", "king"]
    assert figures.selection_words(None) == []
    assert figures.selection_words({"selection": {"points": []}}) == []
    assert figures.selection_words(AttrDict(selection=AttrDict(points=[{"customdata": "solo"}]))) == ["solo"]


def test_frequency_bands_and_shape_checks() -> None:
    assert figures.frequency_bands([0, 150, 2_000, 50_000]) == figures.band_order()
    coords, words, ranks, _ = sample()
    with pytest.raises(ValueError):
        figures.word_map(coords[:10], words, ranks)
    with pytest.raises(ValueError):
        figures.word_map(coords, words, ranks, groups=["a"])


def test_notes_appear_in_the_hover_escaped() -> None:
    coords, words, ranks, _ = sample(3)
    fig = figures.word_map(coords, words, ranks, notes=["Phone <b>X</b> & case", "", "Cable"])
    hover = marker_traces(fig)[0]["hovertext"]
    assert hover[0].startswith(f"<b>{words[0]}</b><br>Phone &lt;b&gt;X&lt;/b&gt; &amp; case<br>frequency rank 1")
    assert hover[1] == f"<b>{words[1]}</b><br>frequency rank 2"
    with pytest.raises(ValueError):
        figures.word_map(coords, words, ranks, notes=["one"])
