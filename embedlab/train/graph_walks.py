"""DeepWalk and Node2Vec: random walks over a graph (``embedlab.walks``) read by gensim's skip-gram.

Each walk is a sentence whose words are node names, so node vectors come out as
``WordVectors`` and every page that reads word vectors reads node vectors too.
Skip-gram with negative sampling and no down-sampling, as both papers do (a
frequent node in walks is a hub, not a stop word). Every node is kept
(min_count 1): a node that no walk visits twice still has the walks it started.
"""

from __future__ import annotations

from typing import Callable

from gensim.models import Word2Vec

from embedlab.config import GraphWalkParams, Node2VecParams
from embedlab.graphs import Graph
from embedlab.progress import CancelToken, ProgressFn, no_progress, scaled
from embedlab.train.base import TrainResult
from embedlab.train.gensim_common import run_gensim, vocabulary_counts
from embedlab.vectors import WordVectors
from embedlab.walks import WalkSentences, Walks, random_walks

#: the share of the progress bar the walks take (skip-gram takes the rest)
WALK_SHARE = 0.2


class _WalkCorpus:
    """Walks in the shape ``run_gensim`` reads: ``sentences(cancel, on_lines)`` and ``n_sentences``."""

    def __init__(self, walks: Walks) -> None:
        self.walks = walks
        self.n_sentences = int(walks.rows.shape[0])

    def sentences(self, cancel: CancelToken | None = None,
                  on_lines: Callable[[int], None] | None = None) -> WalkSentences:
        sentences = WalkSentences(self.walks.graph.nodes, self.walks.rows, cancel)
        if on_lines is None:
            return sentences
        return _Reporting(sentences, on_lines)


class _Reporting:
    def __init__(self, inner: WalkSentences, on_lines: Callable[[int], None]) -> None:
        self.inner, self.on_lines = inner, on_lines

    def __iter__(self):  # noqa: ANN204
        for i, sentence in enumerate(self.inner):
            if i and i % 4096 == 0:
                self.on_lines(i)
            yield sentence


def train_graph(params: GraphWalkParams, graph: Graph, on_progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None) -> TrainResult:
    """Walk the graph, then train skip-gram on the walks; ``Node2VecParams`` adds p and q."""
    params.validate()
    p, q = (params.p, params.q) if isinstance(params, Node2VecParams) else (1.0, 1.0)
    algorithm = "node2vec" if isinstance(params, Node2VecParams) else "deepwalk"
    label = "Node2Vec" if algorithm == "node2vec" else "DeepWalk"
    walks = random_walks(graph, params.walk_length, params.walks_per_node, p, q, params.seed, params.workers,
                         scaled(on_progress, 0.0, WALK_SHARE), cancel)
    model = Word2Vec(vector_size=params.vector_size, window=params.window, min_count=1, sg=1, hs=0,
                     negative=params.negative, sample=0, alpha=params.alpha, seed=params.seed,
                     workers=params.workers, epochs=params.epochs)
    model, timings, loss, effective, raw = run_gensim(model, label, params, _WalkCorpus(walks),
                                                      scaled(on_progress, WALK_SHARE, 1.0), cancel)
    vectors = WordVectors.from_matrix(model.wv.index_to_key, model.wv.vectors, vocabulary_counts(model))
    timings = {**timings, "walk_s": walks.seconds, "walks_per_s": walks.walks_per_s}
    extra = {"graph": {"name": graph.name, "fingerprint": graph.fingerprint(), "nodes": graph.n_nodes,
                       "edges": graph.n_edges, "directed": graph.directed, "weighted": graph.weighted,
                       "walks": int(walks.rows.shape[0]), "steps": walks.steps}}
    return TrainResult(vectors, algorithm, params, graph.fingerprint(), timings, loss, effective, extra, raw)


def train(params: GraphWalkParams, corpus, on_progress: ProgressFn = no_progress,  # noqa: ANN001
          cancel: CancelToken | None = None) -> TrainResult:
    """The trainer contract (``embedlab.train.base``): the corpus's graph (its attached edge list, else the
    word adjacency graph of its lines) walked and embedded; the node table goes with the result."""
    from embedlab.graphs import corpus_graph, node_table_csv

    graph = corpus_graph(corpus)
    result = train_graph(params, graph, on_progress, cancel)
    result.corpus_fingerprint = corpus.fingerprint
    if graph.n_nodes <= 200_000:  # Louvain on bigger graphs would take longer than the training
        result.category_table = (node_table_csv(graph, params.seed).encode("utf-8"), "the graph's nodes")
    return result
