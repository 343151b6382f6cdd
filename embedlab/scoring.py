"""Scoring a model on benchmarks: analogy accuracy and word-pair correlation, with coverage.

Pure maths: takes ``WordVectors`` and parsed benchmarks (``embedlab.benchmark_files``),
returns scores; storing them is ``embedlab.workflows.evaluate_and_record``.

The scoring rules are gensim's (``KeyedVectors.evaluate_word_analogies`` and
``evaluate_word_pairs``) so numbers can be compared with published ones: words are
matched case-insensitively (upper-cased, the most frequent case variant wins),
only the ``restrict_vocab`` most frequent words are candidates, a question with any
word outside them is skipped and counted against coverage, and the three question
words are never accepted as the answer. The work is batched: a block of questions
is one matrix product against the vocabulary instead of one ``most_similar`` call
per question, which is what makes the 19,544 Google questions take seconds.

``analogy_scores`` is the one 3CosAdd/3CosMul kernel: the Analogies page
(``embedlab.analogy``) calls it with one query, the benchmarks with blocks of them.
3CosMul (Levy & Goldberg 2014) is scored over the same restricted vocabulary as
3CosAdd; gensim's ``most_similar_cosmul`` ignores ``restrict_vocab``, so its
answers match ours only when the model has no more words than the restriction.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Sequence, Union

import numpy as np

from embedlab.benchmark_files import AnalogySet, Benchmark, PairSet, bundled
from embedlab.errors import EmbedlabError
from embedlab.i18n import _, N_, Joined, Message
from embedlab.progress import CancelToken, ProgressFn, check, no_progress, scaled
from embedlab.vectors import WordVectors

#: gensim's evaluate_word_analogies default is 300,000; 30,000 is the usual published setting
DEFAULT_RESTRICT_VOCAB = 30_000
#: gensim's evaluate_word_pairs default: effectively the whole vocabulary
DEFAULT_PAIRS_RESTRICT_VOCAB = 300_000
#: questions per matrix product at most (x 30k candidates x 4 bytes = 60 MB of scores); fewer when a
#: larger restrict_vocab would make the block's score matrix exceed search.SCORE_BUDGET elements
QUESTION_CHUNK = 512
#: gensim only looks at the five best candidates when skipping case variants of the question words
CANDIDATES = 5
#: 3CosMul's epsilon, as in gensim's most_similar_cosmul
COSMUL_EPSILON = 1e-6
#: wrong answers kept per analogy section, to show what a model gets wrong
EXAMPLES_KEPT = 5

METHODS = {"3cosadd": "3CosAdd", "3cosmul": "3CosMul"}


# -- the kernel ---------------------------------------------------------------------------

def analogy_target(positive: np.ndarray, negative: np.ndarray) -> np.ndarray:
    """3CosAdd's target direction(s): the sum of the + unit vectors minus the - ones, normalised.

    ``positive`` is ``(..., P, dim)`` and ``negative`` ``(..., N, dim)``; gensim averages
    before normalising, which gives the same direction.
    """
    target = np.sum(positive, axis=-2, dtype=np.float32)
    if negative.shape[-2]:
        target = target - np.sum(negative, axis=-2, dtype=np.float32)
    norms = np.linalg.norm(target, axis=-1, keepdims=True)
    return target / np.where(norms > 0, norms, 1.0)


def analogy_scores(candidates: np.ndarray, positive: np.ndarray, negative: np.ndarray, method: str = "3cosadd",
                   epsilon: float = COSMUL_EPSILON) -> np.ndarray:
    """Each query's score for every candidate row: ``(queries, candidates)``, float32.

    ``positive`` ``(queries, P, dim)`` and ``negative`` ``(queries, N, dim)`` hold unit
    vectors. 3CosAdd is the cosine to ``analogy_target``; 3CosMul is Levy & Goldberg's
    (2014) eq. 4 with similarities shifted to [0, 1] (their footnote 7), as gensim:
    the product over + terms of (1 + cos) / 2 over the product over - terms, plus epsilon.
    """
    if method == "3cosadd":
        return analogy_target(positive, negative) @ candidates.T
    if method != "3cosmul":
        raise EmbedlabError(N_("Unknown analogy method {method!r}; choose {methods}."),
                            method=method, methods=Joined(list(METHODS), Message(N_(" or "))))
    result = np.ones((positive.shape[0], len(candidates)), dtype=np.float32)
    for p in range(positive.shape[1]):
        result *= (1.0 + positive[:, p] @ candidates.T) / 2.0
    denominator = np.ones_like(result)
    for n in range(negative.shape[1]):
        denominator *= (1.0 + negative[:, n] @ candidates.T) / 2.0
    result /= denominator + np.float32(epsilon)
    return result


# -- scores -------------------------------------------------------------------------------

class _Rates:
    """Accuracy over the answered questions and coverage of the benchmark, for a score that has
    ``correct``, ``answered`` and ``total`` (a section's counts, or a whole benchmark's sums)."""

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None  # type: ignore[attr-defined]

    @property
    def coverage(self) -> float:
        return self.answered / self.total if self.total else 0.0  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SectionScore(_Rates):
    section: str
    correct: int
    answered: int
    total: int
    wrong_examples: tuple[tuple[str, str, str, str, str], ...] = ()  # a, b, c, expected, predicted


@dataclass(frozen=True)
class AnalogyScore(_Rates):
    """Accuracy over the answerable questions, per section and in total."""

    benchmark: str
    method: str
    restrict_vocab: int
    sections: tuple[SectionScore, ...]

    @property
    def correct(self) -> int:
        return sum(s.correct for s in self.sections)

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.sections)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)


    def to_json(self) -> dict[str, Any]:
        return {"kind": "analogy", "benchmark": self.benchmark, "method": self.method,
                "restrict_vocab": self.restrict_vocab, "score": self.accuracy, "correct": self.correct,
                "answered": self.answered, "total": self.total, "coverage": self.coverage,
                "sections": [{**asdict(s), "accuracy": s.accuracy, "wrong_examples": [list(e) for e in s.wrong_examples]}
                             for s in self.sections]}


@dataclass(frozen=True)
class PairScore:
    """Rank correlation of model cosine similarity with human judgements over the answerable pairs."""

    benchmark: str
    spearman: float | None
    pearson: float | None
    answered: int
    total: int
    restrict_vocab: int

    @property
    def coverage(self) -> float:
        return self.answered / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"kind": "pairs", "benchmark": self.benchmark, "score": self.spearman, "spearman": self.spearman,
                "pearson": self.pearson, "answered": self.answered, "total": self.total,
                "coverage": self.coverage, "restrict_vocab": self.restrict_vocab}


# -- scoring ----------------------------------------------------------------------------

def _lookup(vectors: WordVectors, restrict_vocab: int, case_insensitive: bool) -> tuple[dict[str, int], list[str]]:
    """gensim's ``ok_vocab``: key -> row over the first ``restrict_vocab`` words, and each row's key.

    Upper-cased keys are built from the least to the most frequent word, so when
    'Paris' and 'paris' collide the more frequent one's row wins, as in gensim.
    """
    words = vectors.words[:restrict_vocab]
    keys = [w.upper() for w in words] if case_insensitive else list(words)
    return {key: i for i, key in reversed(list(enumerate(keys)))}, keys


def evaluate_analogies(
    vectors: WordVectors,
    questions: AnalogySet,
    method: str = "3cosadd",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    case_insensitive: bool = True,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> AnalogyScore:
    """Analogy accuracy with 3CosAdd (b - a + c) or 3CosMul, gensim's rules, batched."""
    if method not in METHODS:
        raise EmbedlabError(N_("Unknown analogy method {method!r}; choose {methods}."),
                            method=method, methods=Joined(list(METHODS), Message(N_(" or "))))
    if restrict_vocab < 1:
        raise EmbedlabError(N_("The vocabulary restriction must be at least 1 word."))
    ok_vocab, keys = _lookup(vectors, restrict_vocab, case_insensitive)
    candidates = np.ascontiguousarray(vectors.unit[:len(keys)], dtype=np.float32)

    # Gather every answerable question once, remembering its section.
    fold = str.upper if case_insensitive else (lambda w: w)
    rows: list[tuple[int, int, int, int]] = []
    folded: list[tuple[str, str, str, str]] = []
    originals: list[tuple[str, str, str, str]] = []
    section_of: list[int] = []
    totals = []
    for s, (_title, section_questions) in enumerate(questions.sections):
        totals.append(len(section_questions))
        for question in section_questions:
            key = tuple(fold(w) for w in question)
            if all(k in ok_vocab for k in key):
                rows.append(tuple(ok_vocab[k] for k in key))  # type: ignore[arg-type]
                folded.append(key)  # type: ignore[arg-type]
                originals.append(question)
                section_of.append(s)
    correct = np.zeros(len(questions.sections), dtype=np.int64)
    answered = np.bincount(np.array(section_of, dtype=np.int64), minlength=len(questions.sections))
    wrong: list[list[tuple[str, str, str, str, str]]] = [[] for _ in questions.sections]

    q = np.array(rows, dtype=np.int64).reshape(-1, 4)
    label = METHODS[method]
    chunk = _chunk(len(keys))
    for start in range(0, len(q), chunk):
        check(cancel)
        on_progress(start, len(q), _("{name} ({label}): {start:,} of {total:,} questions").format(
            name=questions.name, label=label, start=start, total=len(q)))
        block = q[start:start + chunk]
        ignores = [set(key[:3]) for key in folded[start:start + chunk]]
        for offset, answer in enumerate(_block_answers(candidates, block, method, keys, ignores)):
            i = start + offset
            expected = folded[i][3]
            if answer is not None and keys[answer] == expected:
                correct[section_of[i]] += 1
            elif len(wrong[section_of[i]]) < EXAMPLES_KEPT:
                shown = "" if answer is None else vectors.words[answer]
                wrong[section_of[i]].append((*originals[i], shown))
    on_progress(len(q), max(len(q), 1), _("{name} ({label}): done").format(name=questions.name, label=label))
    sections = tuple(SectionScore(title, int(correct[s]), int(answered[s]), totals[s], tuple(wrong[s]))
                     for s, (title, _) in enumerate(questions.sections))
    return AnalogyScore(questions.name, label, restrict_vocab, sections)


