"""The Lessons page: pick a lesson, run it in the background, read what this run shows, explore its model.

A lesson's last run is kept in the workspace (``Workspace.save_lesson_result``), so a
reload shows it again; its models are ordinary saved models, made active when the run
ends. Everything a corpus contributes (words, item IDs, titles) is shown as data:
escaped in Markdown and plotly, plain cells in tables.

Every text is made when it is drawn, in the reader's language: a result stores data and
message ids (``LessonResult.finding_texts``), the column keys of its tables stay the
English data keys and are relabelled here, so a run made in English reads in Chinese.
"""

from __future__ import annotations

import math
import re
from typing import Callable

import pandas as pd
import streamlit as st

from embedlab import lessons
from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, Message, _, format_number, format_seconds, render
from embedlab.lessons import architectures, cooccurrence, subwords, window
from embedlab.lessons.base import Lesson, LessonResult
from embedlab.progress import CancelToken, ProgressFn
from embedlab.samples import shown_corpus_name
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.textsafe import md as plain
from embedlab.viz import lessons as figures

CHOICE_KEY = "lesson_choice"
#: the samples a model role names ("Word2Vec · english"), as a reader calls them
SAMPLE_NAMES = {"english": N_("English"), "chinese": N_("Chinese")}
#: table headers: the data keys the results store -> the header shown (English msgids kept as they were)
HEADERS = {
    "rank": N_("rank"), "word": N_("word"), "cosine": N_("cosine"), "architecture": N_("architecture"),
    "train_s": N_("train_s"), "frequent_accuracy": N_("frequent_accuracy"), "rare_accuracy": N_("rare_accuracy"),
    "frequent_questions": N_("frequent_questions"), "rare_questions": N_("rare_questions"), "loss": N_("output layer"),
    "min_count": "min_count", "vocabulary": N_("vocabulary"), "epoch_s": N_("epoch_s"), "item": N_("item"),
    "title": N_("title"), "category": N_("category"), "ranker": N_("ranker"),
}


def job_kind(key: str) -> str:
    return f"lesson-{key}"


def role_text(role: str) -> str:
    """A lesson model's role ('CBOW', 'window 2', 'Word2Vec · english') in the reader's language."""
    match = re.fullmatch(r"window (\d+)", role)
    if match:
        return _(window.ROLE).format(n=match.group(1))
    name, _sep, sample = role.partition(" · ")
    if sample in SAMPLE_NAMES:
        return f"{name} · {_(SAMPLE_NAMES[sample])}"
    return _(role)


def _headed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its data keys replaced by headers in the reader's language."""
    return frame.rename(columns={key: _(label) for key, label in HEADERS.items()})


def _params_label(what: str, result: LessonResult) -> str:
    """The name of a parameter set ('Word2Vec (window {small} and {large}, …)') filled from the result's data."""
    try:
        return render(what, {k: v for k, v in result.data.items() if isinstance(v, (int, float, str))})
    except (KeyError, IndexError, ValueError):
        return what


def render_menu() -> Lesson:
    """The lessons as a numbered list; returns the chosen one (kept across page switches)."""
    titles = {lesson.key: f"{i} · {_(lesson.title)}" for i, lesson in enumerate(lessons.LESSONS, start=1)}
    if st.session_state.get(CHOICE_KEY) not in titles:
        st.session_state[CHOICE_KEY] = lessons.LESSONS[0].key
    key = st.radio(_("Lesson"), list(titles), format_func=titles.__getitem__, key=CHOICE_KEY,
                   label_visibility="collapsed")
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

    # a Message: the sidebar shows the job in the reader's language, whichever language started it
    title = Message(N_("Lesson: {title}"), title=Message(lesson.title))
    return jobs.submit(state, title, work, kind=job_kind(lesson.key), on_done=done)


def render_lesson(state: AppState, lesson: Lesson) -> None:
    """The lesson's question, its run button and progress, then its last result."""
    st.subheader(_(lesson.title))
    st.markdown(f"*{_(lesson.question)}*")
    job = jobs.latest_job(state, job_kind(lesson.key))
    running = job is not None and job.active
    result = lessons.load_result(state.workspace, lesson.key)
    label = _("Run this lesson again") if result else _("Run this lesson")
    if st.button(label, key=f"run_lesson_{lesson.key}", type="primary", disabled=running,
                 help=_("Trains on the built-in sample in the background (about {seconds} on two cores). A new run "
                        "replaces this lesson's earlier models.").format(seconds=format_seconds(lesson.expected_seconds))):
        start(state, lesson)
        st.rerun()
    live_job_progress(state, job_kind(lesson.key), cancel_key=f"cancel_lesson_{lesson.key}")
    if job is not None and job.status == "failed":
        st.error(plain(job.error), icon="⚠️")
    if result is None:
        if not running:
            st.info(_("Not run yet in this workspace. Click the button: the result appears here."), icon="👆")
        return
    _render_result(state, lesson, result)


