"""What recording the training costs: training with per-epoch snapshots against the same training without.

Usage::

    python benchmarks/playback.py                  # the shared 2.14 M-token text8 head (else 1 M synthetic tokens)
    python benchmarks/playback.py --only cbow --runs 5
    python benchmarks/playback.py --quick          # gensim's small Lee corpus, 2 epochs (seconds)

For each model, training without a recorder and with one (``EpochRecorder``, the
2,000 most frequent words by default) alternate in this process (who goes first
alternates too) and the best of ``--runs`` of each is compared (by wall time). Reported: the wall
time of training, the ratio with/without (goal ≤ 1.10: recording costs at most 10 %), the
same for process CPU time (steadier when other work shares the machine),
the seconds the recorder itself spent copying frames (what recording adds, free of
the noise of a shared machine), and the size of the snapshots.
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

from embedlab.config import CorpusParams, FastTextParams, GloVeParams, Word2VecParams  # noqa: E402
from embedlab.corpus import PreparedCorpus, prepare_corpus  # noqa: E402
from embedlab.playback import DEFAULT_TOP_N, EpochRecorder  # noqa: E402
from embedlab.train import train  # noqa: E402
from _data import missing_note, text8_head  # noqa: E402


def synthetic_corpus(path: Path, tokens: int = 1_000_000, vocabulary: int = 30_000, seed: int = 1) -> Path:
    """Zipf-distributed random words in lines of 20, for when the text8 head is absent (same order of size)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    ranks = np.arange(1, vocabulary + 1)
    p = 1.0 / ranks
    ids = rng.choice(vocabulary, size=tokens, p=p / p.sum())
    words = np.array([f"w{i}" for i in range(vocabulary)])
    with open(path, "w", encoding="utf-8") as out:
        for start in range(0, tokens, 20):
            out.write(" ".join(words[ids[start:start + 20]]) + "\n")
    return path


class Run(NamedTuple):
    train_s: float  # wall seconds of training, as the trainer measures them
    cpu_s: float  # process CPU seconds of the whole call: steadier than wall time when the machine is shared
    record_s: float
    snapshot_bytes: int


def one(algorithm: str, params, corpus: PreparedCorpus, top_n: int | None) -> Run:
    recorder = EpochRecorder(top_n) if top_n else None
    cpu = time.process_time()
    result = train(algorithm, params, corpus, recorder=recorder)
    cpu = time.process_time() - cpu
    if recorder is None:
        return Run(result.timings["train_s"], cpu, 0.0, 0)
    return Run(result.timings["train_s"], cpu, recorder.seconds, result.snapshots.nbytes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=None, help="raw text file (default: the shared text8 head)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--top", type=int, default=DEFAULT_TOP_N, help="words recorded per epoch")
    parser.add_argument("--only", choices=["cbow", "sg", "fasttext", "glove"], action="append")
    parser.add_argument("--quick", action="store_true", help="gensim's Lee corpus (60k tokens) and 2 epochs: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.epochs = 2
    with tempfile.TemporaryDirectory() as tmp:
        if args.quick:
            from gensim.test.utils import datapath

            args.corpus = Path(datapath("lee_background.cor"))
            print(f"(--quick: using gensim's {args.corpus.name})", file=sys.stderr)
        elif args.corpus is None:
            args.corpus = text8_head()
        if args.corpus is None:
            args.corpus = synthetic_corpus(Path(tmp) / "synthetic-zipf.txt")
            print(f"({missing_note()}: using 1 M synthetic Zipf-distributed tokens)", file=sys.stderr)
        started = time.perf_counter()
        corpus = prepare_corpus(args.corpus, Path(tmp), CorpusParams("words"))
        print(f"corpus: {args.corpus.name}, {corpus.n_tokens:,} tokens, tokenised in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        cases = {
            "cbow": ("word2vec", Word2VecParams(architecture="cbow", epochs=args.epochs, workers=2)),
            "sg": ("word2vec", Word2VecParams(architecture="skipgram", epochs=args.epochs, workers=2)),
            "fasttext": ("fasttext", FastTextParams(architecture="cbow", epochs=args.epochs, workers=2, bucket=200_000)),
            "glove": ("glove", GloVeParams(epochs=3 * args.epochs, workers=2)),
        }
        rows = []
        for name in args.only or list(cases):
            algorithm, params = cases[name]
            best = {False: None, True: None}
            for run in range(args.runs):
                order = (False, True) if run % 2 == 0 else (True, False)  # alternate who goes first
                for recording in order:
                    result = one(algorithm, params, corpus, args.top if recording else None)
                    if best[recording] is None or result.train_s < best[recording].train_s:
                        best[recording] = result
                    print(f"  {name} {'recording' if recording else 'plain'}: {result.train_s:.2f} s, "
                          f"{result.cpu_s:.2f} s CPU"
                          + (f" (recorder {result.record_s:.3f} s)" if recording else ""), file=sys.stderr)
            rows.append((name, best[False], best[True]))

    iterations = "epochs (GloVe: iterations x3)"
    print(f"\n{args.corpus.name}, {corpus.n_tokens:,} tokens, {args.epochs} {iterations}, 2 workers, top {args.top:,} "
          f"words recorded, best of {args.runs}")
    print("| model | without s | with s | wall ratio (goal ≤ 1.10) | without CPU s | with CPU s | CPU ratio "
          "| recorder s | recorder share of training | snapshots MB |")
    print("|---" * 10 + "|")
    for name, plain, recorded in rows:
        print(f"| {name} | {plain.train_s:.2f} | {recorded.train_s:.2f} | {recorded.train_s / plain.train_s:.3f} "
              f"| {plain.cpu_s:.2f} | {recorded.cpu_s:.2f} | {recorded.cpu_s / plain.cpu_s:.3f} "
              f"| {recorded.record_s:.3f} | {recorded.record_s / recorded.train_s:.2%} "
              f"| {recorded.snapshot_bytes / 1024**2:.1f} |")


if __name__ == "__main__":
    main()
