"""`make bench` runs benchmarks/run_all.py: it must find every benchmark and pass --quick only where offered."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def load_runner():
    spec = importlib.util.spec_from_file_location("run_all", REPO / "benchmarks" / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_but_the_runner_is_found() -> None:
    runner = load_runner()
    names = [p.name for p in runner.benchmark_scripts()]
    assert "run_all.py" not in names
    assert "train.py" in names and names == sorted(names)
    assert [p.name for p in runner.benchmark_scripts(["train"])] == ["train.py"]
    with pytest.raises(SystemExit, match="no such benchmark"):
        runner.benchmark_scripts(["no_such_benchmark"])


def test_quick_flag_is_detected_from_the_script(tmp_path: Path) -> None:
    runner = load_runner()
    assert runner.supports_quick(REPO / "benchmarks" / "train.py")
    plain = tmp_path / "plain.py"
    plain.write_text("import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--runs')\n")
    assert not runner.supports_quick(plain)


def test_quick_train_benchmark_prints_its_table() -> None:
    """The quick run trains on gensim's small Lee corpus: a few seconds, and the word counts must match."""
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "train.py"), "--quick", "--only", "cbow"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    [header] = [line for line in out.splitlines() if line.startswith("| model")]
    [row] = [line for line in out.splitlines() if line.startswith("| cbow")]
    table = dict(zip([c.strip() for c in header.strip("|").split("|")], [c.strip() for c in row.strip("|").split("|")]))
    assert table["raw words gensim"] == table["raw words embedlab"]
    assert int(table["raw words embedlab"].replace(",", "")) > 0
    assert float(table["speed ratio"]) > 0 and float(table["CPU ratio"]) > 0
