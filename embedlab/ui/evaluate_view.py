"""The Evaluate page's sections: choose models and benchmarks, run them in the background, show scores.

Scores are stored in each model's manifest by the job, so the table below is read
from disk: it shows every score a model has ever been given, survives reloads, and
the Compare page's what-if diff reads the same numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from embedlab import benchmark_files as bf
from embedlab import reports, scoring, workflows
from embedlab.i18n import N_, Message, _, format_number, ngettext
from embedlab.progress import CancelToken, ProgressFn, scaled
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.widgets import choice_key, durable, keep
from embedlab.ui.feedback import user_errors
from embedlab.ui.model_access import get_vectors, model_options
from embedlab.ui.state import AppState
from embedlab.viz import compare as figures

JOB_KIND = "evaluate"
BASE_COLUMNS = ("model", "algorithm", "vocabulary", "dimensions", "training time (s)", "memory (MB)")


def default_models(state: AppState, options: dict[str, str]) -> tuple[str, list[str]]:
    """Where the pre-selection comes from, and the models: the comparison last opened or made (else the
    newest), else the active model."""
    saved = state.workspace.list_comparisons()
    by_id = {c.comparison_id: c for c in saved}
    current = by_id.get(state.compare.comparison_id or "") or (saved[0] if saved else None)
    if current is not None:
        ids = [i for i in current.model_ids if i in options]
        if ids:
            return f"comparison:{current.comparison_id}", ids
    active = [state.active_model_id] if state.active_model_id in options else list(options)[:1]
    return f"model:{active[0] if active else ''}", active


def selected_models(state: AppState, options: dict[str, str]) -> list[str]:
    """The models to benchmark: the user's choice, until another comparison (or model) becomes current."""
    source, defaults = default_models(state, options)
    page = state.evaluate
    if page.models is None or page.models_from != source:
        page.models, page.models_from = defaults, source
    page.models = [m for m in page.models if m in options]
    return page.models


def render_setup(state: AppState, options: dict[str, str]) -> None:
    """Model and benchmark choices, uploads, and the Run button."""
    selected_models(state, options)
    # keyed by where the pre-selection came from: a new comparison draws a fresh widget showing its models
    # (a keyed widget would keep, and send back, the browser's copy of the old selection)
    models_key = choice_key("evaluate_models", state.evaluate.models_from)
    if models_key not in st.session_state:
        st.session_state[models_key] = list(state.evaluate.models or [])
    drawn_for = state.evaluate.models_from

    def picked() -> None:
        if state.evaluate.models_from == drawn_for:  # else a stale value replayed by the browser (see state_select)
            state.evaluate.models = list(st.session_state[models_key])

    st.multiselect(_("Models"), list(options), format_func=options.__getitem__, key=models_key, on_change=picked)
    cols = st.columns(3)
    with cols[0]:
        st.markdown(_("**Built-in benchmarks** (bundled with gensim)"))
        chosen = {key: st.checkbox(reports.score_title(entry.label), key=durable(state, f"evaluate_use_{key}", True),
                                   on_change=keep(state, f"evaluate_use_{key}"),
                                   help=_(entry.description))  # benchmark_files marks labels and descriptions
                  for key, entry in bf.BUNDLED.items()}
    with cols[1]:
        st.markdown(_("**Analogy settings**"))
        st.multiselect(_("Methods"), list(scoring.METHODS), format_func=scoring.METHODS.__getitem__,
                       key=durable(state, "evaluate_methods", ["3cosadd"]), on_change=keep(state, "evaluate_methods"),
                       help=_("3CosAdd: the word closest to b − a + c. 3CosMul (Levy & Goldberg): multiplies "
                              "similarities instead of adding them, less dominated by one large term."))
        st.number_input(_("Candidate words (`restrict_vocab`)"), min_value=100, max_value=10_000_000, step=5000,
                        key=durable(state, "evaluate_restrict", scoring.DEFAULT_RESTRICT_VOCAB),
                        on_change=keep(state, "evaluate_restrict"),
                        help=_("Only the most frequent words may be answers; questions using rarer words are skipped "
                               "and lower the coverage. {n} is the usual published setting.").format(
                                   n=format_number(30_000)))
    with cols[2]:
        st.markdown(_("**Your own files**"))
        uploads = [_upload(_("Analogy questions (`a b c d` lines, `: section` headers)"), "evaluate_upload_analogy",
                           "analogy"),
                   _upload(_("Word pairs (`word1<TAB>word2<TAB>score` lines)"), "evaluate_upload_pairs", "pairs")]
    benchmarks = tuple(bf.bundled(key) for key, use in chosen.items() if use) + tuple(b for b in uploads if b is not None)
    selected = state.evaluate.models or []
    methods = tuple(st.session_state["evaluate_methods"]) or ("3cosadd",)
    job = jobs.latest_job(state, JOB_KIND)
    busy = job is not None and job.active
    if st.button(_("Run benchmarks"), type="primary", key="evaluate_run", disabled=busy or not selected or not benchmarks):
        with user_errors():
            request = scoring.BenchmarkRequest(benchmarks, methods, int(st.session_state["evaluate_restrict"]))
            start_evaluation(state, list(selected), request)
            st.rerun()
    if job is not None and job.active:
        st.progress(job.fraction, text=f"{md(job.title)} · {md(jobs.describe(job))}")
    elif job is not None and job.status == "failed":
        st.error(md(job.error), icon="⚠️")


