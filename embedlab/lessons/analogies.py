"""Lesson 1, analogies: king − man + woman on the English sample, 国王 − 男人 + 女人 on the Chinese one."""

from __future__ import annotations

import time

from embedlab.analogy import solve_text
from embedlab.config import Word2VecParams
from embedlab.lessons.base import LessonModel, LessonResult, Steps, lesson_model_name, params_json, ranked, train_saved
from embedlab.progress import CancelToken, ProgressFn
from embedlab.workspace import Workspace

KEY = "analogies"
TITLE = "Analogies"
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
    return {"relation": f"{b} − {a} and {expected} − {c}", "offset_cosine": round(cosine, 4),
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
            findings.append(f"{expression} = ? gives {expected} at rank {rank} of {len(vectors):,} words "
                            f"(cosine {answers[rank - 1]['cosine']:.2f} to the sum), after {seconds:.1f} s of training.")
        else:
            findings.append(f"{expression} = ? does not give {expected} in the top {SHOWN} in this run: "
                            f"the best answer is {answers[0]['word'] if answers else 'none'}.")
    english = cases[0]
    if english.get("offset_cosine") is not None:
        shape = ("nearly parallel" if english["offset_cosine"] > 0.7 else "far from parallel")
        findings.append(f"The offsets {english['relation']} have cosine {english['offset_cosine']:.2f} and lengths "
                        f"in ratio {english['length_ratio']:.2f}: {shape}, so the relation is close to one direction "
                        "in the space, and adding it to another word moves that word along it.")
    return LessonResult(KEY, {"Word2Vec (both samples)": params_json(PARAMS)}, {"cases": cases}, tuple(findings),
                        tuple(models), time.perf_counter() - started, corpus_id)
