"""Figures for the toy network: its two weight matrices, its vectors in 2-D, its loss and its prediction.

Pure builders: arrays and words in, ``go.Figure`` out. Words are data: they are escaped
for plotly's HTML-ish labels. The rows of the current step are outlined in one colour
per role, the same in every figure, so the eye can follow one word across them.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.i18n import N_, _, format_percent, pgettext
from embedlab.textsafe import html

#: Okabe-Ito colours, colour-blind safe: what the current step fed in, what it should predict, what it pushed away
ROLE_COLOURS = {"input": "#D55E00", "output": "#009E73", "negative": "#7F7F7F"}
#: English msgids, translated where shown
ROLE_LABELS = {"input": N_("input"), "output": N_("output (to predict)"), "negative": N_("negative sample")}


#: plain text for plotly labels (a word may contain <, > or &): the one helper every figure uses
escape = html


def _roles(n: int, inputs: Sequence[int], output: int | None, negatives: Sequence[int]) -> list[str | None]:
    roles: list[str | None] = [None] * n
    for i in negatives:
        roles[i] = "negative"
    if output is not None:
        roles[output] = "output"
    for i in inputs:
        roles[i] = "input"
    return roles


def weights_heatmap(matrix: np.ndarray, words: Sequence[str], title: str, inputs: Sequence[int] = (),
                    output: int | None = None, negatives: Sequence[int] = ()) -> go.Figure:
    """One row per word, one column per hidden neuron; red/blue for positive/negative weights.

    Rows the current step touched are outlined in their role's colour.
    """
    labels = [escape(w) for w in words]
    limit = float(np.abs(matrix).max()) or 1.0
    fig = go.Figure(go.Heatmap(
        z=matrix, y=list(range(len(words))), x=[f"h{j + 1}" for j in range(matrix.shape[1])],
        customdata=np.array(labels, dtype=object)[:, None].repeat(matrix.shape[1], axis=1),
        colorscale="RdBu_r", zmin=-limit, zmax=limit, zmid=0, colorbar={"thickness": 10},
        hovertemplate="<b>%{customdata}</b> · %{x}<br>" + _("weight {value}").format(value="%{z:.4f}")
        + "<extra></extra>",
    ))
    for row, role in enumerate(_roles(len(words), inputs, output, negatives)):
        if role is not None:
            fig.add_shape(type="rect", x0=-0.5, x1=matrix.shape[1] - 0.5, y0=row - 0.5, y1=row + 0.5,
                          line={"color": ROLE_COLOURS[role], "width": 3})
    fig.update_layout(title=escape(title), height=max(260, 70 + 22 * len(words)), margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      yaxis={"tickvals": list(range(len(words))), "ticktext": labels, "autorange": "reversed"})
    return fig


def vectors_figure(input_coords: np.ndarray, output_coords: np.ndarray | None, words: Sequence[str],
                   explained: tuple[float, float], inputs: Sequence[int] = (), output: int | None = None,
                   negatives: Sequence[int] = ()) -> go.Figure:
    """Input vectors (circles) and, optionally, output vectors (squares) in the same 2-D PCA plane."""
    labels = [escape(w) for w in words]
    roles = _roles(len(words), inputs, output, negatives)
    fig = go.Figure()
    layers = [(_("input vectors"), input_coords, "circle", 12)]
    if output_coords is not None:
        layers.append((_("output vectors"), output_coords, "square-open", 10))
    for name, coords, symbol, size in layers:
        fig.add_trace(go.Scatter(
            x=coords[:, 0], y=coords[:, 1], mode="markers+text", name=name, text=labels, customdata=labels,
            textposition="top center",
            marker={"symbol": symbol, "size": size, "line": {"width": 2},
                    "color": [ROLE_COLOURS.get(r, "#0072B2") if r else "#0072B2" for r in roles]},
            hovertemplate="<b>%{customdata}</b><extra>" + escape(name) + "</extra>",
        ))
    first, second = explained
    fig.update_layout(height=460, margin={"l": 10, "r": 10, "t": 40, "b": 10}, uirevision="toynet",
                      title=_("The vectors in 2-D (PCA)"), legend={"orientation": "h", "y": -0.1},
                      xaxis={"title": _("PC 1 ({share})").format(share=format_percent(first)), "zeroline": False},
                      yaxis={"title": _("PC 2 ({share})").format(share=format_percent(second)), "zeroline": False,
                             "scaleanchor": "x", "scaleratio": 1})
    return fig


def loss_figure(step_losses: Sequence[float], corpus_losses: Sequence[float]) -> go.Figure:
    """Each step's loss (dots: noisy, one example each) and the full-softmax loss over the whole corpus (line)."""
    steps = list(range(1, len(step_losses) + 1))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=steps, y=list(step_losses), mode="markers", name=_("this step's example"),
                             marker={"size": 4, "color": "#BBBBBB"},
                             hovertemplate=_("step {step}<br>loss {loss}").format(step="%{x}", loss="%{y:.4f}")
                             + "<extra></extra>"))
    fig.add_trace(go.Scatter(x=steps, y=list(corpus_losses), mode="lines", name=_("whole corpus (softmax)"),
                             line={"color": "#0072B2", "width": 2},
                             hovertemplate=_("after step {step}<br>corpus loss {loss}").format(
                                 step="%{x}", loss="%{y:.4f}")
                             + "<extra></extra>"))
    fig.update_layout(title=_("Loss over steps"), height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      xaxis={"title": pgettext("axis", "step")}, yaxis={"title": _("loss"), "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.3})
    return fig


def prediction_figure(words: Sequence[str], probabilities: np.ndarray, output: int, inputs: Sequence[int]) -> go.Figure:
    """What the network predicts for the current input: softmax over the vocabulary, the true output in green."""
    labels = [escape(w) for w in words]
    colours = [ROLE_COLOURS["output"] if i == output else (ROLE_COLOURS["input"] if i in inputs else "#0072B2")
               for i in range(len(words))]
    fig = go.Figure(go.Bar(x=labels, y=probabilities, marker={"color": colours}, customdata=labels,
                           hovertemplate="<b>%{customdata}</b><br>P = %{y:.3f}<extra></extra>"))
    fig.update_layout(title=_("What the network predicts for this input"), height=300,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10}, yaxis={"title": _("probability"), "range": [0, 1]})
    return fig
