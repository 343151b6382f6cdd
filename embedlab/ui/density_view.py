"""The Map page's "every word" view: a density image of all words, a hoverable sample, search among all.

The layout of every word (``embedlab.fullmap``: PCA of all words, or UMAP fitted on a
sample with the rest transformed) runs as a background job and is saved in the
workspace cache, so it is computed once per model and setting. The density image
(``embedlab.density``) is rendered here on the server for the current window: a box
selection on the chart zooms into that box and redraws the density for it; *Whole
map* zooms out. Search looks through every word, not only the drawn sample.

Its durable choices live in one small dataclass in ``st.session_state`` (``DensityState``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from embedlab import density, fullmap
from embedlab.config import ProjectionParams
from embedlab.i18n import N_, _, format_number
from embedlab.progress import CancelToken, ProgressFn
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.frame import job_progress
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors
from embedlab.viz import map as map_figures
from embedlab.viz.density_map import MAX_HIGHLIGHTS, MAX_SAMPLE_POINTS, density_map

JOB_KIND = "fullmap"
STATE_KEY = "density_map_state"
METHODS = {"pca": N_("PCA of every word"), "umap": N_("UMAP (fitted sample + transform)")}


@dataclass
class DensityState:
    """What the every-word view shows: the layout asked for, the zoomed window, the search."""

    every_word: bool = False
    method: str = "pca"
    fit_sample: int = fullmap.UMAP_FIT_SAMPLE
    window: tuple[tuple[float, float], tuple[float, float]] | None = None
    search: str = ""
    job_ids: dict[str, str] | None = None


def view_state() -> DensityState:
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = DensityState(job_ids={})
    return st.session_state[STATE_KEY]


# -- layouts shared by every session of the process (small: n x 2 floats) ---------------------------------

_layouts: OrderedDict[str, fullmap.FullProjection] = OrderedDict()
_layouts_lock = threading.Lock()
MAX_LAYOUTS = 4


def _remember(key: str, result: fullmap.FullProjection) -> None:
    with _layouts_lock:
        _layouts[key] = result
        _layouts.move_to_end(key)
        while len(_layouts) > MAX_LAYOUTS:
            _layouts.popitem(last=False)


def layout(state: AppState, vectors: WordVectors, method: str, fit_sample: int) -> tuple[fullmap.FullProjection | None, jobs.Job | None]:
    """The finished layout (memory, then disk cache), or the background job computing it."""
    key = fullmap.cache_key(method, None, fit_sample)
    full_key = f"{vectors.fingerprint}-{key}"
    with _layouts_lock:
        found = _layouts.get(full_key)
    if found is None:
        found = fullmap.load_cached(state.workspace.cache_dir, vectors.fingerprint, key, len(vectors))
        if found is not None:
            _remember(full_key, found)
    if found is not None:
        return found, None
    ours = view_state()
    job = jobs.runner().get(ours.job_ids.get(full_key, "")) if ours.job_ids.get(full_key) else None
    if job is None or job.status == "done":
        cache_dir = state.workspace.cache_dir

        def work(progress: ProgressFn, cancel: CancelToken) -> str:
            params = ProjectionParams(method=method, dims=2)
            result = fullmap.project_all(vectors.unit, method, params, fit_sample=fit_sample, on_progress=progress,
                                         cancel=cancel)
            fullmap.save_cached(cache_dir, vectors.fingerprint, key, result)
            _remember(full_key, result)
            return full_key

        what = "PCA" if method == "pca" else "UMAP"
        job = jobs.submit(state, _("{method} map of every word ({n})").format(method=what, n=format_number(len(vectors))),
                          work, kind=JOB_KIND)
        ours.job_ids[full_key] = job.id
    return None, job


# -- the view ----------------------------------------------------------------------------------------------

def render_switch(vectors: WordVectors) -> bool:
    """The Map page's choice between the interactive sample map and the density of every word."""
    ours = view_state()
    labels = {"sample": _("Words as points (up to {n})").format(n=format_number(50_000)),
              "every": _("Every word as a density ({n})").format(n=format_number(len(vectors)))}
    choice = st.radio(_("Show"), ["sample", "every"], index=1 if ours.every_word else 0, horizontal=True,
                      key="density_switch", format_func=labels.__getitem__,
                      help=_("The density view draws every word of the model as a server-side image, with the "
                             "most frequent words as points on top: for models far larger than a browser can draw."))
    ours.every_word = choice == "every"
    return ours.every_word


