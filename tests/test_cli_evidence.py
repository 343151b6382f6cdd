"""`embedlab concordance` and `embedlab why` on the command line, and the layering of the evidence modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from embedlab.cli import main
from embedlab.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent


def test_concordance_prints_lines_with_the_word_bracketed(workspace: Workspace, trained_model: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = str(workspace.root)
    assert main(["--workspace", root, "concordance", "Queen", "-n", "3", "--sort", "right", "--width", "4"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 3 and all("[queen]" in line for line in lines)
    assert "'queen' in English sample (planted relations): 690 occurrences on 690 lines" in err
    assert "showing 1-3" in err
    assert main(["--workspace", root, "kwic", "queen", "-n", "2", "--offset", "689"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1  # the last page holds the one line left
    assert main(["--workspace", root, "concordance", "quen"]) == 1
    assert "embedlab: error: 'quen' does not occur in this corpus. Corpus words starting like it: queen" in capsys.readouterr().err


def test_why_lists_shared_contexts_with_counts(workspace: Workspace, trained_model: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--workspace", str(workspace.root), "why", "king", "queen", "-n", "5"]) == 0
    out, err = capsys.readouterr()
    header = out.splitlines()[0].split()
    assert header == ["context", "count", "with", "king", "with", "queen", "pmi", "king", "pmi", "queen", "score"]
    assert len(out.splitlines()) == 7
    assert "cosine similarity in" in err and "share" in err and "(756 times)" in err
    assert "coronation" in out or "crown" in out  # the planted royal contexts
    assert main(["--workspace", str(workspace.root), "why", "king", "king"]) == 1
    assert "two different words" in capsys.readouterr().err


def test_why_shows_glove_entries_for_a_glove_model(workspace: Workspace, trained_models: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "embedlab", "--workspace", str(workspace.root), "why", "man", "woman",
                           "--model", trained_models["glove"], "-n", "4", "--by", "count"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "GloVe co-occurrence entries (1/distance weights, window 10)" in done.stderr
    tables = done.stdout.split("\n\n")
    assert len(tables) == 2 and tables[1].splitlines()[0].split()[:4] == ["context", "X", "man", "X"]


def test_evidence_maths_never_imports_the_store_or_trainers() -> None:
    code = ("import sys\n"
            "import embedlab.concordance, embedlab.shared_contexts, embedlab.faithfulness, embedlab.axes\n"
            "import embedlab.viz.axes, embedlab.viz.faithfulness\n"
            "print(','.join(sorted(m for m in sys.modules if m in ('embedlab.workspace', 'embedlab.workflows', "
            "'streamlit') "
            "or m.startswith('embedlab.train'))))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
