"""Workflows: the steps a user asks for, composed from the maths, the trainers and the store.

This is the one layer that knows all three: pure maths (``search``, ``analogy``,
``agreement``, ``projection``, ``scoring``...) takes vectors and returns values; the
store (``embedlab.workspace.Workspace``) owns every file; trainers
(``embedlab.train``) return results without saving them. The app's background
jobs and the CLI both call these functions, so the CLI can do what the app does:

* ``train_and_save``: train one algorithm and store the model;
* ``train_spark_and_save``: Word2Vec through Spark MLlib, on a workspace corpus or a URI Spark reads;
* ``evaluate_and_record``: run benchmarks and store the scores in the manifest;
* ``train_trio``: two or three algorithms on one corpus, saved as a comparison;
* ``what_if``: retrain a model with one setting changed, benchmark both, compare;
* ``project_cached``: a map layout, from the store's cache when it was made before;
* ``ensure_sample_corpus`` / ``corpus_from_file``: a corpus, tokenised only once.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from embedlab.config import CorpusParams, ProjectionParams, Word2VecParams, params_to_dict
from embedlab.corpus import PreparedCorpus
from embedlab.documents import DOCUMENTS_FACTS, DOCUMENTS_FILE
from embedlab.graphs import GRAPH_FACTS, GRAPH_FILE, NODES_FILE
from embedlab.errors import CorpusNotFoundError, EmbedlabError, ParameterError
from embedlab.i18n import _, N_
from embedlab.progress import CancelToken, ProgressFn, check, no_progress, scaled
from embedlab.projection import Projection, project
from embedlab.records import BenchmarkRecord, ComparisonRecord, CorpusRef, Manifest
from embedlab.scoring import BenchmarkRequest, Score, default_request, memory_bytes, run_benchmarks, score_key
from embedlab.train.registry import ALGORITHMS, default_model_name, label as algorithm_label, params_from_dict, spec
from embedlab.vectors import WordVectors
from embedlab.workspace import MAX_COMPARED, MIN_COMPARED, Workspace

if typing.TYPE_CHECKING:
    from embedlab.graphs import Graph
    from embedlab.recommend import HoldoutSplit
    from embedlab.train.base import TrainResult


# -- corpora ------------------------------------------------------------------------------------

def ensure_sample_corpus(workspace: Workspace, key: str, on_progress: ProgressFn = no_progress,
                         cancel: CancelToken | None = None) -> PreparedCorpus:
    """A built-in sample's prepared corpus, tokenising it only the first time."""
    from embedlab.samples import get_sample

    sample = get_sample(key)
    if sample.kind == "documents":
        return documents_corpus(workspace, sample.path, sample.params, sample.title, on_progress, cancel)
    for corpus in workspace.list_corpora():
        if corpus.name == sample.title and corpus.tokenizer == sample.params.tokenizer:
            return corpus
    return workspace.add_corpus(sample.path, sample.title, sample.params, on_progress=on_progress, cancel=cancel)


