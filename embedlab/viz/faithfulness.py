"""Map faithfulness on the word map: recall bands to colour by, and lines from a word to its true neighbours.

Pure: arrays in, plotly traces or labels out (``embedlab.faithfulness`` computes
the recall). Colouring reuses the word map's colour groups (``viz.map.word_map``),
then ``recolour`` gives the bands a red-to-green scale instead of the qualitative
palette, so "how faithful" reads at a glance.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.i18n import N_, _

#: (lowest recall in the band, label, colour), best first; labels are msgids, translated when a figure is built
BANDS = (
    (1.0, N_("all kept"), "#1a9850"),
    (0.7, N_("70–99% kept"), "#91cf60"),
    (0.4, N_("40–69% kept"), "#fee08b"),
    (0.1, N_("10–39% kept"), "#fc8d59"),
    (0.0, N_("under 10% kept"), "#d73027"),
)
LEGEND_TITLE = N_("true neighbours kept on the map")


def recall_bands(recall: np.ndarray) -> list[str]:
    """Each point's band label (see ``BANDS``), in the current language.

    >>> recall_bands(np.array([1.0, 0.8, 0.5, 0.1, 0.0]))
    ['all kept', '70–99% kept', '40–69% kept', '10–39% kept', 'under 10% kept']
    """
    shown = band_order()
    labels = []
    for value in np.asarray(recall, dtype=float).tolist():
        labels.append(next(shown[i] for i, (low, _label, _colour) in enumerate(BANDS) if value >= low - 1e-9))
    return labels


def band_order() -> list[str]:
    return [_(label) for _low, label, _colour in BANDS]


def recolour(fig: go.Figure) -> go.Figure:
    """Give the recall-band traces of a word map their red-to-green colours (in place; returns the figure)."""
    colours = {_(label): colour for _low, label, colour in BANDS}
    for trace in fig.data:
        if getattr(trace, "legendgroup", None) in colours:
            trace.marker.color = colours[trace.legendgroup]
    return fig


def neighbour_lines(coords: np.ndarray, source: int, targets: Sequence[int], kept: Sequence[bool]) -> list:
    """Line traces from point ``source`` to each of ``targets`` (its true neighbours), wherever they landed.

    ``kept[i]``: whether ``targets[i]`` is also among the source's nearest on the map
    (solid green) or not (dashed red): the torn neighbourhood is visible at once.
    """
    coords = np.asarray(coords, dtype=float)
    three_d = coords.shape[1] == 3
    traces = []
    for is_kept, name, style in ((True, _("true neighbour, near on the map"), {"color": "#1a9850", "width": 2}),
                                 (False, _("true neighbour, far on the map"), {"color": "#d73027", "width": 1.5,
                                                                              "dash": "dot"})):
        chosen = [t for t, k in zip(targets, kept) if bool(k) == is_kept]
        if not chosen:
            continue
        xs, ys, zs = [], [], []
        for target in chosen:
            for point in (source, target):
                xs.append(float(coords[point, 0]))
                ys.append(float(coords[point, 1]))
                if three_d:
                    zs.append(float(coords[point, 2]))
            xs.append(None)
            ys.append(None)
            zs.append(None)
        line = dict(style)
        if three_d:
            line.pop("dash", None)
            traces.append(go.Scatter3d(x=xs, y=ys, z=zs, mode="lines", name=name, line=line, hoverinfo="skip"))
        else:
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", name=name, line=line, hoverinfo="skip"))
    return traces
