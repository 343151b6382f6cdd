"""``python -m embedlab`` (or ``embedlab``): the app's operations from a terminal.

The same workspace as the app (``--workspace``, else ``$EMBEDLAB_WORKSPACE``, else
``./workspace``), the same parameters (the ``train`` flags are generated from the
dataclasses in ``embedlab.config``, with their help text and bounds), the same
library calls (``embedlab.workflows``). Output is plain tables on stdout; progress goes to stderr. A
user's mistake prints ``embedlab: error: <message>`` and exits 1; a usage error
exits 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
import typing
from pathlib import Path
from typing import Any, Callable, Sequence

from embedlab.diskfull import as_disk_full, is_disk_full
from embedlab.errors import EmbedlabError, ModelNotFoundError

PROG = "embedlab"


# -- output -------------------------------------------------------------------------------------

def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as a plain aligned text table (numbers right-aligned), for terminals and pipes."""
    if not rows:
        return "(nothing)"
    columns = list(columns or rows[0].keys())

    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.4f}"
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return str(value)

    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row.get(c), (int, float)) or row.get(c) is None for row in rows) for c in columns]
    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()
    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)])


class Progress:
    """A ``ProgressFn`` that writes a line to stderr at most every half second (and the last one)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.last = 0.0

    def __call__(self, done: float, total: float, message: str) -> None:
        now = time.monotonic()
        if self.quiet or (now - self.last < 0.5 and done < total):
            return
        self.last = now
        percent = f"{100 * done / total:3.0f}%" if total else "   "
        print(f"  {percent} {message}", file=sys.stderr, flush=True)


# -- shared helpers -----------------------------------------------------------------------------

def _say(args: argparse.Namespace, message: str) -> None:
    """A status line on stderr, unless ``-q``: then stdout has the result and stderr only problems."""
    if not args.quiet:
        print(message, file=sys.stderr)


def _workspace(args: argparse.Namespace):
    from embedlab.workspace import Workspace

    return Workspace(args.workspace)


def resolve_model(workspace, ref: str | None) -> str:
    """A model id from an id, a unique name or id prefix, or (None) the newest model."""
    records = workspace.list_models()
    if not records:
        raise ModelNotFoundError("The workspace has no models yet. Train one (embedlab train word2vec --corpus english) "
                                 "or import vectors (embedlab import FILE).")
    if ref is None:
        return records[0].model_id
    for matches in ([r for r in records if r.model_id == ref], [r for r in records if r.name == ref],
                    [r for r in records if r.model_id.startswith(ref)]):
        if len(matches) == 1:
            return matches[0].model_id
        if len(matches) > 1:
            raise ModelNotFoundError(f"{ref!r} matches {len(matches)} models ({', '.join(m.model_id for m in matches[:4])}); "
                                     f"use the id.")
    raise ModelNotFoundError(f"No model {ref!r} in {workspace.root}. 'embedlab models' lists them.")


def resolve_corpus(workspace, ref: str | None, progress: Progress):
    """A prepared corpus from an id, a built-in sample key, or a text file (tokenised into the workspace)."""
    from embedlab import samples

    corpora = workspace.list_corpora()
    if ref is None:
        if not corpora:
            raise EmbedlabError("The workspace has no corpus yet: pass --corpus with a file or a sample "
                                f"({', '.join(s.key for s in samples.builtin_samples())}).")
        return corpora[0]
    for corpus in corpora:
        if corpus.corpus_id == ref:
            return corpus
    if ref in {s.key for s in samples.builtin_samples()}:
        from embedlab.workflows import ensure_sample_corpus

        return ensure_sample_corpus(workspace, ref, progress)
    path = Path(ref)
    if path.is_file():
        return None  # the caller tokenises it with its own options
    raise EmbedlabError(f"{ref!r} is neither a corpus id in the workspace, a built-in sample "
                        f"({', '.join(s.key for s in samples.builtin_samples())}), nor a file.")


def _corpus_params(args: argparse.Namespace):
    from embedlab.config import CorpusParams

    return CorpusParams(tokenizer=args.tokenizer, lowercase=not args.keep_case)


def _prepared(workspace, ref: str | None, args: argparse.Namespace, progress: Progress):
    """The corpus ``ref`` names; a file is tokenised once, then recognised (``workflows.corpus_from_file``)."""
    from embedlab.workflows import corpus_from_file

    corpus = resolve_corpus(workspace, ref, progress)
    if corpus is None:
        corpus = corpus_from_file(workspace, Path(ref), _corpus_params(args), progress)
    return corpus


# -- commands -----------------------------------------------------------------------------------

def cmd_models(args: argparse.Namespace) -> int:
    from embedlab.train.registry import described_kind

    rows = [{"id": r.model_id, "name": r.name,
             "algorithm": described_kind(r.algorithm, r.manifest.original, r.manifest.subword is not None),
             "words": r.manifest.vocab_size, "dims": r.manifest.dim, "created": r.created}
            for r in _workspace(args).list_models()]
    print(format_table(rows) if rows else "No models yet.")
    return 0


def cmd_corpus_list(args: argparse.Namespace) -> int:
    rows = [{"id": c.corpus_id, "name": c.name, "tokenizer": c.tokenizer, "sentences": c.n_sentences,
             "tokens": c.n_tokens} for c in _workspace(args).list_corpora()]
    print(format_table(rows) if rows else "No corpora yet.")
    return 0


def cmd_corpus_stats(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    corpus = _prepared(workspace, args.source, args, Progress(args.quiet))
    stats = corpus.stats
    print(format_table([
        {"fact": "corpus id", "value": corpus.corpus_id},
        {"fact": "name", "value": corpus.name},
        {"fact": "tokeniser", "value": f"{corpus.tokenizer}{'' if corpus.lowercase else ' (case kept)'}"},
        {"fact": "encoding", "value": corpus.encoding},
        {"fact": "sentences", "value": f"{corpus.n_sentences:,}"},
        {"fact": "tokens", "value": f"{corpus.n_tokens:,}"},
        *([{"fact": "distinct words", "value": f"{stats.n_types:,}"},
           {"fact": "words seen >= 5 times", "value": f"{stats.types_at_least(5):,}"},
           {"fact": "empty lines", "value": f"{stats.empty_lines:,}"}] if stats else []),
    ]))
    if stats and args.top:
        print()
        print(format_table([{"rank": i, "word": w, "count": c} for i, (w, c) in enumerate(stats.top_words[:args.top], 1)]))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from embedlab.train.registry import spec
    from embedlab.workflows import train_and_save

    if getattr(args, "engine", "gensim") == "spark":
        return cmd_train_spark(args)
    _refuse_spark_flags(args)
    workspace = _workspace(args)
    progress = Progress(args.quiet)
    algorithm = spec(args.algorithm)
    if getattr(args, "graph", None):
        corpus = _graph_corpus(workspace, args.graph, args.directed, progress)
    elif algorithm.units == "documents" and args.corpus and Path(args.corpus).is_file() \
            and resolve_corpus(workspace, args.corpus, progress) is None:
        from embedlab.workflows import documents_corpus

        corpus = documents_corpus(workspace, Path(args.corpus), _corpus_params(args), on_progress=progress)
    else:
        corpus = _prepared(workspace, args.corpus, args, progress)
    cls = algorithm.params_class
    values = {f.name: getattr(args, f"param_{f.name}") for f in dataclasses.fields(cls)
              if getattr(args, f"param_{f.name}", None) is not None}
    params = cls(**values)
    params.validate()
    _say(args, f"Training {algorithm.label} on {corpus.name} ({corpus.n_tokens:,} tokens)")
    model_id = train_and_save(workspace, args.algorithm, params, corpus, args.name, progress,
                              record_top=getattr(args, "record_epochs", 0) or 0)
    manifest = workspace.manifest(model_id)
    print(format_table([{"id": model_id, "name": manifest.name, algorithm.units: manifest.vocab_size,
                         "dims": manifest.dim, "seconds": manifest.seconds}]))
    return 0


def cmd_playback(args: argparse.Namespace) -> int:
    from embedlab import playback

    workspace = _workspace(args)
    model_id = resolve_model(workspace, args.model)
    arrays = workspace.load_snapshots(model_id)
    if arrays is None:
        raise EmbedlabError(f"Model {model_id} was trained without recording. Train with --record-epochs, e.g. "
                            "'embedlab train word2vec --corpus english --record-epochs'.")
    snapshots = playback.Snapshots.from_arrays(arrays)
    word = args.word or next((w for w in snapshots.words if len(w) >= 4), snapshots.words[0])
    by_epoch = playback.neighbours_by_epoch(snapshots, word, args.k)
    settled = playback.neighbour_overlap(by_epoch)
    loss = list(workspace.manifest(model_id).loss)
    print(f"Neighbours of '{word}' epoch by epoch ({len(snapshots.words):,} words recorded; epoch 0 is before training)")
    rows = []
    for i, (epoch, found) in enumerate(zip(snapshots.epochs.tolist(), by_epoch)):
        rows.append({"epoch": epoch, "neighbours": ", ".join(f"{w} {s:.2f}" for w, s in found),
                     "as final": f"{settled[i]:.0%}", "loss": f"{loss[epoch - 1]:,.4g}" if 0 < epoch <= len(loss) else ""})
    print(format_table(rows))
    return 0


def _graph_corpus(workspace, ref: str, directed: bool, progress: Progress):
    """A shipped graph's key or an edge-list file, as the workspace's graph corpus (made once per graph)."""
    from embedlab import graphs
    from embedlab.workflows import graph_corpus

    if ref in graphs.BUILTIN_GRAPHS:
        graph = graphs.builtin_graph(ref)
    elif Path(ref).is_file():
        graph = graphs.read_edge_file(Path(ref), directed=directed)
    else:
        raise EmbedlabError(f"{ref!r} is neither an edge-list file nor a built-in graph "
                            f"({', '.join(graphs.BUILTIN_GRAPHS)}).")
    print(f"Graph {graph.name}: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges"
          f"{', directed' if graph.directed else ''}{', weighted' if graph.weighted else ''}", file=sys.stderr)
    return graph_corpus(workspace, graph, progress)


#: Word2Vec flags of gensim that MLlib has no counterpart for (it trains skip-gram with hierarchical softmax)
GENSIM_ONLY = ("architecture", "loss", "sample", "negative", "workers")


def _spark_only() -> list[str]:
    from embedlab.config import SparkWord2VecParams, Word2VecParams

    shared = {f.name for f in dataclasses.fields(Word2VecParams)}
    return [f.name for f in dataclasses.fields(SparkWord2VecParams) if f.name not in shared]


def _refuse_spark_flags(args: argparse.Namespace) -> None:
    given = [n for n in _spark_only() if getattr(args, f"param_{n}", None) is not None]
    if given:
        raise EmbedlabError(f"--{given[0].replace('_', '-')} applies to --engine spark only.")


def cmd_train_spark(args: argparse.Namespace) -> int:
    """``train word2vec --engine spark``: Spark MLlib on a workspace corpus, a file, or a URI Spark reads."""
    from embedlab.config import SparkWord2VecParams
    from embedlab.train import spark_word2vec
    from embedlab.workflows import train_spark_and_save

    given = [n for n in GENSIM_ONLY if getattr(args, f"param_{n}", None) is not None]
    if given:
        raise EmbedlabError(f"--{given[0]} does not apply to Spark: MLlib trains skip-gram with hierarchical softmax.")
    values = {f.name: getattr(args, f"param_{f.name}") for f in dataclasses.fields(SparkWord2VecParams)
              if getattr(args, f"param_{f.name}", None) is not None}
    params = SparkWord2VecParams(**values)
    params.validate()
    spark_word2vec.check_available()
    workspace = _workspace(args)
    progress = Progress(args.quiet)
    ref = args.corpus
    if ref is not None and ("://" in ref or any(c in ref for c in "*?[") or Path(ref).is_dir()):
        corpus = ref  # Spark reads (and tokenises) it where it is
        _say(args, f"Training Word2Vec with Spark ({params.master}) on {ref}")
    else:
        corpus = _prepared(workspace, ref, args, progress)
        _say(args, f"Training Word2Vec with Spark ({params.master}) on {corpus.name} ({corpus.n_tokens:,} tokens)")
    model_id = train_spark_and_save(workspace, params, corpus, args.name, not args.keep_case, progress)
    manifest = workspace.manifest(model_id)
    print(format_table([{"id": model_id, "name": manifest.name, "words": manifest.vocab_size,
                         "dims": manifest.dim, "seconds": manifest.seconds}]))
    return 0


def cmd_neighbours(args: argparse.Namespace) -> int:
    from embedlab.errors import UnknownWordError
    from embedlab.search import neighbour_table

    workspace = _workspace(args)
    model_id = resolve_model(workspace, args.model)
    vectors = workspace.load_vectors(model_id)
    index = _searcher(args, workspace, model_id, vectors)
    args.words = _fold(vectors, args.words)
    if len(args.words) == 1:  # one word: an unknown word is the error itself, with suggestions
        found = index.query(args.words[0], k=args.k)
        _say_composed(vectors, args.words)
        print(format_table([{"rank": n.rank, "word": n.word, "similarity": n.similarity} for n in found]))
        return 0
    # several words: one batched search; unknown words are reported, the rest still answered
    result = neighbour_table(index, args.words, args.k)
    _say_composed(vectors, result.composed)
    for word, suggestions in result.unknown.items():
        print(f"embedlab: {UnknownWordError(word, suggestions)}", file=sys.stderr)
    if not result.table.empty:
        print(format_table(result.table.to_dict("records")))
    return 1 if result.unknown else 0


def _searcher(args: argparse.Namespace, workspace, model_id: str, vectors):
    """The index the Index lab saved with this model, as the Neighbours page uses it (``--exact``: exact search).

    Said on stderr, since an approximate index may rank a little differently from exact search.
    """
    from embedlab import index_choice
    from embedlab.search import NeighbourIndex

    spec = None if args.exact else index_choice.saved_spec(workspace, model_id, vectors)
    if spec is None:
        return NeighbourIndex(vectors)
    _say(args, f"Searching with the index chosen in the Index lab: {spec.label} (--exact for exact search)")
    return index_choice.searcher(spec, vectors)


def _fold(vectors, words: list[str]) -> list[str]:
    """'King' in a lower-cased model means 'king', as on the Neighbours and Analogies pages (before FastText would
    compose 'King' from n-grams); each folded word gets the pages' note on stderr."""
    from embedlab.analogy import folded_note

    folded = []
    for word in words:
        if word not in vectors.index and word.lower() in vectors.index:
            print(folded_note(word, word.lower()), file=sys.stderr)
            word = word.lower()
        folded.append(word)
    return folded


