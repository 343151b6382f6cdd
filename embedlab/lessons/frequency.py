"""Analogy accuracy split by how frequent the question's words are, and by kind of relation.

Pure: vectors and questions in, counts out. The Google analogy questions are
answered with the same rules as the Evaluate page (``scoring.answer_analogies``);
a question counts only when all four of its words are in the model.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from embedlab.scoring import answer_analogies
from embedlab.vectors import WordVectors

Question = tuple[str, str, str, str]


def answerable(vectors: WordVectors, questions: Sequence[Question]) -> list[Question]:
    """The questions whose four words (case-folded) are all in the model."""
    return [q for q in questions if all(w.lower() in vectors.index for w in q)]


def rarity(vectors: WordVectors, question: Question) -> int:
    """A question's rarity: the corpus count of its least frequent word."""
    return min(int(vectors.counts[vectors.index[w.lower()]]) for w in question)


def correct(vectors: WordVectors, questions: Sequence[Question]) -> np.ndarray:
    """Whether the model's 3CosAdd answer is each question's fourth word."""
    answers = answer_analogies(vectors, [q[:3] for q in questions])
    return np.array([a is not None and a.lower() == q[3].lower() for q, a in zip(questions, answers)], dtype=bool)


def median_rarity(vectors: WordVectors, questions: Sequence[Question]) -> int:
    """The split between 'rare' and 'frequent' questions: the median rarity of the answerable ones."""
    values = [rarity(vectors, q) for q in answerable(vectors, questions)]
    return int(np.median(values)) if values else 0


def accuracy_by_band(vectors: WordVectors, questions: Sequence[Question], threshold: int) -> dict[str, dict]:
    """Accuracy on 'rare' questions (rarity ≤ threshold) and 'frequent' ones (above it)."""
    kept = answerable(vectors, questions)
    hits = correct(vectors, kept)
    rare = np.array([rarity(vectors, q) <= threshold for q in kept], dtype=bool)
    out = {}
    for band, mask in (("rare", rare), ("frequent", ~rare)):
        n = int(mask.sum())
        out[band] = {"questions": n, "correct": int(hits[mask].sum()),
                     "accuracy": round(float(hits[mask].mean()), 4) if n else None}
    return out


def accuracy_by_kind(vectors: WordVectors, sections: Sequence[tuple[str, Sequence[Question]]]) -> dict[str, dict]:
    """Accuracy on semantic relations (capitals, family...) and syntactic ones (the 'gram' sections: plurals, tenses...)."""
    out = {}
    for kind, syntactic in (("semantic", False), ("syntactic", True)):
        questions = [q for name, qs in sections if name.startswith("gram") == syntactic for q in qs]
        kept = answerable(vectors, questions)
        hits = correct(vectors, kept)
        out[kind] = {"questions": len(kept), "correct": int(hits.sum()),
                     "accuracy": round(float(hits.mean()), 4) if len(kept) else None}
    return out


def google_questions() -> tuple[tuple[str, tuple[Question, ...]], ...]:
    """gensim's copy of the Google analogy questions, by section."""
    from embedlab.benchmark_files import bundled

    return bundled("questions-words").sections  # type: ignore[union-attr]
