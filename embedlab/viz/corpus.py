"""Figures about a corpus (titles, axes and legends in the current language)."""

from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go

from embedlab.i18n import _
from embedlab.textsafe import html


def zipf_figure(ranks: Sequence[int], counts: Sequence[int], title: str | None = None) -> go.Figure:
    """Frequency against rank on log-log axes, with the ideal Zipf line f(r) = f(1)/r for reference.

    ``title`` defaults to the translated 'Rank / frequency (Zipf)'; a given title is shown as it is (escaped).
    """
    title = _("Rank / frequency (Zipf)") if title is None else title
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(ranks), y=list(counts), mode="lines+markers", marker={"size": 4},
                             name=_("this corpus"),
                             hovertemplate=_("rank %{x:,}<br>frequency %{y:,}<extra></extra>")))
    if ranks:
        top = counts[0]
        fig.add_trace(go.Scatter(x=[ranks[0], ranks[-1]], y=[top / ranks[0], top / ranks[-1]], mode="lines",
                                 line={"dash": "dot", "color": "grey"}, name=_("Zipf: f ∝ 1/rank"), hoverinfo="skip"))
    # one tick per power of ten: plotly's default also labels 2 and 5 within each decade, which reads as noise
    fig.update_layout(title=html(title), xaxis={"type": "log", "title": _("rank"), "dtick": 1},
                      yaxis={"type": "log", "title": _("frequency"), "dtick": 1},
                      margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=360,
                      # bottom left: a falling curve that starts at the top left never passes there (at the top
                      # right the legend's box hid the curve of a small corpus, whose counts stay high for long)
                      legend={"x": 0.02, "y": 0.02, "xanchor": "left", "yanchor": "bottom"})
    return fig


def top_words_figure(words: Sequence[tuple[str, int]], n: int = 30) -> go.Figure:
    """The ``n`` most frequent words as bars, every one labelled (plotly would otherwise skip every other label)."""
    shown = list(words[:n])[::-1]
    fig = go.Figure(go.Bar(x=[c for _w, c in shown], y=[html(w) for w, _c in shown], orientation="h",
                           hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_layout(title=_("Top {n} words").format(n=len(shown)), height=max(300, 18 * len(shown) + 60),
                      yaxis={"dtick": 1}, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
