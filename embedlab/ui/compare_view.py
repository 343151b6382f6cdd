"""The Compare page's sections: pick or make a comparison, then neighbours, stability, map, what-if.

Each ``render_*`` function draws one section from library results; the maths
lives in ``embedlab.agreement``, the storage in ``embedlab.workspace``, the training
in ``embedlab.workflows`` and the figures in ``embedlab.viz.compare``. Durable choices (the comparison, the
query word, k...) live in ``state.extras`` under ``compare_*`` keys so they survive
page switches; the comparison itself is on disk, so it survives a reload.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from embedlab import agreement as cmp
from embedlab import reports, workflows
from embedlab.categories import Categories
from embedlab.records import ComparisonRecord, Manifest
from embedlab.train.registry import ALGORITHMS, label as algorithm_label
from embedlab.errors import EmbedlabError
from embedlab.projection import pca
from embedlab.progress import CancelToken, ProgressFn
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.evidence_view import corpus_pills
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import job_progress
from embedlab.ui.forms import params_inputs
from embedlab.ui.models import get_vectors, model_categories, model_options
from embedlab.ui.state import AppState
from embedlab.ui.models import distinct, model_label, short_time
from embedlab.ui.widgets import durable, keep, state_select
from embedlab.viz import compare as figures
from embedlab.workspace import MAX_COMPARED, ModelRecord

#: words drawn per model on the aligned map by default, and at most (x 3 models)
MAP_WORDS, MAP_WORDS_MAX = 300, 3000
#: words offered in the 'follow' picker (a longer list makes the widget slow)
FOLLOW_OPTIONS = 5000
STABILITY_TOP_N_MAX = 20_000
#: the most frequent shared words a comparison keeps: bounds memory for large pretrained vocabularies
MAX_SHARED_WORDS = 100_000
TRIO_JOB, WHAT_IF_JOB = "compare-train", "compare-whatif"
OTHER_SETTING = "another setting…"


# -- choosing or making a comparison ---------------------------------------------------------

def _select_comparison(state: AppState, job: jobs.Job) -> None:
    """on_done of the training jobs: show the new comparison."""
    if job.result is not None:
        state.compare.comparison_id = job.result.comparison_id


def render_picker(state: AppState) -> ComparisonRecord | None:
    """Saved comparisons to choose from, and the two ways to make a new one."""
    workspace = state.workspace
    saved = workspace.list_comparisons()
    busy = any(job.active for job in jobs.session_jobs(state) if job.kind in (TRIO_JOB, WHAT_IF_JOB))
    chosen: ComparisonRecord | None = None
    if saved:
        by_id = {c.comparison_id: c for c in saved}
        if state.compare.comparison_id not in by_id:
            state.compare.comparison_id = saved[0].comparison_id

        def picked(comparison_id: str) -> None:
            state.compare.comparison_id = comparison_id

        cols = st.columns([4, 1])
        with cols[0]:
            shown = state_select("Comparison", comparison_labels(saved), lambda: state.compare.comparison_id, picked,
                                 key="compare_id")
        chosen = by_id[shown]
        with cols[1]:
            st.write("")
            if st.button("Forget", key="compare_forget", help="Removes this comparison from the list; its models stay."):
                workspace.delete_comparison(chosen.comparison_id)
                state.compare.comparison_id = None
                st.rerun()
    with st.expander("Train Word2Vec, FastText and GloVe on the current corpus", expanded=not saved):
        render_trio_form(state, busy)
    with st.expander("Compare models you already have"):
        render_pick_models(state)
    return chosen


def render_trio_form(state: AppState, busy: bool) -> None:
    if state.active_corpus_id is None:
        st.info("Choose a corpus first.", icon="💡")
        st.page_link("pages/1_Corpus.py", label="Choose a corpus", icon="📚")
        return
    corpus = state.workspace.load_corpus(state.active_corpus_id)
    st.caption(f"Corpus **{md(corpus.name)}**: {corpus.n_tokens:,} tokens. All three see exactly the same tokens.")
    available = list(workflows.word_algorithms())  # documents and graph nodes are not the corpus's words
    with st.form("compare_trio_form"):
        st.markdown("**Shared settings**")
        cols = st.columns(3)
        shared: dict[str, Any] = {}
        for i, f in enumerate(dataclasses.fields(workflows.SharedSettings)):
            with cols[i % 3]:
                shared.update(params_inputs(workflows.SharedSettings, key_prefix="compare_trio_", only=(f.name,)))
        own: dict[str, dict[str, Any]] = {}
        for algorithm in available:
            algorithm_spec = ALGORITHMS[algorithm]
            cls = algorithm_spec.params_class
            with st.expander(f"{algorithm_spec.label}'s own settings"):
                defaults = algorithm_spec.default_params(suggested=True)
                values = params_inputs(cls, defaults=defaults, key_prefix=f"compare_{algorithm}_",
                                       skip=workflows.SHARED_FIELDS)
                overrides = st.columns(2)
                values["window"] = overrides[0].number_input(
                    "Own window (empty: shared)", min_value=1, max_value=50, value=None, step=1,
                    key=f"compare_{algorithm}_window_override")
                values["epochs"] = overrides[1].number_input(
                    "Own epochs/iterations (empty: shared)", min_value=1, max_value=500, step=1,
                    value=algorithm_spec.suggested_for_comparison.get("epochs"),
                    key=f"compare_{algorithm}_epochs_override")
                own[algorithm] = values
        name = st.text_input("Comparison name (optional)", key="compare_trio_name")
        submitted = st.form_submit_button(f"Train {len(available)} models", type="primary", disabled=busy)
    if submitted:
        with user_errors():
            params = workflows.trio_params(workflows.SharedSettings(**shared), own, available)
            start_trio(state, corpus.corpus_id, params, name)
            st.rerun()


def start_trio(state: AppState, corpus_id: str, params: dict[str, Any], name: str = "") -> jobs.Job:
    """Train the algorithms one after another in one background job; each model is saved when done."""
    workspace = state.workspace
    corpus = workspace.load_corpus(corpus_id)

    def work(progress: ProgressFn, cancel: CancelToken) -> ComparisonRecord:
        return workflows.train_trio(workspace, corpus, params, name, progress, cancel)

    title = f"Training {', '.join(algorithm_label(a) for a in params)} on {corpus.name}"
    return jobs.submit(state, title, work, kind=TRIO_JOB, on_done=_select_comparison)


def render_pick_models(state: AppState) -> None:
    options = model_options(state)
    if len(options) < 2:
        st.caption("Save at least two models to compare them.")
        return
    with st.form("compare_pick_form"):
        chosen = st.multiselect("Two or three models", list(options), format_func=options.__getitem__,
                                max_selections=MAX_COMPARED, key="compare_pick_models")
        name = st.text_input("Name (optional)", key="compare_pick_name")
        if st.form_submit_button("Compare these"):
            with user_errors():
                saved = state.workspace.save_comparison(chosen, name)
                state.compare.comparison_id = saved.comparison_id
                st.rerun()


def comparison_labels(saved: list[ComparisonRecord]) -> dict[str, str]:
    """Comparison id -> a label that tells equal names apart (the picker reads labels back as ids)."""
    labels = {c.comparison_id: f"{c.name} ({len(c.model_ids)} models, {_when(c)})" for c in saved}
    return distinct(labels)


def _when(comparison: ComparisonRecord) -> str:
    return short_time(comparison.created) or comparison.comparison_id


# -- loading a comparison ----------------------------------------------------------------------

@st.cache_resource(max_entries=4, show_spinner="Intersecting vocabularies…")
def _build(fingerprints: tuple[str, ...], names: tuple[str, ...], _models: tuple) -> cmp.Comparison:
    # keyed on the models' fingerprints (never the arrays); immutable once built, so safe to share
    return cmp.Comparison.build(_models, names, limit=MAX_SHARED_WORDS)


@st.cache_resource(max_entries=4, show_spinner="Aligning the models…")
def _align(key: str, reference: int, _comparison: cmp.Comparison) -> cmp.Alignment:
    return cmp.align(_comparison, reference)


@st.cache_data(max_entries=16, show_spinner="Comparing neighbourhoods…")
def _stability(key: str, k: int, top_n: int, _comparison: cmp.Comparison) -> pd.DataFrame:
    return cmp.stability(_comparison, k, top_n)


def load(state: AppState, chosen: ComparisonRecord) -> tuple[cmp.Comparison, list[Manifest]]:
    """The comparison's models, intersected; stops the page with advice if a model is gone."""
    workspace = state.workspace
    missing = workspace.missing_models(chosen)
    if missing:
        st.warning(f"{len(missing)} model(s) of this comparison were deleted. Forget it, or make a new one below.",
                   icon="🗑️")
        st.stop()
    manifests = [workspace.manifest(i) for i in chosen.model_ids]
    names = tuple(reports.column_names(manifests, chosen))
    models = tuple(get_vectors(state, i) for i in chosen.model_ids)
    return _build(tuple(m.fingerprint for m in models), names, models), manifests


