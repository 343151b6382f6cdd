"""Workflows: the steps a user asks for, composed from the maths, the trainers and the store.

This is the one layer that knows all three: pure maths (``search``, ``analogy``,
``agreement``, ``projection``, ``scoring``...) takes vectors and returns values; the
store (``embedlab.workspace.Workspace``) owns every file; trainers
(``embedlab.train``) return results without saving them. The app's background
jobs and the CLI both call these functions, so the CLI can do what the app does:

* ``train_and_save``: train one algorithm and store the model;
* ``evaluate_and_record``: run benchmarks and store the scores in the manifest;
* ``train_trio``: two or three algorithms on one corpus, saved as a comparison;
* ``what_if``: retrain a model with one setting changed, benchmark both, compare;
* ``project_cached``: a map layout, from the store's cache when it was made before;
* ``ensure_sample_corpus`` / ``corpus_from_file``: a corpus, tokenised only once.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from embedlab.config import CorpusParams, ProjectionParams, Word2VecParams, params_to_dict
from embedlab.corpus import PreparedCorpus
from embedlab.errors import CorpusNotFoundError, EmbedlabError, ParameterError
from embedlab.progress import CancelToken, ProgressFn, check, no_progress, scaled
from embedlab.projection import Projection, project
from embedlab.records import BenchmarkRecord, ComparisonRecord, CorpusRef, Manifest
from embedlab.scoring import BenchmarkRequest, Score, default_request, memory_bytes, run_benchmarks, score_key
from embedlab.train.registry import ALGORITHMS, corpus_algorithms, label as algorithm_label, params_from_dict, spec
from embedlab.vectors import WordVectors
from embedlab.workspace import MAX_COMPARED, MIN_COMPARED, Workspace

if typing.TYPE_CHECKING:
    from embedlab.train.base import TrainResult


# -- corpora ------------------------------------------------------------------------------------

def ensure_sample_corpus(workspace: Workspace, key: str, on_progress: ProgressFn = no_progress,
                         cancel: CancelToken | None = None) -> PreparedCorpus:
    """A built-in sample's prepared corpus, tokenising it only the first time."""
    from embedlab.samples import get_sample

    sample = get_sample(key)
    for corpus in workspace.list_corpora():
        if corpus.name == sample.title and corpus.tokenizer == sample.params.tokenizer:
            return corpus
    return workspace.add_corpus(sample.path, sample.title, sample.params, on_progress=on_progress, cancel=cancel)


