"""The set-up step: measured timings are kept, and a second `make run` does not redo the compiles."""

from __future__ import annotations

from embedlab import bootstrap, machine
from embedlab.workspace import Workspace


def test_machine_timings_round_trip_and_a_second_set_up_starts_at_once(tmp_path) -> None:
    workspace = Workspace(tmp_path)
    assert machine.load(workspace) == machine.MachineTimings()  # nothing measured yet: no estimate, no guess
    measured = machine.MachineTimings(umap_warm_up_s=17.0, umap_reference_s=5.2, glove_first_s=5.7,
                                      versions=machine.current_versions())
    machine.save(workspace, measured)
    assert machine.load(workspace) == measured
    assert bootstrap.prepare_kernels(workspace) is None  # already done for these versions
    (workspace.cache_dir / machine.FILE_NAME).write_text("{not json")
    assert machine.load(workspace) == machine.MachineTimings()
