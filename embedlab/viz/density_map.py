"""The map of every point: a density image of all words, hoverable sample points, search matches on top.

Pure: arrays and an image in, ``go.Figure`` out. The density image (``embedlab.density``)
is a layout image stretched over the window's axes, so its size in the browser does not
grow with the vocabulary; only the sample (at most ``MAX_SAMPLE_POINTS``) and the
highlighted matches (at most ``MAX_HIGHLIGHTS``) are points. Every point carries its word
as ``customdata`` (read back by ``viz.map.selection_words``), and words are escaped for
plotly's HTML-ish labels (``textsafe.html``).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.i18n import _
from embedlab.textsafe import html

#: hoverable points drawn over the density (WebGL); more would make the figure several MB
MAX_SAMPLE_POINTS = 20_000
#: search matches drawn as points (all are counted; labels for the first ``LABELLED`` only)
MAX_HIGHLIGHTS = 5_000
LABELLED = 50


def density_map(image_uri: str, x_range: tuple[float, float], y_range: tuple[float, float],
                sample_xy: np.ndarray, sample_words: Sequence[str], highlight_xy: np.ndarray | None = None,
                highlight_words: Sequence[str] = (), title: str = "", subtitle: str = "") -> go.Figure:
    """The figure: the density image over the window, the sample as faint points, matches as red rings.

    ``sample_xy`` / ``highlight_xy`` are (n, 2) coordinates inside (or around) the window;
    the axes are fixed to the window, so zooming in plotly shows the image stretched
    until the page redraws it for the new window.
    """
    fig = go.Figure()
    x0, x1 = float(x_range[0]), float(x_range[1])
    y0, y1 = float(y_range[0]), float(y_range[1])
    fig.add_layout_image(source=image_uri, xref="x", yref="y", x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0,
                         sizing="stretch", layer="below", opacity=1.0)
    sample_xy = np.asarray(sample_xy, dtype=np.float32)[:MAX_SAMPLE_POINTS]
    words = np.array([html(w) for w in list(sample_words)[:MAX_SAMPLE_POINTS]], dtype=object)
    fig.add_trace(go.Scattergl(
        x=sample_xy[:, 0], y=sample_xy[:, 1], mode="markers", name=_("sample"),
        customdata=np.array(list(sample_words)[:MAX_SAMPLE_POINTS], dtype=object), hovertext=words,
        hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
        marker={"size": 3, "color": "rgba(90,90,90,0.3)"}))  # faint: the density beneath is the picture
    if highlight_xy is not None and len(highlight_xy):
        shown = np.asarray(highlight_xy, dtype=np.float32)[:MAX_HIGHLIGHTS]
        names = list(highlight_words)[:MAX_HIGHLIGHTS]
        labels = [html(w) if i < LABELLED else "" for i, w in enumerate(names)]
        fig.add_trace(go.Scattergl(
            x=shown[:, 0], y=shown[:, 1], mode="markers+text", name=_("matches"), text=labels,
            textposition="top center", customdata=np.array(names, dtype=object),
            hovertext=np.array([html(w) for w in names], dtype=object),
            hovertemplate="%{hovertext}<extra>" + html(_("match")) + "</extra>", showlegend=False,
            marker={"size": 9, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "#d62728"}}))
    heading = html(title)
    if subtitle:
        heading += f"<br><sup>{html(subtitle)}</sup>"
    fig.update_layout(title=heading or None, height=640, margin={"l": 10, "r": 10, "t": 70 if subtitle else 40, "b": 10},
                      plot_bgcolor="white", uirevision=f"{x0:.6g},{x1:.6g},{y0:.6g},{y1:.6g}")
    fig.update_xaxes(range=[x0, x1], showticklabels=False, zeroline=False, showgrid=False, title=None)
    fig.update_yaxes(range=[y0, y1], showticklabels=False, zeroline=False, showgrid=False, title=None)
    return fig
