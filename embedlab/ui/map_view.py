"""The Map page's sections: projection settings, colouring and search, the chart, the selection panel.

The maths lives in ``embedlab.projection`` / ``embedlab.clusters`` / ``embedlab.search``,
the figure in ``embedlab.viz.map``. PCA is drawn at once in the page thread; UMAP
and t-SNE run as a background job that writes the finished map to the workspace
cache, and the page draws the PCA map meanwhile and the cached map when it is
there. Durable choices live in ``state.map`` (a ``MapPage``) and the durable widget values.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, Callable

import numpy as np
import pandas as pd
import streamlit as st

from embedlab import machine
from embedlab import categories as cats
from embedlab import clusters
from embedlab import projection as proj
from embedlab.config import ProjectionParams
from embedlab.i18n import N_, _, format_number, format_percent, format_seconds, ngettext, pgettext
from embedlab.progress import CancelToken, ProgressFn
from embedlab.textsafe import md
from embedlab.ui import evidence_view, jobs
from embedlab.ui import map_faithfulness as faith_view
from embedlab.ui.widgets import durable, keep, neighbour_index
from embedlab.ui.feedback import user_errors
from embedlab.ui.model_access import model_categories
from embedlab.ui.neighbours_view import item_columns
from embedlab.ui.frame import job_progress
from embedlab.ui.state import AppState
from embedlab.vectors import WordVectors
from embedlab.viz import map as figures
from embedlab.viz.faithfulness import recolour as faith_recolour
from embedlab.viz.picture import scatter_png
from embedlab.workflows import project_cached
from embedlab.workspace import ModelRecord, projection_key

PROJECTION_JOB = "projection"
METHOD_LABELS = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}
#: colour-by options: internal id -> English label (a msgid, translated where drawn)
COLOUR_LABELS = {"band": N_("frequency band"), "cluster": N_("k-means cluster"), "faithfulness": N_("faithfulness"),
                 "category": N_("category")}
SAMPLING_LABELS = {"frequent": N_("the most frequent"), "random": N_("a random sample")}
DEFAULT_LABELS = 30
NEIGHBOURS_K = 10
#: the map and its still first picture share this container (``render_first_picture``)
STACK_KEY = "map_stack"
SESSION_STARTED_KEY = "embedlab_map_first_seen"
#: how long after a session first opens the Map its runs also send the still picture: a new tab's plotly.js
#: is started well within this, and later runs (a click, a search) should not pay for a picture nobody sees
FIRST_PICTURE_S = 30.0
#: the picture is drawn this wide and stretched to the chart's width: about the chart's width on a laptop
PICTURE_WIDTH = 720


# -- settings ---------------------------------------------------------------------------------------

def current_params(state: AppState, n_words: int) -> ProjectionParams:
    """The projection last asked for on this session (PCA of the 10k most frequent words at first)."""
    params = state.map.params or ProjectionParams()
    if params.n_points > n_words:
        params = dataclasses.replace(params, n_points=max(10, n_words))
    return params


def render_settings(state: AppState, vectors: WordVectors) -> ProjectionParams:
    """The projection form; a submit stores the new parameters (a UMAP/t-SNE job is started by ``render_map``)."""
    params = current_params(state, len(vectors))
    upper = max(10, min(proj.MAX_POINTS, len(vectors)))
    with st.form("map_form"):
        cols = st.columns([2, 1, 2, 2])
        methods = list(METHOD_LABELS)
        method = cols[0].radio(_("Method"), methods, index=methods.index(params.method), horizontal=True,
                               format_func=METHOD_LABELS.__getitem__, key="map_method",
                               help=_help("method"))
        dims = cols[1].radio(pgettext("map", "Dimensions"), [2, 3], index=params.dims - 2, horizontal=True, key="map_dims",
                             help=_help("dims"))
        n_points = cols[2].number_input(_("Words shown"), min_value=min(10, upper), max_value=upper,
                                        value=min(params.n_points, upper), step=1000, key="map_n_points",
                                        help=_("The map draws this many words (at most {n}).").format(
                                            n=format_number(proj.MAX_POINTS)))
        sampling = cols[3].selectbox(_("Which words"), ["frequent", "random"],
                                     index=["frequent", "random"].index(params.sampling), key="map_sampling",
                                     format_func=lambda value: _(SAMPLING_LABELS[value]),
                                     help=_help("sampling"))
        with st.expander(_("UMAP and t-SNE settings")):
            ucols = st.columns(4)
            n_neighbors = ucols[0].number_input(_("UMAP neighbours"), 2, 200, value=params.n_neighbors, key="map_n_neighbors",
                                                help=_help("n_neighbors"))
            min_dist = ucols[1].number_input(_("UMAP minimum distance"), 0.0, 0.99, value=float(params.min_dist), step=0.05,
                                             key="map_min_dist", help=_help("min_dist"))
            perplexity = ucols[2].number_input(_("t-SNE perplexity"), 2.0, 100.0, value=float(params.perplexity), step=5.0,
                                               key="map_perplexity", help=_help("perplexity"))
            seed = ucols[3].number_input(_("Seed (empty: fastest)"), 0, 2**31 - 1, value=params.seed, step=1,
                                         key="map_seed", placeholder=_("none"), help=_help("seed"))
        submitted = st.form_submit_button(_("Draw the map"), type="primary")
    if submitted:
        chosen = ProjectionParams(method=method, dims=int(dims), n_points=int(n_points), sampling=sampling,
                                  n_neighbors=int(n_neighbors), min_dist=float(min_dist),
                                  perplexity=float(perplexity), seed=None if seed is None else int(seed))
        proj.validate(chosen, len(vectors))
        state.map.params = chosen
        state.map.selected = []
        state.map.jobs.pop(_job_key(vectors, chosen), None)  # a cancelled one may start again
        params = chosen
    return params


def _help(name: str) -> str:
    # the parameter's help is a msgid where the params dataclass defines it
    return _(next(f.metadata["help"] for f in dataclasses.fields(ProjectionParams) if f.name == name))


# -- computing the map ------------------------------------------------------------------------------

@st.cache_data(max_entries=16, show_spinner=False)
def _pca_cached(fingerprint: str, key: str, _params: ProjectionParams, _vectors: WordVectors) -> proj.Projection:
    # keyed on the fingerprint and the params' hash (never the matrix); cache_data hands each caller a copy
    return proj.project(_vectors, _params)


def _pca(fingerprint: str, key: str, params: ProjectionParams, vectors: WordVectors) -> proj.Projection:
    # the spinner is ours (a decorator's text would be fixed in English at import); it shows only after 0.5 s
    with st.spinner(_("Projecting with PCA…")):
        return _pca_cached(fingerprint, key, params, vectors)


@st.cache_data(max_entries=16, show_spinner=False)
def _clusters_cached(fingerprint: str, rows_key: str, k: int, _unit: np.ndarray) -> np.ndarray:
    return clusters.kmeans_labels(_unit, k)


def _clusters(fingerprint: str, rows_key: str, k: int, unit: np.ndarray) -> np.ndarray:
    with st.spinner(_("Clustering with k-means…")):
        return _clusters_cached(fingerprint, rows_key, k, unit)


def start_projection(state: AppState, vectors: WordVectors, params: ProjectionParams) -> jobs.Job:
    """Compute a UMAP/t-SNE map in the background; the result lands in the workspace cache.

    Older projection jobs of this session are cancelled: only the newest request
    will be looked at.
    """
    for job in jobs.session_jobs(state):
        if job.kind == PROJECTION_JOB and job.active:
            job.cancel.cancel()
    workspace = state.workspace

    measured = machine.load(workspace)

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        if params.method == "umap" and not proj.is_warm():
            if measured.umap_warm_up_s:
                progress(0, 1, _("Preparing UMAP (first use only since the server started, about {seconds} on "
                                 "this machine)").format(seconds=format_seconds(measured.umap_warm_up_s)))
            else:
                progress(0, 1, _("Preparing UMAP (first use only since the server started)"))
            proj.warm_up(cancel=cancel)
        project_cached(workspace, vectors, params, progress, cancel)
        return projection_key(params)

    title = _("{method} map of {n} words").format(method=METHOD_LABELS[params.method],
                                                  n=format_number(min(params.n_points, len(vectors))))
    job = jobs.submit(state, title, work, kind=PROJECTION_JOB)
    state.map.jobs[_job_key(vectors, params)] = job.id
    return job


def umap_estimate(state: AppState, vectors: WordVectors, params: ProjectionParams) -> str:
    """' (about N s on this machine)' for a UMAP map, from the timings measured at set-up ('' without them)."""
    measured = machine.load(state.workspace)
    if params.method != "umap" or not measured.umap_reference_s:
        return ""
    seconds = proj.estimate_umap_seconds(min(params.n_points, len(vectors)), params.n_neighbors, measured.umap_reference_s)
    if not proj.is_warm() and measured.umap_warm_up_s:
        seconds += measured.umap_warm_up_s
    return _(" (about {seconds} on this machine)").format(seconds=format_seconds(max(1, round(seconds))))


def _job_key(vectors: WordVectors, params: ProjectionParams) -> str:
    return f"{vectors.fingerprint}-{projection_key(params)}"


def projection_job(state: AppState, vectors: WordVectors, params: ProjectionParams) -> jobs.Job | None:
    job_id = state.map.jobs.get(_job_key(vectors, params))
    return jobs.runner().get(job_id) if job_id else None


def get_projection(state: AppState, vectors: WordVectors, params: ProjectionParams) -> tuple[proj.Projection, str]:
    """The map to draw now and a note for the user: the asked-for one, or PCA while it is computed."""
    if params.method == "pca":
        return _pca(vectors.fingerprint, projection_key(params), params, vectors), ""
    cached = state.workspace.load_projection(vectors, params)
    if cached is not None:
        return cached, ""
    job = projection_job(state, vectors, params)
    if job is None or job.status == "done":
        # not asked in this session yet, or done but its cache file was deleted since: compute
        job = start_projection(state, vectors, params)
    fallback = dataclasses.replace(params, method="pca")
    if job.status == "failed":
        note = _("The {method} map failed: {error} Showing PCA instead.").format(
            method=METHOD_LABELS[params.method], error=md(job.error))
    elif job.status == "cancelled":
        note = _("The {method} map was cancelled; press *Draw the map* to start it again.").format(
            method=METHOD_LABELS[params.method])
    else:
        note = _("Showing PCA while the {method} map is computed in the background{estimate}; it appears here "
                 "when ready (you can use other pages meanwhile).").format(
            method=METHOD_LABELS[params.method], estimate=umap_estimate(state, vectors, params))
    return _pca(vectors.fingerprint, projection_key(fallback), fallback, vectors), note


def render_running(state: AppState, vectors: WordVectors, params: ProjectionParams) -> None:
    job = projection_job(state, vectors, params) if params.method != "pca" else None
    if job is not None:
        job_progress(job)  # reruns the page when done: the map is then in the cache


# -- colouring, search and the chart ---------------------------------------------------------------

def render_categories_upload(state: AppState, record: ModelRecord) -> None:
    with st.expander(_("Colour by your own categories (CSV upload)")):
        st.caption(_("A CSV with a header row: a `word` (or `id`) column and a category column, e.g. `id,category`."))
        upload = st.file_uploader(_("Category table"), type=["csv", "tsv", "txt"], key="map_categories_upload")
        if upload is None:
            return
        with user_errors():
            table = cats.read_table(upload.getvalue())
            options = cats.category_columns(table)
            column = st.selectbox(_("Category column"), options, key="map_categories_column")
            made = cats.from_table(table, source=upload.name, column=column)
            st.caption(_("{n} words with a category from {file}.").format(n=format_number(len(made.mapping)),
                                                                           file=md(upload.name)))
            # kept in the workspace with the model, so a reload or a restart keeps the colours and titles
            saved = state.workspace.load_category_table(record.model_id)
            if saved is None or (saved.data, saved.source, saved.column) != (upload.getvalue(), upload.name, column):
                state.workspace.save_category_table(record.model_id, upload.getvalue(), upload.name, column)
                state.widget_values["map_colour"] = "category"
                st.session_state.pop("map_colour", None)  # the radio above takes the new choice
                st.rerun()  # the map above was drawn without these categories


def render_controls(state: AppState, has_categories: bool, corpus: str = "") -> dict[str, Any]:
    """Colouring, search and labels. ``corpus`` names what the model was trained on: the search text is
    kept across models of one corpus and cleared for another."""
    cols = st.columns([2, 1, 2, 1, 1])
    modes = ["band", "cluster", "faithfulness"] + (["category"] if has_categories else [])
    colour_key = durable(state, "map_colour", "category" if has_categories else "band")
    if st.session_state[colour_key] not in modes:
        st.session_state[colour_key] = "band"
    cols[0].radio(_("Colour by"), modes, key=colour_key, on_change=keep(state, colour_key), horizontal=True,
                  format_func=lambda mode: _(COLOUR_LABELS[mode]),
                  help=_("Faithfulness: how many of each word's 10 nearest neighbours in the original space are "
                         "among its 10 nearest on this map (green: the map shows its neighbourhood; red: torn apart)."))
    k_key = durable(state, "map_k", 10)
    cols[1].number_input(_("Clusters (k)"), 2, clusters.MAX_CLUSTERS, key=k_key, on_change=keep(state, k_key),
                         help=_("Number of k-means clusters, computed on the original vectors (not the 2-D map)."),
                         disabled=st.session_state[colour_key] != "cluster")
    search_key = "map_search"
    if state.map.search_corpus != corpus:
        if state.map.search_corpus is not None:
            # typed for a model of another corpus (maybe another language): it would highlight nothing here
            state.widget_values.pop(search_key, None)
            st.session_state.pop(search_key, None)
        state.map.search_corpus = corpus
    search_key = durable(state, search_key, "")
    cols[2].text_input(_("Find words"), key=search_key, on_change=keep(state, search_key),
                       placeholder=_("e.g. king, or ^un.*able$ as a regex"),
                       help=_("Highlights the words containing this text (or matching the regular expression) and "
                              "zooms to them. An exact word also shows its neighbours. Item titles (e.g. items.csv) "
                              "are searched too."))
    regex_key = durable(state, "map_regex", False)
    cols[3].checkbox(_("Regex"), key=regex_key, on_change=keep(state, regex_key),
                     help=_("Read *Find words* as a regular expression."))
    labels_key = durable(state, "map_labels", DEFAULT_LABELS)
    cols[4].number_input(_("Labels"), 0, 500, key=labels_key, on_change=keep(state, labels_key), step=10,
                         help=_("Write the words of this many most frequent points on the map."))
    return {key.removeprefix("map_"): st.session_state[key]
            for key in (colour_key, k_key, search_key, regex_key, labels_key)}


def colour_groups(choice: str, projection: proj.Projection, vectors: WordVectors, k: int,
                  categories: cats.Categories | None, faithful: Any = None
                  ) -> tuple[list[str] | None, str, list[str] | None]:
    """Each point's colour group, the legend title, and the legend order."""
    words = projection.words(vectors)
    if choice == "faithfulness" and faithful is not None:
        return faith_view.groups(faithful)
    if choice == "cluster":
        rows_key = f"{len(projection.rows)}-{hash(projection.rows.tobytes())}"
        labels = _clusters(vectors.fingerprint, rows_key, int(k), np.asarray(vectors.unit[projection.rows]))
        names = [_("cluster {i}").format(i=i) for i in range(int(k))]
        return [names[i] for i in labels], _(COLOUR_LABELS["cluster"]), names
    if choice == "category" and categories is not None:
        return categories.labels(words, _(figures.UNKNOWN)), categories.column, None
    return figures.frequency_bands(projection.rows), _(COLOUR_LABELS["band"]), figures.band_order()


