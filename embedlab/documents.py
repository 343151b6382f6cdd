"""Documents for Doc2Vec: one document per line, optionally labelled, each with a tag a user can look up.

A line is a document. When (nearly) every line starts with a short label and a
tab (``sport<TAB>the striker scored ...``), the first column is the document's
label, used to colour the map and to judge neighbours; otherwise the whole line
is text. Each document is tagged ``doc<line number>`` (1-based, empty lines keep
their number), so a tag always leads back to its line of the file.

Tokens come from the same tokenisers as corpora (``embedlab.corpus``), so a
document model and a word model of one file see the same words.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from embedlab.categories import Categories
from embedlab.config import CorpusParams
from embedlab.errors import CorpusError, EmptyCorpusError, FileTooLargeError
from embedlab.i18n import N_

#: the largest document file read (documents are held in memory for Doc2Vec's passes)
MAX_BYTES = 500 * 1024 * 1024
#: a first column longer than this is text, not a label
MAX_LABEL_CHARS = 40
#: labels are used when at least this share of the non-empty lines has one
LABELLED_SHARE = 0.9
#: characters of each document kept to show it (titles on the map, neighbour tables)
SNIPPET_CHARS = 140
TAG_PREFIX = "doc"
#: what a documents corpus keeps beside its tokens (``PreparedCorpus.attachment``)
DOCUMENTS_FILE = "documents.tsv"
#: and how it was made (source size and digest, tokeniser), to reuse it for the same file
DOCUMENTS_FACTS = "documents.json"


@dataclass(frozen=True)
class Documents:
    """Tagged, tokenised documents with their labels (when the file has them) and a snippet each."""

    tags: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...] | None
    snippets: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.tags)

    @property
    def n_tokens(self) -> int:
        return sum(len(t) for t in self.tokens)

    def categories(self, source: str = "the document file") -> Categories:
        """Label and snippet per tag, as the Map, Neighbours and Compare pages read item tables."""
        mapping = dict(zip(self.tags, self.labels)) if self.labels is not None else {t: "" for t in self.tags}
        return Categories(source, "label", mapping, dict(zip(self.tags, self.snippets)))

    def table_csv(self) -> str:
        """``id,title,category`` (the label) per document (what ``embedlab.categories.from_csv`` reads back)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "title", "category"])  # "category": the column the map colours by
        labels = self.labels or ("",) * len(self)
        writer.writerows(zip(self.tags, self.snippets, labels))
        return buffer.getvalue()


def _split_label(line: str) -> tuple[str, str] | None:
    if "\t" not in line:
        return None
    label, text = line.split("\t", 1)
    label = label.strip()
    if not label or len(label) > MAX_LABEL_CHARS or not text.strip():
        return None
    return label, text.strip()


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS - 1].rstrip() + "…"


