"""Lesson 1, analogies: king − man + woman on the English sample, 国王 − 男人 + 女人 on the Chinese one."""

from __future__ import annotations

import time

from embedlab.analogy import solve_text
from embedlab.config import Word2VecParams
from embedlab.i18n import N_
from embedlab.lessons.base import (LessonModel, LessonResult, Steps, finding, lesson_model_name, params_json, ranked,
                                   train_saved)
from embedlab.progress import CancelToken, ProgressFn
from embedlab.workspace import Workspace

KEY = "analogies"
TITLE = N_("Analogies")
#: the sample README's setting: queen and 女王 came first for every seed from 1 to 20
PARAMS = Word2VecParams(architecture="cbow", vector_size=100, window=5, min_count=5, epochs=5, seed=1, workers=2)
#: (sample key, expression, expected answer)
CASES = (("english", "king - man + woman", "queen"), ("chinese", "国王 - 男人 + 女人", "女王"))
SHOWN = 5


def parallel_offsets(vectors, positive, negative, expected: str) -> dict:
    """How parallel the parallelogram's two sides are: b − a against d − c, on unit vectors (as 3CosAdd sees them).

    For king − man + woman = queen: (king − man) against (queen − woman).
    """
    import numpy as np

    if len(positive) != 2 or len(negative) != 1 or expected not in vectors.index:
        return {}
    b, c = positive
    (a,) = negative
    first = vectors.vector(b) - vectors.vector(a)
    second = vectors.vector(expected) - vectors.vector(c)
    cosine = float(first @ second / (np.linalg.norm(first) * np.linalg.norm(second)))
    return {"relation": f"{b} − {a} and {expected} − {c}", "sides": [b, a, expected, c], "offset_cosine": round(cosine, 4),
            "length_ratio": round(float(np.linalg.norm(second) / np.linalg.norm(first)), 4)}


def run(workspace: Workspace, on_progress: ProgressFn, cancel: CancelToken | None) -> LessonResult:
    from embedlab.workflows import ensure_sample_corpus

    started = time.perf_counter()
    steps = Steps(on_progress, {"english corpus": 1, "english": 2, "chinese corpus": 3, "chinese": 2})
    cases, models, findings = [], [], []
    corpus_id = ""
    for sample, expression, expected in CASES:
        corpus = ensure_sample_corpus(workspace, sample, steps.next(f"{sample} corpus"), cancel)
        corpus_id = corpus_id or corpus.corpus_id
        model_id, seconds = train_saved(workspace, "word2vec", PARAMS, corpus,
                                        lesson_model_name(TITLE, "Word2Vec CBOW", corpus), steps.next(sample), cancel)
        vectors = workspace.load_vectors(model_id)
        result = solve_text(vectors, expression, k=SHOWN)
        answers = [{"rank": a.rank, "word": a.word, "cosine": round(a.cosine, 4)} for a in result.answers]
        rank = ranked([a.word for a in result.answers], expected)
        offsets = parallel_offsets(vectors, result.positive, result.negative, expected)
        cases.append({"sample": sample, "corpus": corpus.name, "expression": expression, "expected": expected,
                      "rank": rank, "answers": answers, "train_s": round(seconds, 2), "model_id": model_id,
                      **offsets})
        models.append(LessonModel(f"Word2Vec · {sample}", model_id))
        if rank is not None:
            findings.append(finding(N_("{expression} = ? gives {expected} at rank {rank} of {n:,} words (cosine "
                                       "{cosine:.2f} to the sum), after {seconds:.1f} s of training."),
                                    expression=expression, expected=expected, rank=rank, n=len(vectors),
                                    cosine=answers[rank - 1]["cosine"], seconds=seconds))
        elif answers:
            findings.append(finding(N_("{expression} = ? does not give {expected} in the top {shown} in this run: "
                                       "the best answer is {best}."),
                                    expression=expression, expected=expected, shown=SHOWN, best=answers[0]["word"]))
        else:
            findings.append(finding(N_("{expression} = ? gives no answer in this run."), expression=expression))
    english = cases[0]
    if english.get("offset_cosine") is not None:
        b, a, expected, c = english["sides"]
        shape = (finding(N_("nearly parallel, so the relation is close to one direction in the space, and adding it "
                            "to another word moves that word along it"))
                 if english["offset_cosine"] > 0.7 else
                 finding(N_("far from parallel, so in this run the relation is not one direction in the space")))
        findings.append(finding(N_("The offsets {b} − {a} and {expected} − {c} have cosine {cosine:.2f} and lengths "
                                   "in ratio {ratio:.2f}: {shape}."),
                                b=b, a=a, expected=expected, c=c, cosine=english["offset_cosine"],
                                ratio=english["length_ratio"], shape=shape))
    return LessonResult(KEY, {N_("Word2Vec (both samples)"): params_json(PARAMS)}, {"cases": cases}, tuple(findings),
                        tuple(models), time.perf_counter() - started, corpus_id)
