"""Recommend page: Item2Vec scored as a recommender against two baselines, and "users who bought X" lists."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embedlab import workflows
from embedlab.categories import Categories
from embedlab.config import Word2VecParams
from embedlab.errors import CorpusNotFoundError, EmbedlabError
from embedlab.i18n import N_, _, format_number
from embedlab.progress import CancelToken, ProgressFn, scaled
from embedlab.recommend import CooccurrenceRanker, EmbeddingRanker
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.ui.model_access import shown_name
from embedlab.viz.beyond import recommendation_bars
from embedlab.workspace import ModelRecord

JOB_KIND = "recommend"

#: the baselines' names as the library stores them with a model's scores (``recommend.PopularityRanker.name``,
#: ``CooccurrenceRanker.name``): data in a manifest, named in the session's language when shown
BASELINE_NAMES: tuple[str, ...] = (N_("most popular"), N_("co-occurrence count"))
#: the metrics' names in the score table's columns ("HitRate@10"); MRR reads the same in every language
METRIC_NAMES: dict[str, str] = {"HitRate": N_("HitRate"), "MRR": "MRR"}
#: the score table's other columns (``recommend.RankerScore.row``) and the Compare table's own
SCORE_COLUMNS: dict[str, str] = {"ranker": N_("ranker"), "cases": N_("cases"), "coverage": N_("coverage"),
                                 "sessions": N_("sessions"), "honest": N_("honest")}
#: the columns the item lists take from the items table (``Categories.annotations``) when it is the shipped one
ITEM_COLUMNS: tuple[str, ...] = (N_("title"), N_("category"))


def ranker_label(name: str, baseline: bool) -> str:
    """A ranker's name to show: a baseline's in the session's language, a model's as the user named it."""
    return _(name) if baseline and name in BASELINE_NAMES else name


def metric_label(metric: str) -> str:
    return _(METRIC_NAMES.get(metric, metric))


def score_header(column: str) -> str:
    """A score table column as the reader sees it: "HitRate@10" -> "命中率@10" in Chinese."""
    if "@" in column:
        metric, k = column.split("@", 1)
        return f"{metric_label(metric)}@{k}"
    return _(SCORE_COLUMNS[column]) if column in SCORE_COLUMNS else column


def display_scores(rows: list[dict]) -> list[dict]:
    """A report's rows (the model's first, then its baselines) with the baselines named for the reader."""
    return [{**row, "ranker": ranker_label(str(row["ranker"]), i > 0)} for i, row in enumerate(rows)]


def score_table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    return table.rename(columns={c: score_header(c) for c in table.columns})


def render_scores(state: AppState, record: ModelRecord) -> None:
    """The stored scores of this model, a button to (re)score it, and the honest-training shortcut."""
    st.markdown(_(
        "**How it is scored.** The last item of every session is held out; the item just before it is the query. "
        "A recommender scores a hit when the held-out item is among its first K suggestions: **HitRate@K** "
        "(= Recall@K with one held-out item) and **MRR@K** (1/rank of the held-out item, 0 beyond K). The "
        "baselines: the **most popular** items, and the items that shared the most sessions with the query "
        "(**co-occurrence count**)."))
    busy = any(job.active and job.kind == JOB_KIND for job in jobs.session_jobs(state))
    cols = st.columns(2)
    if cols[0].button(_("Score this model"), type="primary", disabled=busy, key="recommend_score"):
        model_id = record.model_id
        workspace = state.workspace

        def work(progress: ProgressFn, cancel: CancelToken) -> str:
            workflows.recommend_and_record(workspace, model_id, (5, 10, 20), progress, cancel)
            return model_id

        jobs.submit(state, _("Scoring {name} as a recommender").format(name=record.name), work, kind=JOB_KIND)
        st.rerun()
    if cols[1].button(_("Train Item2Vec on the sessions without their last items"), disabled=busy,
                      key="recommend_honest", help=_("The honest protocol: the model never sees the held-out items.")):
        start_honest_training(state, record)
        st.rerun()
    live_job_progress(state, JOB_KIND, cancel_key="cancel_recommend")
    report = workflows.stored_recommendation(state.workspace.manifest(record.model_id))
    if report is None:
        st.info(_("Not scored yet: click **Score this model**."), icon="💡")
        return
    if report.leaky:
        st.warning(_("This model was trained on the whole sessions, held-out items included, so its scores are "
                     "flattering. Train on the sessions without their last items for an honest score."), icon="⚠️")
    rows = display_scores(report.rows())
    st.caption(_("Held-out items from **{name}**: {n} sessions.").format(
        name=md(report.corpus_name), n=format_number(report.scores[0].n_cases)))
    metric = st.radio(_("Metric"), list(METRIC_NAMES), horizontal=True, key="recommend_metric",
                      format_func=metric_label)
    st.plotly_chart(recommendation_bars(rows, metric, metric_label(metric)), key="recommend_bars")
    st.dataframe(score_table(rows), hide_index=True, width="stretch")


def start_honest_training(state: AppState, record: ModelRecord) -> jobs.Job:
    """Hold out the last items of the model's sessions corpus, train skip-gram Item2Vec on the rest, score it."""
    workspace = state.workspace
    manifest = workspace.manifest(record.model_id)
    corpus = workspace.load_corpus(manifest.corpus.id) if manifest.corpus is not None and manifest.corpus.id else None
    params = Word2VecParams(architecture="skipgram", min_count=1, epochs=10, window=5)

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        if corpus is None:
            raise EmbedlabError(N_("This model has no sessions corpus in the workspace."))
        held = workflows.holdout_corpus(workspace, corpus, scaled(progress, 0.0, 0.1), cancel)
        model_id = workflows.train_and_save(workspace, "word2vec", params, held, f"Item2Vec · {held.name}",
                                            scaled(progress, 0.1, 0.9), cancel)
        workflows.recommend_and_record(workspace, model_id, (5, 10, 20), scaled(progress, 0.9, 1.0), cancel)
        return model_id

    def done(state: AppState, job: jobs.Job) -> None:
        state.active_model_id = job.result

    return jobs.submit(state, _("Item2Vec on the sessions without their last items"), work, kind=JOB_KIND,
                       on_done=done)


