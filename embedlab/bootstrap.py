"""Make a fresh workspace useful at once: the English sample tokenised and a Word2Vec trained on it.

``make run`` calls this before starting the app, so a first-time user lands on an
app with a model to explore. It does nothing when the workspace already has models,
and then returns quickly: the trainers (gensim) are imported only when needed.
"""

from __future__ import annotations

import sys

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
