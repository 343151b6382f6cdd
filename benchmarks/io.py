"""Loading pretrained vectors: embedlab's import against gensim's ``load_word2vec_format``.

Usage::

    python benchmarks/io.py                        # 400k x 300 GloVe-style text (~1 GB, generated)
    python benchmarks/io.py --quick                # 50k x 100 (seconds)
    python benchmarks/io.py --rows 100000 --dims 200
    python benchmarks/io.py --skip-gensim          # only embedlab's first and cached loads

A GloVe-style file (no header, ``word v1 ... vD`` with 5 decimals, as glove.6B) is
generated in a temporary folder, read once so every run finds it in the page
cache, then each load runs in a fresh subprocess so its peak RSS (``VmHWM``) is its own:

* **gensim**: ``KeyedVectors.load_word2vec_format(path, no_header=True)``;
* **embedlab, first load**: ``embedlab.io.import_vectors`` into an empty workspace
  (parse, normalise, save the memory-mappable arrays);
* **embedlab, cached load**: the same call again: it finds the earlier import by
  the file's signature and memory-maps it; then one neighbour query, which touches
  every row (the cost a page pays on its first query).

Goals (issue 6): first load <= gensim's time; cached load <= 2 s; peak RSS <= 2x the
float32 matrix. Timings on a shared 2-core machine are noisy: compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
ROWS_PER_BLOCK = 20_000

#: the code each measured load runs in its own process; prints one JSON line
CHILD = r"""
import json, sys, time
sys.path.insert(0, {repo!r})

def peak_mb():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec, so a child would report its parent's peak
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

kind, path, root = sys.argv[1], sys.argv[2], sys.argv[3]
if kind == "gensim":
    from gensim.models import KeyedVectors
else:
    from embedlab.io import import_vectors
    from embedlab.search import NeighbourIndex
    from embedlab.workspace import Workspace
rss_before = peak_mb()
started = time.perf_counter()
extra = {{}}
if kind == "gensim":
    kv = KeyedVectors.load_word2vec_format(path, no_header=True)
    rows, dims = kv.vectors.shape
else:
    workspace = Workspace(root)
    result = import_vectors(workspace, path, source_name="bench.txt")
    vectors = workspace.load_vectors(result.model_id)
    rows, dims = len(vectors), vectors.dim
    extra["reused"] = result.reused
    if kind == "cached":
        loaded = time.perf_counter() - started
        NeighbourIndex(vectors).query(vectors.words[0], k=10)
        extra["with_query_s"] = time.perf_counter() - started
        started = time.perf_counter() - loaded
seconds = time.perf_counter() - started
print(json.dumps({{"kind": kind, "seconds": seconds, "rows": rows, "dims": dims, **extra,
                  "rss_imports_mb": rss_before, "peak_rss_mb": peak_mb()}}))
