"""Parameters as data: frozen dataclasses with defaults and help text.

Which algorithm uses which class is ``embedlab.train.registry``. One definition serves three readers: the Train form (labels, help tooltips,
bounds), the cache keys and manifests (``asdict``), and the CLI flags. Each field's
``metadata`` holds ``label``, ``help`` and, for numbers, ``min``/``max``; ``choices``
for strings, with optional ``choice_labels`` (what the form shows; the values stay the CLI's).
Labels, help and choice labels are English msgids marked ``N_()``: the form translates them
when it draws them (``embedlab.ui.forms``); the CLI's flags read them in English.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from embedlab.errors import ParameterError
from embedlab.i18n import N_, _


def _f(default: Any, label: str, help: str, **meta: Any) -> Any:
    return field(default=default, metadata={"label": label, "help": help, **meta})


@dataclass(frozen=True)
class CorpusParams:
    """How a raw text file becomes token lists."""

    tokenizer: str = _f(
        "auto", N_("Tokeniser"),
        N_("words: letters and digits split on everything else; chinese: jieba word segmentation; "
           "ids: whitespace-separated item IDs (sessions of products), case kept; "
           "auto: ids when nearly every token is an ID (letters and digits, e.g. sku_1042 or 1042), chinese when "
           "CJK characters dominate the file, else words."),
        choices=("auto", "words", "chinese", "ids"),
        choice_labels={"auto": N_("auto-detect"), "words": N_("words (letters and digits)"), "chinese": N_("Chinese (jieba)"), "ids": N_("item IDs")},
    )
    lowercase: bool = _f(True, N_("Lower-case"), N_("Fold 'King' and 'king' into one word. Ignored for item IDs."))


@dataclass(frozen=True)
class Word2VecParams:
    """Word2Vec (Mikolov et al. 2013) through gensim."""

    architecture: str = _f(
        "cbow", N_("Architecture"),
        N_("cbow predicts a word from its context (fast, good for frequent words); "
           "skipgram predicts the context from the word (slower, better for rare words and analogies)."),
        choices=("cbow", "skipgram"), choice_labels={"cbow": "CBOW", "skipgram": N_("skip-gram")},
    )
    loss: str = _f(
        "negative", N_("Output layer"),
        N_("negative: negative sampling, contrasts each true pair with a few random words (the usual choice); "
           "hierarchical: hierarchical softmax over a Huffman tree, favours rare words."),
        choices=("negative", "hierarchical"),
        choice_labels={"negative": N_("negative sampling"), "hierarchical": N_("hierarchical softmax")},
    )
    vector_size: int = _f(100, N_("Dimensions"), N_("Length of each word vector. More dimensions hold more nuance but need more data."), min=2, max=1000)
    window: int = _f(5, N_("Window"), N_("How many words either side count as context. Small windows capture syntax, large ones topics."), min=1, max=50)
    min_count: int = _f(5, N_("Minimum count"), N_("Words seen fewer times than this are dropped: they are too rare to learn."), min=1, max=1000)
    epochs: int = _f(5, N_("Epochs"), N_("Passes over the corpus. Small corpora need more passes."), min=1, max=200)
    sample: float = _f(1e-3, N_("Down-sampling"), N_("Randomly skip very frequent words (the, of) above this relative frequency; 0 keeps all."), min=0.0, max=0.1)
    negative: int = _f(5, N_("Negative samples"), N_("Random 'noise' words per true pair with negative sampling; 5-20 for small corpora."), min=1, max=50)
    alpha: float = _f(0.025, N_("Learning rate"), N_("Initial step size; it decays linearly to almost zero."), min=0.0001, max=1.0)
    seed: int = _f(1, N_("Seed"), N_("Random seed. With more than one worker thread results still vary slightly run to run."), min=0, max=2**31 - 1)
    workers: int = _f(2, N_("Worker threads"), N_("CPU threads used for training."), min=1, max=64)

    def validate(self) -> None:
        _check_bounds(self)


@dataclass(frozen=True)
class FastTextParams(Word2VecParams):
    """FastText (Bojanowski et al. 2017): Word2Vec plus character n-grams, so unseen words get vectors."""

    min_n: int = _f(3, N_("Smallest n-gram"), N_("Shortest character n-gram used for subwords (with < and > marking word edges)."), min=1, max=10)
    max_n: int = _f(6, N_("Largest n-gram"), N_("Longest character n-gram; 0 disables subwords (then FastText is Word2Vec)."), min=0, max=10)
    bucket: int = _f(
        200_000, N_("Hash buckets"),
        N_("N-grams are hashed into this many shared vectors. gensim's default is 2,000,000 (800 MB at 100 dims); "
           "200,000 keeps models small with little loss on corpora of this size."),
        min=1000, max=10_000_000,
    )

    def validate(self) -> None:
        _check_bounds(self)
        if self.max_n and self.max_n < self.min_n:
            raise ParameterError(N_("Largest n-gram ({max_n}) must be at least the smallest ({min_n}), "
                                    "or 0 to disable subwords."), max_n=self.max_n, min_n=self.min_n)


@dataclass(frozen=True)
class GloVeParams:
    """GloVe (Pennington et al. 2014): weighted least squares on log co-occurrence counts."""

    vector_size: int = _f(100, N_("Dimensions"), N_("Length of each word vector."), min=2, max=1000)
    window: int = _f(10, N_("Window"), N_("Words either side counted as co-occurring, each weighted 1/distance."), min=1, max=50)
    min_count: int = _f(5, N_("Minimum count"), N_("Words seen fewer times than this are left out of the vocabulary."), min=1, max=1000)
    max_vocab: int | None = _f(None, N_("Maximum vocabulary"), N_("Keep only this many most frequent words (empty: no cap)."), min=1, max=10_000_000)
    x_max: float = _f(100.0, N_("x_max"), N_("Co-occurrence count at which a pair gets full weight; rarer pairs count less. The Train page starts at 10 for corpora under a million tokens and at 100 (the GloVe paper's value, tuned on billions) above."), min=1.0, max=10_000.0)
    alpha: float = _f(0.75, N_("Weighting exponent α"), N_("Shape of the weighting f(x) = (x/x_max)^α below x_max."), min=0.0, max=1.0)
    learning_rate: float = _f(0.05, N_("Learning rate"), N_("AdaGrad's initial step size."), min=0.0001, max=1.0)
    epochs: int = _f(25, N_("Iterations"), N_("Passes over all non-zero co-occurrences."), min=1, max=500)
    seed: int = _f(1, N_("Seed"), N_("Random seed for initialisation and shuffling; a seed gives identical vectors with any number of threads."), min=0, max=2**31 - 1)
    workers: int = _f(2, N_("Worker threads"), N_("Threads training blocks of words that share no row at once; any number gives the same vectors for a seed."), min=1, max=64)

    def validate(self) -> None:
        _check_bounds(self)


def _check_bounds(params: Any) -> None:
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        if value is None:
            continue
        label = f.metadata.get("label", f.name)
        if "choices" in f.metadata and value not in f.metadata["choices"]:
            raise ParameterError(N_("{label} must be one of {choices}; got {value}."), label=_(label),
                                 choices=", ".join(f.metadata["choices"]), value=repr(value))
        if "min" in f.metadata and value < f.metadata["min"]:
            raise ParameterError(N_("{label} must be at least {min}; got {value}."), label=_(label),
                                 min=f.metadata["min"], value=value)
        if "max" in f.metadata and value > f.metadata["max"]:
            raise ParameterError(N_("{label} must be at most {max}; got {value}."), label=_(label),
                                 max=f.metadata["max"], value=value)


def params_to_dict(params: Any) -> dict[str, Any]:
    return dataclasses.asdict(params)


@dataclass(frozen=True)
class ProjectionParams:
    """How the Map page flattens a model's vectors to 2-D or 3-D (``embedlab.projection``)."""

    method: str = _f(
        "pca", N_("Method"),
        N_("pca: instant, keeps the broad directions of the space; umap: keeps each word's neighbourhood, "
           "clusters become visible (seconds to a minute); tsne: like umap, slower, only for a few thousand words."),
        choices=("pca", "umap", "tsne"),
    )
    dims: int = _f(2, N_("Dimensions"), N_("A flat map (2) or a cloud you can rotate (3)."), min=2, max=3)
    n_points: int = _f(10_000, N_("Words shown"), N_("How many words the map draws (at most 50,000)."), min=10, max=50_000)
    sampling: str = _f(
        "frequent", N_("Which words"),
        N_("frequent: the most frequent words (rare words have noisy vectors); random: a uniform random sample "
           "of the whole vocabulary, drawn with the seed."),
        choices=("frequent", "random"),
    )
    n_neighbors: int = _f(15, N_("UMAP neighbours"), N_("Neighbourhood size UMAP preserves: small shows fine local "
                                                    "structure, large the global layout."), min=2, max=200)
    min_dist: float = _f(0.1, N_("UMAP minimum distance"), N_("How tightly UMAP packs similar words (0 = clumps, "
                                                          "0.99 = evenly spread)."), min=0.0, max=0.99)
    perplexity: float = _f(30.0, N_("t-SNE perplexity"), N_("Roughly the number of neighbours t-SNE considers."),
                           min=2.0, max=100.0)
    seed: int | None = _f(
        None, N_("Seed"),
        N_("Empty: UMAP runs on every core and its layout varies slightly run to run. A number makes the map "
           "reproducible, but UMAP then runs on a single core (about 1.7x slower)."),
        min=0, max=2**31 - 1,
    )

    def validate(self) -> None:
        _check_bounds(self)


