"""Timings measured on this machine at set-up, so the app's time estimates are this machine's.

``python -m embedlab.bootstrap`` (run by ``make run``) compiles the numba kernels and
measures how long UMAP takes here; the Map page reads the numbers back to say "about
N s" for a map and for the once-per-server UMAP preparation. Before the first set-up
there are no numbers, and the pages say nothing rather than guess.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from embedlab.workspace import Workspace, atomic_write_text

FILE_NAME = "machine.json"


@dataclass(frozen=True)
class MachineTimings:
    #: compiling UMAP's numba code that has no disk cache: paid once per server process
    umap_warm_up_s: float | None = None
    #: a warm UMAP of ``projection.REFERENCE_POINTS`` points
    umap_reference_s: float | None = None
    #: the first GloVe training in a fresh process after set-up (kernels loaded from the disk cache)
    glove_first_s: float | None = None
    #: library versions the numbers (and the compiled kernels) belong to
    versions: str = ""


def _path(workspace: Workspace) -> Path:
    return workspace.cache_dir / FILE_NAME


def current_versions() -> str:
    import numba
    import numpy

    from embedlab import __version__

    return f"embedlab {__version__}, numba {numba.__version__}, numpy {numpy.__version__}"


def load(workspace: Workspace) -> MachineTimings:
    """The measured timings, or an empty record (never raises: estimates are optional)."""
    try:
        data = json.loads(_path(workspace).read_text(encoding="utf-8"))
        names = {f.name for f in dataclasses.fields(MachineTimings)}
        return MachineTimings(**{k: v for k, v in data.items() if k in names})
    except (OSError, ValueError, TypeError):
        return MachineTimings()


def save(workspace: Workspace, timings: MachineTimings) -> None:
    atomic_write_text(_path(workspace), json.dumps(dataclasses.asdict(timings), indent=1))