"""


def generate(path: Path, rows: int, dims: int, seed: int = 0) -> None:
    """Write a GloVe-style file fast: numbers formatted with numpy byte arithmetic, a block at a time.

    Each value is '-d.ddddd' or 'd.ddddd' (GloVe's 5 decimals, minus sign only when
    negative), so the lines have the uneven lengths of a real file.
    """
    rng = np.random.default_rng(seed)
    digits = np.frombuffer(b"0123456789", dtype=np.uint8)
    with open(path, "wb") as out:
        for start in range(0, rows, ROWS_PER_BLOCK):
            n = min(ROWS_PER_BLOCK, rows - start)
            values = np.clip(rng.normal(0.0, 0.4, size=(n, dims)), -9.99999, 9.99999)
            scaled = np.rint(np.abs(values) * 100_000).astype(np.int64)
            field = np.empty((n, dims, 9), dtype=np.uint8)
            field[..., 0] = ord("-")
            field[..., 1] = digits[scaled // 100_000]
            field[..., 2] = ord(".")
            for place in range(5):
                field[..., 3 + place] = digits[(scaled // 10 ** (4 - place)) % 10]
            field[..., 8] = ord(" ")
            field[:, -1, 8] = ord("\n")
            keep = np.ones_like(field, dtype=bool)
            keep[..., 0] = values < 0
            flat = field[keep]
            ends = np.cumsum(keep.reshape(n, -1).sum(axis=1))
            blob = flat.tobytes()
            starts = np.concatenate([[0], ends[:-1]])
            out.write(b"".join(b"w%d %s" % (start + i, blob[s:e]) for i, (s, e) in enumerate(zip(starts, ends))))


def measure(kind: str, path: Path, root: Path) -> dict:
    code = CHILD.format(repo=str(REPO))
    done = subprocess.run([sys.executable, "-c", code, kind, str(path), str(root)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--dims", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="50,000 x 100 (seconds), for make bench-quick")
    parser.add_argument("--skip-gensim", action="store_true")
    parser.add_argument("--keep", type=Path, help="Generate the file here and keep it (reused if present).")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.dims = 50_000, 100

    with tempfile.TemporaryDirectory(prefix="embedlab-io-bench-") as tmp:
        path = args.keep or Path(tmp) / "vectors.txt"
        if not path.exists():
            started = time.perf_counter()
            generate(path, args.rows, args.dims)
            print(f"generated {path} ({path.stat().st_size / 1024**2:,.0f} MB) in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
        with open(path, "rb") as handle:  # every run reads from the page cache, none from disk
            while handle.read(64 * 1024 * 1024):
                pass
        matrix_mb = args.rows * args.dims * 4 / 1024**2
        root = Path(tmp) / "workspace"
        results = [measure("first", path, root), measure("cached", path, root)]
        if not args.skip_gensim:
            results.insert(0, measure("gensim", path, root))
        for result in results:
            print(json.dumps(result), file=sys.stderr)

    gensim_s = results[0]["seconds"] if not args.skip_gensim else None
    labels = {"gensim": "gensim load_word2vec_format(no_header=True)", "first": "embedlab import, first load",
              "cached": "embedlab import, cached (memory-mapped)"}
    print(f"\n{args.rows:,} x {args.dims} GloVe-style text, {path.name}; float32 matrix = {matrix_mb:,.0f} MB\n")
    print("| load | time | vs gensim | peak RSS | peak RSS / matrix | RSS after imports | growth / matrix |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        ratio = f"{gensim_s / r['seconds']:.1f}x faster" if gensim_s and r["kind"] != "gensim" else "-"
        note = f" ({r['with_query_s']:.2f} s with a first query)" if "with_query_s" in r else ""
        print(f"| {labels[r['kind']]} | {r['seconds']:.2f} s{note} | {ratio} | {r['peak_rss_mb']:,.0f} MB | "
              f"{r['peak_rss_mb'] / matrix_mb:.2f} | {r['rss_imports_mb']:,.0f} MB | "
              f"{(r['peak_rss_mb'] - r['rss_imports_mb']) / matrix_mb:.2f} |")
    first = next(r for r in results if r["kind"] == "first")
    cached = next(r for r in results if r["kind"] == "cached")
    print()
    print(f"goals: first load <= gensim: {'yes' if gensim_s is None or first['seconds'] <= gensim_s else 'NO'}"
          f"{' (gensim skipped)' if gensim_s is None else ''}; cached <= 2 s: {'yes' if cached['seconds'] <= 2 else 'NO'}; "
          f"peak RSS <= 2x matrix: {'yes' if first['peak_rss_mb'] <= 2 * matrix_mb else 'NO'}")
    if first["rss_imports_mb"] > matrix_mb:
        print(f"(at this size the interpreter and its imports, {first['rss_imports_mb']:,.0f} MB, outweigh the "
              f"{matrix_mb:,.0f} MB matrix: the RSS goal is meant for the full 400k x 300)")


if __name__ == "__main__":
    main()
