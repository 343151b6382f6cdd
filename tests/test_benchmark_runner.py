"""`make bench` runs benchmarks/run_all.py: it must find every benchmark and pass --quick only where offered."""

from __future__ import annotations

import importlib.util
import os
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


def load_benchmark(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_quick_glove_benchmark_without_the_reference_claims_no_ratio(tmp_path: Path) -> None:
    """A fresh clone: no ../shared corpus, no Stanford C. The generated corpus answers no analogy: 'n/a', no crash."""
    env = {k: v for k, v in os.environ.items() if k != "EMBEDLAB_GLOVE_C"}
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "glove.py"), "--quick"], capture_output=True,
                          text=True, timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "Stanford C was not run" in out and "no ratio is claimed" in out
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.strip().strip("|").split("|")]
            for line in out.splitlines() if line.startswith("| ") and "---" not in line and "| measure |" not in line}
    assert rows["analogy accuracy (3CosAdd, restrict 30k)"][1] == "n/a"
    assert all(cells[3] == "" for cells in rows.values())  # no ratio without a baseline from this run
    assert float(rows["**end to end** (tokens file → vectors)"][1].split()[0]) > 0
    assert "numba compiles for" in out


def test_glove_benchmark_names_a_reference_folder_without_programs(tmp_path: Path) -> None:
    bench = load_benchmark("glove")
    with pytest.raises(SystemExit, match="no built vocab_count"):
        bench.reference_programs(tmp_path)
    built = tmp_path / "build"
    built.mkdir()
    for name in bench.C_PROGRAMS:
        (built / name).write_text("#!/bin/sh\n")
        (built / name).chmod(0o755)
    assert bench.reference_programs(tmp_path)["glove"] == built / "glove"


def test_glove_table_puts_ratios_only_beside_a_measured_reference() -> None:
    bench = load_benchmark("glove")
    ours = [bench.Run("embedlab", s, {"vocabulary": 0.5, "co-occurrence": 2.0, "training": 15.0}, [1.0] * 15, 18.0,
                      analogy=None, ws353=0.38) for s in (1, 2)]
    theirs = [bench.Run("Stanford C", s, {"vocabulary": 0.4, "co-occurrence": 5.0, "shuffle": 5.0, "training": 190.0},
                        [12.0, 13.0], 200.0, analogy=0.07, ws353=0.39) for s in (1, 2)]
    rows = {r[0]: r for r in bench.rows_for(ours, theirs, remembered=False)}
    end = rows["**end to end** (tokens file → vectors)"]
    assert end[1] == "18.00 s" and end[2] == "200 s" and "0.09×" in end[3]
    assert rows["analogy accuracy (3CosAdd, restrict 30k)"][1:3] == ("n/a", "7.0%")
    assert rows["seconds per iteration: mean (min-max over every iteration of every seed)"][2] == "12.50 s (12.00 s-13.00 s)"
    alone = {r[0]: r for r in bench.rows_for(ours, None, remembered=True)}
    assert all(r[3] == "" for r in alone.values()) and "(remembered)" in alone["**end to end** (tokens file → vectors)"][2]
    assert all(r[2] == "" for r in bench.rows_for(ours, None, remembered=False))


def test_the_shared_corpus_is_found_from_a_worktree_and_absent_in_a_fresh_clone(tmp_path: Path) -> None:
    """benchmarks/_data.py: ../shared next to the checkout, or next to a folder above it (ROOT/wt/NAME finds
    ROOT/shared); the environment variable names another file or 'none'; a named file that is missing is an error."""
    data = load_benchmark("_data")
    head = tmp_path / "root" / "shared" / "data" / data.NAME
    head.parent.mkdir(parents=True)
    head.write_text("anarchism originated as a term of abuse\n", encoding="utf-8")
    beside, worktree, clone = tmp_path / "root" / "embedlab", tmp_path / "root" / "wt" / "x", tmp_path / "fresh" / "embedlab"
    for repo in (beside, worktree, clone):
        repo.mkdir(parents=True)
    assert data.text8_head(beside, environ={}) == head
    assert data.text8_head(worktree, environ={}) == head
    assert data.text8_head(clone, environ={}) is None
    other = tmp_path / "other.txt"
    other.write_text("a b c\n", encoding="utf-8")
    assert data.text8_head(clone, environ={data.ENV_VAR: str(other)}) == other
    assert data.text8_head(worktree, environ={data.ENV_VAR: "none"}) is None
    with pytest.raises(SystemExit, match="is not a file"):
        data.text8_head(worktree, environ={data.ENV_VAR: str(tmp_path / "missing.txt")})


def test_no_benchmark_looks_for_data_on_its_own() -> None:
    """Every script finds the shared corpus through _data.py, never through a path of its own."""
    for script in (REPO / "benchmarks").glob("*.py"):
        if script.name == "_data.py":
            continue
        text = script.read_text(encoding="utf-8")
        assert "/work/" not in text and '/ "shared"' not in text and "shared/data/text8" not in text, script.name


def test_the_scale_benchmark_s_explore_step_reports_in_json(tmp_path: Path) -> None:
    """`make bench` runs scale.py's phases in child processes that answer in JSON; a map description that is not
    a plain string broke the whole benchmark once. A tiny model walks every phase in seconds."""
    import json

    from embedlab.io.importer import import_vectors
    from embedlab.workspace import Workspace

    scale = load_benchmark("scale")
    scale.write_word2vec_binary(tmp_path / "vectors.bin", 2_000, 16)
    imported = import_vectors(Workspace(tmp_path / "ws"), tmp_path / "vectors.bin")
    (tmp_path / "import.json").write_text(json.dumps({"model_id": imported.model_id}))
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "scale.py"), "--step", "explore", "--work",
                           str(tmp_path), "--points", "600", "--fit", "200"], capture_output=True, text=True,
                          timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["umap_description"].startswith("UMAP") and result["open_s"] >= 0
