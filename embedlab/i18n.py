"""The interface's language: gettext catalogues in English and Simplified Chinese, and locale formatting.

Why this shape:

* **One current language, looked up when a string is shown.** Library code (figure titles,
  lesson findings, parameter help, error messages) calls ``_()`` like the UI does; the
  language comes from ``use_language()`` (jobs and tests set it) or, failing that, from a
  provider the UI registers (the Streamlit session's choice). Plain library use, the CLI
  and notebooks get English, unchanged.
* **Errors keep a stable message id.** ``EmbedlabError`` stores its English template
  (the gettext msgid) and its parameters, and renders them in the current language each
  time it is turned into text, so the same error reads in English in the CLI and in Chinese
  in a Chinese session.
* **Standard catalogues.** ``embedlab/locale/<lang>/LC_MESSAGES/<domain>.po`` files,
  extracted and updated with babel (``python -m embedlab.i18n_catalog update``). One
  domain per area of the app, so people translating different pages edit different files;
  a language's domains are merged into one ``GNUTranslations`` at first use (compiled in
  memory with babel, so no compiled ``.mo`` can go stale).
"""

from __future__ import annotations

import contextvars
import io
import numbers
import os
import string
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

#: language code -> its name in itself (what the language switch shows)
LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
#: the server's default language (``EMBEDLAB_LANG=zh``); the URL's ``?lang=`` and the sidebar override it
ENV_VAR = "EMBEDLAB_LANG"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: babel locale used to format numbers and dates in each language
BABEL_LOCALES = {"en": "en_US", "zh": "zh_Hans_CN"}

_explicit: contextvars.ContextVar[str | None] = contextvars.ContextVar("embedlab_language", default=None)
_provider: Callable[[], str | None] | None = None


def normalise(tag: str | None) -> str | None:
    """A supported language code for a language tag ('zh-CN', 'zh_Hans', 'en-GB', 'ZH'), or None.

    Every Chinese tag maps to Simplified Chinese, the only Chinese we ship: a reader of
    Traditional Chinese reads it far better than English.
    """
    if not tag:
        return None
    primary = str(tag).strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def server_default() -> str | None:
    """The language ``EMBEDLAB_LANG`` asks for (None when unset or not one we ship)."""
    return normalise(os.environ.get(ENV_VAR))


def set_language_provider(provider: Callable[[], str | None] | None) -> None:
    """Where ``current_language()`` looks when no ``use_language()`` is in force (the UI's session choice)."""
    global _provider
    _provider = provider