def _say_composed(vectors, words) -> None:
    """On stderr, for each word FastText composed from n-grams: the same note the app shows."""
    from embedlab.subword import composed_note

    for word in words:
        ngrams = vectors.composed_ngrams(word)
        if ngrams is not None:
            print(composed_note(word, ngrams), file=sys.stderr)


def cmd_analogy(args: argparse.Namespace) -> int:
    from embedlab.analogy import folded_note, solve_text
    from embedlab.subword import composed_note

    workspace = _workspace(args)
    vectors = workspace.load_vectors(resolve_model(workspace, args.model))
    result = solve_text(vectors, " ".join(args.expression), method=args.method, k=args.k,
                        exclude_inputs=not args.keep_inputs)
    for word, ngrams in result.composed.items():  # the notes the Analogies page shows, in the same words
        print(composed_note(word, ngrams), file=sys.stderr)
    for word, found in result.folded.items():
        print(folded_note(word, found), file=sys.stderr)
    _say(args, f"{result.expression}  ({result.label})")
    print(format_table([{"rank": a.rank, "word": a.word, "score": a.score, "cosine": a.cosine,
                         "input": "yes" if a.is_input else ""} for a in result.answers]))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from embedlab import benchmark_files as bf
    from embedlab import scoring, workflows

    workspace = _workspace(args)
    model_id = resolve_model(workspace, args.model)
    if args.recall_at_k:
        return _evaluate_recommendations(workspace, model_id, args)
    benchmarks = [bf.bundled(key) for key in (args.benchmark or list(bf.BUNDLED))]
    for path in args.analogies or ():
        benchmarks.append(bf.parse_upload(Path(path).read_bytes(), Path(path).name, "analogy"))
    for path in args.pairs or ():
        benchmarks.append(bf.parse_upload(Path(path).read_bytes(), Path(path).name, "pairs"))
    request = scoring.BenchmarkRequest(tuple(benchmarks), tuple(args.method or ["3cosadd"]), args.restrict_vocab)
    scores = workflows.evaluate_and_record(workspace, model_id, request, Progress(args.quiet))
    rows = []
    for score in scores:
        data = score.to_json()
        rows.append({"benchmark": scoring.score_key(score), "score": data.get("score"), "answered": data.get("answered"),
                     "total": data.get("total"), "coverage": data.get("coverage")})
    print(format_table(rows))
    return 0


