"""Benchmarks: analogy accuracy and word-pair similarity, always with their coverage.

The scoring rules are gensim's (``KeyedVectors.evaluate_word_analogies`` and
``evaluate_word_pairs``) so numbers can be compared with published ones: words are
matched case-insensitively (upper-cased, the most frequent case variant wins),
only the ``restrict_vocab`` most frequent words are candidates, a question with any
word outside them is skipped and counted against coverage, and the three question
words are never accepted as the answer. The work is batched: a block of questions
is one matrix product against the vocabulary instead of one ``most_similar`` call
per question, which is what makes the 19,544 Google questions take seconds.

3CosMul (Levy & Goldberg 2014) is scored over the same restricted vocabulary as
3CosAdd; gensim's ``most_similar_cosmul`` ignores ``restrict_vocab``, so its
answers match ours only when the model has no more words than the restriction.

Benchmark files are gensim's bundled copies (no download), or a user's upload in
the same formats, parsed strictly: a malformed line is reported by number.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence, Union

import numpy as np
import pandas as pd

from embedlab.config import ALGORITHM_LABELS
from embedlab.errors import EmbedlabError
from embedlab.progress import CancelToken, ProgressFn, check, no_progress
from embedlab.vectors import WordVectors

if TYPE_CHECKING:
    from embedlab.workspace import Workspace

#: gensim's evaluate_word_analogies default is 300,000; 30,000 is the usual published setting
DEFAULT_RESTRICT_VOCAB = 30_000
#: gensim's evaluate_word_pairs default: effectively the whole vocabulary
DEFAULT_PAIRS_RESTRICT_VOCAB = 300_000
#: questions per matrix product at most (x 30k candidates x 4 bytes = 60 MB of scores); fewer when a
#: larger restrict_vocab would make the block's score matrix exceed compare.SCORE_BUDGET elements
QUESTION_CHUNK = 512
#: gensim only looks at the five best candidates when skipping case variants of the question words
CANDIDATES = 5
#: 3CosMul's epsilon, as in gensim's most_similar_cosmul
COSMUL_EPSILON = 1e-6
#: wrong answers kept per analogy section, to show what a model gets wrong
EXAMPLES_KEPT = 5
#: the largest benchmark file a user may upload
MAX_UPLOAD_BYTES = 20 * 1024**2
#: how many bad lines an error message lists
PROBLEMS_SHOWN = 5

METHODS = {"3cosadd": "3CosAdd", "3cosmul": "3CosMul"}


class BenchmarkFileError(EmbedlabError):
    """A benchmark file that cannot be read; the message names the bad lines."""


# -- benchmark data -------------------------------------------------------------------

@dataclass(frozen=True)
class AnalogySet:
    """Analogy questions 'a is to b as c is to d', grouped in named sections."""

    name: str
    sections: tuple[tuple[str, tuple[tuple[str, str, str, str], ...]], ...]

    @property
    def n_questions(self) -> int:
        return sum(len(questions) for _, questions in self.sections)


@dataclass(frozen=True)
class PairSet:
    """Word pairs with a human similarity judgement."""

    name: str
    pairs: tuple[tuple[str, str, float], ...]


Benchmark = Union[AnalogySet, PairSet]


def _problem_message(kind: str, name: str, problems: list[str]) -> str:
    shown = "; ".join(problems[:PROBLEMS_SHOWN])
    more = f" (and {len(problems) - PROBLEMS_SHOWN} more)" if len(problems) > PROBLEMS_SHOWN else ""
    return f"{name} is not a valid {kind} file: {shown}{more}."


def _quote(line: str) -> str:
    line = line.strip()
    return repr(line if len(line) <= 60 else line[:57] + "...")


def parse_analogies(text: str, name: str = "analogies") -> AnalogySet:
    """Parse the questions-words format: ': section' lines, then 'a b c d' per line.

    Questions before any section header go into a section named after the file.
    Any line that is neither raises ``BenchmarkFileError`` naming it.

    >>> parse_analogies(": capitals\\nAthens Greece Paris France\\n").sections
    (('capitals', (('Athens', 'Greece', 'Paris', 'France'),)),)
    """
    sections: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    problems: list[str] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(":"):
            title = stripped[1:].strip()
            sections.append((title or f"section {len(sections) + 1}", []))
            continue
        words = stripped.split()
        if len(words) != 4:
            problems.append(f"line {line_no} has {len(words)} word(s), not 4: {_quote(line)}")
            continue
        if not sections:
            sections.append((name, []))
        sections[-1][1].append((words[0], words[1], words[2], words[3]))
    if problems:
        raise BenchmarkFileError(_problem_message("analogy", name, problems)
                                 + " Each line must be four words 'a b c d' (a is to b as c is to d), "
                                   "or a section title starting with ':'.")
    kept = tuple((title, tuple(qs)) for title, qs in sections if qs)
    if not kept:
        raise BenchmarkFileError(f"{name} holds no analogy questions. Each line must be four words 'a b c d'.")
    return AnalogySet(name, kept)


def parse_word_pairs(text: str, name: str = "word pairs") -> PairSet:
    """Parse 'word1<TAB>word2<TAB>score' lines ('#' comments; a header line is allowed).

    Tabs separate fields as in gensim; a line without tabs may use spaces or commas.

    >>> parse_word_pairs("# comment\\nword1\\tword2\\tscore\\ntiger\\tcat\\t7.35\\nsea,lake,4\\nsky sun 2\\n").pairs
    (('tiger', 'cat', 7.35), ('sea', 'lake', 4.0), ('sky', 'sun', 2.0))
    """
    pairs: list[tuple[str, str, float]] = []
    problems: list[str] = []
    seen_data = False
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = [f.strip() for f in stripped.split("\t")] if "\t" in stripped else stripped.replace(",", " ").split()
        if len(fields) != 3 or not fields[0] or not fields[1]:
            problems.append(f"line {line_no} has {len(fields)} field(s), not 3: {_quote(line)}")
            continue
        try:
            score = float(fields[2])
            if not math.isfinite(score):
                raise ValueError
        except ValueError:
            if not seen_data and not pairs:  # the first data line may be a column header
                seen_data = True
                continue
            problems.append(f"line {line_no}: score {fields[2]!r} is not a number")
            continue
        seen_data = True
        pairs.append((fields[0], fields[1], score))
    if problems:
        raise BenchmarkFileError(_problem_message("word-pair", name, problems)
                                 + " Each line must be 'word1<TAB>word2<TAB>score'.")
    if len(pairs) < 3:
        raise BenchmarkFileError(f"{name} holds {len(pairs)} word pair(s); a correlation needs at least 3.")
    return PairSet(name, tuple(pairs))


def decode_upload(data: bytes, name: str) -> str:
    """Bytes of an uploaded benchmark file as text (size-capped, binary refused, encoding detected)."""
    from embedlab.corpus import detect_encoding  # shares the corpus reader's checks and messages

    if len(data) > MAX_UPLOAD_BYTES:
        raise BenchmarkFileError(f"{name} is {len(data) / 1024**2:.1f} MB; benchmark files are limited to "
                                 f"{MAX_UPLOAD_BYTES // 1024**2} MB.")
    try:
        encoding = detect_encoding(data[:256 * 1024])
    except EmbedlabError as error:
        raise BenchmarkFileError(f"{name}: {error}") from None
    return data.decode(encoding, errors="replace")


def parse_upload(data: bytes, name: str, kind: str) -> Benchmark:
    """An uploaded file as an ``AnalogySet`` (kind 'analogy') or ``PairSet`` (kind 'pairs')."""
    text = decode_upload(data, name)
    if kind == "analogy":
        return parse_analogies(text, name)
    if kind == "pairs":
        return parse_word_pairs(text, name)
    raise EmbedlabError(f"Unknown benchmark kind {kind!r}; use 'analogy' or 'pairs'.")


#: gensim's bundled test files: key -> (label, file name, kind)
BUNDLED: dict[str, tuple[str, str, str]] = {
    "questions-words": ("Google analogies", "questions-words.txt", "analogy"),
    "wordsim353": ("WordSim353", "wordsim353.tsv", "pairs"),
    "simlex999": ("SimLex-999", "simlex999.txt", "pairs"),
}


@lru_cache(maxsize=None)
def bundled(key: str) -> Benchmark:
    """One of gensim's bundled benchmark files, parsed (once per process)."""
    from gensim.test.utils import datapath

    try:
        label, filename, kind = BUNDLED[key]
    except KeyError:
        raise EmbedlabError(f"Unknown benchmark {key!r}; choose one of {', '.join(BUNDLED)}.") from None
    path = Path(datapath(filename))
    if not path.exists():
        raise EmbedlabError(f"gensim's copy of {filename} is missing ({path}); reinstall gensim.")
    text = path.read_text(encoding="utf-8")
    return parse_analogies(text, label) if kind == "analogy" else parse_word_pairs(text, label)