def render_summary(comparison: cmp.Comparison, manifests: list[Manifest]) -> None:
    cols = st.columns(len(manifests) + 1)
    capped = len(comparison) >= MAX_SHARED_WORDS
    cols[0].metric("Shared words", f"{len(comparison):,}",
                   help=f"Capped at the {MAX_SHARED_WORDS:,} most frequent shared words." if capped else
                   "Words every model knows; all comparisons below are made among these.")
    for col, name, manifest, share in zip(cols[1:], comparison.names, manifests, comparison.coverage()):
        col.metric(md(name), f"{manifest.vocab_size:,} words", f"{share:.0%} shared", delta_color="off",
                   help=md(manifest.name))


# -- neighbours side by side -------------------------------------------------------------------

def default_word(comparison: cmp.Comparison) -> str:
    for word in ("king", "queen", "city", "good", "国王"):
        if word in comparison.index:
            return word
    return comparison.words[min(30, len(comparison) - 1)]


def render_neighbours(state: AppState, comparison: cmp.Comparison, categories: Categories | None = None) -> None:
    """The word's neighbours in every model side by side; item IDs also show their category when known."""
    cols = st.columns([3, 2])
    word_key = durable(state, "compare_word", default_word(comparison))
    k_key = durable(state, "compare_k", 10)
    cols[0].text_input("Word", key=word_key, on_change=keep(state, word_key),
                       help="Its nearest neighbours in each model, searched among the words all models share.")
    cols[1].slider("Neighbours (k)", 1, 50, key=k_key, on_change=keep(state, k_key))
    word, k = st.session_state[word_key], int(st.session_state[k_key])
    with user_errors():
        result = cmp.side_by_side(comparison, word, k)
        if result.agreement is not None:
            metric_cols = st.columns(1 + len(result.pairwise))
            metric_cols[0].metric(f"Agreement (mean Jaccard@{k})", f"{result.agreement:.2f}",
                                  help="1: every model names the same k neighbours; 0: no neighbour in common.")
            for col, (label, value) in zip(metric_cols[1:], result.pairwise.items()):
                col.metric(md(label), f"{value:.2f}")
        if categories is not None and (what := categories.describe(word)):
            st.caption(what)
        st.caption(f"Highlighted: the {len(result.shared_by_all)} neighbour(s) every model names.")
        columns = st.columns(len(result.columns))
        for i, (col, name, column, note) in enumerate(zip(columns, result.names, result.columns, result.notes)):
            with col:
                st.markdown(f"**{md(name)}**")
                if note:
                    st.caption(md(note))
                if column is None:
                    continue
                found = [n.word for n in column]
                table = pd.DataFrame({"word": found, "similarity": [n.similarity for n in column]})
                if categories is not None:  # the category only: three tables side by side leave no room for titles
                    table.insert(1, categories.column, categories.labels(found, ""))
                styled = table.style.apply(
                    lambda row: ["background-color: #fde68a" if row["word"] in result.shared_by_all else ""] * len(row),
                    axis=1).format({"similarity": "{:.3f}"})
                st.dataframe(styled, hide_index=True, key=f"compare_neighbours_{i}", height=min(38 + 35 * k, 720))
        corpus_pills([word, *(n.word for column in result.columns if column is not None for n in column[:3])],
                     key="compare_corpus")
        st.download_button("Download these neighbours (CSV)", data=lambda: result.table().to_csv(index=False),
                           file_name=f"neighbours-{_safe(word)}.csv", mime="text/csv", on_click="ignore",
                           key="compare_neighbours_csv")


