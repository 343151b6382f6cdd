"""GloVe speed and quality: embedlab's trainer and the Stanford C reference, side by side in one run.

Usage::

    python benchmarks/glove.py                       # the shared text8 head (benchmarks/_data.py), else generated text
    python benchmarks/glove.py --corpus FILE --seeds 1,2,3
    python benchmarks/glove.py --quick               # a small generated corpus, 3 iterations, one seed (seconds)
    EMBEDLAB_GLOVE_C=/path/to/GloVe python benchmarks/glove.py   # also run a built Stanford GloVe

Settings are the reference's usual ones: window 10, x_max 10, 100 dims, 15
iterations, 2 threads, min_count 5. Both sides read the same tokens file (the
corpus tokenised once by embedlab, not timed) and run one after the other for
each seed. ``EMBEDLAB_GLOVE_C`` names a folder of the built C programs
(``vocab_count``, ``cooccur``, ``shuffle``, ``glove``, in it or in its ``build/``):
github.com/stanfordnlp/GloVe built with its own Makefile. Without it the C
column shows figures remembered from an earlier run on this machine type,
labelled as such, and no ratio is printed: a ratio counts only when both sides
ran here, now.

"End to end" is tokens file → vectors: for embedlab ``embedlab.train.train``
(vocabulary, co-occurrence, training, WordVectors), for C vocab_count + cooccur
+ shuffle + glove (which also writes its vectors as text). numba's one-time
compile is paid before the timed runs and printed separately (it is cached on
disk after the first run on a machine). Per-iteration times are taken when
each iteration's end is reported (C: when glove prints its "iter:" line).
Quality is scored with ``embedlab.scoring`` on gensim's bundled files
(analogies 3CosAdd, restrict_vocab 30,000; WordSim353 and SimLex-999 Spearman);
on a generated corpus the quality rows mean nothing.

The machine may be shared: means come with the min-max over seeds, and the
load average before and after is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import numpy as np  # noqa: E402
import psutil  # noqa: E402

from embedlab.config import CorpusParams, GloVeParams  # noqa: E402
from embedlab.corpus import PreparedCorpus, prepare_corpus  # noqa: E402
from embedlab.benchmark_files import bundled  # noqa: E402
from embedlab.scoring import evaluate_analogies, evaluate_pairs  # noqa: E402
from embedlab.train import train  # noqa: E402
from embedlab.vectors import WordVectors  # noqa: E402
from _data import GENERATED, missing_note, text8_head  # noqa: E402

REFERENCE_ENV = "EMBEDLAB_GLOVE_C"
C_PROGRAMS = ("vocab_count", "cooccur", "shuffle", "glove")

#: Stanford C GloVe on text8-head-2m.txt with these settings, measured in an earlier session on this machine type
#: (median of 3). Shown for context only when the reference is not run: never the baseline of a ratio.
REMEMBERED_C = {
    "corpus": "text8-head-2m.txt", "epoch_s": "12.95-13.9 s", "total_s": "206-218 s", "nonzeros": "8.66 M",
    "peak": "556 MB", "analogy": "7.0-7.3%", "ws353": "0.375-0.397", "simlex": "0.155-0.157",
}


@dataclass
class Run:
    """One training run of one side: step times, per-iteration times, size and quality."""

    side: str
    seed: int
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step, in order
    epochs: list[float] = field(default_factory=list)
    total_s: float = 0.0
    cpu_s: float | None = None
    peak_mb: float | None = None
    nonzeros: int | None = None
    words: int = 0
    analogy: float | None = None
    ws353: float | None = None
    simlex: float | None = None
    cost: float | None = None


class PeakRSS:
    """Samples this process's resident memory every 20 ms (ru_maxrss also counts the imports before)."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
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


