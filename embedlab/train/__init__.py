"""Trainers: one module per algorithm, one ``AlgorithmSpec`` each (``registry``), one dispatcher here.

This package trains and returns a ``TrainResult``; it never touches the workspace.
Saving a result is ``embedlab.workflows.train_and_save``. Trainer modules are
imported on first use: gensim and numba take seconds to import and a page that
only lists models should not pay for them.
"""

from __future__ import annotations

from typing import Any

from embedlab.corpus import PreparedCorpus
from embedlab.errors import ParameterError
from embedlab.i18n import N_
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.train.base import TrainResult
from embedlab.train.registry import ALGORITHMS, AlgorithmSpec, label, params_from_dict, spec

__all__ = ["ALGORITHMS", "AlgorithmSpec", "TrainResult", "label", "params_from_dict", "spec", "train"]


def train(
    algorithm: str,
    params: Any,
    corpus: PreparedCorpus,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    recorder: Any = None,
) -> TrainResult:
    """Train ``algorithm`` (a key of ``ALGORITHMS``) with ``params`` on ``corpus``.

    A ``recorder`` (``embedlab.playback.EpochRecorder``) makes the trainer keep snapshots
    of the most frequent words after every epoch; they come back as ``result.snapshots``.
    Only algorithms whose spec says ``records_epochs`` can (Word2Vec, FastText, GloVe).
    """
    algorithm_spec = spec(algorithm)
    if not isinstance(params, algorithm_spec.params_class):
        raise ParameterError(N_("{label} needs {expected}, not {given}."), label=algorithm_spec.label,
                             expected=algorithm_spec.params_class.__name__, given=type(params).__name__)
    params.validate()
    if recorder is None:
        return algorithm_spec.train(params, corpus, on_progress, cancel)
    if not algorithm_spec.records_epochs:
        raise ParameterError(N_("Recording the training is not available for {label}."), label=algorithm_spec.label)
    result = algorithm_spec.train(params, corpus, on_progress, cancel, recorder=recorder)
    result.snapshots = recorder.snapshots()
    result.extra["playback"] = {"words": recorder.n_words, "frames": len(recorder.frames),
                                "record_s": round(recorder.seconds, 4)}
    return result