@dataclass(frozen=True)
class Doc2VecParams:
    """Doc2Vec (Le & Mikolov 2014): a vector per document, trained beside (or instead of) word vectors."""

    mode: str = _f(
        "dbow", N_("Architecture"),
        N_("dbow (PV-DBOW): the document vector alone predicts the document's words; fast, and usually the better "
           "document vectors on short texts. dm (PV-DM): the document vector joins the context words to predict the "
           "next word, like CBOW; it learns word vectors at the same time."),
        choices=("dbow", "dm"), choice_labels={"dbow": N_("PV-DBOW (distributed bag of words)"), "dm": N_("PV-DM (distributed memory)")},
    )
    train_words: bool = _f(
        True, N_("Train word vectors too"),
        N_("PV-DBOW only: interleave skip-gram word training, so words get vectors in the same space as the documents "
           "(slower; PV-DM always trains words)."),
    )
    vector_size: int = _f(100, N_("Dimensions"), N_("Length of each document (and word) vector."), min=2, max=1000)
    window: int = _f(5, N_("Window"), N_("Context words either side (PV-DM, and word training in PV-DBOW)."), min=1, max=50)
    min_count: int = _f(2, N_("Minimum count"), N_("Words seen fewer times than this are ignored; documents keep their other words."), min=1, max=1000)
    epochs: int = _f(20, N_("Epochs"), N_("Passes over the documents. Doc2Vec needs more than Word2Vec: 10-20 on thousands of documents."), min=1, max=500)
    sample: float = _f(1e-3, N_("Down-sampling"), N_("Randomly skip very frequent words above this relative frequency; 0 keeps all."), min=0.0, max=0.1)
    negative: int = _f(5, N_("Negative samples"), N_("Random 'noise' words contrasted with each true word."), min=1, max=50)
    alpha: float = _f(0.025, N_("Learning rate"), N_("Initial step size; it decays linearly to almost zero."), min=0.0001, max=1.0)
    infer_epochs: int = _f(
        50, N_("Inference epochs"),
        N_("Passes used to infer a vector for new text (the model's weights stay fixed). More passes give a more "
           "stable vector for short texts."), min=1, max=1000)
    seed: int = _f(1, N_("Seed"), N_("Random seed. With more than one worker thread results still vary slightly run to run."), min=0, max=2**31 - 1)
    workers: int = _f(2, N_("Worker threads"), N_("CPU threads used for training."), min=1, max=64)

    def validate(self) -> None:
        _check_bounds(self)