def score(run: Run, vectors: WordVectors) -> None:
    """Analogy accuracy and the two similarity correlations (None when nothing is answerable)."""
    run.words = len(vectors)
    run.analogy = evaluate_analogies(vectors, bundled("questions-words"), restrict_vocab=30_000).accuracy
    run.ws353 = evaluate_pairs(vectors, bundled("wordsim353")).spearman
    run.simlex = evaluate_pairs(vectors, bundled("simlex999")).spearman


def numba_target() -> str:
    """What numba compiles the kernels for: the CPU name and whether the wide vector units are used."""
    import llvmlite.binding as llvm
    from numba.core import config

    name = config.CPU_NAME or llvm.get_host_cpu_name()
    features = config.CPU_FEATURES if config.CPU_FEATURES is not None else llvm.get_host_cpu_features().flatten()
    wide = [f for f in ("avx512f", "avx2", "fma") if f"+{f}" in features]
    note = f"numba compiles for {name} ({' '.join('+' + f for f in wide) or 'no AVX: baseline x86-64 vector units'})"
    if str(config.CPU_NAME).lower() == "generic":
        note += "; NUMBA_CPU_NAME=generic makes the GloVe update loop about 2.4x slower (unset it)"
    return note


def warm_up(tmp: Path) -> float:
    """Compile (or load from numba's cache) every GloVe kernel on a tiny corpus; returns the seconds it took."""
    started = time.perf_counter()
    tiny = prepare_corpus(synthetic_corpus(tmp / "warm-up.txt", 20_000, seed=99), tmp / "warm-up", CorpusParams("words"))
    train("glove", GloVeParams(vector_size=8, epochs=1, min_count=2, workers=2), tiny)
    return time.perf_counter() - started


def run_embedlab(corpus: PreparedCorpus, params: GloVeParams) -> Run:
    run = Run("embedlab", params.seed)
    marks: list[float] = []

    def progress(done: float, total: float, message: str) -> None:
        if done == 0 and "co-occurrences" in message:
            marks.clear()
        if done == int(done) and "cost" in message:
            marks.append(time.perf_counter())
        print(f"\r  embedlab seed {params.seed}: {done / total:6.1%} {message[:60]:<60}", end="", file=sys.stderr, flush=True)

    with PeakRSS() as rss:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = train("glove", params, corpus, progress)
        run.total_s, run.cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    print(file=sys.stderr)
    t = result.timings
    run.steps = {"vocabulary": t["vocab_s"], "co-occurrence": t["cooccur_s"], "training": t["train_s"]}
    train_start = started + t["vocab_s"] + t["cooccur_s"]
    run.epochs = list(np.diff([train_start] + marks)) if len(marks) == params.epochs else [t["epoch_s"]] * params.epochs
    run.peak_mb = (rss.peak - rss.start) / 1024**2
    run.nonzeros = int(result.extra["nonzeros"])
    run.cost = result.loss[-1]
    score(run, result.vectors)
    return run


def reference_programs(folder: Path) -> dict[str, Path]:
    """The four built C programs in ``folder`` or ``folder/build``; a clear error if any is missing."""
    for place in (folder / "build", folder):
        found = {name: place / name for name in C_PROGRAMS}
        if all(p.is_file() and os.access(p, os.X_OK) for p in found.values()):
            return found
    raise SystemExit(f"{REFERENCE_ENV}={folder} has no built {', '.join(C_PROGRAMS)} (in it or in its build/): "
                     "build github.com/stanfordnlp/GloVe with `make` first, or unset the variable.")


def _step(command: list[str], stdin: Path, stdout: Path | None, cwd: Path,
          on_line: Callable[[str], None] | None = None) -> float:
    """Run one C program (stdin/stdout redirected to files, stderr read line by line); returns its seconds."""
    started = time.perf_counter()
    with open(stdin, "rb") as fin, (open(stdout, "wb") if stdout else open(os.devnull, "wb")) as fout:
        process = subprocess.Popen(command, stdin=fin, stdout=fout, stderr=subprocess.PIPE, cwd=cwd, text=True)
        tail: list[str] = []
        assert process.stderr is not None
        for line in process.stderr:
            tail = (tail + [line])[-20:]
            if on_line is not None:
                on_line(line)
        if process.wait() != 0:
            raise SystemExit(f"{command[0]} failed (exit {process.returncode}):\n{''.join(tail)}")
    return time.perf_counter() - started


