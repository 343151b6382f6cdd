"""Compare page, What if tab: retrain one model with one setting changed, benchmark both, compare."""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from embedlab import reports, workflows
from embedlab.i18n import N_, Message, _
from embedlab.progress import CancelToken, ProgressFn
from embedlab.records import ComparisonRecord, Manifest
from embedlab.textsafe import md
from embedlab.train.registry import ALGORITHMS
from embedlab.ui import jobs
from embedlab.ui.compare.picker import TRIO_JOB, WHAT_IF_JOB, show_new_comparison
from embedlab.ui.feedback import user_errors
from embedlab.ui.model_access import distinct, model_label
from embedlab.ui.state import AppState
from embedlab.ui.widgets import durable, keep
from embedlab.workspace import ModelRecord


OTHER_SETTING = N_("another setting…")


def change_label(algorithm: str, field_name: str, before: Any, after: Any) -> str:
    """One setting's change as a reader reads it: 'Window: 5 → 2' (the forms' label and choice labels)."""
    return _("{setting}: {before} → {after}").format(
        setting=reports.setting_label(algorithm, field_name),
        before=reports.setting_value(algorithm, field_name, before),
        after=reports.setting_value(algorithm, field_name, after))


def render_what_if(state: AppState, chosen: ComparisonRecord, manifests: list[Manifest]) -> None:
    if chosen.kind == "what-if" and len(manifests) == 2:
        field, before, after = chosen.what_if_change  # type: ignore[misc]
        change = change_label(manifests[1].algorithm, field, before, after)
        st.markdown(_("**{change}**. The other tabs compare the two models; the scores:").format(change=md(change)))
        diff = reports.score_diff(*manifests)
        if diff.empty:
            st.caption(_("No benchmark scores stored for both models yet; run them on the Evaluate page."))
        else:
            diff["benchmark"] = [reports.score_title(key) for key in diff["benchmark"]]
            st.dataframe(reports.for_display(diff), hide_index=True, key="compare_whatif_diff")
        st.divider()

    trained = [(i, m) for i, m in zip(chosen.model_ids, manifests) if workflows.retrainable(m)]
    if not trained:
        st.caption(_("None of these models was trained in embedlab, so none can be retrained."))
        return
    labels = distinct({i: model_label(ModelRecord(i, m)) for i, m in trained})  # same-named models told apart
    base_key = durable(state, "compare_whatif_base", trained[0][0])
    if st.session_state[base_key] not in labels:
        st.session_state[base_key] = trained[0][0]
    st.selectbox(_("Retrain"), list(labels), format_func=labels.__getitem__, key=base_key,
                 on_change=keep(state, base_key))
    base_id = st.session_state[base_key]
    manifest = dict(trained)[base_id]
    presets = workflows.what_if_presets(manifest.algorithm, manifest.params)
    busy = any(job.active for job in jobs.session_jobs(state) if job.kind in (TRIO_JOB, WHAT_IF_JOB))
    # the choice is outside the form, so the free fields show only for 'another setting…'
    shown = {p.label: change_label(manifest.algorithm, p.field, manifest.params.get(p.field), p.value) for p in presets}
    shown[OTHER_SETTING] = _(OTHER_SETTING)
    # the options are the presets' labels (language-neutral ids); a label the page no longer offers shows as it is
    choice = st.radio(_("Change one setting"), list(shown), key="compare_whatif_choice", horizontal=True,
                      format_func=lambda option: shown.get(option, option))
    cls = ALGORITHMS[manifest.algorithm].params_class
    custom_field, custom_value = "", ""
    with st.form("compare_whatif_form"):
        if choice == OTHER_SETTING:
            fields = {f.name: reports.setting_label(manifest.algorithm, f.name)
                      for f in dataclasses.fields(cls) if f.name not in ("workers",)}
            custom_field = st.selectbox(_("Setting"), list(fields), key="compare_whatif_field",
                                        format_func=fields.__getitem__)
            custom_value = st.text_input(_("New value"), key="compare_whatif_value",
                                         help=_("e.g. 15, 0.05 or skipgram."))
        submitted = st.form_submit_button(_("Retrain and compare"), type="primary", disabled=busy)
    st.caption(_("The new model is trained on the same corpus with everything else unchanged, then both are "
                 "benchmarked; the comparison opens when it is done."))
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

    # the setting's name as code: a Message keeps plain parameters, and the code name reads the same in every language
    title = Message(N_("What if {setting} = {value}?"), setting=field_name, value=value)
    return jobs.submit(state, title, work, kind=WHAT_IF_JOB, on_done=show_new_comparison)
