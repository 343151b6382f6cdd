"""Word analogies: parse ``king - man + woman`` or ``man : king :: woman : ?``, then answer it.

Two scoring rules, both over unit vectors (cosine similarity):

* **3CosAdd** (Mikolov et al. 2013): the words nearest to the normalised sum of the
  added vectors minus the subtracted ones, as gensim's ``most_similar``.
* **3CosMul** (Levy & Goldberg 2014): for each candidate, the product of its
  similarities to the added words over the product of its similarities to the
  subtracted ones, with similarities shifted to [0, 1] by (cos + 1) / 2 and a small
  epsilon against division by zero, as gensim's ``most_similar_cosmul``. The
  epsilon is gensim's 1e-6 by default (the same as ``embedlab.scoring``, whose kernel this module shares, so
  this page and the Evaluate page agree); the paper used 1e-3, which ``epsilon=``
  accepts.

The input words are usually the nearest answers (``king - man + woman`` is close to
``king``), so standard practice, and gensim, leave them out. Here that is an
explicit option: with it off the inputs compete and their ranks are reported, which
shows how much the classic results owe to the exclusion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Container, Sequence

import numpy as np

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.i18n import N_, Joined, Message
from embedlab.projection import pca_with_variance
from embedlab.scoring import COSMUL_EPSILON, METHODS, analogy_scores, analogy_target
from embedlab.search import select_top
from embedlab.vectors import WordVectors

#: signs accepted as minus: ASCII hyphen-minus, U+2212 minus, en dash, em dash, full-width hyphen-minus
MINUS_SIGNS = "-\u2212\u2013\u2014\uff0d"
#: signs accepted as plus: ASCII and full-width
PLUS_SIGNS = "+\uff0b"
MAX_TERMS = 12
MAX_K = 100


class AnalogyError(EmbedlabError):
    """An analogy expression that cannot be read, or an analogy that cannot be answered."""


# -- parsing ------------------------------------------------------------------------------------

_CLASSIC = re.compile(r"^\s*([^\s:]+)\s*:\s*([^\s:]+)\s*::\s*([^\s:]+)\s*(?::\s*([^\s:]*)\s*)?$")
_TOKEN = re.compile(rf"\s*(?:([{re.escape(PLUS_SIGNS + MINUS_SIGNS)}])|([^\s{re.escape(PLUS_SIGNS + MINUS_SIGNS)}]+))")


def parse_expression(text: str, vocabulary: Container[str] | None = None) -> tuple[list[str], list[str]]:
    """The words to add and to subtract in an analogy expression.

    Accepts ``king - man + woman`` (any mix of + and −; the Unicode minus, dashes
    and full-width signs count too; spacing is free) and ``a : b :: c : ?``, which
    means b − a + c. A hyphen between letters (``e-mail``) is kept as part of the
    word when ``vocabulary`` knows the hyphenated word. Raises ``AnalogyError``
    with a message saying what is wrong.

    >>> parse_expression("king − man + woman")
    (['king', 'woman'], ['man'])
    >>> parse_expression("man : king :: woman : ?")
    (['king', 'woman'], ['man'])
    >>> parse_expression("paris-france+italy")
    (['paris', 'italy'], ['france'])
    """
    text = (text or "").replace("\uff1a", ":").replace("\uff1f", "?").strip()  # full-width : and ?
    if not text:
        raise AnalogyError(N_("Type an analogy, e.g. 'king - man + woman' or 'man : king :: woman : ?'."))
    if ":" in text:
        return _parse_classic(text)
    return _parse_terms(text, vocabulary)


def _parse_classic(text: str) -> tuple[list[str], list[str]]:
    match = _CLASSIC.match(text)
    if not match:
        raise AnalogyError(N_("Could not read {text!r}: the proportion form is 'a : b :: c : ?' "
                              "(a is to b as c is to what?)."), text=text)
    a, b, c, d = match.groups()
    if d not in (None, "", "?"):
        raise AnalogyError(N_("Leave the fourth place as '?': 'a : b :: c : ?' asks for it (you wrote {d!r})."), d=d)
    return [b, c], [a]


def _parse_terms(text: str, vocabulary: Container[str] | None) -> tuple[list[str], list[str]]:
    positive: list[str] = []
    negative: list[str] = []
    sign: str | None = "+"  # a leading word is added
    explicit = False
    pos = 0
    tokens: list[tuple[str, str]] = []
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            break
        operator, word = match.groups()
        tokens.append(("op", operator) if operator else ("word", word))
        pos = match.end()
    tokens = _rejoin_hyphenated(tokens, text, vocabulary)
    for kind, value in tokens:
        if kind == "op":
            if explicit:
                raise AnalogyError(N_("Two signs in a row in {text!r}: put one word between each + and −."), text=text)
            sign, explicit = ("-" if value in MINUS_SIGNS else "+"), True
            continue
        if sign is None:
            raise AnalogyError(N_("Put + or − between the words of {text!r} (e.g. 'king - man + woman')."), text=text)
        (negative if sign == "-" else positive).append(value)
        sign, explicit = None, False
    if explicit:
        raise AnalogyError(N_("{text!r} ends with a sign: add the word it applies to."), text=text)
    if not positive:
        raise AnalogyError(N_("An analogy needs at least one word to add (e.g. 'king - man + woman')."))
    if len(positive) + len(negative) > MAX_TERMS:
        raise AnalogyError(N_("At most {max_terms} words per analogy."), max_terms=MAX_TERMS)
    return positive, negative


def _rejoin_hyphenated(tokens: list[tuple[str, str]], text: str,
                       vocabulary: Container[str] | None) -> list[tuple[str, str]]:
    """Merge ``word - word`` written without spaces back into one word when the vocabulary knows it."""
    if vocabulary is None:
        return tokens
    merged: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        if (i + 2 < len(tokens) and tokens[i][0] == "word" and tokens[i + 1] == ("op", "-")
                and tokens[i + 2][0] == "word"):
            candidate = f"{tokens[i][1]}-{tokens[i + 2][1]}"
            if candidate in text and candidate in vocabulary:
                merged.append(("word", candidate))
                i += 3
                continue
        merged.append(tokens[i])
        i += 1
    return merged


# -- answering ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """One candidate: its rank (1 = best), score under the method, and plain cosine to the target."""

    word: str
    score: float
    rank: int
    cosine: float
    is_input: bool = False


@dataclass(frozen=True)
class AnalogyResult:
    """The ranked answers of one analogy under one method, and how the inputs were treated."""

    positive: tuple[str, ...]
    negative: tuple[str, ...]
    method: str  # '3cosadd' or '3cosmul'
    answers: tuple[Answer, ...]
    exclude_inputs: bool
    #: each input word's rank among all words under this method (only when the inputs were not excluded)
    input_ranks: dict[str, int] = field(default_factory=dict)
    #: input words the model composed from character n-grams (FastText), with the n-grams used
    composed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: input words found only by lower-casing them ('King' -> 'king')
    folded: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return METHODS[self.method]

    @property
    def expression(self) -> str:
        """The analogy as 'king − man + woman': the first added word, the subtracted ones, the other added ones."""
        return expression_text(self.positive, self.negative)

    def table(self) -> list[dict[str, object]]:
        """Rows for a table or a CSV: rank, word, score, cosine, whether the word is an input."""
        return [{"method": self.label, "rank": a.rank, "word": a.word, "score": round(a.score, 6),
                 "cosine to target": round(a.cosine, 6), "input word": a.is_input} for a in self.answers]


def expression_text(positive: Sequence[str], negative: Sequence[str]) -> str:
    """'b − a + c' for positive [b, c] and negative [a]: the order in which analogies are usually written.

    >>> expression_text(["king", "woman"], ["man"])
    'king − man + woman'
    """
    text = positive[0] if positive else ""
    text += "".join(f" − {w}" for w in negative)
    return text + "".join(f" + {w}" for w in positive[1:])


def folded_note(word: str, found: str, escape: Callable[[str], str] = str) -> Message:
    """The note for an input word found only lower-cased ('King' answered as 'king'), for the page and the CLI."""
    return Message(N_("“{word}” is not in the vocabulary; using “{found}”."), word=escape(word), found=escape(found))


@dataclass(frozen=True)
class _Term:
    word: str  # the word as found (maybe lower-cased)
    vector: np.ndarray  # unit length
    row: int  # -1 when composed


def _resolve(vectors: WordVectors, word: str) -> tuple[_Term, tuple[str, ...] | None, str | None]:
    """A query word's unit vector: as written, lower-cased, or composed from n-grams (FastText)."""
    for candidate in (word, word.lower()):
        row = vectors.index.get(candidate)
        if row is not None:
            return _Term(candidate, np.asarray(vectors.unit[row], dtype=np.float32), row), None, \
                (candidate if candidate != word else None)
    if vectors.subword is not None:
        vector = vectors.vector(word)  # composes; raises UnknownWordError if no n-gram is usable
        if float(np.linalg.norm(vector)) == 0.0:
            raise UnknownWordError(word, vectors.suggest(word))
        return _Term(word, np.asarray(vector, dtype=np.float32), -1), tuple(vectors.subword.ngrams(word)), None
    raise UnknownWordError(word, vectors.suggest(word))