def answer_analogies(
    vectors: WordVectors,
    questions: Sequence[tuple[str, str, str]],
    method: str = "3cosadd",
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    case_insensitive: bool = True,
) -> list[str | None]:
    """The model's answer d to each 'a : b :: c : ?' (None when a word is outside the vocabulary).

    Same rules and code path as ``evaluate_analogies``, for showing individual answers.
    """
    if method not in METHODS:
        raise EmbedlabError(N_("Unknown analogy method {method!r}; choose {methods}."),
                            method=method, methods=Joined(list(METHODS), Message(N_(" or "))))
    ok_vocab, keys = _lookup(vectors, restrict_vocab, case_insensitive)
    candidates = np.ascontiguousarray(vectors.unit[:len(keys)], dtype=np.float32)
    fold = str.upper if case_insensitive else (lambda w: w)
    answers: list[str | None] = [None] * len(questions)
    known = [(i, tuple(fold(w) for w in q)) for i, q in enumerate(questions)]
    known = [(i, key) for i, key in known if all(k in ok_vocab for k in key)]
    rows = np.array([[ok_vocab[k] for k in key] for _, key in known], dtype=np.int64).reshape(-1, 3)
    chunk = _chunk(len(keys))
    for start in range(0, len(rows), chunk):
        block = rows[start:start + chunk]
        ignores = [set(key) for _, key in known[start:start + chunk]]
        for (i, _), answer in zip(known[start:start + chunk], _block_answers(candidates, block, method, keys, ignores)):
            answers[i] = None if answer is None else vectors.words[answer]
    return answers


