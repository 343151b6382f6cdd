"""Figures about a training run (titles and axes in the current language)."""

from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go

from embedlab.i18n import _
from embedlab.textsafe import html


def loss_figure(loss: Sequence[float], title: str | None = None) -> go.Figure:
    """The loss after each epoch; ``title`` defaults to the translated 'Training loss per epoch'."""
    title = _("Training loss per epoch") if title is None else title
    epochs = list(range(1, len(loss) + 1))
    fig = go.Figure(go.Scatter(x=epochs, y=list(loss), mode="lines+markers",
                               hovertemplate=_("epoch %{x}<br>loss %{y:,.4g}<extra></extra>")))
    fig.update_layout(title=html(title), xaxis={"title": _("epoch"), "dtick": 1}, yaxis={"title": _("loss")},
                      height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
