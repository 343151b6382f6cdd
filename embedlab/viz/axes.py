"""The semantic-axes figure: words placed by their cosine with two named directions.

Pure: coordinates and words in, ``go.Figure`` out. Words go into plotly's HTML
subset only escaped (``_escape``), and into ``customdata`` as they are.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.i18n import _, pgettext
from embedlab.textsafe import html

#: points labelled with their word at most (more would bury the plot in text)
MAX_LABELS = 300


_escape = html  # plain text for plotly's HTML-ish labels (a word may contain < or &)


def axes_map(coords: np.ndarray, words: Sequence[str], x_label: str, y_label: str,
             highlight: Sequence[str] = ()) -> go.Figure:
    """A scatter of ``words`` at ``coords`` (cosine with the x and y directions), axes titled by their formulas.

    ``highlight`` words (e.g. the axes' own words) are drawn in a second colour.
    """
    coords = np.asarray(coords, dtype=float)
    words = list(words)
    if coords.shape != (len(words), 2):
        raise ValueError(f"coords {coords.shape} and {len(words)} words must match (2 columns)")
    marked = set(highlight)
    labelled = len(words) <= MAX_LABELS
    fig = go.Figure()
    for name, mask, colour in ((pgettext("legend", "words"), [w not in marked for w in words], "#2E91E5"),
                               (_("axis words"), [w in marked for w in words], "#E15F99")):
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            continue
        shown = [w for w, m in zip(words, mask) if m]
        fig.add_trace(go.Scatter(
            x=coords[mask, 0].tolist(), y=coords[mask, 1].tolist(), mode="markers+text" if labelled else "markers",
            name=html(name),
            text=[_escape(w) for w in shown] if labelled else None, textposition="top center",
            customdata=np.asarray(shown, dtype=str), hovertext=np.asarray([_escape(w) for w in shown], dtype=str),
            marker={"size": 8, "color": colour, "opacity": 0.75},
            hovertemplate="<b>%{hovertext}</b><br>x %{x:.3f}<br>y %{y:.3f}<extra></extra>"))
    fig.add_hline(y=0, line={"width": 1, "color": "#bbb"})
    fig.add_vline(x=0, line={"width": 1, "color": "#bbb"})
    fig.update_layout(height=640, margin={"l": 10, "r": 10, "t": 30, "b": 10}, uirevision="axes",
                      xaxis_title=_("cosine with {axis}").format(axis=_escape(x_label)),
                      yaxis_title=_("cosine with {axis}").format(axis=_escape(y_label)),
                      legend={"orientation": "h", "y": 1.04})
    return fig
