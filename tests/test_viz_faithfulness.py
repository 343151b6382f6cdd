"""Faithfulness on the map figure: recall bands and the lines from a word to its true neighbours."""

from __future__ import annotations

import numpy as np

from embedlab.viz.faithfulness import BANDS, band_order, neighbour_lines, recall_bands, recolour
from embedlab.viz.map import word_map


def test_bands_cover_every_recall_and_are_recoloured_on_the_word_map() -> None:
    recall = np.array([1.0, 0.9, 0.7, 0.69, 0.4, 0.3, 0.1, 0.05, 0.0])
    labels = recall_bands(recall)
    assert labels == ["all kept", "70–99% kept", "70–99% kept", "40–69% kept", "40–69% kept", "10–39% kept",
                      "10–39% kept", "under 10% kept", "under 10% kept"]
    coords = np.random.default_rng(0).normal(size=(len(recall), 2))
    fig = recolour(word_map(coords, [f"w{i}" for i in range(len(recall))], np.arange(len(recall)),
                            groups=labels, group_title="kept", group_order=band_order()))
    colours = {t.legendgroup: t.marker.color for t in fig.data if t.legendgroup}
    assert colours == {label: colour for _, label, colour in BANDS}


def test_lines_join_the_word_to_each_true_neighbour_kept_or_not() -> None:
    coords = np.array([[0, 0], [1, 0], [0, 1], [5, 5]], dtype=float)
    solid, dotted = neighbour_lines(coords, 0, [1, 3, 2], [True, False, True])
    assert solid.x == (0.0, 1.0, None, 0.0, 0.0, None) and solid.y == (0.0, 0.0, None, 0.0, 1.0, None)
    assert dotted.x == (0.0, 5.0, None) and dotted.line.dash == "dot"
    [three_d] = neighbour_lines(np.hstack([coords, np.ones((4, 1))]), 0, [1], [True])
    assert three_d.type == "scatter3d" and three_d.z == (1.0, 1.0, None)
