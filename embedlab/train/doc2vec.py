"""Doc2Vec (PV-DM and PV-DBOW) through gensim, with what it takes to infer vectors for new text later.

The model's "words" are the document tags (``doc17``), so every page that reads
``WordVectors`` (map, neighbours, compare, exports) works on documents as they
are. Word vectors come along when the mode trains them (PV-DM, or PV-DBOW with
word training). New text gets a vector by gensim's ``infer_vector``: the trained
word and output weights stay fixed and only a fresh document vector is fitted.
That needs the input word vectors, the output layer (``syn1neg``) and the word
counts, which ``InferenceModel`` keeps as plain arrays: it is saved as ``.npy``
and JSON, never pickled, and rebuilt into a gensim model on first use.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from gensim.models.doc2vec import Doc2Vec, TaggedDocument

from embedlab.config import Doc2VecParams
from embedlab.documents import Documents
from embedlab.errors import Cancelled, EmbedlabError, VocabularyError
from embedlab.i18n import _, N_, bind_language
from embedlab.progress import CancelToken, ProgressFn, check, no_progress
from embedlab.train.base import TrainResult
from embedlab.train.gensim_common import _EpochCallback, vocabulary_counts
from embedlab.vectors import WordVectors


def gensim_kwargs(params: Doc2VecParams) -> dict[str, Any]:
    """Our parameter names mapped to gensim's ``Doc2Vec`` arguments."""
    return dict(dm=1 if params.mode == "dm" else 0, dbow_words=1 if params.train_words else 0,
                vector_size=params.vector_size, window=params.window, min_count=params.min_count,
                sample=params.sample, negative=params.negative, hs=0, alpha=params.alpha, seed=params.seed,
                workers=params.workers, epochs=params.epochs)


def _run(model: Doc2Vec, label: str, params: Doc2VecParams, documents: Documents, on_progress: ProgressFn,
         cancel: CancelToken | None) -> tuple[Doc2Vec, dict[str, float]]:
    """Vocabulary, then the epochs, with progress within each epoch and a cancel honoured within one.

    The same loop as ``gensim_common.run_gensim`` (whose ``train`` return value Doc2Vec does not give).
    """
    started = time.perf_counter()
    on_progress(0, params.epochs, _("{label}: building the vocabulary").format(label=label))
    model.build_vocab(corpus_iterable=_TaggedIterable(documents, cancel, None))
    check(cancel)
    if len(model.wv) == 0:
        raise VocabularyError(N_("No word appears at least {min_count} times in these documents, so the "
                                 "vocabulary is empty. Lower the minimum count or use more documents."),
                              min_count=params.min_count)
    vocab_done = time.perf_counter()
    callback = _EpochCallback(label, params.epochs, on_progress, cancel, track_loss=False)
    n_docs = max(len(documents), 1)

    @bind_language  # gensim reads the corpus (and so reports from here) in its own producer thread
    def within_epoch(docs_read: int) -> None:
        on_progress(callback.epoch + min(docs_read / n_docs, 1.0), params.epochs,
                    _("{label}: epoch {epoch}/{epochs}").format(
                        label=label, epoch=callback.epoch + 1, epochs=params.epochs))

    model.train(corpus_iterable=_TaggedIterable(documents, cancel, within_epoch), total_examples=model.corpus_count,
                epochs=params.epochs, callbacks=[callback])
    if cancel is not None and cancel.cancelled:  # the last epoch was cut short
        raise Cancelled()
    done = time.perf_counter()
    train_s = done - vocab_done
    raw = model.corpus_total_words * params.epochs
    return model, {"vocab_s": vocab_done - started, "train_s": train_s, "total_s": done - started,
                   "words_per_s": raw / train_s if train_s > 0 else 0.0}


class _TaggedIterable:
    def __init__(self, documents: Documents, cancel: CancelToken | None, on_lines: Callable[[int], None] | None) -> None:
        self.documents, self.cancel, self.on_lines = documents, cancel, on_lines

    def __iter__(self) -> Iterator[TaggedDocument]:
        for i, (tag, words) in enumerate(zip(self.documents.tags, self.documents.tokens)):
            if i % 2048 == 0:
                if self.cancel is not None and self.cancel.cancelled:
                    return  # the epoch ends at once; run_gensim raises Cancelled
                if self.on_lines is not None and i:
                    self.on_lines(i)
            yield TaggedDocument(list(words), [tag])