@dataclass(frozen=True)
class GraphWalkParams:
    """DeepWalk (Perozzi et al. 2014): uniform random walks over a graph, read by skip-gram as sentences of nodes."""

    walk_length: int = _f(40, N_("Walk length"), N_("Nodes per walk. Longer walks reach further and see more of each node's surroundings."), min=2, max=1000)
    walks_per_node: int = _f(10, N_("Walks per node"), N_("Walks started from every node (one round starts one walk from each node, in random order)."), min=1, max=1000)
    vector_size: int = _f(64, N_("Dimensions"), N_("Length of each node vector."), min=2, max=1000)
    window: int = _f(5, N_("Window"), N_("Nodes either side within a walk that count as context: how far 'near' reaches."), min=1, max=50)
    epochs: int = _f(5, N_("Epochs"), N_("Skip-gram passes over the walks."), min=1, max=200)
    negative: int = _f(5, N_("Negative samples"), N_("Random 'noise' nodes contrasted with each true (node, context) pair."), min=1, max=50)
    alpha: float = _f(0.025, N_("Learning rate"), N_("Initial step size; it decays linearly to almost zero."), min=0.0001, max=1.0)
    seed: int = _f(1, N_("Seed"), N_("Random seed for the walks and the training. The walks are identical for one seed; "
                                 "training with more than one worker varies slightly."), min=0, max=2**31 - 1)
    workers: int = _f(2, N_("Worker threads"), N_("CPU threads for the walks and the training."), min=1, max=64)

    def validate(self) -> None:
        _check_bounds(self)


