"""GloVe (Pennington, Socher & Manning 2014), our own implementation of the Stanford C code.

No maintained Python package trains GloVe, so this module does, in three steps
timed separately: the vocabulary and the co-occurrence matrix X
(``glove_cooccur``), then weighted least squares on log X with AdaGrad:

    J = Σ_ij f(X_ij) (w_i·c̃_j + b_i + b̃_j − log X_ij)²,   f(x) = min(1, (x/x_max)^α)

What matches glove.c: weights and biases start uniform in [−0.5, 0.5]/dim, the
AdaGrad accumulators at 1; each step divides by the accumulator before adding
the step; threads update shared arrays without locks (Hogwild); the loss
reported per epoch is the reference's "cost", Σ ½·f·diff² / nnz; the vectors
returned are W + C̃ (glove.c's default ``-model 2``). What differs: float32
instead of double, log X and f(X) are computed once instead of on every visit,
and the non-zeros are reshuffled every epoch (seeded; see ``run_epoch``) instead
of once on disk. With one worker, a seed gives identical vectors; with more,
Hogwild's races make runs differ slightly, as in the reference.

An epoch is cut into slices of about ``SLICE_NONZEROS`` non-zeros, each split
across the worker threads; progress is reported and a cancel is honoured after
every slice, so both happen within an epoch.

Speed (measured by benchmarks/glove.py against the reference): an epoch costs
about a tenth of the reference's CPU time, because the update loop is
vectorised float32 (see ``glove_kernels``) and the shuffled 16-byte records are
read sequentially.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np

from embedlab.config import GloVeParams
from embedlab.corpus import PreparedCorpus
from embedlab.errors import VocabularyError
from embedlab.progress import CancelToken, ProgressFn, check, no_progress
from embedlab.train.base import TrainResult
from embedlab.train.glove_cooccur import Cooccurrence, build_vocabulary, count_cooccurrences
from embedlab.train.glove_kernels import adagrad_pass, fill_records, shuffle_records
from embedlab.vectors import WordVectors

#: non-zeros per progress/cancel slice of an epoch
SLICE_NONZEROS = 1 << 21


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
    pairs: Pairs,
    learning_rate: float,
    seed: int,
    pool: ThreadPoolExecutor | None,
    workers: int,
    after_slice: Callable[[int], None] | None = None,
) -> float:
    """Shuffle, then one pass over the non-zeros; returns the reference's cost (mean ½·f·diff²).

    The records are split into ``workers`` fixed parts, one per thread. Each thread
    shuffles its own part (in parallel: a sequential Fisher-Yates over all of them
    would idle the other cores), then the threads walk their parts at once,
    updating the shared arrays without locks (Hogwild). The parts were cut after
    a full shuffle, so each epoch's order is an interleaving of independent random
    orders of random halves; with one worker it is a full shuffle every epoch.
    The walk goes in slices of about ``SLICE_NONZEROS`` non-zeros in all;
    ``after_slice(done)`` is called between slices, which is where progress and
    cancel happen.
    """
    n = len(pairs)
    bounds = np.linspace(0, n, workers + 1).astype(np.int64)
    seeds = np.random.default_rng(seed).integers(2**62, size=workers)
    _map(pool, pairs.shuffle, [(int(seeds[t]), int(bounds[t]), int(bounds[t + 1])) for t in range(workers)])
    arrays = (pairs.records, pairs.values, state.W, state.C, state.bw, state.bc,
              state.gW, state.gC, state.gbw, state.gbc, float(learning_rate))
    n_slices = max(1, -(-n // SLICE_NONZEROS))
    cost = 0.0
    for s in range(n_slices):
        calls = []
        for t in range(workers):
            size = bounds[t + 1] - bounds[t]
            calls.append((int(bounds[t] + size * s // n_slices), int(bounds[t] + size * (s + 1) // n_slices), *arrays))
        cost += sum(_map(pool, adagrad_pass, calls))
        if after_slice is not None:
            after_slice(n * (s + 1) // n_slices)
    return cost / max(n, 1)


def train(
    params: GloVeParams,
    corpus: PreparedCorpus,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> TrainResult:
    """Train GloVe on a prepared corpus; see ``embedlab.train.base`` for the contract.

    ``words_trained`` is the number of in-vocabulary tokens whose co-occurrences
    were counted (GloVe reads the corpus once; the epochs pass over non-zeros,
    reported as ``extra['nonzeros']``).
    """
    params.validate()
    epochs = params.epochs
    started = time.perf_counter()
    on_progress(0, epochs, "GloVe: building the vocabulary")
    vocabulary = build_vocabulary(corpus.tokens_path, params.min_count, params.max_vocab, cancel,
                                  _as_zero(on_progress, epochs))
    vocab_done = time.perf_counter()
    on_progress(0, epochs, f"GloVe: counting co-occurrences of {len(vocabulary):,} words")
    X = count_cooccurrences(corpus.tokens_path, vocabulary, params.window, cancel, _as_zero(on_progress, epochs))
    if X.nnz == 0:
        raise VocabularyError(
            f"No two of the {len(vocabulary):,} vocabulary words ever appear within {params.window} words of each "
            "other on one line, so GloVe has nothing to learn from. Use a corpus with longer lines, a larger "
            "window or a lower minimum count."
        )
    pairs = Pairs.from_cooccurrence(X, params.x_max, params.alpha)
    tokens = X.tokens
    del X  # training needs only the pairs; free the CSR arrays before allocating the model
    check(cancel)
    cooccur_done = time.perf_counter()

    rng = np.random.default_rng(params.seed)
    state = GloVeState.initial(len(vocabulary), params.vector_size, rng)
    nnz = len(pairs)
    losses: list[float] = []
    workers = max(1, params.workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="glove") if workers > 1 else _NoPool() as pool:
        tick = time.perf_counter()
        pairs.shuffle(int(rng.integers(2**62)))  # once in full; each epoch then reshuffles each worker's part
        shuffle_s = time.perf_counter() - tick
        for epoch in range(epochs):

            def after_slice(done: int, epoch: int = epoch) -> None:
                check(cancel)
                on_progress(epoch + done / max(nnz, 1), epochs, f"GloVe: epoch {epoch + 1}/{epochs}")

            loss = run_epoch(state, pairs, params.learning_rate, int(rng.integers(2**62)), pool, workers, after_slice)
            losses.append(loss)
            on_progress(epoch + 1, epochs, f"GloVe: epoch {epoch + 1}/{epochs}, cost {loss:.4f}")
    done = time.perf_counter()

    vectors = WordVectors.from_matrix(vocabulary.words, state.vectors(), vocabulary.counts)
    train_s = done - cooccur_done
    timings = {
        "vocab_s": vocab_done - started,
        "cooccur_s": cooccur_done - vocab_done,
        "first_shuffle_s": shuffle_s,
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
