"""Corpus evidence for a model's words: the workflow the app and the CLI share.

Composes the store (which corpus a model was trained on, where its concordance
index lives) with the pure maths (``concordance``, ``shared_contexts``) and, for
GloVe models, the trainer's own co-occurrence counting
(``embedlab.train.glove_cooccur``) run with the model's parameters, so the
entries shown are exactly those the model was fitted to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedlab.concordance import ConcordanceIndex
from embedlab.corpus import PreparedCorpus
from embedlab.errors import CorpusNotFoundError, EmbedlabError
from embedlab.i18n import N_
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.shared_contexts import GloveEntries, glove_entries
from embedlab.workspace import Workspace


class NoCorpusError(EmbedlabError):
    """A model whose training corpus is not in the workspace (imported vectors, or a deleted corpus)."""


def model_corpus(workspace: Workspace, model_id: str) -> PreparedCorpus:
    """The prepared corpus a saved model was trained on; ``NoCorpusError`` when there is none any more."""
    manifest = workspace.manifest(model_id)
    record = manifest.corpus
    name = manifest.name or model_id
    if record is None or not record.id:
        raise NoCorpusError(N_("Model '{name}' was not trained here (imported vectors carry no corpus), so there is "
                               "no corpus evidence for it. Pick a corpus instead."), name=name)
    try:
        corpus = workspace.load_corpus(record.id)
    except CorpusNotFoundError:
        raise NoCorpusError(N_("The corpus model '{name}' was trained on ('{corpus_name}') has been "
                               "deleted from the workspace."),
                            name=name, corpus_name=record.name or record.id) from None
    if record.fingerprint and record.fingerprint != corpus.fingerprint:
        raise NoCorpusError(N_("The corpus '{name}' changed since the model was trained."), name=corpus.name)
    return corpus


def concordance(workspace: Workspace, corpus: PreparedCorpus, on_progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None) -> ConcordanceIndex:
    """The corpus's concordance index (built on first use if the corpus was prepared without one)."""
    return workspace.concordance_index(corpus, on_progress, cancel)


@dataclass(frozen=True, eq=False)
class GloveMatrix:
    """A GloVe model's co-occurrence matrix X in CSR form, recounted from its corpus with its parameters."""

    words: tuple[str, ...]
    indptr: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    window: int

    def entries(self, word_a: str, word_b: str, n: int = 30) -> GloveEntries:
        return glove_entries(self.indptr, self.cols, self.vals, self.words, word_a, word_b, n)

    @property
    def nbytes(self) -> int:
        return int(self.indptr.nbytes + self.cols.nbytes + self.vals.nbytes)


def glove_matrix(workspace: Workspace, model_id: str, on_progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> GloveMatrix:
    """Recount the co-occurrences a GloVe model was trained on (GloVe's own counting code, the model's
    window, minimum count and vocabulary cap). About a second per million tokens."""
    from embedlab.train.glove_cooccur import build_vocabulary, count_cooccurrences

    manifest = workspace.manifest(model_id)
    if manifest.algorithm != "glove":
        raise EmbedlabError(N_("Only GloVe models are trained on a co-occurrence matrix."))
    params = manifest.params
    corpus = model_corpus(workspace, model_id)
    vocabulary = build_vocabulary(corpus.tokens_path, int(params.get("min_count", 5)), params.get("max_vocab"),
                                  cancel, on_progress)
    window = int(params.get("window", 10))
    matrix = count_cooccurrences(corpus.tokens_path, vocabulary, window, cancel, on_progress)
    return GloveMatrix(vocabulary.words, matrix.indptr, matrix.cols, matrix.vals, window)
