"""Density of every point of a map, aggregated and shaded server-side into one small image.

A browser draws a few tens of thousands of interactive points at most; a model has a
million words. So the map shows all of them as a density image (how many words fall in
each pixel), rendered here with datashader, and only a sample as hoverable points on
top. The image's size depends on its pixels, not on the number of words: an 800 x 600
PNG is a few hundred kB whether it counts 10,000 or 10,000,000 points.

``aggregate`` counts the points of a window (the whole map, or the part a user zoomed
into): ``DensityGrid.counts`` sums to the points inside the window and ``outside`` says
how many fell outside, so every point is accounted for. ``shade`` turns counts into
colours by histogram equalisation (datashader's ``eq_hist``: dense and sparse regions
both stay visible) and ``png_data_uri`` packs the picture for a plotly layout image.

datashader is imported lazily (about two seconds, plus a numba compile on the first
aggregation; ``warm_up`` pays that once in the background).
"""

from __future__ import annotations

import base64
import io
import threading
from dataclasses import dataclass

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_

#: default image size in pixels (plotly stretches it over the axes)
WIDTH, HEIGHT = 800, 600
#: light to dark blue: empty pixels stay transparent, so the axes' background shows through
COLOURS = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")

Range = tuple[float, float]


@dataclass(frozen=True, eq=False)
class DensityGrid:
    """Counts of points per pixel over a window: ``counts[row, col]``, row 0 at the bottom (y minimum)."""

    counts: np.ndarray  # (height, width) uint32
    x_range: Range
    y_range: Range
    outside: int  # points of the map that fell outside the window

    @property
    def total(self) -> int:
        """Points inside the window (the sum of all counts)."""
        return int(self.counts.sum(dtype=np.int64))

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.counts.shape[0]), int(self.counts.shape[1])


def full_window(coords: np.ndarray, pad: float = 0.02) -> tuple[Range, Range]:
    """The x and y ranges holding every point, padded by ``pad`` of their span on each side.

    >>> full_window(np.array([[0.0, 0.0], [10.0, 5.0]]), pad=0.1)
    ((-1.0, 11.0), (-0.5, 5.5))
    """
    xy = np.asarray(coords)
    if xy.ndim != 2 or xy.shape[1] < 2 or len(xy) == 0:
        raise EmbedlabError(N_("A density map needs 2-D coordinates of at least one point."))
    ranges = []
    for axis in (0, 1):
        low, high = float(np.min(xy[:, axis])), float(np.max(xy[:, axis]))
        span = high - low if high > low else 1.0
        ranges.append((low - pad * span, high + pad * span))
    return ranges[0], ranges[1]


def inside(coords: np.ndarray, x_range: Range, y_range: Range) -> np.ndarray:
    """Boolean mask of the points inside a window (edges included)."""
    x, y = coords[:, 0], coords[:, 1]
    return (x >= x_range[0]) & (x <= x_range[1]) & (y >= y_range[0]) & (y <= y_range[1])


def first_inside(coords: np.ndarray, x_range: Range, y_range: Range, limit: int) -> np.ndarray:
    """Positions of the first ``limit`` points inside the window (vocabulary order: the most frequent first).

    >>> first_inside(np.array([[0.0, 0.0], [5.0, 5.0], [1.0, 1.0], [0.5, 0.5]]), (0, 2), (0, 2), 2).tolist()
    [0, 2]
    """
    return np.flatnonzero(inside(np.asarray(coords), x_range, y_range))[:max(int(limit), 0)]


def aggregate(coords: np.ndarray, x_range: Range | None = None, y_range: Range | None = None,
              width: int = WIDTH, height: int = HEIGHT) -> DensityGrid:
    """Count the points of ``coords`` (n x 2) per pixel of a ``width`` x ``height`` grid over the window.

    Without ranges the window is the whole map (``full_window``). Points on the right
    or top edge count in the last pixel; points outside are counted in ``outside``.
    """
    import datashader as ds
    import pandas as pd

    xy = np.asarray(coords)
    if xy.dtype not in (np.float32, np.float64):
        xy = xy.astype(np.float64)  # float32 maps stay float32: at 1M points a float64 copy is 16 MB more per step
    if x_range is None or y_range is None:
        fx, fy = full_window(xy)
        x_range, y_range = x_range or fx, y_range or fy
    x_range, y_range = _checked(x_range), _checked(y_range)
    if width < 1 or height < 1:
        raise EmbedlabError(N_("A density image needs at least one pixel each way."))
    mask = inside(xy, x_range, y_range)
    within = xy[mask]
    frame = pd.DataFrame({"x": within[:, 0], "y": within[:, 1]})
    canvas = ds.Canvas(plot_width=int(width), plot_height=int(height), x_range=x_range, y_range=y_range)
    counts = np.asarray(canvas.points(frame, "x", "y", agg=ds.count()).values, dtype=np.uint32)
    return DensityGrid(counts, x_range, y_range, int(len(xy) - mask.sum()))


def _checked(window: Range) -> Range:
    low, high = float(window[0]), float(window[1])
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low:
        raise EmbedlabError(N_("A map window needs a lower and a larger upper bound, not {low} to {high}."),
                            low=low, high=high)
    return low, high


def shade(grid: DensityGrid, colours: tuple[str, ...] = COLOURS, how: str = "eq_hist") -> np.ndarray:
    """RGBA pixels (height x width x 4, uint8, row 0 at the *top*, as images are) of the grid's counts.

    Empty pixels are fully transparent.
    """
    import datashader.transfer_functions as tf
    import xarray as xr

    counts = xr.DataArray(grid.counts, dims=("y", "x"))
    if grid.total == 0:
        return np.zeros((*grid.shape, 4), dtype=np.uint8)
    image = tf.shade(counts, cmap=list(colours), how=how)
    rgba = np.asarray(image.values, dtype=np.uint32).view(np.uint8).reshape(*grid.shape, 4)
    return np.ascontiguousarray(rgba[::-1])


def png_bytes(rgba: np.ndarray) -> bytes:
    """A PNG of RGBA pixels (compressed: mostly-empty maps are a few tens of kB)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8), "RGBA").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def png_data_uri(rgba: np.ndarray) -> str:
    """``data:image/png;base64,...`` for a plotly layout image."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(rgba)).decode("ascii")


_warm_lock = threading.Lock()
_warm = False


def warm_up() -> None:
    """Import datashader and compile its point aggregation once per process (a few seconds)."""
    global _warm
    with _warm_lock:
        if not _warm:
            shade(aggregate(np.array([[0.0, 0.0], [1.0, 1.0]]), width=4, height=4))
            _warm = True
