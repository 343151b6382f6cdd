"""Comparison sets: which saved models are compared, and the training runs that make them.

A comparison set is a small JSON file in ``workspace.root / "comparisons"`` naming
2-3 saved models. It is written atomically as soon as the models exist, so a
reload or a restart finds the comparison again. Three ways make one:

* ``train_trio``: Word2Vec, FastText and GloVe on one corpus with shared settings;
* ``save_comparison``: any 2-3 saved models the user picks;
* ``train_what_if``: a model retrained with one setting changed, beside the original.

The set stores only ids: vectors and scores stay in each model's own folder and
manifest, so deleting a model never leaves a stale copy here (the set just
reports the model as missing).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from embedlab.config import ALGORITHM_LABELS, ALGORITHMS, Word2VecParams, params_from_dict, params_to_dict
from embedlab.corpus import PreparedCorpus
from embedlab.errors import EmbedlabError, ModelNotFoundError, ParameterError
from embedlab.progress import CancelToken, ProgressFn, check, no_progress, scaled
from embedlab.workspace import Workspace, atomic_write_text, new_id, now_iso

DIRECTORY = "comparisons"
MIN_MODELS, MAX_MODELS = 2, 3
#: the settings a one-click comparison shares between the three algorithms
SHARED_FIELDS = ("vector_size", "window", "min_count", "epochs", "seed", "workers")
#: rough relative training cost, so the progress bar moves evenly across the three runs
COST = {"word2vec": 1.0, "fasttext": 2.0, "glove": 2.0}
#: ids are made by ``new_id``; anything else (e.g. '../x' from a crafted state) is refused
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class ComparisonSet:
    """Saved models compared together (ids only), and how they came to be."""

    comparison_id: str
    name: str
    model_ids: tuple[str, ...]
    created: str = ""
    kind: str = "set"  # 'trio' (trained together), 'set' (picked), 'what-if' (one setting changed)
    corpus_id: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "model_ids": list(self.model_ids)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ComparisonSet":
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        return cls(**{**values, "model_ids": tuple(values.get("model_ids", ()))})

    @property
    def what_if_change(self) -> tuple[str, Any, Any] | None:
        """(field, before, after) for a what-if set."""
        if self.kind != "what-if":
            return None
        return self.settings.get("field", "?"), self.settings.get("before"), self.settings.get("after")


def _dir(workspace: Workspace) -> Path:
    path = workspace.root / DIRECTORY
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(workspace: Workspace, comparison_id: str) -> Path:
    if not _ID.match(comparison_id):
        raise ModelNotFoundError(f"{comparison_id!r} is not a valid comparison id.")
    return _dir(workspace) / f"{comparison_id}.json"


def save_comparison(workspace: Workspace, model_ids: Sequence[str], name: str = "", *, kind: str = "set",
                    corpus_id: str | None = None, settings: Mapping[str, Any] | None = None) -> ComparisonSet:
    """Record 2-3 existing, distinct models as a comparison; returns the saved set."""
    ids = list(dict.fromkeys(model_ids))
    if not MIN_MODELS <= len(ids) <= MAX_MODELS:
        raise EmbedlabError(f"A comparison needs {MIN_MODELS} or {MAX_MODELS} different models; {len(ids)} chosen.")
    names = [workspace.manifest(model_id).get("name", model_id) for model_id in ids]  # raises if one is gone
    comparison = ComparisonSet(new_id("cmp"), (name.strip() or " vs ".join(names))[:200], tuple(ids), now_iso(),
                               kind, corpus_id, dict(settings or {}))
    atomic_write_text(_path(workspace, comparison.comparison_id),
                      json.dumps(comparison.to_json(), ensure_ascii=False, indent=1))
    return comparison


def list_comparisons(workspace: Workspace) -> list[ComparisonSet]:
    """Every saved comparison, newest first; unreadable files are skipped, not fatal."""
    found = []
    for path in _dir(workspace).glob("*.json"):
        if path.name.startswith("."):
            continue
        try:
            comparison = ComparisonSet.from_json(json.loads(path.read_text(encoding="utf-8")))
            found.append(((comparison.created, path.stat().st_mtime_ns), comparison))
        except (OSError, ValueError, TypeError):
            continue
    # 'created' has one-second resolution; the file's write time orders sets made within a second
    return [comparison for _, comparison in sorted(found, key=lambda pair: pair[0], reverse=True)]


def load_comparison(workspace: Workspace, comparison_id: str) -> ComparisonSet:
    path = _path(workspace, comparison_id)
    if not path.exists():
        raise ModelNotFoundError(f"Comparison {comparison_id!r} is not in the workspace (was it deleted?).")
    return ComparisonSet.from_json(json.loads(path.read_text(encoding="utf-8")))


def delete_comparison(workspace: Workspace, comparison_id: str) -> None:
    """Forget a comparison (its models stay)."""
    _path(workspace, comparison_id).unlink(missing_ok=True)


def missing_models(workspace: Workspace, comparison: ComparisonSet) -> list[str]:
    """Ids of models in the set that have since been deleted."""
    known = {record.model_id for record in workspace.list_models()}
    return [model_id for model_id in comparison.model_ids if model_id not in known]


def column_names(manifests: Sequence[Mapping[str, Any]], comparison: ComparisonSet | None = None) -> list[str]:
    """Short, distinct column titles: the algorithms when they differ, else the models' names.

    A what-if set is titled 'before' / 'after: window = 10' so the change is always in view.
    """
    if comparison is not None and comparison.what_if_change is not None and len(manifests) == 2:
        name, _, after = comparison.what_if_change
        return ["before", f"after: {name} = {after}"]
    algorithms = [ALGORITHM_LABELS.get(m.get("algorithm", ""), m.get("algorithm", "?")) for m in manifests]
    if len(set(algorithms)) == len(algorithms):
        return algorithms
    return [str(m.get("name", m.get("id", f"model {i + 1}")))[:40] for i, m in enumerate(manifests)]


# -- one click, three algorithms --------------------------------------------------------

def _like(name: str, default: Any) -> Any:
    """A field with Word2VecParams' label, help and bounds, so forms and validation read the same."""
    return field(default=default, metadata=_W2V_FIELDS[name].metadata)