def scores(vectors: WordVectors, positive: Sequence[np.ndarray], negative: Sequence[np.ndarray],
           method: str = "3cosadd", epsilon: float = COSMUL_EPSILON) -> tuple[np.ndarray, np.ndarray]:
    """(method score, cosine to the 3CosAdd target) of every vocabulary word; unit input vectors.

    3CosAdd's target is gensim's: the mean of the +/- unit vectors, normalised.
    """
    if method not in METHODS:
        raise AnalogyError(N_("Unknown method {method!r}; choose {methods}."),
                           method=method, methods=Joined(list(METHODS), Message(N_(" or "))))
    unit = vectors.unit
    dim = unit.shape[1]
    pos = np.asarray(positive, dtype=np.float32).reshape(1, -1, dim)
    neg = np.asarray(negative, dtype=np.float32).reshape(1, -1, dim)
    cosine = unit @ analogy_target(pos, neg)[0]
    if method == "3cosadd":
        return cosine, cosine
    return analogy_scores(unit, pos, neg, method, epsilon)[0], cosine


def solve(
    vectors: WordVectors,
    positive: Sequence[str],
    negative: Sequence[str] = (),
    method: str = "3cosadd",
    k: int = 10,
    exclude_inputs: bool = True,
    epsilon: float = COSMUL_EPSILON,
) -> AnalogyResult:
    """The ``k`` best answers to positive − negative under 3CosAdd or 3CosMul.

    With ``exclude_inputs`` (the standard, and gensim's) the input words cannot be
    answers; without it they compete, and ``input_ranks`` says where each landed.
    Unknown words raise ``UnknownWordError`` with suggestions; FastText models
    compose them from character n-grams and the result lists the n-grams.
    """
    if method not in METHODS:
        raise AnalogyError(N_("Unknown method {method!r}; choose {methods}."),
                           method=method, methods=Joined(list(METHODS), Message(N_(" or "))))
    if not positive:
        raise AnalogyError(N_("An analogy needs at least one word to add."))
    k = int(k)
    if not 1 <= k <= MAX_K:
        raise AnalogyError(N_("Ask for between 1 and {max_k} answers, not {k}."), max_k=MAX_K, k=k)
    composed: dict[str, tuple[str, ...]] = {}
    folded: dict[str, str] = {}
    terms: list[list[_Term]] = [[], []]
    for side, words in enumerate((positive, negative)):
        for word in words:
            term, ngrams, fold = _resolve(vectors, word)
            terms[side].append(term)
            if ngrams is not None:
                composed[word] = ngrams
            if fold is not None:
                folded[word] = fold
    score, cosine = scores(vectors, [t.vector for t in terms[0]], [t.vector for t in terms[1]], method, epsilon)
    input_rows = sorted({t.row for side in terms for t in side if t.row >= 0})
    input_ranks: dict[str, int] = {}
    if exclude_inputs:
        score = score.copy()
        score[input_rows] = -np.inf
    else:
        for side in terms:
            for t in side:
                if t.row >= 0:
                    input_ranks[t.word] = int(np.count_nonzero(score > score[t.row])) + 1
    available = len(vectors) - (len(input_rows) if exclude_inputs else 0)
    k = min(k, available)
    if k <= 0:
        raise AnalogyError(N_("Every word of this model is one of the inputs: there is nothing left to answer with."))
    idx, vals = select_top(score, k)
    inputs = set(input_rows)
    answers = tuple(Answer(vectors.words[i], float(v), r, float(cosine[i]), i in inputs)
                    for r, (i, v) in enumerate(zip(idx[0].tolist(), vals[0].tolist()), start=1))
    return AnalogyResult(tuple(t.word for t in terms[0]), tuple(t.word for t in terms[1]), method, answers,
                         exclude_inputs, input_ranks, composed, folded)


