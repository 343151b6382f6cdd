"""The Playback page: how a model's space formed, epoch by epoch, from the snapshots recorded while it trained.

Snapshots exist only for models trained with "Record the training" (Train page) or
``--record-epochs`` (CLI); the page offers a one-click recorded run on the English
sample when there is none. The animation runs in the browser (plotly frames).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embedlab import playback
from embedlab.config import Word2VecParams
from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, Message, _, format_number, format_percent, format_seconds, pgettext
from embedlab.progress import CancelToken, ProgressFn, scaled
from embedlab.textsafe import md
from embedlab.ui import jobs
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.ui.model_access import shown_name
from embedlab.viz.playback import epoch_animation
from embedlab.viz.training import loss_figure

MODEL_KEY = "playback_model"
WORD_KEY = "playback_word"
JOB_KIND = "record"
#: the one-click demonstration: enough epochs to watch, small enough to take seconds
DEMO_PARAMS = Word2VecParams(architecture="skipgram", epochs=10, seed=1, workers=2)
NEIGHBOURS = 5
#: the neighbours table's columns (English msgids, shown translated)
EPOCH_COLUMN, NEAREST_COLUMN, SHARED_COLUMN = N_("epoch"), N_("nearest words"), N_("shared with the last epoch")


@st.cache_data(max_entries=4, show_spinner=False)
def _maps(model_id: str, fingerprint: str, _arrays: dict) -> tuple:
    # keyed on the model id and its fingerprint; the arrays themselves are not hashed
    snapshots = playback.Snapshots.from_arrays(_arrays)
    return playback.epoch_maps(snapshots)


def recorded_models(state: AppState) -> dict[str, str]:
    """Models with a recorded training: id -> name, newest first."""
    workspace = state.workspace
    return {r.model_id: shown_name(r) for r in workspace.list_models() if workspace.has_snapshots(r.model_id)}


def start_demo(state: AppState) -> jobs.Job:
    """Record a skip-gram run on the English sample (the one-click start when nothing is recorded yet)."""
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    workspace = state.workspace
    # a model's name: written once, in the language of the session that records it
    name = _("Word2Vec skip-gram · English sample · recorded")

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        corpus = ensure_sample_corpus(workspace, "english", scaled(progress, 0, 0.1), cancel)
        return train_and_save(workspace, "word2vec", DEMO_PARAMS, corpus, name, scaled(progress, 0.1, 1.0), cancel,
                              record_top=playback.DEFAULT_TOP_N)

    def done(state: AppState, job: jobs.Job) -> None:
        state.active_model_id = job.result
        st.session_state[MODEL_KEY] = job.result

    return jobs.submit(state, Message(N_("Recording Word2Vec on the English sample")), work, kind=JOB_KIND, on_done=done)


def render_picker(state: AppState) -> str | None:
    """The recorded model to replay (the active model when it was recorded); None when there is none."""
    models = recorded_models(state)
    job = jobs.latest_job(state, JOB_KIND)
    live_job_progress(state, JOB_KIND)
    if not models:
        st.info(_("No model in this workspace was recorded while training. Tick **Record the training** on the Train "
                  "page (or run `python -m embedlab train word2vec --corpus english --record-epochs`), or record a "
                  "demonstration run now."), icon="🎬")
        st.button(_("Record Word2Vec on the English sample ({epochs} epochs, about {duration})").format(
                      epochs=format_number(DEMO_PARAMS.epochs), duration=format_seconds(15)),
                  type="primary", key="playback_demo",
                  disabled=job is not None and job.active, on_click=start_demo, args=(state,))
        return None
    if st.session_state.get(MODEL_KEY) not in models:
        st.session_state[MODEL_KEY] = state.active_model_id if state.active_model_id in models else next(iter(models))
    return st.selectbox(_("Recorded model"), list(models), format_func=models.__getitem__, key=MODEL_KEY,
                        help=_("Only models trained with the training recorded are listed."))


#: words followed first when recorded (the classic example in English and in Chinese)
FIRST_WORDS = ("king", "国王")


def default_word(snapshots: playback.Snapshots) -> str:
    recorded = set(snapshots.words)
    return next((w for w in FIRST_WORDS if w in recorded),
                next((w for w in snapshots.words if len(w) >= 4), snapshots.words[0]))


def render_playback(state: AppState, model_id: str) -> None:
    workspace = state.workspace
    arrays = workspace.load_snapshots(model_id)
    if arrays is None:
        st.error(_("This model's recording is gone."), icon="⚠️")
        return
    snapshots = playback.Snapshots.from_arrays(arrays)
    manifest = workspace.manifest(model_id)
    recorded = manifest.extra.get("playback", {})
    st.caption(_("{words} most frequent words recorded, {frames} frames (the start and {epochs} epochs), {size} MB "
                 "on disk; recording took {recording} of {training} of training.").format(
                   words=format_number(len(snapshots.words)), frames=format_number(len(snapshots)),
                   epochs=format_number(len(snapshots) - 1), size=format_number(snapshots.nbytes / 1024**2, 1),
                   recording=format_seconds(float(recorded.get("record_s", 0))),
                   training=format_seconds(float(manifest.timings.get("train_s", 0)))))
    if not st.session_state.get(WORD_KEY, "").strip():
        st.session_state[WORD_KEY] = default_word(snapshots)
    word = st.text_input(_("Follow a word"), key=WORD_KEY,
                         help=_("Its dot is highlighted on the map, with its nearest neighbours at each epoch."),
                         ).strip()
    try:
        by_epoch = playback.neighbours_by_epoch(snapshots, word, NEIGHBOURS)
    except EmbedlabError as error:
        st.warning(md(error), icon="🔎")
        by_epoch = None
    with st.spinner(_("Aligning the epochs…")):
        coords, explained = _maps(model_id, manifest.fingerprint, arrays)
    names = [[w for w, _ in found] for found in by_epoch] if by_epoch else None
    st.plotly_chart(epoch_animation(coords, snapshots.words, snapshots.epochs.tolist(), explained,
                                    followed=word if by_epoch else None, neighbours=names), key="playback_map")
    st.caption(_("Press ▶ Play or drag the slider. The first frame is the random start; words of one kind gather as "
                 "the epochs pass. Each epoch is rotated onto the next (orthogonal Procrustes) and all are drawn in "
                 "the last epoch's two principal axes, so what moves is what training changed."))
    left, right = st.columns([3, 2])
    with left:
        if by_epoch:
            settled = playback.neighbour_overlap(by_epoch)
            separator = pgettext("list separator", ", ")
            st.markdown(_("**Neighbours of {word}**, epoch by epoch (among the recorded words)").format(word=md(word)))
            st.dataframe(pd.DataFrame({
                _(EPOCH_COLUMN): [pgettext("first frame", "start") if e == 0 else str(e)
                                  for e in snapshots.epochs.tolist()],
                _(NEAREST_COLUMN): [separator.join(f"{w} ({format_number(s, 2)})" for w, s in found)
                                    for found in by_epoch],
                _(SHARED_COLUMN): [format_percent(x) for x in settled],
            }), hide_index=True, key="playback_neighbours", height=min(38 + 35 * len(by_epoch), 600))
    with right:
        if manifest.loss:
            st.plotly_chart(loss_figure(list(manifest.loss)), key="playback_loss")
        else:
            st.caption(_("This algorithm reports no training loss (gensim's FastText does not)."))
