"""Guided lessons: the classic demonstrations of word embeddings, each one click on shipped data.

Each lesson module trains small models with stated parameters, saves them (so the
user can explore the same model on another page), measures, and words what this
run shows. ``LESSONS`` lists them in teaching order; ``run_lesson`` runs one and
stores its result in the workspace, replacing the models of its previous run.
"""

from __future__ import annotations

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_
from embedlab.lessons import analogies, architectures, cooccurrence, item2vec, objectives, subwords, window
from embedlab.lessons.base import Lesson, LessonModel, LessonResult
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.workspace import Workspace

__all__ = ["LESSONS", "Lesson", "LessonModel", "LessonResult", "get_lesson", "run_lesson", "load_result"]

LESSONS: tuple[Lesson, ...] = (
    Lesson(analogies.KEY, analogies.TITLE,
           N_("Does vector arithmetic find queen from king − man + woman, in English and in Chinese?"),
           ("pages/6_Analogies.py", N_("Analogies")), analogies.run, 15),
    Lesson(architectures.KEY, architectures.TITLE,
           N_("Is CBOW faster, and is skip-gram better on rare words?"), ("pages/8_Evaluate.py", N_("Evaluate")),
           architectures.run, 20),
    Lesson(objectives.KEY, objectives.TITLE,
           N_("How do the two output layers compare in speed and quality, and how does each scale with the vocabulary?"),
           ("pages/8_Evaluate.py", N_("Evaluate")), objectives.run, 25),
    Lesson(subwords.KEY, subwords.TITLE,
           N_("Can a model give a vector to a word it never saw?"), ("pages/5_Neighbours.py", N_("Neighbours")),
           subwords.run, 20),
    Lesson(cooccurrence.KEY, cooccurrence.TITLE,
           N_("Why does GloVe fit ratios of co-occurrence probabilities?"), ("pages/4_Map.py", N_("Map")),
           cooccurrence.run, 15),
    Lesson(window.KEY, window.TITLE,
           N_("Does a small window find words of the same function, a large one words of the same topic?"),
           ("pages/5_Neighbours.py", N_("Neighbours")), window.run, 15),
    Lesson(item2vec.KEY, item2vec.TITLE,
           N_("Do shopping sessions teach a model which products go together, better than recommending bestsellers?"),
           ("pages/5_Neighbours.py", N_("Neighbours")), item2vec.run, 15),
)
_BY_KEY = {lesson.key: lesson for lesson in LESSONS}


def get_lesson(key: str) -> Lesson:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise EmbedlabError(N_("There is no lesson called '{key}'; the lessons are {keys}."), key=key,
                            keys=", ".join(_BY_KEY)) from None


def load_result(workspace: Workspace, key: str) -> LessonResult | None:
    """The last stored run of lesson ``key``, or None."""
    data = workspace.load_lesson_result(key)
    return LessonResult.from_json(data) if data is not None else None


def run_lesson(workspace: Workspace, key: str, on_progress: ProgressFn = no_progress,
               cancel: CancelToken | None = None) -> LessonResult:
    """Run a lesson, store its result, and delete the models of its previous run (they are replaced)."""
    lesson = get_lesson(key)
    previous = load_result(workspace, key)
    result = lesson.run(workspace, on_progress, cancel)
    workspace.save_lesson_result(key, result.to_json())
    if previous is not None:
        kept = {m.model_id for m in result.models}
        existing = {r.model_id for r in workspace.list_models()}
        for model in previous.models:
            if model.model_id not in kept and model.model_id in existing:
                workspace.delete_model(model.model_id)
    return result