def item_categories(state: AppState, model_ids: tuple[str, ...] | list[str],
                    manifests: list[Manifest]) -> Categories | None:
    """What the compared words are (item categories), from the first model that has a table."""
    for model_id, manifest in zip(model_ids, manifests):
        found = model_categories(state, ModelRecord(model_id, manifest))
        if found is not None:
            return found
    return None


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)[:40] or "word"


# -- stability -----------------------------------------------------------------------------------

def render_stability(state: AppState, comparison: cmp.Comparison) -> None:
    cols = st.columns(2)
    top_key = durable(state, "compare_top_n", min(2000, len(comparison)))
    k_key = durable(state, "compare_stability_k", 10)
    cols[0].number_input("Most frequent shared words to examine", min_value=20,
                         max_value=max(20, min(STABILITY_TOP_N_MAX, len(comparison))), step=500,
                         key=top_key, on_change=keep(state, top_key))
    cols[1].slider("Neighbours (k)", 1, 50, key=k_key, on_change=keep(state, k_key))
    top_n, k = int(st.session_state[top_key]), int(st.session_state[k_key])
    with user_errors():
        table = _stability(comparison.fingerprint, k, top_n, comparison)
        st.plotly_chart(figures.agreement_histogram(table["agreement"], k, comparison.names),
                        key="compare_agreement_hist")
        shown = ["word", "frequency rank", "agreement", "neighbours in every model"]
        left, right = st.columns(2)
        left.markdown("**Most stable**: the same neighbours in every model")
        left.dataframe(table[shown].head(15), hide_index=True, key="compare_stable_head")
        right.markdown("**Least stable**: each model sees a different neighbourhood")
        least = table.sort_values(["agreement", "frequency rank"], kind="stable").head(15)  # frequent words first
        right.dataframe(least[shown], hide_index=True, key="compare_stable_tail")
        with st.expander(f"All {len(table):,} words (click a column to sort)"):
            st.dataframe(table, hide_index=True, key="compare_stability_table")
        st.download_button("Download the stability table (CSV)", data=lambda: table.to_csv(index=False),
                           file_name=f"stability-k{k}-top{top_n}.csv", mime="text/csv", on_click="ignore",
                           key="compare_stability_csv")


