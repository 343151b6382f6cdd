"""Layering: the library never imports streamlit; only embedlab.ui, app.py and pages/ do."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import embedlab

REPO = Path(__file__).resolve().parent.parent


def library_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(embedlab.__path__, "embedlab.")]
    return [n for n in names if not n.startswith("embedlab.ui") and n != "embedlab.__main__"]


def test_library_modules_do_not_import_streamlit() -> None:
    modules = library_modules()
    assert "embedlab.corpus" in modules and "embedlab.train.word2vec" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print(','.join(leaked))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"streamlit imported by the library: {out.stdout}"


def test_no_pickle_loading_anywhere() -> None:
    offenders = []
    for path in [*REPO.joinpath("embedlab").rglob("*.py"), REPO / "app.py", *REPO.joinpath("pages").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for needle in ("pickle.load", "allow_pickle=True", "Word2Vec.load(", "KeyedVectors.load(", "FastText.load("):
            if needle in text:
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert offenders == []
