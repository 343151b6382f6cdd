"""Starting the app's long operations as background jobs (shared by several pages).

Job titles are ``Message``s: each reader sees them in their language, and a job's record keeps them neutral.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from embedlab import samples
from embedlab.config import CorpusParams
from embedlab.i18n import N_, Message
from embedlab.progress import CancelToken, ProgressFn, scaled
from embedlab.train.registry import label as algorithm_label
from embedlab.workflows import ensure_sample_corpus, train_and_save
from embedlab.ui import jobs
from embedlab.ui.state import AppState


#: a corpus name in a job title (kept under this name for older imports)
_CorpusName = samples.CorpusName


def _activate_model(state: AppState, job: jobs.Job) -> None:
    state.active_model_id = job.result


def _activate_corpus(state: AppState, job: jobs.Job) -> None:
    state.active_corpus_id = job.result


def start_training(state: AppState, algorithm: str, params: Any, corpus_id: str, name: str | None = None,
                   record_top: int = 0) -> jobs.Job:
    """Train and save one model; it becomes the active model when done.

    ``record_top`` > 0 records the training for the Playback page (that many most frequent words per epoch).
    """
    workspace = state.workspace
    corpus = workspace.load_corpus(corpus_id)
    label = algorithm_label(algorithm)

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        return train_and_save(workspace, algorithm, params, corpus, name or None, progress, cancel,
                              record_top=record_top)

    title = Message(N_("Training {algorithm} on {corpus}"), algorithm=label, corpus=_CorpusName(corpus.name))
    return jobs.submit(state, title, work, kind="train", on_done=_activate_model)


def start_sample_corpus(state: AppState, key: str) -> jobs.Job:
    workspace = state.workspace
    sample = samples.get_sample(key)

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        return ensure_sample_corpus(workspace, key, progress, cancel).corpus_id

    title = Message(N_("Preparing {sample}"), sample=_CorpusName(sample.title))
    return jobs.submit(state, title, work, kind="corpus", on_done=_activate_corpus)


def start_upload_corpus(state: AppState, upload_path: Path, name: str, params: CorpusParams) -> jobs.Job:
    """Tokenise an upload already copied into the workspace; the copy moves into the corpus folder."""
    workspace = state.workspace

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        return workspace.add_corpus(upload_path, name, params, move=True, on_progress=progress, cancel=cancel).corpus_id

    title = Message(N_("Tokenising {name}"), name=name)
    return jobs.submit(state, title, work, kind="corpus", on_done=_activate_corpus)


def try_it_model(state: AppState) -> str | None:
    """The model "Try it" would train, if the workspace has it already (``make run`` trains it): its id.

    Same algorithm, default parameters and the English sample: a second click would only add a duplicate.
    """
    from embedlab.config import Word2VecParams

    title = samples.get_sample("english").title
    wanted = dataclasses.asdict(Word2VecParams())
    for record in state.workspace.list_models():  # newest first
        corpus = record.manifest.corpus
        if (record.algorithm == "word2vec" and corpus is not None and corpus.name == title
                and dict(record.manifest.params) == wanted):
            return record.model_id
    return None


def start_try_it(state: AppState) -> jobs.Job:
    """Home page's one click: the English sample, tokenised if needed, then a default Word2Vec."""
    from embedlab.config import Word2VecParams

    workspace = state.workspace

    def work(progress: ProgressFn, cancel: CancelToken) -> str:
        corpus = ensure_sample_corpus(workspace, "english", scaled(progress, 0.0, 0.1), cancel)
        state_corpus[0] = corpus.corpus_id
        return train_and_save(workspace, "word2vec", Word2VecParams(), corpus, None, scaled(progress, 0.1, 1.0), cancel)

    state_corpus: list[str | None] = [None]

    def done(state: AppState, job: jobs.Job) -> None:
        state.active_model_id = job.result
        state.active_corpus_id = state_corpus[0] or state.active_corpus_id

    title = Message(N_("Try it: Word2Vec on the English sample"))
    return jobs.submit(state, title, work, kind="train", on_done=done)
