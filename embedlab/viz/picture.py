"""A still picture of a 2-D plotly scatter figure, drawn on the server as a PNG.

Why: in a new browser tab, plotly.js (4.7 MB in Streamlit's bundle) must be
loaded and started before a plotly chart draws anything: one to two seconds on
a 2-core machine however small the figure, longer than the rest of the Map's
first run put together. The Map shows this picture of the same points at once,
underneath the interactive chart, which covers it as soon as plotly has drawn.
The picture has the figure's points, colours, opacity and axis ranges; it leaves
out what needs a font (labels, legend text): the chart brings those.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import numpy as np

#: plotly's default margins (px) where a figure sets none
_DEFAULT_MARGIN = {"l": 80, "r": 80, "t": 100, "b": 80}
#: plotly pads an autoranged scatter axis by 5% of its length on each side
_AUTORANGE_PAD = 0.05


def scatter_png(fig: Any, width: int = 1000) -> bytes:
    """The figure's marker traces drawn as a ``width``-pixel-wide PNG of the figure's height (transparent ground).

    Only 2-D ``scatter``/``scattergl`` traces with markers are drawn, in trace
    order (later traces on top, as plotly draws them); ring markers (a transparent
    fill with a coloured line) are drawn as rings.
    """
    from PIL import Image

    layout = fig.layout
    height = int(layout.height or 450)
    margin = {side: _margin(layout, side) for side in "lrtb"}
    traces = [t for t in fig.data if _has_markers(t)]
    left, top = margin["l"], margin["t"]
    right = width - margin["r"] - legend_width(fig)
    bottom = height - margin["b"]
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if right - left < 10 or bottom - top < 10 or not traces:
        return _png(image)
    x_range = _range(layout.xaxis.range, [t.x for t in traces])
    y_range = _range(layout.yaxis.range, [t.y for t in traces])
    canvas = _Canvas(width, height)
    for trace in traces:
        x = np.asarray(trace.x, dtype=float)
        y = np.asarray(trace.y, dtype=float)
        px = left + (x - x_range[0]) / (x_range[1] - x_range[0]) * (right - left)
        py = bottom - (y - y_range[0]) / (y_range[1] - y_range[0]) * (bottom - top)
        inside = np.isfinite(px) & np.isfinite(py) & (px >= left) & (px <= right) & (py >= top) & (py <= bottom)
        marker = trace.marker
        radius = float(marker.size if isinstance(marker.size, (int, float)) else 6) / 2
        alpha = float(marker.opacity if marker.opacity is not None else (trace.opacity or 1.0))
        line = marker.line
        ring_width = float(line.width or 0) if line is not None and line.color else 0.0
        for fill, chosen in _by_colour(_colours(marker.color, len(x), alpha), inside):
            if fill[3]:
                canvas.stamp(px[chosen], py[chosen], _disc(radius), fill)
        if ring_width:
            canvas.stamp(px[inside], py[inside], _disc(radius, ring_width), _colour(line.color, 1.0))
    image = Image.fromarray(canvas.rgba(), "RGBA")
    return _png(image)


class _Canvas:
    """RGBA pixels composited with plotly's "over" blending, many same-coloured dots at a time."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.premultiplied = np.zeros((height * width, 3), dtype=np.float32)
        self.alpha = np.zeros(height * width, dtype=np.float32)

    def stamp(self, px: np.ndarray, py: np.ndarray, offsets: np.ndarray, colour: tuple[int, int, int, int]) -> None:
        """Dots of one colour at (px, py): where k of them overlap, the colour covers as k layers of it would."""
        if not len(px) or not len(offsets):
            return
        cx = np.rint(px).astype(np.int64)[:, None] + offsets[None, :, 0]
        cy = np.rint(py).astype(np.int64)[:, None] + offsets[None, :, 1]
        keep = (cx >= 0) & (cx < self.width) & (cy >= 0) & (cy < self.height)
        layers = np.bincount((cy[keep] * self.width + cx[keep]), minlength=self.width * self.height)
        hit = np.flatnonzero(layers)
        a = colour[3] / 255
        cover = (1 - (1 - a) ** layers[hit]).astype(np.float32)
        rgb = np.asarray(colour[:3], dtype=np.float32) / 255
        self.premultiplied[hit] = rgb[None, :] * cover[:, None] + self.premultiplied[hit] * (1 - cover[:, None])
        self.alpha[hit] = cover + self.alpha[hit] * (1 - cover)

    def rgba(self) -> np.ndarray:
        alpha = self.alpha[:, None]
        rgb = np.divide(self.premultiplied, alpha, out=np.zeros_like(self.premultiplied), where=alpha > 0)
        out = np.concatenate([rgb, alpha], axis=1) * 255
        return np.rint(out).astype(np.uint8).reshape(self.height, self.width, 4)


