"""Shared fixtures: isolated workspaces, and sample models trained once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from embedlab.workspace import ENV_VAR, Workspace

# The app compiles UMAP in the background on its first page view; tests that need UMAP
# compile it themselves, and the rest should not share two cores with that compile.
os.environ.setdefault("EMBEDLAB_WARM_UP", "0")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A workspace with the English sample corpus prepared (models are added by the fixtures below)."""
    from embedlab.workflows import ensure_sample_corpus

    workspace = Workspace(tmp_path_factory.mktemp("sample-workspace"))
    ensure_sample_corpus(workspace, "english")
    return workspace


def _sample_model(workspace: Workspace, algorithm: str) -> str:
    """Train (once per session) a small model of ``algorithm`` on the English sample."""
    from embedlab import config
    from embedlab.workflows import train_and_save

    for record in workspace.list_models():
        if record.algorithm == algorithm:
            return record.model_id
    corpus = workspace.list_corpora()[0]
    params = {
        "word2vec": config.Word2VecParams(epochs=5, seed=1),
        "fasttext": config.FastTextParams(epochs=5, seed=1, bucket=50_000),
        "glove": None,
    }[algorithm]
    if params is None:
        params = config.GloVeParams(epochs=15, x_max=10.0, seed=1)
    return train_and_save(workspace, algorithm, params, corpus)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """An empty workspace that the app under test uses too; Streamlit's caches start empty."""
    root = tmp_path / "workspace"
    monkeypatch.setenv(ENV_VAR, str(root))
    monkeypatch.chdir(REPO)  # AppTest resolves pages/ relative to the app
    _clear_streamlit_caches()
    return Workspace(root)


def _clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _copy_into(source: Workspace, target: Workspace, model_id: str) -> None:
    for kind in ("corpora",):
        for folder in (source.root / kind).iterdir():
            if not folder.name.startswith(".") and not (target.root / kind / folder.name).exists():
                shutil.copytree(folder, target.root / kind / folder.name)
    shutil.copytree(source.root / "models" / model_id, target.root / "models" / model_id)


@pytest.fixture
def trained_model(sample_workspace: Workspace, workspace: Workspace) -> str:
    """A Word2Vec model of the English sample, copied into this test's workspace; returns its id."""
    model_id = _sample_model(sample_workspace, "word2vec")
    _copy_into(sample_workspace, workspace, model_id)
    return model_id


@pytest.fixture
def trained_models(sample_workspace: Workspace, workspace: Workspace) -> dict[str, str]:
    """Word2Vec, FastText and GloVe (when available) on the English sample: algorithm -> model id."""
    ids = {}
    for algorithm in ("word2vec", "fasttext", "glove"):
        ids[algorithm] = _sample_model(sample_workspace, algorithm)
        _copy_into(sample_workspace, workspace, ids[algorithm])
    return ids


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests need Debian's chromium; in CI its absence is a failure, not a skip."""
    if Path("/usr/bin/chromium").exists() or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium is not installed (run `make test`, which installs it)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)
