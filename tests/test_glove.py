"""GloVe: co-occurrence counts against a brute-force count, the kernel against the maths, the trainer protocol, quality."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from embedlab.config import GloVeParams
from embedlab.corpus import PreparedCorpus, prepare_corpus
from embedlab.errors import Cancelled, VocabularyError
from embedlab.progress import CancelToken
from embedlab.train import glove
from embedlab.workflows import save_result
from embedlab.train import train as dispatch
from embedlab.train.glove_cooccur import Vocabulary, build_vocabulary, count_cooccurrences
from embedlab.train.glove_kernels import adagrad_pass
from embedlab.workspace import Workspace


# -- co-occurrence -------------------------------------------------------------------------

def brute_force(lines: list[list[str]], vocabulary: Vocabulary, window: int) -> dict[tuple[int, int], float]:
    """cooccur.c spelled out: per line, out-of-vocabulary words dropped, each pair both ways at 1/distance."""
    ids = vocabulary.ids()
    X: dict[tuple[int, int], float] = defaultdict(float)
    for line in lines:
        seq = [ids[w] for w in line if w in ids]
        for j, target in enumerate(seq):
            for d in range(1, window + 1):
                if j - d < 0:
                    break
                context = seq[j - d]
                X[context, target] += 1.0 / d
                X[target, context] += 1.0 / d
    return dict(X)


def write_tokens(path: Path, lines: list[list[str]]) -> Path:
    path.write_text("".join(" ".join(line) + "\n" for line in lines), encoding="utf-8")
    return path


def assert_same_matrix(ours: dict, expected: dict) -> None:
    assert ours.keys() == expected.keys()
    for key, value in expected.items():
        assert ours[key] == pytest.approx(value, rel=1e-6), key


def test_a_hand_counted_example(tmp_path: Path) -> None:
    # "b" is out of vocabulary and is removed before windowing: in "a b c a" the a-c distance is 1.
    path = write_tokens(tmp_path / "t.txt", [["a", "c", "a"], ["a", "b", "c", "a"], ["c"], ["b", "b"]])
    vocabulary = build_vocabulary(path, min_count=3)  # a: 4, b: 3, c: 3; ties alphabetical, as vocab_count.c
    assert vocabulary.words == ("a", "b", "c") and list(vocabulary.counts) == [4, 3, 3]
    vocabulary = build_vocabulary(path, min_count=4)
    assert vocabulary.words == ("a",)
    vocabulary = build_vocabulary(path, min_count=3, max_vocab=2)  # the cut falls in the b/c tie
    assert vocabulary.words == ("a", "b") and list(vocabulary.counts) == [4, 3]
    vocabulary = Vocabulary(("a", "c"), np.array([4, 3]))
    X = count_cooccurrences(path, vocabulary, window=2).to_dict()
    # line 1: a-c (1), c-a (1), a-a (2); line 2 after dropping b: a-c (1), c-a (1), a-a (2); never across lines
    a, c = 0, 1
    assert_same_matrix(X, {(a, c): 4.0, (c, a): 4.0, (a, a): 2 * (0.5 + 0.5)})


@pytest.mark.parametrize("window, chunk_tokens", [(1, 10**6), (3, 10**6), (5, 7), (10, 50)])
def test_counts_equal_a_brute_force_count(tmp_path: Path, window: int, chunk_tokens: int) -> None:
    rng = np.random.default_rng(window)
    alphabet = [f"w{i}" for i in range(40)]
    p = 1.0 / np.arange(1, 41) ** 1.5  # Zipf-like: the tail falls below min_count, so OOV words are dropped
    lines = [[str(w) for w in rng.choice(alphabet, size=int(rng.integers(0, 30)), p=p / p.sum())] for _ in range(60)]
    path = write_tokens(tmp_path / "t.txt", lines)
    vocabulary = build_vocabulary(path, min_count=4)
    counts = Counter(w for line in lines for w in line)
    assert set(vocabulary.words) == {w for w, n in counts.items() if n >= 4} and len(vocabulary) < len(counts)
    assert list(vocabulary.counts) == sorted(vocabulary.counts, reverse=True)
    X = count_cooccurrences(path, vocabulary, window, chunk_tokens=chunk_tokens)
    assert_same_matrix(X.to_dict(), brute_force(lines, vocabulary, window))
    assert X.tokens == sum(1 for line in lines for w in line if w in vocabulary.ids())
    dense = np.zeros((len(vocabulary),) * 2)
    dense[X.rows(), X.cols] = X.vals
    assert np.allclose(dense, dense.T)  # the window is symmetric


def test_no_pairs_at_all_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "one-word-lines.txt"
    source.write_text("hello\nworld\n" * 10)
    lonely = prepare_corpus(source, tmp_path / "out")
    with pytest.raises(VocabularyError, match="nothing to learn"):
        dispatch("glove", GloVeParams(), lonely)


# -- the objective and the kernel -----------------------------------------------------------

def small_problem(seed: int = 0, n_words: int = 6, dim: int = 4, dtype: type = np.float64):
    rng = np.random.default_rng(seed)
    state = glove.GloVeState(
        *(rng.normal(0, 0.3, shape).astype(dtype) for shape in [(n_words, dim), (n_words, dim), (n_words,), (n_words,)]),
        *(rng.uniform(1, 3, shape).astype(dtype) for shape in [(n_words, dim), (n_words, dim), (n_words,), (n_words,)]),
    )
    rows = np.array([0, 1, 2, 2, 5, 3], dtype=np.int32)
    cols = np.array([1, 0, 2, 4, 3, 5], dtype=np.int32)
    vals = np.array([3.0, 3.0, 0.5, 20.0, 7.5, 1.25])  # below and above x_max = 10
    return state, rows, cols, vals


def test_gradient_matches_finite_differences() -> None:
    state, rows, cols, vals = small_problem()
    _, grads = glove.loss_and_grad(state, rows, cols, vals, x_max=10.0, alpha=0.75)
    eps = 1e-6
    for name in ("W", "C", "bw", "bc"):
        array = getattr(state, name)
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            keep = array[index]
            array[index] = keep + eps
            up, _ = glove.loss_and_grad(state, rows, cols, vals, 10.0, 0.75)
            array[index] = keep - eps
            down, _ = glove.loss_and_grad(state, rows, cols, vals, 10.0, 0.75)
            array[index] = keep
            numeric[index] = (up - down) / (2 * eps)
        assert np.allclose(grads[name], numeric, rtol=1e-5, atol=1e-7), name
        assert np.abs(grads[name]).max() > 0


@pytest.mark.parametrize("k", [0, 3])  # a pair below x_max, and one above it (full weight)
def test_one_kernel_step_is_adagrad_on_that_gradient(k: int) -> None:
    state, rows, cols, vals = small_problem(seed=3, dtype=np.float32)
    before = {name: getattr(state, name).copy() for name in ("W", "C", "bw", "bc", "gW", "gC", "gbw", "gbc")}
    loss, grads = glove.loss_and_grad(state, rows[k:k + 1], cols[k:k + 1], vals[k:k + 1], 10.0, 0.75)
    pairs = glove.Pairs.from_arrays(rows[k:k + 1], cols[k:k + 1], np.log(vals[k:k + 1]), glove.weighting(vals[k:k + 1], 10.0, 0.75))
    lr = 0.05
    cost = adagrad_pass(0, 1, pairs.records, pairs.values, state.W, state.C, state.bw, state.bc,
                        state.gW, state.gC, state.gbw, state.gbc, lr)
    assert cost == pytest.approx(loss / 2, rel=1e-5)  # the reference's cost is ½·f·diff²
    for name, accumulator in (("W", "gW"), ("C", "gC"), ("bw", "gbw"), ("bc", "gbc")):
        step = lr * grads[name] / 2  # glove.c steps along ½ of dJ
        # the reference divides by the accumulator as it was before this step, then adds the step squared
        expected = before[name] - step / np.sqrt(before[accumulator])
        assert np.allclose(getattr(state, name), expected, rtol=1e-5, atol=1e-7), name
        assert np.allclose(getattr(state, accumulator), before[accumulator] + step**2, rtol=1e-5, atol=1e-8), accumulator
    assert not np.array_equal(state.W, before["W"])


def test_training_records_hold_log_x_and_the_weighting(tmp_path: Path) -> None:
    path = write_tokens(tmp_path / "t.txt", [["a", "b", "a", "c", "a", "b"] * 5, ["c", "a"]])
    X = count_cooccurrences(path, build_vocabulary(path, min_count=1), window=4)
    pairs = glove.Pairs.from_cooccurrence(X, x_max=10.0, alpha=0.75)
    assert (pairs.records[:, 0] == X.rows()).all() and (pairs.records[:, 1] == X.cols).all()
    assert np.allclose(pairs.values[:, 2], np.log(X.vals))
    assert np.allclose(pairs.values[:, 3], np.where(X.vals >= 10.0, 1.0, (X.vals / 10.0) ** 0.75))
    assert (X.vals > 10.0).any() and (X.vals < 10.0).any()


def test_shuffle_is_a_seeded_permutation() -> None:
    n = 1000
    pairs = glove.Pairs.from_arrays(np.arange(n), np.arange(n) * 2, np.arange(n) / 7, np.ones(n))
    pairs.shuffle(5)
    assert sorted(pairs.records[:, 0]) == list(range(n))
    assert (pairs.records[:, 1] == 2 * pairs.records[:, 0]).all()  # records move whole
    assert np.allclose(pairs.values[:, 2], pairs.records[:, 0] / 7)
    again = glove.Pairs.from_arrays(np.arange(n), np.arange(n) * 2, np.arange(n) / 7, np.ones(n))
    again.shuffle(5)
    assert (again.records == pairs.records).all()
    again.shuffle(6)
    assert not (again.records == pairs.records).all()
    before = again.records.copy()
    again.shuffle(7, 100, 200)  # one worker's part: the rest stays put
    assert (again.records[:100] == before[:100]).all() and (again.records[200:] == before[200:]).all()
    assert sorted(again.records[100:200, 0]) == sorted(before[100:200, 0])


# -- the trainer ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> PreparedCorpus:
    from embedlab.workflows import ensure_sample_corpus

    return ensure_sample_corpus(Workspace(tmp_path_factory.mktemp("glove")), "english")


def top(vectors, positive: list[str], negative: list[str], n: int = 3) -> list[str]:
    """3CosAdd over unit vectors, the query words excluded."""
    unit = vectors.unit
    query = sum(unit[vectors.index[w]] for w in positive) - sum(unit[vectors.index[w]] for w in negative)
    scores = unit @ query
    scores[[vectors.index[w] for w in positive + negative]] = -np.inf
    return [vectors.words[i] for i in np.argsort(-scores)[:n]]


@pytest.mark.parametrize("params", [GloVeParams(epochs=15, x_max=10.0, seed=1), GloVeParams()], ids=["conftest", "defaults"])
def test_king_minus_man_plus_woman_is_queen(english: PreparedCorpus, params: GloVeParams) -> None:
    calls: list[tuple[float, float, str]] = []
    result = dispatch("glove", params, english, on_progress=lambda d, t, m: calls.append((d, t, m)))
    assert "queen" in top(result.vectors, ["king", "woman"], ["man"])
    # the protocol: progress at every epoch's end, finishing at epochs/epochs; falling loss; timings
    ends = {c[0] for c in calls if c[0] == int(c[0]) and "cost" in c[2]}
    assert ends == set(range(1, params.epochs + 1)) and calls[-1][:2] == (params.epochs, params.epochs)
    assert len(result.loss) == params.epochs and result.loss[-1] < 0.5 * result.loss[0]
    assert all(b < a for a, b in zip(result.loss[1:], result.loss[2:]))
    assert {"vocab_s", "cooccur_s", "train_s", "total_s"} <= result.timings.keys()
    vectors = result.vectors
    assert vectors.dim == params.vector_size and len(vectors) == english.stats.types_at_least(params.min_count)
    assert list(vectors.counts) == sorted(vectors.counts, reverse=True)
    assert vectors.counts[vectors.index["the"]] == dict(english.stats.top_words)["the"]
    assert result.extra["nonzeros"] > len(vectors) and 0 < result.words_trained <= english.n_tokens


def test_single_worker_runs_are_identical(english: PreparedCorpus) -> None:
    params = GloVeParams(vector_size=16, epochs=2, workers=1, seed=7, x_max=10.0)
    a, b = dispatch("glove", params, english), dispatch("glove", params, english)
    assert a.vectors.fingerprint == b.vectors.fingerprint and a.loss == b.loss
    c = dispatch("glove", GloVeParams(vector_size=16, epochs=2, workers=1, seed=8, x_max=10.0), english)
    assert c.vectors.fingerprint != a.vectors.fingerprint


def test_any_number_of_workers_gives_the_same_vectors(english: PreparedCorpus) -> None:
    """A stratum's blocks share no row, so which thread trains which block cannot change the result."""
    params = GloVeParams(vector_size=16, epochs=3, workers=1, seed=3, x_max=10.0)
    one = dispatch("glove", params, english)
    for workers in (2, 3):
        many = dispatch("glove", GloVeParams(vector_size=16, epochs=3, workers=workers, seed=3, x_max=10.0), english)
        assert many.vectors.fingerprint == one.vectors.fingerprint and many.loss == one.loss


