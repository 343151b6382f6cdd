"""Recommend page: Item2Vec scored as a recommender against two baselines, and "users who bought X" lists."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embedlab import workflows
from embedlab.categories import Categories
from embedlab.config import Word2VecParams
from embedlab.errors import CorpusNotFoundError, EmbedlabError
from embedlab.progress import CancelToken, ProgressFn, scaled
from embedlab.recommend import CooccurrenceRanker, EmbeddingRanker
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.viz.beyond import recommendation_bars
from embedlab.workspace import ModelRecord

JOB_KIND = "recommend"


def render_scores(state: AppState, record: ModelRecord) -> None:
    """The stored scores of this model, a button to (re)score it, and the honest-training shortcut."""
    st.markdown(
        "**How it is scored.** The last item of every session is held out; the item just before it is the query. "
        "A recommender scores a hit when the held-out item is among its first K suggestions: **HitRate@K** "
        "(= Recall@K with one held-out item) and **MRR@K** (1/rank of the held-out item, 0 beyond K). The "
        "baselines: the **most popular** items, and the items that shared the most sessions with the query "
        "(**co-occurrence count**).")
    busy = any(job.active and job.kind == JOB_KIND for job in jobs.session_jobs(state))
    cols = st.columns(2)
    if cols[0].button("Score this model", type="primary", disabled=busy, key="recommend_score"):
        model_id = record.model_id
        workspace = state.workspace

        def work(progress: ProgressFn, cancel: CancelToken) -> str:
            workflows.recommend_and_record(workspace, model_id, (5, 10, 20), progress, cancel)
            return model_id

        jobs.submit(state, f"Scoring {record.name} as a recommender", work, kind=JOB_KIND)
        st.rerun()
    if cols[1].button("Train Item2Vec on the sessions without their last items", disabled=busy,
                      key="recommend_honest", help="The honest protocol: the model never sees the held-out items."):
        start_honest_training(state, record)
        st.rerun()
    live_job_progress(state, JOB_KIND, cancel_key="cancel_recommend")
    report = workflows.stored_recommendation(state.workspace.manifest(record.model_id))
    if report is None:
        st.info("Not scored yet: click **Score this model**.", icon="💡")
        return
    if report.leaky:
        st.warning("This model was trained on the whole sessions, held-out items included, so its scores are "
                   "flattering. Train on the sessions without their last items for an honest score.", icon="⚠️")
    rows = report.rows()
    st.caption(f"Held-out items from **{md(report.corpus_name)}**: {report.scores[0].n_cases:,} sessions.")
    metric = st.radio("Metric", ["HitRate", "MRR"], horizontal=True, key="recommend_metric")
    st.plotly_chart(recommendation_bars(rows, metric), key="recommend_bars")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def start_honest_training(state: AppState, record: ModelRecord) -> jobs.Job:
    """Hold out the last items of the model's sessions corpus, train skip-gram Item2Vec on the rest, score it."""
    workspace = state.workspace
    manifest = workspace.manifest(record.model_id)
    corpus = workspace.load_corpus(manifest.corpus.id) if manifest.corpus is not None and manifest.corpus.id else None
    params = Word2VecParams(architecture="skipgram", min_count=1, epochs=10, window=5)

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        if corpus is None:
            raise EmbedlabError("This model has no sessions corpus in the workspace.")
        held = workflows.holdout_corpus(workspace, corpus, scaled(progress, 0.0, 0.1), cancel)
        model_id = workflows.train_and_save(workspace, "word2vec", params, held, f"Item2Vec · {held.name}",
                                            scaled(progress, 0.1, 0.9), cancel)
        workflows.recommend_and_record(workspace, model_id, (5, 10, 20), scaled(progress, 0.9, 1.0), cancel)
        return model_id

    def done(state: AppState, job: jobs.Job) -> None:
        state.active_model_id = job.result

    return jobs.submit(state, "Item2Vec on the sessions without their last items", work, kind=JOB_KIND, on_done=done)


@st.cache_resource(max_entries=4, show_spinner=False)
def _cooccurrence(corpus_fingerprint: str, _corpus) -> CooccurrenceRanker:  # noqa: ANN001
    # counted once per corpus content; read-only afterwards
    split, _ = workflows.split_for_corpus(_corpus)
    return CooccurrenceRanker(split.train)


def render_also_bought(state: AppState, record: ModelRecord, vectors, categories: Categories | None) -> None:  # noqa: ANN001
    """'Users who bought X also bought': the model's nearest items beside the co-occurrence counts."""
    st.subheader("Users who bought … also bought")
    items = list(vectors.words[:2000])
    if categories is not None and categories.titles:
        label = lambda item: f"{item} · {categories.titles.get(item, '')}"  # noqa: E731 - plain text in a selectbox
    else:
        label = str
    item = st.selectbox("Item", items, format_func=label, key="recommend_item")
    if item is None:
        return
    k = st.slider("How many", 3, 30, 10, key="recommend_k")
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
        data = {"rank": list(range(1, len(names) + 1)), "item": names}
        if categories is not None:
            data.update(categories.annotations(names))
        if sims:
            data["cosine"] = [round(vectors.similarity(item, n), 4) for n in names]
        data["sessions together"] = [together.get(n, 0) for n in names]
        return pd.DataFrame(data)

    cols = st.columns(2)
    cols[0].markdown(f"**{md(record.name)}** (nearest vectors)")
    cols[0].dataframe(table(found, True), hide_index=True, width="stretch")
    cols[1].markdown("**Co-occurrence count** (bought in the same session)")
    if by_count:
        cols[1].dataframe(table(by_count, False), hide_index=True, width="stretch")
    else:
        cols[1].caption("The model's corpus is not in the workspace any more.")


def render_side_by_side(state: AppState, model_ids: list[str]) -> None:
    """The stored recommendation scores of several models in one table, baselines once per sessions corpus
    (for Compare)."""
    rows, baselines_shown = [], set()
    for model_id in model_ids:
        manifest = state.workspace.manifest(model_id)
        report = workflows.stored_recommendation(manifest)
        if report is None:
            continue
        model_row, *baseline_rows = report.rows()
        rows.append({**model_row, "ranker": manifest.name, "sessions": report.corpus_name, "honest": not report.leaky})
        if report.corpus_name not in baselines_shown:
            baselines_shown.add(report.corpus_name)
            rows += [{**row, "sessions": report.corpus_name, "honest": True} for row in baseline_rows]
    if rows:
        st.markdown("**As recommenders** (the last item of each session held out; scored on the Recommend page)")
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
