"""Make a fresh workspace useful at once, and pay every compile before the first user does.

``make run`` calls this before starting the app:

* the English sample tokenised and a Word2Vec trained on it, so a first-time user
  lands on an app with a model to explore (skipped when the workspace has models);
* the numba kernels compiled into their disk caches (``cache=True``): GloVe's
  co-occurrence and AdaGrad kernels, the exact-search kernels and UMAP's own. On
  the first run of a fresh clone the first GloVe otherwise sat at "counting
  co-occurrences (0 non-zeros so far)" for minutes while numba compiled;
* this machine's timings (``embedlab.machine``): a UMAP of a reference size, and the
  part of UMAP's compile that no disk cache keeps (paid once per server process, in
  the background after the first quiet moment), so the Map page's estimates are
  measured here rather than guessed;
* with ``--publish``, the classroom set-up: the sample model published to the class (read-only).

The kernels and timings are redone only when the library versions change, so a
second ``make run`` starts at once.
"""

from __future__ import annotations

import sys
import time

from embedlab.machine import MachineTimings
from embedlab.workspace import Workspace


def bootstrap(workspace: Workspace) -> str | None:
    """Returns the new model's id, or None if the workspace already had a model."""
    if workspace.list_models():
        return None
    from embedlab.config import Word2VecParams
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    corpus = ensure_sample_corpus(workspace, "english")
    return train_and_save(workspace, "word2vec", Word2VecParams(), corpus)


def publish_first_model(workspace: Workspace) -> str | None:
    """Classroom set-up: publish the workspace's oldest model when nothing is published yet (the sample's)."""
    from embedlab import classroom

    published = workspace.root / classroom.PUBLISHED
    models = workspace.list_models()
    if not models or (published / "models").is_dir() and any(
            (p / "manifest.json").exists() for p in (published / "models").iterdir()):
        return None
    model_id = models[-1].model_id
    classroom.publish(workspace.root, model_id, published)
    return model_id


def prepare_kernels(workspace: Workspace, force: bool = False) -> MachineTimings | None:
    """Compile the numba kernels and measure this machine; None when already done for these versions."""
    from embedlab import machine

    versions = machine.current_versions()
    if not force and machine.load(workspace).versions == versions:
        return None
    from embedlab import projection
    from embedlab.config import GloVeParams
    from embedlab.search import NeighbourIndex
    from embedlab.train import glove
    from embedlab.vectors import WordVectors
    from embedlab.workflows import ensure_sample_corpus

    corpus = ensure_sample_corpus(workspace, "english")
    started = time.perf_counter()
    glove.train(GloVeParams(vector_size=8, epochs=1, workers=2), corpus)  # compiles (or loads) GloVe's kernels
    glove_s = time.perf_counter() - started
    unit = projection.clustered_unit_vectors(3_000, 32, seed=2)
    index = NeighbourIndex(WordVectors.from_matrix([f"w{i}" for i in range(len(unit))], unit))
    index.query("w0", 10)  # the exact-search kernels
    warm_s = projection.warm_up()
    reference_s = projection.measure_umap()
    timings = machine.MachineTimings(umap_warm_up_s=round(warm_s, 2), umap_reference_s=round(reference_s, 2),
                                     glove_first_s=round(glove_s, 2), versions=versions)
    machine.save(workspace, timings)
    return timings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    workspace = Workspace()
    print(f"embedlab workspace: {workspace.root}", file=sys.stderr, flush=True)
    if not workspace.list_models():
        print("Preparing the English sample and training a first Word2Vec model (a few seconds)…", file=sys.stderr, flush=True)
    model_id = bootstrap(workspace)
    if model_id:
        print(f"Trained the sample model {model_id}.", file=sys.stderr)
    if "--publish" in args and (published := publish_first_model(workspace)):
        print(f"Published {published} to the class (read-only).", file=sys.stderr)
    from embedlab import machine

    if machine.load(workspace).versions != machine.current_versions():
        print("Compiling GloVe, search and UMAP kernels and timing this machine (first set-up only, "
              "about a minute)…", file=sys.stderr, flush=True)
        started = time.perf_counter()
        timings = prepare_kernels(workspace)
        if timings is not None:
            print(f"Done in {time.perf_counter() - started:.0f} s: a {timings.umap_reference_s:.1f} s reference UMAP; "
                  f"{timings.umap_warm_up_s:.0f} s of UMAP preparation left to each server start (in the background).",
                  file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
