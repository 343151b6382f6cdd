"""Keeping the translation catalogues in step with the code: extract, update, check.

``python -m embedlab.i18n_catalog update`` extracts every marked string (``_()``,
``N_()``, ``ngettext()``, ``pgettext()``) with babel, one domain per area of the app,
and merges them into ``embedlab/locale/<lang>/LC_MESSAGES/<domain>.po``: new strings
arrive untranslated, vanished ones are dropped, translations are kept.
``python -m embedlab.i18n_catalog check`` lists what is missing (the tests run the
same check). Translators edit the ``.po`` files, following ``locale/glossary.csv``.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po, write_po

from embedlab.i18n import BABEL_LOCALES, LANGUAGES, LOCALE_DIR, placeholders

REPO = Path(__file__).resolve().parent.parent
#: (domain, glob patterns relative to the repository): the first domain whose pattern matches owns a file
DOMAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("app.py", "pages/1_*.py", "pages/2_*.py", "embedlab/ui/frame.py", "embedlab/ui/language.py",
              "embedlab/ui/corpus_view.py", "embedlab/ui/train_view.py", "embedlab/ui/uploads.py",
              "embedlab/ui/forms.py", "embedlab/ui/widgets.py", "embedlab/ui/state.py", "embedlab/ui/session_memory.py",
              "embedlab/viz/corpus.py", "embedlab/viz/training.py", "embedlab/config.py", "embedlab/train/registry.py",
              "embedlab/samples.py")),
    ("models", ("pages/3_*.py", "embedlab/ui/models_view.py", "embedlab/ui/model_access.py", "embedlab/ui/jobs.py",
                "embedlab/ui/feedback.py", "embedlab/ui/actions.py", "embedlab/ui/warm_up.py",
                "embedlab/ui/classroom_view.py")),
    ("explore", ("pages/4_*.py", "pages/5_*.py", "pages/6_*.py", "pages/9_*.py", "pages/10_*.py",
                 "embedlab/ui/map_view.py", "embedlab/ui/map_faithfulness.py", "embedlab/ui/neighbours_view.py",
                 "embedlab/ui/analogies_view.py", "embedlab/ui/evidence_view.py", "embedlab/ui/density_view.py",
                 "embedlab/ui/axes_view.py", "embedlab/viz/map.py", "embedlab/viz/neighbours.py",
                 "embedlab/viz/analogy.py", "embedlab/viz/faithfulness.py", "embedlab/viz/density_map.py",
                 "embedlab/viz/axes.py")),
    ("compare", ("pages/7_*.py", "pages/8_*.py", "embedlab/ui/compare/*.py", "embedlab/ui/evaluate_view.py",
                 "embedlab/viz/compare.py", "embedlab/reports.py")),
    ("learn", ("pages/20_*.py", "embedlab/ui/lessons_view.py", "embedlab/lessons/*.py", "embedlab/viz/lessons.py")),
    ("network", ("pages/21_*.py", "pages/22_*.py", "embedlab/ui/playback_view.py", "embedlab/ui/toynet_view.py",
                 "embedlab/viz/playback.py", "embedlab/viz/toynet.py")),
    ("beyond", ("pages/3?_*.py", "embedlab/ui/beyond_view.py", "embedlab/ui/documents_view.py",
                "embedlab/ui/graphs_view.py", "embedlab/ui/recommend_view.py", "embedlab/ui/index_lab_view.py",
                "embedlab/viz/beyond.py")),
    ("core", ("embedlab/ui/*.py", "embedlab/ui/*/*.py")),  # any other view: the frame's people look after it
    ("library", ("embedlab/*.py", "embedlab/*/*.py")),
)
#: never extracted: this tool (its output is for developers)
SKIPPED = ("embedlab/i18n_catalog.py",)
GLOSSARY = LOCALE_DIR / "glossary.csv"
#: the catalogues' header dates stay put, so an update only changes lines whose messages changed
HEADER_DATE = datetime(2026, 11, 29, tzinfo=timezone.utc)


def sources() -> list[Path]:
    """Every Python file whose strings can reach a user."""
    files = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "embedlab").rglob("*.py"))]
    return [f for f in files if f.relative_to(REPO).as_posix() not in SKIPPED]


def domain_of(path: Path) -> str:
    relative = path.relative_to(REPO).as_posix()
    for domain, patterns in DOMAINS:
        if any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            return domain
    return "library"


@dataclass(frozen=True)
class Found:
    """One marked string and where it was found."""

    msgid: str | tuple[str, str]
    context: str | None
    path: str
    line: int


def extract(paths: list[Path] | None = None) -> list[Found]:
    found = []
    for path in paths if paths is not None else sources():
        relative = path.relative_to(REPO).as_posix()
        for line, message, _comments, context in extract_from_file("python", str(path), keywords=DEFAULT_KEYWORDS):
            found.append(Found(message, context, relative, line))
    return found


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=BABEL_LOCALES[language], domain=path.stem, project="embedlab",
                       copyright_holder="the embedlab authors", last_translator="the embedlab authors",
                       language_team=f"embedlab {LANGUAGES[language]}", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=BABEL_LOCALES[language], domain=path.stem)


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write a catalogue the one way both update and fill do: no line numbers, so editing a source file
    does not rewrite every entry below it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=120, sort_by_file=True, include_previous=False, include_lineno=False)


def update(only: str | None = None) -> dict[str, int]:
    """Merge the extracted strings into every language's catalogue of each domain (or of ``only``).

    Returns domain -> message count.
    """
    by_domain: dict[str, list[Found]] = {domain: [] for domain, _ in DOMAINS}
    for item in extract():
        by_domain[domain_of(REPO / item.path)].append(item)
    counts = {}
    for domain, items in by_domain.items():
        if only is not None and domain != only:
            continue
        template = Catalog(domain=domain, project="embedlab")
        for item in items:
            template.add(item.msgid, locations=[(item.path, item.line)], context=item.context)
        counts[domain] = len(template)
        for language in LANGUAGES:
            path = po_path(language, domain)
            catalog = read_catalog(path, language)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            catalog.creation_date = catalog.revision_date = HEADER_DATE
            catalog.fuzzy = False
            write_catalog(path, catalog)
    return counts


def all_messages(language: str) -> dict[tuple[str | tuple[str, str], str | None], object]:
    """(msgid, context) -> message, over every domain catalogue of ``language``."""
    merged: dict = {}
    for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        for message in read_catalog(path, language):
            if message.id:
                merged[(message.id, message.context)] = message
    return merged


def _translated(message: object) -> bool:
    string = getattr(message, "string")
    return bool(string) and (isinstance(string, str) or all(string)) and not getattr(message, "fuzzy")


def problems() -> list[str]:
    """Everything wrong with the catalogues, one line each: missing ids, empty translations, broken placeholders."""
    found = extract()
    catalogues = {language: all_messages(language) for language in LANGUAGES}
    out = []
    for item in found:
        for language, messages in catalogues.items():
            message = messages.get((item.msgid, item.context))
            if message is None:
                out.append(f"{item.path}:{item.line}: not in the {language} catalogue: {item.msgid!r}")
            elif language != "en" and not _translated(message):
                out.append(f"{item.path}:{item.line}: no {language} translation: {item.msgid!r}")
    for language, messages in catalogues.items():
        for (msgid, _context), message in messages.items():
            if not _translated(message):
                continue
            ids = msgid if isinstance(msgid, tuple) else (msgid,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set().union(*(placeholders(i) for i in ids))
            for text in strings:
                if placeholders(text) != wanted:
                    out.append(f"{language}: placeholders {sorted(placeholders(text))} in {text!r} "
                               f"differ from {sorted(wanted)} in {ids[0]!r}")
    return out


def untranslated(domain: str, language: str = "zh") -> list[str | list[str]]:
    """The msgids of ``domain`` that have no ``language`` translation yet (plural ids as [singular, plural])."""
    catalog = read_catalog(po_path(language, domain), language)
    return [list(m.id) if isinstance(m.id, tuple) else m.id for m in catalog if m.id and not _translated(m)]


def fill(domain: str, translations: dict[str, str | list[str]], language: str = "zh") -> int:
    """Write translations (msgid -> text; plural msgids keyed by the singular, valued by a list) into a catalogue.

    Returns how many messages were filled; msgids the catalogue does not hold are reported, not added.
    """
    path = po_path(language, domain)
    catalog = read_catalog(path, language)
    filled = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if not key or key not in translations:
            continue
        value = translations[key]
        message.string = tuple(value) if isinstance(message.id, tuple) else str(value)
        message.flags.discard("fuzzy")
        filled += 1
    unknown = set(translations) - {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog}
    for key in sorted(unknown):
        print(f"not in {domain}: {key!r}", file=sys.stderr)
    write_catalog(path, catalog)
    return filled


def glossary() -> list[dict[str, str]]:
    """The agreed terms: English, Chinese, and a note on when they apply."""
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row.get("en", "").strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m embedlab.i18n_catalog", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "check", "untranslated", "fill"),
                        help="update: extract and merge; check: list problems; untranslated: print a domain's "
                             "untranslated msgids as JSON; fill: write translations from a JSON file into a domain")
    parser.add_argument("--domain", choices=[domain for domain, _ in DOMAINS],
                        help="the area to work on (update: only it; untranslated and fill need it)")
    parser.add_argument("--language", default="zh", choices=list(LANGUAGES))
    parser.add_argument("file", nargs="?", help="fill: a JSON object msgid -> translation")
    args = parser.parse_intermixed_args(argv)
    if args.command in ("untranslated", "fill") and not args.domain:
        parser.error(f"{args.command} needs --domain")
    if args.command == "untranslated":
        print(json.dumps(untranslated(args.domain, args.language), ensure_ascii=False, indent=1))
        return 0
    if args.command == "fill":
        if not args.file:
            parser.error("fill needs a JSON file")
        with open(args.file, encoding="utf-8") as handle:
            print(f"{fill(args.domain, json.load(handle), args.language)} messages filled")
        return 0
    if args.command == "update":
        for domain, count in update(args.domain).items():
            print(f"{domain:10s} {count:5d} messages")
        return 0
    listed = problems()
    print("\n".join(listed) if listed else "The catalogues are complete.")
    return 1 if listed else 0


if __name__ == "__main__":
    sys.exit(main())
