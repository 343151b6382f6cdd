"""What the workspace stores about a model and a comparison, as typed records.

A model's ``manifest.json`` and a comparison's ``<id>.json`` are read into these
dataclasses, and written from them, only here (``Manifest.from_json``/``to_json``,
``ComparisonRecord.from_json``/``to_json``), so every reader gets attributes instead
of ``dict.get`` chains and a format change is made in one place.

``format_version`` says which layout a file has. Files written before the field
existed are version 0; their keys are the same as version 1's, so they read as
they are. Keys this version does not know (a newer embedlab's, or an algorithm's own
facts such as GloVe's ``nonzeros``) are kept in ``extra`` and written back, so
reading and re-writing a manifest never loses anything.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

#: the manifest and comparison layout this code writes
FORMAT_VERSION = 1


def _known(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass(frozen=True)
class CorpusRef:
    """The corpus a model was trained on, as it was at training time."""

    id: str | None = None
    name: str = ""
    fingerprint: str = ""
    tokenizer: str = ""
    lowercase: bool = True
    n_sentences: int = 0
    n_tokens: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "CorpusRef | None":
        return cls(**_known(cls, data)) if isinstance(data, Mapping) else None


@dataclass(frozen=True)
class SubwordInfo:
    """FastText's n-gram settings, needed to compose vectors for unseen words after a reload."""

    min_n: int
    max_n: int
    bucket: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "SubwordInfo | None":
        if not isinstance(data, Mapping):
            return None
        return cls(int(data["min_n"]), int(data["max_n"]), int(data.get("bucket", 0)))


@dataclass(frozen=True)
class BenchmarkRecord:
    """One stored benchmark score of a model; ``data`` holds the rest of its JSON (method, sections, examples...)."""

    kind: str  # 'analogy' or 'pairs'
    benchmark: str
    score: float | None
    coverage: float | None
    answered: int = 0
    total: int = 0
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sections(self) -> list[Mapping[str, Any]]:
        """An analogy score's per-section results: section, accuracy, correct, answered, total, wrong_examples."""
        return list(self.data.get("sections") or [])

    _TYPED = ("kind", "benchmark", "score", "coverage", "answered", "total")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "BenchmarkRecord":
        return cls(str(data.get("kind", "analogy" if "sections" in data else "pairs")), str(data.get("benchmark", "")),
                   data.get("score"), data.get("coverage"), int(data.get("answered") or 0), int(data.get("total") or 0),
                   {k: v for k, v in data.items() if k not in cls._TYPED})

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "benchmark": self.benchmark, "score": self.score, "coverage": self.coverage,
                "answered": self.answered, "total": self.total, **self.data}


@dataclass(frozen=True)
class Metrics:
    """What was measured on a model after training: benchmark scores by key, and its memory."""

    benchmarks: Mapping[str, BenchmarkRecord] = field(default_factory=dict)
    memory_bytes: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "Metrics":
        data = data if isinstance(data, Mapping) else {}
        benchmarks = {str(k): BenchmarkRecord.from_json(v) for k, v in (data.get("benchmarks") or {}).items()
                      if isinstance(v, Mapping)}
        memory = data.get("memory_bytes")
        return cls(benchmarks, None if memory is None else int(memory),
                   {k: v for k, v in data.items() if k not in ("benchmarks", "memory_bytes")})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        if self.benchmarks:
            out["benchmarks"] = {k: v.to_json() for k, v in self.benchmarks.items()}
        if self.memory_bytes is not None:
            out["memory_bytes"] = self.memory_bytes
        return out

    def with_scores(self, scores: Mapping[str, BenchmarkRecord], memory_bytes: int | None = None) -> "Metrics":
        """These metrics with ``scores`` added or replaced (other scores kept)."""
        return Metrics({**self.benchmarks, **scores}, self.memory_bytes if memory_bytes is None else memory_bytes,
                       self.extra)


