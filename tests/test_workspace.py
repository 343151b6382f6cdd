"""The workspace: atomic saves, listings that survive damage, reloads, uploads."""

from __future__ import annotations

import io
import os
import json
from pathlib import Path

import numpy as np
import pytest

from embedlab.errors import CorpusNotFoundError, FileTooLargeError, ModelNotFoundError
from embedlab.records import Manifest
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace, owner_tag


def small_vectors() -> WordVectors:
    rng = np.random.default_rng(0)
    return WordVectors.from_matrix(["国王", "queen", "a b"], rng.normal(size=(3, 4)), [30, 20, 10])


def test_save_and_reload_keeps_everything(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    vectors = small_vectors()
    model_id = workspace.save_model(vectors, Manifest(algorithm="word2vec", params={"window": 5}))
    again = Workspace(tmp_path)  # a server restart
    loaded = again.load_vectors(model_id)
    assert loaded.words == vectors.words and loaded.fingerprint == vectors.fingerprint
    assert np.allclose(loaded.raw(), vectors.raw(), atol=1e-6)
    assert list(loaded.counts) == [30, 20, 10]
    assert [r.model_id for r in again.list_models()] == [model_id]


def test_half_written_models_are_invisible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace(tmp_path)
    kept = workspace.save_model(small_vectors(), Manifest(algorithm="glove"))

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("embedlab.workspace.atomic_write_text", explode)
    with pytest.raises(OSError):
        workspace.save_model(small_vectors(), Manifest(algorithm="glove"))
    assert [r.model_id for r in workspace.list_models()] == [kept]
    assert [p.name for p in (tmp_path / "models").iterdir()] == [kept]


def test_a_damaged_manifest_hides_only_that_model(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    good = workspace.save_model(small_vectors(), Manifest(algorithm="word2vec"))
    bad = workspace.save_model(small_vectors(), Manifest(algorithm="word2vec"), model_id="broken")
    (tmp_path / "models" / bad / "manifest.json").write_text("{not json")
    assert [r.model_id for r in workspace.list_models()] == [good]


def test_rename_and_delete(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    model_id = workspace.save_model(small_vectors(), Manifest(algorithm="word2vec"))
    workspace.rename_model(model_id, "  Kings and queens ")
    assert workspace.manifest(model_id).name == "Kings and queens"
    workspace.delete_model(model_id)
    assert workspace.list_models() == []
    with pytest.raises(ModelNotFoundError):
        workspace.load_vectors(model_id)


def test_ids_cannot_escape_the_workspace(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError):
        Workspace(tmp_path / "ws").manifest("../../etc")
    with pytest.raises(CorpusNotFoundError, match="not a valid corpus id"):
        Workspace(tmp_path / "ws").load_corpus("../../etc")
    with pytest.raises(CorpusNotFoundError, match="not in the workspace"):
        Workspace(tmp_path / "ws").load_corpus("corpus-20990101-000000-dead")


def test_uploads_are_copied_in_chunks_under_our_own_name(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    path = workspace.receive_upload(io.BytesIO(b"x" * 3_000_000))
    assert path.parent == tmp_path / "incoming" and path.stat().st_size == 3_000_000
    with pytest.raises(FileTooLargeError, match="larger than"):
        workspace.receive_upload(io.BytesIO(b"x" * 3_000_000), max_bytes=1_000_000)
    assert len(list((tmp_path / "incoming").iterdir())) == 1


def test_abandoned_leftovers_are_cleaned_when_the_workspace_opens(tmp_path: Path) -> None:
    import os
    import time

    workspace = Workspace(tmp_path)
    old = workspace.receive_upload(io.BytesIO(b"left by a closed tab"))
    fresh = workspace.receive_upload(io.BytesIO(b"being added right now"))
    killed = tmp_path / "models" / ".building-word2vec-20260101-000000-abcd"  # a save cut short by a kill
    killed.mkdir()
    (killed / "unit.npy").write_bytes(b"partial")
    saving = tmp_path / "corpora" / f".building-corpus-now-{owner_tag()}"  # a save in progress, in this process
    saving.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (old, killed):
        os.utime(path, (two_days_ago, two_days_ago))
    Workspace(tmp_path)
    assert not old.exists() and not killed.exists()
    assert fresh.exists() and saving.exists()


def test_corpus_folder_appears_only_when_complete(tmp_path: Path) -> None:
    from embedlab.errors import EmptyCorpusError

    workspace = Workspace(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(EmptyCorpusError):
        workspace.add_corpus(empty, "empty")
    assert list((tmp_path / "corpora").iterdir()) == []
    good = tmp_path / "good.txt"
    good.write_text("one two three\nfour five\n")
    corpus = workspace.add_corpus(good, "good")
    assert workspace.load_corpus(corpus.corpus_id).n_tokens == 5
    data = json.loads((tmp_path / "corpora" / corpus.corpus_id / "corpus.json").read_text())
    assert data["name"] == "good"


def test_saved_arrays_load_without_pickle(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    model_id = workspace.save_model(small_vectors(), Manifest(algorithm="word2vec"))
    folder = tmp_path / "models" / model_id
    assert sorted(p.name for p in folder.glob("*.npy")) == ["counts.npy", "norms.npy", "raw.npy", "unit.npy"]
    arrays = {p.name: np.load(p, allow_pickle=False) for p in folder.glob("*.npy")}
    assert all(a.dtype != object for a in arrays.values())
    assert arrays["unit.npy"].shape == (3, 4) and list(arrays["counts.npy"]) == [30, 20, 10]
    assert json.loads((folder / "words.json").read_text(encoding="utf-8")) == ["国王", "queen", "a b"]


def test_bootstrap_trains_the_sample_once(tmp_path: Path) -> None:
    """`make run`'s first step: a fresh workspace gets the English sample and one Word2Vec; a second call does nothing."""
    from embedlab.bootstrap import bootstrap

    workspace = Workspace(tmp_path)
    model_id = bootstrap(workspace)
    assert [r.model_id for r in workspace.list_models()] == [model_id]
    assert workspace.list_corpora()[0].name.startswith("English sample")
    assert "queen" in workspace.load_vectors(model_id).index
    assert bootstrap(workspace) is None
    assert len(workspace.list_models()) == 1 and len(workspace.list_corpora()) == 1


def _exited_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_a_process_that_is_gone_are_removed_at_once(tmp_path: Path) -> None:
    # a kill or a restart left a half-built model, a refused upload and unzip scratch; they used to wait 24 h
    workspace = Workspace(tmp_path)
    dead = f"p{_exited_pid()}x0a1b2c"
    killed_build = tmp_path / "models" / f".building-word2vec-20261128-120000-abcd-{dead}"
    killed_build.mkdir()
    (killed_build / "unit.npy").write_bytes(b"partial" * 1000)
    refused = tmp_path / "incoming" / f"{dead}-0123456789abcdef.upload"
    refused.write_bytes(b"a refused upload")
    scratch = tmp_path / "incoming" / f".unzip-{dead}-xyz"
    scratch.mkdir()
    unmarked = tmp_path / "corpora" / ".building-corpus-20261128-120000-abcd"  # made before marks existed
    unmarked.mkdir()
    reused_pid = tmp_path / "corpora" / f".building-corpus-x-p{os.getpid()}xffffff"  # our pid, an earlier process
    reused_pid.mkdir()
    mine = workspace.receive_upload(io.BytesIO(b"this process's pending upload"))
    assert owner_tag() in mine.name
    live_other = tmp_path / "models" / f".building-m-p1x0a1b2c"  # pid 1 runs: its owner may still finish it
    live_other.mkdir()
    Workspace(tmp_path)  # a restart opens the workspace again: no waiting for the files to be a day old
    assert not killed_build.exists() and not refused.exists() and not scratch.exists()
    assert not unmarked.exists() and not reused_pid.exists()
    assert mine.exists() and live_other.exists()


#: a process that builds a corpus's concordance index and is stopped inside the build: ``crash`` dies after the
#: first array is written (a kill, a power cut), ``pause`` waits there until the test writes ``go``
_INDEX_BUILDER = """
import os, sys, time
from pathlib import Path
import numpy as np
from embedlab.workspace import Workspace

mode, root, corpus_id, signals = sys.argv[1:]
real_save = np.save

def save(path, array, *args, **kwargs):
    real_save(path, array, *args, **kwargs)
    if mode == "crash":
        os._exit(3)
    Path(signals, "started").write_text(str(path))
    while not Path(signals, "go").exists():
        time.sleep(0.02)

np.save = save
workspace = Workspace(root)
print(workspace.concordance_index(workspace.load_corpus(corpus_id)).n_tokens)
"""


def _index_builder(mode: str, workspace: Workspace, corpus_id: str, signals: Path):
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.Popen([sys.executable, "-c", _INDEX_BUILDER, mode, str(workspace.root), corpus_id, str(signals)],
                            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_crashed_concordance_build_is_swept_but_one_running_elsewhere_is_not(tmp_path: Path) -> None:
    import time

    from embedlab.concordance import index_is_current
    from embedlab.config import CorpusParams

    workspace = Workspace(tmp_path / "ws")
    text = tmp_path / "c.txt"
    text.write_text("The king met the queen.\nA queen, a king!\n" * 50, encoding="utf-8")
    corpus = workspace.add_corpus(text, "c.txt", CorpusParams("words"), index=False)
    home = workspace.concordance_dir(corpus).parent
    signals = tmp_path / "signals"
    signals.mkdir()

    crashed = _index_builder("crash", workspace, corpus.corpus_id, signals)
    assert crashed.wait(timeout=120) == 3, crashed.stderr.read()
    [leftover] = [p for p in home.iterdir() if p.name.startswith(".concordance.building-")]
    assert any(leftover.iterdir())  # a half-written index
    Workspace(workspace.root)  # the next start
    assert not leftover.exists()

    running = _index_builder("pause", workspace, corpus.corpus_id, signals)
    try:
        deadline = time.monotonic() + 120
        while not (signals / "started").exists():
            assert running.poll() is None and time.monotonic() < deadline, running.stderr.read()
            time.sleep(0.05)
        [building] = [p for p in home.iterdir() if p.name.startswith(".concordance.building-")]
        Workspace(workspace.root)  # this process starts while the other still builds
        assert building.exists()
        (signals / "go").write_text("")
        out, err = running.communicate(timeout=120)
    finally:
        if running.poll() is None:
            running.kill()
    assert running.returncode == 0, err
    assert int(out) == 9 * 50  # the other process finished its index: 9 tokens a pair of lines
    assert index_is_current(workspace.concordance_dir(corpus), corpus.fingerprint)
    assert [p.name for p in home.iterdir() if p.name.startswith(".")] == []  # the build cleaned up after itself


#: a process that saves something through a temporary name and is stopped just before the rename: ``crash`` dies
#: there (a kill, a power cut), ``pause`` waits there until the test writes ``go``
_SAVER = """
import os, sys, time
from pathlib import Path
import numpy as np
from embedlab import classroom
from embedlab.workspace import Workspace

mode, what, root, model_id, published, signals = sys.argv[1:]
real_replace = os.replace

def replace(src, dst):
    if mode == "crash":
        os._exit(3)
    Path(signals, "started").write_text(str(src))
    while not Path(signals, "go").exists():
        time.sleep(0.02)
    real_replace(src, dst)

os.replace = replace
workspace = Workspace(root)
if what == "snapshots":
    workspace.save_snapshots(model_id, {"steps": np.arange(1000)})
elif what == "manifest":
    workspace.rename_model(model_id, "renamed")
else:
    classroom.publish(workspace.root, model_id, Path(published))
print("saved")
"""


def _saver(mode: str, what: str, workspace: Workspace, model_id: str, published: Path, signals: Path):
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.Popen([sys.executable, "-c", _SAVER, mode, what, str(workspace.root), model_id, str(published),
                             str(signals)], cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _temporaries(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("what", ["snapshots", "manifest", "publish"])
def test_a_crashed_save_is_swept_but_one_running_elsewhere_is_not(tmp_path: Path, what: str) -> None:
    """A model's partial ``.snapshots-*.npz``, an interrupted atomic save's ``.tmp`` and a classroom publish's
    ``.building-*`` copy: what a killed process left goes when the workspace opens next; the same file of a save in
    progress in another, live process is never touched, and that save completes."""
    import time

    workspace = Workspace(tmp_path / "ws")
    model_id = workspace.save_model(small_vectors(), Manifest(algorithm="word2vec", name="m"))
    published = tmp_path / "published"
    folder = workspace.root / "models" / model_id
    home = published / "models" if what == "publish" else folder
    signals = tmp_path / "signals"
    signals.mkdir()

    crashed = _saver("crash", what, workspace, model_id, published, signals)
    assert crashed.wait(timeout=120) == 3, crashed.stderr.read()
    [leftover] = _temporaries(home)
    assert f"p{crashed.pid}x" in leftover.name  # marked with its maker's owner mark
    Workspace(published if what == "publish" else workspace.root)  # the next start
    assert not leftover.exists() and _temporaries(home) == []
    assert workspace.manifest(model_id).name == "m" and not workspace.has_snapshots(model_id)

    running = _saver("pause", what, workspace, model_id, published, signals)
    try:
        deadline = time.monotonic() + 120
        while not (signals / "started").exists():
            assert running.poll() is None and time.monotonic() < deadline, running.stderr.read()
            time.sleep(0.05)
        [partial] = _temporaries(home)
        Workspace(workspace.root)  # this process starts while the other still saves
        Workspace(published)
        assert partial.exists()
        (signals / "go").write_text("")
        out, err = running.communicate(timeout=120)
    finally:
        if running.poll() is None:
            running.kill()
    assert running.returncode == 0 and out.strip() == "saved", err
    assert _temporaries(folder) == [] and (not home.exists() or _temporaries(home) == [])
    if what == "snapshots":
        assert list(workspace.load_snapshots(model_id)["steps"]) == list(range(1000))
    elif what == "manifest":
        assert workspace.manifest(model_id).name == "renamed"
    else:
        assert (published / "models" / model_id / "manifest.json").exists()