def render_map(state: AppState, record: ModelRecord, vectors: WordVectors, params: ProjectionParams) -> None:
    categories = model_categories(state, record)
    controls = render_controls(state, categories is not None, record.manifest.origin)
    projection, note = get_projection(state, vectors, params)
    render_running(state, vectors, params)
    selected = [w for w in state.map.selected if w in vectors.index]  # the model may have changed
    focus = selected or _exact(controls["search"], vectors)
    # the faithfulness score colours the points or draws a word's lines only when asked; otherwise it is only the
    # caption's, which is written after the chart has been sent, so the first picture never waits for it
    score_first = controls["colour"] == "faithfulness" or bool(focus)
    faithful = _faithfulness(vectors, projection, controls) if score_first else None
    head = st.container()
    if note:
        st.info(note, icon="⏳")
    words = projection.words(vectors)
    groups, group_title, order = colour_groups(controls["colour"], projection, vectors, controls["k"], categories,
                                               faithful)
    if controls["colour"] == "category" and categories is not None:
        st.caption(_("Categories from {file} (column '{column}'): {share} of the words shown have one.").format(
            file=md(categories.source), column=md(categories.column),
            share=format_percent(categories.coverage(words))))
    notes = [categories.titles.get(w, "") for w in words] if categories is not None and categories.titles else None
    matches = figures.match_words(words, controls["search"], controls["regex"], notes)
    where = _(" (their titles searched too)") if notes is not None else ""
    if controls["search"].strip() and not len(matches):
        st.caption(_("No word on the map matches '{text}'{where}.").format(text=md(controls["search"]), where=where))
    elif len(matches):
        st.caption(ngettext("{n} word on the map matches '{text}'{where}.",
                            "{n} words on the map match '{text}'{where}.", len(matches)).format(
            n=format_number(len(matches)), text=md(controls["search"]), where=where))
    # lines follow the word whose neighbours the panel shows (the panel's choice when several are selected)
    line_word = st.session_state.get("map_focus") if st.session_state.get("map_focus") in focus else \
        (focus[0] if focus else None)
    fig = figures.word_map(projection.coords, words, projection.rows, vectors.counts[projection.rows], groups,
                           group_title, order, highlight=matches, selected=selected,
                           label_top_n=int(controls["labels"]), notes=notes,
                           zoom_also=faith_view.line_targets(projection, vectors, faithful, line_word))
    if controls["colour"] == "faithfulness" and faithful is not None:
        faith_recolour(fig)
    kept = faith_view.add_neighbour_lines(fig, projection, vectors, faithful, line_word) if line_word else None
    left, right = st.columns([3, 1])
    with left:
        with st.container(key=STACK_KEY):
            render_first_picture(fig, projection)
            event = st.plotly_chart(fig, key="map_chart", on_select="rerun", selection_mode=("points", "box", "lasso"),
                                    width="stretch")
        picked = figures.selection_words(event)
        # act on a *new* chart selection only: the chart keeps reporting its old one after 'Clear'
        if picked != state.map.last_pick:
            state.map.last_pick = picked
            if picked:
                state.map.selected = picked
                st.rerun()  # redraw the map with the selection ringed
        st.download_button(
            _("Download the whole map ({n} words, CSV)").format(n=format_number(len(words))),
            data=lambda: selection_table(projection, vectors, list(words),
                                         {group_title: groups} if groups is not None else None).to_csv(index=False),
            file_name="map-coordinates.csv", mime="text/csv", on_click="ignore", key="map_export_all",
            help=_("Every word on the map with its coordinates, frequency rank and colour group."))
        if kept is not None:
            st.caption(_("Lines join the selected word to its {k} nearest neighbours in the original space: "
                         "{kept} are also among its {k} nearest on this map (solid green), "
                         "{lost} landed farther away (dotted red).").format(k=faith_view.K, kept=kept,
                                                                            lost=faith_view.K - kept))
        if projection.dims == 3:
            st.caption(_("In 3-D, type a word in *Find words* to see its neighbours "
                         "(box and lasso selection work on 2-D maps)."))
        else:
            st.caption(_("Click a word, or drag a box or lasso, to see neighbours and export the selection."))
    with right:
        columns = {} if groups is None else {group_title: groups}

        def export_columns() -> dict[str, list[str]]:
            # the export always names each word's k-means cluster (the current k), even when coloured otherwise
            cluster_title = _(COLOUR_LABELS["cluster"])
            if cluster_title not in columns:
                columns[cluster_title] = colour_groups("cluster", projection, vectors, controls["k"], None)[0]
            return columns

        render_selection(state, vectors, projection, focus, export_columns, categories)
    with head:
        if not score_first:
            faithful = _faithfulness(vectors, projection, controls)
        render_caption(vectors, projection, faithful)