def _evaluate_recommendations(workspace, model_id: str, args: argparse.Namespace) -> int:
    from embedlab import workflows

    report = workflows.recommend_and_record(workspace, model_id, tuple(args.k or (5, 10, 20)), Progress(args.quiet))
    print(f"Leave-last-out on {report.corpus_name}: {report.scores[0].n_cases:,} sessions, the last item of each "
          "held out; the item before it is the query.")
    if report.leaky:
        print("Warning: this model was trained on the whole sessions, held-out items included, so its scores are "
              "flattering. For an honest score: `embedlab corpus holdout CORPUS`, train on that corpus, evaluate "
              "again.", file=sys.stderr)
    print(format_table(report.rows()))
    return 0


def cmd_corpus_holdout(args: argparse.Namespace) -> int:
    from embedlab.workflows import holdout_corpus

    workspace = _workspace(args)
    progress = Progress(args.quiet)
    corpus = holdout_corpus(workspace, _prepared(workspace, args.source, args, progress), progress)
    cases = sum(1 for _ in open(corpus.attachment("heldout.tsv"), encoding="utf-8"))
    print(format_table([{"id": corpus.corpus_id, "name": corpus.name, "sessions": corpus.n_sentences,
                         "held-out items": cases}]))
    return 0


def cmd_index_lab(args: argparse.Namespace) -> int:
    from embedlab import index_choice, index_lab

    workspace = _workspace(args)
    model_id = resolve_model(workspace, args.model)
    vectors = workspace.load_vectors(model_id)
    if args.forget:
        index_choice.save(workspace, model_id, vectors, None)
        _say(args, "Neighbours of this model are searched with the default search again.")
        return 0
    kinds = tuple(args.index or index_lab.KINDS)
    specs = index_lab.sweep_specs(min(len(vectors), args.max_vectors), vectors.dim,
                                  nprobes=tuple(args.nprobe or index_lab.DEFAULT_NPROBES),
                                  ef_searches=tuple(args.ef_search or index_lab.DEFAULT_EF_SEARCH),
                                  pq_bytes=tuple(args.pq_bytes or index_lab.DEFAULT_PQ_BYTES), kinds=kinds)
    result = index_lab.run_sweep(vectors, k=args.k, n_queries=args.queries, max_vectors=args.max_vectors,
                                 specs=specs, on_progress=Progress(args.quiet))
    print(f"{result.n_vectors:,} vectors x {result.dim} dims, {result.n_queries} queries, recall@{result.k} against "
          f"exact search; sweep took {result.seconds:.1f} s")
    print(format_table(result.table()))
    best = index_lab.best_for(result, args.min_recall)
    if best is not None:
        print(f"\nFastest with recall@{result.k} >= {args.min_recall}: {best.spec.label} "
              f"({best.latency_ms:.3f} ms a query, {best.memory_bytes / 1024**2:.1f} MB)")
    if args.use_best:
        if best is None:
            raise EmbedlabError(f"No setting reached recall@{result.k} >= {args.min_recall}: nothing was saved.")
        index_choice.save(workspace, model_id, vectors, best.spec)
        _say(args, f"Saved {best.spec.label} with the model: the Neighbours page and `neighbours` answer with it.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from embedlab import io as vector_io

    workspace = _workspace(args)
    path = Path(args.file)
    if not path.is_file():
        raise EmbedlabError(f"{args.file} is not a file.")
    result = vector_io.import_vectors(workspace, path, source_name=path.name, name=args.name, format=args.format,
                                      limit=args.limit, metadata=args.metadata, reuse=not args.no_reuse,
                                      on_progress=Progress(args.quiet))
    print(format_table([{"id": result.model_id, "format": result.format, "words": result.rows, "dims": result.dims,
                         "seconds": round(result.seconds, 2), "reused": "yes" if result.reused else "no"}]))
    return 0


def cmd_compare_list(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    rows = [{"id": c.comparison_id, "name": c.name, "kind": c.kind, "models": len(c.model_ids),
             "missing": len(workspace.missing_models(c)), "created": c.created} for c in workspace.list_comparisons()]
    print(format_table(rows) if rows else "No comparisons yet.")
    return 0


def cmd_compare_train(args: argparse.Namespace) -> int:
    """The Compare page's one click: each algorithm on one corpus with shared settings, saved as a comparison."""
    from embedlab import reports
    from embedlab.workflows import SharedSettings, train_trio, trio_params

    workspace = _workspace(args)
    progress = Progress(args.quiet)
    corpus = _prepared(workspace, args.corpus, args, progress)
    values = {f.name: getattr(args, f"param_{f.name}") for f in dataclasses.fields(SharedSettings)
              if getattr(args, f"param_{f.name}", None) is not None}
    params = trio_params(SharedSettings(**values), algorithms=args.algorithm or None)
    made = train_trio(workspace, corpus, params, args.name or "", progress)
    manifests = [workspace.manifest(i) for i in made.model_ids]
    print(format_table([{"column": title, "id": m.id, "words": m.vocab_size, "seconds": m.seconds}
                        for title, m in zip(reports.column_names(manifests, made), manifests)]))
    _say(args, f"comparison {made.comparison_id}")
    return 0


def cmd_what_if(args: argparse.Namespace) -> int:
    """Retrain a model with one setting changed, benchmark both, print the score changes."""
    from embedlab import reports
    from embedlab.train.registry import spec
    from embedlab.workflows import parse_setting, retrainable, what_if

    workspace = _workspace(args)
    model_id = resolve_model(workspace, args.model)
    manifest = workspace.manifest(model_id)
    if "=" not in args.change:
        raise EmbedlabError(f"Write the change as SETTING=VALUE, e.g. window=10 (got {args.change!r}).")
    field_name, text = (part.strip() for part in args.change.split("=", 1))
    if not retrainable(manifest):
        raise EmbedlabError("This model was loaded from a file, not trained here, so it cannot be retrained.")
    value = parse_setting(spec(manifest.algorithm).params_class, field_name.replace("-", "_"), text)
    made = what_if(workspace, model_id, field_name.replace("-", "_"), value, on_progress=Progress(args.quiet))
    before, after = (workspace.manifest(i) for i in made.model_ids)
    diff = reports.score_diff(before, after)
    print(format_table(diff.to_dict("records")) if not diff.empty else "No benchmark scores for both models.")
    _say(args, f"comparison {made.comparison_id}: {before.name} vs {after.name}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from embedlab import io as vector_io

    workspace = _workspace(args)
    model_id = resolve_model(workspace, args.model)
    files = vector_io.export_to_path(workspace.load_vectors(model_id), args.format, args.output,
                                     workspace.manifest(model_id).to_json())
    print(format_table([{"file": str(f), "bytes": f.stat().st_size} for f in files]))
    return 0


def _evidence_corpus(workspace, args: argparse.Namespace, progress: Progress):
    """The corpus to read: --corpus if given, else the chosen (or newest) model's corpus, else the newest corpus."""
    from embedlab.evidence import NoCorpusError, model_corpus

    if args.corpus:
        return _prepared(workspace, args.corpus, args, progress)
    if args.model or workspace.list_models():
        try:
            return model_corpus(workspace, resolve_model(workspace, args.model))
        except NoCorpusError:
            if args.model:
                raise
    return _prepared(workspace, None, args, progress)


def cmd_concordance(args: argparse.Namespace) -> int:
    from embedlab.concordance import format_line, joiner_for
    from embedlab.evidence import concordance

    workspace = _workspace(args)
    progress = Progress(args.quiet)
    corpus = _evidence_corpus(workspace, args, progress)
    index = concordance(workspace, corpus, progress)
    page = index.search(args.word, sort=args.sort, offset=args.offset, limit=args.n, width=args.width)
    joiner = joiner_for(corpus.tokenizer)
    shown = f"{page.offset + 1:,}-{page.offset + len(page.lines):,}" if page.lines else "none"
    print(f"'{page.word}' in {corpus.name}: {page.total:,} occurrences on {page.n_lines:,} lines "
          f"(sorted by {args.sort}; showing {shown})", file=sys.stderr)
    formatted = [format_line(line, joiner) for line in page.lines]
    left_width = max((len(left) for left, _, _ in formatted), default=0)
    for left, word, right in formatted:
        print(f"{left.rjust(left_width)}  [{word}]  {right}".rstrip())
    return 0


def cmd_why(args: argparse.Namespace) -> int:
    from embedlab.evidence import concordance, glove_matrix
    from embedlab.shared_contexts import describe, shared_contexts

    workspace = _workspace(args)
    progress = Progress(args.quiet)
    model_id = None
    if args.model or (workspace.list_models() and not args.corpus):
        model_id = resolve_model(workspace, args.model)
    corpus = _evidence_corpus(workspace, args, progress)
    index = concordance(workspace, corpus, progress)
    result = shared_contexts(index, args.word1, args.word2, window=args.window, ranking=args.by,
                             min_count=args.min_count, n=args.n)
    if model_id is not None:
        vectors = workspace.load_vectors(model_id)
        if result.word_a in vectors and result.word_b in vectors:
            print(f"cosine similarity in {workspace.manifest(model_id).name or model_id}: "
                  f"{vectors.similarity(result.word_a, result.word_b):.4f}", file=sys.stderr)
    print(describe(result), file=sys.stderr)
    table = result.table.rename(columns={"with_a": f"with {result.word_a}", "with_b": f"with {result.word_b}",
                                         "pmi_a": f"pmi {result.word_a}", "pmi_b": f"pmi {result.word_b}"})
    print(format_table(table.to_dict("records")))
    if model_id is not None and workspace.manifest(model_id).algorithm == "glove":
        matrix = glove_matrix(workspace, model_id, progress)
        entries = matrix.entries(result.word_a, result.word_b, args.n)
        print()
        print(f"GloVe co-occurrence entries (1/distance weights, window {matrix.window}): "
              f"X[{entries.word_a}, {entries.word_b}] = {entries.x_ab:.3f}; {entries.n_shared:,} shared columns",
              file=sys.stderr)
        print(format_table(entries.table.rename(columns={"x_a": f"X {entries.word_a}", "x_b": f"X {entries.word_b}",
                                                         "log_x_a": f"log X {entries.word_a}",
                                                         "log_x_b": f"log X {entries.word_b}"}).to_dict("records")))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Classroom mode: share a model of this workspace with every student, read-only (or withdraw it)."""
    from embedlab import classroom
    from embedlab.workspace import Workspace

    workspace = _workspace(args)
    published = workspace.root / classroom.PUBLISHED
    if args.withdraw:
        classroom.unpublish(published, args.withdraw)
        print(f"Withdrew {args.withdraw}; the students no longer see it (your own copy stays).")
        return 0
    if not args.model:
        rows = [{"id": r.model_id, "name": r.name} for r in Workspace(published).list_models()]
        print(format_table(rows) if rows else "No model is published yet.")
        return 0
    model_id = resolve_model(workspace, args.model)
    if (published / "models" / model_id / "manifest.json").exists():  # published before: hand on its search index
        if classroom.republish_search_index(workspace.root, model_id, published):
            print(f"{model_id} is published already; its students now search it with the index chosen in your "
                  "workspace.")
        else:
            print(f"{model_id} is published already, with the same search index as in your workspace.")
        return 0
    classroom.publish(workspace.root, model_id, published)
    print(f"Published {model_id}: every student of the classroom server sees it, read-only.")
    return 0


# -- the parser -----------------------------------------------------------------------------------

def _add_params(parser: argparse.ArgumentParser, cls: type) -> None:
    """One flag per dataclass field, with the field's label, help, bounds and choices."""
    hints = typing.get_type_hints(cls)
    defaults = cls()
    for f in dataclasses.fields(cls):
        meta = f.metadata
        hint = hints[f.name]
        kind = int if hint in (int, int | None) else float if hint is float else str
        bounds = ""
        if "min" in meta or "max" in meta:
            bounds = f" [{meta.get('min', '')}..{meta.get('max', '')}]"
        parser.add_argument(f"--{f.name.replace('_', '-')}", dest=f"param_{f.name}", type=kind,
                            choices=meta.get("choices"), default=None, metavar=None if "choices" in meta else kind.__name__.upper(),
                            help=f"{meta.get('label', f.name)}: {meta.get('help', '')}{bounds} "
                                 f"(default: {getattr(defaults, f.name)})".replace("%", "%%"))


def _add_spark_options(parser: argparse.ArgumentParser) -> None:
    """``--engine spark`` and the flags only Spark MLlib has (shared ones, e.g. --epochs, serve both engines)."""
    from embedlab.config import SparkWord2VecParams

    parser.add_argument("--engine", choices=("gensim", "spark"), default="gensim",
                        help="gensim (default: this machine) or spark: Apache Spark MLlib, locally (local[*]) or on "
                             "a cluster (--master); --corpus may then be any path or URI Spark reads (hdfs://, "
                             "s3a://, a folder). Needs pip install 'embedlab[spark]' and Java 17+.")
    only = _spark_only()
    group = parser.add_argument_group("Spark engine")
    hints = typing.get_type_hints(SparkWord2VecParams)
    defaults = SparkWord2VecParams()
    for f in dataclasses.fields(SparkWord2VecParams):
        if f.name in only:
            kind = int if hints[f.name] is int else str
            group.add_argument(f"--{f.name.replace('_', '-')}", dest=f"param_{f.name}", type=kind, default=None,
                               metavar=kind.__name__.upper(),
                               help=f"{f.metadata['label']}: {f.metadata['help']} (default: {getattr(defaults, f.name)})"
                               .replace("%", "%%"))


def _add_corpus_options(parser: argparse.ArgumentParser) -> None:
    from embedlab.config import CorpusParams

    choices = dataclasses.fields(CorpusParams)[0].metadata["choices"]
    parser.add_argument("--tokenizer", choices=choices, default="auto", help="How a new file is tokenised (default: auto).")
    parser.add_argument("--keep-case", action="store_true", help="Do not lower-case words of a new file.")


def build_parser() -> argparse.ArgumentParser:
    from embedlab.playback import DEFAULT_TOP_N
    from embedlab.train.registry import corpus_algorithms
    from embedlab.io.formats import FORMAT_LABELS
    from embedlab.io.writers import EXPORTS

    parser = argparse.ArgumentParser(prog=PROG, description="Train, explore and compare word embeddings.")
    parser.add_argument("--workspace", default=os.environ.get("EMBEDLAB_WORKSPACE") or "workspace",
                        help="Workspace folder (default: $EMBEDLAB_WORKSPACE, else ./workspace).")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="Quiet: no progress or status lines on stderr (only problems); stdout has the result.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("models", help="List the workspace's models.").set_defaults(func=cmd_models)

    corpus = commands.add_parser("corpus", help="Corpora: list, or prepare one and show its statistics.")
    corpus_commands = corpus.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")
    corpus_commands.add_parser("list", help="List prepared corpora.").set_defaults(func=cmd_corpus_list)
    stats = corpus_commands.add_parser("stats", help="Prepare a text file or a sample and print its statistics.")
    stats.add_argument("source", help="A text file, a built-in sample (english, chinese, sessions, lee, crime) or a corpus id.")
    stats.add_argument("--top", type=int, default=10, help="Show the most frequent words (default: 10; 0: none).")
    _add_corpus_options(stats)
    stats.set_defaults(func=cmd_corpus_stats)

    holdout = corpus_commands.add_parser("holdout", help="Sessions without their last item, to train Item2Vec on "
                                                         "and score it honestly (evaluate --recall-at-k).")
    holdout.add_argument("source", help="A sessions file, a built-in sample (sessions) or a corpus id.")
    _add_corpus_options(holdout)
    holdout.set_defaults(func=cmd_corpus_holdout)

    lab = commands.add_parser("index-lab", help="Build faiss Flat, IVF-Flat, IVF-PQ and HNSW indexes on a model's "
                                                "vectors: recall@k against exact search, latency and memory.")
    lab.add_argument("--model", help="Model id, name or id prefix (default: the newest model).")
    lab.add_argument("--index", action="append", choices=["flat", "ivf_flat", "ivf_pq", "hnsw"],
                     help="Index kinds to build (repeatable; default: all).")
    lab.add_argument("--nprobe", type=int, action="append", help="IVF cells scanned per query (repeatable).")
    lab.add_argument("--ef-search", type=int, action="append", help="HNSW candidates per query (repeatable).")
    lab.add_argument("--pq-bytes", type=int, action="append", help="PQ code sizes in bytes (repeatable).")
    lab.add_argument("-k", type=int, default=10, help="Recall@k (default: 10).")
    lab.add_argument("--queries", type=int, default=500, help="Query words, a seeded sample (default: 500).")
    lab.add_argument("--max-vectors", type=int, default=20_000, help="Most frequent words indexed (default: 20,000).")
    lab.add_argument("--min-recall", type=float, default=0.95, help="Recall the suggested setting must reach.")
    choice = lab.add_mutually_exclusive_group()
    choice.add_argument("--use-best", action="store_true",
                        help="Save the suggested setting with the model: it then serves the Neighbours page and "
                             "`neighbours` (as the Index lab page's 'Use this index').")
    choice.add_argument("--forget", action="store_true",
                        help="Forget the index saved with the model (the default search again); no sweep.")
    lab.set_defaults(func=cmd_index_lab)

    train = commands.add_parser("train", help="Train a model and save it in the workspace.")
    algorithms = train.add_subparsers(dest="algorithm", required=True, metavar="ALGORITHM")
    for algorithm, algorithm_spec in corpus_algorithms().items():
        cls = algorithm_spec.params_class
        sub = algorithms.add_parser(algorithm, help=(cls.__doc__ or "").strip().splitlines()[0])
        sub.add_argument("--corpus", help="Corpus id, built-in sample key, or a text file (default: the newest corpus).")
        sub.add_argument("--name", help="Model name (default: algorithm and corpus).")
        if algorithm_spec.units == "nodes":
            sub.add_argument("--graph", help="An edge list (CSV/TSV/space separated: source, target, optional "
                                             "weight) or a built-in graph: karate, lesmis, florentine. Without it, "
                                             "the corpus's word adjacency graph is walked.")
            sub.add_argument("--directed", action="store_true", help="Read the edge list as directed edges.")
        _add_corpus_options(sub)
        _add_params(sub, cls)
        if algorithm_spec.records_epochs:
            sub.add_argument("--record-epochs", nargs="?", type=int, const=DEFAULT_TOP_N, default=0, metavar="N",
                             help=f"Record the training for playback: the N most frequent words' vectors after every "
                                  f"epoch, saved beside the model (N default {DEFAULT_TOP_N:,}).")
        if algorithm == "word2vec":
            _add_spark_options(sub)
        sub.set_defaults(func=cmd_train)

    playback = commands.add_parser("playback", help="Replay a recorded training: a word's neighbours epoch by epoch.")
    playback.add_argument("model", nargs="?", help="Model id, name or id prefix (default: the newest model).")
    playback.add_argument("--word", help="The word to follow (default: the most frequent recorded word of 4+ letters).")
    playback.add_argument("-k", type=int, default=5, help="Neighbours per epoch (default: 5).")
    playback.set_defaults(func=cmd_playback)

    model_help = "Model id, name or id prefix (default: the newest model)."
    neighbours = commands.add_parser("neighbours", aliases=["neighbors"], help="Nearest words by cosine similarity.")
    neighbours.add_argument("words", nargs="+", metavar="word",
                            help="One or more words; with several, unknown ones are reported and the rest answered.")
    neighbours.add_argument("--model", help=model_help)
    neighbours.add_argument("-k", type=int, default=10, help="How many neighbours (default: 10).")
    neighbours.add_argument("--exact", action="store_true",
                            help="Search exactly, not with the index chosen for the model in the Index lab.")
    neighbours.set_defaults(func=cmd_neighbours)

    analogy = commands.add_parser("analogy", help="Solve 'king - man + woman' (or 'man : king :: woman : ?').")
    analogy.add_argument("expression", nargs="+")
    analogy.add_argument("--model", help=model_help)
    analogy.add_argument("-k", type=int, default=10, help="How many answers (default: 10).")
    analogy.add_argument("--method", choices=("3cosadd", "3cosmul"), default="3cosadd")
    analogy.add_argument("--keep-inputs", action="store_true", help="Let the input words be answers too.")
    analogy.set_defaults(func=cmd_analogy)

    from embedlab.benchmark_files import BUNDLED
    from embedlab.scoring import DEFAULT_RESTRICT_VOCAB

    evaluate = commands.add_parser("evaluate", help="Score a model on analogy and word-pair benchmarks.")
    evaluate.add_argument("--model", help=model_help)
    evaluate.add_argument("--benchmark", action="append", choices=list(BUNDLED),
                          help="A bundled benchmark (repeatable; default: all three).")
    evaluate.add_argument("--analogies", action="append", metavar="FILE", help="Your own analogy file (repeatable).")
    evaluate.add_argument("--pairs", action="append", metavar="FILE", help="Your own word-pair file (repeatable).")
    evaluate.add_argument("--method", action="append", choices=("3cosadd", "3cosmul"), help="Analogy method(s).")
    evaluate.add_argument("--recall-at-k", action="store_true",
                          help="Score an Item2Vec model as a recommender instead: hold out each session's last item, "
                               "HitRate/Recall@K and MRR against most-popular and co-occurrence baselines.")
    evaluate.add_argument("-k", type=int, action="append", help="K for --recall-at-k (repeatable; default 5, 10, 20).")
    evaluate.add_argument("--restrict-vocab", type=int, default=DEFAULT_RESTRICT_VOCAB,
                          help=f"Most frequent words answers come from (default: {DEFAULT_RESTRICT_VOCAB:,}).")
    evaluate.set_defaults(func=cmd_evaluate)

    importer = commands.add_parser("import", help="Load a vector file into the workspace as a model.",
                                   description="Formats: " + "; ".join(FORMAT_LABELS.values()) + ".")
    importer.add_argument("file")
    importer.add_argument("--format", choices=list(FORMAT_LABELS), help="Skip detection (it reads the content).")
    importer.add_argument("--limit", type=int, help="Load only the first N rows (files list frequent words first).")
    importer.add_argument("--name", help="Model name (default: the file name).")
    importer.add_argument("--metadata", help="Embedding Projector metadata.tsv with the labels of vectors.tsv.")
    importer.add_argument("--no-reuse", action="store_true", help="Parse again even if this file was imported before.")
    importer.set_defaults(func=cmd_import)

    exporter = commands.add_parser("export", help="Write a model in another tool's format.")
    exporter.add_argument("format", choices=list(EXPORTS), help="; ".join(f"{k}: {v[2]}" for k, v in EXPORTS.items()))
    exporter.add_argument("output", help="Output file (projector: a folder, or a .zip; npz: a .npz gets a "
                                         "manifest beside it, else a zip of both).")
    exporter.add_argument("--model", help=model_help)
    exporter.set_defaults(func=cmd_export)

    from embedlab.concordance import SORTS
    from embedlab.shared_contexts import DEFAULT_MIN_COUNT, DEFAULT_WINDOW, RANKINGS

    corpus_help = ("Corpus id, built-in sample key, or a text file (default: the model's corpus, else the newest "
                   "corpus).")
    kwic = commands.add_parser("concordance", aliases=["kwic"], help="Every line where a word occurs (keyword in context).")
    kwic.add_argument("word")
    kwic.add_argument("--corpus", help=corpus_help)
    kwic.add_argument("--model", help="Read this model's training corpus (default: the newest model's).")
    kwic.add_argument("-n", type=int, default=20, help="Lines to show (default: 20).")
    kwic.add_argument("--offset", type=int, default=0, help="Skip this many lines first (paging; default: 0).")
    kwic.add_argument("--sort", choices=list(SORTS), default="corpus",
                      help="; ".join(f"{k}: {v}" for k, v in SORTS.items()) + " (default: corpus).")
    kwic.add_argument("--width", type=int, default=8, help="Context tokens on each side (default: 8).")
    _add_corpus_options(kwic)
    kwic.set_defaults(func=cmd_concordance)

    why = commands.add_parser("why", help="Why are two words close? The context words they share in the corpus.")
    why.add_argument("word1")
    why.add_argument("word2")
    why.add_argument("--model", help=model_help + " Its corpus is read; for GloVe its co-occurrence entries too.")
    why.add_argument("--corpus", help=corpus_help)
    why.add_argument("--by", choices=list(RANKINGS), default="pmi",
                     help="; ".join(f"{k}: {v}" for k, v in RANKINGS.items()) + " (default: pmi).")
    why.add_argument("--window", type=int, default=DEFAULT_WINDOW, help=f"Context window (default: {DEFAULT_WINDOW}).")
    why.add_argument("--min-count", type=int, default=DEFAULT_MIN_COUNT,
                     help=f"Co-occurrences a shared context needs with each word (default: {DEFAULT_MIN_COUNT}).")
    why.add_argument("-n", type=int, default=20, help="Contexts to list (default: 20).")
    _add_corpus_options(why)
    why.set_defaults(func=cmd_why)
    from embedlab.workflows import SharedSettings

    compare = commands.add_parser("compare", help="Comparisons: list them, or train several algorithms side by side.")
    compare_commands = compare.add_subparsers(dest="compare_command", required=True, metavar="ACTION")
    compare_commands.add_parser("list", help="List saved comparisons.").set_defaults(func=cmd_compare_list)
    side_by_side = compare_commands.add_parser(
        "train", help="Train each algorithm on one corpus with shared settings and save them as a comparison.")
    side_by_side.add_argument("--corpus", help="Corpus id, built-in sample key, or a text file (default: the newest corpus).")
    side_by_side.add_argument("--algorithm", action="append", choices=list(corpus_algorithms()),
                              help="An algorithm to include (repeatable; default: all, at most three).")
    side_by_side.add_argument("--name", help="Comparison name (default: the algorithms and the corpus).")
    _add_corpus_options(side_by_side)
    _add_params(side_by_side, SharedSettings)
    side_by_side.set_defaults(func=cmd_compare_train)

    what_if_parser = commands.add_parser("what-if", help="Retrain a model with one setting changed, benchmark both.")
    what_if_parser.add_argument("change", metavar="SETTING=VALUE", help="e.g. window=10, architecture=skipgram.")
    what_if_parser.add_argument("--model", help=model_help)
    what_if_parser.set_defaults(func=cmd_what_if)

    publisher = commands.add_parser("publish", help="Classroom mode: share a model with every student, read-only "
                                                    "(no argument: list the published models; a model published "
                                                    "already: hand on the search index chosen for it since).")
    publisher.add_argument("model", nargs="?", help=model_help)
    publisher.add_argument("--withdraw", metavar="MODEL_ID", help="Stop sharing this published model.")
    publisher.set_defaults(func=cmd_publish)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 a user error, 2 a usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except EmbedlabError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `embedlab models | head`
        return 0
    except OSError as error:
        if not is_disk_full(error):
            raise
        print(f"{PROG}: error: {as_disk_full(error)}", file=sys.stderr)  # a full disk is not a bug: no traceback
        return 1