def run_reference(programs: dict[str, Path], tokens: Path, params: GloVeParams, work: Path) -> Run:
    """vocab_count, cooccur, shuffle and glove on the same tokens file, timed step by step."""
    run = Run("Stanford C", params.seed)
    work.mkdir(parents=True, exist_ok=True)
    vocab, cooc, shuf = work / "vocab.txt", work / "cooccurrence.bin", work / "cooccurrence.shuf.bin"
    run.steps["vocabulary"] = _step([str(programs["vocab_count"]), "-min-count", str(params.min_count), "-verbose", "0"],
                                    tokens, vocab, work)
    run.steps["co-occurrence"] = _step([str(programs["cooccur"]), "-memory", "4.0", "-vocab-file", str(vocab),
                                        "-verbose", "0", "-window-size", str(params.window), "-symmetric", "1"],
                                       tokens, cooc, work)
    run.steps["shuffle"] = _step([str(programs["shuffle"]), "-memory", "4.0", "-verbose", "0",
                                  "-seed", str(params.seed)], cooc, shuf, work)
    run.nonzeros = cooc.stat().st_size // 16  # records of (int, int, double)
    marks: list[float] = []

    def on_line(line: str) -> None:
        if line.startswith("alpha:"):  # the last line printed before the first iteration
            marks.append(time.perf_counter())
        elif ", iter: " in line:
            marks.append(time.perf_counter())
            print(f"\r  Stanford C seed {params.seed}: {line.strip()[-40:]:<60}", end="", file=sys.stderr, flush=True)
            run.cost = float(line.rsplit("cost:", 1)[1])

    run.steps["training"] = _step(
        [str(programs["glove"]), "-input-file", str(shuf), "-vocab-file", str(vocab), "-save-file", str(work / "vectors"),
         "-threads", str(params.workers), "-x-max", f"{params.x_max:g}", "-alpha", f"{params.alpha:g}",
         "-eta", f"{params.learning_rate:g}", "-iter", str(params.epochs), "-vector-size", str(params.vector_size),
         "-binary", "0", "-model", "2", "-seed", str(params.seed), "-verbose", "2"],
        tokens, None, work, on_line)
    print(file=sys.stderr)
    run.total_s = sum(run.steps.values())
    run.epochs = list(np.diff(marks)) if len(marks) == params.epochs + 1 else []
    run.peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest step so far
    score(run, read_reference_vectors(work / "vectors.txt", vocab))
    for path in (cooc, shuf):
        path.unlink()
    return run


def read_reference_vectors(path: Path, vocab: Path) -> WordVectors:
    """glove's text output (word, then the numbers), without its averaged <unk> row; counts from vocab.txt."""
    counts = dict(line.split() for line in vocab.read_text(encoding="utf-8").splitlines())
    words, rows = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, *numbers = line.split(" ")
        if word in counts:
            words.append(word)
            rows.append(np.array(numbers, dtype=np.float32))
    return WordVectors.from_matrix(words, np.vstack(rows), np.array([int(counts[w]) for w in words]))


# -- the table ----------------------------------------------------------------------------------

def spread(values: list[float | None], fmt: Callable[[float], str]) -> str:
    """Mean and min-max of the values that exist, e.g. '7.3% (7.1-7.4%)'; 'n/a' when none do."""
    present = [v for v in values if v is not None and np.isfinite(v)]
    if not present:
        return "n/a"
    if min(present) == max(present):
        return fmt(present[0])
    return f"{fmt(statistics.fmean(present))} ({fmt(min(present))}-{fmt(max(present))})"