def _chunk(n_candidates: int) -> int:
    from embedlab.search import chunk_rows

    return min(QUESTION_CHUNK, chunk_rows(n_candidates))


def _block_answers(candidates: np.ndarray, block: np.ndarray, method: str, keys: list[str],
                   ignores: list[set[str]]) -> list[int | None]:
    """Each question's answer row by gensim's rule, or None when no word could be an answer.

    gensim takes the best of the top five candidates that is not a question word by
    folded key (the question words' own rows are excluded outright). Only a case
    variant of a question word ('Paris' for 'paris') can make the best candidate
    fail that test, so one ``argmax`` per question decides almost every answer and
    the top five are sorted only for the rare rest: a full partial sort of every
    row cost more than the matrix product.
    """
    scores = _scores(candidates, block, method)
    best = scores.argmax(axis=1)
    best_scores = scores[np.arange(len(block)), best]
    answers: list[int | None] = []
    for i, (row, score) in enumerate(zip(best.tolist(), best_scores.tolist())):
        if not math.isfinite(score):
            answers.append(None)  # every candidate was a question word (a tiny vocabulary)
        elif keys[row] not in ignores[i]:
            answers.append(row)
        else:
            answers.append(_answer(_top_rows(scores[i]), keys, ignores[i]))
    return answers


def _top_rows(row_scores: np.ndarray) -> list[int]:
    """The ``CANDIDATES`` best rows of one question, best first, excluded (-inf) rows dropped."""
    k = min(CANDIDATES, len(row_scores))
    part = np.argpartition(-row_scores, k - 1)[:k] if k < len(row_scores) else np.arange(len(row_scores))
    part = part[np.argsort(-row_scores[part], kind="stable")]
    return [int(r) for r in part if np.isfinite(row_scores[r])]