def corpus_from_file(workspace: Workspace, path: Path, params: CorpusParams = CorpusParams(),
                     on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> PreparedCorpus:
    """The corpus made earlier from this file with these options, else a new one (the file stays in place)."""
    path = Path(path)
    existing = workspace.find_corpus(path, params)
    if existing is not None:
        on_progress(1, 1, _("{name} was tokenised before: using corpus {corpus_id}").format(
            name=path.name, corpus_id=existing.corpus_id))
        return existing
    return workspace.add_corpus(path, path.name, params, on_progress=on_progress, cancel=cancel)




def documents_corpus(workspace: Workspace, path: Path, params: CorpusParams = CorpusParams("words"),
                     name: str | None = None, on_progress: ProgressFn = no_progress,
                     cancel: CancelToken | None = None, labels: bool | None = None) -> PreparedCorpus:
    """A file of one document per line (optionally ``label<TAB>text``) as a corpus Doc2Vec reads whole.

    The token file holds the documents' words (so corpus statistics and the word algorithms work on it
    too); the attachment keeps each document's tag, label and snippet. Made once per file and options.
    """
    import tempfile

    from embedlab import documents

    import json

    from embedlab.workspace import file_digest

    path = Path(path)
    name = name or path.name
    wanted = {"size": path.stat().st_size, "tokenizer": params.tokenizer, "lowercase": params.lowercase,
              "labels": labels}
    digest: str | None = None
    for corpus in workspace.list_corpora():
        facts_path = corpus.attachment(DOCUMENTS_FACTS)
        if facts_path is None:
            continue
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        if {k: facts.get(k) for k in wanted} == wanted:
            digest = digest or file_digest(path)
            if facts.get("digest") == digest:
                return corpus
    docs = documents.read_documents(path, params, labels)
    check(cancel)
    with tempfile.TemporaryDirectory() as tmp:
        bodies = Path(tmp) / "documents.txt"  # the words only, one document a line, labels left out
        bodies.write_text("".join(" ".join(t) + "\n" for t in docs.tokens), encoding="utf-8")
        corpus = workspace.add_corpus(bodies, name, CorpusParams("ids", lowercase=False),
                                      on_progress=on_progress, cancel=cancel)
    workspace.attach_to_corpus(corpus.corpus_id, DOCUMENTS_FILE, documents.to_tsv(docs).encode("utf-8"))
    facts = {**wanted, "digest": digest or file_digest(path), "documents": len(docs),
             "labelled": docs.labels is not None}
    workspace.attach_to_corpus(corpus.corpus_id, DOCUMENTS_FACTS, json.dumps(facts).encode("utf-8"))
    return workspace.load_corpus(corpus.corpus_id)


def graph_corpus(workspace: Workspace, graph: "Graph", on_progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> PreparedCorpus:
    """A graph as a corpus: its edges as token lines (statistics: the degree distribution), and attached the
    weighted edge list, direction and node table DeepWalk and Node2Vec read. Made once per graph."""
    import json
    import tempfile

    from embedlab import graphs

    fingerprint = graph.fingerprint()
    for corpus in workspace.list_corpora():
        facts = corpus.attachment(GRAPH_FACTS)
        if facts is not None and json.loads(facts.read_text(encoding="utf-8")).get("fingerprint") == fingerprint:
            return corpus
    with tempfile.TemporaryDirectory() as tmp:
        edges = Path(tmp) / "edges.txt"
        edges.write_text("".join(f"{s} {t}\n" for s, t, _ in graph.edges()), encoding="utf-8")
        corpus = workspace.add_corpus(edges, graph.name, CorpusParams("ids", lowercase=False),
                                      on_progress=on_progress, cancel=cancel)
    facts = {"fingerprint": fingerprint, "name": graph.name, "directed": graph.directed, "weighted": graph.weighted,
             "nodes": graph.n_nodes, "edges": graph.n_edges}
    workspace.attach_to_corpus(corpus.corpus_id, GRAPH_FILE, graphs.to_text(graph).encode("utf-8"))
    workspace.attach_to_corpus(corpus.corpus_id, NODES_FILE, graphs.node_table_csv(graph).encode("utf-8"))
    workspace.attach_to_corpus(corpus.corpus_id, GRAPH_FACTS, json.dumps(facts, ensure_ascii=False).encode("utf-8"))
    return workspace.load_corpus(corpus.corpus_id)


# -- train and save -----------------------------------------------------------------------------

def save_result(workspace: Workspace, result: "TrainResult", corpus: PreparedCorpus, name: str | None = None) -> str:
    """Store a trained model with its manifest; returns the model id."""
    manifest = result.manifest().replace(
        name=name or default_model_name(result.algorithm, corpus.name),
        corpus=CorpusRef(corpus.corpus_id, corpus.name, corpus.fingerprint, corpus.tokenizer, corpus.lowercase,
                         corpus.n_sentences, corpus.n_tokens))
    model_id = workspace.save_model(result.vectors, manifest, arrays=result.arrays)
    if result.snapshots is not None:
        workspace.save_snapshots(model_id, result.snapshots.to_arrays())
    if result.category_table is not None:  # what each vector is (documents' labels, nodes' communities)
        workspace.save_category_table(model_id, *result.category_table)
    return model_id


def train_and_save(
    workspace: Workspace,
    algorithm: str,
    params: Any,
    corpus: PreparedCorpus,
    name: str | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    record_top: int = 0,
) -> str:
    """Train and store in one step (what the app's jobs and the CLI do); returns the model id.

    ``record_top`` > 0 records the training for playback: that many most frequent words'
    vectors after every epoch, saved beside the model (and deleted with it).
    """
    from embedlab.playback import EpochRecorder
    from embedlab.train import train  # gensim and numba are imported only when training starts

    recorder = EpochRecorder(record_top) if record_top > 0 else None
    result = train(algorithm, params, corpus, on_progress, cancel, recorder=recorder)
    return save_result(workspace, result, corpus, name)


def train_spark_and_save(
    workspace: Workspace,
    params: Any,
    corpus: "PreparedCorpus | str",
    name: str | None = None,
    lowercase: bool = True,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> str:
    """Word2Vec through Spark MLlib, stored as a normal model; returns its id.

    ``corpus`` is a workspace corpus, or a path/URI Spark reads itself (``hdfs://``,
    ``s3a://``, a folder or glob), which is recorded in the manifest by its address.
    """
    from embedlab.train import spark_word2vec  # pyspark is imported only when training starts

    if isinstance(corpus, PreparedCorpus):
        result = spark_word2vec.train(params, corpus, on_progress, cancel)
        return save_result(workspace, result, corpus, name)
    result = spark_word2vec.train_uri(params, corpus, lowercase, on_progress, cancel)
    address = str(corpus)
    tokens = result.raw_words // max(params.epochs, 1)
    manifest = result.manifest().replace(
        name=name or default_model_name(result.algorithm, Path(address.rstrip("/")).name or address),
        corpus=CorpusRef(None, address, result.corpus_fingerprint, "spark words", lowercase, 0, tokens))
    return workspace.save_model(result.vectors, manifest)


# -- evaluate and record ------------------------------------------------------------------------

def score_records(scores: Sequence[Score]) -> dict[str, BenchmarkRecord]:
    """Scores as the records a manifest stores, by ``score_key``."""
    return {score_key(score): BenchmarkRecord.from_json(score.to_json()) for score in scores}


def evaluate_and_record(
    workspace: Workspace,
    model_id: str,
    request: BenchmarkRequest,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> list[Score]:
    """Benchmark a saved model and store the scores (and its memory) in its manifest, other scores kept."""
    vectors = workspace.load_vectors(model_id)
    scores = run_benchmarks(vectors, request, on_progress, cancel)
    metrics = workspace.manifest(model_id).metrics.with_scores(score_records(scores), memory_bytes(vectors))
    workspace.update_manifest(model_id, metrics=metrics)
    return scores


# -- one click, two or three algorithms -------------------------------------------------------

#: the settings a one-click comparison shares between the algorithms
SHARED_FIELDS = ("vector_size", "window", "min_count", "epochs", "seed", "workers")
_W2V_FIELDS = {f.name: f for f in dataclasses.fields(Word2VecParams)}


def _like(name: str, default: Any) -> Any:
    """A field with Word2VecParams' label, help and bounds, so forms and validation read the same."""
    return field(default=default, metadata=_W2V_FIELDS[name].metadata)


@dataclass(frozen=True)
class SharedSettings:
    """Settings every algorithm of a comparison takes the same value of."""

    vector_size: int = _like("vector_size", 100)
    window: int = _like("window", 5)
    min_count: int = _like("min_count", 5)
    epochs: int = _like("epochs", 5)
    seed: int = _like("seed", 1)
    workers: int = _like("workers", 2)


def word_algorithms() -> tuple[str, ...]:
    """The algorithms whose vectors are the corpus's words (what a one-click comparison trains side by side)."""
    return tuple(key for key, algorithm_spec in ALGORITHMS.items()
                 if algorithm_spec.units == "words" and algorithm_spec.input == "corpus")  # not the Spark engine


def trio_params(shared: SharedSettings = SharedSettings(), own: Mapping[str, Mapping[str, Any]] | None = None,
                algorithms: Sequence[str] | None = None) -> dict[str, Any]:
    """Each algorithm's params: the shared settings, overridden by that algorithm's ``own`` values.

    ``own['glove'] = {'epochs': 15, 'window': 10}`` gives GloVe its usual longer run
    and wider window while the others keep the shared ones. Shared settings an
    algorithm does not have are left out for it.
    """
    own = own or {}
    unknown = set(own) - set(ALGORITHMS)
    if unknown:
        raise ParameterError(N_("Unknown algorithm(s) {unknown}."), unknown=', '.join(sorted(unknown)))
    result = {}
    for algorithm in algorithms if algorithms is not None else word_algorithms():
        values = {**dataclasses.asdict(shared), **{k: v for k, v in own.get(algorithm, {}).items() if v is not None}}
        result[algorithm] = params_from_dict(algorithm, values)  # validates bounds with readable messages
    return result


def train_trio(
    workspace: Workspace,
    corpus: PreparedCorpus,
    params: Mapping[str, Any],
    name: str = "",
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ComparisonRecord:
    """Train each algorithm in ``params`` on ``corpus``, save each model, then the comparison.

    Each model is saved as soon as it is trained, so a cancel during the third run
    keeps the first two (the comparison itself is saved only when all are done). The
    progress bar is shared out by each algorithm's ``AlgorithmSpec.cost``.
    """
    if not MIN_COMPARED <= len(params) <= MAX_COMPARED:
        raise EmbedlabError(N_("Compare {min_compared} or {max_compared} algorithms; {n_params} given."),
                            min_compared=MIN_COMPARED, max_compared=MAX_COMPARED, n_params=len(params))
    from embedlab.samples import shown_corpus_name

    # a built-in sample named in the reader's language, as the Train page names its models (the job runs in the
    # submitting session's language; the CLI's is English); the stored corpus name stays English
    corpus_name = shown_corpus_name(corpus.name)
    costs = {algorithm: spec(algorithm).cost for algorithm in params}
    total = sum(costs.values())
    done = 0.0
    model_ids = []
    for algorithm, algorithm_params in params.items():
        check(cancel)
        share = costs[algorithm] / total
        report = scaled(on_progress, done, done + share)
        model_ids.append(train_and_save(workspace, algorithm, algorithm_params, corpus,
                                        f"{algorithm_label(algorithm)} · {corpus_name}" + (f" · {name}" if name else ""),
                                        report, cancel))
        done += share
    settings = {algorithm: params_to_dict(p) for algorithm, p in params.items()}
    title = name or f"{' vs '.join(algorithm_label(a) for a in params)} · {corpus_name}"
    return workspace.save_comparison(model_ids, title, kind="trio", corpus_id=corpus.corpus_id, settings=settings)


# -- what if one setting were different? -------------------------------------------------------

@dataclass(frozen=True)
class WhatIf:
    """A one-setting change offered as a button: label, field and the new value."""

    label: str
    field: str
    value: Any


def retrainable(manifest: Manifest) -> bool:
    """Whether a model was trained here (known algorithm, stored params), so it can be retrained."""
    return manifest.algorithm in ALGORITHMS and bool(manifest.params)


def what_if_presets(algorithm: str, params: Mapping[str, Any]) -> list[WhatIf]:
    """The classic experiments for this model: window 2 or 10, SG ↔ CBOW, NS ↔ HS, dimensions ×2."""
    presets = []
    window = params.get("window")
    if window is not None:
        to = 2 if window != 2 else 10
        presets.append(WhatIf(_("window {old} → {new}").format(old=window, new=to), "window", to))
        if window not in (2, 10):
            presets.append(WhatIf(_("window {old} → {new}").format(old=window, new=10), "window", 10))
    if "architecture" in params:
        other = "cbow" if params["architecture"] == "skipgram" else "skipgram"
        presets.append(WhatIf(f"{params['architecture']} → {other}", "architecture", other))
    if params.get("loss") == "negative":
        presets.append(WhatIf(_("negative sampling → hierarchical softmax"), "loss", "hierarchical"))
    elif params.get("loss") == "hierarchical":
        presets.append(WhatIf(_("hierarchical softmax → negative sampling"), "loss", "negative"))
    if "vector_size" in params and params["vector_size"] * 2 <= 1000:
        presets.append(WhatIf(_("dimensions {old} → {new}").format(old=params["vector_size"], new=params["vector_size"] * 2),
                              "vector_size", params["vector_size"] * 2))
    if algorithm == "glove" and "x_max" in params:
        presets.append(WhatIf(f"x_max {params['x_max']:g} → {10 if params['x_max'] != 10 else 100}", "x_max",
                              10.0 if params["x_max"] != 10 else 100.0))
    return presets


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def parse_setting(params_class: type, name: str, text: str) -> Any:
    """A typed value for field ``name`` of a params dataclass from a user's text, or a clear error."""
    hints = typing.get_type_hints(params_class)
    if name not in hints:
        raise ParameterError(N_("There is no setting {name!r}."), name=name)
    hint = hints[name]
    text = text.strip()
    if not text:
        raise EmbedlabError(N_("Type the new value for the setting."))
    try:
        if hint is bool:
            lowered = text.lower()
            if lowered in _TRUE or lowered in _FALSE:
                return lowered in _TRUE
            raise ValueError(text)
        if hint is int or hint == (int | None):
            return int(text)
        if hint is float:
            return float(text)
    except ValueError:
        template = {bool: N_("{text!r} is not a valid value for {name} (yes or no)."),
                    int: N_("{text!r} is not a valid value for {name} (a whole number)."),
                    float: N_("{text!r} is not a valid value for {name} (a number).")}.get(
            int if hint == (int | None) else hint, N_("{text!r} is not a valid value for {name}."))
        raise EmbedlabError(template, text=text, name=name) from None
    return text


def what_if_params(manifest: Manifest, field_name: str, value: Any) -> Any:
    """The base model's parameters with one field changed (validated)."""
    if not retrainable(manifest):
        raise EmbedlabError(N_("This model was loaded from a file, not trained here, so it cannot be retrained. "
                               "Pick a model trained in embedlab."))
    algorithm_spec = spec(manifest.algorithm)
    names = {f.name for f in dataclasses.fields(algorithm_spec.params_class)}
    if field_name not in names:
        raise ParameterError(N_("{label} has no setting {field_name!r}."),
                             label=algorithm_spec.label, field_name=field_name)
    base = params_from_dict(manifest.algorithm, manifest.params)
    if getattr(base, field_name) == value:
        raise ParameterError(N_("{field_name} is already {value!r} in this model: choose a different value."),
                             field_name=field_name, value=value)
    return params_from_dict(manifest.algorithm, {**params_to_dict(base), field_name: value})


def train_what_if(
    workspace: Workspace,
    base_model_id: str,
    field_name: str,
    value: Any,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ComparisonRecord:
    """Retrain ``base_model_id`` on its own corpus with one setting changed; save both as a what-if comparison."""
    manifest = workspace.manifest(base_model_id)
    params = what_if_params(manifest, field_name, value)
    corpus_id = manifest.corpus.id if manifest.corpus is not None else None
    if not corpus_id:
        raise EmbedlabError(N_("This model does not record which corpus it was trained on, so it cannot be retrained."))
    try:
        corpus = workspace.load_corpus(corpus_id)
    except CorpusNotFoundError:
        raise EmbedlabError(N_("The corpus this model was trained on has been deleted, so it cannot be retrained. "
                               "Add the corpus again and train a new model.")) from None
    if corpus.fingerprint != (manifest.corpus_fingerprint or corpus.fingerprint):
        raise EmbedlabError(N_("The corpus has changed since this model was trained; a what-if would not be a fair comparison."))
    before = manifest.params.get(field_name)
    base_name = manifest.name or base_model_id
    new_model = train_and_save(workspace, manifest.algorithm, params, corpus,
                               f"{base_name} · {field_name}={value}", on_progress, cancel)
    return workspace.save_comparison([base_model_id, new_model], f"What if {field_name} = {value}? ({base_name})",
                                     kind="what-if", corpus_id=corpus_id,
                                     settings={"field": field_name, "before": before, "after": value,
                                               "base": base_model_id})


def what_if(
    workspace: Workspace,
    base_model_id: str,
    field_name: str,
    value: Any,
    request: BenchmarkRequest | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ComparisonRecord:
    """Retrain with one setting changed, then benchmark both models (``default_request()`` unless given).

    Training takes the first 85% of the progress bar, each model's benchmarks half the rest.
    """
    made = train_what_if(workspace, base_model_id, field_name, value, scaled(on_progress, 0, 0.85), cancel)
    request = request or default_request()
    for i, model_id in enumerate(made.model_ids):
        evaluate_and_record(workspace, model_id, request,
                            scaled(on_progress, 0.85 + 0.075 * i, 0.925 + 0.075 * i), cancel)
    return made


# -- maps ---------------------------------------------------------------------------------------

def project_cached(workspace: Workspace, vectors: WordVectors, params: ProjectionParams,
                   on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Projection:
    """``projection.project``, served from and saved to the store's cache (PCA is not worth caching)."""
    if params.method != "pca":
        cached = workspace.load_projection(vectors, params)
        if cached is not None:
            return cached
    result = project(vectors, params, on_progress, cancel)
    if params.method != "pca":
        workspace.save_projection(vectors, result)
    return result


# -- Item2Vec as a recommender ------------------------------------------------------------------

#: what a held-out sessions corpus keeps beside its tokens: one "query<TAB>held-out item" a line
HELDOUT_FILE = "heldout.tsv"
#: the key of the recommendation scores in a manifest's metrics
RECOMMENDATION_KEY = "recommendation"


def holdout_corpus(workspace: Workspace, corpus: PreparedCorpus, on_progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> PreparedCorpus:
    """The sessions of ``corpus`` without their last item, as a corpus to train Item2Vec on honestly.

    The held-out items (and the item before each, the query) are attached to it, so any model trained
    on this corpus is scored on items it never saw. Made once per source corpus.
    """
    import tempfile

    from embedlab.recommend import holdout_last

    name = f"{corpus.name} · last item held out"
    for existing in workspace.list_corpora():
        if existing.name == name and existing.attachment(HELDOUT_FILE) is not None:
            return existing
    split = holdout_last(corpus.sentences(cancel))
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "train.txt"
        text.write_text("".join(" ".join(s) + "\n" for s in split.train), encoding="utf-8")
        held = workspace.add_corpus(text, name, CorpusParams("ids", lowercase=False), on_progress=on_progress,
                                    cancel=cancel)
    cases = "".join(f"{q}\t{t}\n" for q, t in zip(split.queries, split.targets))
    workspace.attach_to_corpus(held.corpus_id, HELDOUT_FILE, cases.encode("utf-8"))
    return workspace.load_corpus(held.corpus_id)


@dataclass(frozen=True)
class RecommendationReport:
    """A model and the two baselines on one leave-last-out split."""

    model_id: str
    scores: list  # list[recommend.RecommendationScores], model first
    #: True when the model was trained on the whole sessions (the held-out items included): scores flatter it
    leaky: bool
    corpus_name: str

    def rows(self) -> list[dict[str, Any]]:
        return [s.row() for s in self.scores]


def split_for_corpus(corpus: PreparedCorpus) -> tuple["HoldoutSplit", bool]:
    """The leave-last-out split a model trained on ``corpus`` is scored with, and whether it leaks.

    A held-out corpus (``holdout_corpus``) gives its own training sessions and the attached cases: no
    leak. Any other sessions corpus is split now, but a model trained on it has seen the held-out items.
    """
    from embedlab.recommend import HoldoutSplit, holdout_last

    cases = corpus.attachment(HELDOUT_FILE)
    if cases is None:
        return holdout_last(corpus.sentences()), True
    pairs = [line.split("\t", 1) for line in cases.read_text(encoding="utf-8").splitlines() if "\t" in line]
    return HoldoutSplit([list(s) for s in corpus.sentences()], [q for q, _ in pairs], [t for _, t in pairs]), False


def recommend_and_record(workspace: Workspace, model_id: str, ks: Sequence[int] = (5, 10, 20),
                         on_progress: ProgressFn = no_progress, cancel: CancelToken | None = None
                         ) -> RecommendationReport:
    """HitRate/Recall@K and MRR of a model against most-popular and co-occurrence baselines, stored in its
    manifest (``metrics.recommendation``) so Compare can put models side by side."""
    from embedlab.recommend import evaluate_all

    manifest = workspace.manifest(model_id)
    if manifest.corpus is None or not manifest.corpus.id:
        raise EmbedlabError(N_("This model has no corpus in the workspace (an imported model?), so there are no "
                               "sessions to hold items out of. Train Item2Vec on a sessions corpus first."))
    try:
        corpus = workspace.load_corpus(manifest.corpus.id)
    except CorpusNotFoundError:
        raise EmbedlabError(N_("The corpus this model was trained on ({name}) was deleted, so "
                               "its sessions cannot be split."), name=manifest.corpus.name) from None
    on_progress(0, 2, _("Holding out the last item of each session"))
    split, leaky = split_for_corpus(corpus)
    check(cancel)
    vectors = workspace.load_vectors(model_id)
    on_progress(1, 2, _("Scoring {n:,} held-out items").format(n=len(split)))
    scores = evaluate_all(vectors, split, ks, name=manifest.name or algorithm_label(manifest.algorithm))
    record = {"ks": list(ks), "leaky": leaky, "corpus": corpus.name, "cases": len(split),
              "scores": [s.to_json() for s in scores]}
    metrics = manifest.metrics
    workspace.update_manifest(model_id, metrics=dataclasses.replace(
        metrics, extra={**metrics.extra, RECOMMENDATION_KEY: record}))
    on_progress(2, 2, _("Done"))
    return RecommendationReport(model_id, scores, leaky, corpus.name)


def stored_recommendation(manifest: Manifest) -> RecommendationReport | None:
    """The recommendation scores ``recommend_and_record`` stored for a model, if any."""
    from embedlab.recommend import RecommendationScores

    data = manifest.metrics.extra.get(RECOMMENDATION_KEY)
    if not isinstance(data, Mapping):
        return None
    return RecommendationReport(manifest.id, [RecommendationScores.from_json(s) for s in data.get("scores", [])],
                                bool(data.get("leaky")), str(data.get("corpus", "")))