def _render_result(state: AppState, lesson: Lesson, result: LessonResult) -> None:
    existing = {r.model_id for r in state.workspace.list_models()}
    st.caption(_("Last run: {seconds} on this machine, models saved in the workspace.").format(
        seconds=format_seconds(result.seconds)))
    st.markdown("#### " + _("What this run shows"))
    st.markdown("\n".join(f"- {plain(line)}" for line in result.finding_texts()))
    RENDERERS.get(lesson.key, lambda *_args: None)(state, result)
    for what, params in result.params.items():  # parameter names and values are code: shown as code
        st.caption(f"**{plain(_params_label(what, result))}**: "
                   + " · ".join(f"`{k}={_code(v)}`" for k, v in params.items()))
    with st.expander(_("Exact parameters (table)")):
        for what, params in result.params.items():
            st.markdown(f"**{plain(_params_label(what, result))}**")
            st.dataframe(pd.DataFrame({_("parameter"): list(params), _("value"): [str(v) for v in params.values()]}),
                         hide_index=True, key=f"lesson_params_{lesson.key}_{what}")
    _render_explore(state, lesson, result, existing)


def _code(value: object) -> str:
    """A parameter value inside a Markdown code span (backticks would end it)."""
    return str(value).replace("`", "'")


def _render_explore(state: AppState, lesson: Lesson, result: LessonResult, existing: set[str]) -> None:
    """Buttons that make one of the lesson's models active and open the page to explore it."""
    page, page_label = lesson.explore
    available = [m for m in result.models if m.model_id in existing]
    if not available:
        st.warning(_("This run's models have been deleted: run the lesson again to explore them."), icon="🗑️")
        return
    st.markdown("#### " + _("Explore further on the {page} page").format(page=_(page_label)))
    columns = st.columns(len(available))
    for column, model in zip(columns, available):
        if column.button(f"{role_text(model.role)} → {_(page_label)}", key=f"explore_{lesson.key}_{model.model_id}",
                         help=_("Makes this model the active one and opens the page.")):
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
            st.markdown(_("**{expression} = ?** ({corpus})").format(
                expression=plain(case["expression"]), corpus=plain(shown_corpus_name(case["corpus"]))))
            st.dataframe(_headed(pd.DataFrame(case["answers"])), hide_index=True,
                         key=f"lesson_analogy_{case['sample']}")
            try:
                vectors = state.workspace.load_vectors(case["model_id"])
                solved = solve_text(vectors, case["expression"], k=3)
                st.plotly_chart(parallelogram_figure(parallelogram(vectors, solved), _("The parallelogram")),
                                key=f"lesson_parallelogram_{case['sample']}")
            except EmbedlabError:
                st.caption(_("The model of this run is gone: run the lesson again to see its parallelogram."))


def _architectures(state: AppState, result: LessonResult) -> None:
    rows = result.data["rows"]
    left, right = st.columns(2)
    with left:
        threshold = format_number(result.data["threshold"])
        st.plotly_chart(figures.grouped_bars(
            [_("frequent (> {n})").format(n=threshold), _("rare (≤ {n})").format(n=threshold)],
            {r["architecture"]: [r["frequent_accuracy"], r["rare_accuracy"]] for r in rows},
            _("Analogy accuracy by the rarest word's count"), _("accuracy"), percent=True), key="lesson_arch_quality")
    with right:
        st.plotly_chart(figures.grouped_bars(
            [_("training time")], {r["architecture"]: [r["train_s"]] for r in rows},
            _("Training time ({n} epochs)").format(n=architectures.PARAMS.epochs), _("seconds")),
            key="lesson_arch_time")
    st.dataframe(_headed(pd.DataFrame(rows).drop(columns=["model_id"])), hide_index=True, key="lesson_arch_table")


