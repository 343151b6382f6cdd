"""Run every benchmark in this folder, one subprocess each, and pass their tables through.

Usage::

    python benchmarks/run_all.py            # full sizes (minutes each)
    python benchmarks/run_all.py --quick    # small sizes where a script offers --quick
    python benchmarks/run_all.py train      # only benchmarks/train.py

A script "offers --quick" when its source defines that option; others run at their
normal size. Each runs in its own interpreter so one benchmark's imports, threads and
memory cannot skew the next. The exit code is non-zero if any benchmark failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUICK_FLAG = "--quick"


def benchmark_scripts(names: list[str] | None = None) -> list[Path]:
    """Every ``benchmarks/*.py`` except this runner (and private helpers ``_*.py``), sorted by name."""
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    if names:
        wanted = {n.removesuffix(".py") for n in names}
        unknown = wanted - {p.stem for p in scripts}
        if unknown:
            raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(p.stem for p in scripts)})")
        scripts = [p for p in scripts if p.stem in wanted]
    return scripts


def supports_quick(script: Path) -> bool:
    """Whether the script declares a ``--quick`` option (an argparse ``add_argument("--quick"...``)."""
    return re.search(r"""add_argument\(\s*["']--quick["']""", script.read_text(encoding="utf-8")) is not None


def run(script: Path, quick: bool, siblings: Sequence[Path] = ()) -> tuple[int, float]:
    """Run one benchmark with this interpreter; its output streams straight through. Returns (exit code, seconds).

    ``EMBEDLAB_RUN_ALL`` names the scripts of this run, so one that would start another (explore.py starts
    projection.py) can leave it to its own turn.
    """
    command = [sys.executable, str(script)] + ([QUICK_FLAG] if quick and supports_quick(script) else [])
    print(f"\n## {script.name}" + (" (quick)" if QUICK_FLAG in command else ""), flush=True)
    print(f"$ {' '.join([Path(command[0]).name] + [str(Path(c).relative_to(REPO)) if c == str(script) else c for c in command[1:]])}", flush=True)
    started = time.perf_counter()
    code = subprocess.call(command, cwd=REPO, env={**os.environ, "EMBEDLAB_RUN_ALL": ",".join(p.stem for p in siblings)})
    return code, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. train compare")
    parser.add_argument(QUICK_FLAG, action="store_true", help="pass --quick to every script that supports it")
    args = parser.parse_args(argv)

    scripts = benchmark_scripts(args.names)
    results = [(script, *run(script, args.quick, scripts)) for script in scripts]
    print("\n## summary\n| benchmark | result | seconds |\n|---|---|---|")
    for script, code, seconds in results:
        print(f"| {script.name} | {'ok' if code == 0 else f'failed (exit {code})'} | {seconds:.1f} |")
    failed = sum(code != 0 for _, code, _ in results)
    print(f"| **all {len(results)}** | {f'{failed} failed' if failed else 'ok'} | {sum(s for *_, s in results):.1f} |")
    print(f"\nLoad average (1, 5, 15 min) at the end: {tuple(round(x, 2) for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores.")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
