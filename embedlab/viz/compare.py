"""Figures for comparing models: the aligned map, agreement, and benchmark scores.

Pure builders: arrays and tables in, ``go.Figure`` out. Every point carries its word
in ``customdata`` so a page can read a chart selection back as words.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from embedlab.i18n import _
from embedlab.textsafe import html, html_all

#: one colour per model, the same on every figure of the page (colour-blind-safe Okabe-Ito)
MODEL_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
#: above this many points a layer is drawn with WebGL
WEBGL_POINTS = 10_000


def model_colour(i: int) -> str:
    return MODEL_COLOURS[i % len(MODEL_COLOURS)]


def aligned_map(
    coords: np.ndarray,
    model_ids: np.ndarray,
    words: Sequence[str],
    names: Sequence[str],
    selected: Sequence[str] = (),
    layout: str = "layers",
    title: str = "",
) -> go.Figure:
    """The models' aligned vectors on shared axes, as coloured layers or small multiples.

    ``coords`` (n, 2) are one projection of every model's points stacked; ``model_ids``
    says which model each point is and ``words`` its word. A ``selected`` word gets
    its points labelled and, in the layered view, joined by a line from model to
    model: a short line means the models put the word in the same place.
    """
    coords = np.asarray(coords, dtype=float)
    model_ids = np.asarray(model_ids)
    words = list(words)
    if coords.shape != (len(words), 2) or len(model_ids) != len(words):
        raise ValueError(f"coords {coords.shape}, {len(model_ids)} model ids and {len(words)} words must match")
    if layout not in ("layers", "panels"):
        raise ValueError(f"layout must be 'layers' or 'panels', not {layout!r}")
    panels = layout == "panels"
    n_models = len(names)
    fig = make_subplots(rows=1, cols=n_models, shared_xaxes=True, shared_yaxes=True, subplot_titles=html_all(names),
                        horizontal_spacing=0.03) if panels else go.Figure()
    scatter = go.Scattergl if len(words) > WEBGL_POINTS else go.Scatter
    for m, name in enumerate(names):
        mask = model_ids == m
        trace = scatter(
            x=coords[mask, 0], y=coords[mask, 1], mode="markers", name=html(name),
            marker={"size": 5, "color": model_colour(m), "opacity": 0.55},
            customdata=[w for w, keep in zip(words, mask) if keep],
            hovertext=[f"<b>{html(w)}</b><br>{html(name)}" for w, keep in zip(words, mask) if keep],
            hovertemplate="%{hovertext}<extra></extra>",
        )
        if panels:
            fig.add_trace(trace, row=1, col=m + 1)
        else:
            fig.add_trace(trace)
    position = {(int(m), w): (x, y) for (x, y), m, w in zip(coords.tolist(), model_ids.tolist(), words)}
    for word in selected:
        points = [(m, position[(m, word)]) for m in range(n_models) if (m, word) in position]
        if not points:
            continue
        if panels:
            for m, (x, y) in points:
                fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers+text", text=[html(word)], textposition="top center",
                                         marker={"size": 11, "color": model_colour(m), "line": {"width": 2, "color": "black"}},
                                         customdata=[word], showlegend=False, hovertext=[f"<b>{html(word)}</b><br>{html(names[m])}"],
                                         hovertemplate="%{hovertext}<extra></extra>"), row=1, col=m + 1)
        else:
            fig.add_trace(go.Scatter(
                x=[p[1][0] for p in points], y=[p[1][1] for p in points], mode="lines+markers+text",
                text=[html(word)] + [""] * (len(points) - 1), textposition="top center", name=html(word), showlegend=False,
                line={"color": "rgba(40,40,40,0.7)", "width": 2},
                marker={"size": 11, "color": [model_colour(m) for m, _point in points], "line": {"width": 2, "color": "black"}},
                customdata=[word] * len(points),
                hovertext=[f"<b>{html(word)}</b><br>{html(names[m])}" for m, _point in points],
                hovertemplate="%{hovertext}<extra></extra>",
            ))
    # no lasso/select dragmode: in Streamlit 1.67 it turns click-selection off (the toolbar still offers both)
    fig.update_layout(title=html(title) if title else None, height=560 if not panels else 460,
                      legend={"orientation": "h", "y": -0.08}, margin={"l": 10, "r": 10, "t": 50 if title or panels else 20, "b": 10})
    fig.update_xaxes(showticklabels=False, title=None, zeroline=False)
    fig.update_yaxes(showticklabels=False, title=None, zeroline=False)
    if panels:  # the same axes in every panel: a word's position is comparable across them
        fig.update_xaxes(matches="x")
        fig.update_yaxes(matches="y")
    else:
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def agreement_histogram(agreement: Sequence[float], k: int, names: Sequence[str]) -> go.Figure:
    """How many words have each level of neighbourhood agreement (mean Jaccard@k)."""
    fig = go.Figure(go.Histogram(x=list(agreement), xbins={"start": 0, "end": 1.0001, "size": 0.05},
                                 marker={"color": MODEL_COLOURS[0]},
                                 hovertemplate=_("agreement %{x}<br>%{y} words") + "<extra></extra>"))
    fig.update_layout(title=_("Neighbourhood agreement across {names} (Jaccard@{k})").format(
                          names=html(_(", ").join(names)), k=k),
                      xaxis={"title": _("mean Jaccard@{k} (1 = same {k} neighbours everywhere)").format(k=k),
                             "range": [0, 1]},
                      yaxis={"title": _("number of words")}, height=300, bargap=0.05, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def benchmark_bars(table: pd.DataFrame, score_columns: Sequence[str], title: str | None = None,
                   score_titles: Sequence[str] | None = None) -> go.Figure:
    """Grouped bars: one group per benchmark, one bar per model; coverage in the hover.

    ``table`` is ``reports.summary_table`` output: a 'model' column, score columns
    and '<score> coverage' beside each; ``score_titles`` name the groups (default: the
    columns). Titles default to the reader's language.
    """
    score_titles = list(score_columns if score_titles is None else score_titles)
    title = _("Benchmark scores") if title is None else title
    fig = go.Figure()
    for i, (_index, row) in enumerate(table.iterrows()):
        values = [row.get(c) for c in score_columns]
        coverage = [row.get(f"{c} coverage") for c in score_columns]
        fig.add_trace(go.Bar(
            x=html_all(score_titles), y=[None if v is None or pd.isna(v) else v for v in values], name=html(row["model"]),
            marker={"color": model_colour(i)},
            customdata=[[(_("n/a") if c is None or pd.isna(c) else f"{c:.0%}")] for c in coverage],
            text=[("" if v is None or pd.isna(v) else f"{v:.3f}") for v in values], textposition="outside",
            hovertext=[html(row["model"])] * len(values),
            hovertemplate="%{x}<br>%{y:.3f}<br>" + _("coverage %{customdata[0]}") + "<extra>%{hovertext}</extra>",
        ))
    fig.update_layout(barmode="group", title=html(title), yaxis={"title": _("accuracy / Spearman ρ"), "rangemode": "tozero"},
                      height=380, legend={"orientation": "h", "y": -0.2}, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def section_bars(sections: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Per-section analogy accuracy, one bar per model; ``sections`` has model, section, accuracy, coverage."""
    title = _("Analogy accuracy per section") if title is None else title
    fig = go.Figure()
    for i, (model, group) in enumerate(sections.groupby("model", sort=False)):
        fig.add_trace(go.Bar(
            y=html_all(group["section"]), x=group["accuracy"], name=html(model), orientation="h",
            hovertext=[html(model)] * len(group),
            marker={"color": model_colour(i)}, customdata=np.stack([group["answered"], group["questions"]], axis=1),
            hovertemplate="%{y}<br>" + _("accuracy %{x:.1%}<br>%{customdata[0]} of %{customdata[1]} answerable")
                          + "<extra>%{hovertext}</extra>",
        ))
    n_sections = sections["section"].nunique()
    fig.update_layout(barmode="group", title=html(title), xaxis={"title": _("accuracy"), "tickformat": ".0%", "rangemode": "tozero"},
                      yaxis={"autorange": "reversed"}, height=max(300, 28 * n_sections * max(1, sections["model"].nunique()) // 2 + 120),
                      legend={"orientation": "h", "y": -0.1}, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