@dataclass(frozen=True)
class Node2VecParams(GraphWalkParams):
    """Node2Vec (Grover & Leskovec 2016): DeepWalk with walks biased by where they came from (p, q)."""

    p: float = _f(
        1.0, N_("Return parameter p"),
        N_("How readily a walk steps straight back to the node it came from: the step back is weighted 1/p. "
           "Small p (e.g. 0.25) keeps walks local, so nodes with similar roles (hubs, bridges) get similar vectors."),
        min=0.01, max=100.0)
    q: float = _f(
        0.5, N_("In-out parameter q"),
        N_("How readily a walk moves away from where it was: steps to nodes not adjacent to the previous one are "
           "weighted 1/q. q < 1 explores outwards (depth-first, finds communities); q > 1 stays close (breadth-first). "
           "p = q = 1 is DeepWalk."), min=0.01, max=100.0)


@dataclass(frozen=True)
class SparkWord2VecParams:
    """Word2Vec through Apache Spark MLlib (skip-gram with hierarchical softmax), locally or on a cluster."""

    vector_size: int = _f(100, N_("Dimensions"), N_("Length of each word vector (MLlib's vectorSize)."), min=2, max=1000)
    window: int = _f(5, N_("Window"), N_("Words either side that count as context (MLlib's windowSize)."), min=1, max=50)
    min_count: int = _f(5, N_("Minimum count"), N_("Words seen fewer times than this are dropped (MLlib's minCount)."), min=1, max=1000)
    epochs: int = _f(1, N_("Iterations"), N_("Passes over the corpus (MLlib's maxIter; its default is 1). Keep it at most "
                                         "the number of partitions."), min=1, max=100)
    alpha: float = _f(0.025, N_("Learning rate"), N_("Initial step size (MLlib's stepSize)."), min=0.0001, max=1.0)
    partitions: int = _f(1, N_("Partitions"), N_("Parts trained in parallel and averaged after each iteration (MLlib's "
                                             "numPartitions). More is faster across several machines but less accurate."), min=1, max=10_000)
    max_sentence_length: int = _f(1000, N_("Longest sentence"), N_("Longer lines are cut into pieces of this many words."),
                                  min=1, max=1_000_000)
    seed: int = _f(1, N_("Seed"), N_("Random seed for MLlib's initialisation."), min=0, max=2**31 - 1)
    master: str = _f("local[*]", N_("Spark master"),
                     N_("Where Spark runs: local[*] uses every core of this machine; spark://host:7077, yarn or "
                        "k8s://https://host:443 submit to other machines (the corpus must then be on storage they "
                        "read, e.g. hdfs:// or s3a://)."))

    def validate(self) -> None:
        _check_bounds(self)
        if not self.master.strip() or any(c.isspace() for c in self.master.strip()):
            raise ParameterError(N_("The Spark master must be one URL such as local[*] or spark://host:7077, "
                                    "not {master}."), master=repr(self.master))
