"""A full disk is reported as a full disk (where, how much was needed), in the library, the app and the CLI.

The disk is filled by making the write raise what the kernel raises, ``OSError(ENOSPC)``,
at the moment embedlab writes: after part of the files is written, as on a real disk.
"""

from __future__ import annotations

import errno
import io
from pathlib import Path

import numpy as np
import pytest

from embedlab.records import Manifest
from embedlab.errors import DiskFullError
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace


def _enospc(path: object = None) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path) if path is not None else None)


def _vectors() -> WordVectors:
    return WordVectors.from_matrix([f"w{i}" for i in range(1000)], np.ones((1000, 50)))


def test_saving_a_model_on_a_full_disk_says_so_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    workspace = Workspace(tmp_path)
    real_save = np.save
    calls = []

    def save(path, array, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:  # the first array fits, the second does not
            raise _enospc(path)
        return real_save(path, array, *args, **kwargs)

    monkeypatch.setattr(np, "save", save)
    with pytest.raises(DiskFullError) as caught:
        workspace.save_model(_vectors(), Manifest(algorithm="word2vec"))
    message = str(caught.value)
    assert message.startswith("The disk is full") and str(tmp_path / "models") in message
    assert "needed about 0.4 MB" in message and "free there" in message  # unit and raw vectors, norms, counts, words
    assert [p.name for p in (tmp_path / "models").iterdir()] == []  # no half-written model, no .building- folder


def test_a_corpus_or_an_upload_on_a_full_disk_says_so(tmp_path: Path, monkeypatch) -> None:
    import embedlab.workspace as ws

    workspace = Workspace(tmp_path)
    source = tmp_path / "text.txt"
    source.write_text("the king and the queen\n" * 1000)

    def full(*args, **kwargs):
        raise _enospc(tmp_path / "corpora" / "x" / "tokens.txt")

    monkeypatch.setattr(ws, "prepare_corpus", full)
    with pytest.raises(DiskFullError, match=r"could not write .*corpora \(it needed about 0\.0 MB"):
        workspace.add_corpus(source, "text")
    assert [p.name for p in (tmp_path / "corpora").iterdir()] == []

    class FullStream(io.BytesIO):
        size = 5 * 1024**2

    real_open = open

    def open_full(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        if "incoming" in str(path) and "w" in mode:
            handle.write = lambda data: (_ for _ in ()).throw(_enospc(path))  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr("builtins.open", open_full)
    with pytest.raises(DiskFullError, match=r"incoming \(it needed about 5\.0 MB"):
        workspace.receive_upload(FullStream(b"x" * 1000))
    monkeypatch.undo()
    assert list((tmp_path / "incoming").iterdir()) == []


def test_a_job_on_a_full_disk_is_not_reported_as_a_bug() -> None:
    from embedlab.ui.feedback import BUG_MESSAGE
    from embedlab.ui.jobs import JobRunner

    def work(progress, cancel):
        raise _enospc("/srv/workspace/cache/map.npz")  # a write no size was known for

    job = JobRunner(max_workers=1).submit("Projecting", work, kind="projection")
    job.future.result(30)
    assert job.status == "failed" and job.error != BUG_MESSAGE
    assert job.error.startswith("The disk is full: embedlab could not write /srv/workspace/cache/map.npz")


def test_the_cli_says_the_disk_is_full_without_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    import embedlab.io as vector_io
    from embedlab.cli import main

    vectors_file = tmp_path / "v.txt"
    vectors_file.write_text("2 3\ncat 1 2 3\ndog 4 5 6\n")

    def full(*args, **kwargs):
        raise _enospc(tmp_path / "ws" / "models" / "unit.npy")

    monkeypatch.setattr(vector_io, "import_vectors", full)
    assert main(["--workspace", str(tmp_path / "ws"), "-q", "import", str(vectors_file)]) == 1
    err = capsys.readouterr().err
    assert "error: The disk is full" in err and "Traceback" not in err and "unit.npy" in err
