"""The training playback: the recorded words' map at every epoch, with a slider and a play button.

Pure builder: coordinates in, an animated ``go.Figure`` out (plotly animates frames in
the browser, so playing needs no rerun). The axes are fixed over all frames so the
eye sees the words move, not the axes. Words are data: escaped for plotly's HTML.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.i18n import _, format_number, format_percent, pgettext
from embedlab.textsafe import html

POINT = "#0072B2"
FOLLOWED = "#D55E00"
NEIGHBOUR = "#009E73"
#: milliseconds a frame stays on screen while playing
FRAME_MS = 700


def frame_name(epoch: int) -> str:
    """A frame's name on the slider and in the neighbours table: "start" (the random weights), then "epoch 1"..."""
    return _("epoch {n}").format(n=format_number(epoch)) if epoch else pgettext("first frame", "start")


def epoch_animation(coords: np.ndarray, words: Sequence[str], epochs: Sequence[int], explained: tuple[float, float],
                    labelled: int = 30, followed: str | None = None,
                    neighbours: Sequence[Sequence[str]] | None = None, title: str = "") -> go.Figure:
    """One frame per recorded epoch: every word a dot, the ``labelled`` most frequent named, a followed word
    (and its neighbours at that epoch, ``neighbours[i]``) in colour."""
    labels = [html(w) for w in words]
    index = {w: i for i, w in enumerate(words)}
    n_labelled = min(labelled, len(words))

    def traces(i: int) -> list[go.Scatter]:
        xy = coords[i]
        out = [
            go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers", name=pgettext("playback legend", "words"),
                       customdata=labels,
                       marker={"size": 5, "color": POINT, "opacity": 0.45},
                       hovertemplate="<b>%{customdata}</b><extra></extra>"),
            go.Scatter(x=xy[:n_labelled, 0], y=xy[:n_labelled, 1], mode="text", name=_("most frequent"),
                       text=labels[:n_labelled], textfont={"size": 10, "color": "#333333"}, hoverinfo="skip"),
        ]
        near = [index[w] for w in (neighbours[i] if neighbours else []) if w in index]
        out.append(go.Scatter(x=xy[near, 0], y=xy[near, 1], mode="markers+text", name=_("its neighbours"),
                              text=[labels[j] for j in near], textposition="bottom center",
                              marker={"size": 9, "color": NEIGHBOUR}, hoverinfo="skip"))
        mine = [index[followed]] if followed in index else []
        out.append(go.Scatter(x=xy[mine, 0], y=xy[mine, 1], mode="markers+text", name=_("followed word"),
                              text=[labels[j] for j in mine], textposition="top center",
                              textfont={"size": 14, "color": FOLLOWED},
                              marker={"size": 14, "color": FOLLOWED, "symbol": "diamond"}, hoverinfo="skip"))
        return out

    names = [frame_name(e) for e in epochs]
    last = len(epochs) - 1
    fig = go.Figure(data=traces(last), frames=[go.Frame(data=traces(i), name=names[i]) for i in range(len(epochs))])
    pad_x = float(np.ptp(coords[..., 0])) * 0.05 or 1.0
    pad_y = float(np.ptp(coords[..., 1])) * 0.05 or 1.0
    play = {"label": _("▶ Play"), "method": "animate",
            "args": [None, {"frame": {"duration": FRAME_MS, "redraw": False}, "fromcurrent": False,
                            "transition": {"duration": FRAME_MS // 2}, "mode": "immediate"}]}
    pause = {"label": _("❚❚ Pause"), "method": "animate",
             "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]}
    slider = {
        "active": last, "currentvalue": {"prefix": _("Showing: ")}, "pad": {"t": 40},
        "steps": [{"label": names[i], "method": "animate",
                   "args": [[names[i]], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                                         "transition": {"duration": 0}}]} for i in range(len(epochs))],
    }
    first, second = explained
    fig.update_layout(
        title=title or _("The map epoch by epoch (PCA axes of the last epoch; each epoch rotated onto the next)"),
        height=640, margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=True,
        legend={"orientation": "h", "y": 1.02, "x": 0},
        xaxis={"title": _("PC 1 ({share} of the last epoch's variance)").format(share=format_percent(first)),
               "zeroline": False,
               "range": [float(coords[..., 0].min()) - pad_x, float(coords[..., 0].max()) + pad_x]},
        yaxis={"title": _("PC 2 ({share})").format(share=format_percent(second)), "zeroline": False,
               "range": [float(coords[..., 1].min()) - pad_y, float(coords[..., 1].max()) + pad_y]},
        updatemenus=[{"type": "buttons", "direction": "left", "showactive": False, "x": 0, "y": -0.08,
                      "xanchor": "left", "yanchor": "top", "buttons": [play, pause]}],
        sliders=[{**slider, "x": 0.16, "len": 0.84, "y": -0.02}],
    )
    return fig
