"""GloVe (Pennington, Socher & Manning 2014), our own implementation of the Stanford C code.

No maintained Python package trains GloVe, so this module does, in three steps
timed separately: the vocabulary and the co-occurrence matrix X
(``glove_cooccur``), then weighted least squares on log X with AdaGrad:

    J = Σ_ij f(X_ij) (w_i·c̃_j + b_i + b̃_j − log X_ij)²,   f(x) = min(1, (x/x_max)^α)

What matches glove.c: weights and biases start uniform in [−0.5, 0.5]/dim, the
AdaGrad accumulators at 1; each step divides by the accumulator before adding
the step; the loss reported per epoch is the reference's "cost",
Σ ½·f·diff² / nnz; the vectors returned are W + C̃ (glove.c's default
``-model 2``). What differs: float32 instead of double, log X and f(X) are
computed once instead of on every visit, and the order of the updates.

The order (``run_epoch``): the words are dealt into ``groups`` groups by
frequency rank, which cuts the non-zeros into groups² blocks (row group, column
group). An epoch walks ``groups`` strata in a random order; stratum s holds the
blocks (a, a + s mod groups), which share no row of W and no row of C̃, so the
worker threads take them from one queue and update them at once without races
(the stratified SGD of Gemulla et al. 2011, instead of the reference's Hogwild).
Each block is reshuffled in place just before it is trained. So any number of
workers gives the same vectors for a seed, and a thread that the machine
preempts holds up at most one block.

Why blocks (measured with benchmarks/glove.py and A/B epochs in one process, see
the note in benchmarks/glove.py): a fully shuffled epoch sends every update to
four random rows of 22,541 × 100 floats (W, C̃ and their accumulators: 36 MB)
and the shuffle itself to random places in 138 MB of records, so its speed
depended on how much L3 cache the machine's neighbours left over. A block
touches about 1,000 words' rows on each side (1.6 MB at 100 dims, within a
core's L2 cache, and contiguous: each group's rows are renumbered to sit
together) and shuffles 1/groups² of the records: 2.9× less CPU per epoch on the
text8 head. The vectorised update loop is what makes the rest fast, so a numba
compiled for the baseline x86-64 CPU (``NUMBA_CPU_NAME=generic``) is 2.4× slower
per update: the benchmark prints the target.

Progress is reported, and a cancel honoured, after every stratum.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np

from embedlab.config import GloVeParams
from embedlab.corpus import PreparedCorpus
from embedlab.i18n import _, N_
from embedlab.playback import EpochRecorder
from embedlab.errors import VocabularyError
from embedlab.progress import CancelToken, ProgressFn, check, no_progress
from embedlab.train.base import TrainResult
from embedlab.train.glove_cooccur import Cooccurrence, build_vocabulary, count_cooccurrences
from embedlab.train.glove_kernels import adagrad_pass, fill_blocked_records, fill_records, shuffle_records
from embedlab.vectors import WordVectors

#: words per group of the blocked schedule: a block's rows of W, C̃ and their accumulators
#: (4 × 1,024 × dim floats, 1.6 MB at 100 dims) fit in a core's L2 cache
GROUP_WORDS = 1024
#: bounds on the number of groups: enough strata for progress and for two threads to share
#: a stratum's blocks, few enough that the per-block call overhead stays small (groups² calls per epoch)
MIN_GROUPS, MAX_GROUPS = 8, 64


def n_groups(n_words: int) -> int:
    """Groups of the blocked schedule for a vocabulary (independent of the worker count, so results are too)."""
    return max(1, min(n_words, MAX_GROUPS, max(MIN_GROUPS, -(-n_words // GROUP_WORDS))))


@dataclass
class GloVeState:
    """Everything AdaGrad updates: word and context vectors, biases and their accumulators (float32)."""

    W: np.ndarray
    C: np.ndarray
    bw: np.ndarray
    bc: np.ndarray
    gW: np.ndarray
    gC: np.ndarray
    gbw: np.ndarray
    gbc: np.ndarray

    @classmethod
    def initial(cls, n_words: int, dim: int, rng: np.random.Generator) -> "GloVeState":
        """glove.c's start: uniform in [−0.5, 0.5]/dim for vectors and biases, accumulators at 1."""

        def uniform(*shape: int) -> np.ndarray:
            return ((rng.random(shape, dtype=np.float32) - np.float32(0.5)) / np.float32(dim)).astype(np.float32)

        W, C = uniform(n_words, dim), uniform(n_words, dim)
        bw, bc = uniform(n_words), uniform(n_words)
        ones = np.ones((n_words, dim), dtype=np.float32)
        return cls(W, C, bw, bc, ones, ones.copy(), np.ones(n_words, np.float32), np.ones(n_words, np.float32))

    def vectors(self) -> np.ndarray:
        """W + C̃, the reference's default output (``-model 2``)."""
        return self.W + self.C


