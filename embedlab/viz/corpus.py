"""Figures about a corpus."""

from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go

from embedlab.textsafe import html


def zipf_figure(ranks: Sequence[int], counts: Sequence[int], title: str = "Rank / frequency (Zipf)") -> go.Figure:
    """Frequency against rank on log-log axes, with the ideal Zipf line f(r) = f(1)/r for reference."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(ranks), y=list(counts), mode="lines+markers", marker={"size": 4}, name="this corpus",
                             hovertemplate="rank %{x:,}<br>frequency %{y:,}<extra></extra>"))
    if ranks:
        top = counts[0]
        fig.add_trace(go.Scatter(x=[ranks[0], ranks[-1]], y=[top / ranks[0], top / ranks[-1]], mode="lines",
                                 line={"dash": "dot", "color": "grey"}, name="Zipf: f ∝ 1/rank", hoverinfo="skip"))
    # one tick per power of ten: plotly's default also labels 2 and 5 within each decade, which reads as noise
    fig.update_layout(title=html(title), xaxis={"type": "log", "title": "rank", "dtick": 1},
                      yaxis={"type": "log", "title": "frequency", "dtick": 1},
                      margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=360, legend={"x": 0.6, "y": 0.95})
    return fig


def top_words_figure(words: Sequence[tuple[str, int]], n: int = 30) -> go.Figure:
    """The ``n`` most frequent words as bars, every one labelled (plotly would otherwise skip every other label)."""
    shown = list(words[:n])[::-1]
    fig = go.Figure(go.Bar(x=[c for _, c in shown], y=[html(w) for w, _ in shown], orientation="h",
                           hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_layout(title=f"Top {len(shown)} words", height=max(300, 18 * len(shown) + 60),
                      yaxis={"dtick": 1}, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