# -- scores -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SectionScore:
    section: str
    correct: int
    answered: int
    total: int
    wrong_examples: tuple[tuple[str, str, str, str, str], ...] = ()  # a, b, c, expected, predicted

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def coverage(self) -> float:
        return self.answered / self.total if self.total else 0.0


@dataclass(frozen=True)
class AnalogyScore:
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

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def coverage(self) -> float:
        return self.answered / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"kind": "analogy", "benchmark": self.benchmark, "method": self.method,
                "restrict_vocab": self.restrict_vocab, "score": self.accuracy, "correct": self.correct,
                "answered": self.answered, "total": self.total, "coverage": self.coverage,
                "sections": [{**asdict(s), "accuracy": s.accuracy, "wrong_examples": [list(e) for e in s.wrong_examples]}
                             for s in self.sections]}

    def section_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"section": s.section, "accuracy": s.accuracy, "correct": s.correct,
                              "answered": s.answered, "questions": s.total, "coverage": s.coverage}
                             for s in self.sections])


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
        raise EmbedlabError(f"Unknown analogy method {method!r}; choose {' or '.join(METHODS)}.")
    if restrict_vocab < 1:
        raise EmbedlabError("The vocabulary restriction must be at least 1 word.")
    ok_vocab, keys = _lookup(vectors, restrict_vocab, case_insensitive)
    candidates = np.ascontiguousarray(vectors.unit[:len(keys)], dtype=np.float32)

    # Gather every answerable question once, remembering its section.
    fold = str.upper if case_insensitive else (lambda w: w)
    rows: list[tuple[int, int, int, int]] = []
    folded: list[tuple[str, str, str, str]] = []
    originals: list[tuple[str, str, str, str]] = []
    section_of: list[int] = []
    totals = []
    for s, (_, section_questions) in enumerate(questions.sections):
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
        on_progress(start, len(q), f"{questions.name} ({label}): {start:,} of {len(q):,} questions")
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
    on_progress(len(q), max(len(q), 1), f"{questions.name} ({label}): done")
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
        raise EmbedlabError(f"Unknown analogy method {method!r}; choose {' or '.join(METHODS)}.")
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
    from embedlab.compare import SCORE_BUDGET

    return int(min(QUESTION_CHUNK, max(8, SCORE_BUDGET // max(n_candidates, 1))))


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
    a, b, c = candidates[block[:, 0]], candidates[block[:, 1]], candidates[block[:, 2]]
    if method == "3cosadd":
        target = b - a + c  # gensim averages then normalises; the direction is the same
        norms = np.linalg.norm(target, axis=1, keepdims=True)
        target /= np.where(norms > 0, norms, 1.0)
        scores = target @ candidates.T
    else:
        scores = (1.0 + b @ candidates.T) / 2.0
        scores *= (1.0 + c @ candidates.T) / 2.0
        scores /= (1.0 + a @ candidates.T) / 2.0 + COSMUL_EPSILON
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
    from embedlab.progress import scaled

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
            on_progress(step / steps, 1.0, f"{benchmark.name}: word pairs")
            scores.append(evaluate_pairs(vectors, benchmark, case_insensitive=request.case_insensitive))
            step += 1
    on_progress(1.0, 1.0, "Benchmarks done")
    return scores


def default_request() -> BenchmarkRequest:
    """The standard set: Google analogies (3CosAdd), WordSim353 and SimLex-999."""
    return BenchmarkRequest((bundled("questions-words"), bundled("wordsim353"), bundled("simlex999")))


def evaluate_saved(
    workspace: "Workspace",
    model_id: str,
    request: BenchmarkRequest,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> list[Score]:
    """Benchmark a saved model and store the scores in its manifest (other metrics kept)."""
    vectors = workspace.load_vectors(model_id)
    scores = run_benchmarks(vectors, request, on_progress, cancel)
    workspace.update_manifest(model_id, metrics=metrics_update(workspace.manifest(model_id), scores, vectors))
    return scores


# -- model facts and the summary table ---------------------------------------------------

def memory_bytes(vectors: WordVectors) -> int:
    """Bytes the model's arrays take: vectors, norms, counts and FastText n-gram vectors."""
    total = vectors.unit.nbytes + vectors.norms.nbytes + vectors.counts.nbytes
    if vectors.subword is not None:
        total += vectors.subword.ngram_vectors.nbytes
    return int(total)


def metrics_update(manifest: dict[str, Any], scores: Iterable[Score], vectors: WordVectors) -> dict[str, Any]:
    """The manifest's ``metrics`` with these scores merged in (other metrics kept)."""
    metrics = dict(manifest.get("metrics") or {})
    benchmarks = dict(metrics.get("benchmarks") or {})
    for score in scores:
        benchmarks[score_key(score)] = score.to_json()
    metrics["benchmarks"] = benchmarks
    metrics["memory_bytes"] = memory_bytes(vectors)
    return metrics


def summary_table(records: Sequence[tuple[str, dict[str, Any]]]) -> pd.DataFrame:
    """One row per model (name, manifest): size, time, memory, and every stored benchmark score.

    Scores are fractions (accuracy, Spearman ρ); each has a coverage column beside it
    so a high score on few answerable items is visibly so.
    """
    rows = []
    for name, manifest in records:
        metrics = manifest.get("metrics") or {}
        timings = manifest.get("timings") or {}
        row: dict[str, Any] = {
            "model": name,
            "algorithm": ALGORITHM_LABELS.get(manifest.get("algorithm", ""), manifest.get("algorithm", "?")),
            "vocabulary": manifest.get("vocab_size"),
            "dimensions": manifest.get("dim"),
            "training time (s)": _round(timings.get("total_s"), 1),
            "memory (MB)": _round((metrics.get("memory_bytes") or 0) / 1024**2, 2) if metrics.get("memory_bytes") else None,
        }
        for key, value in sorted((metrics.get("benchmarks") or {}).items()):
            row[key] = _round(value.get("score"), 4)
            row[f"{key} coverage"] = _round(value.get("coverage"), 3)
        rows.append(row)
    return pd.DataFrame(rows)


def _round(value: Any, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def score_diff(before: dict[str, Any], after: dict[str, Any]) -> pd.DataFrame:
    """Benchmarks both manifests have scores for: before, after and the change (what-if)."""
    a = (before.get("metrics") or {}).get("benchmarks") or {}
    b = (after.get("metrics") or {}).get("benchmarks") or {}
    rows = []
    for key in sorted(set(a) & set(b)):
        sa, sb = a[key].get("score"), b[key].get("score")
        rows.append({"benchmark": key, "before": _round(sa, 4), "after": _round(sb, 4),
                     "change": None if sa is None or sb is None else round(sb - sa, 4),
                     "coverage before": _round(a[key].get("coverage"), 3),
                     "coverage after": _round(b[key].get("coverage"), 3)})
    return pd.DataFrame(rows, columns=["benchmark", "before", "after", "change", "coverage before", "coverage after"])
