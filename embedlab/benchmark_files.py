"""Benchmark data: the analogy and word-pair files, bundled or uploaded, parsed strictly.

Files are gensim's bundled copies (no download), or a user's upload in the same
formats; a malformed line is reported by number. Scoring them is
``embedlab.scoring``; showing the scores is ``embedlab.reports``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Union

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, Joined, Message

#: the largest benchmark file a user may upload
MAX_UPLOAD_BYTES = 20 * 1024**2
#: how many bad lines an error message lists
PROBLEMS_SHOWN = 5


class BenchmarkFileError(EmbedlabError):
    """A benchmark file that cannot be read; the message names the bad lines."""


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


def _problems(problems: list[Message]) -> Joined:
    """The first few problems of a file (and how many more), rendered when shown."""
    shown: list[Message] = problems[:PROBLEMS_SHOWN]
    if len(problems) > PROBLEMS_SHOWN:
        return Joined([Joined(shown), Message(N_(" (and {n} more)"), n=len(problems) - PROBLEMS_SHOWN)], "")
    return Joined(shown)


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
    problems: list[Message] = []
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
            problems.append(Message(N_("line {line_no} has {n_words} word(s), not 4: {line}"),
                                    line_no=line_no, n_words=len(words), line=_quote(line)))
            continue
        if not sections:
            sections.append((name, []))
        sections[-1][1].append((words[0], words[1], words[2], words[3]))
    if problems:
        raise BenchmarkFileError(N_("{name} is not a valid analogy file: {problems}. Each line must be four words "
                                    "'a b c d' (a is to b as c is to d), or a section title starting with ':'."),
                                 name=name, problems=_problems(problems))
    kept = tuple((title, tuple(qs)) for title, qs in sections if qs)
    if not kept:
        raise BenchmarkFileError(N_("{name} holds no analogy questions. Each line must be four words 'a b c d'."),
                                 name=name)
    return AnalogySet(name, kept)


def parse_word_pairs(text: str, name: str = "word pairs") -> PairSet:
    """Parse 'word1<TAB>word2<TAB>score' lines ('#' comments; a header line is allowed).

    Tabs separate fields as in gensim; a line without tabs may use spaces or commas.

    >>> parse_word_pairs("# comment\\nword1\\tword2\\tscore\\ntiger\\tcat\\t7.35\\nsea,lake,4\\nsky sun 2\\n").pairs
    (('tiger', 'cat', 7.35), ('sea', 'lake', 4.0), ('sky', 'sun', 2.0))
    """
    pairs: list[tuple[str, str, float]] = []
    problems: list[Message] = []
    seen_data = False
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = [f.strip() for f in stripped.split("\t")] if "\t" in stripped else stripped.replace(",", " ").split()
        if len(fields) != 3 or not fields[0] or not fields[1]:
            problems.append(Message(N_("line {line_no} has {n_fields} field(s), not 3: {line}"),
                                    line_no=line_no, n_fields=len(fields), line=_quote(line)))
            continue
        try:
            score = float(fields[2])
            if not math.isfinite(score):
                raise ValueError
        except ValueError:
            if not seen_data and not pairs:  # the first data line may be a column header
                seen_data = True
                continue
            problems.append(Message(N_("line {line_no}: score {score!r} is not a number"),
                                    line_no=line_no, score=fields[2]))
            continue
        seen_data = True
        pairs.append((fields[0], fields[1], score))
    if problems:
        raise BenchmarkFileError(N_("{name} is not a valid word-pair file: {problems}. "
                                    "Each line must be 'word1<TAB>word2<TAB>score'."),
                                 name=name, problems=_problems(problems))
    if len(pairs) < 3:
        raise BenchmarkFileError(N_("{name} holds {n_pairs} word pair(s); a correlation needs at least 3."),
                                 name=name, n_pairs=len(pairs))
    return PairSet(name, tuple(pairs))


def decode_upload(data: bytes, name: str) -> str:
    """Bytes of an uploaded benchmark file as text (size-capped, binary refused, encoding detected)."""
    from embedlab.corpus import detect_encoding  # shares the corpus reader's checks and messages

    if len(data) > MAX_UPLOAD_BYTES:
        raise BenchmarkFileError(N_("{name} is {size_mb:.1f} MB; benchmark files are limited to "
                                    "{max_mb} MB."),
                                 name=name, size_mb=len(data) / 1024**2, max_mb=MAX_UPLOAD_BYTES // 1024**2)
    try:
        encoding = detect_encoding(data[:256 * 1024])
    except EmbedlabError as error:
        raise BenchmarkFileError(N_("{name}: {error}"), name=name, error=error) from None
    return data.decode(encoding, errors="replace")


def parse_upload(data: bytes, name: str, kind: str) -> Benchmark:
    """An uploaded file as an ``AnalogySet`` (kind 'analogy') or ``PairSet`` (kind 'pairs')."""
    text = decode_upload(data, name)
    if kind == "analogy":
        return parse_analogies(text, name)
    if kind == "pairs":
        return parse_word_pairs(text, name)
    raise EmbedlabError(N_("Unknown benchmark kind {kind!r}; use 'analogy' or 'pairs'."), kind=kind)


@dataclass(frozen=True)
class BundledBenchmark:
    """One of gensim's bundled test files: what users see of it and how to read it."""

    label: str
    filename: str
    kind: str  # 'analogy' or 'pairs'
    description: str


#: gensim's bundled test files by key; the Evaluate page and the CLI list exactly these
BUNDLED: dict[str, BundledBenchmark] = {
    "questions-words": BundledBenchmark(
        N_("Google analogies"), "questions-words.txt", "analogy",
        N_("Mikolov et al.'s 19,544 analogy questions in 14 sections (capitals, plurals, tenses…).")),
    "wordsim353": BundledBenchmark(
        "WordSim353", "wordsim353.tsv", "pairs",
        N_("353 word pairs rated for relatedness by humans (Finkelstein et al. 2002).")),
    "simlex999": BundledBenchmark(
        "SimLex-999", "simlex999.txt", "pairs",
        N_("999 pairs rated for similarity, not relatedness (Hill et al. 2015): harder.")),
}


@lru_cache(maxsize=None)
def bundled(key: str) -> Benchmark:
    """One of gensim's bundled benchmark files, parsed (once per process)."""
    from gensim.test.utils import datapath

    try:
        entry = BUNDLED[key]
    except KeyError:
        raise EmbedlabError(N_("Unknown benchmark {key!r}; choose one of {bundled}."),
                            key=key, bundled=', '.join(BUNDLED)) from None
    path = Path(datapath(entry.filename))
    if not path.exists():
        raise EmbedlabError(N_("gensim's copy of {filename} is missing ({path}); reinstall gensim."),
                            filename=entry.filename, path=path)
    text = path.read_text(encoding="utf-8")
    return parse_analogies(text, entry.label) if entry.kind == "analogy" else parse_word_pairs(text, entry.label)
