"""The toy network against the maths (finite differences) and against gensim (the same pairs, the same update)."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab import toynet
from embedlab.toynet import (DEFAULT_CORPUS, Example, ToyConfig, ToyNetworkError, ToyNetwork, loss_and_gradients,
                             make_examples, parse_corpus, train_step)

CORPUS = parse_corpus(DEFAULT_CORPUS)
CASES = [(a, o) for a in toynet.ARCHITECTURES for o in toynet.OBJECTIVES]


def _random_weights(seed: int = 0, vocab: int = 11, dim: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(0, 0.7, (vocab, dim)), rng.normal(0, 0.7, (vocab, dim))


@pytest.mark.parametrize("example, negatives", [
    (Example((3,), 5), (1, 7, 1)),          # skip-gram, a negative drawn twice
    (Example((2, 4, 2, 9), 0), (6, 8)),     # CBOW with a context word that occurs twice
])
@pytest.mark.parametrize("objective", toynet.OBJECTIVES)
def test_gradients_match_finite_differences(example: Example, negatives: tuple[int, ...], objective: str) -> None:
    w_in, w_out = _random_weights()
    loss, grad_in, grad_out = loss_and_gradients(w_in, w_out, example, negatives, objective)
    eps = 1e-6
    for matrix, grad in ((w_in, grad_in), (w_out, grad_out)):
        numeric = np.zeros_like(matrix)
        for index in np.ndindex(matrix.shape):
            saved = matrix[index]
            matrix[index] = saved + eps
            plus = loss_and_gradients(w_in, w_out, example, negatives, objective)[0]
            matrix[index] = saved - eps
            minus = loss_and_gradients(w_in, w_out, example, negatives, objective)[0]
            matrix[index] = saved
            numeric[index] = (plus - minus) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)
        assert np.abs(grad).sum() > 0.1  # the comparison is not between two zero matrices
    assert loss > 0


def test_softmax_loss_is_the_negative_log_probability_of_the_output() -> None:
    w_in, w_out = _random_weights(1)
    example = Example((3,), 5)
    scores = w_out @ w_in[3]
    expected = -np.log(np.exp(scores[5]) / np.exp(scores).sum())
    assert loss_and_gradients(w_in, w_out, example, (), "softmax")[0] == pytest.approx(expected)


@pytest.mark.parametrize("example", [Example((3,), 5), Example((2, 4, 9), 0)])
def test_a_step_moves_the_output_vectors_by_the_gradient_and_the_inputs_as_word2vec_does(example: Example) -> None:
    w_in, w_out = _random_weights(2)
    _, grad_in, grad_out = loss_and_gradients(w_in, w_out, example, (1, 7), "negative")
    new_in, new_out = w_in.copy(), w_out.copy()
    train_step(new_in, new_out, example, (1, 7), "negative", 0.1)
    np.testing.assert_allclose(new_out, w_out - 0.1 * grad_out)
    # CBOW: word2vec.c adds the hidden error to each context vector whole, n times the exact gradient's share
    np.testing.assert_allclose(new_in, w_in - 0.1 * len(example.inputs) * grad_in)
    untouched = [i for i in range(len(w_in)) if i not in example.inputs]
    np.testing.assert_array_equal(new_in[untouched], w_in[untouched])


def _gensim_sigmoid(x: np.ndarray) -> np.ndarray:
    """gensim's sigmoid: a 1,000-entry float32 lookup table over [−6, 6).

    Its index scale is 1000 // 6 // 2 = 83 (Cython folds the DEF constants with integer
    division), so it reads only the table's lower part; with 83.33 the test misses by 1e-3.
    """
    size, max_exp = 1000, 6
    grid = np.exp((np.arange(size, dtype=np.float32) / size * 2 - 1) * max_exp).astype(np.float32)
    table = (grid / (grid + 1)).astype(np.float32)
    x = np.asarray(x, dtype=np.float64)
    assert np.all(np.abs(x) < max_exp)  # gensim skips such pairs; the toy corpus never reaches them
    return table[((x + max_exp) * (size // max_exp // 2)).astype(np.int64)].astype(np.float64)


def _gensim_after_one_pass(net: ToyNetwork, negative_word: int) -> tuple[np.ndarray, np.ndarray]:
    """gensim trained one pass from the toy's initial weights, every negative forced to ``negative_word``.

    gensim draws negatives from its own random stream; a cumulative table whose every
    bucket is ``negative_word`` makes the draw certain, so both see exactly the same pairs.
    """
    from gensim.models import Word2Vec

    c = net.config
    sentences = [list(s) for s in net.corpus.sentences]
    model = Word2Vec(vector_size=c.dim, window=c.window, min_count=1, sample=0, sg=int(c.architecture == "skipgram"),
                     hs=0, negative=1, cbow_mean=1, alpha=c.learning_rate, min_alpha=c.learning_rate,
                     shrink_windows=False, workers=1, epochs=1, seed=1)
    model.build_vocab(sentences)
    rows = [model.wv.key_to_index[w] for w in net.words]
    model.wv.vectors[rows] = net.w_in.astype(np.float32)
    model.syn1neg[rows] = net.w_out.astype(np.float32)
    model.cum_table = np.zeros(len(rows), dtype=np.uint32)
    model.cum_table[rows[negative_word]:] = 2 ** 31 - 1
    model.train(sentences, total_examples=len(sentences), epochs=1)
    return model.wv.vectors[rows].astype(np.float64), model.syn1neg[rows].astype(np.float64)


@pytest.mark.parametrize("architecture", toynet.ARCHITECTURES)
def test_one_pass_gives_gensims_weights_on_the_same_pairs(architecture: str) -> None:
    net = ToyNetwork(CORPUS, ToyConfig(architecture=architecture, dim=5, window=2, learning_rate=0.2, seed=3))
    negative_word = net.words.index("castle")
    gensim_in, gensim_out = _gensim_after_one_pass(net, negative_word)
    start_in = net.w_in.copy()

    def one_pass(sigmoid_fn) -> tuple[np.ndarray, np.ndarray]:
        w_in, w_out = net.w_in.copy(), net.w_out.copy()
        for example in net.examples:
            negatives = (negative_word,) if example.output != negative_word else ()
            train_step(w_in, w_out, example, negatives, "negative", net.config.learning_rate, sigmoid_fn)
        return w_in, w_out

    ours_in, ours_out = one_pass(_gensim_sigmoid)
    assert np.abs(ours_in - start_in).max() > 0.02  # the pass really moved the vectors
    # with gensim's lookup-table sigmoid: the same numbers up to float32 rounding (measured ≤ 1e-7)
    np.testing.assert_allclose(ours_in, gensim_in, atol=1e-6)
    np.testing.assert_allclose(ours_out, gensim_out, atol=1e-6)
    # with the exact sigmoid: the table's quantisation (steps of 0.012 in x) is the only difference
    exact_in, exact_out = one_pass(toynet.sigmoid)
    np.testing.assert_allclose(exact_in, gensim_in, atol=5e-3)
    np.testing.assert_allclose(exact_out, gensim_out, atol=5e-3)


def test_examples_follow_word2vecs_order() -> None:
    corpus = parse_corpus("a b c")
    sg = make_examples(corpus, "skipgram", 1)
    assert [(corpus.words[e.inputs[0]], corpus.words[e.output]) for e in sg] == [("b", "a"), ("a", "b"), ("c", "b"), ("b", "c")]
    cbow = make_examples(corpus, "cbow", 1)
    assert [([corpus.words[i] for i in e.inputs], corpus.words[e.output]) for e in cbow] == [
        (["b"], "a"), (["a", "c"], "b"), (["b"], "c")]


def test_stepping_in_batches_gives_the_same_weights_as_one_by_one() -> None:
    one, batch = ToyNetwork(CORPUS), ToyNetwork(CORPUS)
    for _ in range(21):
        one.step()
    batch.step()
    batch.step(20)
    np.testing.assert_array_equal(one.w_in, batch.w_in)
    np.testing.assert_array_equal(one.w_out, batch.w_out)
    assert [r.negatives for r in one.history] == [r.negatives for r in batch.history]
    assert all(len(r.negatives) <= 3 and r.example.output not in r.negatives for r in one.history)


@pytest.mark.parametrize("architecture, objective", CASES)
def test_training_the_toy_learns_its_structure(architecture: str, objective: str) -> None:
    net = ToyNetwork(CORPUS, ToyConfig(architecture=architecture, objective=objective))
    start = net.corpus_loss()
    net.step(len(net.examples) * 150)
    assert net.history[-1].corpus_loss < 0.75 * start
    assert net.loss_per_pass()[-1] < net.loss_per_pass()[0]
    # words that share every context end up nearest each other
    nearest = {w: net.neighbours(net.words.index(w), 1)[0][0] for w in ("king", "queen", "man", "woman")}
    assert nearest == {"king": "queen", "queen": "king", "man": "woman", "woman": "man"}
    probabilities = net.output_probabilities(net.examples[0])
    assert probabilities.sum() == pytest.approx(1.0)


def test_pca_keeps_a_stable_orientation_and_reports_variance() -> None:
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(10, 5)) * [5, 2, 0.1, 0.1, 0.1]
    coords, (first, second) = toynet.pca_2d(matrix)
    again, _ = toynet.pca_2d(matrix * 1.0001)
    np.testing.assert_allclose(coords, again / 1.0001, atol=1e-9)
    assert coords.shape == (10, 2) and first > second > 0 and first + second <= 1


@pytest.mark.parametrize("text, message", [
    ("", "empty"), ("   \n\n", "empty"), ("same same same", "two different words"),
    (" ".join(f"w{i}" for i in range(50)), "at most 40"), ("a b " * 200, "under 300"),
])
def test_bad_toy_corpora_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ToyNetworkError, match=message):
        parse_corpus(text)


def test_single_word_lines_give_no_pairs_and_say_so() -> None:
    with pytest.raises(ToyNetworkError, match="single word"):
        ToyNetwork(parse_corpus("alone\nagain"))


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ToyNetworkError, match="learning rate"):
        ToyConfig(learning_rate=0)
    with pytest.raises(ToyNetworkError, match="Architecture"):
        ToyConfig(architecture="glove")  # type: ignore[arg-type]


def test_a_diverging_learning_rate_stops_with_a_clear_message() -> None:
    net = ToyNetwork(CORPUS, ToyConfig(learning_rate=2.0))
    with pytest.raises(ToyNetworkError, match="learning rate 2 is too high"):
        net.step(5000)
    assert net.steps_done == len(net.history) < 5000
    assert np.isfinite(net.w_in).all() and np.isfinite(net.history[-1].loss)