# -- aligned map -------------------------------------------------------------------------------------

def render_map(state: AppState, comparison: cmp.Comparison) -> None:
    names = list(comparison.names)
    cols = st.columns(4)
    ref_key = durable(state, "compare_reference", 0)
    n_key = durable(state, "compare_map_words", min(MAP_WORDS, len(comparison)))
    layout_key = durable(state, "compare_layout", "layers")
    cols[0].selectbox("Reference frame", list(range(len(names))), format_func=names.__getitem__, key=ref_key,
                      on_change=keep(state, ref_key), help="The other models are rotated (Procrustes) onto this one.")
    cols[1].number_input("Words per model", 10, max(10, min(MAP_WORDS_MAX, len(comparison))), step=50, key=n_key,
                         on_change=keep(state, n_key))
    cols[2].radio("Layout", ["layers", "panels"], key=layout_key, on_change=keep(state, layout_key), horizontal=True,
                  format_func={"layers": "one map, coloured", "panels": "side by side"}.__getitem__)
    reference = min(int(st.session_state[ref_key]), len(names) - 1)
    n_words = min(int(st.session_state[n_key]), len(comparison))
    with user_errors():
        alignment = _align(comparison.fingerprint, reference, comparison)
        query = st.session_state.get("compare_word", state.extras.get("compare_word"))
        selected_key = durable(state, "compare_selected", [query] if query in comparison.index else [])
        # any shared word can be followed (the most frequent ones are offered first); followed words are drawn
        # even when they are rarer than the words on the map
        st.session_state[selected_key] = [w for w in st.session_state[selected_key] if w in comparison.index]
        options = list(dict.fromkeys(list(comparison.words[:FOLLOW_OPTIONS]) + list(st.session_state[selected_key])))
        cols[3].multiselect("Follow words", options, key=selected_key, on_change=keep(state, selected_key),
                            help="Or select points on the map.", max_selections=12)
        followed_rows = [comparison.index[w] for w in st.session_state[selected_key]]
        rows = np.array(sorted(set(range(n_words)) | set(followed_rows)), dtype=np.int64)
        matrix, model_ids, word_rows = cmp.stacked(alignment, rows)
        coords = pca(matrix)
        words = [comparison.words[r] for r in word_rows]
        fig = figures.aligned_map(coords, model_ids, words, names, st.session_state[selected_key],
                                  st.session_state[layout_key],
                                  title=f"{n_words} most frequent shared words, aligned to {names[reference]} (PCA)")
        event = st.plotly_chart(fig, key="compare_map", on_select="rerun", selection_mode=("points", "lasso", "box"))
        picked = _picked_words(event)
        if picked:
            st.caption(f"Selected on the map: {md(', '.join(picked[:30]))}")
            if st.button("Follow the selected words", key="compare_follow"):
                merged = list(dict.fromkeys(list(st.session_state[selected_key]) + picked))[:12]
                state.extras[selected_key] = merged
                st.session_state.pop(selected_key, None)
                st.rerun()
        followed = st.session_state[selected_key]
        if followed:
            rows_followed = [comparison.index[w] for w in followed]
            st.dataframe(pd.DataFrame({"word": followed, **{
                f"cosine to {names[reference]} ({name})": [round(float(alignment.agreement[m][r]), 3) for r in rows_followed]
                for m, name in enumerate(names) if m != reference}}), hide_index=True, key="compare_followed")
        st.caption(f"Rotations fitted on the {alignment.fit_words:,} most frequent shared words. A word whose points sit "
                   "together has the same place in every model; a long line means the models disagree about it. "
                   "The projection is PCA: linear, so the length of a word's line is comparable anywhere on the map, "
                   "and deterministic and instant.")


