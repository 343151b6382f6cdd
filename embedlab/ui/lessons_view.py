"""The Lessons page: pick a lesson, run it in the background, read what this run shows, explore its model.

A lesson's last run is kept in the workspace (``Workspace.save_lesson_result``), so a
reload shows it again; its models are ordinary saved models, made active when the run
ends. Everything a corpus contributes (words, item IDs, titles) is shown as data:
escaped in Markdown and plotly, plain cells in tables.
"""

from __future__ import annotations

import math
from typing import Callable

import pandas as pd
import streamlit as st

from embedlab import lessons
from embedlab.errors import EmbedlabError
from embedlab.lessons import cooccurrence, subwords, window
from embedlab.lessons.base import Lesson, LessonResult
from embedlab.progress import CancelToken, ProgressFn
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.textsafe import md as plain
from embedlab.viz import lessons as figures

CHOICE_KEY = "lesson_choice"


def job_kind(key: str) -> str:
    return f"lesson-{key}"


def render_menu() -> Lesson:
    """The lessons as a numbered list; returns the chosen one (kept across page switches)."""
    titles = {lesson.key: f"{i} · {lesson.title}" for i, lesson in enumerate(lessons.LESSONS, start=1)}
    if st.session_state.get(CHOICE_KEY) not in titles:
        st.session_state[CHOICE_KEY] = lessons.LESSONS[0].key
    key = st.radio("Lesson", list(titles), format_func=titles.__getitem__, key=CHOICE_KEY, label_visibility="collapsed")
    return lessons.get_lesson(key)


def _activate(result: LessonResult) -> Callable[[AppState, jobs.Job], None]:
    def done(state: AppState, job: jobs.Job) -> None:
        if result.primary_model:
            state.active_model_id = result.primary_model
        if result.corpus_id:
            state.active_corpus_id = result.corpus_id
    return done


def start(state: AppState, lesson: Lesson) -> jobs.Job:
    """Run ``lesson`` as a background job; its first model becomes active when it ends."""
    workspace = state.workspace

    def work(progress: ProgressFn, cancel: CancelToken) -> LessonResult:
        return lessons.run_lesson(workspace, lesson.key, progress, cancel)

    def done(state: AppState, job: jobs.Job) -> None:
        _activate(job.result)(state, job)

    return jobs.submit(state, f"Lesson: {lesson.title}", work, kind=job_kind(lesson.key), on_done=done)


def render_lesson(state: AppState, lesson: Lesson) -> None:
    """The lesson's question, its run button and progress, then its last result."""
    st.subheader(lesson.title)
    st.markdown(f"*{lesson.question}*")
    job = jobs.latest_job(state, job_kind(lesson.key))
    running = job is not None and job.active
    result = lessons.load_result(state.workspace, lesson.key)
    label = "Run this lesson again" if result else "Run this lesson"
    if st.button(label, key=f"run_lesson_{lesson.key}", type="primary", disabled=running,
                 help=f"Trains on the built-in sample in the background (about {lesson.expected_seconds} s on two "
                      "cores). A new run replaces this lesson's earlier models."):
        start(state, lesson)
        st.rerun()
    live_job_progress(state, job_kind(lesson.key), cancel_key=f"cancel_lesson_{lesson.key}")
    if job is not None and job.status == "failed":
        st.error(plain(job.error), icon="⚠️")
    if result is None:
        if not running:
            st.info("Not run yet in this workspace. Click the button: the result appears here.", icon="👆")
        return
    _render_result(state, lesson, result)