def render(state: AppState, vectors: WordVectors) -> None:
    """Settings, then the density map of the current window with the sample and the matches."""
    ours = view_state()
    with st.form("density_form"):
        cols = st.columns([2, 1, 2])
        method = cols[0].radio(_("Layout"), list(METHODS), index=list(METHODS).index(ours.method), horizontal=True,
                               format_func=lambda value: _(METHODS[value]), key="density_method",
                               help=_("PCA lays out every word in seconds. UMAP keeps neighbourhoods: it is fitted "
                                      "on a random sample and places the other words with UMAP's transform (at most "
                                      "the {n} most frequent words).").format(n=format_number(fullmap.UMAP_MAX_POINTS)))
        fit_sample = cols[1].number_input(_("UMAP sample"), 1_000, 100_000, value=int(ours.fit_sample), step=5_000,
                                          key="density_fit_sample",
                                          help=_("Words UMAP is fitted on; the rest are placed by its transform."))
        search = cols[2].text_input(_("Find words (among all)"), value=ours.search, key="density_search",
                                    placeholder=_("e.g. king"),
                                    help=_("Highlights every word containing this text, not only the drawn sample."))
        if st.form_submit_button(_("Draw"), type="primary"):
            if (method, int(fit_sample)) != (ours.method, ours.fit_sample):
                ours.window = None
            ours.method, ours.fit_sample, ours.search = method, int(fit_sample), search.strip()
    result, job = layout(state, vectors, ours.method, ours.fit_sample)
    if result is None:
        if job is not None and job.status in ("failed", "cancelled"):
            st.error(_("The map of every word stopped: {error}").format(error=md(job.error)))
        elif job is not None:
            job_progress(job, note=_("The map of every word is computed in the background; you can use other "
                                     "pages meanwhile."), cancel_key="density_cancel")
        return
    draw(ours, result, vectors)


def draw(ours: DensityState, result: fullmap.FullProjection, vectors: WordVectors) -> None:
    coords = result.coords
    if ours.window is None:
        x_range, y_range = density.full_window(coords)
    else:
        x_range, y_range = ours.window
    grid = density.aggregate(coords, x_range, y_range)
    uri = density.png_data_uri(density.shade(grid))
    pick = density.first_inside(coords, x_range, y_range, MAX_SAMPLE_POINTS)
    words = vectors.words
    matches = np.zeros(0, dtype=np.int64)
    if ours.search:
        map_words = [words[r] for r in result.rows] if len(result.rows) != len(words) else words
        matches = map_figures.match_words(map_words, ours.search)
    shown_matches = matches[density.inside(coords[matches], x_range, y_range)] if len(matches) else matches
    if ours.window is None:
        subtitle = _("{layout}. Density of all {n} mapped words; points: the {shown} most frequent in view")
    else:
        subtitle = _("{layout}. Density of all {n} mapped words ({in_window} in this window); points: the {shown} "
                     "most frequent in view")
    subtitle = subtitle.format(layout=describe_layout(result), n=format_number(len(coords)),
                               in_window=format_number(grid.total), shown=format_number(len(pick)))
    fig = density_map(uri, x_range, y_range, coords[pick], [words[result.rows[i]] for i in pick],
                      coords[shown_matches], [words[result.rows[i]] for i in shown_matches],
                      title=_("Every word"), subtitle=subtitle)
    fig.update_layout(dragmode="select")
    event = st.plotly_chart(fig, key="density_chart", on_select="rerun", selection_mode=("box",),
                            config={"scrollZoom": False})
    box = _box(event)
    if box is not None and box != ours.window:
        ours.window = box
        st.rerun()
    cols = st.columns([1, 3])
    if cols[0].button(_("Whole map"), key="density_reset", disabled=ours.window is None,
                      help=_("Zoom back out to every word.")):
        ours.window = None
        st.rerun()
    notes = [_("Drag a box on the chart to zoom in: the density is redrawn for that window.")]
    if ours.search:
        found = dict(n=format_number(len(matches)), text=md(ours.search), shown=format_number(len(shown_matches)))
        if len(shown_matches) > MAX_HIGHLIGHTS:
            notes.append(_("{n} words contain “{text}”, {shown} in this window (the first {circled} are circled).")
                         .format(circled=format_number(MAX_HIGHLIGHTS), **found))
        else:
            notes.append(_("{n} words contain “{text}”, {shown} in this window.").format(**found))
    cols[1].caption(" ".join(notes))


def describe_layout(result: fullmap.FullProjection) -> str:
    """How the map of every word was made, in the current language (the description is language-neutral facts,
    kept so in the cache file); plain text."""
    return str(result.description)


def _box(event: Any) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The box a user dragged on the chart, as (x range, y range), or None."""
    selection = map_figures._get(event, "selection")
    boxes = map_figures._get(selection, "box") or []
    if not boxes:
        return None
    first = boxes[0]
    xs, ys = map_figures._get(first, "x"), map_figures._get(first, "y")
    if not xs or not ys or len(xs) < 2 or len(ys) < 2:
        return None
    x_range = (float(min(xs)), float(max(xs)))
    y_range = (float(min(ys)), float(max(ys)))
    if x_range[1] <= x_range[0] or y_range[1] <= y_range[0]:
        return None
    return x_range, y_range
