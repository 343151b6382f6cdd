"""From a user's text file to a normalised token file, with statistics.

A corpus is read once: its encoding is detected, each line (one sentence or
document) is tokenised, and the tokens are written, space-joined, one sentence a
line, to ``tokens.txt``. Every trainer reads that file, so all three algorithms see
exactly the same tokens, and re-training never re-tokenises.

Lines longer than ``MAX_TOKENS_PER_LINE`` are wrapped: gensim silently truncates
sentences above 10,000 tokens in iterable mode and, in ``corpus_file`` mode, trains
on up to a third fewer words when lines are long (measured on gensim 4.4.0).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import re
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from embedlab.config import CorpusParams
from embedlab.errors import BinaryFileError, CorpusError, EmptyCorpusError, FileTooLargeError
from embedlab.i18n import _, N_, Message
from embedlab.ownership import owner_tag
from embedlab.progress import CancelToken, ProgressFn, check, no_progress

MAX_TOKENS_PER_LINE = 1000
#: the largest corpus file we accept (the app's upload cap is lower; see .streamlit/config.toml)
MAX_CORPUS_BYTES = 2 * 1024**3
#: bytes inspected to detect encoding, binary content and script
SAMPLE_BYTES = 256 * 1024
TOP_WORDS_KEPT = 500
ZIPF_POINTS = 400

WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LETTER_RE = re.compile(r"[^\W\d_]")

# Well-known binary signatures, so the message can say what the file looks like.
_MAGIC = [
    (b"\x89PNG", N_("a PNG image")), (b"\xff\xd8\xff", N_("a JPEG image")), (b"GIF8", N_("a GIF image")),
    (b"%PDF", N_("a PDF document")), (b"PK\x03\x04", N_("a ZIP archive (or .docx/.xlsx)")),
    (b"\x1f\x8b", N_("a gzip archive")), (b"BZh", N_("a bzip2 archive")), (b"\xfd7zXZ", N_("an xz archive")),
    (b"\x93NUMPY", N_("a NumPy array")), (b"\x7fELF", N_("a program")),
]
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_CHINESE = ("gb18030", "gbk", "gb2312")
_PICKLE_PROTOCOLS = (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")


# -- encoding ---------------------------------------------------------------

def _describe_binary(sample: bytes) -> Message | None:
    """What kind of binary file ``sample`` starts, as a message shown in the reader's language."""
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            return Message(what)
    if sample[:2] in _PICKLE_PROTOCOLS:
        return Message(N_("a Python pickle (embedlab never unpickles files)"))
    return None


def detect_encoding(sample: bytes) -> str:
    """Name the codec of a file from its first bytes, or raise for empty or binary data.

    BOMs decide first; then strict UTF-8 (by far the commonest, and cheap to confirm);
    then charset-normalizer, which tells GB18030/GBK, UTF-16 without BOM, Windows and
    ISO code pages apart; Latin-1 (which decodes anything) is the last resort. GBK
    and GB2312 answers are widened to GB18030, their superset.
    """
    if not sample.strip():
        raise EmptyCorpusError(N_("The file is empty (or holds only white space). Choose a text file with at least a few sentences."))
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(bom):
            return codec
    what = _describe_binary(sample)
    if what:
        raise BinaryFileError(N_("This file looks like {what}, not text. Upload a plain-text corpus (.txt), one sentence or document per line."),
                              what=what)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        if b"\x00" not in sample:
            return "utf-8"
    except UnicodeDecodeError:
        if b"\x00" not in sample and _mostly_utf8(sample):
            return "utf-8"  # a few bad bytes: replaced and counted (CorpusStats.replaced_characters), never mojibake
    import charset_normalizer  # imported here: it is only needed for non-UTF-8 files

    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    encoding = best.encoding if best is not None else None
    # Short Western European samples often score a hair better as a Baltic or Central
    # European code page (cp1257 for French, say); the Windows-1252 family is far
    # likelier for our users, so prefer it when it is nearly as clean.
    # Likewise a few lines of GBK often tie with Korean or Japanese code pages (cp949 for
    # '国王,人物'); many of our users write Chinese, so GB18030 wins a near tie.
    for family in (_WESTERN, _CHINESE):
        if best is None or encoding in family or encoding.startswith("utf"):
            continue
        near = [m.encoding for m in matches if m.encoding in family and m.chaos <= best.chaos + 0.1]
        if near:
            encoding = near[0]
            break
    if encoding in ("gbk", "gb2312", "hz"):
        encoding = "gb18030"
    if encoding is None or (b"\x00" in sample and not encoding.startswith("utf_16") and not encoding.startswith("utf_32")):
        if _control_ratio(sample) > 0.05:
            raise BinaryFileError(N_("This file does not look like text (it is full of control bytes). Upload a plain-text corpus, one sentence or document per line."))
        return "latin-1"
    return encoding


