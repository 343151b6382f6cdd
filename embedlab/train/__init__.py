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
) -> TrainResult:
    """Train ``algorithm`` (a key of ``ALGORITHMS``) with ``params`` on ``corpus``."""
    algorithm_spec = spec(algorithm)
    if not isinstance(params, algorithm_spec.params_class):
        raise ParameterError(f"{algorithm_spec.label} needs {algorithm_spec.params_class.__name__}, "
                             f"not {type(params).__name__}.")
    params.validate()
    return algorithm_spec.train(params, corpus, on_progress, cancel)
