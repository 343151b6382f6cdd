"""Every training algorithm, described once.

An ``AlgorithmSpec`` is all the rest of embedlab knows about an algorithm: the
parameters dataclass (its fields carry label, help and bounds for the Train form
and the CLI flags), the label and one-line description shown to users, a relative
cost (so a progress bar spread over several runs moves evenly), the trainer module
(imported only when training starts: gensim and numba take seconds to import) and
optional settings the Compare page suggests when this algorithm trains beside the
others.

Adding an algorithm is one trainer module plus one entry in ``_SPECS`` below:

1. write ``embedlab/train/<key>.py`` with ``train(params, corpus, on_progress,
   cancel) -> TrainResult`` keeping the contract in ``embedlab.train.base``
   (progress at least once an epoch, a cancel honoured within one epoch);
2. define its frozen params dataclass in ``embedlab.config`` (every field made with
   ``_f(default, label, help, ...)``) with a ``validate()`` method;
3. add ``AlgorithmSpec(key, label, ParamsClass, description, cost, trainer)`` here (with
   ``input=`` when the trainer reads something other than a tokenised corpus).

The Train page, the CLI's ``train`` sub-commands, the comparison trainer and the
contract tests in ``tests/test_train_contract.py`` all iterate over ``ALGORITHMS``,
so nothing else needs an edit.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

from embedlab.config import (Doc2VecParams, FastTextParams, GloVeParams, GraphWalkParams, Node2VecParams,
                             SparkWord2VecParams, Word2VecParams)
from embedlab.errors import ParameterError
from embedlab.i18n import N_, _, format_number, ngettext

#: the ``algorithm`` recorded for vectors loaded from a file rather than trained here
IMPORTED = "imported"


@dataclass(frozen=True)
class AlgorithmSpec:
    """One algorithm: what a user sees of it and how it is trained."""

    key: str
    label: str
    params_class: type
    description: str
    #: rough relative training time at equal settings (Word2Vec = 1), to spread one progress bar over runs
    cost: float
    #: module with ``train(params, corpus, on_progress, cancel) -> TrainResult``; imported on first use
    trainer: str
    #: values the Compare page pre-fills when this algorithm trains beside the others (e.g. GloVe needs more passes)
    suggested_for_comparison: Mapping[str, Any] = field(default_factory=dict)
    #: what ``train``'s second argument is: 'corpus' (a ``PreparedCorpus`` of token lines) for word models;
    #: an algorithm reading something else (documents, a graph) names it here, and the places that hand
    #: every algorithm a corpus (Train page, CLI ``train``, the comparison trainer) skip it. Documents and
    #: graphs are corpora too here (``embedlab.documents.corpus_documents``, ``embedlab.graphs.corpus_graph``)
    input: str = "corpus"
    #: whether the trainer can record per-epoch snapshots for playback (its ``train`` takes a ``recorder``)
    records_epochs: bool = False
    #: what the vectors stand for: "words" (tokens of the corpus), "documents" (one per document,
    #: tagged doc<line>) or "nodes" (of the corpus's graph); pages and tests read it
    units: str = "words"

    @property
    def train(self) -> Callable[..., Any]:
        """The trainer's ``train`` function (imports the module)."""
        return importlib.import_module(self.trainer).train

    def shown_label(self) -> str:
        """The label in the current language (names stay names; 'Word2Vec (Spark)' reads the same everywhere)."""
        return _(self.label)

    def shown_description(self) -> str:
        """The one-line description in the current language (``description`` is its English msgid)."""
        return _(self.description)

    def count(self, n: int) -> str:
        """'1,234 words' / '1,234 documents' / '1,234 nodes' in the current language."""
        return count_label(self.units, n)

    def default_params(self, suggested: bool = False) -> Any:
        """Default parameters, with ``suggested_for_comparison`` applied when ``suggested``."""
        return self.params_class(**(dict(self.suggested_for_comparison) if suggested else {}))


_SPECS = (
    AlgorithmSpec(
        "word2vec", "Word2Vec", Word2VecParams,
        N_("Predicts words from their neighbours (CBOW) or neighbours from a word (skip-gram). "
           "Fast and the classic baseline."),
        cost=1.0, trainer="embedlab.train.word2vec", records_epochs=True),
    AlgorithmSpec(
        "fasttext", "FastText", FastTextParams,
        N_("Word2Vec over character n-grams too, so misspelt and unseen words still get vectors. Slower, larger."),
        cost=2.0, trainer="embedlab.train.fasttext", records_epochs=True),
    AlgorithmSpec(
        "glove", "GloVe", GloVeParams,
        N_("Factorises the corpus's word co-occurrence counts (weighted least squares). embedlab's own fast trainer."),
        cost=2.0, trainer="embedlab.train.glove",
        # GloVe needs more passes than Word2Vec's 5 epochs, and x_max 10 suits small corpora
        suggested_for_comparison=MappingProxyType({"epochs": 15, "x_max": 10.0}), records_epochs=True),
    AlgorithmSpec(
        "doc2vec", "Doc2Vec", Doc2VecParams,
        N_("A vector per document (and per word): PV-DBOW or PV-DM. Similar documents, and vectors for new text."),
        cost=2.0, trainer="embedlab.train.doc2vec", units="documents"),
    AlgorithmSpec(
        "deepwalk", "DeepWalk", GraphWalkParams,
        N_("Node vectors from uniform random walks over a graph, read by skip-gram like sentences."),
        cost=1.0, trainer="embedlab.train.graph_walks", units="nodes"),
    AlgorithmSpec(
        "node2vec", "Node2Vec", Node2VecParams,
        N_("DeepWalk with walks biased by p (return) and q (in-out): local roles or communities."),
        cost=1.2, trainer="embedlab.train.graph_walks", units="nodes"),
    AlgorithmSpec(
        "word2vec-spark", "Word2Vec (Spark)", SparkWord2VecParams,
        N_("Word2Vec (skip-gram, hierarchical softmax) through Apache Spark MLlib, on this machine or across several: "
           "for corpora larger than one machine trains comfortably. Needs pyspark and Java."),
        cost=3.0, trainer="embedlab.train.spark_word2vec",
        # its own input: a workspace corpus or any path/URI Spark reads (`train word2vec --engine spark`), and a
        # JVM to start, so the Train page's and the comparison's loops over corpus algorithms leave it out
        input="spark"),
)