#: invalid byte sequences tolerated in UTF-8 text: always this many, and one per 500 bytes of ASCII
#: text or per 50 well-formed non-ASCII characters. A legacy code page file breaks UTF-8 far more often
#: (every accented letter, every curly quote), so it still goes to charset detection.
UTF8_BAD_ALWAYS, UTF8_BAD_PER_BYTES, UTF8_BAD_PER_CHARS = 3, 500, 50


def _mostly_utf8(sample: bytes) -> bool:
    """Whether ``sample`` is UTF-8 apart from a few bad bytes (a damaged file, not another encoding).

    One stray ``\\xff`` in French UTF-8 made charset detection answer cp932 ("café" read as
    "cafﾃｩ") and stray bytes in ASCII became cp1252 letters glued into words, silently. Decoding
    as UTF-8 instead replaces just the bad bytes, and the corpus statistics count them.
    """
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
    bad = text.count("\ufffd")
    good_non_ascii = sum(1 for c in text if c > "\x7f") - bad
    allowed = UTF8_BAD_ALWAYS + max(len(sample) // UTF8_BAD_PER_BYTES if good_non_ascii == 0 else 0,
                                    good_non_ascii // UTF8_BAD_PER_CHARS)
    return bad <= allowed


def _control_ratio(sample: bytes) -> float:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(len(sample), 1)


# -- tokenisers -------------------------------------------------------------

Tokenizer = Callable[[str], list[str]]
_jieba_lock = threading.Lock()


def _jieba():
    """jieba, initialised once and quietly (it logs to stderr and builds a cache on first use)."""
    import jieba

    with _jieba_lock:
        if not jieba.dt.initialized:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
    return jieba


def make_tokenizer(kind: str, lowercase: bool = True) -> Tokenizer:
    """A function from one line of text to its tokens.

    >>> make_tokenizer("words")("The King's men, 2 of them!")
    ['the', "king's", 'men', '2', 'of', 'them']
    >>> make_tokenizer("ids")("P01 p02  P01")
    ['P01', 'p02', 'P01']
    """
    if kind == "ids":
        return str.split
    if kind == "words":
        if lowercase:
            return lambda line: WORD_RE.findall(line.lower())
        return WORD_RE.findall
    if kind == "chinese":
        jieba = _jieba()

        def chinese(line: str) -> list[str]:
            text = line.lower() if lowercase else line
            return [t for t in jieba.lcut(text) if WORD_RE.match(t)]

        return chinese
    raise CorpusError(N_("Unknown tokeniser {kind!r}; choose auto, words, chinese or ids."), kind=kind)


#: an ID token: ASCII letters, digits and the joiners IDs use ('sku_1042', 'B07XJ8C8F5', 'item-77', 'cat:12/3')
_ID_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:[_\-:./#][A-Za-z0-9]+)*")
_DIGIT_RE = re.compile(r"[0-9]")
#: a sample is a sessions file when at least this share of its whitespace-separated tokens look like IDs
#: (prose has a few: years, prices, 'covid-19'; an ID file almost nothing else, perhaps a header word)
ID_TOKEN_SHARE = 0.9
#: tokens of the sample looked at (the first lines of the file: enough to decide, cheap for any size)
ID_SAMPLE_TOKENS = 20_000


def looks_like_ids(text: str) -> bool:
    r"""Whether ``text`` reads as sessions of item IDs ('sku_1042 sku_77 …', '1042 77 1042'), not prose.

    An ID is one ASCII run of letters and digits (joined by ``_ - : . / #``) that holds a digit,
    or joins parts with ``_``/``:``/``#`` ('sku_a'); prose has a few such tokens (years, prices,
    'covid-19'), a sessions file has almost nothing else.

    >>> looks_like_ids("sku_1042 sku_77 sku_1042\nsku_9 sku_77\n")
    True
    >>> looks_like_ids("In 2019 the 3 kings met 2 queens.\n")
    False
    """
    tokens = text.split()[:ID_SAMPLE_TOKENS]
    if not tokens:
        return False
    ids = sum(1 for t in tokens if _ID_TOKEN_RE.fullmatch(t) and (_DIGIT_RE.search(t) or any(c in t for c in "_:#")))
    return ids >= ID_TOKEN_SHARE * len(tokens)


def guess_tokenizer(text: str) -> str:
    """``ids`` for sessions of item IDs, ``chinese`` when CJK characters are at least 30% of the letters, else ``words``."""
    if looks_like_ids(text):
        return "ids"
    letters = len(_LETTER_RE.findall(text))
    cjk = len(_CJK_RE.findall(text))
    return "chinese" if letters and cjk / letters >= 0.3 else "words"


# -- the prepared corpus ----------------------------------------------------

@dataclass(frozen=True)
class CorpusStats:
    n_lines: int  # non-empty sentences after wrapping
    n_tokens: int
    n_types: int
    top_words: list[tuple[str, int]]
    zipf_ranks: list[int]  # log-spaced ranks and their frequencies, for the rank/frequency plot
    zipf_counts: list[int]
    count_histogram: dict[int, int]  # frequency -> number of types with that frequency (capped, see types_at_least)
    empty_lines: int = 0
    wrapped_lines: int = 0
    replaced_characters: int = 0

    def types_at_least(self, min_count: int) -> int:
        """How many word types a ``min_count`` filter keeps."""
        return sum(n for count, n in self.count_histogram.items() if int(count) >= min_count)

    def tokens_at_least(self, min_count: int) -> int:
        return sum(int(count) * n for count, n in self.count_histogram.items() if int(count) >= min_count)


@dataclass(frozen=True)
class PreparedCorpus:
    """A tokenised corpus on disk: what every trainer takes."""

    tokens_path: Path
    fingerprint: str
    n_sentences: int
    n_tokens: int
    name: str = ""
    tokenizer: str = "words"
    lowercase: bool = True
    encoding: str = "utf-8"
    stats: CorpusStats | None = None
    corpus_id: str = ""
    #: the tokeniser asked for ('auto' or a kind); ``tokenizer`` is what it resolved to
    requested_tokenizer: str | None = None
    #: size, mtime_ns and digest of the original file (``workspace.SourceSignature``), to recognise it again
    source: dict | None = None

    def sentences(self, cancel: CancelToken | None = None, on_lines: Callable[[int], None] | None = None) -> "TokenFile":
        return TokenFile(self.tokens_path, cancel, on_lines)

    def attachment(self, name: str) -> Path | None:
        """A file the store keeps beside this corpus's tokens (``Workspace.attach_to_corpus``), if there is one.

        Documents (labels, whole documents) and graphs (weighted edges) keep what the token file cannot hold.
        """
        path = Path(self.tokens_path).with_name(name)
        return path if path.is_file() else None

    def to_json(self) -> dict:
        data = asdict(self)
        data["tokens_path"] = str(self.tokens_path)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "PreparedCorpus":
        """Read a ``corpus.json``; keys this version does not know (a newer embedlab's) are ignored."""
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        stats = data.pop("stats", None)
        if stats:
            stats["top_words"] = [tuple(x) for x in stats["top_words"]]
            stats["count_histogram"] = {int(k): v for k, v in stats["count_histogram"].items()}
        return cls(**{**data, "tokens_path": Path(data["tokens_path"]), "stats": CorpusStats(**stats) if stats else None})


class TokenFile:
    """A restartable iterable of token lists over a ``tokens.txt``.

    Restartable because gensim iterates once to build the vocabulary and once per
    epoch. ``on_lines(n)`` is told every ``every`` lines how many lines this pass
    has read (within-epoch progress). If a cancel token is set, iteration simply
    stops: the trainer notices at the epoch's end (gensim's worker threads cannot
    be interrupted mid-epoch, but an epoch whose input ends finishes at once).
    """

    def __init__(self, path: Path, cancel: CancelToken | None = None,
                 on_lines: Callable[[int], None] | None = None, every: int = 2000) -> None:
        self.path = Path(path)
        self.cancel = cancel
        self.on_lines = on_lines
        self.every = every

    def __iter__(self) -> Iterator[list[str]]:
        cancel, on_lines, every = self.cancel, self.on_lines, self.every
        with open(self.path, encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                if n % every == 0:
                    if cancel is not None and cancel.cancelled:
                        return
                    if on_lines is not None:
                        on_lines(n)
                yield line.split()


def read_sample_text(path: Path, n_bytes: int = SAMPLE_BYTES) -> tuple[str, str]:
    """The decoded beginning of a file and its encoding (checks for empty/binary on the way).

    The sample ends at a line break: cut in the middle of a two-byte GBK character, a
    sample decoded as a Thai or Latin code page, and the preview (which then read 64 KB)
    showed mojibake while the import (256 KB) read the same file correctly.
    """
    with open(path, "rb") as handle:
        sample = handle.read(n_bytes)
        truncated = bool(handle.read(1))
    boms = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    if truncated and not sample.startswith(boms):  # UTF-16/32 have a BOM, and a newline byte inside characters
        end = sample.rfind(b"\n")
        if end > 0:
            sample = sample[:end + 1]
    encoding = detect_encoding(sample)
    return sample.decode(encoding, errors="replace"), encoding


def sniff(path: Path, params: CorpusParams = CorpusParams()) -> tuple[str, str, str]:
    """(sample text, encoding, tokeniser) of a file: the one answer the preview shows and the import uses."""
    text, encoding = read_sample_text(path)
    kind = guess_tokenizer(text) if params.tokenizer == "auto" else params.tokenizer
    return text, encoding, kind


def preview(path: Path, params: CorpusParams = CorpusParams(), n_lines: int = 5) -> tuple[str, list[list[str]]]:
    """The resolved tokeniser and the first few lines' tokens, to show before committing to a full pass."""
    text, _, kind = sniff(path, params)
    tokenize = make_tokenizer(kind, params.lowercase)
    lines = [line for line in text.splitlines() if line.strip()][:n_lines]
    return kind, [tokenize(line) for line in lines]


def prepare_corpus(
    source: Path,
    out_dir: Path,
    params: CorpusParams = CorpusParams(),
    name: str = "",
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> PreparedCorpus:
    """Tokenise ``source`` into ``out_dir/tokens.txt`` and compute its statistics.

    Reads the file once, streaming (memory grows with the vocabulary, not the file).
    Writes to a temporary name first, so a cancelled or failed run leaves no
    half-written corpus behind.
    """
    source = Path(source)
    size = source.stat().st_size
    if size > MAX_CORPUS_BYTES:
        raise FileTooLargeError(N_("The file is {size_gb:.1f} GB; embedlab handles corpora up to {max_gb:.0f} GB."),
                                size_gb=size / 1024**3, max_gb=MAX_CORPUS_BYTES / 1024**3)
    _sample, encoding, kind = sniff(source, params)
    tokenize = make_tokenizer(kind, params.lowercase)

    out_dir.mkdir(parents=True, exist_ok=True)
    final_path = out_dir / "tokens.txt"
    tmp_path = out_dir / f".tokens.{owner_tag()}.{threading.get_ident()}.tmp"  # marked: a crash's is swept
    counts: Counter[str] = Counter()
    digest = hashlib.blake2b(digest_size=10)
    n_lines = n_tokens = empty = wrapped = replaced = 0
    try:
        with open(source, "rb") as raw, open(tmp_path, "w", encoding="utf-8", newline="\n") as out:
            text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None)
            for line_no, line in enumerate(text):
                if line_no % 5000 == 0:
                    check(cancel)
                    on_progress(raw.tell(), size, _("Tokenising: {line_no:,} lines, {n_tokens:,} tokens").format(
                        line_no=line_no, n_tokens=n_tokens))
                replaced += line.count("\ufffd")
                tokens = tokenize(line)
                if not tokens:
                    empty += 1
                    continue
                counts.update(tokens)
                n_tokens += len(tokens)
                if len(tokens) > MAX_TOKENS_PER_LINE:
                    wrapped += 1
                for start in range(0, len(tokens), MAX_TOKENS_PER_LINE):
                    chunk = " ".join(tokens[start:start + MAX_TOKENS_PER_LINE]) + "\n"
                    out.write(chunk)
                    digest.update(chunk.encode("utf-8"))
                    n_lines += 1
        if n_tokens == 0:
            if kind == "ids":
                raise EmptyCorpusError(N_("No tokens were found with the '{kind}' tokeniser. "
                                          "Is this really item IDs separated by spaces?"), kind=kind)
            raise EmptyCorpusError(N_("No tokens were found with the '{kind}' tokeniser. "
                                      "Check the file's language and the tokeniser choice."), kind=kind)
        os.replace(tmp_path, final_path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    on_progress(size, size, _("Tokenised {n_lines:,} lines, {n_tokens:,} tokens, {n_types:,} types").format(
        n_lines=n_lines, n_tokens=n_tokens, n_types=len(counts)))
    stats = _stats(counts, n_lines, n_tokens, empty, wrapped, replaced)
    return PreparedCorpus(final_path, digest.hexdigest(), n_lines, n_tokens, name or source.name, kind,
                          params.lowercase, encoding, stats)


def _stats(counts: Counter[str], n_lines: int, n_tokens: int, empty: int, wrapped: int, replaced: int) -> CorpusStats:
    frequencies = np.array(sorted(counts.values(), reverse=True), dtype=np.int64)
    ranks = np.unique(np.geomspace(1, len(frequencies), num=min(ZIPF_POINTS, len(frequencies))).astype(np.int64))
    values, n_types = np.unique(frequencies, return_counts=True)
    return CorpusStats(
        n_lines=n_lines, n_tokens=n_tokens, n_types=len(counts),
        top_words=[(w, int(c)) for w, c in counts.most_common(TOP_WORDS_KEPT)],
        zipf_ranks=ranks.tolist(), zipf_counts=frequencies[ranks - 1].tolist(),
        count_histogram={int(v): int(n) for v, n in zip(values, n_types)},
        empty_lines=empty, wrapped_lines=wrapped, replaced_characters=replaced,
    )
