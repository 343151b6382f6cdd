"""Figures for the guided lessons: grouped bars, lines over a sweep, a co-occurrence heatmap.

Pure builders: numbers and labels in, ``go.Figure`` out. Labels that come from a
corpus (words, item IDs) are escaped for plotly's HTML-ish text.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.textsafe import html as escape

#: Okabe-Ito, colour-blind safe, one per series in order
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}


def grouped_bars(groups: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str, y_title: str,
                 percent: bool = False) -> go.Figure:
    """One group of bars per label in ``groups``, one bar per series (e.g. CBOW and skip-gram per frequency band)."""
    fig = go.Figure()
    for colour, (name, values) in zip(PALETTE, series.items()):
        shown = [None if v is None else float(v) for v in values]
        fig.add_trace(go.Bar(
            name=escape(name), x=[escape(g) for g in groups], y=shown, marker={"color": colour},
            text=[("" if v is None else (f"{v:.0%}" if percent else f"{v:.3g}")) for v in shown], textposition="outside",
            hovertemplate="%{x}<br>" + escape(name) + ": %{y" + (":.1%" if percent else ":.4g") + "}<extra></extra>",
        ))
    fig.update_layout(title=title, barmode="group", height=340, margin=_MARGIN, legend={"orientation": "h", "y": -0.15},
                      yaxis={"title": y_title, "tickformat": ".0%" if percent else None, "rangemode": "tozero"})
    return fig


def sweep_lines(x: Sequence[float], series: Mapping[str, Sequence[float]], title: str, x_title: str,
                y_title: str) -> go.Figure:
    """One line per series over a sweep (e.g. time per epoch against the vocabulary size)."""
    fig = go.Figure()
    for colour, (name, values) in zip(PALETTE, series.items()):
        fig.add_trace(go.Scatter(x=list(x), y=list(values), mode="lines+markers", name=escape(name),
                                 line={"color": colour, "width": 2},
                                 hovertemplate=x_title + " %{x:,}<br>" + escape(name) + ": %{y:.3g}<extra></extra>"))
    fig.update_layout(title=title, height=340, margin=_MARGIN, legend={"orientation": "h", "y": -0.2},
                      xaxis={"title": x_title}, yaxis={"title": y_title, "rangemode": "tozero"})
    return fig


def count_heatmap(words: Sequence[str], counts: np.ndarray, title: str) -> go.Figure:
    """Co-occurrence counts between a handful of words; colour on a log scale so small counts still show."""
    labels = [escape(w) for w in words]
    counts = np.asarray(counts, dtype=float)
    fig = go.Figure(go.Heatmap(
        z=np.log10(counts + 1.0), x=labels, y=labels, customdata=counts, colorscale="Blues",
        colorbar={"title": "log₁₀(X+1)", "thickness": 10},
        hovertemplate="X(%{y}, %{x}) = %{customdata:,.1f}<extra></extra>",
    ))
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            fig.add_annotation(x=labels[j], y=labels[i], text=f"{value:,.0f}" if value >= 10 else f"{value:.1f}",
                               showarrow=False,
                               font={"size": 11, "color": "white" if value > counts.max() / 4 else "black"})
    fig.update_layout(title=title, height=max(320, 90 + 40 * len(words)), margin={**_MARGIN, "t": 90},
                      yaxis={"autorange": "reversed"}, xaxis={"side": "top"})
    return fig