def _faithfulness(vectors: WordVectors, projection: proj.Projection, controls: dict[str, Any]) -> Any:
    allowed = controls["colour"] == "faithfulness" or faith_view.large_maps_wanted()
    return faith_view.compute(vectors, projection, allowed=allowed)


def render_caption(vectors: WordVectors, projection: proj.Projection, faithful: Any) -> None:
    """What the map shows (method, sample, cost) and how faithful it is, or a button to measure that."""
    shown = METHOD_LABELS[projection.params.method]
    st.caption(_("**{method} map** of {words}").format(method=shown, words=projection.description)
               + (_(" · computed in {seconds}").format(seconds=format_seconds(projection.seconds))
                  if projection.params.method != "pca" else "")
               + ("" if len(projection.rows) >= len(vectors) else
                  _(" · the map shows a sample; change it under *Words shown* and *Which words*."))
               + faith_view.caption(faithful, shown))
    if faithful is None and st.button(_("Measure how faithful this map is"), key="map_faithfulness_button",
                                      help=_("kNN recall for every word: a few seconds for large maps.")):
        faith_view.want_large_maps()
        st.rerun()


def render_first_picture(fig: Any, projection: proj.Projection) -> None:
    """A still picture of the map's points under the chart, in a session's first seconds (``FIRST_PICTURE_S``).

    A new tab must load and start plotly.js before the chart draws anything (one to two
    seconds on a small machine); the picture, drawn on the server, is there at once, and
    the chart covers it when drawn (CSS below: the two share one grid cell; the picture
    hides once plotly's SVG exists). Later runs keep an empty slot, so the chart keeps
    its place in the page and is never redrawn from scratch.
    """
    slot = st.empty()
    started = st.session_state.setdefault(SESSION_STARTED_KEY, time.monotonic())
    if projection.dims != 2 or time.monotonic() - started > FIRST_PICTURE_S:
        return
    height = int(fig.layout.height or 450)
    st.html(f"""<style>
.st-key-{STACK_KEY} {{ display: grid; }}
.st-key-{STACK_KEY} > div {{ grid-area: 1 / 1; min-width: 0; }}
.st-key-{STACK_KEY} [data-testid="stImage"] img {{ width: 100%; height: {height}px; object-fit: fill; }}
.st-key-{STACK_KEY} > div:has([data-testid="stImage"]) {{ pointer-events: none; }}
.st-key-{STACK_KEY} [data-testid="stSkeleton"] {{ visibility: hidden; }}
</style>""")
    slot.image(scatter_png(fig, width=PICTURE_WIDTH), width="stretch", alt=_("The map's points, drawn while the interactive chart loads"))