def _render_result(state: AppState, lesson: Lesson, result: LessonResult) -> None:
    existing = {r.model_id for r in state.workspace.list_models()}
    st.caption(f"Last run: {result.seconds:.1f} s on this machine, models saved in the workspace.")
    st.markdown("#### What this run shows")
    st.markdown("\n".join(f"- {plain(line)}" for line in result.findings))
    RENDERERS.get(lesson.key, lambda *_: None)(state, result)
    for what, params in result.params.items():
        st.caption(f"**{plain(what)}**: " + ", ".join(f"{plain(k)} {plain(v)}" for k, v in params.items()))
    with st.expander("Exact parameters (table)"):
        for what, params in result.params.items():
            st.markdown(f"**{plain(what)}**")
            st.dataframe(pd.DataFrame({"parameter": list(params), "value": [str(v) for v in params.values()]}),
                         hide_index=True, key=f"lesson_params_{lesson.key}_{what}")
    _render_explore(state, lesson, result, existing)


def _render_explore(state: AppState, lesson: Lesson, result: LessonResult, existing: set[str]) -> None:
    """Buttons that make one of the lesson's models active and open the page to explore it."""
    page, page_label = lesson.explore
    available = [m for m in result.models if m.model_id in existing]
    if not available:
        st.warning("This run's models have been deleted: run the lesson again to explore them.", icon="🗑️")
        return
    st.markdown(f"#### Explore further on the {page_label} page")
    columns = st.columns(len(available))
    for column, model in zip(columns, available):
        if column.button(f"{model.role} → {page_label}", key=f"explore_{lesson.key}_{model.model_id}",
                         help="Makes this model the active one and opens the page."):
            state.active_model_id = model.model_id
            if result.corpus_id:
                state.active_corpus_id = result.corpus_id
            st.switch_page(page)


# -- one renderer per lesson ----------------------------------------------------------------------

def _analogies(state: AppState, result: LessonResult) -> None:
    from embedlab.analogy import parallelogram, solve_text
    from embedlab.viz.analogy import parallelogram_figure

    columns = st.columns(len(result.data["cases"]))
    for column, case in zip(columns, result.data["cases"]):
        with column:
            st.markdown(f"**{plain(case['expression'])} = ?** ({plain(case['corpus'])})")
            st.dataframe(pd.DataFrame(case["answers"]), hide_index=True, key=f"lesson_analogy_{case['sample']}")
            try:
                vectors = state.workspace.load_vectors(case["model_id"])
                solved = solve_text(vectors, case["expression"], k=3)
                st.plotly_chart(parallelogram_figure(parallelogram(vectors, solved), "The parallelogram"),
                                key=f"lesson_parallelogram_{case['sample']}")
            except EmbedlabError:
                st.caption("The model of this run is gone: run the lesson again to see its parallelogram.")


def _architectures(state: AppState, result: LessonResult) -> None:
    rows = result.data["rows"]
    left, right = st.columns(2)
    with left:
        st.plotly_chart(figures.grouped_bars(
            [f"frequent (> {result.data['threshold']:,})", f"rare (≤ {result.data['threshold']:,})"],
            {r["architecture"]: [r["frequent_accuracy"], r["rare_accuracy"]] for r in rows},
            "Analogy accuracy by the rarest word's count", "accuracy", percent=True), key="lesson_arch_quality")
    with right:
        st.plotly_chart(figures.grouped_bars(["training time"], {r["architecture"]: [r["train_s"]] for r in rows},
                                             "Training time (5 epochs)", "seconds"), key="lesson_arch_time")
    st.dataframe(pd.DataFrame(rows).drop(columns=["model_id"]), hide_index=True, key="lesson_arch_table")


def _objectives(state: AppState, result: LessonResult) -> None:
    sweep = pd.DataFrame(result.data["sweep"])
    left, right = st.columns(2)
    with left:
        order = [q["loss"] for q in result.data["quality"]]  # the same colour per output layer in both charts
        series = {loss: sweep[sweep["loss"] == loss].sort_values("vocabulary")["epoch_s"].tolist() for loss in order}
        vocab = sorted(sweep["vocabulary"].unique())
        st.plotly_chart(figures.sweep_lines(vocab, series, "Time per epoch as the vocabulary grows", "vocabulary",
                                            "seconds per epoch"), key="lesson_obj_sweep")
    with right:
        quality = result.data["quality"]
        st.plotly_chart(figures.grouped_bars(["semantic", "syntactic"],
                                             {q["loss"]: [q["semantic_accuracy"], q["syntactic_accuracy"]] for q in quality},
                                             "Analogy accuracy (full vocabulary)", "accuracy", percent=True),
                        key="lesson_obj_quality")
    st.dataframe(sweep, hide_index=True, key="lesson_obj_table")


