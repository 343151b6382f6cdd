"""Figures about a training run."""

from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go

from embedlab.textsafe import html


def loss_figure(loss: Sequence[float], title: str = "Training loss per epoch") -> go.Figure:
    epochs = list(range(1, len(loss) + 1))
    fig = go.Figure(go.Scatter(x=epochs, y=list(loss), mode="lines+markers",
                               hovertemplate="epoch %{x}<br>loss %{y:,.4g}<extra></extra>"))
    fig.update_layout(title=html(title), xaxis={"title": "epoch", "dtick": 1}, yaxis={"title": "loss"}, height=300,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
