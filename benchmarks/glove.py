"""GloVe speed and quality: embedlab's trainer against the Stanford C reference on the same corpus.

Usage::

    python benchmarks/glove.py                          # the shared 2.14 M-token text8 head, if present
    python benchmarks/glove.py --corpus FILE --epochs 5 --workers 1
    python benchmarks/glove.py --synthetic 2000000      # no corpus file: a generated Zipf corpus

Settings are the reference run's (window 10, x_max 10, 100 dims, 15 iterations,
2 threads, min_count 5). Printed beside each figure: the reference's, measured
with the Stanford C code on this machine type (/work/shared/data/README.md).
"End to end" is what ``embedlab.train.train`` takes from a tokens file to
vectors (vocabulary, co-occurrence, training, WordVectors), like
vocab_count + cooccur + shuffle + glove; tokenising the raw file is reported
separately. Quality is scored with ``embedlab.scoring`` on gensim's bundled
benchmark files (analogies 3CosAdd, restrict_vocab 30,000; WordSim353 and
SimLex-999 Spearman). On a generated corpus the quality rows mean nothing.

The machine is shared: the load average before and after is printed, and the
per-epoch times show the spread within the run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import psutil  # noqa: E402

from embedlab.config import CorpusParams, GloVeParams  # noqa: E402
from embedlab.corpus import prepare_corpus  # noqa: E402
from embedlab.benchmark_files import bundled  # noqa: E402
from embedlab.scoring import evaluate_analogies, evaluate_pairs  # noqa: E402
from embedlab.train import train  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "text8-head-2m.txt"

#: Stanford C GloVe on text8-head-2m.txt, window 10, x_max 10, 15 iterations, 2 threads (shared README)
REFERENCE = {
    "vocab_s": 0.3, "cooccur_s": 5.0, "shuffle_s": 5.0, "epoch_s": 12.95, "nonzeros": 8.66e6,
    "nonzeros_per_s": 8.66e6 / 12.95, "peak_mb": 556.0, "total_s": 206.0,
    "analogy": "7.1-7.3%", "answered": 9274, "ws353": 0.375, "simlex": 0.157,
}


class PeakRSS:
    """Samples this process's resident memory every 20 ms (ru_maxrss also counts the imports before)."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def synthetic_corpus(path: Path, n_tokens: int, seed: int = 0) -> Path:
    """A Zipf-distributed random text of ``n_tokens`` tokens, 1,000 a line (text8's shape, no meaning)."""
    rng = np.random.default_rng(seed)
    ranks = np.minimum(rng.zipf(1.1, n_tokens), 200_000)
    with open(path, "w", encoding="utf-8") as out:
        for start in range(0, n_tokens, 1000):
            out.write(" ".join(f"w{r}" for r in ranks[start:start + 1000]) + "\n")
    return path


