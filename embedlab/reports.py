"""Tables for people: stored scores and model facts as pandas frames, and short column titles.

Reads typed records (``embedlab.records``) only: computing scores is
``embedlab.scoring``, storing them ``embedlab.workflows``.
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from embedlab.records import ComparisonRecord, Manifest
from embedlab.train.registry import label as algorithm_label


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


def column_names(manifests: Sequence[Manifest], comparison: ComparisonRecord | None = None) -> list[str]:
    """Short, distinct column titles for compared models: the algorithms when they differ, else their names.

    A what-if comparison is titled 'before' / 'after: window = 10' so the change is always in view.
    """
    if comparison is not None and comparison.what_if_change is not None and len(manifests) == 2:
        name, _, after = comparison.what_if_change
        return ["before", f"after: {name} = {after}"]
    algorithms = [algorithm_label(m.algorithm) for m in manifests]
    if len(set(algorithms)) == len(algorithms):
        return algorithms
    return [str(m.name or m.id or f"model {i + 1}")[:40] for i, m in enumerate(manifests)]