class Pairs:
    """The non-zeros in training form: 16-byte records (row, col, log X, f(X)), shuffled in place.

    One record per quarter cache line, read sequentially by the kernel: ``records``
    is the int32 view (row, col in columns 0, 1) and ``values`` the float32 view of
    the same memory (log X, f(X) in columns 2, 3).
    """

    def __init__(self, records: np.ndarray) -> None:
        self.records = records
        self.values = records.view(np.float32)

    @classmethod
    def from_cooccurrence(cls, X: Cooccurrence, x_max: float, alpha: float) -> "Pairs":
        pairs = cls(np.empty((X.nnz, 4), dtype=np.int32))
        fill_records(X.indptr, X.cols, X.vals, float(x_max), float(alpha), pairs.records, pairs.values)
        return pairs

    @classmethod
    def from_arrays(cls, rows: np.ndarray, cols: np.ndarray, log_x: np.ndarray, weight: np.ndarray) -> "Pairs":
        pairs = cls(np.empty((len(rows), 4), dtype=np.int32))
        pairs.records[:, 0], pairs.records[:, 1] = rows, cols
        pairs.values[:, 2], pairs.values[:, 3] = log_x, weight
        return pairs

    def __len__(self) -> int:
        return int(self.records.shape[0])

    def shuffle(self, seed: int, start: int = 0, stop: int | None = None) -> None:
        """Shuffle records ``start:stop`` (all by default) in place, seeded."""
        shuffle_records(self.records[start:stop], seed)