def _exact(text: str, vectors: WordVectors) -> list[str]:
    word = text.strip()
    return [word] if word in vectors.index else []


# -- the selection panel ----------------------------------------------------------------------------

def selection_table(projection: proj.Projection, vectors: WordVectors, words: list[str],
                    columns: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The selected words on the map with their coordinates, frequency rank and per-point ``columns``
    (e.g. the k-means cluster): the CSV export. Words not on the map are left out."""
    position = {vectors.words[r]: i for i, r in enumerate(projection.rows)}
    found = [w for w in words if w in position]
    at = np.array([position[w] for w in found], dtype=np.int64)
    table = pd.DataFrame({_("word"): found})
    for axis, name in enumerate("xyz"[:projection.dims]):
        table[name] = projection.coords[at, axis] if len(at) else []
    table[_("frequency rank")] = projection.rows[at] + 1 if len(at) else []
    for title, labels in (columns or {}).items():
        table[title] = [labels[i] for i in at]
    return table


def render_selection(state: AppState, vectors: WordVectors, projection: proj.Projection, focus: list[str],
                     export_columns: Callable[[], dict[str, list[str]]],
                     categories: cats.Categories | None = None) -> None:
    """The selected word's neighbours in the original space (with item categories when known), and the export."""
    if not focus:
        st.markdown("**" + _("Nearest neighbours") + "**")
        st.caption(_("Select a word on the map to see its nearest neighbours in the original space."))
        return
    word = focus[0]
    if len(focus) > 1:
        word = st.selectbox(_("{n} words selected; neighbours of").format(n=format_number(len(focus))), focus,
                            key="map_focus")
    st.markdown(_("**Nearest to “{word}”** (cosine, all {n} words)").format(word=md(word),
                                                                          n=format_number(len(vectors))))
    if categories is not None and (what := categories.describe(word)):
        st.caption(what)
    with user_errors():
        neighbours = neighbour_index(vectors).query(word, NEIGHBOURS_K)
        found = [n.word for n in neighbours]
        # each item's title and category beside its ID, as on the Neighbours page
        about = item_columns(categories.annotations(found)) if categories is not None else {}
        table = pd.DataFrame({_("word"): found, **about,
                              _("similarity"): [round(n.similarity, 3) for n in neighbours]})
        st.dataframe(table, hide_index=True, key="map_neighbours", height=38 + 35 * NEIGHBOURS_K)
        evidence_view.why_picker(state, word, found, key="map_why", compact=True)
    shown = set(projection.rows.tolist())
    on_map = sum(vectors.index.get(w, -1) in shown for w in focus)
    st.download_button(ngettext("Export the selection ({n} word, CSV)", "Export the selection ({n} words, CSV)",
                                on_map).format(n=format_number(on_map)),
                       data=lambda: selection_table(projection, vectors, focus, export_columns()).to_csv(index=False),
                       file_name="map-selection.csv", mime="text/csv", on_click="ignore", key="map_export",
                       help=_("Word, map coordinates, frequency rank, colour group and k-means cluster of each "
                              "selected word on the map."))
    if st.button(_("Clear the selection"), key="map_clear"):
        state.map.selected = []
        st.rerun()
