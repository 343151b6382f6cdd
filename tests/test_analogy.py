"""Analogies: the expression parser, 3CosAdd/3CosMul by hand and against gensim, input exclusion, the plot."""

from __future__ import annotations

import re

import numpy as np
import pytest

from embedlab import analogy
from embedlab.analogy import AnalogyError, parallelogram, parse_expression, solve, solve_text
from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.subword import SubwordModel
from embedlab.vectors import WordVectors


@pytest.mark.parametrize("text", [
    "king - man + woman", "king − man + woman", "king – man + woman", "  king-man+woman ",
    "king\t-   man\n+ woman", "man : king :: woman : ?", "man:king::woman:?", "man : king :: woman",
    "king － man ＋ woman", "- man + king + woman",
])
def test_parser_accepts_every_spelling(text: str) -> None:
    positive, negative = parse_expression(text)
    assert sorted(positive) == ["king", "woman"] and negative == ["man"]


def test_parser_keeps_order_and_chinese_words() -> None:
    assert parse_expression("国王 − 男人 + 女人") == (["国王", "女人"], ["男人"])
    assert parse_expression("男人：国王：：女人：？") == (["国王", "女人"], ["男人"])
    assert parse_expression("a + b - c - d + e") == (["a", "b", "e"], ["c", "d"])
    assert parse_expression("paris") == (["paris"], [])


def test_parser_keeps_hyphenated_words_the_model_knows() -> None:
    assert parse_expression("e-mail - letter + phone", {"e-mail"}) == (["e-mail", "phone"], ["letter"])
    assert parse_expression("e-mail - letter", set()) == (["e"], ["mail", "letter"])


@pytest.mark.parametrize("text, message", [
    ("", "Type an analogy"),
    ("   ", "Type an analogy"),
    ("king - - man", "Two signs in a row"),
    ("king man + woman", "Put + or −"),
    ("king - man +", "ends with a sign"),
    ("- man", "at least one word to add"),
    ("man : king :: woman : queen", "Leave the fourth place"),
    ("man : king : woman", "proportion form"),
])
def test_parser_explains_malformed_input(text: str, message: str) -> None:
    with pytest.raises(AnalogyError, match=re.escape(message)):
        parse_expression(text)
    assert issubclass(AnalogyError, EmbedlabError)


# -- scoring by hand ----------------------------------------------------------------------------

WORDS = ["king", "man", "woman", "queen", "apple"]
MATRIX = np.array([
    [1.0, 1.0, 0.0],   # king: royal + male
    [0.0, 1.0, 0.0],   # man
    [0.0, 0.0, 1.0],   # woman
    [1.0, 0.0, 1.0],   # queen: royal + female
    [0.2, -1.0, 0.3],  # apple
])


@pytest.fixture
def toy() -> WordVectors:
    return WordVectors.from_matrix(WORDS, MATRIX)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_3cosadd_by_hand(toy: WordVectors) -> None:
    result = solve(toy, ["king", "woman"], ["man"], "3cosadd", k=2)
    target = _unit(_unit(MATRIX[0]) - _unit(MATRIX[1]) + _unit(MATRIX[2]))
    expected = {w: float(_unit(MATRIX[i]) @ target) for i, w in enumerate(WORDS)}
    assert [a.word for a in result.answers] == ["queen", "apple"]
    assert result.answers[0].score == pytest.approx(expected["queen"], abs=1e-6)
    assert result.answers[1].score == pytest.approx(expected["apple"], abs=1e-6)
    assert result.answers[0].cosine == result.answers[0].score
    assert result.input_ranks == {} and result.exclude_inputs


def test_3cosmul_by_hand(toy: WordVectors) -> None:
    result = solve(toy, ["king", "woman"], ["man"], "3cosmul", k=2)
    cos = lambda a, b: float(_unit(MATRIX[WORDS.index(a)]) @ _unit(MATRIX[WORDS.index(b)]))  # noqa: E731
    shift = lambda c: (c + 1) / 2  # noqa: E731
    expected = {w: shift(cos(w, "king")) * shift(cos(w, "woman")) / (shift(cos(w, "man")) + 1e-6)
                for w in ("queen", "apple")}
    # apple wins: it is so unlike 'man' that dividing by that similarity outweighs everything (3CosMul's
    # known weakness on tiny vocabularies), while 3CosAdd above prefers queen
    assert expected["apple"] > expected["queen"]
    assert [a.word for a in result.answers] == ["apple", "queen"]
    assert result.answers[0].score == pytest.approx(expected["apple"], rel=1e-5)
    assert result.answers[1].score == pytest.approx(expected["queen"], rel=1e-5)
    paper = solve(toy, ["king", "woman"], ["man"], "3cosmul", k=2, epsilon=1e-3)
    assert paper.answers[1].score == pytest.approx(
        shift(cos("queen", "king")) * shift(cos("queen", "woman")) / (shift(cos("queen", "man")) + 1e-3), rel=1e-5)


