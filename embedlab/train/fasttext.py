"""FastText through gensim, keeping the n-gram vectors so unseen words get vectors after a reload."""

from __future__ import annotations

import numpy as np
from gensim.models import FastText

from embedlab.config import FastTextParams
from embedlab.corpus import PreparedCorpus
from embedlab.playback import EpochRecorder
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.subword import SubwordModel
from embedlab.train.base import TrainResult
from embedlab.train.gensim_common import common_kwargs, run_gensim, vocabulary_counts
from embedlab.vectors import WordVectors


def composed_rows(model: FastText, n: int) -> np.ndarray:
    """The ``n`` most frequent words' full vectors as gensim's ``adjust_vectors`` composes them after training:
    the word's own vector plus its n-grams', averaged. During training ``wv.vectors`` is stale, so the
    recorder composes just the rows it keeps instead of the whole vocabulary."""
    wv = model.wv
    rows = np.array(wv.vectors_vocab[:n], dtype=np.float32)
    if wv.bucket:
        for i in range(len(rows)):
            buckets = wv.buckets_word[i]
            if len(buckets):
                rows[i] += wv.vectors_ngrams[buckets].sum(axis=0)
            rows[i] /= len(buckets) + 1
    return rows


def train(
    params: FastTextParams,
    corpus: PreparedCorpus,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    recorder: EpochRecorder | None = None,
) -> TrainResult:
    """Train FastText; gensim reports no loss for FastText, so the loss curve stays empty."""
    model = FastText(**common_kwargs(params), epochs=params.epochs,
                     min_n=params.min_n, max_n=params.max_n, bucket=params.bucket)
    model, timings, _, words, raw = run_gensim(model, "FastText", params, corpus, on_progress, cancel, track_loss=False,
                                               recorder=recorder, frame=composed_rows)
    subword = None
    if params.max_n >= params.min_n and params.max_n > 0:
        subword = SubwordModel(np.array(model.wv.vectors_ngrams, dtype=np.float32), params.min_n, params.max_n)
    vectors = WordVectors.from_matrix(model.wv.index_to_key, model.wv.vectors, vocabulary_counts(model), subword)
    return TrainResult(vectors, "fasttext", params, corpus.fingerprint, timings, [], words, raw_words=raw)
