"""Compare page, top: choose a saved comparison or make one (train three, or pick models), load it, sum it up.

The choice lives in the typed page state (``state.compare``); the comparisons themselves are
in the workspace, so they survive a reload. One module per tab of the page sits beside this one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from embedlab import agreement as cmp
from embedlab import reports, workflows
from embedlab.i18n import N_, Message, _, format_number, format_percent, ngettext
from embedlab.errors import EmbedlabError
from embedlab.progress import CancelToken, ProgressFn
from embedlab.records import ComparisonRecord, Manifest
from embedlab.samples import CorpusName, shown_corpus_name
from embedlab.textsafe import md
from embedlab.train.registry import ALGORITHMS, label as algorithm_label
from embedlab.ui import jobs
from embedlab.ui.feedback import user_errors
from embedlab.ui.forms import params_inputs
from embedlab.ui.frame import job_progress
from embedlab.ui.model_access import distinct, short_time, shown_name
from embedlab.ui.model_access import get_vectors, model_options
from embedlab.ui.state import AppState
from embedlab.ui.widgets import state_select
from embedlab.workspace import MAX_COMPARED, Workspace


#: the most frequent shared words a comparison keeps: bounds memory for large pretrained vocabularies
MAX_SHARED_WORDS = 100_000

TRIO_JOB, WHAT_IF_JOB = "compare-train", "compare-whatif"


def show_new_comparison(state: AppState, job: jobs.Job) -> None:
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
            shown = state_select(_("Comparison"), comparison_labels(saved, workspace), lambda: state.compare.comparison_id, picked,
                                 key="compare_id")
        chosen = by_id[shown]
        with cols[1]:
            st.write("")
            if st.button(_("Forget"), key="compare_forget",
                         help=_("Removes this comparison from the list; its models stay.")):
                workspace.delete_comparison(chosen.comparison_id)
                state.compare.comparison_id = None
                st.rerun()
    with st.expander(_("Train Word2Vec, FastText and GloVe on the current corpus"), expanded=not saved):
        render_trio_form(state, busy)
    with st.expander(_("Compare models you already have")):
        render_pick_models(state)
    return chosen


def render_trio_form(state: AppState, busy: bool) -> None:
    if state.active_corpus_id is None:
        st.info(_("Choose a corpus first."), icon="💡")
        st.page_link("pages/1_Corpus.py", label=_("Choose a corpus"), icon="📚")
        return
    corpus = state.workspace.load_corpus(state.active_corpus_id)
    st.caption(_("Corpus **{name}**: {tokens} tokens. All three see exactly the same tokens.").format(
        name=md(shown_corpus_name(corpus.name)), tokens=format_number(corpus.n_tokens)))
    available = list(workflows.word_algorithms())  # documents and graph nodes are not the corpus's words
    with st.form("compare_trio_form"):
        st.markdown(_("**Shared settings**"))
        cols = st.columns(3)
        shared: dict[str, Any] = {}
        for i, f in enumerate(dataclasses.fields(workflows.SharedSettings)):
            with cols[i % 3]:
                shared.update(params_inputs(workflows.SharedSettings, key_prefix="compare_trio_", only=(f.name,)))
        own: dict[str, dict[str, Any]] = {}
        for algorithm in available:
            algorithm_spec = ALGORITHMS[algorithm]
            cls = algorithm_spec.params_class
            with st.expander(_("{algorithm}'s own settings").format(algorithm=algorithm_spec.label)):
                defaults = algorithm_spec.default_params(suggested=True)
                values = params_inputs(cls, defaults=defaults, key_prefix=f"compare_{algorithm}_",
                                       skip=workflows.SHARED_FIELDS)
                overrides = st.columns(2)
                values["window"] = overrides[0].number_input(
                    _("Own window (empty: shared)"), min_value=1, max_value=50, value=None, step=1,
                    key=f"compare_{algorithm}_window_override")
                values["epochs"] = overrides[1].number_input(
                    _("Own epochs/iterations (empty: shared)"), min_value=1, max_value=500, step=1,
                    value=algorithm_spec.suggested_for_comparison.get("epochs"),
                    key=f"compare_{algorithm}_epochs_override")
                own[algorithm] = values
        name = st.text_input(_("Comparison name (optional)"), key="compare_trio_name")
        submitted = st.form_submit_button(
            ngettext("Train {n} model", "Train {n} models", len(available)).format(n=len(available)),
            type="primary", disabled=busy)
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

    # a Message: the title reads in whatever language the page is shown in (names join with a comma everywhere)
    title = Message(N_("Training {algorithms} on {name}"), algorithms=", ".join(algorithm_label(a) for a in params),
                    name=CorpusName(corpus.name))
    return jobs.submit(state, title, work, kind=TRIO_JOB, on_done=show_new_comparison)


def render_pick_models(state: AppState) -> None:
    options = model_options(state)
    if len(options) < 2:
        st.caption(_("Save at least two models to compare them."))
        return
    with st.form("compare_pick_form"):
        chosen = st.multiselect(_("Two or three models"), list(options), format_func=options.__getitem__,
                                max_selections=MAX_COMPARED, key="compare_pick_models")
        name = st.text_input(_("Name (optional)"), key="compare_pick_name")
        if st.form_submit_button(_("Compare these")):
            with user_errors():
                saved = state.workspace.save_comparison(chosen, name)
                state.compare.comparison_id = saved.comparison_id
                st.rerun()


def comparison_labels(saved: list[ComparisonRecord], workspace: Workspace | None = None) -> dict[str, str]:
    """Comparison id -> a label that tells equal names apart (the picker reads labels back as ids)."""
    labels = {c.comparison_id: ngettext("{name} ({n} model, {when})", "{name} ({n} models, {when})",
                                        len(c.model_ids)).format(name=_shown_name(c, workspace), n=len(c.model_ids),
                                                                 when=_when(c))
              for c in saved}
    return distinct(labels)


def _shown_name(comparison: ComparisonRecord, workspace: Workspace | None) -> str:
    """A comparison's name as the reader sees it. A what-if's name is always the app's own ('What if window = 2?
    (base model)'), never typed, so it is made again from its settings in the reader's language; any other
    name is the user's (or made of names) and shows as it is."""
    change = comparison.what_if_change
    if workspace is None or comparison.kind != "what-if" or change is None:
        return comparison.name
    try:
        base = workspace.manifest(comparison.model_ids[0])
    except EmbedlabError:  # the base model is gone: the stored name still says what it was
        return comparison.name
    field_name, _before, after = change
    setting = reports.setting_label(base.algorithm, field_name)
    return _("What if {setting} = {value}? ({name})").format(
        setting=setting[:1].lower() + setting[1:], value=reports.setting_value(base.algorithm, field_name, after),
        name=base.name or comparison.model_ids[0])