def _subwords(state: AppState, result: LessonResult) -> None:
    rows = result.data["rows"]
    table = pd.DataFrame([{
        "word": r["word"],
        "FastText's nearest": ", ".join(f"{n['word']} ({n['cosine']:.2f})" for n in r["fasttext"][:3]) or "no vector",
        "Word2Vec": r["word2vec"],
        "n-grams used": len(r.get("ngrams", [])),
    } for r in rows])
    st.dataframe(table, hide_index=True, key="lesson_subwords_table")
    fasttext_id = next((m.model_id for m in result.models if m.role == "FastText"), None)
    word2vec_id = next((m.model_id for m in result.models if m.role == "Word2Vec"), None)
    word = st.text_input("Try another unseen word", key="lesson_subword_word", placeholder="e.g. grandfatherly",
                         help="Any word: FastText builds it from its character n-grams; Word2Vec only knows its vocabulary.")
    shown = rows[0] if rows else None
    if word.strip() and fasttext_id and word2vec_id:
        try:
            shown = subwords.explain(word.strip(), state.workspace.load_vectors(fasttext_id),
                                     state.workspace.load_vectors(word2vec_id))
        except EmbedlabError as error:
            st.error(plain(error), icon="⚠️")
            return
    if shown is not None:
        st.markdown(f"**{plain(shown['word'])}**: " + ("in the vocabulary." if shown["in_vocabulary"] else
                                                       "not in the vocabulary; FastText composes it from these n-grams:"))
        st.code(" ".join(shown.get("ngrams", [])) or "(none)", language=None)
        if shown["fasttext"]:
            st.dataframe(pd.DataFrame(shown["fasttext"]), hide_index=True, key="lesson_subword_neighbours")
        st.caption(f"Word2Vec: {plain(shown['word2vec'])}")


@st.cache_resource(max_entries=2, show_spinner="Counting co-occurrences…")
def _counts(fingerprint: str, tokens_path: str) -> cooccurrence.CooccurrenceCounts:
    # keyed on the corpus fingerprint: the same tokens always give the same counts (immutable, shared)
    return cooccurrence.count_corpus(tokens_path, cooccurrence.PARAMS)


def _ratio_frame(rows: list[dict], a: str, b: str) -> pd.DataFrame:
    def ratio_text(value: float | str | None) -> str:
        value = cooccurrence.ratio_value(value)
        if value is None:
            return "0/0"
        return "∞" if math.isinf(value) else f"{value:.3g}"

    return pd.DataFrame({"probe word k": [r["probe"] for r in rows],
                         f"P(k | {a})": [f"{r['P(k|a)']:.2e}" for r in rows],
                         f"P(k | {b})": [f"{r['P(k|b)']:.2e}" for r in rows],
                         "ratio": [ratio_text(r["ratio"]) for r in rows],
                         "order of magnitude": [r["magnitude"] for r in rows]})