def current_language() -> str:
    explicit = _explicit.get()
    if explicit is not None:
        return explicit
    if _provider is not None:
        chosen = _provider()
        if chosen in LANGUAGES:
            return chosen
    return DEFAULT_LANGUAGE


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Show strings in ``language`` inside the block (a background job keeps its session's language this way)."""
    chosen = normalise(language) or DEFAULT_LANGUAGE
    token = _explicit.set(chosen)
    try:
        yield chosen
    finally:
        _explicit.reset(token)


def bind_language(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` wrapped to run in the language current now (for work handed to another thread)."""
    language = current_language()

    def bound(*args: Any, **kwargs: Any) -> Any:
        with use_language(language):
            return function(*args, **kwargs)

    return bound


# -- catalogues ------------------------------------------------------------------------------------

def catalogue_files(language: str) -> list[Path]:
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


@lru_cache(maxsize=None)
def translations(language: str) -> Any:
    """The merged catalogue of ``language`` as a ``gettext.GNUTranslations`` (``NullTranslations`` if none)."""
    import gettext

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    files = catalogue_files(language)
    if not files:
        return gettext.NullTranslations()
    merged = Catalog(locale=BABEL_LOCALES.get(language, language), domain="embedlab")
    for path in files:
        with path.open("rb") as handle:
            part = read_po(handle, locale=merged.locale)
        for message in part:
            if message.id and message.string and not message.fuzzy:
                if not isinstance(message.string, str) and not any(message.string):
                    continue
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    """``message`` in the current language (itself when the catalogue has no translation)."""
    if not message:
        return message
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated in a context, for short words that translate differently in different places."""
    return translations(current_language()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (module constants, error templates)."""
    return message


def placeholders(template: str) -> set[str]:
    """The ``{name}`` fields of a ``str.format`` template (a translation must keep exactly these)."""
    try:
        return {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field is not None}
    except ValueError:
        return set()


def render(template: str, params: dict[str, Any] | None = None) -> str:
    """``template`` translated, then formatted with ``params`` (the template's own text when it has none)."""
    translated = gettext(template)
    if not params:
        return translated
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return template.format(**params)  # a broken translation must not hide the message


class Message:
    """A message to show later, in whatever language is current then: a msgid and its parameters."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        return render(self.msgid, self.params)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        return hash(self.msgid)


class Joined:
    """Messages joined by ``separator`` when shown (several problems listed inside one error)."""

    __slots__ = ("parts", "separator")

    def __init__(self, parts: list[Any], separator: Any = "; ") -> None:
        self.parts = list(parts)
        self.separator = separator  # a str, or a Message such as Message(N_(" or "))

    def __str__(self) -> str:
        return str(self.separator).join(str(part) for part in self.parts)

    def __repr__(self) -> str:
        return f"Joined({self.parts!r}, {self.separator!r})"


# -- locale formatting -----------------------------------------------------------------------------

def babel_locale() -> str:
    return BABEL_LOCALES.get(current_language(), "en_US")


def format_number(value: float, digits: int | None = None) -> str:
    """A number with the locale's grouping and decimal signs; ``digits`` fixes the decimals."""
    from babel.numbers import format_decimal

    if digits is None:
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return format_integers([value])[0]
        return format_decimal(value, locale=babel_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def format_integers(values: Iterable[int]) -> list[str]:
    """Many integers written as ``format_number`` writes each, at a fraction of the cost.

    A map's hover text numbers every point (20,000 numbers for the default map);
    babel re-reads the locale on every call, which made it most of the Map's
    script time. Locales that group by threes (ours) only need their separator.
    """
    separator = _group_by_threes(babel_locale())
    if separator is None:
        from babel.numbers import format_decimal

        locale = babel_locale()
        return [format_decimal(int(value), locale=locale) for value in values]
    written = [f"{int(value):,}" for value in values]
    return written if separator == "," else [text.replace(",", separator) for text in written]


@lru_cache(maxsize=None)
def _group_by_threes(locale: str) -> str | None:
    """The locale's group separator if it groups integers by threes with a plain minus sign, else None."""
    from babel import Locale
    from babel.numbers import get_group_symbol, get_minus_sign_symbol

    pattern = Locale.parse(locale).decimal_formats.get(None)
    if pattern is None or pattern.grouping != (3, 3) or get_minus_sign_symbol(locale) != "-":
        return None
    return get_group_symbol(locale)


def format_percent(fraction: float, digits: int = 0) -> str:
    from babel.numbers import format_percent as babel_percent

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return babel_percent(fraction, format=pattern, locale=babel_locale())


def format_datetime(moment: datetime | float, style: str = "medium") -> str:
    """A date and time the way the locale writes it (``moment`` may be a Unix time)."""
    from babel.dates import format_datetime as babel_datetime

    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(float(moment))
    return babel_datetime(moment, format=style, locale=babel_locale())


def format_seconds(seconds: float) -> str:
    """A duration: '0.42 s', '12 s', '3 min 5 s' (and their Chinese forms)."""
    seconds = max(0.0, float(seconds))
    if seconds < 10:
        return _("{n} s").format(n=format_number(seconds, 2 if seconds < 1 else 1))
    if seconds < 60:
        return _("{n} s").format(n=format_number(round(seconds), 0))
    minutes, rest = divmod(int(round(seconds)), 60)
    return _("{m} min {s} s").format(m=format_number(minutes, 0), s=rest)
