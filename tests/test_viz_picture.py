"""The Map's still first picture: the figure's points, where plotly puts them, in their colours."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from embedlab.viz import map as figures
from embedlab.viz.picture import legend_width, scatter_png


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def bare_figure(*traces: go.Scatter, x_range=(0, 10), y_range=(0, 10)) -> go.Figure:
    fig = go.Figure(list(traces))
    fig.update_layout(height=120, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False)
    fig.update_xaxes(range=list(x_range))
    fig.update_yaxes(range=list(y_range))
    return fig


def test_points_land_where_the_axes_put_them_in_their_colours():
    red = go.Scattergl(x=[0, 10], y=[0, 10], mode="markers", marker={"color": "#ff0000", "size": 6, "opacity": 1})
    blue = go.Scatter(x=[5], y=[5], mode="markers", marker={"color": "rgb(0, 0, 255)", "size": 6})
    image = pixels(scatter_png(bare_figure(red, blue), width=120))
    assert image.shape == (120, 120, 4)
    # plot area: x 10..110, y 10..110 (y up): (0, 0) is the bottom-left corner, (10, 10) the top-right, (5, 5) the middle
    assert tuple(image[110, 10]) == (255, 0, 0, 255)
    assert tuple(image[10, 110]) == (255, 0, 0, 255)
    assert tuple(image[60, 60]) == (0, 0, 255, 255)
    assert image[35, 35, 3] == 0 and image[60, 30, 3] == 0  # nothing drawn where no point is: transparent


def test_opacity_and_overlap_blend_as_layers():
    one = go.Scatter(x=[2], y=[5], mode="markers", marker={"color": "#000000", "size": 6, "opacity": 0.5})
    two = go.Scatter(x=[8, 8], y=[5, 5], mode="markers", marker={"color": "#000000", "size": 6, "opacity": 0.5})
    image = pixels(scatter_png(bare_figure(one, two), width=120))
    assert abs(int(image[60, 30, 3]) - 128) <= 1  # one layer at 50%
    assert abs(int(image[60, 90, 3]) - 191) <= 1  # two layers: 1 - 0.5²


def test_later_traces_cover_earlier_ones_and_rings_are_rings():
    under = go.Scatter(x=[5], y=[5], mode="markers", marker={"color": "#00ff00", "size": 20, "opacity": 1})
    ring = go.Scatter(x=[5], y=[5], mode="markers", marker={"color": "rgba(0,0,0,0)", "size": 20,
                                                           "line": {"width": 2, "color": "#d62728"}})
    image = pixels(scatter_png(bare_figure(under, ring), width=120))
    assert tuple(image[60, 60]) == (0, 255, 0, 255)  # the ring's inside is see-through
    assert tuple(image[60, 69][:3]) == (0xD6, 0x27, 0x28)  # its edge, 9-10 px from the centre, is red


def test_text_only_and_three_d_traces_are_left_out():
    labels = go.Scatter(x=[5], y=[5], mode="text", text=["king"])
    image = pixels(scatter_png(bare_figure(labels), width=120))
    assert image[..., 3].max() == 0


def test_autorange_pads_like_plotly_and_a_legend_takes_room_at_the_right():
    words = [f"w{i}" for i in range(50)]
    rng = np.random.default_rng(0)
    coords = rng.normal(size=(50, 2))
    fig = figures.word_map(coords, words, np.arange(50), np.arange(50, 0, -1), figures.frequency_bands(np.arange(50)),
                           "band", figures.band_order(), highlight=np.zeros(0, np.int64), selected=[], label_top_n=0)
    assert legend_width(fig) > 60
    image = pixels(scatter_png(fig, width=720))
    drawn = np.flatnonzero(image[..., 3].max(axis=0))
    plot_right = 720 - 10 - legend_width(fig)
    assert drawn.min() > 10 and drawn.max() < plot_right  # inside the padded plot area, never under the legend
    assert image.shape[0] == fig.layout.height


def test_a_trace_with_a_colour_per_point_draws_each_in_its_own():
    both = go.Scatter(x=[2, 8], y=[5, 5], mode="markers", marker={"color": ["#ff0000", "#0000ff"], "size": 6, "opacity": 1})
    image = pixels(scatter_png(bare_figure(both), width=120))
    assert tuple(image[60, 30]) == (255, 0, 0, 255) and tuple(image[60, 90]) == (0, 0, 255, 255)
