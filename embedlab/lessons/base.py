"""What every lesson is and hands back, and the steps they share.

A lesson is a workflow: it prepares a built-in sample, trains small models with
fixed, stated parameters, saves them in the workspace (so the user can explore the
same model on another page), measures something and words what *this run* shows.
The result is a JSON-ready record the store keeps, so a reload shows the last run.

Findings are stored as message ids and their values (``finding()``), not as text: a run
made in an English session reads in Chinese after the language is switched, and the
other way round. Results stored before that (plain sentences) are shown as they are.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from embedlab.corpus import PreparedCorpus
from embedlab.i18n import N_, _, pgettext, render
from embedlab.progress import CancelToken, ProgressFn, check, scaled
from embedlab.samples import shown_corpus_name
from embedlab.workspace import Workspace

#: every lesson trains with two worker threads: the machine a class uses may have no more
WORKERS = 2
#: lesson models are named so a user recognises them in the model list (in the language of the run)
MODEL_PREFIX = N_("Lesson")

#: a finding as stored: {"msgid": English template, "params": {name: value}}; a value may itself be a
#: finding (a clause chosen by the result) or a list of them (shown as a list in the reader's language)
Finding = Mapping[str, Any]


def finding(msgid: str, **params: Any) -> dict[str, Any]:
    """A sentence to show later in the reader's language: ``msgid`` is marked with ``N_()`` by the caller.

    Values stay data (numbers, words); the template formats them (``{accuracy:.0%}``), so the
    translation decides the word order and keeps the same format specs.
    """
    return {"msgid": msgid, "params": params}


def render_finding(item: Any) -> str:
    """A stored finding in the current language; a plain string (a result stored before) as it is."""
    if isinstance(item, Mapping) and "msgid" in item:
        params = {name: _render_value(value) for name, value in dict(item.get("params") or {}).items()}
        return render(str(item["msgid"]), params)
    return str(item)


def _render_value(value: Any) -> Any:
    if isinstance(value, Mapping) and "msgid" in value:
        return render_finding(value)
    if isinstance(value, (list, tuple)):
        return pgettext("list separator", ", ").join(str(_render_value(v)) for v in value)
    return value


@dataclass(frozen=True)
class LessonModel:
    """A model a lesson saved: its role in the lesson (e.g. 'CBOW') and its id."""

    role: str
    model_id: str


@dataclass(frozen=True)
class LessonResult:
    """One run of a lesson: exact parameters, models saved, measurements and what they show."""

    key: str
    #: what was trained, with which parameters: {"Word2Vec CBOW": {...params...}, ...}
    params: Mapping[str, Mapping[str, Any]]
    #: the lesson's own measurements, JSON-ready (tables as lists of row dicts)
    data: Mapping[str, Any]
    #: two or three sentences computed from ``data``: what this run shows (``finding()`` records;
    #: plain strings in results stored before findings were translatable)
    findings: tuple[Finding | str, ...]
    #: models saved, the one to explore first first
    models: tuple[LessonModel, ...] = ()
    seconds: float = 0.0
    corpus_id: str = ""
    created: float = field(default_factory=time.time)

    @property
    def primary_model(self) -> str | None:
        return self.models[0].model_id if self.models else None

    def finding_texts(self) -> list[str]:
        """The findings in the current language."""
        return [render_finding(item) for item in self.findings]

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "LessonResult":
        values = dict(data)
        values["models"] = tuple(LessonModel(**m) for m in values.get("models", ()))
        values["findings"] = tuple(values.get("findings", ()))
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


Runner = Callable[[Workspace, ProgressFn, "CancelToken | None"], LessonResult]


@dataclass(frozen=True)
class Lesson:
    """A guided lesson: its title, the question it answers, where to explore further, and how to run it."""

    key: str
    #: title and question are English msgids (marked ``N_()``), translated where shown
    title: str
    question: str
    #: (page file, link label) of the page to explore the lesson's model on; the label is the menu's msgid
    explore: tuple[str, str]
    run: Runner
    #: rough seconds on 2 cores, shown on the button
    expected_seconds: int = 20


class Steps:
    """Share one progress bar between a lesson's steps by their rough cost.

    >>> seen = []
    >>> steps = Steps(lambda d, t, m: seen.append(round(d / t, 2)), {"a": 1, "b": 3})
    >>> steps.next("a")(1, 1, "done")
    >>> steps.next("b")(1, 2, "half")
    >>> seen
    [0.25, 0.62]
    """

    def __init__(self, on_progress: ProgressFn, costs: Mapping[str, float]) -> None:
        self.on_progress = on_progress
        total = sum(costs.values()) or 1.0
        self.bounds: dict[str, tuple[float, float]] = {}
        start = 0.0
        for name, cost in costs.items():
            self.bounds[name] = (start, start + cost / total)
            start += cost / total

    def next(self, name: str) -> ProgressFn:
        start, end = self.bounds[name]
        return scaled(self.on_progress, start, end)


def lesson_model_name(lesson_title: str, what: str, corpus: PreparedCorpus) -> str:
    """A saved model's name, in the language of the run (a name is data once saved, like a user's)."""
    return f"{_(MODEL_PREFIX)} · {_(lesson_title)} · {_(what)} · {shown_corpus_name(corpus.name)}"


def train_saved(workspace: Workspace, algorithm: str, params: Any, corpus: PreparedCorpus, name: str,
                on_progress: ProgressFn, cancel: CancelToken | None) -> tuple[str, float]:
    """Train, save, and return (model id, training seconds as the trainer measured them)."""
    from embedlab.workflows import train_and_save

    check(cancel)
    model_id = train_and_save(workspace, algorithm, params, corpus, name, on_progress, cancel)
    return model_id, float(workspace.manifest(model_id).timings.get("train_s", 0.0))


def params_json(params: Any) -> dict[str, Any]:
    return dataclasses.asdict(params)


def ranked(words: Sequence[str], target: str) -> int | None:
    """1-based rank of ``target`` in ``words``, None when absent."""
    return words.index(target) + 1 if target in words else None