@dataclass(frozen=True, eq=False)
class InferenceModel:
    """What ``infer_vector`` needs, as arrays: vocabulary with counts, input vectors, output weights."""

    params: Doc2VecParams
    words: tuple[str, ...]
    counts: np.ndarray  # (V,) int64
    input_vectors: np.ndarray  # (V, dim) float32: the word vectors
    output_weights: np.ndarray  # (V, dim) float32: syn1neg
    _cache: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_gensim(cls, model: Doc2Vec, params: Doc2VecParams) -> "InferenceModel":
        return cls(params, tuple(model.wv.index_to_key), vocabulary_counts(model),
                   np.array(model.wv.vectors, dtype=np.float32), np.array(model.syn1neg, dtype=np.float32))

    def _model(self) -> Doc2Vec:
        model = self._cache.get("model")
        if model is None:
            kwargs = {**gensim_kwargs(self.params), "min_count": 1, "workers": 1}
            model = Doc2Vec(**kwargs)
            model.build_vocab_from_freq({w: int(c) for w, c in zip(self.words, self.counts)})
            order = np.array([model.wv.key_to_index[w] for w in self.words], dtype=np.int64)
            model.wv.vectors[order] = self.input_vectors
            model.syn1neg[order] = self.output_weights
            self._cache["model"] = model
        return model

    def infer(self, tokens: Sequence[str], epochs: int | None = None, seed: int | None = None) -> np.ndarray:
        """A vector for new text; the same tokens and seed give the same vector."""
        known = [t for t in tokens if t in self._vocab]
        if not known:
            raise EmbedlabError(N_("None of these words is in the model's vocabulary, so the text has no vector. "
                                   "Use words that occur in the documents."))
        with self._lock:  # gensim's inference reads the model's random state: one call at a time
            model = self._model()
            model.random = np.random.RandomState(self.params.seed if seed is None else seed)
            return np.asarray(model.infer_vector(list(tokens), epochs=epochs or self.params.infer_epochs),
                              dtype=np.float32)

    @property
    def _vocab(self) -> dict[str, int]:
        vocab = self._cache.get("vocab")
        if vocab is None:
            vocab = self._cache["vocab"] = {w: i for i, w in enumerate(self.words)}
        return vocab

    # -- storage: plain arrays and JSON, never a pickle ----------------------------------------------
    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """(arrays, JSON facts): what ``Workspace.save_model(arrays=...)`` stores."""
        return ({"input": self.input_vectors, "output": self.output_weights, "counts": self.counts},
                {"params": dataclasses.asdict(self.params), "words": list(self.words)})

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], facts: dict[str, Any]) -> "InferenceModel":
        names = set(Doc2VecParams.__dataclass_fields__)
        params = Doc2VecParams(**{k: v for k, v in facts["params"].items() if k in names})
        return cls(params, tuple(facts["words"]), np.asarray(arrays["counts"]),
                   np.asarray(arrays["input"], dtype=np.float32), np.asarray(arrays["output"], dtype=np.float32))

    def save(self, folder: Path) -> None:
        """Into a folder of ``.npy`` files and one JSON (for use outside a workspace)."""
        arrays, facts = self.to_arrays()
        folder.mkdir(parents=True, exist_ok=True)
        for key, array in arrays.items():
            np.save(folder / f"{key}.npy", array, allow_pickle=False)
        (folder / "inference.json").write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "InferenceModel":
        facts = json.loads((folder / "inference.json").read_text(encoding="utf-8"))
        return cls.from_arrays({k: np.load(folder / f"{k}.npy", allow_pickle=False)
                                for k in ("input", "output", "counts")}, facts)


@dataclass
class Doc2VecOutcome:
    """The trained document vectors (as a ``TrainResult``), the word vectors when trained, and inference."""

    result: TrainResult
    words: WordVectors | None
    inference: InferenceModel


def train_documents(params: Doc2VecParams, documents: Documents, on_progress: ProgressFn = no_progress,
                    cancel: CancelToken | None = None, corpus_fingerprint: str = "") -> Doc2VecOutcome:
    """Train Doc2Vec on ``documents``; progress per epoch, cancel within one."""
    params.validate()
    model = Doc2Vec(**gensim_kwargs(params))
    label = "Doc2Vec (PV-DM)" if params.mode == "dm" else "Doc2Vec (PV-DBOW)"
    model, timings = _run(model, label, params, documents, on_progress, cancel)
    raw = int(model.corpus_total_words) * params.epochs
    words_trained = raw
    lengths = np.array([len(t) for t in documents.tokens], dtype=np.int64)
    tags = list(model.dv.index_to_key)
    rows = {tag: i for i, tag in enumerate(documents.tags)}
    doc_vectors = WordVectors.from_matrix(tags, model.dv.vectors, lengths[[rows[t] for t in tags]])
    trains_words = params.mode == "dm" or params.train_words
    word_vectors = (WordVectors.from_matrix(model.wv.index_to_key, model.wv.vectors, vocabulary_counts(model))
                    if trains_words else None)
    extra = {"documents": {"n": len(documents), "labelled": documents.labels is not None,
                           "words_trained": trains_words, "vocabulary": len(model.wv)}}
    result = TrainResult(doc_vectors, "doc2vec", params, corpus_fingerprint, timings, [], words_trained,
                         extra=extra, raw_words=raw)
    return Doc2VecOutcome(result, word_vectors, InferenceModel.from_gensim(model, params))


#: the array groups a Doc2Vec model stores beside its document vectors
INFERENCE_GROUP = "doc2vec_inference"
WORDS_GROUP = "doc2vec_words"


def words_to_arrays(words: WordVectors) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    return {"vectors": words.raw(), "counts": np.asarray(words.counts)}, {"words": list(words.words)}


def words_from_arrays(arrays: dict[str, np.ndarray], facts: dict[str, Any]) -> WordVectors:
    return WordVectors.from_matrix(facts["words"], np.asarray(arrays["vectors"]), np.asarray(arrays["counts"]))


def train(params: Doc2VecParams, corpus: Any, on_progress: ProgressFn = no_progress,
          cancel: CancelToken | None = None) -> TrainResult:
    """The trainer contract (``embedlab.train.base``): a corpus's documents (its attached labelled documents,
    else one document per line of its token file) in, document vectors out, with the word vectors (when
    trained), the inference weights and the documents' label/snippet table attached for the store."""
    from embedlab.documents import corpus_documents

    documents = corpus_documents(corpus)
    outcome = train_documents(params, documents, on_progress, cancel, corpus.fingerprint)
    result = outcome.result
    result.arrays[INFERENCE_GROUP] = outcome.inference.to_arrays()
    if outcome.words is not None:
        result.arrays[WORDS_GROUP] = words_to_arrays(outcome.words)
    result.category_table = (documents.table_csv().encode("utf-8"), "the documents' labels")
    return result
