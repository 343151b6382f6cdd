"""Trainers: one module per algorithm, one ``train`` entry each, one dispatcher here.

Trainer modules are imported on first use: gensim and numba take seconds to import
and a page that only lists models should not pay for them.
"""

from __future__ import annotations

import importlib
from typing import Any

from embedlab.config import ALGORITHM_LABELS, ALGORITHMS
from embedlab.corpus import PreparedCorpus
from embedlab.errors import ParameterError
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.train.base import TrainResult
from embedlab.workspace import Workspace

__all__ = ["TrainResult", "train", "save_result", "train_and_save"]


def train(
    algorithm: str,
    params: Any,
    corpus: PreparedCorpus,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> TrainResult:
    """Train ``algorithm`` ('word2vec', 'fasttext' or 'glove') with ``params`` on ``corpus``."""
    if algorithm not in ALGORITHMS:
        raise ParameterError(f"Unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}.")
    if not isinstance(params, ALGORITHMS[algorithm]):
        raise ParameterError(f"{ALGORITHM_LABELS[algorithm]} needs {ALGORITHMS[algorithm].__name__}, not {type(params).__name__}.")
    params.validate()
    module = importlib.import_module(f"embedlab.train.{algorithm}")
    return module.train(params, corpus, on_progress, cancel)


def save_result(workspace: Workspace, result: TrainResult, corpus: PreparedCorpus, name: str | None = None) -> str:
    """Store a trained model with its manifest; returns the model id."""
    label = ALGORITHM_LABELS[result.algorithm]
    manifest = {
        **result.manifest(),
        "name": name or f"{label} · {corpus.name}",
        "corpus": {"id": corpus.corpus_id, "name": corpus.name, "fingerprint": corpus.fingerprint,
                   "tokenizer": corpus.tokenizer, "lowercase": corpus.lowercase,
                   "n_sentences": corpus.n_sentences, "n_tokens": corpus.n_tokens},
    }
    return workspace.save_model(result.vectors, manifest)


def train_and_save(
    workspace: Workspace,
    algorithm: str,
    params: Any,
    corpus: PreparedCorpus,
    name: str | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> str:
    """Train and store in one step (what the app's jobs and the CLI do)."""
    result = train(algorithm, params, corpus, on_progress, cancel)
    return save_result(workspace, result, corpus, name)
