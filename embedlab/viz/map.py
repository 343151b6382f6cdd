"""The word map figure, and the small pure helpers around it (search matches, chart selections).

Pure builders: arrays in, ``go.Figure`` out, no I/O. Every point carries its word
as ``customdata`` so a chart selection (whose point indices are per trace) can be
read back as words with ``selection_words``; the rank and count are in ``hovertext``.
Both are flat numpy string arrays: plotly validates a list of per-point lists
element by element, which took 4 s for 50,000 points against 0.1 s for this.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.errors import ParameterError
from embedlab.i18n import N_, _, format_integers, format_number, pgettext
from embedlab.textsafe import html

#: above this many points a 2-D map is drawn with WebGL (so the default 10,000-word map is): SVG draws
#: one DOM node per point and pans and hovers slowly at that size
WEBGL_POINTS = 5_000
#: qualitative colours (plotly's Dark24 then Light24): enough for 48 groups before repeating
PALETTE = (
    "#2E91E5", "#E15F99", "#1CA71C", "#FB0D0D", "#DA16FF", "#222A2A", "#B68100", "#750D86", "#EB663B", "#511CFB",
    "#00A08B", "#FB00D1", "#FC0080", "#B2828D", "#6C7C32", "#778AAE", "#862A16", "#A777F1", "#620042", "#1616A7",
    "#DA60CA", "#6C4516", "#0D2A63", "#AF0038", "#FD3216", "#00FE35", "#6A76FC", "#FED4C4", "#FE00CE", "#0DF9FF",
    "#F6F926", "#FF9616", "#479B55", "#EEA6FB", "#DC587D", "#D626FF", "#6E899C", "#00B5F7", "#B68E00", "#C9FBE5",
    "#FF0092", "#22FFA7", "#E3EE9E", "#86CE00", "#BC7196", "#7E7DCD", "#FC6955", "#E48F72",
)
#: frequency bands by rank: (upper rank, label); labels are msgids, translated when a figure is built
BANDS = ((100, N_("top 100")), (1_000, N_("101-1,000")), (10_000, N_("1,001-10,000")),
         (None, N_("rarer than 10,000th")))
#: most matches a search highlights with labels (more would bury the map in text)
MAX_LABELLED_MATCHES = 200
#: the colour group of words without a category (a msgid: compare and show ``_(UNKNOWN)``)
UNKNOWN = N_("(no category)")


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


# -- colouring -------------------------------------------------------------------------------------

def frequency_bands(ranks: Sequence[int] | np.ndarray) -> list[str]:
    """Band label of each frequency rank (0 = most frequent word), in the current language.

    >>> frequency_bands([0, 99, 100, 5000, 20000])
    ['top 100', 'top 100', '101-1,000', '1,001-10,000', 'rarer than 10,000th']
    """
    shown = band_order()
    labels = []
    for rank in np.asarray(ranks).tolist():
        labels.append(next(shown[i] for i, (limit, _label) in enumerate(BANDS) if limit is None or rank < limit))
    return labels


def band_order() -> list[str]:
    return [_(label) for _limit, label in BANDS]


# -- search ----------------------------------------------------------------------------------------

def match_words(words: Sequence[str], pattern: str, regex: bool = False,
                notes: Sequence[str] | None = None) -> np.ndarray:
    """Positions of ``words`` matching ``pattern``: case-insensitive substring, or a regex searched anywhere.

    With ``notes`` (one per word, e.g. product titles) a word also matches through its
    note, so "mug" finds the item IDs whose titles say mug.

    >>> match_words(["king", "queen", "kingdom"], "KING").tolist()
    [0, 2]
    >>> match_words(["king", "queen", "kingdom"], "^k.*g$", regex=True).tolist()
    [0]
    >>> match_words(["P1", "P2"], "mug", notes=["Glass mug", "Phone"]).tolist()
    [0]
    """
    pattern = pattern.strip()
    if not pattern:
        return np.zeros(0, dtype=np.int64)
    if notes is not None and len(notes) != len(words):
        raise ValueError(f"{len(notes)} notes for {len(words)} words")
    texts = words if notes is None else [f"{w}\n{n}" for w, n in zip(words, notes)]
    if regex:
        try:
            compiled = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
        except re.error as error:
            raise ParameterError(N_("'{pattern}' is not a valid regular expression: {error}."), pattern=pattern,
                                 error=str(error)) from None
        hits = [i for i, t in enumerate(texts) if compiled.search(t)]
    else:
        needle = pattern.casefold()
        hits = [i for i, t in enumerate(texts) if needle in t.casefold()]
    return np.asarray(hits, dtype=np.int64)


# -- selection ----------------------------------------------------------------------------------------

def selection_words(event: Any) -> list[str]:
    """The words of the points selected on a chart built here, in selection order, without repeats.

    ``event`` is what ``st.plotly_chart(..., on_select="rerun")`` returns (an
    attribute dict with ``selection.points``) or a plain dict of the same shape;
    anything else (no selection yet, ``None``) gives ``[]``.

    >>> selection_words({"selection": {"points": [{"customdata": ["king", 3, 10]}, {"customdata": "queen"}]}})
    ['king', 'queen']
    """
    selection = _get(event, "selection")
    points = _get(selection, "points") or []
    words: list[str] = []
    for point in points:
        data = _get(point, "customdata")
        word = data[0] if isinstance(data, (list, tuple)) and data else data
        if isinstance(word, str) and word:
            words.append(word)
    return list(dict.fromkeys(words))


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    try:
        return obj[key]
    except (KeyError, TypeError, IndexError):
        return getattr(obj, key, None)


# -- the figure ----------------------------------------------------------------------------------------

def word_map(
    coords: np.ndarray,
    words: Sequence[str],
    ranks: Sequence[int] | np.ndarray,
    counts: Sequence[int] | np.ndarray | None = None,
    groups: Sequence[str] | None = None,
    group_title: str = "",
    group_order: Sequence[str] | None = None,
    highlight: Sequence[int] | np.ndarray = (),
    selected: Sequence[str] = (),
    label_top_n: int = 0,
    title: str = "",
    zoom_to_highlight: bool = True,
    notes: Sequence[str] | None = None,
    zoom_also: Sequence[int] | np.ndarray = (),
) -> go.Figure:
    """Words as points in 2-D (``Scatter``/``Scattergl``) or 3-D (``Scatter3d``).

    ``ranks`` are frequency ranks (rows of the model's vocabulary); ``groups`` give
    each point a colour group (frequency band, cluster, category), one trace per
    group so the legend can hide them. ``highlight`` (positions, e.g. search
    matches) become their own labelled trace and, in 2-D, the view zooms to them.
    ``selected`` words get a ring. The ``label_top_n`` most frequent points are labelled.
    ``notes`` (one string per point, may be empty) are shown under the word on hover,
    e.g. a product's title for an item ID. ``zoom_also`` (positions) join the highlights in the zoom,
    e.g. the neighbours a found word's lines go to, so the lines end on the chart.
    """
    coords = np.asarray(coords, dtype=float)
    words = list(words)
    ranks = np.asarray(ranks, dtype=np.int64)
    n = len(words)
    if coords.ndim != 2 or coords.shape[0] != n or coords.shape[1] not in (2, 3) or len(ranks) != n:
        raise ValueError(f"coords {coords.shape}, {len(ranks)} ranks and {n} words must match (2 or 3 columns)")
    three_d = coords.shape[1] == 3
    count_values = np.zeros(n, dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
    custom = np.asarray(words, dtype=str) if n else np.zeros(0, dtype=str)
    # fixed words translated once per figure (the builder runs in the session's thread, in its language)
    rank_text, count_text = _("frequency rank {rank}"), _("count {count}")
    details = [rank_text.format(rank=rank) for rank in format_integers((ranks + 1).tolist())]
    if count_values.any():
        details = [f"{d}<br>{count_text.format(count=c)}" for d, c in zip(details, format_integers(count_values.tolist()))]
    if notes is not None:
        if len(notes) != n:
            raise ValueError(f"{len(notes)} notes for {n} points")
        details = [f"{html(note)}<br>{d}" if note else d for note, d in zip(notes, details)]
    group_labels = list(groups) if groups is not None else None
    if group_labels is not None and len(group_labels) != n:
        raise ValueError(f"{len(group_labels)} group labels for {n} points")
    if group_labels is not None:  # in the hover text, not the template: a category is user data
        group_name = html(group_title or _("group"))
        details = [f"{d}<br>{group_name}: {html(g)}" for d, g in zip(details, group_labels)]
    # the word is escaped here; customdata keeps it raw for reading chart selections back
    details = [f"<b>{html(w)}</b><br>{d}" for w, d in zip(words, details)]
    hover_text = np.asarray(details, dtype=str) if n else np.zeros(0, dtype=str)
    hover = "%{hovertext}"
    trace_type = go.Scatter3d if three_d else (go.Scattergl if n > WEBGL_POINTS else go.Scatter)
    size = (2.5 if n > 20_000 else 3.5) if three_d else (4 if n > WEBGL_POINTS else 6)

    def points(mask: np.ndarray, **kwargs: Any) -> Any:
        xyz = {"x": coords[mask, 0], "y": coords[mask, 1]}
        if three_d:
            xyz["z"] = coords[mask, 2]
        return trace_type(**xyz, customdata=custom[mask], hovertext=hover_text[mask], **kwargs)

    fig = go.Figure()
    if group_labels is None:
        fig.add_trace(points(np.ones(n, dtype=bool), mode="markers", name=pgettext("legend", "words"), showlegend=False,
                             marker={"size": size, "color": colour(0), "opacity": 0.6},
                             hovertemplate=hover + "<extra></extra>"))
    else:
        labels_arr = np.asarray(group_labels, dtype=object)
        unknown = _(UNKNOWN)
        present = list(dict.fromkeys(group_labels))
        if group_order is not None:
            order = [g for g in group_order if g in set(present)] + [g for g in present if g not in set(group_order)]
        else:
            sizes = {g: int((labels_arr == g).sum()) for g in present}
            order = sorted(present, key=lambda g: (g == unknown, -sizes[g]))
        for i, group in enumerate(order):
            mask = labels_arr == group
            fig.add_trace(points(mask, mode="markers", name=_("{group} ({n})").format(group=html(group), n=format_number(int(mask.sum()))),
                                 legendgroup=group,
                                 marker={"size": size, "opacity": 0.65,
                                         "color": "#b0b0b0" if group == unknown else colour(i)},
                                 hovertemplate=hover + "<extra></extra>"))
    label_n = min(int(label_top_n), n)
    if label_n > 0:
        top = np.zeros(n, dtype=bool)
        top[np.argsort(ranks, kind="stable")[:label_n]] = True
        fig.add_trace(points(top, mode="text", text=[html(w) for w, t in zip(words, top) if t], name=_("labels"),
                             showlegend=False, hoverinfo="skip", textfont={"size": 10, "color": "#333"},
                             textposition="top center"))
    highlight = np.asarray(highlight, dtype=np.int64)
    if len(highlight):
        mask = np.zeros(n, dtype=bool)
        mask[highlight] = True
        labelled = len(highlight) <= MAX_LABELLED_MATCHES
        fig.add_trace(points(mask, mode="markers+text" if labelled else "markers",
                             name=_("matches ({n})").format(n=format_number(len(highlight))),
                             text=[html(w) for w, m in zip(words, mask) if m] if labelled else None,
                             textposition="top center", textfont={"size": 12, "color": "#000"},
                             marker={"size": size * 2.2, "color": "#FFD400", "line": {"width": 1.5, "color": "#000"}},
                             hovertemplate=hover + "<extra>" + html(_("match")) + "</extra>"))
    chosen = [i for i, w in enumerate(words) if w in set(selected)]
    if chosen:
        mask = np.zeros(n, dtype=bool)
        mask[chosen] = True
        fig.add_trace(points(mask, mode="markers+text", name=_("selected"), showlegend=False,
                             text=[html(w) for w, m in zip(words, mask) if m], textposition="bottom center",
                             marker={"size": size * 3, "color": "rgba(0,0,0,0)", "line": {"width": 2.5, "color": "#d62728"},
                                     **({} if three_d else {"symbol": "circle-open"})},
                             hovertemplate=hover + "<extra>" + html(_("selected")) + "</extra>"))
    zoom = np.concatenate([highlight, np.asarray(zoom_also, dtype=np.int64)]) if len(highlight) else highlight
    _layout(fig, coords, zoom if zoom_to_highlight else np.zeros(0, np.int64), three_d, title,
            group_title if group_labels is not None else "")
    return fig


def _layout(fig: go.Figure, coords: np.ndarray, zoom: np.ndarray, three_d: bool, title: str, legend_title: str) -> None:
    fig.update_layout(
        title=html(title) if title else None, height=640, uirevision="map",  # keep the user's zoom across reruns
        legend={"title": {"text": html(legend_title)} if legend_title else None, "itemsizing": "constant"},
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
    )
    if three_d:
        ranges = _zoom_ranges(coords, zoom)
        scene: dict[str, Any] = {f"{axis}axis": {"showticklabels": False, "title": ""} for axis in "xyz"}
        if ranges is not None:
            for axis, r in zip("xyz", ranges):
                scene[f"{axis}axis"]["range"] = r
            fig.update_layout(uirevision=f"zoom-{len(zoom)}-{int(zoom[0])}")
        # plotly's default camera (eye at 1.25, 1.25, 1.25) leaves the cloud small in the middle of the chart
        fig.update_layout(scene=scene, scene_camera={"eye": {"x": 0.95, "y": 0.95, "z": 0.7}},
                          scene_aspectmode="cube", legend={"x": 1.0, "y": 1.0})
        return
    # no dragmode/clickmode here: Streamlit then makes a click select a point (with "lasso" or "select" as
    # the drag mode it turns click-selection off); box and lasso stay one click away in the mode bar
    fig.update_xaxes(showticklabels=False, zeroline=False, title=None)
    fig.update_yaxes(showticklabels=False, zeroline=False, title=None)
    ranges = _zoom_ranges(coords, zoom)
    if ranges is not None:
        fig.update_xaxes(range=ranges[0])
        fig.update_yaxes(range=ranges[1])
        fig.update_layout(uirevision=f"zoom-{len(zoom)}-{int(zoom[0])}")  # a new search zooms afresh


def _zoom_ranges(coords: np.ndarray, zoom: np.ndarray) -> list[list[float]] | None:
    """Axis ranges around the ``zoom`` points with a margin, never smaller than 5% of the full extent."""
    if not len(zoom):
        return None
    full = coords.max(axis=0) - coords.min(axis=0)
    sub = coords[zoom]
    low, high = sub.min(axis=0), sub.max(axis=0)
    pad = np.maximum((high - low) * 0.15, full * 0.05)
    pad = np.where(pad > 0, pad, 1.0)
    return [[float(lo - p), float(hi + p)] for lo, hi, p in zip(low, high, pad)]
