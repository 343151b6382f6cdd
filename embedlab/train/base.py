"""The contract every trainer keeps, and what it hands back.

Each algorithm module exposes ``train(params, corpus, on_progress, cancel) ->
TrainResult``: parameters are a frozen dataclass, progress is reported at least
once an epoch, a cancel is honoured within one epoch (raising ``Cancelled``), and
the result carries everything a manifest needs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from embedlab.records import Manifest
from embedlab.vectors import WordVectors


@dataclass
class TrainResult:
    vectors: WordVectors
    algorithm: str
    params: Any
    corpus_fingerprint: str
    timings: dict[str, float]
    loss: list[float] = field(default_factory=list)
    words_trained: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: every token read from the corpus over all epochs, before down-sampling and the min_count
    #: filter; equal to the corpus's tokens x epochs when no data was skipped (0: not reported)
    raw_words: int = 0
    #: per-epoch snapshots of the most frequent words (``embedlab.playback.Snapshots``) when recorded
    snapshots: Any = None
    #: arrays saved beside the vectors, by group: (arrays, JSON-ready facts); e.g. Doc2Vec's inference weights
    arrays: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    #: a table saying what each vector is (CSV bytes, source label): documents' labels, nodes' communities
    category_table: tuple[bytes, str] | None = None

    def manifest(self) -> Manifest:
        """What the training run knows of the model's manifest (the store and workflow add the rest)."""
        return Manifest(
            algorithm=self.algorithm,
            params=dataclasses.asdict(self.params),
            corpus_fingerprint=self.corpus_fingerprint,
            timings={k: round(float(v), 4) for k, v in self.timings.items()},
            loss=tuple(float(x) for x in self.loss),
            words_trained=int(self.words_trained),
            raw_words=int(self.raw_words),
            extra=dict(self.extra),
        )