def _picked_words(event: Any) -> list[str]:
    try:
        points = event.selection.points  # type: ignore[union-attr]
    except AttributeError:
        return []
    words = []
    for point in points or []:
        data = point.get("customdata")
        word = data[0] if isinstance(data, list) else data
        if isinstance(word, str):
            words.append(word)
    return list(dict.fromkeys(words))


# -- what if -----------------------------------------------------------------------------------------

def render_what_if(state: AppState, chosen: ComparisonRecord, manifests: list[Manifest]) -> None:
    if chosen.kind == "what-if" and len(manifests) == 2:
        field, before, after = chosen.what_if_change  # type: ignore[misc]
        st.markdown(f"**{md(field)}: {md(before)} → {md(after)}**. The other tabs compare the two models; the scores:")
        diff = reports.score_diff(*manifests)
        if diff.empty:
            st.caption("No benchmark scores stored for both models yet; run them on the Evaluate page.")
        else:
            st.dataframe(diff, hide_index=True, key="compare_whatif_diff")
        st.divider()

    trained = [(i, m) for i, m in zip(chosen.model_ids, manifests) if workflows.retrainable(m)]
    if not trained:
        st.caption("None of these models was trained in embedlab, so none can be retrained.")
        return
    labels = distinct({i: model_label(ModelRecord(i, m)) for i, m in trained})  # same-named models told apart
    base_key = durable(state, "compare_whatif_base", trained[0][0])
    if st.session_state[base_key] not in labels:
        st.session_state[base_key] = trained[0][0]
    st.selectbox("Retrain", list(labels), format_func=labels.__getitem__, key=base_key,
                 on_change=keep(state, base_key))
    base_id = st.session_state[base_key]
    manifest = dict(trained)[base_id]
    presets = workflows.what_if_presets(manifest.algorithm, manifest.params)
    busy = any(job.active for job in jobs.session_jobs(state) if job.kind in (TRIO_JOB, WHAT_IF_JOB))
    # the choice is outside the form, so the free fields show only for 'another setting…'
    choice = st.radio("Change one setting", [p.label for p in presets] + [OTHER_SETTING],
                      key="compare_whatif_choice", horizontal=True)
    cls = ALGORITHMS[manifest.algorithm].params_class
    custom_field, custom_value = "", ""
    with st.form("compare_whatif_form"):
        if choice == OTHER_SETTING:
            fields = [f.name for f in dataclasses.fields(cls) if f.name not in ("workers",)]
            custom_field = st.selectbox("Setting", fields, key="compare_whatif_field",
                                        format_func=lambda n: next(f.metadata.get("label", n) for f in dataclasses.fields(cls) if f.name == n))
            custom_value = st.text_input("New value", key="compare_whatif_value", help="e.g. 15, 0.05 or skipgram.")
        submitted = st.form_submit_button("Retrain and compare", type="primary", disabled=busy)
    st.caption("The new model is trained on the same corpus with everything else unchanged, then both are "
               "benchmarked; the comparison opens when it is done.")
    if submitted:
        with user_errors():
            preset = next((p for p in presets if p.label == choice), None)
            field_name, value = (preset.field, preset.value) if preset else (custom_field, workflows.parse_setting(cls, custom_field, custom_value))
            workflows.what_if_params(manifest, field_name, value)  # validate now, not in the job
            start_what_if(state, base_id, field_name, value)
            st.rerun()


def start_what_if(state: AppState, base_id: str, field_name: str, value: Any) -> jobs.Job:
    """Retrain with one setting changed and benchmark both (``workflows.what_if``) in the background."""
    workspace = state.workspace

    def work(progress: ProgressFn, cancel: CancelToken) -> ComparisonRecord:
        return workflows.what_if(workspace, base_id, field_name, value, on_progress=progress, cancel=cancel)

    return jobs.submit(state, f"What if {field_name} = {value}?", work, kind=WHAT_IF_JOB, on_done=_select_comparison)


def render_running(state: AppState) -> None:
    """Progress of this page's jobs in the page body too, and why a run failed."""
    for kind in (TRIO_JOB, WHAT_IF_JOB):
        job = jobs.latest_job(state, kind)
        if job is None:
            continue
        job_progress(job, note="Each model is saved as soon as it is trained; you can switch pages meanwhile.")
        if job.status == "failed":
            st.error(f"{md(job.title)}: {md(job.error)}", icon="⚠️")
