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
speed), and the raw and effective words each trained (goal: identical raw counts; the
effective counts differ only by down-sampling draws with more than one worker).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gensim.models import FastText, Word2Vec  # noqa: E402
from gensim.models.word2vec import LineSentence  # noqa: E402

from embedlab.config import CorpusParams, FastTextParams, Word2VecParams  # noqa: E402
from embedlab.corpus import PreparedCorpus, prepare_corpus  # noqa: E402
from embedlab.train import train  # noqa: E402
from embedlab.train.gensim_common import common_kwargs  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "text8-head-2m.txt"


def raw_gensim(algorithm: str, params: Word2VecParams, tokens_path: Path) -> tuple[float, int, int]:
    """(seconds, effective words, raw words) for gensim on its own, training only."""
    cls = Word2Vec if algorithm == "word2vec" else FastText
    extra = {} if algorithm == "word2vec" else {"min_n": params.min_n, "max_n": params.max_n, "bucket": params.bucket}
    model = cls(**common_kwargs(params), epochs=params.epochs, **extra)
    model.build_vocab(corpus_iterable=LineSentence(str(tokens_path)))
    started = time.perf_counter()
    effective, raw = model.train(corpus_iterable=LineSentence(str(tokens_path)), total_examples=model.corpus_count,
                                 epochs=params.epochs)
    return time.perf_counter() - started, effective, raw


def ours(algorithm: str, params: Word2VecParams, corpus: PreparedCorpus) -> tuple[float, int, int]:
    """(seconds, effective words, raw words) for ``embedlab.train.train``, training only."""
    result = train(algorithm, params, corpus)
    return result.timings["train_s"], result.words_trained, result.raw_words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED if SHARED.exists() else None)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", choices=["sg", "cbow", "fasttext"], action="append")
    parser.add_argument("--quick", action="store_true", help="gensim's Lee corpus (60k tokens) and 2 epochs: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.corpus, args.epochs = None, 2
    if args.corpus is None:
        from gensim.test.utils import datapath

        args.corpus = Path(datapath("lee_background.cor"))
        reason = "--quick" if args.quick else "shared benchmark corpus not found"
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
                best_raw = r if best_raw is None or r[0] < best_raw[0] else best_raw
                best_ours = o if best_ours is None or o[0] < best_ours[0] else best_ours
                print(f"  {name}: gensim {r[0]:.1f} s, embedlab {o[0]:.1f} s", file=sys.stderr)
            rows.append((name, best_raw, best_ours))

    print(f"\n{args.corpus.name}, {args.epochs} epochs, 2 workers, best of {args.runs}")
    print("| model | gensim s | gensim words/s | embedlab s | embedlab words/s | speed ratio | raw words gensim | embedlab | effective words gensim | embedlab |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, (rs, reff, rraw), (os_, oeff, oraw) in rows:
        print(f"| {name} | {rs:.1f} | {rraw / rs:,.0f} | {os_:.1f} | {oraw / os_:,.0f} | {rs / os_:.2f} "
              f"| {rraw:,} | {oraw:,} | {reff:,} | {oeff:,} |")


if __name__ == "__main__":
    main()
