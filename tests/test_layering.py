"""Layering: the library never imports streamlit; only embedlab.ui, app.py and pages/ do."""

from __future__ import annotations

import ast
import pkgutil
import re
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


# -- the three floors: maths, store, workflows ----------------------------------------------------

#: pure maths: takes vectors, returns values; never the store, the trainers or the workflows
MATHS = re.compile(r"\.(search\w*|analogy|projection|agreement|compare|clusters|scoring\w*|vectors|subword|ann|density|fullmap)$")
STORE_OR_TRAINERS = re.compile(r"\.(workspace|train|store|workflows?)(\.|$)")


def import_graph() -> dict[str, set[str]]:
    """Module -> the embedlab modules it imports (statically, anywhere in the file, lazy imports included)."""
    files = {}
    for path in REPO.joinpath("embedlab").rglob("*.py"):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts)
        files[name.removesuffix(".__init__")] = path
    graph = {}
    for name, path in files.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {m for m in found if m in files and m != name}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for module in graph.get(todo.pop(), ()):
            if module not in seen:
                seen.add(module)
                todo.append(module)
    return seen


def test_the_import_graph_is_seen() -> None:
    graph = import_graph()
    assert "embedlab.workspace" in graph["embedlab.workflows"] and "embedlab.vectors" in graph["embedlab.search"]


def test_no_import_cycles() -> None:
    graph = import_graph()
    package = {name for name in graph if REPO.joinpath(*name.split(".")).is_dir()}  # __init__ re-exports
    cycles = sorted({" <-> ".join(sorted((a, b))) for a in graph for b in graph[a]
                     if a in reachable(graph, b) and a not in package and b not in package})
    assert cycles == []


def test_maths_never_reaches_the_store_trainers_or_workflows() -> None:
    graph = import_graph()
    maths = [name for name in graph if MATHS.search(name)]
    assert {"embedlab.search", "embedlab.analogy", "embedlab.agreement", "embedlab.projection",
            "embedlab.scoring", "embedlab.clusters"} <= set(maths)
    leaks = sorted(f"{m} -> {t}" for m in maths for t in reachable(graph, m) if STORE_OR_TRAINERS.search(t))
    assert leaks == []


def test_the_store_does_not_train_and_trainers_do_not_store() -> None:
    graph = import_graph()
    assert not {t for t in reachable(graph, "embedlab.workspace") if re.search(r"\.(train|workflows)(\.|$)", t)}
    trainers = [name for name in graph if name.startswith("embedlab.train")]
    assert not {t for m in trainers for t in reachable(graph, m) if re.search(r"\.(workspace|workflows)$", t)}