def _upload(label: str, key: str, kind: str) -> bf.Benchmark | None:
    upload = st.file_uploader(label, type=["txt", "tsv", "csv"], key=key,
                              max_upload_size=bf.MAX_UPLOAD_BYTES // 1024**2)
    if upload is None:
        return None
    with user_errors():
        name = upload.name[:60]
        parsed = bf.parse_upload(upload.getvalue(), name, kind)
        if isinstance(parsed, bf.AnalogySet):
            st.caption("✅ " + ngettext("{n} questions in {sections} section", "{n} questions in {sections} sections",
                                         len(parsed.sections)).format(n=format_number(parsed.n_questions),
                                                                      sections=len(parsed.sections)))
        else:
            st.caption("✅ " + _("{n} word pairs").format(n=format_number(len(parsed.pairs))))
        return parsed
    return None


def start_evaluation(state: AppState, model_ids: list[str], request: scoring.BenchmarkRequest) -> jobs.Job:
    """Benchmark each model in turn in the background; scores land in the manifests."""
    workspace = state.workspace

    def work(progress: ProgressFn, cancel: CancelToken) -> list[str]:
        for i, model_id in enumerate(model_ids):
            workflows.evaluate_and_record(workspace, model_id, request, scaled(progress, i / len(model_ids), (i + 1) / len(model_ids)),
                              cancel)
        return model_ids

    title = Message(N_("Benchmarking models ({n})"), n=len(model_ids))  # shown in the reader's language
    return jobs.submit(state, title, work, kind=JOB_KIND)


def render_results(state: AppState, options: dict[str, str]) -> None:
    selected = [m for m in state.evaluate.models or [] if m in options]
    if not selected:
        st.info(_("Choose at least one model."), icon="💡")
        return
    workspace = state.workspace
    manifests = {m: workspace.manifest(m) for m in selected}
    table = reports.summary_table([(manifests[m].name or m, manifests[m]) for m in selected])
    memory = []
    for model_id, value in zip(selected, table["memory (MB)"]):
        if value is None or pd.isna(value):  # not benchmarked yet: measure the loaded arrays
            value = round(scoring.memory_bytes(get_vectors(state, model_id)) / 1024**2, 2)
        memory.append(value)
    table["memory (MB)"] = memory
    scores = [c for c in table.columns if c not in BASE_COLUMNS and not c.endswith(" coverage")]
    st.dataframe(reports.for_display(table), hide_index=True, key="evaluate_table")
    st.download_button(_("Download (CSV)"), data=lambda: table.to_csv(index=False), file_name="benchmarks.csv",
                       mime="text/csv", on_click="ignore", key="evaluate_csv")
    if not scores:
        st.caption(_("No scores yet for these models: run the benchmarks above."))
        return
    # a benchmark none of these models could answer a question of has no score to draw (an empty chart otherwise)
    scores = [c for c in scores if table[c].notna().any()]
    if not scores:
        st.info(_("These models know none of the benchmarks' words (coverage 0%), so there is nothing to score. "
                  "The built-in benchmarks are English: for a model of another language, upload your own "
                  "analogy questions or word pairs above."), icon="💡")
        return
    st.plotly_chart(figures.benchmark_bars(table, scores, score_titles=[reports.score_title(c) for c in scores]),
                    key="evaluate_bars")
    st.caption(_("Coverage is the share of questions or pairs whose words are all in the model's vocabulary "
                 "(and within the candidate words, for analogies); scores are over those only."))
    analogy_keys = reports.analogy_keys(list(manifests.values()))
    if analogy_keys:
        titles = {key: reports.score_title(key) for key in analogy_keys}  # translated now, not in format_func
        key = st.selectbox(_("Analogy sections of"), analogy_keys, key="evaluate_sections_of",
                           format_func=titles.__getitem__)
        sections = reports.section_rows(list(manifests.values()), key)
        if not sections.empty and sections["accuracy"].notna().any():
            title = _("{score}: accuracy per section").format(score=reports.score_title(key))
            st.plotly_chart(figures.section_bars(sections, title=title), key="evaluate_sections")
            with st.expander(_("Some wrong answers")):
                st.dataframe(reports.for_display(reports.wrong_rows(list(manifests.values()), key)), hide_index=True,
                             key="evaluate_wrong")