def solve_text(vectors: WordVectors, text: str, method: str = "3cosadd", k: int = 10,
               exclude_inputs: bool = True) -> AnalogyResult:
    """Parse ``text`` (against this model's vocabulary, for hyphenated words) and solve it."""
    positive, negative = parse_expression(text, vectors.index)
    return solve(vectors, positive, negative, method, k, exclude_inputs)


# -- the parallelogram ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Parallelogram:
    """Points for the analogy plot, in a 2-D PCA of just these points.

    ``roles`` name each point: 'added', 'subtracted', 'answer' or 'target' (the
    sum b − a + c itself, the parallelogram's fourth corner). ``arrows`` are
    (from, to) point indices of the offsets: each subtracted word to the first
    added word (the relation), and each other added word to the best answer (the
    same relation applied); parallel arrows of equal length mean a clean analogy.
    """

    words: tuple[str, ...]
    roles: tuple[str, ...]
    coords: np.ndarray  # (n, 2)
    arrows: tuple[tuple[int, int], ...]
    explained: tuple[float, ...]  # variance share of the two axes


def parallelogram(vectors: WordVectors, result: AnalogyResult, answers: int = 3) -> Parallelogram:
    """The inputs, the top ``answers`` and the target point, projected with PCA onto two axes."""
    words: list[str] = []
    roles: list[str] = []
    rows: list[np.ndarray] = []

    def add(word: str, role: str, vector: np.ndarray) -> int:
        words.append(word)
        roles.append(role)
        rows.append(np.asarray(vector, dtype=np.float64))
        return len(words) - 1

    plus = [add(w, "added", _resolve(vectors, w)[0].vector) for w in result.positive]
    minus = [add(w, "subtracted", _resolve(vectors, w)[0].vector) for w in result.negative]
    target = np.sum([rows[i] for i in plus], axis=0) - (np.sum([rows[i] for i in minus], axis=0) if minus else 0)
    add(result.expression, "target", target)
    best = [add(a.word, "answer", vectors.unit[vectors.index[a.word]]) for a in result.answers[:answers]
            if not a.is_input]
    arrows: list[tuple[int, int]] = []
    if plus:
        arrows += [(m, plus[0]) for m in minus]
        if best and minus:
            arrows += [(p, best[0]) for p in plus[1:]]
    matrix = np.array(rows)
    coords, explained = pca_with_variance(matrix, 2)
    return Parallelogram(tuple(words), tuple(roles), coords, tuple(arrows), explained)
