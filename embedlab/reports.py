"""Tables for people: stored scores and model facts as pandas frames, and short column titles.

Reads typed records (``embedlab.records``) only: computing scores is
``embedlab.scoring``, storing them ``embedlab.workflows``.

The frames keep English column names (the CLI prints them, tests and CSV downloads read
them); ``for_display`` renames a frame's columns into the reader's language just before
it is drawn. Score keys ('Google analogies · 3CosAdd') are stored data, so they too are
translated only when shown (``score_title``).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Sequence

import pandas as pd

from embedlab.benchmark_files import BUNDLED
from embedlab.i18n import N_, _
from embedlab.records import ComparisonRecord, Manifest
from embedlab.train.registry import ALGORITHMS, label as algorithm_label

#: every column title these tables (and the comparison tables of ``embedlab.agreement``) show, as msgids
COLUMN_TITLES: dict[str, str] = {name: name for name in (
    N_("model"), N_("algorithm"), N_("vocabulary"), N_("dimensions"), N_("training time (s)"), N_("memory (MB)"),
    N_("benchmark"), N_("before"), N_("after"), N_("change"), N_("coverage before"), N_("coverage after"),
    N_("section"), N_("accuracy"), N_("answered"), N_("questions"), N_("question"), N_("expected"),
    N_("word"), N_("similarity"), N_("frequency rank"), N_("agreement"), N_("shared neighbours"),
    N_("neighbours in every model"), N_("category"),
)}
COVERAGE_SUFFIX = " coverage"


def _round(value: Any, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def summary_table(records: Sequence[tuple[str, Manifest]]) -> pd.DataFrame:
    """One row per model (name, manifest): size, time, memory, and every stored benchmark score.

    Scores are fractions (accuracy, Spearman ρ); each has a coverage column beside it
    so a high score on few answerable items is visibly so.
    """
    rows = []
    for name, manifest in records:
        metrics = manifest.metrics
        row: dict[str, Any] = {
            "model": name,
            "algorithm": algorithm_label(manifest.algorithm),
            "vocabulary": manifest.vocab_size,
            "dimensions": manifest.dim,
            "training time (s)": _round(manifest.timings.get("total_s"), 1),
            "memory (MB)": _round(metrics.memory_bytes / 1024**2, 2) if metrics.memory_bytes else None,
        }
        for key, value in sorted(metrics.benchmarks.items()):
            row[key] = _round(value.score, 4)
            row[f"{key} coverage"] = _round(value.coverage, 3)
        rows.append(row)
    return pd.DataFrame(rows)


def score_diff(before: Manifest, after: Manifest) -> pd.DataFrame:
    """Benchmarks both manifests have scores for: before, after and the change (what-if)."""
    a, b = before.metrics.benchmarks, after.metrics.benchmarks
    rows = []
    for key in sorted(set(a) & set(b)):
        sa, sb = a[key].score, b[key].score
        rows.append({"benchmark": key, "before": _round(sa, 4), "after": _round(sb, 4),
                     "change": None if sa is None or sb is None else round(sb - sa, 4),
                     "coverage before": _round(a[key].coverage, 3),
                     "coverage after": _round(b[key].coverage, 3)})
    return pd.DataFrame(rows, columns=["benchmark", "before", "after", "change", "coverage before", "coverage after"])


def analogy_keys(manifests: Sequence[Manifest]) -> list[str]:
    """Keys of the analogy scores any of these models has, sorted."""
    return sorted({key for m in manifests for key, value in m.metrics.benchmarks.items() if value.kind == "analogy"})


def section_rows(manifests: Sequence[Manifest], key: str) -> pd.DataFrame:
    """Per-section accuracy of the analogy score ``key``, one row per model and section."""
    rows = []
    for manifest in manifests:
        score = manifest.metrics.benchmarks.get(key)
        for section in score.sections if score is not None else ():
            rows.append({"model": manifest.name, "section": section["section"], "accuracy": section["accuracy"],
                         "answered": section["answered"], "questions": section["total"]})
    return pd.DataFrame(rows)


def wrong_rows(manifests: Sequence[Manifest], key: str) -> pd.DataFrame:
    """The wrong answers kept with the analogy score ``key`` (a few per section)."""
    rows = []
    for manifest in manifests:
        score = manifest.metrics.benchmarks.get(key)
        for section in score.sections if score is not None else ():
            for a, b, c, expected, predicted in section.get("wrong_examples", []):
                rows.append({"model": manifest.name, "section": section["section"],
                             "question": f"{a} : {b} :: {c} : ?", "expected": expected, "answered": predicted})
    return pd.DataFrame(rows)


def score_title(key: str) -> str:
    """A stored score key in the reader's language: the bundled benchmarks' names translated, methods kept."""
    benchmark, separator, method = key.partition(" · ")
    # the bundled benchmarks' labels are msgids; a user's file name is data, never looked up
    shown = _(benchmark) if benchmark in {entry.label for entry in BUNDLED.values()} else benchmark
    return f"{shown}{separator}{method}"


def column_title(column: object) -> str:
    """One column's title in the reader's language (names it does not know, such as model names, stay)."""
    text = str(column)
    if text in COLUMN_TITLES:
        return _(COLUMN_TITLES[text])
    if text.endswith(COVERAGE_SUFFIX) and text != COVERAGE_SUFFIX.strip():
        return _("{score} coverage").format(score=score_title(text[: -len(COVERAGE_SUFFIX)]))
    return score_title(text)


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its column titles in the reader's language (call it just before drawing the table)."""
    return table.rename(columns={c: column_title(c) for c in table.columns})


def setting_label(algorithm: str, field_name: str) -> str:
    """A training setting as the forms name it ('Window'), in the reader's language; unknown fields keep their name."""
    spec = ALGORITHMS.get(algorithm)
    for f in dataclasses.fields(spec.params_class) if spec is not None else ():
        if f.name == field_name:
            return _(f.metadata.get("label", field_name))
    return field_name


def setting_value(algorithm: str, field_name: str, value: Any) -> str:
    """A setting's value as the forms show it: choices by their label ('skip-gram'), other values as they are."""
    spec = ALGORITHMS.get(algorithm)
    for f in dataclasses.fields(spec.params_class) if spec is not None else ():
        if f.name == field_name and value in f.metadata.get("choice_labels", {}):
            return _(f.metadata["choice_labels"][value])
    return f"{value:g}" if isinstance(value, float) else str(value)


def column_names(manifests: Sequence[Manifest], comparison: ComparisonRecord | None = None) -> list[str]:
    """Short, distinct column titles for compared models: the algorithms when they differ, else their names.

    A what-if comparison is titled 'before' / 'after: window = 10' so the change is always in view
    (the setting as the forms label it, lower-cased in English: a title, not a sentence).
    """
    if comparison is not None and comparison.what_if_change is not None and len(manifests) == 2:
        name, _before, after = comparison.what_if_change
        algorithm = manifests[1].algorithm
        setting = setting_label(algorithm, name)
        setting = setting[:1].lower() + setting[1:]
        return [_("before"), _("after: {setting} = {value}").format(setting=setting,
                                                                    value=setting_value(algorithm, name, after))]
    algorithms = [algorithm_label(m.algorithm) for m in manifests]
    if len(set(algorithms)) == len(algorithms):
        return algorithms
    return [str(m.name or m.id or _("model {n}").format(n=i + 1))[:40] for i, m in enumerate(manifests)]
