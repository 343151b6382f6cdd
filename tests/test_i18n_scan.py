"""No user-visible string literal reaches a Streamlit call untranslated (a scan of the calls' syntax trees).

What counts as visible: a call's label or body (its first argument), and its ``label``, ``help``,
``placeholder``, ``text``, ``body``, ``caption``/``captions``, ``title``, ``value`` (for metrics and
text), ``tabs`` lists and literal ``options`` drawn without a ``format_func``. A string is
translated when it sits inside ``_()``, ``ngettext()`` or ``pgettext()``; literals without a
letter (icons, separators, ``{}`` templates) and the names we never translate are fine.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from embedlab.i18n_catalog import REPO, domain_of
from i18n_pending import PENDING

#: Streamlit calls whose arguments are shown to the reader
TEXT_CALLS = {
    "title", "header", "subheader", "markdown", "caption", "text", "write", "info", "warning", "error", "success",
    "toast", "button", "download_button", "form_submit_button", "link_button", "page_link", "checkbox", "toggle",
    "radio", "selectbox", "multiselect", "select_slider", "slider", "number_input", "text_input", "text_area",
    "file_uploader", "date_input", "time_input", "color_picker", "segmented_control", "pills", "feedback",
    "expander", "popover", "tabs", "metric", "progress", "spinner", "status", "dialog", "chat_input", "exception",
    "latex", "badge", "update", "form", "TextColumn", "NumberColumn", "ProgressColumn", "CheckboxColumn",
    "SelectboxColumn", "LinkColumn", "ListColumn", "BarChartColumn", "LineChartColumn", "Column", "ImageColumn",
}
#: calls whose first argument is not text a reader sees (``page_link``'s is the page's file)
FIRST_ARG_NOT_TEXT = {"form", "update", "dialog", "page_link"}
#: receivers whose ``warning``/``error``/``exception`` calls write the server log, not the page
LOGGERS = {"log", "logger", "logging", "LOG"}
VISIBLE_KEYWORDS = {"label", "help", "placeholder", "text", "body", "caption", "captions", "title", "value"}
VALUE_IS_TEXT = {"metric"}
TRANSLATORS = {"_", "gettext", "ngettext", "pgettext", "N_"}
#: names and notation that read the same in every language
UNTRANSLATED_NAMES = {
    "embedlab", "Word2Vec", "GloVe", "FastText", "UMAP", "PCA", "CBOW", "faiss", "Item2Vec", "Doc2Vec", "DeepWalk",
    "Node2Vec", "English", "Language", "HNSW", "IVF", "PQ", "OK", "jieba", "Spark", "CSV", "TSV", "JSON",
}
WORDS = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _ui_files() -> list[Path]:
    return [REPO / "app.py", *sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "embedlab" / "ui").rglob("*.py"))]


def _is_text(literal: str) -> bool:
    words = WORDS.findall(re.sub(r"\{[^{}]*\}", "", literal))
    return any(len(w) > 1 and w not in UNTRANSLATED_NAMES for w in words)


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _untranslated(node: ast.AST) -> list[ast.AST]:
    """String literals in ``node`` that show as they are (not inside a translation call)."""
    if isinstance(node, ast.Call) and _callee(node) in TRANSLATORS:
        return []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _untranslated(node.func.value) + [n for a in node.args for n in _untranslated(a)]
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) and _is_text(node.value) else []
    if isinstance(node, ast.Call):  # a helper's result (md(name), a view function): its own strings are scanned
        return [n for a in [*node.args, *(k.value for k in node.keywords)] for n in _untranslated(a)
                if not isinstance(a, ast.Constant)]
    if isinstance(node, (ast.Lambda, ast.Subscript, ast.Compare)):
        return []
    return [n for child in ast.iter_child_nodes(node) for n in _untranslated(child)]


def _streamlit_call(call: ast.Call) -> bool:
    if not (_callee(call) in TEXT_CALLS and isinstance(call.func, ast.Attribute)):
        return False
    receiver = call.func.value
    return not (isinstance(receiver, ast.Name) and receiver.id in LOGGERS)


def untranslated_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and _streamlit_call(n)):
        name = _callee(call)
        shown = [] if name in FIRST_ARG_NOT_TEXT or not call.args else [call.args[0]]
        if name in VALUE_IS_TEXT and len(call.args) > 1:
            shown.append(call.args[1])
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        shown += [v for k, v in keywords.items() if k in VISIBLE_KEYWORDS and (k != "value" or name in VALUE_IS_TEXT)]
        options = keywords.get("options", call.args[1] if len(call.args) > 1 and name != "metric" else None)
        if options is not None and "format_func" not in keywords and isinstance(options, (ast.List, ast.Tuple)):
            shown.append(options)
        for node in shown:
            for literal in _untranslated(node):
                text = literal.value if isinstance(literal, ast.Constant) else ast.unparse(literal)
                found.append(f"{path.relative_to(REPO)}:{literal.lineno}: st.{name}(... {text!r} ...)")
    return found


def _areas() -> list:
    """One case per area of the app (``i18n_catalog.DOMAINS``); an area still being translated is expected to fail."""
    files: dict[str, list[Path]] = {}
    for path in _ui_files():
        files.setdefault(domain_of(path), []).append(path)
    return [pytest.param(paths, id=domain, marks=[pytest.mark.xfail(strict=True, reason="area not translated yet")]
                         if domain in PENDING else []) for domain, paths in sorted(files.items())]


@pytest.mark.parametrize("paths", _areas())
def test_no_untranslated_literal_reaches_streamlit(paths: list[Path]) -> None:
    found = [line for path in paths for line in untranslated_literals(path)]
    assert not found, "\n".join(found)


def test_the_scan_catches_untranslated_text(tmp_path) -> None:
    probe = REPO / "embedlab" / "ui" / "_scan_probe.py"
    probe.write_text(
        'import streamlit as st\nfrom embedlab.i18n import _\n'
        'st.button("Train the model")\n'                               # caught
        'st.caption(f"{n} tokens in the corpus")\n'                    # caught: an f-string with words
        'st.caption(_("{n} tokens").format(n=3))\n'                    # translated
        'st.selectbox(_("Pick"), ["first one", "second one"])\n'      # caught: options shown as they are
        'st.selectbox(_("Pick"), ["a", "b"], format_func=str)\n'      # fine: values, drawn by a function
        'st.metric(_("Loss"), "0.5", help="How wrong the model is")\n'  # caught: help
        'st.markdown("**" + _("Note") + "**")\n'                     # fine
        'st.info("Word2Vec · UMAP")\n'                                 # fine: names
        'st.page_link("pages/2_Train.py", label=_("Train"))\n'         # fine: a page's file
        'log.exception("the job failed in its worker")\n', encoding="utf-8")  # fine: the server log
    try:
        found = untranslated_literals(probe)
    finally:
        probe.unlink()
    assert sorted({int(line.split(":")[1]) for line in found}) == [3, 4, 6, 8], found
