"""Make a fresh workspace useful at once: the English sample tokenised and a Word2Vec trained on it.

``make run`` calls this before starting the app, so a first-time user lands on an
app with a model to explore. It does nothing when the workspace already has models.
"""

from __future__ import annotations

import sys

from embedlab.config import Word2VecParams
from embedlab.samples import ensure_sample_corpus
from embedlab.train import train_and_save
from embedlab.workspace import Workspace


def bootstrap(workspace: Workspace) -> str | None:
    """Returns the new model's id, or None if the workspace already had a model."""
    if workspace.list_models():
        return None
    corpus = ensure_sample_corpus(workspace, "english")
    return train_and_save(workspace, "word2vec", Word2VecParams(), corpus)


if __name__ == "__main__":
    ws = Workspace()
    model_id = bootstrap(ws)
    print(f"embedlab workspace: {ws.root}" + (f" (trained sample model {model_id})" if model_id else ""), file=sys.stderr)
