"""Shared by the explore pages' Chinese AppTests: a small Chinese model, and the English left in a page's main area.

The model is trained once per test process (the Chinese sample, a tiny Word2Vec named in Chinese) and
copied into each test's workspace, as ``conftest.trained_model`` does for the English one. The check reads
the page's main area only: the sidebar belongs to the frame and the model picker (other areas, with tests of
their own).
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace
from typing import Any

import pytest

from embedlab.workspace import Workspace
from test_i18n_pages import english_problems, visible_texts

_source: dict[str, tuple[Workspace, str]] = {}


def chinese_model(tmp_path_factory: pytest.TempPathFactory, workspace: Workspace) -> str:
    """A Word2Vec of the Chinese sample in ``workspace`` (trained once, copied per test); returns its id."""
    if "model" not in _source:
        from embedlab import config
        from embedlab.workflows import ensure_sample_corpus, train_and_save

        source = Workspace(tmp_path_factory.mktemp("zh-explore"))
        corpus = ensure_sample_corpus(source, "chinese")
        model_id = train_and_save(source, "word2vec", config.Word2VecParams(epochs=1, seed=1, vector_size=32),
                                  corpus, name="中文词向量")
        _source["model"] = (source, model_id)
    source, model_id = _source["model"]
    for folder in (source.root / "corpora").iterdir():
        if not folder.name.startswith(".") and not (workspace.root / "corpora" / folder.name).exists():
            shutil.copytree(folder, workspace.root / "corpora" / folder.name)
    shutil.copytree(source.root / "models" / model_id, workspace.root / "models" / model_id)
    return model_id


def main_texts(at: Any) -> list[tuple[str, str]]:
    """What a reader sees in the page's main area (not the sidebar): text, labels, options, tables' and charts' titles."""
    return visible_texts(SimpleNamespace(_tree=at.main))


def english_left(at: Any) -> list[str]:
    return english_problems(main_texts(at))


def figure_titles(at: Any) -> list[str]:
    """Every chart's title, axis titles and legend names on the page (what must read in Chinese)."""
    return [text for field, text in main_texts(at) if field == "title"]
