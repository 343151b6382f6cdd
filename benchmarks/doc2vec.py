"""Doc2Vec training speed: embedlab's path against raw gensim on the same tagged documents.

Usage::

    python benchmarks/doc2vec.py                  # the shipped 3,000 labelled documents x 8 (24,000 docs), 10 epochs
    python benchmarks/doc2vec.py --runs 3 --copies 16
    python benchmarks/doc2vec.py --quick          # gensim's Lee corpus (300 documents), 5 epochs: a smoke run

Both sides train gensim ``Doc2Vec`` with identical arguments on identical ``TaggedDocument`` lists; embedlab's
path (``embedlab.train.doc2vec.train_documents``) adds its document iterator (progress within epochs, cancel
checks), the epoch callback and the result assembly (document, word and inference arrays). Runs alternate who
goes first; the best of ``--runs`` each is compared. Goal: speed ratio (gensim s / embedlab s) >= 0.9.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gensim.models.doc2vec import Doc2Vec, TaggedDocument  # noqa: E402

from embedlab.config import Doc2VecParams  # noqa: E402
from embedlab.documents import Documents, read_documents  # noqa: E402
from embedlab.train.doc2vec import gensim_kwargs, train_documents  # noqa: E402


def raw_gensim(params: Doc2VecParams, docs: Documents) -> tuple[float, float]:
    tagged = [TaggedDocument(list(words), [tag]) for tag, words in zip(docs.tags, docs.tokens)]
    cpu = time.process_time()
    model = Doc2Vec(**gensim_kwargs(params))
    model.build_vocab(corpus_iterable=tagged)
    started = time.perf_counter()
    model.train(corpus_iterable=tagged, total_examples=model.corpus_count, epochs=params.epochs)
    return time.perf_counter() - started, time.process_time() - cpu


def ours(params: Doc2VecParams, docs: Documents) -> tuple[float, float]:
    cpu = time.process_time()
    outcome = train_documents(params, docs)
    return outcome.result.timings["train_s"], time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--copies", type=int, default=8, help="repeat the sample this many times (new tags)")
    parser.add_argument("--quick", action="store_true", help="gensim's Lee corpus and 5 epochs")
    args = parser.parse_args()
    if args.quick:
        from gensim.test.utils import datapath

        docs, args.epochs, args.runs, name = read_documents(datapath("lee_background.cor")), 5, 1, "Lee (gensim)"
    else:
        base = read_documents(REPO / "sample_data" / "documents.txt")
        n = len(base)
        docs = Documents(tuple(f"doc{i + 1}" for i in range(n * args.copies)), base.tokens * args.copies,
                         None, base.snippets * args.copies)
        name = f"sample documents x {args.copies}"
    print(f"{name}: {len(docs):,} documents, {docs.n_tokens:,} tokens, {args.epochs} epochs, 2 workers",
          file=sys.stderr)
    rows = []
    for mode in ("dbow", "dm"):
        params = Doc2VecParams(mode=mode, train_words=False, epochs=args.epochs, workers=2)
        best_g = best_o = None
        for run in range(args.runs):
            if run % 2 == 0:
                g, o = raw_gensim(params, docs), ours(params, docs)
            else:
                o, g = ours(params, docs), raw_gensim(params, docs)
            best_g = g if best_g is None or g[0] < best_g[0] else best_g
            best_o = o if best_o is None or o[0] < best_o[0] else best_o
            print(f"  {mode}: gensim {g[0]:.2f} s, embedlab {o[0]:.2f} s", file=sys.stderr)
        rows.append((mode, best_g, best_o))
    words = docs.n_tokens * args.epochs
    print(f"\n{name}, {len(docs):,} documents, {args.epochs} epochs, 2 workers, best of {args.runs}")
    print("| mode | gensim s | gensim words/s | embedlab s | embedlab words/s | speed ratio | gensim CPU s "
          "| embedlab CPU s |")
    print("|---" * 8 + "|")
    for mode, (gw, gc), (ow, oc) in rows:
        print(f"| {mode} | {gw:.2f} | {words / gw:,.0f} | {ow:.2f} | {words / ow:,.0f} | {gw / ow:.2f} | {gc:.2f} "
              f"| {oc:.2f} |")


if __name__ == "__main__":
    main()
