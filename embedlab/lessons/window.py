"""Lesson 6, window size: a small window finds words of the same function, a large one words of the same topic."""

from __future__ import annotations

import dataclasses
import time
from typing import Sequence

from embedlab.config import Word2VecParams
from embedlab.errors import UnknownWordError
from embedlab.i18n import N_, _
from embedlab.lessons import frequency
from embedlab.lessons.base import (LessonModel, LessonResult, Steps, finding, lesson_model_name, params_json,
                                   train_saved)
from embedlab.progress import CancelToken, ProgressFn
from embedlab.search import NeighbourIndex
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace

KEY = "window"
TITLE = N_("Window size")
#: a model's role and its table column: "window 2" (stored in English, shown in the reader's language)
ROLE = N_("window {n}")
PARAMS = Word2VecParams(architecture="cbow", vector_size=100, window=2, min_count=5, epochs=5, seed=1, workers=2)
SMALL, LARGE = 2, 15
#: words whose neighbours the lesson shows for both windows
WORDS = ("paris", "walked", "cat")
SHOWN = 8


def neighbours(vectors: WordVectors, word: str, k: int = SHOWN) -> list[str]:
    try:
        return [n.word for n in NeighbourIndex(vectors).query(word, k)]
    except UnknownWordError:
        return []


def run(workspace: Workspace, on_progress: ProgressFn, cancel: CancelToken | None,
        words: Sequence[str] = WORDS) -> LessonResult:
    from embedlab.workflows import ensure_sample_corpus

    started = time.perf_counter()
    steps = Steps(on_progress, {"corpus": 1, "small": 2, "large": 3, "score": 1})
    corpus = ensure_sample_corpus(workspace, "english", steps.next("corpus"), cancel)
    models, vectors_of, seconds_of = [], {}, {}
    for label, window in (("small", SMALL), ("large", LARGE)):
        params = dataclasses.replace(PARAMS, window=window)
        model_id, seconds_of[window] = train_saved(workspace, "word2vec", params, corpus,
                                                   lesson_model_name(TITLE, _(ROLE).format(n=window), corpus),
                                                   steps.next(label), cancel)
        vectors_of[window] = workspace.load_vectors(model_id)
        models.append(LessonModel(ROLE.format(n=window), model_id))
    score = steps.next("score")
    score(0, 1, _("Answering the Google analogy questions"))
    kinds = {w: frequency.accuracy_by_kind(v, frequency.google_questions()) for w, v in vectors_of.items()}
    score(1, 1, _("Done"))
    table = [{"word": word, **{ROLE.format(n=w): neighbours(vectors_of[w], word) for w in (SMALL, LARGE)}}
             for word in words]
    accuracy = [{"window": w, **{f"{k}_accuracy": v["accuracy"] for k, v in kinds[w].items()},
                 "train_s": round(seconds_of[w], 2)} for w in (SMALL, LARGE)]
    return LessonResult(KEY, {N_("Word2Vec (window {small} and {large}, nothing else differs)"): params_json(PARAMS)},
                        {"neighbours": table, "accuracy": accuracy, "small": SMALL, "large": LARGE},
                        findings(accuracy, table), tuple(models), time.perf_counter() - started, corpus.corpus_id)


def findings(accuracy: list[dict], table: list[dict]) -> tuple[dict, ...]:
    small, large = accuracy
    sem = (large["semantic_accuracy"] or 0) - (small["semantic_accuracy"] or 0)
    syn = (large["syntactic_accuracy"] or 0) - (small["syntactic_accuracy"] or 0)
    first = finding(N_("Semantic analogies (capitals, family) went from {small_semantic:.0%} with window {small} to "
                       "{large_semantic:.0%} with window {large}; syntactic ones (plurals, tenses) from "
                       "{small_syntactic:.0%} to {large_syntactic:.0%}."),
                    small=SMALL, large=LARGE, small_semantic=small["semantic_accuracy"] or 0,
                    large_semantic=large["semantic_accuracy"] or 0, small_syntactic=small["syntactic_accuracy"] or 0,
                    large_syntactic=large["syntactic_accuracy"] or 0)
    if sem > syn:
        second = finding(N_("The wide window helped topic-like relations more than grammatical ones, as the textbook "
                            "says: the words a few positions away say what a sentence is about, the adjacent ones "
                            "what role a word plays."))
    else:
        second = finding(N_("In this run the wide window did not help topic-like relations more than grammatical "
                            "ones, unlike the textbook's expectation."))
    third = finding(N_("Compare the neighbour lists: with the small window a word's neighbours tend to be "
                       "interchangeable with it in a sentence (other cities, other past tenses); with the large one, "
                       "words that appear around it (a country beside its capital)."))
    return first, second, third