def test_blocks_hold_every_non_zero_once_and_strata_share_no_row(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in rng.zipf(1.3, 4000) if i < 200]
    path = write_tokens(tmp_path / "t.txt", [words[i:i + 50] for i in range(0, len(words), 50)])
    X = count_cooccurrences(path, build_vocabulary(path, min_count=2), window=3)
    groups = 5
    blocks = glove.Blocks.from_cooccurrence(X, x_max=10.0, alpha=0.75, groups=groups)
    rows_of_words = blocks.rows_of_words(X.n_words)
    assert len(set(rows_of_words)) == X.n_words and rows_of_words.max() < blocks.n_rows
    # the same non-zeros with the same values, renumbered
    word_of_row = {int(r): w for w, r in enumerate(rows_of_words)}
    records, values = blocks.pairs.records, blocks.pairs.values
    seen = {(word_of_row[int(i)], word_of_row[int(j)]): (float(lx), float(f))
            for (i, j), lx, f in zip(records[:, :2], values[:, 2], values[:, 3])}
    expected = X.to_dict()
    assert len(records) == len(expected) == len(seen)
    for key, x in expected.items():
        assert seen[key] == pytest.approx((np.log(x), min(1.0, (x / 10.0) ** 0.75)), rel=1e-5)
    # block b = (row group, column group); rows of one group are contiguous
    assert blocks.bounds[0] == 0 and blocks.bounds[-1] == len(records) and (np.diff(blocks.bounds) >= 0).all()
    for b in range(groups * groups):
        part = records[blocks.bounds[b]:blocks.bounds[b + 1]]
        assert (part[:, 0] // blocks.group_size == b // groups).all() and (part[:, 1] // blocks.group_size == b % groups).all()
    # a stratum's blocks touch disjoint rows of W and of C
    for s in range(groups):
        stratum = [a * groups + (a + s) % groups for a in range(groups)]
        assert len({b // groups for b in stratum}) == len({b % groups for b in stratum}) == groups


def test_an_epoch_visits_every_non_zero_once(english: PreparedCorpus) -> None:
    X = count_cooccurrences(english.tokens_path, build_vocabulary(english.tokens_path, 5, max_vocab=300), window=5)
    blocks = glove.Blocks.from_cooccurrence(X, 10.0, 0.75, groups=7)
    state = glove.GloVeState.initial(blocks.n_rows, 8, np.random.default_rng(0))
    # at learning rate 0 nothing moves, so the epoch's cost is the objective over each non-zero exactly once
    rows = blocks.rows_of_words(X.n_words)
    in_word_order = glove.GloVeState(*(getattr(state, name)[rows] for name in ("W", "C", "bw", "bc", "gW", "gC", "gbw", "gbc")))
    objective, _ = glove.loss_and_grad(in_word_order, X.rows(), X.cols, X.vals, 10.0, 0.75)
    cost = glove.run_epoch(state, blocks, 0.0, seed=1, pool=None)
    assert cost * X.nnz == pytest.approx(objective / 2, rel=1e-4)
    # at a real rate every row with a non-zero moves (its accumulator grows), the padding rows never
    before = state.gW.copy()
    glove.run_epoch(state, blocks, 0.05, seed=2, pool=None)
    hit = np.unique(blocks.pairs.records[:, 0])
    assert (state.gW[hit] > before[hit]).all()
    untouched = np.setdiff1d(np.arange(blocks.n_rows), hit)
    assert (state.gW[untouched] == before[untouched]).all()
    # the in-place block shuffles keep the records (a permutation within each block)
    fresh = glove.Blocks.from_cooccurrence(X, 10.0, 0.75, groups=7)
    assert not np.array_equal(fresh.pairs.records, blocks.pairs.records)
    for lo, hi in zip(fresh.bounds[:-1], fresh.bounds[1:]):
        assert sorted(map(tuple, fresh.pairs.records[lo:hi].tolist())) == sorted(map(tuple, blocks.pairs.records[lo:hi].tolist()))


def test_cancel_stops_within_an_epoch(english: PreparedCorpus) -> None:
    token = CancelToken()
    seen: list[float] = []

    def progress(done: float, total: float, message: str) -> None:
        seen.append(done)
        if 0 < done:
            token.cancel()

    with pytest.raises(Cancelled):
        dispatch("glove", GloVeParams(epochs=50, vector_size=16), english, progress, token)
    assert 0 < max(seen) < 1  # stopped inside the first epoch, at the stratum after the request


def test_cancel_during_counting(english: PreparedCorpus) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        dispatch("glove", GloVeParams(epochs=1), english, cancel=token)


def test_manifest_carries_timings_loss_and_nonzeros(english: PreparedCorpus, tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    result = dispatch("glove", GloVeParams(vector_size=8, epochs=1, max_vocab=50), english)
    assert len(result.vectors) == 50 and result.vectors.words[0] == "the"
    manifest = workspace.manifest(save_result(workspace, result, english))
    assert manifest.algorithm == "glove" and manifest.extra["nonzeros"] == result.extra["nonzeros"]
    assert len(manifest.loss) == 1 and manifest.timings["cooccur_s"] >= 0
