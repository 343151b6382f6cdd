"""Word2Vec vs FastText vs GloVe on one corpus, through embedlab, against the reference figures.

Usage::

    python benchmarks/compare.py                          # the shared text8 head (benchmarks/_data.py)
    python benchmarks/compare.py --corpus FILE --only word2vec --only glove
    python benchmarks/compare.py --quick                  # the English sample, 2 epochs (a smoke run)

Trains the three models exactly as the Compare page's one-click button does
(``embedlab.workflows.train_trio``: shared tokens file, each model saved to a
workspace) at the reference settings (100 dimensions, 2 threads, min_count 5;
Word2Vec and FastText skip-gram, window 5, 5 negatives, 5 epochs, FastText n-grams
3-6 with gensim's 2 M hash buckets; GloVe window 10, x_max 10, 15 iterations), then
benchmarks each with ``embedlab.scoring`` and prints one markdown table beside
the reference figures of ``shared/data/README.md`` (context only: measured once,
elsewhere, so no ratio is taken against them). Without the shared text8 head (a
fresh clone) it trains on the repository's English sample instead and leaves the
reference columns empty: they were measured on the text8 head.

A second table times embedlab's batched analogy evaluation against gensim's
``evaluate_word_analogies`` on the same vectors, in this process (ratio, and
whether the accuracies are identical): that ratio's baseline runs here, now.
Takes several minutes on 2 cores at full size.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from embedlab import benchmark_files as bf  # noqa: E402
from embedlab import scoring, workflows  # noqa: E402
from embedlab.config import CorpusParams  # noqa: E402
from embedlab.train.registry import label  # noqa: E402
from embedlab.workflows import train_and_save  # noqa: E402
from embedlab.workspace import Workspace  # noqa: E402
from _data import NAME, missing_note, text8_head  # noqa: E402

#: the repository's own corpus, for a fresh clone without the shared text8 head (and --quick)
ENGLISH_SAMPLE = REPO / "sample_data" / "english.txt"

#: shared/data/README.md, measured once on the text8 head (2 cores, 100 dims, 2 threads): context, never a baseline
REFERENCE = {
    "word2vec": {"run": "gensim Word2Vec SG", "time": "42-49 s", "analogy": "7.5-8.2%", "ws353": "0.46-0.47", "simlex": ""},
    "fasttext": {"run": "gensim FastText SG", "time": "82-92 s", "analogy": "42-43%", "ws353": "0.46-0.47", "simlex": ""},
    "glove": {"run": "Stanford C GloVe", "time": "206 s", "analogy": "7.1-7.3%", "ws353": "0.375", "simlex": "0.157"},
}


def reference_params(quick: bool = False) -> dict:
    """The reference settings; ``quick`` only cuts the epochs (2, GloVe 3) for a smoke run."""
    shared = workflows.SharedSettings(vector_size=100, window=5, min_count=5, epochs=2 if quick else 5, seed=1,
                                      workers=2)
    own = {
        "word2vec": {"architecture": "skipgram", "loss": "negative", "negative": 5},
        "fasttext": {"architecture": "skipgram", "loss": "negative", "negative": 5, "min_n": 3, "max_n": 6,
                     "bucket": 2_000_000},
        "glove": {"window": 10, "x_max": 10.0, "epochs": 3 if quick else 15},
    }
    return workflows.trio_params(shared, own)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def rho(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="raw text file (default: the shared text8 head, else the English sample)")
    parser.add_argument("--only", choices=list(REFERENCE), action="append",
                        help="train only these algorithms (repeatable; at least two)")
    parser.add_argument("--no-gensim-eval", action="store_true", help="skip the evaluation-speed comparison")
    parser.add_argument("--quick", action="store_true", help="the English sample, 2 epochs (GloVe 3): a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.corpus = ENGLISH_SAMPLE
    elif args.corpus is None:
        args.corpus = text8_head()
        if args.corpus is None:
            args.corpus = ENGLISH_SAMPLE
            print(f"({missing_note()}: using the repository's {ENGLISH_SAMPLE.name})", file=sys.stderr)
    if not args.corpus.is_file():
        raise SystemExit(f"benchmark corpus {args.corpus} is not a file")
    # the remembered figures were measured on the text8 head with these settings: beside anything else they mislead
    show_reference = args.corpus.name == NAME and not args.quick
    params = reference_params(args.quick)
    if args.only:
        params = {a: p for a, p in params.items() if a in args.only}

    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Path(tmp) / "ws")
        started = time.perf_counter()
        corpus = workspace.add_corpus(args.corpus, args.corpus.name, CorpusParams("words"))
        print(f"corpus {args.corpus.name}: {corpus.n_tokens:,} tokens, tokenised in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)

        live = sys.stderr.isatty()  # a carriage-return progress line is for a terminal; in a log it is one long line

        def progress(done: float, total: float, message: str) -> None:
            if live:
                print(f"\r  {done / total:6.1%} {message[:70]:<70}", end="", file=sys.stderr, flush=True)

        model_ids: dict[str, str] = {}
        rss: dict[str, float] = {}
        # train_trio's steps one at a time (the same train_and_save calls), so each peak RSS is attributable
        for algorithm, p in params.items():
            model_ids[algorithm] = train_and_save(workspace, algorithm, p, corpus, None, progress)
            rss[algorithm] = peak_rss_mb()
            print(f"\n  {label(algorithm)} trained" if live else f"  {label(algorithm)} trained", file=sys.stderr)
        if len(model_ids) >= 2:
            workspace.save_comparison(list(model_ids.values()), kind="trio", corpus_id=corpus.corpus_id)

        request = scoring.BenchmarkRequest((bf.bundled("questions-words"), bf.bundled("wordsim353"), bf.bundled("simlex999")),
                                      ("3cosadd", "3cosmul"), scoring.DEFAULT_RESTRICT_VOCAB)
        results = {}
        eval_times = {}
        for algorithm, model_id in model_ids.items():
            started = time.perf_counter()
            scores = workflows.evaluate_and_record(workspace, model_id, request, progress)
            eval_times[algorithm] = time.perf_counter() - started
            print(f"\n  {label(algorithm)} scored" if live else f"  {label(algorithm)} scored", file=sys.stderr)
            results[algorithm] = {scoring.score_key(s): s for s in scores}

        print(f"\n### Word2Vec vs FastText vs GloVe on {args.corpus.name} ({corpus.n_tokens:,} tokens), through embedlab\n")
        if not show_reference:
            print(f"The reference columns stay empty: their figures were measured on {NAME} at full settings"
                  + (" (this is a --quick run)" if args.quick else "") + ".\n")
        print("| model | train time | reference time | vocab | model memory | peak RSS so far | "
              "analogy 3CosAdd (restrict 30k) | reference | analogy 3CosMul | WS353 ρ | reference | SimLex ρ | reference | "
              "coverage analogy / WS353 / SimLex |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for algorithm, model_id in model_ids.items():
            manifest = workspace.manifest(model_id)
            scores = results[algorithm]
            add, mul = scores["Google analogies · 3CosAdd"], scores["Google analogies · 3CosMul"]
            ws, sl = scores["WordSim353"], scores["SimLex-999"]
            ref = REFERENCE[algorithm] if show_reference else dict.fromkeys(REFERENCE[algorithm], "")
            memory = manifest.metrics.memory_bytes / 1024**2
            print(f"| {label(algorithm)} | {manifest.timings['total_s']:.0f} s | {ref['time'] or '–'} | "
                  f"{manifest.vocab_size:,} | {memory:,.0f} MB | {rss[algorithm]:,.0f} MB | {percent(add.accuracy)} | "
                  f"{ref['analogy'] or '–'} | {percent(mul.accuracy)} | {rho(ws.spearman)} | {ref['ws353'] or '–'} | "
                  f"{rho(sl.spearman)} | {ref['simlex'] or '–'} | "
                  f"{add.coverage:.1%} / {ws.coverage:.1%} / {sl.coverage:.1%} |")
        print("\nReference: shared/data/README.md (gensim, and Stanford's C GloVe; the text8 head, 2 cores, measured "
              "once in an earlier session: context, not a same-run baseline). "
              "Model memory = vectors + norms + counts (+ FastText n-gram buckets); peak RSS is the process's, "
              "cumulative over the models trained so far.")

        if not args.no_gensim_eval:
            compare_with_gensim(workspace, model_ids, eval_times)
    return 0


def compare_with_gensim(workspace: Workspace, model_ids: dict[str, str], eval_times: dict[str, float]) -> None:
    """Our batched analogy scoring vs gensim's per-question loop, same vectors, this process."""
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    questions = bf.bundled("questions-words")
    print("\n### Analogy evaluation speed: embedlab (batched) vs gensim evaluate_word_analogies, 3CosAdd, restrict 30k\n")
    print("| model | embedlab | gensim | speed-up | embedlab accuracy | gensim accuracy | identical |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for algorithm, model_id in model_ids.items():
        vectors = workspace.load_vectors(model_id, mmap=False)
        started = time.perf_counter()
        ours = scoring.evaluate_analogies(vectors, questions, "3cosadd", scoring.DEFAULT_RESTRICT_VOCAB)
        ours_s = time.perf_counter() - started
        kv = KeyedVectors(vectors.dim)
        kv.add_vectors(list(vectors.words), vectors.raw())
        started = time.perf_counter()
        theirs, _ = kv.evaluate_word_analogies(datapath("questions-words.txt"), restrict_vocab=scoring.DEFAULT_RESTRICT_VOCAB)
        gensim_s = time.perf_counter() - started
        same = "yes" if abs((ours.accuracy or 0) - theirs) < 1e-12 else f"no (Δ {(ours.accuracy or 0) - theirs:+.4%})"
        print(f"| {label(algorithm)} | {ours_s:.1f} s | {gensim_s:.1f} s | {gensim_s / ours_s:.1f}× | "
              f"{percent(ours.accuracy)} | {percent(theirs)} | {same} |")
    print("\nAll benchmarks per model (3CosAdd + 3CosMul + WS353 + SimLex) took "
          + ", ".join(f"{label(a)} {t:.1f} s" for a, t in eval_times.items()) + ".")


if __name__ == "__main__":
    sys.exit(main())
