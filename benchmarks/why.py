"""Corpus evidence: concordance index build and query latency (with its size on disk), and map faithfulness time.

Usage (from the repository root)::

    .venv/bin/python benchmarks/why.py            # the shared text8 head (2 M tokens); a text8 Word2Vec for the maps
    .venv/bin/python benchmarks/why.py --quick    # the English sample (330k tokens), synthetic vectors, no UMAP

Goals from the issue: a concordance query under 0.3 s on the text8 head once the
index exists (built when the corpus is prepared, or on first use: both measured);
map faithfulness (kNN recall, k = 10) under 3 s for 20k points.

Baselines, measured in the same run: a plain scan of ``tokens.txt`` for the word
(what a query would cost without the index), and preparing the corpus without
building the index (what building it adds). In full mode a Word2Vec model of the
text8 head (about a minute to train) gives real vectors, and the table ends with
the faithfulness of its PCA and UMAP maps (UMAP should keep far more of each
word's neighbourhood). The machine is shared: compare rows within a run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from _data import missing_note, text8_head  # noqa: E402

TEXT8 = text8_head()  # None in a fresh clone without ../shared: the English sample and synthetic vectors then
ENGLISH = REPO / "sample_data" / "english.txt"
QUERIES = ("the", "of", "king", "queen", "paris", "anarchism", "photosynthesis", "zebra")


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def plain_scan(tokens_path: Path, word: str, width: int = 8, limit: int = 20) -> tuple[int, list]:
    """The baseline: read tokens.txt and collect every occurrence (what the index saves)."""
    total, lines = 0, []
    with open(tokens_path, encoding="utf-8") as handle:
        for line in handle:
            tokens = line.split()
            for i, token in enumerate(tokens):
                if token == word:
                    total += 1
                    if len(lines) < limit:
                        lines.append((tokens[max(0, i - width):i], tokens[i + 1:i + 1 + width]))
    return total, lines


def concordance_rows(source: Path, params) -> list[tuple[str, float, str]]:
    from embedlab.concordance import index_bytes
    from embedlab.workspace import Workspace

    rows = []
    with tempfile.TemporaryDirectory(prefix="why-bench-") as tmp:
        workspace = Workspace(Path(tmp) / "ws")
        plain, plain_s = timed(workspace.add_corpus, source, "plain", params, index=False)
        eager, eager_s = timed(workspace.add_corpus, source, "indexed", params, index=True)
        rows.append((f"prepare the corpus ({plain.n_tokens:,} tokens), no index [baseline]", plain_s, "1.00x"))
        rows.append(("prepare the corpus and build its index", eager_s, f"{eager_s / plain_s:.2f}x the baseline"))
        index, lazy_first_s = timed(lambda: workspace.concordance_index(plain).search("king"))
        meta = json.loads((workspace.concordance_dir(plain) / "meta.json").read_text(encoding="utf-8"))
        rows.append(("lazy: first query on a corpus without index (build + query)", lazy_first_s,
                     f"index build {meta['build_s']:.2f} s of it"))
        size = index_bytes(workspace.concordance_dir(eager))
        tokens_size = eager.tokens_path.stat().st_size
        _, open_s = timed(workspace.concordance_index, eager)
        rows.append(("reopen the index (memory-mapped)", open_s,
                     f"{size / 1024**2:.1f} MB on disk = {size / tokens_size:.2f}x tokens.txt "
                     f"({tokens_size / 1024**2:.1f} MB), {size / eager.n_tokens:.1f} bytes/token"))
        index = workspace.concordance_index(eager)
        words = [w for w in QUERIES if w in index]
        for sort in ("corpus", "right", "left"):
            times = []
            for word in words:
                for _ in range(3):
                    times.append(timed(index.search, word, sort=sort, limit=20)[1])
            worst = max(times)
            rows.append((f"query, sort by {sort}: median of {len(words)} words x 3", statistics.median(times),
                         f"worst {worst * 1000:.0f} ms ('the': {index.count('the'):,} hits); goal < 0.3 s"))
        scan_times = [timed(plain_scan, eager.tokens_path, w)[1] for w in ("king", "the")]
        rows.append(("plain scan of tokens.txt per query [baseline]", statistics.median(scan_times),
                     f"{statistics.median(scan_times) / statistics.median(times):.0f}x the indexed query"))
    return rows


def text8_model(n: int):
    """Word2Vec on the text8 head (3 epochs): real word vectors for the faithfulness rows."""
    import numpy as np
    from gensim.models import Word2Vec

    from embedlab.vectors import WordVectors

    assert TEXT8 is not None
    model = Word2Vec(corpus_file=str(TEXT8), vector_size=100, window=5, min_count=5, workers=2, epochs=3, seed=1)
    words = model.wv.index_to_key[:n]
    return WordVectors.from_matrix(words, model.wv.vectors[:n].astype(np.float32))


def faithfulness_rows(n: int, quick: bool) -> list[tuple[str, float, str]]:
    import numpy as np

    from embedlab import projection as proj
    from embedlab.config import ProjectionParams
    from embedlab.faithfulness import knn_recall
    from embedlab.vectors import WordVectors

    rows = []
    if quick or TEXT8 is None:
        unit = proj.clustered_unit_vectors(n, 100, n_clusters=200, seed=1)
        vectors = WordVectors.from_matrix([f"w{i}" for i in range(n)], unit)
        what = f"{n:,} clustered 100-d points"
    else:
        vectors, train_s = timed(text8_model, n)
        what = f"the {len(vectors):,} most frequent words of a text8 Word2Vec (trained in {train_s:.0f} s)"
    unit = np.asarray(vectors.unit)
    pca = proj.pca(unit, 2)
    knn_recall(unit[:200], pca[:200])  # compile the selection kernel outside the timings
    cpu = time.process_time()
    first, first_s = timed(knn_recall, unit, pca, 10)
    cpu = time.process_time() - cpu
    rows.append((f"faithfulness (kNN recall@10) of a PCA map of {what}", first_s,
                 f"goal < 3 s; CPU {cpu:.1f} s (/2 cores = {cpu / 2:.1f} s on an idle machine); "
                 f"score {first.score:.3f} (random layout {first.chance:.4f})"))
    again, again_s = timed(knn_recall, unit, pca, 10, true_neighbours=first.true_neighbours)
    rows.append(("... another map of the same words (original-space neighbours reused)", again_s,
                 f"{first_s / again_s:.0f}x faster"))
    if not quick:
        for method in ("umap", "tsne"):
            size = n if method == "umap" else min(n, 5_000)
            params = ProjectionParams(method=method, n_points=size)
            made, fit_s = timed(proj.project, vectors, params)
            part = unit[made.rows]
            base = knn_recall(part, proj.pca(part, 2), 10)
            score = knn_recall(part, made.coords, 10, true_neighbours=base.true_neighbours)
            rows.append((f"{method.upper()} map of {size:,} words (fit {fit_s:.0f} s): faithfulness", score.score,
                         f"PCA of the same words: {base.score:.3f} ({score.score / max(base.score, 1e-9):.1f}x); "
                         f"random {score.chance:.4f}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the English sample, synthetic vectors, no UMAP/t-SNE")
    parser.add_argument("--points", type=int, default=20_000, help="map points for faithfulness (default 20,000)")
    args = parser.parse_args()
    from embedlab.config import CorpusParams

    source = ENGLISH if args.quick or TEXT8 is None else TEXT8
    if TEXT8 is None and not args.quick:
        print(f"({missing_note()}: the English sample, and clustered synthetic vectors for the maps)", file=sys.stderr)
    print(f"Concordance on {source.name}; faithfulness on {args.points if not args.quick else 5000:,} points", flush=True)
    rows = concordance_rows(source, CorpusParams("words"))
    rows += faithfulness_rows(5_000 if args.quick else args.points, args.quick)
    width = max(len(r[0]) for r in rows)
    print(f"\n| {'what'.ljust(width)} | seconds (or score) | note |\n|{'-' * (width + 2)}|---|---|")
    for what, value, note in rows:
        print(f"| {what.ljust(width)} | {value:.4f} | {note} |")


if __name__ == "__main__":
    main()