def _when(comparison: ComparisonRecord) -> str:
    return short_time(comparison.created) or comparison.comparison_id


@st.cache_resource(max_entries=4, show_spinner=False)
def _build(fingerprints: tuple[str, ...], names: tuple[str, ...], _models: tuple) -> cmp.Comparison:
    # keyed on the models' fingerprints (never the arrays); immutable once built, so safe to share
    return cmp.Comparison.build(_models, names, limit=MAX_SHARED_WORDS)


def load(state: AppState, chosen: ComparisonRecord) -> tuple[cmp.Comparison, list[Manifest]]:
    """The comparison's models, intersected; stops the page with advice if a model is gone."""
    workspace = state.workspace
    missing = workspace.missing_models(chosen)
    if missing:
        st.warning(ngettext("{n} model of this comparison was deleted. Forget it, or make a new one below.",
                            "{n} models of this comparison were deleted. Forget it, or make a new one below.",
                            len(missing)).format(n=len(missing)), icon="🗑️")
        st.stop()
    manifests = [workspace.manifest(i) for i in chosen.model_ids]
    names = tuple(reports.column_names(manifests, chosen))
    models = tuple(get_vectors(state, i) for i in chosen.model_ids)
    with st.spinner(_("Intersecting vocabularies…")):
        return _build(tuple(m.fingerprint for m in models), names, models), manifests


def render_summary(comparison: cmp.Comparison, manifests: list[Manifest]) -> None:
    cols = st.columns(len(manifests) + 1)
    capped = len(comparison) >= MAX_SHARED_WORDS
    cols[0].metric(_("Shared words"), format_number(len(comparison)),
                   help=_("Capped at the {n} most frequent shared words.").format(n=format_number(MAX_SHARED_WORDS))
                   if capped else _("Words every model knows; all comparisons below are made among these."))
    for col, name, manifest, share in zip(cols[1:], comparison.names, manifests, comparison.coverage()):
        col.metric(md(name), _("{n} words").format(n=format_number(manifest.vocab_size)),
                   _("{share} shared").format(share=format_percent(share)), delta_color="off", help=md(shown_name(manifest)))


def render_running(state: AppState) -> None:
    """Progress of this page's jobs in the page body too, and why a run failed."""
    for kind in (TRIO_JOB, WHAT_IF_JOB):
        job = jobs.latest_job(state, kind)
        if job is None:
            continue
        job_progress(job, note=_("Each model is saved as soon as it is trained; you can switch pages meanwhile."))
        if job.status == "failed":
            st.error(_("{title}: {error}").format(title=md(job.title), error=md(job.error)), icon="⚠️")