@dataclass
class Blocks:
    """The non-zeros of X cut into ``groups``² blocks, renumbered for the blocked schedule.

    Word w is row ``(w % groups) * group_size + w // groups`` of the model arrays
    (``rows_of_words``); block ``a * groups + b`` holds the non-zeros whose row is
    in group a and column in group b, as records ``bounds[block]:bounds[block + 1]``
    of ``pairs``.
    """

    pairs: Pairs
    bounds: np.ndarray  # int64, groups² + 1
    groups: int
    group_size: int

    @classmethod
    def from_cooccurrence(cls, X: Cooccurrence, x_max: float, alpha: float, groups: int) -> "Blocks":
        group_size = max(1, -(-X.n_words // groups))
        pairs = Pairs(np.empty((X.nnz, 4), dtype=np.int32))
        bounds = np.zeros(groups * groups + 1, dtype=np.int64)
        fill_blocked_records(X.indptr, X.cols, X.vals, float(x_max), float(alpha), groups, group_size,
                             pairs.records, pairs.values, bounds)
        return cls(pairs, bounds, groups, group_size)

    @property
    def n_rows(self) -> int:
        """Rows the model arrays need (a few more than words when groups do not divide the vocabulary)."""
        return self.groups * self.group_size

    def rows_of_words(self, n_words: int) -> np.ndarray:
        """The model-array row of each word id ``0..n_words-1``."""
        words = np.arange(n_words)
        return (words % self.groups) * self.group_size + words // self.groups

    def __len__(self) -> int:
        return len(self.pairs)


def weighting(x: np.ndarray, x_max: float, alpha: float) -> np.ndarray:
    """f(x) = (x/x_max)^α below x_max, 1 from there on."""
    return np.minimum((np.asarray(x, dtype=np.float64) / x_max) ** alpha, 1.0)


def loss_and_grad(
    state: GloVeState, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, x_max: float, alpha: float
) -> tuple[float, dict[str, np.ndarray]]:
    """J and its exact gradient, in float64 numpy: the mathematics the kernel must follow.

    Used by the tests (finite differences, and the kernel's single step); far too
    slow for training. Gradient keys are the state's field names W, C, bw, bc.
    """
    W, C = state.W.astype(np.float64), state.C.astype(np.float64)
    bw, bc = state.bw.astype(np.float64), state.bc.astype(np.float64)
    f = weighting(vals, x_max, alpha)
    diff = np.einsum("ij,ij->i", W[rows], C[cols]) + bw[rows] + bc[cols] - np.log(np.asarray(vals, dtype=np.float64))
    loss = float(np.sum(f * diff * diff))
    g = 2.0 * f * diff
    grads = {"W": np.zeros_like(W), "C": np.zeros_like(C), "bw": np.zeros_like(bw), "bc": np.zeros_like(bc)}
    np.add.at(grads["W"], rows, g[:, None] * C[cols])
    np.add.at(grads["C"], cols, g[:, None] * W[rows])
    np.add.at(grads["bw"], rows, g)
    np.add.at(grads["bc"], cols, g)
    return loss, grads


def _map(pool: ThreadPoolExecutor | None, function: Callable[..., float], calls: list[tuple]) -> list[float]:
    """Run ``function(*args)`` for each args tuple, in the pool when there is one (the kernels release the GIL)."""
    if pool is None or len(calls) == 1:
        return [function(*args) for args in calls]
    return [future.result() for future in [pool.submit(function, *args) for args in calls]]


def run_epoch(
    state: GloVeState,
    blocks: Blocks,
    learning_rate: float,
    seed: int,
    pool: ThreadPoolExecutor | None,
    after_stratum: Callable[[int], None] | None = None,
) -> float:
    """One pass over the non-zeros, stratum by stratum; returns the reference's cost (mean ½·f·diff²).

    The strata come in a random order; a stratum's blocks touch disjoint rows, so
    they go to the pool's threads as one queue (a thread that finishes early takes
    the next block), each block reshuffled in place, seeded, right before its
    pass. The results do not depend on which thread ran which block, hence not on
    the number of workers. ``after_stratum(done)`` is called after each stratum
    with the non-zeros done so far: that is where progress and cancel happen.
    """
    rng = np.random.default_rng(seed)
    groups, bounds, pairs = blocks.groups, blocks.bounds, blocks.pairs
    arrays = (pairs.records, pairs.values, state.W, state.C, state.bw, state.bc,
              state.gW, state.gC, state.gbw, state.gbc, float(learning_rate))

    def train_block(block: int, shuffle_seed: int) -> float:
        start, stop = int(bounds[block]), int(bounds[block + 1])
        pairs.shuffle(shuffle_seed, start, stop)
        return adagrad_pass(start, stop, *arrays)

    cost = 0.0
    done = 0
    for s in rng.permutation(groups):
        stratum = [int(a) * groups + (int(a) + int(s)) % groups for a in rng.permutation(groups)]
        seeds = rng.integers(2**62, size=groups)
        cost += sum(_map(pool, train_block, [(b, int(seed_)) for b, seed_ in zip(stratum, seeds)]))
        done += sum(int(bounds[b + 1] - bounds[b]) for b in stratum)
        if after_stratum is not None:
            after_stratum(done)
    return cost / max(len(pairs), 1)


def train(
    params: GloVeParams,
    corpus: PreparedCorpus,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    recorder: EpochRecorder | None = None,
) -> TrainResult:
    """Train GloVe on a prepared corpus; see ``embedlab.train.base`` for the contract.

    A ``recorder`` gets the most frequent words' W + C̃ before the first iteration and after each.

    ``words_trained`` is the number of in-vocabulary tokens whose co-occurrences
    were counted (GloVe reads the corpus once; the epochs pass over non-zeros,
    reported as ``extra['nonzeros']``).
    """
    params.validate()
    epochs = params.epochs
    started = time.perf_counter()
    on_progress(0, epochs, _("GloVe: building the vocabulary"))
    vocabulary = build_vocabulary(corpus.tokens_path, params.min_count, params.max_vocab, cancel,
                                  _as_zero(on_progress, epochs))
    vocab_done = time.perf_counter()
    on_progress(0, epochs, _("GloVe: counting co-occurrences of {n_words:,} words").format(n_words=len(vocabulary)))
    X = count_cooccurrences(corpus.tokens_path, vocabulary, params.window, cancel, _as_zero(on_progress, epochs))
    if X.nnz == 0:
        raise VocabularyError(
            N_("No two of the {n_vocabulary:,} vocabulary words ever appear within {window} words of each "
               "other on one line, so GloVe has nothing to learn from. Use a corpus with longer lines, a larger "
               "window or a lower minimum count."), n_vocabulary=len(vocabulary), window=params.window
        )
    blocks = Blocks.from_cooccurrence(X, params.x_max, params.alpha, n_groups(len(vocabulary)))
    tokens = X.tokens
    del X  # training needs only the blocks; free the CSR arrays before allocating the model
    check(cancel)
    cooccur_done = time.perf_counter()

    rng = np.random.default_rng(params.seed)
    state = GloVeState.initial(blocks.n_rows, params.vector_size, rng)
    recorded_rows = None
    if recorder is not None:
        # the model arrays keep words in blocked order: follow the recorded words to their rows
        recorded_rows = blocks.rows_of_words(recorder.start(vocabulary.words))
        recorder.record(0, state.W[recorded_rows] + state.C[recorded_rows])
    nnz = len(blocks)
    losses: list[float] = []
    workers = max(1, params.workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="glove") if workers > 1 else _NoPool() as pool:
        for epoch in range(epochs):

            def after_stratum(done: int, epoch: int = epoch) -> None:
                check(cancel)
                on_progress(epoch + done / max(nnz, 1), epochs, _("GloVe: epoch {epoch}/{epochs}").format(
                    epoch=epoch + 1, epochs=epochs))

            loss = run_epoch(state, blocks, params.learning_rate, int(rng.integers(2**62)), pool, after_stratum)
            losses.append(loss)
            if recorder is not None:
                recorder.record(epoch + 1, state.W[recorded_rows] + state.C[recorded_rows])
            on_progress(epoch + 1, epochs, _("GloVe: epoch {epoch}/{epochs}, cost {loss:.4f}").format(
                epoch=epoch + 1, epochs=epochs, loss=loss))
    done = time.perf_counter()

    vectors = WordVectors.from_matrix(vocabulary.words, state.vectors()[blocks.rows_of_words(len(vocabulary))],
                                      vocabulary.counts)
    train_s = done - cooccur_done
    timings = {
        "vocab_s": vocab_done - started,
        "cooccur_s": cooccur_done - vocab_done,
        "train_s": train_s,
        "epoch_s": train_s / epochs,
        "nonzeros_per_s": nnz * epochs / train_s if train_s > 0 else 0.0,
        "total_s": time.perf_counter() - started,
    }
    return TrainResult(vectors, "glove", params, corpus.fingerprint, timings, losses, tokens,
                       extra={"nonzeros": nnz})


class _NoPool:
    """Stands in for the thread pool when there is one worker."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _as_zero(on_progress: ProgressFn, epochs: int) -> ProgressFn:
    """Preparation progress: keep the bar at 0 of ``epochs`` but pass the message through."""
    return lambda done, total, message: on_progress(0, epochs, message)