@st.cache_resource(max_entries=4, show_spinner=False)
def _cooccurrence(corpus_fingerprint: str, _corpus) -> CooccurrenceRanker:  # noqa: ANN001
    # counted once per corpus content; read-only afterwards
    split, _leaky = workflows.split_for_corpus(_corpus)
    return CooccurrenceRanker(split.train)


def render_also_bought(state: AppState, record: ModelRecord, vectors, categories: Categories | None) -> None:  # noqa: ANN001
    """'Users who bought X also bought': the model's nearest items beside the co-occurrence counts."""
    st.subheader(_("Users who bought … also bought"))
    items = list(vectors.words[:2000])
    if categories is not None and categories.titles:
        label = lambda item: f"{item} · {categories.titles.get(item, '')}"  # noqa: E731 - plain text in a selectbox
    else:
        label = str
    item = st.selectbox(_("Item"), items, format_func=label, key="recommend_item")
    if item is None:
        return
    k = st.slider(_("How many"), 3, 30, 10, key="recommend_k")
    found = EmbeddingRanker(vectors).recommend([item], k)[0]
    manifest = state.workspace.manifest(record.model_id)
    together: dict[str, int] = {}
    by_count: list[str] = []
    if manifest.corpus is not None and manifest.corpus.id:
        try:
            corpus = state.workspace.load_corpus(manifest.corpus.id)
            ranker = _cooccurrence(corpus.fingerprint, corpus)
            together = ranker.counts(item)
            by_count = ranker.recommend([item], k)[0]
        except CorpusNotFoundError:
            pass

    def table(names: list[str], sims: bool) -> pd.DataFrame:
        data = {_("rank"): list(range(1, len(names) + 1)), _("item"): names}
        if categories is not None:  # the shipped items table's column names are translated, a user's kept
            data.update({_(c) if c in ITEM_COLUMNS else c: v for c, v in categories.annotations(names).items()})
        if sims:
            data[_("cosine")] = [round(vectors.similarity(item, n), 4) for n in names]
        data[_("sessions together")] = [together.get(n, 0) for n in names]
        return pd.DataFrame(data)

    cols = st.columns(2)
    cols[0].markdown(_("**{name}** (nearest vectors)").format(name=md(shown_name(record))))
    cols[0].dataframe(table(found, True), hide_index=True, width="stretch")
    cols[1].markdown(_("**Co-occurrence count** (bought in the same session)"))
    if by_count:
        cols[1].dataframe(table(by_count, False), hide_index=True, width="stretch")
    else:
        cols[1].caption(_("The model's corpus is not in the workspace any more."))


def render_side_by_side(state: AppState, model_ids: list[str]) -> None:
    """The stored recommendation scores of several models in one table, baselines once per sessions corpus
    (for Compare)."""
    rows, baselines_shown = [], set()
    for model_id in model_ids:
        manifest = state.workspace.manifest(model_id)
        report = workflows.stored_recommendation(manifest)
        if report is None:
            continue
        model_row, *baseline_rows = display_scores(report.rows())
        rows.append({**model_row, "ranker": manifest.name, "sessions": report.corpus_name, "honest": not report.leaky})
        if report.corpus_name not in baselines_shown:
            baselines_shown.add(report.corpus_name)
            rows += [{**row, "sessions": report.corpus_name, "honest": True} for row in baseline_rows]
    if rows:
        st.markdown(_("**As recommenders** (the last item of each session held out; scored on the Recommend page)"))
        st.dataframe(score_table(rows), hide_index=True, width="stretch")