#: key -> spec, in the order forms and menus list them
ALGORITHMS: Mapping[str, AlgorithmSpec] = MappingProxyType({spec.key: spec for spec in _SPECS})


def corpus_algorithms() -> dict[str, AlgorithmSpec]:
    """The algorithms trained on a tokenised corpus, in registry order."""
    return {key: algorithm for key, algorithm in ALGORITHMS.items() if algorithm.input == "corpus"}


def train_page_algorithms() -> dict[str, AlgorithmSpec]:
    """What the Train page offers: the corpus algorithms, plus Spark's Word2Vec where pyspark and Java are here.

    The Spark engine trains a workspace corpus like the others (its trainer takes a
    ``PreparedCorpus`` too); it is left out where it could only fail.
    """
    import importlib.util
    import os
    import shutil

    offered = corpus_algorithms()
    java = shutil.which("java") or os.path.exists(os.path.join(os.environ.get("JAVA_HOME", "/nonexistent"), "bin", "java"))
    if importlib.util.find_spec("pyspark") is not None and java:
        offered.update({key: a for key, a in ALGORITHMS.items() if a.input == "spark"})
    return offered


def spec(algorithm: str) -> AlgorithmSpec:
    """The spec of ``algorithm``, or a ``ParameterError`` naming the known ones."""
    try:
        return ALGORITHMS[algorithm]
    except KeyError:
        raise ParameterError(N_("Unknown algorithm {algorithm}; choose one of {known}."), algorithm=repr(algorithm),
                             known=", ".join(ALGORITHMS)) from None


def label(algorithm: str) -> str:
    """What users see for a manifest's ``algorithm``: 'Word2Vec', 'Imported', or the key itself."""
    if algorithm in ALGORITHMS:
        return ALGORITHMS[algorithm].label
    return N_("Imported") if algorithm == IMPORTED else algorithm


def default_model_name(algorithm: str, corpus_name: str) -> str:
    """The name a model gets when its user gives none: 'Word2Vec · English sample'."""
    return f"{label(algorithm)} · {corpus_name}"


def shown_label(algorithm: str) -> str:
    """``label(algorithm)`` in the current language, for display ('Imported' translated; model names keep ``label``)."""
    if algorithm in ALGORITHMS:
        return ALGORITHMS[algorithm].shown_label()
    return _("Imported") if algorithm == IMPORTED else algorithm


def made_by(algorithm: str, original: Mapping[str, Any] | None = None) -> str:
    """The algorithm that trained a model's vectors: its own, or for an imported embedlab ``.npz`` the one its
    manifest recorded (``Manifest.original``); ``imported`` when nobody knows (a word2vec or GloVe file)."""
    if algorithm != IMPORTED:
        return algorithm
    recorded = original.get("algorithm") if isinstance(original, Mapping) else None  # (a hand-edited manifest)
    return recorded if isinstance(recorded, str) and recorded in ALGORITHMS else IMPORTED


def model_kind(algorithm: str, original: Mapping[str, Any] | None = None) -> str:
    """What a saved model is, in the current language: 'FastText' when trained here; an imported file
    'Imported', or 'Imported FastText' when it is an embedlab export that says what trained it."""
    if algorithm != IMPORTED:
        return shown_label(algorithm)
    trained_by = made_by(algorithm, original)
    return _("Imported {algorithm}").format(algorithm=shown_label(trained_by)) if trained_by != IMPORTED \
        else _("Imported")


def unseen_words(algorithm: str, original: Mapping[str, Any] | None = None, has_ngrams: bool = False) -> str | None:
    """Whether an imported model answers words it never saw (None for a trained model: its algorithm says it).

    With FastText's n-gram table it composes them; a FastText export without the table cannot.
    """
    if algorithm != IMPORTED:
        return None
    if has_ngrams:
        return _("answers unseen words from n-grams")
    return _("known words only (no n-grams)") if made_by(algorithm, original) == "fasttext" else None


def described_kind(algorithm: str, original: Mapping[str, Any] | None = None, has_ngrams: bool = False) -> str:
    """``model_kind`` and, for an imported model, ``unseen_words``: 'Imported FastText, answers unseen words…'."""
    kind = model_kind(algorithm, original)
    ability = unseen_words(algorithm, original, has_ngrams)
    return kind if ability is None else _("{kind}, {ability}").format(kind=kind, ability=ability)


def count_label(units: str, n: int) -> str:
    """``n`` vectors of ``units`` ('words', 'documents', 'nodes') said in the current language: '1,234 words'."""
    number = format_number(n)
    if units == "documents":
        return ngettext("{n} document", "{n} documents", n).format(n=number)
    if units == "nodes":
        return ngettext("{n} node", "{n} nodes", n).format(n=number)
    return ngettext("{n} word", "{n} words", n).format(n=number)


def params_from_dict(algorithm: str, values: Mapping[str, Any]) -> Any:
    """Rebuild a params object from a manifest or form, ignoring unknown keys (older manifests); validated."""
    cls = spec(algorithm).params_class
    names = {f.name for f in dataclasses.fields(cls)}
    params = cls(**{k: v for k, v in values.items() if k in names})
    params.validate()
    return params
