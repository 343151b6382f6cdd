"""Word2Vec (CBOW or skip-gram; negative sampling or hierarchical softmax) through gensim."""

from __future__ import annotations

from gensim.models import Word2Vec

from embedlab.config import Word2VecParams
from embedlab.corpus import PreparedCorpus
from embedlab.playback import EpochRecorder
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.train.base import TrainResult
from embedlab.train.gensim_common import common_kwargs, run_gensim, vocabulary_counts
from embedlab.vectors import WordVectors


def train(
    params: Word2VecParams,
    corpus: PreparedCorpus,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    recorder: EpochRecorder | None = None,
) -> TrainResult:
    """Train Word2Vec on a prepared corpus; see ``embedlab.train.base`` for the contract."""
    model = Word2Vec(**common_kwargs(params), epochs=params.epochs)
    model, timings, loss, words, raw = run_gensim(model, "Word2Vec", params, corpus, on_progress, cancel,
                                                  recorder=recorder)
    vectors = WordVectors.from_matrix(model.wv.index_to_key, model.wv.vectors, vocabulary_counts(model))
    return TrainResult(vectors, "word2vec", params, corpus.fingerprint, timings, loss, words, raw_words=raw)
