"""Figures for the Analogies page: the answers of both methods, and the parallelogram.

Pure builders: library results in, ``go.Figure`` out. Points carry their word in
``customdata``; the offset vectors are drawn as annotation arrows.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from embedlab.analogy import AnalogyResult, Parallelogram
from embedlab.i18n import N_, _, format_percent
from embedlab.textsafe import html

#: one colour per role, Okabe-Ito (colour-blind safe); the legend names are msgids, translated when drawn
ROLE_STYLE = {
    "added": ("#0072B2", "circle", N_("added (+)")),
    "subtracted": ("#D55E00", "circle", N_("subtracted (−)")),
    "target": ("#555555", "x", N_("target: the sum itself")),
    "answer": ("#009E73", "diamond", N_("answers")),
}
ARROW_COLOUR = "#888888"


def answer_bars(result: AnalogyResult) -> go.Figure:
    """The top answers of one method as horizontal bars of its score, best on top; inputs hatched."""
    answers = result.answers
    fig = go.Figure(go.Bar(
        x=[a.score for a in answers], y=[f"{a.rank}. {html(a.word)}" for a in answers], orientation="h",
        customdata=[a.word for a in answers], hovertext=[f"<b>{html(a.word)}</b>" for a in answers],
        marker={"color": ["#BBBBBB" if a.is_input else "#0072B2" for a in answers],
                "pattern": {"shape": ["/" if a.is_input else "" for a in answers]}},
        hovertemplate="%{hovertext}<br>" + html(_("score")) + " %{x:.4f}<extra></extra>",
    ))
    axis = _("cosine to the target") if result.method == "3cosadd" else _("3CosMul score (product of shifted cosines)")
    fig.update_layout(title=html(result.label), height=max(220, min(1000, 90 + 22 * len(answers))), showlegend=False,
                      margin={"l": 10, "r": 10, "t": 50, "b": 40}, xaxis={"title": axis},
                      yaxis={"autorange": "reversed", "automargin": True})
    return fig


#: points closer than this share of the plot's span have their labels pushed apart
CROWDED = 0.2


def label_positions(coords: np.ndarray) -> list[str]:
    """A plotly ``textposition`` per point that keeps close points' labels apart.

    Every label used to sit above its point, so an answer next to the target (the usual
    case: that is what a good analogy looks like) had both words printed over each
    other. A point with a close neighbour puts its label on the side away from it.

    >>> label_positions(np.array([[0.0, 0.0], [0.05, 0.0], [1.0, 1.0]]))
    ['top left', 'top right', 'top center']
    """
    coords = np.asarray(coords, dtype=np.float64)
    span = float(np.ptp(coords, axis=0).max()) if len(coords) > 1 else 0.0
    positions = []
    for i, point in enumerate(coords):
        if span == 0.0:
            positions.append("top center")
            continue
        distances = np.hypot(*(coords - point).T)
        distances[i] = np.inf
        j = int(np.argmin(distances))
        if distances[j] > CROWDED * span:
            positions.append("top center")
            continue
        dx, dy = point - coords[j]
        if dx == 0 and dy == 0:  # the same place: the first one left, the second right
            dx, dy = (-1.0, 1.0) if i < j else (1.0, -1.0)
        positions.append(("top" if dy >= 0 else "bottom") + " " + ("right" if dx >= 0 else "left"))
    return positions


def parallelogram_figure(plot: Parallelogram, title: str = "") -> go.Figure:
    """Inputs, answers and the target in 2-D (PCA of just these points), with the offset arrows.

    Equal, parallel arrows mean the relation (e.g. man → king) is the same vector as
    the one that leads to the answer (woman → queen).
    """
    fig = go.Figure()
    positions = label_positions(plot.coords)
    for role, (colour, symbol, label) in ROLE_STYLE.items():
        label = html(_(label))
        rows = [i for i, r in enumerate(plot.roles) if r == role]
        if not rows:
            continue
        fig.add_trace(go.Scatter(
            x=plot.coords[rows, 0], y=plot.coords[rows, 1], mode="markers+text", name=label,
            text=[html(plot.words[i]) for i in rows], textposition=[positions[i] for i in rows],
            customdata=[plot.words[i] for i in rows],
            hovertext=[f"<b>{html(plot.words[i])}</b>" for i in rows],
            marker={"size": 13 if role != "answer" else 11, "color": colour, "symbol": symbol},
            hovertemplate="%{hovertext}<extra>" + label + "</extra>",
        ))
    for start, end in plot.arrows:
        fig.add_annotation(x=float(plot.coords[end, 0]), y=float(plot.coords[end, 1]),
                           ax=float(plot.coords[start, 0]), ay=float(plot.coords[start, 1]),
                           xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=3,
                           arrowsize=1.2, arrowwidth=2, arrowcolor=ARROW_COLOUR, standoff=8, startstandoff=8)
    first, second = plot.explained
    fig.update_layout(
        title=html(title) if title else _("The analogy in 2-D"), height=480,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        xaxis={"title": _("PC 1 ({share} of these points' variance)").format(share=format_percent(first)),
               "zeroline": False},
        yaxis={"title": _("PC 2 ({share})").format(share=format_percent(second)), "zeroline": False,
               "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig
