"""Lesson 4, FastText and unseen words: misspelt and invented words get vectors from their character n-grams."""

from __future__ import annotations

import time
from typing import Sequence

from embedlab.config import FastTextParams, Word2VecParams
from embedlab.errors import UnknownWordError
from embedlab.i18n import N_, _
from embedlab.lessons.base import (LessonModel, LessonResult, Steps, finding, lesson_model_name, params_json,
                                   train_saved)
from embedlab.progress import CancelToken, ProgressFn
from embedlab.search import NeighbourIndex
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace

KEY = "subwords"
TITLE = N_("FastText and unseen words")
FASTTEXT = FastTextParams(architecture="cbow", vector_size=100, window=5, min_count=5, epochs=5, seed=1, workers=2,
                          min_n=3, max_n=6, bucket=50_000)
WORD2VEC = Word2VecParams(architecture="cbow", vector_size=100, window=5, min_count=5, epochs=5, seed=1, workers=2)
#: misspellings and invented words none of which is in the English sample
WORDS = ("queeen", "kingg", "walkking", "grandmotherly", "berlinish")
SHOWN = 5


def explain(word: str, fasttext: WordVectors, word2vec: WordVectors, k: int = SHOWN) -> dict:
    """What each model makes of ``word``: FastText's n-grams and neighbours, Word2Vec's answer."""
    row: dict = {"word": word, "in_vocabulary": word in fasttext.index}
    if fasttext.subword is not None:
        row["ngrams"] = fasttext.subword.ngrams(word)
    try:
        neighbours = NeighbourIndex(fasttext).query(word, k)
        row["fasttext"] = [{"word": n.word, "cosine": round(float(n.similarity), 4)} for n in neighbours]
    except UnknownWordError:
        row["fasttext"] = []
    row["word2vec_known"] = word in word2vec.index
    row["word2vec"] = word2vec_answer(row)
    return row


def word2vec_answer(row: dict) -> str:
    """What Word2Vec says about the row's word, in the current language (rows store only whether it knows it)."""
    if "word2vec_known" not in row:
        return str(row.get("word2vec", ""))  # a result stored before: its text as it was
    return str(UnknownWordError(row["word"])) if not row["word2vec_known"] else _("in the vocabulary")


def run(workspace: Workspace, on_progress: ProgressFn, cancel: CancelToken | None,
        words: Sequence[str] = WORDS) -> LessonResult:
    from embedlab.workflows import ensure_sample_corpus

    started = time.perf_counter()
    steps = Steps(on_progress, {"corpus": 1, "fasttext": 4, "word2vec": 2})
    corpus = ensure_sample_corpus(workspace, "english", steps.next("corpus"), cancel)
    ft_id, ft_s = train_saved(workspace, "fasttext", FASTTEXT, corpus, lesson_model_name(TITLE, "FastText", corpus),
                              steps.next("fasttext"), cancel)
    w2v_id, w2v_s = train_saved(workspace, "word2vec", WORD2VEC, corpus, lesson_model_name(TITLE, "Word2Vec", corpus),
                                steps.next("word2vec"), cancel)
    fasttext, word2vec = workspace.load_vectors(ft_id), workspace.load_vectors(w2v_id)
    rows = [explain(w, fasttext, word2vec) for w in words]
    composed = [r for r in rows if r["fasttext"] and not r["in_vocabulary"]]
    first = composed[0] if composed else None
    findings = [
        finding(N_("FastText gave a vector to {composed} of the {n} words it never saw; Word2Vec, trained on the same "
                   "corpus with the same settings, has none for them ({refused} of {n} refused)."),
                composed=len(composed), n=len(rows), refused=sum(not r["word2vec_known"] for r in rows)),
    ]
    if first is not None:
        findings.append(finding(N_("'{word}' is the mean of {n} character n-gram vectors; its nearest known word is "
                                   "'{nearest}' (cosine {cosine:.2f})."),
                                word=first["word"], n=len(first.get("ngrams", [])),
                                nearest=first["fasttext"][0]["word"], cosine=first["fasttext"][0]["cosine"]))
    findings.append(finding(N_("A word's n-grams overlap those of its correct spelling, so the two vectors point the "
                               "same way; an invented word lands near the words that share its pieces (its stem, its "
                               "suffix).")))
    return LessonResult(KEY, {"FastText": params_json(FASTTEXT), "Word2Vec": params_json(WORD2VEC)},
                        {"rows": rows, "train_s": {"FastText": round(ft_s, 2), "Word2Vec": round(w2v_s, 2)}},
                        tuple(findings), (LessonModel("FastText", ft_id), LessonModel("Word2Vec", w2v_id)),
                        time.perf_counter() - started, corpus.corpus_id)