def _objectives(state: AppState, result: LessonResult) -> None:
    sweep = pd.DataFrame(result.data["sweep"])
    left, right = st.columns(2)
    with left:
        order = [q["loss"] for q in result.data["quality"]]  # the same colour per output layer in both charts
        series = {_(loss): sweep[sweep["loss"] == loss].sort_values("vocabulary")["epoch_s"].tolist()
                  for loss in order}
        vocab = sorted(sweep["vocabulary"].unique())
        st.plotly_chart(figures.sweep_lines(vocab, series, _("Time per epoch as the vocabulary grows"), _("vocabulary"),
                                            _("seconds per epoch")), key="lesson_obj_sweep")
    with right:
        quality = result.data["quality"]
        st.plotly_chart(figures.grouped_bars([_("semantic"), _("syntactic")],
                                             {_(q["loss"]): [q["semantic_accuracy"], q["syntactic_accuracy"]]
                                              for q in quality},
                                             _("Analogy accuracy (full vocabulary)"), _("accuracy"), percent=True),
                        key="lesson_obj_quality")
    shown = sweep.assign(loss=[_(loss) for loss in sweep["loss"]])  # the output layer's name, translated
    st.dataframe(_headed(shown), hide_index=True, key="lesson_obj_table")


def _subwords(state: AppState, result: LessonResult) -> None:
    rows = result.data["rows"]
    table = pd.DataFrame([{
        _("word"): r["word"],
        _("FastText's nearest"): ", ".join(f"{n['word']} ({n['cosine']:.2f})" for n in r["fasttext"][:3])
        or _("no vector"),
        "Word2Vec": subwords.word2vec_answer(r),
        _("n-grams used"): len(r.get("ngrams", [])),
    } for r in rows])
    st.dataframe(table, hide_index=True, key="lesson_subwords_table")
    fasttext_id = next((m.model_id for m in result.models if m.role == "FastText"), None)
    word2vec_id = next((m.model_id for m in result.models if m.role == "Word2Vec"), None)
    word = st.text_input(_("Try another unseen word"), key="lesson_subword_word",
                         placeholder=_("e.g. {word}").format(word="grandfatherly"),
                         help=_("Any word: FastText builds it from its character n-grams; Word2Vec only knows its "
                                "vocabulary."))
    shown = rows[0] if rows else None
    if word.strip() and fasttext_id and word2vec_id:
        try:
            shown = subwords.explain(word.strip(), state.workspace.load_vectors(fasttext_id),
                                     state.workspace.load_vectors(word2vec_id))
        except EmbedlabError as error:
            st.error(plain(error), icon="⚠️")
            return
    if shown is not None:
        st.markdown(f"**{plain(shown['word'])}**: " + (_("in the vocabulary.") if shown["in_vocabulary"] else
                                                       _("not in the vocabulary; FastText composes it from these "
                                                         "n-grams:")))
        st.code(" ".join(shown.get("ngrams", [])) or _("(none)"), language=None)
        if shown["fasttext"]:
            st.dataframe(_headed(pd.DataFrame(shown["fasttext"])), hide_index=True, key="lesson_subword_neighbours")
        st.caption(f"Word2Vec: {plain(subwords.word2vec_answer(shown))}")


@st.cache_resource(max_entries=2, show_spinner=False)  # the caller shows a spinner in the reader's language
def _counts(fingerprint: str, tokens_path: str) -> cooccurrence.CooccurrenceCounts:
    # keyed on the corpus fingerprint: the same tokens always give the same counts (immutable, shared)
    return cooccurrence.count_corpus(tokens_path, cooccurrence.PARAMS)


def _ratio_frame(rows: list[dict], a: str, b: str) -> pd.DataFrame:
    def ratio_text(value: float | str | None) -> str:
        value = cooccurrence.ratio_value(value)
        if value is None:
            return "0/0"
        return "∞" if math.isinf(value) else f"{value:.3g}"

    def magnitude_text(value: str) -> str:
        return _(value) if value == cooccurrence.UNDEFINED else value

    return pd.DataFrame({_("probe word k"): [r["probe"] for r in rows],
                         f"P(k | {a})": [f"{r['P(k|a)']:.2e}" for r in rows],
                         f"P(k | {b})": [f"{r['P(k|b)']:.2e}" for r in rows],
                         _("ratio"): [ratio_text(r["ratio"]) for r in rows],
                         _("order of magnitude"): [magnitude_text(r["magnitude"]) for r in rows]})