def one_stream_nonzeros(tokens_path: Path, params: GloVeParams) -> int:
    """Non-zeros if the whole file were one line (contexts crossing newlines), to explain the reference's count."""
    from embedlab.train.glove_cooccur import build_vocabulary
    from embedlab.train.glove_kernels import accumulate_cooccurrence

    vocabulary = build_vocabulary(tokens_path, params.min_count, params.max_vocab)
    get = vocabulary.ids().get
    ids = np.array([get(w, -1) for w in tokens_path.read_text(encoding="utf-8").split()], dtype=np.int32)
    ids = ids[ids >= 0]
    empty = (np.zeros(len(vocabulary) + 1, np.int64), np.empty(0, np.int32), np.empty(0, np.float32))
    _, cols, _ = accumulate_cooccurrence(ids, np.zeros(len(ids), np.int32), len(vocabulary), params.window, *empty)
    return int(cols.shape[0])


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1024**2:,.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED if SHARED.exists() else None)
    parser.add_argument("--synthetic", type=int, default=2_139_748, help="tokens to generate when there is no corpus")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--x-max", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    params = GloVeParams(vector_size=100, window=args.window, min_count=5, x_max=args.x_max, epochs=args.epochs,
                         workers=args.workers, seed=args.seed)
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory() as tmp:
        source = args.corpus
        if source is None:
            source = synthetic_corpus(Path(tmp) / "synthetic.txt", args.synthetic)
            print(f"(no corpus file: generated {args.synthetic:,} Zipf tokens; quality rows are meaningless)",
                  file=sys.stderr)
        started = time.perf_counter()
        corpus = prepare_corpus(source, Path(tmp) / "corpus", CorpusParams("words"))
        prepare_s = time.perf_counter() - started

        epoch_marks: list[float] = []

        def progress(done: float, total: float, message: str) -> None:
            if done == int(done) and "cost" in message:
                epoch_marks.append(time.perf_counter())
            print(f"\r  {done / total:6.1%} {message[:70]:<70}", end="", file=sys.stderr, flush=True)

        with PeakRSS() as rss:
            baseline = rss.peak
            started, cpu_started = time.perf_counter(), time.process_time()
            result = train("glove", params, corpus, progress)
            end_to_end, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
        print(file=sys.stderr)
        vectors = result.vectors
        t = result.timings

        analogy = evaluate_analogies(vectors, bundled("questions-words"), restrict_vocab=30_000)
        ws353 = evaluate_pairs(vectors, bundled("wordsim353"))
        simlex = evaluate_pairs(vectors, bundled("simlex999"))
        one_stream = one_stream_nonzeros(corpus.tokens_path, params)
    load_after = os.getloadavg()

    epochs = np.diff(epoch_marks) if len(epoch_marks) > 1 else np.array([t["epoch_s"]])
    nnz = result.extra["nonzeros"]
    ref = REFERENCE
    rows = [
        ("vocabulary", f"{t['vocab_s']:.2f} s", f"{ref['vocab_s']} s", ""),
        ("co-occurrence", f"{t['cooccur_s']:.2f} s", f"{ref['cooccur_s']:.0f} s", f"{ref['cooccur_s'] / t['cooccur_s']:.1f}× faster"),
        ("first full shuffle (later ones are inside the epochs)", f"{t['first_shuffle_s']:.2f} s",
         f"{ref['shuffle_s']:.0f} s (its only one)", ""),
        ("seconds per epoch (mean; min-max)", f"{t['epoch_s']:.2f} s ({epochs.min():.2f}-{epochs.max():.2f})",
         f"{ref['epoch_s']} s", f"{ref['epoch_s'] / t['epoch_s']:.1f}× faster"),
        ("non-zeros per second", f"{t['nonzeros_per_s'] / 1e6:.2f} M", f"{ref['nonzeros_per_s'] / 1e6:.2f} M", ""),
        ("non-zeros", f"{nnz / 1e6:.3f} M ({nnz:,})", f"{ref['nonzeros'] / 1e6:.2f} M", f"{nnz / ref['nonzeros'] - 1:+.1%}"),
        ("non-zeros if contexts crossed line ends", f"{one_stream / 1e6:.3f} M ({one_stream:,})", f"{ref['nonzeros'] / 1e6:.2f} M",
         f"{one_stream / ref['nonzeros'] - 1:+.1%}"),
        ("peak RSS during training (process peak)", f"{mb(rss.peak)} (+{mb(rss.peak - baseline)} over start; "
         f"ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)", f"{ref['peak_mb']:.0f} MB", ""),
        ("end to end (tokens file → vectors)", f"{end_to_end:.1f} s (CPU {cpu_s:.1f} s)", f"{ref['total_s']:.0f} s",
         f"{end_to_end / ref['total_s']:.2f} × reference (goal ≤ 0.60)"),
        ("analogy accuracy (3CosAdd, restrict 30k)", f"{analogy.accuracy:.1%} ({analogy.correct:,}/{analogy.answered:,})",
         f"{ref['analogy']} ({ref['answered']:,} answerable)", ""),
        ("WordSim353 Spearman", f"{ws353.spearman:.3f} ({ws353.answered}/{ws353.total})", f"{ref['ws353']}", ""),
        ("SimLex-999 Spearman", f"{simlex.spearman:.3f} ({simlex.answered}/{simlex.total})", f"{ref['simlex']}", ""),
        ("final cost (Σ ½ f·diff² / nnz)", f"{result.loss[-1]:.4f}", "", ""),
    ]
    print(f"\n### GloVe on {source.name} ({corpus.n_tokens:,} tokens, {len(vectors):,} words): embedlab vs Stanford C\n")
    print(f"window {params.window}, x_max {params.x_max:g}, {params.vector_size} dims, {params.epochs} iterations, "
          f"{params.workers} threads, min_count {params.min_count}, seed {params.seed}; "
          f"tokenising the raw file took {prepare_s:.1f} s (not included)\n")
    print("| measure | embedlab | Stanford C reference | |")
    print("| --- | ---: | ---: | --- |")
    for name, ours, theirs, note in rows:
        print(f"| {name} | {ours} | {theirs} | {note} |")
    print(f"\nLoad average (1, 5, 15 min) before {tuple(round(x, 2) for x in load_before)}, "
          f"after {tuple(round(x, 2) for x in load_after)} on {os.cpu_count()} cores.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