def _disc(radius: float, ring: float = 0.0) -> np.ndarray:
    """Pixel offsets of a disc of ``radius`` (or of a ring ``ring`` pixels wide just inside it)."""
    reach = int(np.ceil(radius))
    dy, dx = np.mgrid[-reach:reach + 1, -reach:reach + 1]
    distance = np.hypot(dx, dy)
    inside = distance <= radius + 0.25
    if ring:
        inside &= distance >= radius - ring - 0.25
    return np.stack([dx[inside], dy[inside]], axis=1)


def legend_width(fig: Any) -> int:
    """About how wide plotly draws the figure's legend at the right (0 without one), in pixels."""
    names = [str(t.name or "") for t in fig.data if t.showlegend is not False and (t.name or "")]
    if not names or fig.layout.showlegend is False:
        return 0
    title = fig.layout.legend.title.text if fig.layout.legend and fig.layout.legend.title else ""
    widest = max(_text_width(text) for text in [*names, str(title or "")])
    return 40 + widest  # the symbol, the gaps and the text


def _text_width(text: str) -> int:
    # about 6.5 px a Latin character and 12 px a wide (CJK) one at plotly's 12 px legend font
    return int(sum(12 if unicodedata.east_asian_width(ch) in "WF" else 6.5 for ch in text))


def _has_markers(trace: Any) -> bool:
    return (trace.type in ("scatter", "scattergl") and "markers" in str(trace.mode or "markers")
            and trace.x is not None and len(trace.x) > 0 and trace.visible in (None, True))


def _margin(layout: Any, side: str) -> int:
    value = getattr(layout.margin, side, None) if layout.margin is not None else None
    return int(_DEFAULT_MARGIN[side] if value is None else value)


def _range(fixed: Any, columns: list[Any]) -> tuple[float, float]:
    if fixed is not None and len(fixed) == 2:
        return float(fixed[0]), float(fixed[1])
    values = np.concatenate([np.asarray(c, dtype=float) for c in columns])
    values = values[np.isfinite(values)]
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    if high <= low:
        low, high = low - 1.0, high + 1.0
    pad = (high - low) * _AUTORANGE_PAD / (1 - 2 * _AUTORANGE_PAD)
    return low - pad, high + pad


def _by_colour(fills: list[tuple[int, int, int, int]], inside: np.ndarray) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """(colour, mask of the drawn points with it) for each colour: one group when the trace has one colour."""
    palette = sorted(set(fills))
    if len(palette) == 1:
        return [(palette[0], inside)]
    position = {colour: i for i, colour in enumerate(palette)}
    which = np.fromiter((position[f] for f in fills), dtype=np.int64, count=len(fills))
    return [(colour, inside & (which == i)) for i, colour in enumerate(palette)]


def _colours(colour: Any, n: int, alpha: float) -> list[tuple[int, int, int, int]]:
    if isinstance(colour, (list, tuple, np.ndarray)) and len(colour) == n and not isinstance(colour, str):
        return [_colour(c, alpha) for c in colour]
    return [_colour(colour, alpha)] * n


def _colour(colour: Any, alpha: float) -> tuple[int, int, int, int]:
    """RGBA of a plotly colour string ('#rrggbb', '#rgb', 'rgb(...)', 'rgba(...)', a CSS name); plotly's blue if unset."""
    from PIL import ImageColor

    text = str(colour or "#1f77b4").strip()
    if text.startswith("rgba(") and text.endswith(")"):
        r, g, b, a = (float(v) for v in text[5:-1].split(","))
        return int(r), int(g), int(b), int(round(255 * a * alpha))
    try:
        rgb = ImageColor.getrgb(text)
    except ValueError:
        rgb = (31, 119, 180)
    return int(rgb[0]), int(rgb[1]), int(rgb[2]), int(round(255 * alpha * (rgb[3] / 255 if len(rgb) == 4 else 1)))


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # a first picture: sent at once, drawn once
    return buffer.getvalue()
