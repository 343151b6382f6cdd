"""Word -> category tables for colouring the map (e.g. each product ID's category).

Read from CSV only, with pandas' C parser and every column as text: nothing is
evaluated or unpickled. The word column is called ``word`` or ``id`` (any case);
the category column is chosen by the caller or guessed (``category`` if present,
else the first other column).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container

import pandas as pd

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, _
from embedlab.textsafe import md

#: an uploaded table bigger than this is not a category list
MAX_BYTES = 50 * 1024 * 1024
WORD_COLUMNS = ("word", "id", "item", "token")
TITLE_COLUMNS = ("title", "name", "label", "description")
#: the key of ``annotations``' title column (ours, not the CSV's: a view shows it in the reader's language)
TITLE = "title"


@dataclass(frozen=True)
class Categories:
    """Where the table came from, which column, and the mapping itself."""

    source: str
    column: str
    mapping: dict[str, str]
    #: a readable name per word when the table has a title/name column (product titles for item IDs)
    titles: dict[str, str] = field(default_factory=dict)

    def labels(self, words: list[str], missing: str) -> list[str]:
        return [self.mapping.get(w, missing) for w in words]

    def coverage(self, words: list[str]) -> float:
        return sum(w in self.mapping for w in words) / len(words) if words else 0.0

    def describe(self, word: str) -> str | None:
        """One line saying what ``word`` is (Markdown), or None when the table does not list it."""
        if word not in self.mapping:
            return None
        title = self.titles.get(word)
        # every part is the user's data: escaped; the emphasis and the "(from …)" are ours, in the reader's language
        return (f"**{md(word)}**{': ' + md(title) if title else ''} · {md(self.column)} *{md(self.mapping[word])}* "
                + _("(from {file})").format(file=md(self.source)))

    def find_by_title(self, text: str, known: Container[str], limit: int = 5) -> list[str]:
        """Words (among ``known``) whose title contains ``text``, case-insensitive: "mouse" -> the mice's IDs.

        Lets someone who types a product name instead of its ID reach the item.
        """
        needle = text.strip().casefold()
        if not needle:
            return []
        found = [w for w, title in self.titles.items() if needle in title.casefold() and w in known]
        return found[:limit]

    def annotations(self, words: list[str]) -> dict[str, list[str]]:
        """Table columns that say what each word is: its title (when the table has titles) and its category.

        Item IDs such as ``P0172`` mean nothing to a reader; beside them, a title and a
        category make a neighbour list checkable at a glance. Words without an entry get "".
        """
        columns = {TITLE: [self.titles.get(w, "") for w in words]} if self.titles else {}
        columns[self.column] = [self.mapping.get(w, "") for w in words]
        return columns


def read_table(data: bytes) -> pd.DataFrame:
    """A CSV (comma, semicolon or tab separated; UTF-8/16, GB18030 or Latin-1, detected) as a text-only table."""
    if len(data) > MAX_BYTES:
        raise EmbedlabError(N_("The category file is larger than {max_mb} MB."), max_mb=MAX_BYTES // 1024**2)
    from embedlab.corpus import detect_encoding  # the corpus reader's encoding detection and binary checks

    try:
        encoding = detect_encoding(data[:256 * 1024])
    except EmbedlabError as error:
        raise EmbedlabError(N_("The category file is not a text CSV file: {error}"), error=error) from None
    text = data.decode(encoding, errors="replace")
    first = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=first.count)
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise EmbedlabError(N_("The category file could not be read as CSV: {error}"), error=error) from None
    if table.shape[1] < 2 or table.empty:
        raise EmbedlabError(N_("The category file needs a header row and at least two columns: a word (or id) and a category."))
    table.columns = [str(c).strip() for c in table.columns]
    return table


def word_column(table: pd.DataFrame) -> str:
    by_lower = {c.lower(): c for c in table.columns}
    for name in WORD_COLUMNS:
        if name in by_lower:
            return by_lower[name]
    raise EmbedlabError(N_("The category file needs a column named one of {word_columns}; "
                           "it has {columns}."), word_columns=', '.join(WORD_COLUMNS), columns=', '.join(table.columns))


def category_columns(table: pd.DataFrame) -> list[str]:
    """Columns that could be categories: not the word column, with fewer distinct values than rows."""
    key = word_column(table)
    others = [c for c in table.columns if c != key]
    preferred = sorted(others, key=lambda c: (c.lower() != "category", table[c].nunique() >= len(table)))
    return preferred


def from_table(table: pd.DataFrame, source: str, column: str | None = None) -> Categories:
    """The word -> category mapping of ``column`` (default: the likeliest category column)."""
    key = word_column(table)
    column = column or category_columns(table)[0]
    if column not in table.columns or column == key:
        raise EmbedlabError(N_("There is no category column {column!r} in the file."), column=column)
    mapping = {str(w).strip(): str(c).strip() for w, c in zip(table[key], table[column]) if str(w).strip()}
    by_lower = {c.lower(): c for c in table.columns}
    title_column = next((by_lower[n] for n in TITLE_COLUMNS if n in by_lower and by_lower[n] not in (key, column)), None)
    titles = {} if title_column is None else {
        str(w).strip(): str(t).strip() for w, t in zip(table[key], table[title_column]) if str(t).strip()}
    return Categories(source, column, mapping, titles)


def from_csv(path: Path, source: str | None = None) -> Categories:
    return from_table(read_table(Path(path).read_bytes()), source or Path(path).name)