def parse_documents(text: str, params: CorpusParams = CorpusParams("words"), labels: bool | None = None) -> Documents:
    """Split ``text`` into documents; ``labels=None`` detects a label column, True/False forces it."""
    from embedlab.corpus import guess_tokenizer, make_tokenizer

    lines = text.splitlines()
    non_empty = [line for line in lines if line.strip()]
    if not non_empty:
        raise EmptyCorpusError(N_("The document file is empty. Put one document per line, optionally starting with a "
                                  "label and a tab (e.g. 'sport<TAB>the striker scored in the final')."))
    if labels is None:
        labels = sum(_split_label(line) is not None for line in non_empty) >= LABELLED_SHARE * len(non_empty)
    kind = params.tokenizer if params.tokenizer != "auto" else guess_tokenizer("\n".join(non_empty[:2000]))
    tokenize = make_tokenizer(kind, params.lowercase)
    tags, tokens, found_labels, snippets = [], [], [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        label, body = "", line
        if labels:
            split = _split_label(line)
            if split is not None:
                label, body = split
        words = tuple(tokenize(body))
        if not words:
            continue
        tags.append(f"{TAG_PREFIX}{number}")
        tokens.append(words)
        found_labels.append(label)
        snippets.append(_snippet(body))
    if not tags:
        raise EmptyCorpusError(N_("No document has a single word after tokenising. Check the file and the tokeniser."))
    return Documents(tuple(tags), tuple(tokens), tuple(found_labels) if labels else None, tuple(snippets))


def read_documents(path: Path | str, params: CorpusParams = CorpusParams("words"),
                   labels: bool | None = None) -> Documents:
    """Read a document file (encoding detected as for corpora) and parse it."""
    from embedlab.corpus import detect_encoding

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FileTooLargeError(N_("The document file is {size_mb:,.0f} MB; Doc2Vec here reads at most "
                                   "{max_mb} MB."), size_mb=size / 1024**2, max_mb=MAX_BYTES // 1024**2)
    data = path.read_bytes()
    try:
        encoding = detect_encoding(data[:256 * 1024])
    except CorpusError:
        raise
    return parse_documents(data.decode(encoding, errors="replace"), params, labels)


def tokenize_query(text: str, params: CorpusParams = CorpusParams("words")) -> list[str]:
    """New text typed by a user, tokenised like the documents (for inferring its vector)."""
    from embedlab.corpus import guess_tokenizer, make_tokenizer

    kind = params.tokenizer if params.tokenizer != "auto" else guess_tokenizer(text)
    return list(make_tokenizer(kind, params.lowercase)(text))


def label_agreement(tags: Sequence[str], neighbours: Sequence[Sequence[str]], labels: dict[str, str]) -> float:
    """Share of neighbours that carry their query document's label (how well the space groups labels)."""
    same = total = 0
    for tag, found in zip(tags, neighbours):
        for other in found:
            total += 1
            same += labels.get(other) == labels.get(tag)
    return same / total if total else 0.0


def to_tsv(docs: Documents) -> str:
    """Documents as stored beside a corpus: ``tag<TAB>label<TAB>snippet<TAB>tokens`` a line, with a header.

    Tabs and newlines cannot occur inside the fields: tokens never hold white space, and snippets and
    labels have their white space collapsed when parsed.
    """
    labels = docs.labels or ("",) * len(docs)
    lines = ["tag\tlabel\tsnippet\ttokens\n"]
    for tag, label, snippet, tokens in zip(docs.tags, labels, docs.snippets, docs.tokens):
        lines.append(f"{tag}\t{' '.join(label.split())}\t{' '.join(snippet.split())}\t{' '.join(tokens)}\n")
    return "".join(lines)


def from_tsv(text: str, labelled: bool | None = None) -> Documents:
    """Read back ``to_tsv``; ``labelled`` None: labelled when any document has a label."""
    rows = [line.split("\t", 3) for line in text.splitlines()[1:] if line]
    if not rows or any(len(r) != 4 for r in rows):
        raise CorpusError(N_("The stored documents file is damaged; prepare the documents again."))
    labels = tuple(r[1] for r in rows)
    if labelled is None:
        labelled = any(labels)
    return Documents(tuple(r[0] for r in rows), tuple(tuple(r[3].split()) for r in rows),
                     labels if labelled else None, tuple(r[2] for r in rows))


def from_token_lines(lines: Iterable[Sequence[str]]) -> Documents:
    """Any tokenised corpus as unlabelled documents: line n of the token file is ``line<n>``."""
    tags, tokens, snippets = [], [], []
    for number, words in enumerate(lines, start=1):
        if not words:
            continue
        tags.append(f"line{number}")
        tokens.append(tuple(words))
        snippets.append(_snippet(" ".join(words)))
    if not tags:
        raise EmptyCorpusError(N_("The corpus has no documents with words."))
    return Documents(tuple(tags), tuple(tokens), None, tuple(snippets))


def corpus_documents(corpus) -> Documents:  # noqa: ANN001 - a PreparedCorpus
    """The documents of a corpus: its attached documents, or every line of its token file as one."""
    stored = corpus.attachment(DOCUMENTS_FILE)
    if stored is not None:
        return from_tsv(stored.read_text(encoding="utf-8"))
    return from_token_lines(corpus.sentences())