def corpus_from_file(workspace: Workspace, path: Path, params: CorpusParams = CorpusParams(),
                     on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> PreparedCorpus:
    """The corpus made earlier from this file with these options, else a new one (the file stays in place)."""
    path = Path(path)
    existing = workspace.find_corpus(path, params)
    if existing is not None:
        on_progress(1, 1, f"{path.name} was tokenised before: using corpus {existing.corpus_id}")
        return existing
    return workspace.add_corpus(path, path.name, params, on_progress=on_progress, cancel=cancel)


# -- train and save -----------------------------------------------------------------------------

def save_result(workspace: Workspace, result: "TrainResult", corpus: PreparedCorpus, name: str | None = None) -> str:
    """Store a trained model with its manifest; returns the model id."""
    manifest = result.manifest().replace(
        name=name or f"{algorithm_label(result.algorithm)} · {corpus.name}",
        corpus=CorpusRef(corpus.corpus_id, corpus.name, corpus.fingerprint, corpus.tokenizer, corpus.lowercase,
                         corpus.n_sentences, corpus.n_tokens))
    model_id = workspace.save_model(result.vectors, manifest)
    if result.snapshots is not None:
        workspace.save_snapshots(model_id, result.snapshots.to_arrays())
    return model_id


def train_and_save(
    workspace: Workspace,
    algorithm: str,
    params: Any,
    corpus: PreparedCorpus,
    name: str | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    record_top: int = 0,
) -> str:
    """Train and store in one step (what the app's jobs and the CLI do); returns the model id.

    ``record_top`` > 0 records the training for playback: that many most frequent words'
    vectors after every epoch, saved beside the model (and deleted with it).
    """
    from embedlab.playback import EpochRecorder
    from embedlab.train import train  # gensim and numba are imported only when training starts

    recorder = EpochRecorder(record_top) if record_top > 0 else None
    result = train(algorithm, params, corpus, on_progress, cancel, recorder=recorder)
    return save_result(workspace, result, corpus, name)


# -- evaluate and record ------------------------------------------------------------------------

def score_records(scores: Sequence[Score]) -> dict[str, BenchmarkRecord]:
    """Scores as the records a manifest stores, by ``score_key``."""
    return {score_key(score): BenchmarkRecord.from_json(score.to_json()) for score in scores}


def evaluate_and_record(
    workspace: Workspace,
    model_id: str,
    request: BenchmarkRequest,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> list[Score]:
    """Benchmark a saved model and store the scores (and its memory) in its manifest, other scores kept."""
    vectors = workspace.load_vectors(model_id)
    scores = run_benchmarks(vectors, request, on_progress, cancel)
    metrics = workspace.manifest(model_id).metrics.with_scores(score_records(scores), memory_bytes(vectors))
    workspace.update_manifest(model_id, metrics=metrics)
    return scores


# -- one click, two or three algorithms -------------------------------------------------------

#: the settings a one-click comparison shares between the algorithms
SHARED_FIELDS = ("vector_size", "window", "min_count", "epochs", "seed", "workers")
_W2V_FIELDS = {f.name: f for f in dataclasses.fields(Word2VecParams)}


def _like(name: str, default: Any) -> Any:
    """A field with Word2VecParams' label, help and bounds, so forms and validation read the same."""
    return field(default=default, metadata=_W2V_FIELDS[name].metadata)


@dataclass(frozen=True)
class SharedSettings:
    """Settings every algorithm of a comparison takes the same value of."""

    vector_size: int = _like("vector_size", 100)
    window: int = _like("window", 5)
    min_count: int = _like("min_count", 5)
    epochs: int = _like("epochs", 5)
    seed: int = _like("seed", 1)
    workers: int = _like("workers", 2)


def trio_params(shared: SharedSettings = SharedSettings(), own: Mapping[str, Mapping[str, Any]] | None = None,
                algorithms: Sequence[str] | None = None) -> dict[str, Any]:
    """Each algorithm's params: the shared settings, overridden by that algorithm's ``own`` values.

    ``own['glove'] = {'epochs': 15, 'window': 10}`` gives GloVe its usual longer run
    and wider window while the others keep the shared ones. Shared settings an
    algorithm does not have are left out for it.
    """
    own = own or {}
    unknown = set(own) - set(ALGORITHMS)
    if unknown:
        raise ParameterError(f"Unknown algorithm(s) {', '.join(sorted(unknown))}.")
    result = {}
    for algorithm in algorithms if algorithms is not None else tuple(corpus_algorithms()):
        values = {**dataclasses.asdict(shared), **{k: v for k, v in own.get(algorithm, {}).items() if v is not None}}
        result[algorithm] = params_from_dict(algorithm, values)  # validates bounds with readable messages
    return result


def train_trio(
    workspace: Workspace,
    corpus: PreparedCorpus,
    params: Mapping[str, Any],
    name: str = "",
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ComparisonRecord:
    """Train each algorithm in ``params`` on ``corpus``, save each model, then the comparison.

    Each model is saved as soon as it is trained, so a cancel during the third run
    keeps the first two (the comparison itself is saved only when all are done). The
    progress bar is shared out by each algorithm's ``AlgorithmSpec.cost``.
    """
    if not MIN_COMPARED <= len(params) <= MAX_COMPARED:
        raise EmbedlabError(f"Compare {MIN_COMPARED} or {MAX_COMPARED} algorithms; {len(params)} given.")
    costs = {algorithm: spec(algorithm).cost for algorithm in params}
    total = sum(costs.values())
    done = 0.0
    model_ids = []
    for algorithm, algorithm_params in params.items():
        check(cancel)
        share = costs[algorithm] / total
        report = scaled(on_progress, done, done + share)
        model_ids.append(train_and_save(workspace, algorithm, algorithm_params, corpus,
                                        f"{algorithm_label(algorithm)} · {corpus.name}" + (f" · {name}" if name else ""),
                                        report, cancel))
        done += share
    settings = {algorithm: params_to_dict(p) for algorithm, p in params.items()}
    title = name or f"{' vs '.join(algorithm_label(a) for a in params)} · {corpus.name}"
    return workspace.save_comparison(model_ids, title, kind="trio", corpus_id=corpus.corpus_id, settings=settings)


# -- what if one setting were different? -------------------------------------------------------

@dataclass(frozen=True)
class WhatIf:
    """A one-setting change offered as a button: label, field and the new value."""

    label: str
    field: str
    value: Any


def retrainable(manifest: Manifest) -> bool:
    """Whether a model was trained here (known algorithm, stored params), so it can be retrained."""
    return manifest.algorithm in ALGORITHMS and bool(manifest.params)


def what_if_presets(algorithm: str, params: Mapping[str, Any]) -> list[WhatIf]:
    """The classic experiments for this model: window 2 or 10, SG ↔ CBOW, NS ↔ HS, dimensions ×2."""
    presets = []
    window = params.get("window")
    if window is not None:
        presets.append(WhatIf(f"window {window} → {2 if window != 2 else 10}", "window", 2 if window != 2 else 10))
        if window not in (2, 10):
            presets.append(WhatIf(f"window {window} → 10", "window", 10))
    if "architecture" in params:
        other = "cbow" if params["architecture"] == "skipgram" else "skipgram"
        presets.append(WhatIf(f"{params['architecture']} → {other}", "architecture", other))
    if params.get("loss") == "negative":
        presets.append(WhatIf("negative sampling → hierarchical softmax", "loss", "hierarchical"))
    elif params.get("loss") == "hierarchical":
        presets.append(WhatIf("hierarchical softmax → negative sampling", "loss", "negative"))
    if "vector_size" in params and params["vector_size"] * 2 <= 1000:
        presets.append(WhatIf(f"dimensions {params['vector_size']} → {params['vector_size'] * 2}", "vector_size",
                              params["vector_size"] * 2))
    if algorithm == "glove" and "x_max" in params:
        presets.append(WhatIf(f"x_max {params['x_max']:g} → {10 if params['x_max'] != 10 else 100}", "x_max",
                              10.0 if params["x_max"] != 10 else 100.0))
    return presets


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def parse_setting(params_class: type, name: str, text: str) -> Any:
    """A typed value for field ``name`` of a params dataclass from a user's text, or a clear error."""
    hints = typing.get_type_hints(params_class)
    if name not in hints:
        raise ParameterError(f"There is no setting {name!r}.")
    hint = hints[name]
    text = text.strip()
    if not text:
        raise EmbedlabError("Type the new value for the setting.")
    try:
        if hint is bool:
            lowered = text.lower()
            if lowered in _TRUE or lowered in _FALSE:
                return lowered in _TRUE
            raise ValueError(text)
        if hint is int or hint == (int | None):
            return int(text)
        if hint is float:
            return float(text)
    except ValueError:
        expected = {bool: " (yes or no)", int: " (a whole number)", float: " (a number)"}.get(
            int if hint == (int | None) else hint, "")
        raise EmbedlabError(f"{text!r} is not a valid value for {name}{expected}.") from None
    return text


def what_if_params(manifest: Manifest, field_name: str, value: Any) -> Any:
    """The base model's parameters with one field changed (validated)."""
    if not retrainable(manifest):
        raise EmbedlabError("This model was loaded from a file, not trained here, so it cannot be retrained. "
                            "Pick a model trained in embedlab.")
    algorithm_spec = spec(manifest.algorithm)
    names = {f.name for f in dataclasses.fields(algorithm_spec.params_class)}
    if field_name not in names:
        raise ParameterError(f"{algorithm_spec.label} has no setting {field_name!r}.")
    base = params_from_dict(manifest.algorithm, manifest.params)
    if getattr(base, field_name) == value:
        raise ParameterError(f"{field_name} is already {value!r} in this model: choose a different value.")
    return params_from_dict(manifest.algorithm, {**params_to_dict(base), field_name: value})


def train_what_if(
    workspace: Workspace,
    base_model_id: str,
    field_name: str,
    value: Any,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ComparisonRecord:
    """Retrain ``base_model_id`` on its own corpus with one setting changed; save both as a what-if comparison."""
    manifest = workspace.manifest(base_model_id)
    params = what_if_params(manifest, field_name, value)
    corpus_id = manifest.corpus.id if manifest.corpus is not None else None
    if not corpus_id:
        raise EmbedlabError("This model does not record which corpus it was trained on, so it cannot be retrained.")
    try:
        corpus = workspace.load_corpus(corpus_id)
    except CorpusNotFoundError:
        raise EmbedlabError("The corpus this model was trained on has been deleted, so it cannot be retrained. "
                            "Add the corpus again and train a new model.") from None
    if corpus.fingerprint != (manifest.corpus_fingerprint or corpus.fingerprint):
        raise EmbedlabError("The corpus has changed since this model was trained; a what-if would not be a fair comparison.")
    before = manifest.params.get(field_name)
    base_name = manifest.name or base_model_id
    new_model = train_and_save(workspace, manifest.algorithm, params, corpus,
                               f"{base_name} · {field_name}={value}", on_progress, cancel)
    return workspace.save_comparison([base_model_id, new_model], f"What if {field_name} = {value}? ({base_name})",
                                     kind="what-if", corpus_id=corpus_id,
                                     settings={"field": field_name, "before": before, "after": value,
                                               "base": base_model_id})


def what_if(
    workspace: Workspace,
    base_model_id: str,
    field_name: str,
    value: Any,
    request: BenchmarkRequest | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ComparisonRecord:
    """Retrain with one setting changed, then benchmark both models (``default_request()`` unless given).

    Training takes the first 85% of the progress bar, each model's benchmarks half the rest.
    """
    made = train_what_if(workspace, base_model_id, field_name, value, scaled(on_progress, 0, 0.85), cancel)
    request = request or default_request()
    for i, model_id in enumerate(made.model_ids):
        evaluate_and_record(workspace, model_id, request,
                            scaled(on_progress, 0.85 + 0.075 * i, 0.925 + 0.075 * i), cancel)
    return made


# -- maps ---------------------------------------------------------------------------------------

def project_cached(workspace: Workspace, vectors: WordVectors, params: ProjectionParams,
                   on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Projection:
    """``projection.project``, served from and saved to the store's cache (PCA is not worth caching)."""
    if params.method != "pca":
        cached = workspace.load_projection(vectors, params)
        if cached is not None:
            return cached
    result = project(vectors, params, on_progress, cancel)
    if params.method != "pca":
        workspace.save_projection(vectors, result)
    return result