_W2V_FIELDS = {f.name: f for f in dataclasses.fields(Word2VecParams)}


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
                algorithms: Sequence[str] = tuple(ALGORITHMS)) -> dict[str, Any]:
    """Each algorithm's params: the shared settings, overridden by that algorithm's ``own`` values.

    ``own['glove'] = {'epochs': 15, 'window': 10}`` gives GloVe its usual longer run
    and wider window while the other two keep the shared ones.
    """
    own = own or {}
    unknown = set(own) - set(ALGORITHMS)
    if unknown:
        raise ParameterError(f"Unknown algorithm(s) {', '.join(sorted(unknown))}.")
    result = {}
    for algorithm in algorithms:
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
) -> ComparisonSet:
    """Train each algorithm in ``params`` on ``corpus``, save each model, then the comparison.

    Each model is saved as soon as it is trained, so a cancel during the third run
    keeps the first two (the comparison itself is saved only when all are done).
    """
    if not MIN_MODELS <= len(params) <= MAX_MODELS:
        raise EmbedlabError(f"Compare {MIN_MODELS} or {MAX_MODELS} algorithms; {len(params)} given.")
    from embedlab.train import train_and_save  # gensim is imported only when training starts

    total = sum(COST.get(a, 1.0) for a in params)
    done = 0.0
    model_ids = []
    for algorithm, algorithm_params in params.items():
        check(cancel)
        share = COST.get(algorithm, 1.0) / total
        label = ALGORITHM_LABELS[algorithm]
        report = scaled(on_progress, done, done + share)
        model_ids.append(train_and_save(workspace, algorithm, algorithm_params, corpus,
                                        f"{label} · {corpus.name}" + (f" · {name}" if name else ""), report, cancel))
        done += share
    settings = {algorithm: params_to_dict(p) for algorithm, p in params.items()}
    title = name or f"{' vs '.join(ALGORITHM_LABELS[a] for a in params)} · {corpus.name}"
    return save_comparison(workspace, model_ids, title, kind="trio", corpus_id=corpus.corpus_id, settings=settings)


# -- what if one setting were different? -------------------------------------------------

@dataclass(frozen=True)
class WhatIf:
    """A one-setting change offered as a button: label, field and how to derive the new value."""

    label: str
    field: str
    value: Any


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


def what_if_params(manifest: Mapping[str, Any], field_name: str, value: Any) -> Any:
    """The base model's parameters with one field changed (validated)."""
    algorithm = manifest.get("algorithm")
    if algorithm not in ALGORITHMS or not isinstance(manifest.get("params"), Mapping):
        raise EmbedlabError("This model was loaded from a file, not trained here, so it cannot be retrained. "
                            "Pick a model trained in embedlab.")
    cls = ALGORITHMS[algorithm]
    names = {f.name for f in dataclasses.fields(cls)}
    if field_name not in names:
        raise ParameterError(f"{ALGORITHM_LABELS[algorithm]} has no setting {field_name!r}.")
    base = params_from_dict(algorithm, manifest["params"])
    if getattr(base, field_name) == value:
        raise ParameterError(f"{field_name} is already {value!r} in this model: choose a different value.")
    return params_from_dict(algorithm, {**params_to_dict(base), field_name: value})


def train_what_if(
    workspace: Workspace,
    base_model_id: str,
    field_name: str,
    value: Any,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ComparisonSet:
    """Retrain ``base_model_id`` on its own corpus with one setting changed; save both as a what-if set."""
    manifest = workspace.manifest(base_model_id)
    params = what_if_params(manifest, field_name, value)
    corpus_id = (manifest.get("corpus") or {}).get("id")
    if not corpus_id:
        raise EmbedlabError("This model does not record which corpus it was trained on, so it cannot be retrained.")
    try:
        corpus = workspace.load_corpus(corpus_id)
    except ModelNotFoundError:
        raise EmbedlabError("The corpus this model was trained on has been deleted, so it cannot be retrained. "
                            "Add the corpus again and train a new model.") from None
    if corpus.fingerprint != manifest.get("corpus_fingerprint", corpus.fingerprint):
        raise EmbedlabError("The corpus has changed since this model was trained; a what-if would not be a fair comparison.")
    from embedlab.train import train_and_save

    before = (manifest.get("params") or {}).get(field_name)
    base_name = manifest.get("name", base_model_id)
    new_model = train_and_save(workspace, manifest["algorithm"], params, corpus,
                               f"{base_name} · {field_name}={value}", on_progress, cancel)
    return save_comparison(workspace, [base_model_id, new_model], f"What if {field_name} = {value}? ({base_name})",
                           kind="what-if", corpus_id=corpus_id,
                           settings={"field": field_name, "before": before, "after": value, "base": base_model_id})
