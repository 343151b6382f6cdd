"""Training speed: embedlab's Word2Vec/FastText path against raw gensim on the same tokens.

Usage::

    python benchmarks/train.py                     # the shared 2.14 M-token text8 head, if present
    python benchmarks/train.py --corpus FILE --epochs 1 --runs 2
    python benchmarks/train.py --quick             # gensim's small Lee corpus, 2 epochs (seconds)

For each model the raw-gensim baseline (``LineSentence`` over the same tokens file,
same parameters) and embedlab's path (``embedlab.train.train``: streaming token
file with progress and cancel checks) run alternately in this process (who goes first alternates too), and the
best of ``--runs`` of each is compared: words/s, effective words trained, and
the ratio gensim time / embedlab time (goal ≥ 0.9: embedlab at least 90 % of gensim's
speed), the same for CPU time (vocabulary + training; steadier than wall time when
other work shares the machine), and the raw and effective words each trained (goal: identical raw counts; the
effective counts differ only by down-sampling draws with more than one worker).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from gensim.models import FastText, Word2Vec  # noqa: E402
from gensim.models.word2vec import LineSentence  # noqa: E402

from embedlab.config import CorpusParams, FastTextParams, Word2VecParams  # noqa: E402
from embedlab.corpus import PreparedCorpus, prepare_corpus  # noqa: E402
from embedlab.train import train  # noqa: E402
from embedlab.train.gensim_common import common_kwargs  # noqa: E402
from _data import missing_note, text8_head  # noqa: E402


class Run(NamedTuple):
    """One training run: wall seconds of training, CPU seconds of the whole call, word counts."""

    wall_s: float  # training only (vocabulary building excluded), as users wait for it
    cpu_s: float  # process CPU time of vocabulary + training: steadier than wall time on a shared machine
    effective: int
    raw: int


def raw_gensim(algorithm: str, params: Word2VecParams, tokens_path: Path) -> Run:
    """gensim on its own, reading the same tokens file with ``LineSentence``."""
    cls = Word2Vec if algorithm == "word2vec" else FastText
    extra = {} if algorithm == "word2vec" else {"min_n": params.min_n, "max_n": params.max_n, "bucket": params.bucket}
    cpu = time.process_time()
    model = cls(**common_kwargs(params), epochs=params.epochs, **extra)
    model.build_vocab(corpus_iterable=LineSentence(str(tokens_path)))
    started = time.perf_counter()
    effective, raw = model.train(corpus_iterable=LineSentence(str(tokens_path)), total_examples=model.corpus_count,
                                 epochs=params.epochs)
    return Run(time.perf_counter() - started, time.process_time() - cpu, effective, raw)


def ours(algorithm: str, params: Word2VecParams, corpus: PreparedCorpus) -> Run:
    """``embedlab.train.train``: streaming token file, progress and cancel checks, result assembly."""
    cpu = time.process_time()
    result = train(algorithm, params, corpus)
    return Run(result.timings["train_s"], time.process_time() - cpu, result.words_trained, result.raw_words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=None, help="raw text file (default: the shared text8 head)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", choices=["sg", "cbow", "fasttext"], action="append")
    parser.add_argument("--quick", action="store_true", help="gensim's Lee corpus (60k tokens) and 2 epochs: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.corpus, args.epochs = None, 2
    elif args.corpus is None:
        args.corpus = text8_head()
    if args.corpus is None:
        from gensim.test.utils import datapath

        args.corpus = Path(datapath("lee_background.cor"))
        reason = "--quick" if args.quick else missing_note()
        print(f"({reason}: using gensim's {args.corpus.name})", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        corpus = prepare_corpus(args.corpus, Path(tmp), CorpusParams("words"))
        print(f"corpus: {args.corpus.name}, {corpus.n_tokens:,} tokens, {corpus.n_sentences:,} lines, "
              f"tokenised in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        cases = {
            "sg": ("word2vec", Word2VecParams(architecture="skipgram", epochs=args.epochs, workers=2)),
            "cbow": ("word2vec", Word2VecParams(architecture="cbow", epochs=args.epochs, workers=2)),
            "fasttext": ("fasttext", FastTextParams(architecture="skipgram", epochs=args.epochs, workers=2)),
        }
        rows = []
        for name in args.only or list(cases):
            algorithm, params = cases[name]
            best_raw = best_ours = None
            for run in range(args.runs):
                # alternate who goes first, so a machine warming up or busying down favours neither
                if run % 2 == 0:
                    r = raw_gensim(algorithm, params, corpus.tokens_path)
                    o = ours(algorithm, params, corpus)
                else:
                    o = ours(algorithm, params, corpus)
                    r = raw_gensim(algorithm, params, corpus.tokens_path)
                best_raw = r if best_raw is None or r.wall_s < best_raw.wall_s else best_raw
                best_ours = o if best_ours is None or o.wall_s < best_ours.wall_s else best_ours
                print(f"  {name}: gensim {r.wall_s:.1f} s ({r.cpu_s:.1f} s CPU), "
                      f"embedlab {o.wall_s:.1f} s ({o.cpu_s:.1f} s CPU)", file=sys.stderr)
            rows.append((name, best_raw, best_ours))

    print(f"\n{args.corpus.name}, {args.epochs} epochs, 2 workers, best of {args.runs}")
    print("| model | gensim s | gensim words/s | embedlab s | embedlab words/s | speed ratio "
          "| gensim CPU s | embedlab CPU s | CPU ratio | raw words gensim | raw words embedlab "
          "| effective words gensim | effective words embedlab |")
    print("|---" * 13 + "|")
    for name, r, o in rows:
        print(f"| {name} | {r.wall_s:.1f} | {r.raw / r.wall_s:,.0f} | {o.wall_s:.1f} | {o.raw / o.wall_s:,.0f} "
              f"| {r.wall_s / o.wall_s:.2f} | {r.cpu_s:.1f} | {o.cpu_s:.1f} | {r.cpu_s / o.cpu_s:.2f} "
              f"| {r.raw:,} | {o.raw:,} | {r.effective:,} | {o.effective:,} |")


if __name__ == "__main__":
    main()