def _cooccurrence(state: AppState, result: LessonResult) -> None:
    data = result.data
    st.markdown(f"**P(k | {plain(data['a'])}) / P(k | {plain(data['b'])})** on the English sample "
                f"({data['vocabulary']:,} words, {data['nonzeros']:,} non-zero counts, window "
                f"{cooccurrence.PARAMS.window}, each pair weighted 1/distance as GloVe counts them)")
    st.dataframe(_ratio_frame(data["table"], data["a"], data["b"]), hide_index=True, key="lesson_ratio_table")
    st.plotly_chart(figures.count_heatmap(data["heatmap_words"], data["heatmap"], "Co-occurrence counts X"),
                    key="lesson_cooc_heatmap")
    st.markdown("**Your own words**")
    left, middle, right = st.columns([1, 1, 3])
    a = left.text_input("Word a", data["a"], key="lesson_ratio_a")
    b = middle.text_input("Word b", data["b"], key="lesson_ratio_b")
    probes = right.text_input("Probe words k (spaces between)", " ".join(data["probes"]), key="lesson_ratio_probes")
    words = probes.split()
    if (a.strip(), b.strip(), words) == (data["a"], data["b"], data["probes"]) or not words:
        return
    try:
        corpus = state.workspace.load_corpus(result.corpus_id)
        counts = _counts(corpus.fingerprint, str(corpus.tokens_path))
        rows = cooccurrence.ratio_table(counts, a.strip(), b.strip(), words)
    except EmbedlabError as error:
        st.error(plain(error), icon="⚠️")
        return
    st.dataframe(_ratio_frame(rows, a.strip(), b.strip()), hide_index=True, key="lesson_ratio_custom")
    shown = [a.strip(), b.strip(), *words]
    st.plotly_chart(figures.count_heatmap(shown, cooccurrence.count_matrix(counts, shown), "Co-occurrence counts X"),
                    key="lesson_cooc_custom")


def _window(state: AppState, result: LessonResult) -> None:
    data = result.data
    small, large = f"window {data['small']}", f"window {data['large']}"
    table = pd.DataFrame([{"word": r["word"], small: ", ".join(r[small]), large: ", ".join(r[large])}
                          for r in data["neighbours"]])
    st.dataframe(table, hide_index=True, key="lesson_window_table")
    accuracy = data["accuracy"]
    st.plotly_chart(figures.grouped_bars(["semantic (topic)", "syntactic (function)"],
                                         {f"window {r['window']}": [r["semantic_accuracy"], r["syntactic_accuracy"]]
                                          for r in accuracy}, "Analogy accuracy by kind of relation", "accuracy",
                                         percent=True), key="lesson_window_quality")
    word = st.text_input("Another word's neighbours in both models", key="lesson_window_word",
                         placeholder="e.g. children")
    if word.strip():
        ids = {m.role: m.model_id for m in result.models}
        try:
            rows = {role: window.neighbours(state.workspace.load_vectors(model_id), word.strip())
                    for role, model_id in ids.items()}
        except EmbedlabError as error:
            st.error(plain(error), icon="⚠️")
            return
        if not any(rows.values()):
            st.warning(f"{plain(word.strip())} is not in these models' vocabulary.", icon="🔎")
        else:
            st.dataframe(pd.DataFrame({role: pd.Series(found) for role, found in rows.items()}), hide_index=True,
                         key="lesson_window_custom")


def _item2vec(state: AppState, result: LessonResult) -> None:
    data = result.data
    ks = data["ks"]
    st.plotly_chart(figures.sweep_lines(ks, {s["name"]: [s["hit_rate"][str(k)] for k in ks] for s in data["scores"]},
                                        f"Next-item Recall@K on {data['cases']:,} held-out items", "K", "Recall@K"),
                    key="lesson_item2vec_recall")
    st.dataframe(pd.DataFrame([{"ranker": s["name"], **{f"Recall@{k}": round(s["hit_rate"][str(k)], 4) for k in ks},
                                **{f"MRR@{k}": round(s["mrr"][str(k)], 4) for k in ks}} for s in data["scores"]]),
                 hide_index=True, key="lesson_item2vec_scores")
    for example in data["examples"]:
        title = example.get("title") or ""
        st.markdown(f"**{plain(example['item'])}** {plain(title)} · *{plain(example.get('category', ''))}*")
        st.dataframe(pd.DataFrame(example["neighbours"]), hide_index=True,
                     key=f"lesson_item2vec_{example['item']}")


RENDERERS: dict[str, Callable[[AppState, LessonResult], None]] = {
    "analogies": _analogies, "architectures": _architectures, "objectives": _objectives, "subwords": _subwords,
    "cooccurrence": _cooccurrence, "window": _window, "item2vec": _item2vec,
}
