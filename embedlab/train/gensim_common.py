"""What Word2Vec and FastText share: gensim's training loop with our progress, cancel and loss.

gensim runs worker threads per epoch and calls back in the main thread between
epochs, so a ``Cancelled`` raised from the epoch-end callback unwinds cleanly; the
corpus iterator also stops reading as soon as a cancel is requested, which makes
the current epoch end at once.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

import numpy as np
from gensim.models.callbacks import CallbackAny2Vec

from embedlab.config import Word2VecParams
from embedlab.corpus import PreparedCorpus
from embedlab.errors import Cancelled, VocabularyError
from embedlab.i18n import _, N_, bind_language
from embedlab.progress import CancelToken, ProgressFn, check, no_progress

# gensim logs every epoch at INFO; our progress callback says the same to the user.
logging.getLogger("gensim").setLevel(logging.WARNING)


def common_kwargs(params: Word2VecParams) -> dict[str, Any]:
    """Our parameter names mapped to gensim's constructor arguments."""
    hierarchical = params.loss == "hierarchical"
    return dict(
        vector_size=params.vector_size, window=params.window, min_count=params.min_count,
        sg=1 if params.architecture == "skipgram" else 0, hs=1 if hierarchical else 0,
        negative=0 if hierarchical else params.negative, sample=params.sample, alpha=params.alpha,
        seed=params.seed, workers=params.workers,
    )


#: the recorded words' current vectors, in vocabulary order: ``frame(model, n)``
FrameFn = Callable[[Any, int], np.ndarray]


def word_rows(model: Any, n: int) -> np.ndarray:
    """Word2Vec's vectors of its ``n`` most frequent words (gensim sorts the vocabulary by frequency)."""
    return model.wv.vectors[:n]


class _EpochCallback(CallbackAny2Vec):
    def __init__(self, label: str, epochs: int, on_progress: ProgressFn, cancel: CancelToken | None, track_loss: bool,
                 recorder: Any = None, frame: FrameFn = word_rows) -> None:
        self.label, self.epochs, self.on_progress, self.cancel, self.track_loss = label, epochs, on_progress, cancel, track_loss
        self.recorder, self.frame = recorder, frame
        self.epoch = 0
        self.loss: list[float] = []
        self._previous = 0.0

    def on_epoch_end(self, model: Any) -> None:
        self.epoch += 1
        check(self.cancel)
        if self.recorder is not None:
            self.recorder.record(self.epoch, self.frame(model, self.recorder.n_words))
        message = _("{label}: epoch {epoch}/{epochs}").format(label=self.label, epoch=self.epoch, epochs=self.epochs)
        if self.track_loss:
            total = float(model.get_latest_training_loss())
            self.loss.append(total - self._previous)
            self._previous = total
            message = _("{label}: epoch {epoch}/{epochs}, loss {loss:,.0f}").format(
                label=self.label, epoch=self.epoch, epochs=self.epochs, loss=self.loss[-1])
        self.on_progress(self.epoch, self.epochs, message)


def run_gensim(
    model: Any,
    label: str,
    params: Word2VecParams,
    corpus: PreparedCorpus,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    track_loss: bool = True,
    recorder: Any = None,
    frame: FrameFn = word_rows,
) -> tuple[Any, dict[str, float], list[float], int, int]:
    """Build the vocabulary and train ``model``.

    Returns (model, timings, loss per epoch, effective words trained, raw words read).
    A ``recorder`` (``embedlab.playback.EpochRecorder``) gets ``frame(model, n)`` before
    the first epoch and after each one.
    """
    params.validate()
    started = time.perf_counter()
    on_progress(0, params.epochs, _("{label}: building the vocabulary").format(label=label))
    model.build_vocab(corpus_iterable=corpus.sentences(cancel))
    check(cancel)
    if len(model.wv) == 0:
        raise VocabularyError(
            N_("No word appears at least {min_count} times in this corpus, so the vocabulary is empty. "
               "Lower the minimum count or use a larger corpus."), min_count=params.min_count
        )
    vocab_done = time.perf_counter()

    if recorder is not None:
        recorder.start(model.wv.index_to_key)
        recorder.record(0, frame(model, recorder.n_words))
    n_lines = max(corpus.n_sentences, 1)
    callback = _EpochCallback(label, params.epochs, on_progress, cancel, track_loss, recorder, frame)

    @bind_language  # gensim reads the corpus (and so reports from here) in its own producer thread
    def within_epoch(lines_read: int) -> None:
        on_progress(callback.epoch + min(lines_read / n_lines, 1.0), params.epochs,
                    _("{label}: epoch {epoch}/{epochs}").format(
                        label=label, epoch=callback.epoch + 1, epochs=params.epochs))

    effective, raw = model.train(
        corpus_iterable=corpus.sentences(cancel, within_epoch), total_examples=model.corpus_count,
        epochs=params.epochs, compute_loss=track_loss, callbacks=[callback],
    )
    if cancel is not None and cancel.cancelled:  # the last epoch was cut short
        raise Cancelled()
    done = time.perf_counter()
    train_s = done - vocab_done
    timings = {"vocab_s": vocab_done - started, "train_s": train_s, "total_s": done - started,
               "words_per_s": raw / train_s if train_s > 0 else 0.0}
    return model, timings, callback.loss, int(effective), int(raw)


def vocabulary_counts(model: Any) -> np.ndarray:
    """Corpus counts in the model's (frequency-sorted) vocabulary order."""
    return np.array([model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key], dtype=np.int64)