def _cooccurrence(state: AppState, result: LessonResult) -> None:
    data = result.data
    st.markdown(_("**P(k | {a}) / P(k | {b})** on the English sample ({words} words, {nonzeros} non-zero "
                  "counts, window {window}, each pair weighted 1/distance as GloVe counts them)").format(
        a=plain(data["a"]), b=plain(data["b"]), words=format_number(data["vocabulary"]),
        nonzeros=format_number(data["nonzeros"]), window=cooccurrence.PARAMS.window))
    st.dataframe(_ratio_frame(data["table"], data["a"], data["b"]), hide_index=True, key="lesson_ratio_table")
    st.plotly_chart(figures.count_heatmap(data["heatmap_words"], data["heatmap"], _("Co-occurrence counts X")),
                    key="lesson_cooc_heatmap")
    st.markdown("**" + _("Your own words") + "**")
    left, middle, right = st.columns([1, 1, 3])
    a = left.text_input(_("Word a"), data["a"], key="lesson_ratio_a")
    b = middle.text_input(_("Word b"), data["b"], key="lesson_ratio_b")
    probes = right.text_input(_("Probe words k (spaces between)"), " ".join(data["probes"]), key="lesson_ratio_probes")
    words = probes.split()
    if (a.strip(), b.strip(), words) == (data["a"], data["b"], data["probes"]) or not words:
        return
    try:
        corpus = state.workspace.load_corpus(result.corpus_id)
        with st.spinner(_("Counting co-occurrences…")):
            counts = _counts(corpus.fingerprint, str(corpus.tokens_path))
        rows = cooccurrence.ratio_table(counts, a.strip(), b.strip(), words)
    except EmbedlabError as error:
        st.error(plain(error), icon="⚠️")
        return
    st.dataframe(_ratio_frame(rows, a.strip(), b.strip()), hide_index=True, key="lesson_ratio_custom")
    shown = [a.strip(), b.strip(), *words]
    st.plotly_chart(figures.count_heatmap(shown, cooccurrence.count_matrix(counts, shown), _("Co-occurrence counts X")),
                    key="lesson_cooc_custom")


def _window(state: AppState, result: LessonResult) -> None:
    data = result.data
    small, large = window.ROLE.format(n=data["small"]), window.ROLE.format(n=data["large"])  # the stored keys
    table = pd.DataFrame([{_("word"): r["word"], role_text(small): ", ".join(r[small]),
                           role_text(large): ", ".join(r[large])} for r in data["neighbours"]])
    st.dataframe(table, hide_index=True, key="lesson_window_table")
    accuracy = data["accuracy"]
    st.plotly_chart(figures.grouped_bars([_("semantic (topic)"), _("syntactic (function)")],
                                         {_(window.ROLE).format(n=r["window"]): [r["semantic_accuracy"],
                                                                                 r["syntactic_accuracy"]]
                                          for r in accuracy}, _("Analogy accuracy by kind of relation"), _("accuracy"),
                                         percent=True), key="lesson_window_quality")
    word = st.text_input(_("Another word's neighbours in both models"), key="lesson_window_word",
                         placeholder=_("e.g. {word}").format(word="children"))
    if word.strip():
        ids = {m.role: m.model_id for m in result.models}
        try:
            rows = {role: window.neighbours(state.workspace.load_vectors(model_id), word.strip())
                    for role, model_id in ids.items()}
        except EmbedlabError as error:
            st.error(plain(error), icon="⚠️")
            return
        if not any(rows.values()):
            st.warning(_("{word} is not in these models' vocabulary.").format(word=plain(word.strip())), icon="🔎")
        else:
            st.dataframe(pd.DataFrame({role_text(role): pd.Series(found) for role, found in rows.items()}),
                         hide_index=True, key="lesson_window_custom")


def _item2vec(state: AppState, result: LessonResult) -> None:
    data = result.data
    ks = data["ks"]
    recall = _("Recall@{k}")
    st.plotly_chart(figures.sweep_lines(ks, {_(s["name"]): [s["hit_rate"][str(k)] for k in ks] for s in data["scores"]},
                                        _("Next-item Recall@K on {n} held-out items").format(
                                            n=format_number(data["cases"])), "K", recall.format(k="K")),
                    key="lesson_item2vec_recall")
    st.dataframe(_headed(pd.DataFrame([{"ranker": _(s["name"]),
                                        **{recall.format(k=k): round(s["hit_rate"][str(k)], 4) for k in ks},
                                        **{f"MRR@{k}": round(s["mrr"][str(k)], 4) for k in ks}}
                                       for s in data["scores"]])),
                 hide_index=True, key="lesson_item2vec_scores")
    for example in data["examples"]:
        title = example.get("title") or ""
        # the title is data in any language: a code span, like the item ID, so it never reads as the interface's text
        shown_title = f" `{_code(title)}`" if title else ""
        st.markdown(f"**{plain(example['item'])}**{shown_title} · *{plain(example.get('category', ''))}*")
        st.dataframe(_headed(pd.DataFrame(example["neighbours"])), hide_index=True,
                     key=f"lesson_item2vec_{example['item']}")


RENDERERS: dict[str, Callable[[AppState, LessonResult], None]] = {
    "analogies": _analogies, "architectures": _architectures, "objectives": _objectives, "subwords": _subwords,
    "cooccurrence": _cooccurrence, "window": _window, "item2vec": _item2vec,
}
