"""The language machinery: catalogues, the current language, translatable errors, locale formats, the glossary."""

from __future__ import annotations

import re
import threading

import pytest

from embedlab import i18n, i18n_catalog
from embedlab.errors import CorpusError, EmbedlabError, UnknownWordError
from embedlab.i18n import N_, Message, _, use_language


def test_english_is_the_default_and_chinese_is_looked_up() -> None:
    assert i18n.current_language() == "en"
    assert _("Map") == "Map"
    with use_language("zh"):
        assert _("Map") == "地图"
        assert _("a sentence nobody translated") == "a sentence nobody translated"
    assert _("Map") == "Map"


@pytest.mark.parametrize("tag, expected", [("zh-CN", "zh"), ("zh_Hans_CN", "zh"), ("zh-TW", "zh"), ("ZH", "zh"),
                                           ("en-GB", "en"), ("en", "en"), ("fr-FR", None), ("", None), (None, None)])
def test_browser_language_tags_map_to_what_we_ship(tag, expected) -> None:
    assert i18n.normalise(tag) == expected


def test_server_default_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(i18n.ENV_VAR, "zh_CN")
    assert i18n.server_default() == "zh"
    monkeypatch.setenv(i18n.ENV_VAR, "klingon")
    assert i18n.server_default() is None


def test_a_thread_keeps_its_own_language() -> None:
    """A background job runs in its session's language while another session's thread reads English."""
    seen = {}
    ready, release = threading.Event(), threading.Event()

    def job() -> None:
        with use_language("zh"):
            ready.set()
            release.wait(5)
            seen["job"] = _("Map")

    worker = threading.Thread(target=job)
    worker.start()
    ready.wait(5)
    seen["main"] = _("Map")
    release.set()
    worker.join(5)
    assert seen == {"job": "地图", "main": "Map"}


def test_bind_language_carries_the_language_into_another_thread() -> None:
    with use_language("zh"):
        bound = i18n.bind_language(lambda: _("Map"))
    out = []
    thread = threading.Thread(target=lambda: out.append(bound()))
    thread.start()
    thread.join(5)
    assert out == ["地图"]


def test_an_error_keeps_a_stable_id_and_reads_in_the_current_language() -> None:
    error = UnknownWordError("国玉", ["国王"])
    assert error.message_id == "'{word}' is not in this model's vocabulary. Closest known spellings: {suggestions}."
    assert error.params == {"word": "国玉", "suggestions": "国王"}
    assert str(error) == "'国玉' is not in this model's vocabulary. Closest known spellings: 国王."
    with use_language("zh"):
        assert str(error) == "“国玉”不在这个模型的词表中。最接近的已知拼写：国王。"


def test_an_error_with_a_plain_message_is_shown_as_it_is() -> None:
    """Braces in a message without parameters (a user's file name) are text, not a template."""
    assert str(CorpusError("cannot read {weird}.txt")) == "cannot read {weird}.txt"
    assert str(EmbedlabError(N_("Cancelled by the user; nothing was saved from this run."))).startswith("Cancelled")


def test_a_broken_translation_falls_back_to_english(monkeypatch) -> None:
    class Broken:
        def gettext(self, message):
            return "坏的 {missing}"

    monkeypatch.setattr(i18n, "translations", lambda language: Broken())
    assert i18n.render("{word} here", {"word": "x"}) == "x here"


def test_lazy_messages_render_when_shown() -> None:
    message = Message("{title}: done", title="国王")
    assert str(message) == "国王: done"
    with use_language("zh"):
        assert str(message) == "国王：完成"


def test_numbers_and_durations_follow_the_locale() -> None:
    assert i18n.format_number(1234567) == "1,234,567"
    assert i18n.format_number(0.5, 2) == "0.50"
    assert i18n.format_percent(0.456, 1) == "45.6%"
    assert i18n.format_seconds(125) == "2 min 5 s"
    with use_language("zh"):
        assert i18n.format_seconds(125) == "2 分 5 秒"
        assert i18n.format_seconds(3.25) == "3.2 秒" or i18n.format_seconds(3.25) == "3.3 秒"


# -- the catalogues ----------------------------------------------------------------------------------

def test_every_marked_string_is_in_both_catalogues_and_translated() -> None:
    """Every msgid the code uses is in the English and Chinese catalogues, and has its Chinese translation,
    with the same ``{placeholders}`` (run ``python -m embedlab.i18n_catalog update`` and translate)."""
    problems = i18n_catalog.problems()
    assert not problems, "\n".join(problems[:40]) + f"\n... {len(problems)} problems in all"


def test_the_check_finds_a_missing_translation(tmp_path, monkeypatch) -> None:
    source = i18n_catalog.REPO / "embedlab" / "ui" / "_i18n_probe.py"
    source.write_text('from embedlab.i18n import _\nLABEL = _("A sentence no catalogue has")\n', encoding="utf-8")
    try:
        problems = i18n_catalog.problems()
    finally:
        source.unlink()
    assert any("A sentence no catalogue has" in p and "not in the zh catalogue" in p for p in problems)


def _glossary_hits(text: str, term: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(term)}(?:s|es)?(?![A-Za-z])", text, re.IGNORECASE) is not None


def test_translations_follow_the_glossary() -> None:
    """Where an English message uses a glossary term, its Chinese uses the glossary's Chinese term."""
    terms = [(row["en"], row["zh"]) for row in i18n_catalog.glossary() if row["en"] != row["zh"]]
    assert len(terms) >= 30
    off = []
    for (msgid, _context), message in i18n_catalog.all_messages("zh").items():
        english = re.sub(r"\{[^{}]*\}", "", msgid[0] if isinstance(msgid, tuple) else msgid)  # not placeholder names
        chinese = message.string[0] if isinstance(message.string, tuple) else message.string
        if not chinese:
            continue
        for en, zh in terms:
            if _glossary_hits(english, en) and zh not in chinese:
                off.append(f"{en!r} -> {zh!r} in {english!r}: {chinese!r}")
    assert not off, "\n".join(off[:40])


def test_a_message_has_one_translation_across_areas() -> None:
    """The areas' catalogues are merged into one: a msgid (in one context) that two areas translate differently
    would read one way or the other depending on file order. Give it one wording, or a context (``pgettext``)."""
    by_id: dict = {}
    for path in sorted((i18n.LOCALE_DIR / "zh" / "LC_MESSAGES").glob("*.po")):
        for message in i18n_catalog.read_catalog(path, "zh"):
            if message.id and message.string:
                by_id.setdefault((message.id, message.context), {})[path.stem] = message.string
    differing = {key: areas for key, areas in by_id.items() if len(set(areas.values())) > 1}
    assert not differing, "\n".join(f"{key[0]!r}: {areas}" for key, areas in differing.items())


@pytest.mark.parametrize("language", ["en", "zh"])
def test_format_integers_writes_what_babel_writes(language):
    # the map numbers 20,000 points through the fast path: it must be babel's text, in every language we ship
    from babel.numbers import format_decimal

    import numpy as np

    from embedlab.i18n import babel_locale, format_integers, format_number

    values = [0, 7, -7, 999, 1000, -1000, 12345, 1234567, -98765432, 10**12 + 5]
    with use_language(language):
        expected = [format_decimal(v, locale=babel_locale()) for v in values]
        assert format_integers(values) == expected
        assert format_integers(np.array(values, dtype=np.int64).tolist()) == expected
        assert [format_number(np.int64(v)) for v in values] == expected
        assert format_number(1234.5) == format_decimal(1234.5, locale=babel_locale())