@dataclass(frozen=True)
class Manifest:
    """Everything known about a saved model except its vectors.

    ``Workspace.save_model`` fills ``id``, ``created``, ``versions``, ``vocab_size``,
    ``dim``, ``fingerprint`` and ``subword`` from the vectors, so callers set only
    what they know (algorithm, params, corpus, timings...).
    """

    name: str = ""
    algorithm: str = "?"
    id: str = ""
    created: str = ""
    format_version: int = FORMAT_VERSION
    versions: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    corpus: CorpusRef | None = None
    corpus_fingerprint: str | None = None
    timings: Mapping[str, float] = field(default_factory=dict)
    loss: tuple[float, ...] = ()
    words_trained: int = 0
    raw_words: int = 0
    vocab_size: int = 0
    dim: int = 0
    fingerprint: str = ""
    subword: SubwordInfo | None = None
    metrics: Metrics = field(default_factory=Metrics)
    #: imported models: the file, its format and signature (how a second import of it is recognised)
    source: Mapping[str, Any] | None = None
    #: imported ``.npz`` files of ours: the manifest they carried (name, algorithm, params, corpus, metrics)
    original: Mapping[str, Any] | None = None
    #: keys this version does not model (an algorithm's own facts, a newer embedlab's fields), kept verbatim
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float | None:
        """Training time, or loading time for an imported model."""
        value = self.timings.get("total_s", self.timings.get("load_s"))
        return None if value is None else float(value)

    @property
    def origin(self) -> str:
        """The corpus name, or for an imported model the file it came from."""
        if self.corpus is not None and self.corpus.name:
            return self.corpus.name
        return str((self.source or {}).get("file", ""))

    def replace(self, **changes: Any) -> "Manifest":
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Manifest":
        """Read any manifest embedlab ever wrote (version 0 had no ``format_version``)."""
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in names}
        extra = {k: v for k, v in data.items() if k not in names}
        values["format_version"] = int(data.get("format_version", 0))
        values["corpus"] = CorpusRef.from_json(data.get("corpus"))
        values["subword"] = SubwordInfo.from_json(data.get("subword"))
        values["metrics"] = Metrics.from_json(data.get("metrics"))
        values["loss"] = tuple(float(x) for x in data.get("loss") or ())
        for key in ("params", "timings", "versions"):
            values[key] = dict(data.get(key) or {})
        for key in ("vocab_size", "dim", "words_trained", "raw_words"):
            values[key] = int(data.get(key) or 0)
        values["name"] = str(data.get("name") or data.get("id") or "")
        return cls(**values, extra=extra)

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored as ``manifest.json`` (written at the current ``FORMAT_VERSION``)."""
        out: dict[str, Any] = {
            "format_version": FORMAT_VERSION, "id": self.id, "name": self.name, "created": self.created,
            "algorithm": self.algorithm, "versions": dict(self.versions), "params": dict(self.params),
        }
        if self.corpus is not None:
            out["corpus"] = dataclasses.asdict(self.corpus)
        if self.corpus_fingerprint is not None:
            out["corpus_fingerprint"] = self.corpus_fingerprint
        out.update({"timings": dict(self.timings), "loss": list(self.loss), "words_trained": self.words_trained,
                    "raw_words": self.raw_words, "vocab_size": self.vocab_size, "dim": self.dim,
                    "fingerprint": self.fingerprint,
                    "subword": None if self.subword is None else dataclasses.asdict(self.subword)})
        metrics = self.metrics.to_json()
        if metrics:
            out["metrics"] = metrics
        if self.source is not None:
            out["source"] = dict(self.source)
        if self.original is not None:
            out["original"] = dict(self.original)
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out


#: how a comparison came to be: trained together, picked, or one setting changed
COMPARISON_KINDS = ("trio", "set", "what-if")


@dataclass(frozen=True)
class ComparisonRecord:
    """2-3 saved models compared together (ids only), and how they came to be."""

    comparison_id: str
    name: str
    model_ids: tuple[str, ...]
    created: str = ""
    kind: str = "set"  # one of COMPARISON_KINDS
    corpus_id: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "model_ids": list(self.model_ids), "settings": dict(self.settings),
                "format_version": FORMAT_VERSION}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ComparisonRecord":
        values = _known(cls, data)
        return cls(**{**values, "model_ids": tuple(values.get("model_ids", ())),
                      "settings": dict(values.get("settings") or {}),
                      "format_version": int(data.get("format_version", 0))})

    @property
    def what_if_change(self) -> tuple[str, Any, Any] | None:
        """(field, before, after) for a what-if comparison."""
        if self.kind != "what-if":
            return None
        return self.settings.get("field", "?"), self.settings.get("before"), self.settings.get("after")