def mean_of(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def seconds(x: float) -> str:
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def percent(x: float) -> str:
    return f"{x:.1%}"


def three(x: float) -> str:
    return f"{x:.3f}"


def rows_for(runs: list[Run], reference: list[Run] | None, remembered: bool) -> list[tuple[str, str, str, str]]:
    """(measure, embedlab, Stanford C, ratio) rows; C and ratio are measured only when ``reference`` ran.

    Without a reference the C column shows the remembered figures if ``remembered`` (the corpus they were
    measured on), else stays empty.
    """

    def step(runs: list[Run], name: str) -> list[float | None]:
        return [r.steps.get(name) for r in runs]

    def ratio(ours: list[float | None], theirs: list[float | None], goal: str = "") -> str:
        a, b = mean_of(ours), mean_of(theirs)
        if reference is None or not a or not b:
            return ""
        slower = f"C {b / a:.1f}× slower" if b >= a else f"embedlab {a / b:.1f}× slower"
        return f"embedlab {a / b:.2f}× the C time ({slower}){goal}"

    def theirs(values: Callable[[list[Run]], str], remembered_value: str = "") -> str:
        if reference is None:
            return f"{remembered_value} (remembered)" if remembered and remembered_value else ""
        return values(reference)

    rem = REMEMBERED_C
    all_epochs = [e for r in runs for e in r.epochs]
    ref_epochs = [e for r in reference or [] for e in r.epochs]
    table = [
        ("vocabulary", spread(step(runs, "vocabulary"), seconds),
         theirs(lambda ref: spread(step(ref, "vocabulary"), seconds)), ratio(step(runs, "vocabulary"), step(reference or [], "vocabulary"))),
        ("co-occurrence (C: cooccur; embedlab: counting + training layout)", spread(step(runs, "co-occurrence"), seconds),
         theirs(lambda ref: spread(step(ref, "co-occurrence"), seconds)),
         ratio(step(runs, "co-occurrence"), step(reference or [], "co-occurrence"))),
        ("shuffle (embedlab: inside each iteration)", "",
         theirs(lambda ref: spread(step(ref, "shuffle"), seconds)), ""),
        ("seconds per iteration: mean (min-max over every iteration of every seed)",
         spread(all_epochs, seconds), theirs(lambda ref: spread(ref_epochs, seconds), rem["epoch_s"]),
         ratio(all_epochs, ref_epochs)),
        ("training, all iterations", spread(step(runs, "training"), seconds),
         theirs(lambda ref: spread(step(ref, "training"), seconds)), ratio(step(runs, "training"), step(reference or [], "training"))),
        ("**end to end** (tokens file → vectors)", spread([r.total_s for r in runs], seconds),
         theirs(lambda ref: spread([r.total_s for r in ref], seconds), rem["total_s"]),
         ratio([r.total_s for r in runs], [r.total_s for r in reference or []], " (goal ≤ 0.15)")),
        ("embedlab CPU time, all threads", spread([r.cpu_s for r in runs], seconds), "", ""),
        ("non-zeros", spread([r.nonzeros for r in runs], lambda x: f"{x / 1e6:.3f} M"),
         theirs(lambda ref: spread([r.nonzeros for r in ref], lambda x: f"{x / 1e6:.3f} M"), rem["nonzeros"]), ""),
        ("peak memory (embedlab: RSS growth while training; C: largest step's RSS)",
         spread([r.peak_mb for r in runs], lambda x: f"{x:,.0f} MB"),
         theirs(lambda ref: spread([r.peak_mb for r in ref], lambda x: f"{x:,.0f} MB"), rem["peak"]), ""),
        ("vocabulary words", spread([r.words for r in runs], lambda x: f"{x:,.0f}"),
         theirs(lambda ref: spread([r.words for r in ref], lambda x: f"{x:,.0f}")), ""),
        ("analogy accuracy (3CosAdd, restrict 30k)", spread([r.analogy for r in runs], percent),
         theirs(lambda ref: spread([r.analogy for r in ref], percent), rem["analogy"]), ""),
        ("WordSim353 Spearman", spread([r.ws353 for r in runs], three),
         theirs(lambda ref: spread([r.ws353 for r in ref], three), rem["ws353"]), ""),
        ("SimLex-999 Spearman", spread([r.simlex for r in runs], three),
         theirs(lambda ref: spread([r.simlex for r in ref], three), rem["simlex"]), ""),
        ("final cost (Σ ½ f·diff² / nnz)", spread([r.cost for r in runs], lambda x: f"{x:.4f}"),
         theirs(lambda ref: spread([r.cost for r in ref], lambda x: f"{x:.4f}")), ""),
    ]
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="raw text file (default: the shared text8 head if found, see benchmarks/_data.py)")
    parser.add_argument("--synthetic", type=int, default=2_139_748, help="tokens to generate when there is no corpus")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--x-max", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", default="1,2,3", help="comma-separated seeds; each side runs once per seed")
    parser.add_argument("--quick", action="store_true", help="a 200,000-token generated corpus, 3 iterations, seed 1")
    args = parser.parse_args(argv)
    if args.quick:
        args.corpus, args.synthetic, args.epochs, args.seeds = None, 200_000, 3, "1"
    elif args.corpus is None:
        args.corpus = text8_head()
        if args.corpus is None:
            print(f"({missing_note()}: generating {args.synthetic:,} Zipf-distributed tokens)", file=sys.stderr)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    folder = os.environ.get(REFERENCE_ENV)
    programs = reference_programs(Path(folder).expanduser()) if folder else None
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="embedlab-glove-bench-") as tmp_name:
        tmp = Path(tmp_name)
        source = args.corpus
        if source is None:
            source = synthetic_corpus(tmp / "synthetic.txt", args.synthetic)
        corpus = prepare_corpus(source, tmp / "corpus", CorpusParams("words"))
        compile_s = warm_up(tmp)
        ours: list[Run] = []
        theirs: list[Run] = []
        for seed in seeds:
            params = GloVeParams(vector_size=100, window=args.window, min_count=5, x_max=args.x_max, epochs=args.epochs,
                                 workers=args.workers, seed=seed)
            ours.append(run_embedlab(corpus, params))
            if programs:
                theirs.append(run_reference(programs, corpus.tokens_path, params, tmp / f"c-{seed}"))
                shutil.rmtree(tmp / f"c-{seed}", ignore_errors=True)
    load_after = os.getloadavg()

    what = f"{source.name} ({corpus.n_tokens:,} tokens)" if args.corpus else \
        f"a {GENERATED} ({corpus.n_tokens:,} Zipf-distributed tokens)"
    print(f"\n### GloVe on {what}: embedlab vs Stanford C\n")
    print(f"window {args.window}, x_max {args.x_max:g}, 100 dims, {args.epochs} iterations, {args.workers} threads, "
          f"min_count 5; seeds {', '.join(map(str, seeds))}; {numba_target()}; one-time numba compile/load before "
          f"the timed runs {compile_s:.1f} s.\n")
    if programs:
        print(f"Stanford C: the programs in {REFERENCE_ENV}, run in this process's run right after embedlab for each seed.\n")
    else:
        shown = (f"its column shows figures remembered from an earlier run on {REMEMBERED_C['corpus']} on this machine "
                 "type, for context only" if source.name == REMEMBERED_C["corpus"] else "its column stays empty")
        print(f"**Stanford C was not run** ({REFERENCE_ENV} is not set): {shown}; no ratio is claimed.\n")
    print("| measure | embedlab | Stanford C | ratio (same run) |")
    print("| --- | ---: | ---: | --- |")
    remembered = source.name == REMEMBERED_C["corpus"]
    for name, a, b, note in rows_for(ours, theirs if programs else None, remembered):
        print(f"| {name} | {a} | {b} | {note} |")
    print(f"\nLoad average (1, 5, 15 min) before {tuple(round(x, 2) for x in load_before)}, "
          f"after {tuple(round(x, 2) for x in load_after)} on {os.cpu_count()} cores.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
