"""Lesson 3, negative sampling vs hierarchical softmax: time per epoch and quality, and a small vocabulary sweep."""

from __future__ import annotations

import dataclasses
import time

from embedlab.config import Word2VecParams
from embedlab.lessons import frequency
from embedlab.i18n import N_, _
from embedlab.lessons.base import (LessonModel, LessonResult, Steps, finding, lesson_model_name, params_json,
                                   train_saved)
from embedlab.progress import CancelToken, ProgressFn, check
from embedlab.workspace import Workspace

KEY = "objectives"
TITLE = N_("Negative sampling vs hierarchical softmax")
PARAMS = Word2VecParams(architecture="cbow", vector_size=100, window=5, min_count=5, epochs=5, seed=1, workers=2)
#: the output layers' names: stored in results and tables as they are (data), translated where shown
LABELS = {"negative": N_("negative sampling"), "hierarchical": N_("hierarchical softmax")}
#: the vocabulary sweep: a higher minimum count keeps fewer words (the last point is the saved, scored pair)
MIN_COUNTS = (200, 40, 5)
#: the smaller-vocabulary points only time epochs, so they train fewer of them
SWEEP_EPOCHS = 2


def run(workspace: Workspace, on_progress: ProgressFn, cancel: CancelToken | None) -> LessonResult:
    from embedlab.train import train
    from embedlab.workflows import ensure_sample_corpus

    started = time.perf_counter()
    costs = {"corpus": 1, **{f"{loss}-{m}": 1.5 if m == MIN_COUNTS[-1] else 0.6 for m in MIN_COUNTS for loss in LABELS},
             "score": 1}
    steps = Steps(on_progress, costs)
    corpus = ensure_sample_corpus(workspace, "english", steps.next("corpus"), cancel)
    sweep, models, scored = [], [], {}
    for min_count in MIN_COUNTS:
        for loss in LABELS:
            check(cancel)
            full = min_count == MIN_COUNTS[-1]
            params = dataclasses.replace(PARAMS, loss=loss, min_count=min_count,
                                         epochs=PARAMS.epochs if full else SWEEP_EPOCHS)
            report = steps.next(f"{loss}-{min_count}")
            if full:  # the full-vocabulary pair is saved and scored
                model_id, seconds = train_saved(workspace, "word2vec", params, corpus,
                                                lesson_model_name(TITLE, LABELS[loss], corpus), report, cancel)
                vectors = workspace.load_vectors(model_id)
                models.append(LessonModel(LABELS[loss], model_id))
                scored[loss] = vectors
            else:
                result = train("word2vec", params, corpus, report, cancel)
                seconds, vectors = float(result.timings["train_s"]), result.vectors
            sweep.append({"loss": LABELS[loss], "min_count": min_count, "vocabulary": len(vectors),
                          "epoch_s": round(seconds / params.epochs, 3)})
    score = steps.next("score")
    score(0, 1, _("Answering the Google analogy questions"))
    quality = []
    for loss, vectors in scored.items():
        kinds = frequency.accuracy_by_kind(vectors, frequency.google_questions())
        quality.append({"loss": LABELS[loss], **{f"{k}_accuracy": v["accuracy"] for k, v in kinds.items()},
                        "epoch_s": next(r["epoch_s"] for r in sweep
                                        if r["loss"] == LABELS[loss] and r["min_count"] == MIN_COUNTS[-1])})
    score(1, 1, _("Done"))
    sweep_params = {**params_json(PARAMS), "epochs": SWEEP_EPOCHS, "min_count": " / ".join(map(str, MIN_COUNTS[:-1]))}
    return LessonResult(KEY, {N_("Word2Vec, saved and scored (negative sampling and hierarchical softmax)"):
                              params_json(PARAMS), N_("Vocabulary sweep, timed only"): sweep_params},
                        {"sweep": sweep, "quality": quality, "min_counts": list(MIN_COUNTS)},
                        findings(sweep, quality), tuple(models), time.perf_counter() - started, corpus.corpus_id)


def findings(sweep: list[dict], quality: list[dict]) -> tuple[dict, ...]:
    by = {(r["loss"], r["min_count"]): r for r in sweep}
    ns, hs = LABELS["negative"], LABELS["hierarchical"]
    small, large = MIN_COUNTS[0], MIN_COUNTS[-1]
    vocab_small, vocab_large = by[(ns, small)]["vocabulary"], by[(ns, large)]["vocabulary"]
    growth = {loss: by[(loss, large)]["epoch_s"] / max(by[(loss, small)]["epoch_s"], 1e-9) for loss in (ns, hs)}
    full = {loss: by[(loss, large)]["epoch_s"] for loss in (ns, hs)}
    ratio = full[hs] / max(full[ns], 1e-9)
    if 0.9 <= ratio <= 1.1:
        verdict = finding(N_("about the same in this run"))
    elif ratio > 1:
        verdict = finding(N_("negative sampling was {ratio:.1f}× faster in this run"), ratio=ratio)
    else:
        verdict = finding(N_("hierarchical softmax was {ratio:.1f}× faster in this run"), ratio=1 / ratio)
    timing = finding(N_("With all {n:,} words, an epoch took {ns:.2f} s with negative sampling and {hs:.2f} s with "
                        "hierarchical softmax: {verdict}."), n=vocab_large, ns=full[ns], hs=full[hs], verdict=verdict)
    scaling = finding(N_("From {small:,} to {large:,} words, time per epoch grew {ns:.2f}× for negative sampling and "
                         "{hs:.2f}× for hierarchical softmax. In theory negative sampling's cost per word does not "
                         "depend on the vocabulary (k random words) while hierarchical softmax walks a Huffman tree of "
                         "depth ≈ log₂V; but a larger vocabulary also means more tokens kept, so both grow, and at "
                         "these sizes the tree is only about 10 levels deep. Each point is a single run on a shared "
                         "machine: differences of a few tenths of a second are noise."),
                      small=vocab_small, large=vocab_large, ns=growth[ns], hs=growth[hs])
    q = {row["loss"]: row for row in quality}
    total = {loss: (q[loss]["semantic_accuracy"] or 0) + (q[loss]["syntactic_accuracy"] or 0) for loss in (ns, hs)}
    better = finding(hs if total[hs] > total[ns] else ns)
    accuracy = finding(N_("Analogy accuracy: negative sampling {ns_semantic:.0%} semantic / {ns_syntactic:.0%} "
                          "syntactic, hierarchical softmax {hs_semantic:.0%} / {hs_syntactic:.0%}: {better} gave the "
                          "better vectors on this small corpus with 5 epochs, so speed is not the whole story."),
                       ns_semantic=q[ns]["semantic_accuracy"] or 0, ns_syntactic=q[ns]["syntactic_accuracy"] or 0,
                       hs_semantic=q[hs]["semantic_accuracy"] or 0, hs_syntactic=q[hs]["syntactic_accuracy"] or 0,
                       better=better)
    return timing, scaling, accuracy
