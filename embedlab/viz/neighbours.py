"""Figures for the Neighbours page: one word's nearest neighbours as a bar chart.

Pure builder: neighbours in, ``go.Figure`` out. Each bar carries its word in
``customdata`` so a chart selection can be read back as words, and tests can
decode the figure from ``fig.to_dict()``.
"""

from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go

from embedlab.i18n import _
from embedlab.search import Neighbour
from embedlab.textsafe import html

BAR_COLOUR = "#0072B2"
#: pixels per bar, and the figure's height bounds
BAR_HEIGHT, MIN_HEIGHT, MAX_HEIGHT = 22, 220, 1400


def neighbour_bars(query: str, neighbours: Sequence[Neighbour], note: str = "",
                   labels: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars of cosine similarity, nearest on top.

    The x axis spans [min(0, lowest), 1] so bars of different queries can be compared
    by eye; negative similarities (opposite directions) extend to the left. ``labels``
    (one per neighbour, may be empty) follow the word on its axis label: a product
    title makes an item ID's bar readable.
    """
    words = [n.word for n in neighbours]
    sims = [n.similarity for n in neighbours]
    lowest = min(sims, default=0.0)
    extra = list(labels) if labels is not None else [""] * len(words)
    if len(extra) != len(words):
        raise ValueError(f"{len(extra)} labels for {len(words)} neighbours")
    fig = go.Figure(go.Bar(
        x=sims, y=[f"{n.rank}. {html(n.word)}" + (f" · {html(label)}" if label else "") for n, label in zip(neighbours, extra)],
        orientation="h", customdata=words, hovertext=[f"<b>{html(w)}</b>" for w in words],
        marker={"color": BAR_COLOUR}, text=[f"{s:.3f}" for s in sims], textposition="auto",
        hovertemplate="%{hovertext}<br>" + html(_("cosine similarity")) + " %{x:.4f}<extra></extra>",
    ))
    title = _("Nearest neighbours of “{word}”").format(word=html(query)) + (f"<br><sup>{html(note)}</sup>" if note else "")
    fig.update_layout(
        title=title, height=max(MIN_HEIGHT, min(MAX_HEIGHT, 90 + BAR_HEIGHT * len(words))),
        margin={"l": 10, "r": 10, "t": 70 if note else 50, "b": 40}, showlegend=False,
        xaxis={"title": _("cosine similarity"), "range": [min(0.0, lowest - 0.05), 1.0]},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig
