"""Figures beyond words: a small graph drawn with its communities, the index lab's trade-off, recommender scores.

Pure builders: data in, ``go.Figure`` out; every user string (node names, attribute
values, model names) goes through ``textsafe.html`` because plotly renders a small
HTML subset. Titles and axis names are translated (``embedlab.i18n``); the caller passes the
user-facing names of its data (a shipped graph's title, a metric's name) already in the reader's language.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.graphs import Graph
from embedlab.i18n import _, format_number
from embedlab.textsafe import html

#: colour-blind-safe palette (Okabe-Ito), then plotly's defaults
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692", "#B6E880"]


def spring_layout(graph: Graph, seed: int = 1) -> np.ndarray:
    """Node positions (n, 2) by networkx's force-directed layout, seeded so a graph always looks the same."""
    import networkx as nx

    from embedlab.graphs import to_networkx

    positions = nx.spring_layout(to_networkx(graph), seed=seed, weight="weight")
    return np.array([positions[v] for v in graph.nodes], dtype=float)


def graph_figure(graph: Graph, positions: np.ndarray, groups: Mapping[str, str] | None = None,
                 group_title: str = "", highlight: Sequence[str] = (), focus: str | None = None,
                 title: str | None = None) -> go.Figure:
    """The graph's edges and nodes; nodes coloured by ``groups`` (node -> value), the ``highlight`` ringed.

    ``title`` defaults to the graph's name (pass a shipped graph's name translated)."""
    xs, ys = [], []
    index = graph.index
    for s, t, _weight in graph.edges():
        a, b = positions[index[s]], positions[index[t]]
        xs += [a[0], b[0], None]
        ys += [a[1], b[1], None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"width": 0.6, "color": "#bbbbbb"},
                               hoverinfo="skip", showlegend=False))
    values = [groups.get(v, "") if groups else "" for v in graph.nodes]
    for i, value in enumerate(sorted(set(values), key=lambda v: (v == "", v))):
        rows = [j for j, v in enumerate(values) if v == value]
        names = [graph.nodes[j] for j in rows]
        fig.add_trace(go.Scatter(
            x=positions[rows, 0], y=positions[rows, 1], mode="markers+text", customdata=names,
            text=[html(n) for n in names], textposition="top center", textfont={"size": 9},
            marker={"size": 11, "color": PALETTE[i % len(PALETTE)], "line": {"width": 0.5, "color": "white"}},
            name=html(value) if value else _("(none)"),
            hovertemplate="<b>%{text}</b><extra>" + html(value) + "</extra>"))
    ringed = [n for n in highlight if n in index] + ([focus] if focus in index else [])
    if ringed:
        rows = [index[n] for n in ringed]
        fig.add_trace(go.Scatter(
            x=positions[rows, 0], y=positions[rows, 1], mode="markers", hoverinfo="skip", showlegend=False,
            marker={"size": [26 if n == focus else 20 for n in ringed], "color": "rgba(0,0,0,0)",
                    "line": {"width": [3 if n == focus else 2 for n in ringed],
                             "color": ["#D55E00" if n == focus else "#000000" for n in ringed]}}))
    fig.update_layout(height=560, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"title": {"text": html(group_title)}},
                      xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
                      title=html(graph.name if title is None else title))
    return fig


def index_tradeoff(rows: Sequence[Mapping], k: int) -> go.Figure:
    """Recall@k against latency per query (log scale), one line per index build, marker size ~ memory."""
    fig = go.Figure()
    recall = f"recall@{k}"
    builds: dict[str, list[Mapping]] = {}
    for row in rows:  # one line per build: the PQ indexes apart by their code size
        key = row["index"] if row.get("code bytes") is None else f"{row['index']} {row['code bytes']} B"
        builds.setdefault(key, []).append(row)
    biggest = max((r["memory MB"] for r in rows), default=1.0) or 1.0
    for i, (key, group) in enumerate(builds.items()):
        fig.add_trace(go.Scatter(
            x=[r["latency ms"] for r in group], y=[r[recall] for r in group], mode="lines+markers", name=key,
            customdata=[r["setting"] for r in group],
            text=[html(r["setting"]) + "<br>" + html(_("{memory} MB, built in {seconds} s").format(
                      memory=format_number(r["memory MB"], 2), seconds=format_number(r["build s"], 2)))
                  for r in group],
            marker={"size": [8 + 22 * (r["memory MB"] / biggest) ** 0.5 for r in group],
                    "color": PALETTE[i % len(PALETTE)]},
            hovertemplate="%{text}<br>" + html(_("recall {recall}, {ms} ms a query").format(
                recall="%{y:.3f}", ms="%{x:.3f}")) + "<extra></extra>"))
    fig.update_layout(height=460, margin={"l": 10, "r": 10, "t": 50, "b": 40},
                      title=_("Recall@{k} against query latency (marker size: index memory)").format(k=k),
                      xaxis={"title": _("milliseconds per query (one thread, log scale)"), "type": "log"},
                      yaxis={"title": _("recall@{k} vs exact search").format(k=k), "range": [0, 1.03]})
    return fig


def recommendation_bars(rows: Sequence[Mapping], metric: str = "HitRate", metric_name: str | None = None) -> go.Figure:
    """HitRate@K (or MRR@K) of each ranker, grouped by K: the model beside its two baselines.

    ``metric`` is the column prefix in ``rows``; ``metric_name`` what the reader calls it (default: the same)."""
    name = metric if metric_name is None else metric_name
    ks = sorted(int(c.split("@")[1]) for c in rows[0] if c.startswith(f"{metric}@")) if rows else []
    fig = go.Figure()
    for i, row in enumerate(rows):
        fig.add_trace(go.Bar(x=[f"K = {k}" for k in ks], y=[row[f"{metric}@{k}"] for k in ks],
                             name=html(row["ranker"]), marker={"color": PALETTE[i % len(PALETTE)]},
                             text=[f"{row[f'{metric}@{k}']:.3f}" for k in ks], textposition="outside"))
    fig.update_layout(barmode="group", height=360, margin={"l": 10, "r": 10, "t": 50, "b": 40},
                      title=html(_("{metric}@K on the held-out last items").format(metric=name)),
                      yaxis={"title": html(name), "rangemode": "tozero"})
    return fig