def test_without_exclusion_the_inputs_compete_and_their_ranks_are_reported(toy: WordVectors) -> None:
    result = solve(toy, ["king", "woman"], ["man"], "3cosadd", k=5, exclude_inputs=False)
    assert len(result.answers) == 5
    assert {"king", "woman", "man"} <= {a.word for a in result.answers}
    ranks = {a.word: a.rank for a in result.answers}
    assert result.input_ranks == {w: ranks[w] for w in ("king", "woman", "man")}
    assert all(a.is_input == (a.word in ("king", "woman", "man")) for a in result.answers)
    excluded = solve(toy, ["king", "woman"], ["man"], "3cosadd", k=5)
    assert len(excluded.answers) == 2  # only queen and apple are left


def test_unknown_words_and_bad_arguments(toy: WordVectors) -> None:
    with pytest.raises(UnknownWordError, match="'kingg' is not in this model's vocabulary.*king"):
        solve(toy, ["kingg", "woman"], ["man"])
    with pytest.raises(AnalogyError, match="Unknown method"):
        solve(toy, ["king"], [], method="3cosdiv")
    with pytest.raises(AnalogyError, match="between 1 and"):
        solve(toy, ["king"], [], k=0)


def test_capitalised_words_fall_back_to_lower_case(toy: WordVectors) -> None:
    result = solve_text(toy, "King - Man + woman")
    assert result.folded == {"King": "king", "Man": "man"} and result.answers[0].word == "queen"
    assert result.expression == "king − man + woman"


def test_fasttext_composes_unknown_inputs_and_lists_the_ngrams() -> None:
    rng = np.random.default_rng(0)
    subword = SubwordModel(rng.normal(size=(500, 3)).astype(np.float32), 3, 4)
    wv = WordVectors.from_matrix(WORDS, MATRIX, subword=subword)
    result = solve(wv, ["kingdom", "woman"], ["man"], k=3)
    assert result.composed["kingdom"][:2] == ("<ki", "kin")
    assert "kingdom" not in {a.word for a in result.answers}


def _keyed_vectors(wv: WordVectors):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(wv.dim)
    kv.add_vectors(list(wv.words), wv.raw())
    return kv


@pytest.mark.filterwarnings("ignore:Call to deprecated:DeprecationWarning")  # gensim's own init_sims call
@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_matches_gensim_on_random_vectors(method: str) -> None:
    rng = np.random.default_rng(7)
    wv = WordVectors.from_matrix([f"w{i}" for i in range(400)], rng.normal(size=(400, 20)))
    kv = _keyed_vectors(wv)
    ask = kv.most_similar if method == "3cosadd" else kv.most_similar_cosmul
    for positive, negative in [(["w1", "w2"], ["w3"]), (["w4", "w5", "w6"], ["w7", "w8"]), (["w9"], [])]:
        ours = solve(wv, positive, negative, method, k=10)
        theirs = ask(positive=positive, negative=negative, topn=10)
        assert [a.word for a in ours.answers] == [w for w, _ in theirs]
        assert np.allclose([a.score for a in ours.answers], [s for _, s in theirs], rtol=1e-4, atol=1e-5)


def test_agrees_with_the_batched_evaluation_answers(toy: WordVectors) -> None:
    from embedlab.scoring import answer_analogies

    for method in ("3cosadd", "3cosmul"):
        expected = answer_analogies(toy, [("man", "king", "woman")], method, case_insensitive=False)
        assert solve_text(toy, "man : king :: woman : ?", method).answers[0].word == expected[0]


def test_parallelogram_points_and_offsets(toy: WordVectors) -> None:
    result = solve(toy, ["king", "woman"], ["man"], k=2)
    plot = parallelogram(toy, result, answers=2)
    assert plot.words[:3] == ("king", "woman", "man")
    assert plot.roles == ("added", "added", "subtracted", "target", "answer", "answer")
    assert plot.coords.shape == (6, 2)
    # man -> king (the relation) and woman -> queen (the same relation applied)
    assert plot.arrows == ((2, 0), (1, 4))
    # the target completes the parallelogram exactly, and PCA is linear: king - man + woman in 2-D too
    c = plot.coords
    assert np.allclose(c[3], c[0] - c[2] + c[1], atol=1e-6)
    assert sum(plot.explained) <= 1.0 + 1e-9


def test_module_doctests() -> None:
    import doctest

    assert doctest.testmod(analogy).failed == 0