def _answer(ranked: list[int], keys: list[str], ignore: set[str]) -> int | None:
    """gensim's pick among the top five: the first that is not a question word, else the last."""
    for row in ranked:
        if keys[row] not in ignore:
            return row
    return ranked[-1] if ranked else None


def _scores(candidates: np.ndarray, block: np.ndarray, method: str) -> np.ndarray:
    """(questions, candidates) scores with each question's own words set to -inf."""
    positive = candidates[block[:, 1:3]]  # b and c: (questions, 2, dim)
    negative = candidates[block[:, :1]]  # a
    scores = analogy_scores(candidates, positive, negative, method)
    scores[np.arange(len(block))[:, None], block[:, :3]] = -np.inf
    return scores


def evaluate_pairs(
    vectors: WordVectors,
    pairs: PairSet,
    restrict_vocab: int = DEFAULT_PAIRS_RESTRICT_VOCAB,
    case_insensitive: bool = True,
) -> PairScore:
    """Spearman (and Pearson) correlation between cosine similarity and human scores, gensim's rules."""
    from scipy import stats

    ok_vocab, _ = _lookup(vectors, restrict_vocab, case_insensitive)
    fold = str.upper if case_insensitive else (lambda w: w)
    left, right, gold = [], [], []
    for a, b, score in pairs.pairs:
        ka, kb = fold(a), fold(b)
        if ka in ok_vocab and kb in ok_vocab:
            left.append(ok_vocab[ka])
            right.append(ok_vocab[kb])
            gold.append(score)
    spearman = pearson = None
    if len(gold) >= 3:
        unit = vectors.unit
        model = np.einsum("ij,ij->i", unit[np.array(left)], unit[np.array(right)]).astype(np.float64)
        if np.ptp(model) > 0 and np.ptp(gold) > 0:  # a constant column has no rank correlation
            spearman = float(stats.spearmanr(gold, model).statistic)
            pearson = float(stats.pearsonr(gold, model).statistic)
    return PairScore(pairs.name, spearman, pearson, len(gold), len(pairs.pairs), restrict_vocab)


Score = Union[AnalogyScore, PairScore]


@dataclass(frozen=True)
class BenchmarkRequest:
    """What to run on each model: the benchmarks and, for analogies, which methods."""

    benchmarks: tuple[Benchmark, ...]
    methods: tuple[str, ...] = ("3cosadd",)
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB
    case_insensitive: bool = True

    def steps(self) -> int:
        return sum(len(self.methods) if isinstance(b, AnalogySet) else 1 for b in self.benchmarks)


def score_key(score: Score) -> str:
    """A stable name for a score in manifests and tables, e.g. 'Google analogies · 3CosAdd'."""
    return f"{score.benchmark} · {score.method}" if isinstance(score, AnalogyScore) else score.benchmark


def run_benchmarks(
    vectors: WordVectors,
    request: BenchmarkRequest,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> list[Score]:
    """Every requested benchmark on one model, with progress across all of them."""
    scores: list[Score] = []
    steps = max(request.steps(), 1)
    step = 0
    for benchmark in request.benchmarks:
        if isinstance(benchmark, AnalogySet):
            for method in request.methods:
                report = scaled(on_progress, step / steps, (step + 1) / steps)
                scores.append(evaluate_analogies(vectors, benchmark, method, request.restrict_vocab,
                                                 request.case_insensitive, report, cancel))
                step += 1
        else:
            check(cancel)
            on_progress(step / steps, 1.0, _("{name}: word pairs").format(name=benchmark.name))
            scores.append(evaluate_pairs(vectors, benchmark, case_insensitive=request.case_insensitive))
            step += 1
    on_progress(1.0, 1.0, _("Benchmarks done"))
    return scores


def default_request() -> BenchmarkRequest:
    """The standard set: Google analogies (3CosAdd), WordSim353 and SimLex-999."""
    return BenchmarkRequest((bundled("questions-words"), bundled("wordsim353"), bundled("simlex999")))


def memory_bytes(vectors: WordVectors) -> int:
    """Bytes the model's arrays take: vectors, norms, counts and FastText n-gram vectors."""
    total = vectors.unit.nbytes + vectors.norms.nbytes + vectors.counts.nbytes
    if vectors.subword is not None:
        total += vectors.subword.ngram_vectors.nbytes
    return int(total)
