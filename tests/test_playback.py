"""Training playback: recording snapshots while training, storing them beside the model, replaying them."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab import config, playback
from embedlab.errors import EmbedlabError, ParameterError
from embedlab.playback import EpochRecorder, Snapshots

SMALL = {
    "word2vec": config.Word2VecParams(epochs=3, seed=1, workers=1, vector_size=32),
    "fasttext": config.FastTextParams(epochs=2, seed=1, workers=1, vector_size=32, bucket=20_000),
    "glove": config.GloVeParams(epochs=4, seed=1, workers=1, vector_size=32, x_max=10.0),
}


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    from embedlab.workflows import ensure_sample_corpus
    from embedlab.workspace import Workspace

    workspace = Workspace(tmp_path_factory.mktemp("playback"))
    return workspace, ensure_sample_corpus(workspace, "english")


def test_recorder_keeps_float16_frames_of_the_top_words() -> None:
    recorder = EpochRecorder(3)
    assert recorder.start(["a", "b", "c", "d"]) == 3
    rows = np.arange(12, dtype=np.float32).reshape(4, 3)
    recorder.record(0, rows)
    recorder.record(1, rows * 2)
    recorder.record(1, rows * 3)  # the same epoch again replaces its frame
    snapshots = recorder.snapshots()
    assert snapshots.words == ("a", "b", "c") and snapshots.epochs.tolist() == [0, 1]
    assert snapshots.frames.dtype == np.float16 and snapshots.frames.shape == (2, 3, 3)
    np.testing.assert_array_equal(snapshots.frames[1], (rows[:3] * 3).astype(np.float16))
    again = Snapshots.from_arrays(snapshots.to_arrays())
    assert again.words == snapshots.words and np.array_equal(again.frames, snapshots.frames)
    with pytest.raises(EmbedlabError, match="between 2 and"):
        EpochRecorder(1)
    with pytest.raises(EmbedlabError, match="Nothing was recorded"):
        EpochRecorder(5).snapshots()


@pytest.mark.parametrize("algorithm", list(SMALL))
def test_every_epoch_is_recorded_and_the_last_frame_is_the_saved_model(english, algorithm: str) -> None:
    from embedlab.workflows import train_and_save

    workspace, corpus = english
    model_id = train_and_save(workspace, algorithm, SMALL[algorithm], corpus, record_top=500)
    snapshots = Snapshots.from_arrays(workspace.load_snapshots(model_id))
    vectors = workspace.load_vectors(model_id)
    assert snapshots.words == vectors.words[:500]
    assert snapshots.epochs.tolist() == list(range(SMALL[algorithm].epochs + 1))  # the start, then every epoch
    last = snapshots.unit_frame(len(snapshots) - 1)
    np.testing.assert_allclose(last, np.asarray(vectors.unit[:500]), atol=2e-3)  # float16 of the final vectors
    assert not np.allclose(snapshots.unit_frame(0), last, atol=0.1)  # the start is not the end
    manifest = workspace.manifest(model_id)
    assert manifest.extra["playback"]["frames"] == len(snapshots) and manifest.extra["playback"]["words"] == 500
    workspace.delete_model(model_id)  # deleted with the model
    assert not workspace.has_snapshots(model_id)
    assert not any(p.name.startswith(model_id) for p in (workspace.root / "models").iterdir())


def test_training_without_recording_saves_no_snapshots(english) -> None:
    from embedlab.workflows import train_and_save

    workspace, corpus = english
    model_id = train_and_save(workspace, "word2vec", config.Word2VecParams(epochs=1, vector_size=16), corpus)
    assert workspace.load_snapshots(model_id) is None and "playback" not in workspace.manifest(model_id).extra


def test_an_algorithm_that_cannot_record_says_so(english, monkeypatch) -> None:
    import dataclasses

    import embedlab.train as training
    from embedlab.train import ALGORITHMS

    unable = dataclasses.replace(ALGORITHMS["word2vec"], records_epochs=False)  # e.g. a documents or graph trainer
    monkeypatch.setattr(training, "spec", lambda key: unable)
    with pytest.raises(ParameterError, match="Recording the training is not available for Word2Vec"):
        training.train("word2vec", config.Word2VecParams(), english[1], recorder=EpochRecorder(10))
    assert {key for key, s in ALGORITHMS.items() if s.records_epochs} >= {"word2vec", "fasttext", "glove"}


def _snapshots(frames: list[np.ndarray]) -> Snapshots:
    return Snapshots(tuple(f"w{i}" for i in range(frames[0].shape[0])), np.arange(len(frames), dtype=np.int32),
                     np.stack(frames).astype(np.float16))


def test_alignment_undoes_a_rotation_between_epochs() -> None:
    rng = np.random.default_rng(0)
    final = rng.normal(size=(200, 8))
    rotation, _ = np.linalg.qr(rng.normal(size=(8, 8)))
    noisy_earlier = final + rng.normal(scale=0.05, size=final.shape)
    aligned = playback.aligned_frames(_snapshots([noisy_earlier @ rotation, final]))
    unit = lambda m: m / np.linalg.norm(m, axis=1, keepdims=True)  # noqa: E731
    np.testing.assert_allclose(aligned[-1], unit(final), atol=2e-3)  # the last frame is left as it is
    assert np.abs(aligned[0] - unit(final)).mean() < 0.03  # the rotation is gone, the noise stays
    assert np.abs(unit(noisy_earlier @ rotation) - unit(final)).mean() > 0.1  # it was there


def test_maps_share_axes_and_neighbours_follow_a_word() -> None:
    rng = np.random.default_rng(1)
    start = rng.normal(size=(50, 6))
    end = start.copy()
    end[1] = end[0] + 0.01  # w1 ends next to w0
    snapshots = _snapshots([start, end])
    coords, (first, second) = playback.epoch_maps(snapshots)
    assert coords.shape == (2, 50, 2) and 0 < second <= first <= 1
    by_epoch = playback.neighbours_by_epoch(snapshots, "w0", 3)
    assert by_epoch[-1][0][0] == "w1" and len(by_epoch) == 2
    assert playback.neighbour_overlap(by_epoch)[-1] == 1.0
    with pytest.raises(EmbedlabError, match="not among the 50 words recorded"):
        playback.neighbours_by_epoch(snapshots, "nope")


def test_cli_records_then_prints_neighbours_per_epoch(tmp_path, capsys) -> None:
    from embedlab.cli import main

    workspace = str(tmp_path / "ws")
    assert main(["--workspace", workspace, "-q", "train", "word2vec", "--corpus", "english", "--record-epochs",
                 "--epochs", "2", "--vector-size", "32"]) == 0
    capsys.readouterr()
    assert main(["--workspace", workspace, "playback", "--word", "king", "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "Neighbours of 'king' epoch by epoch (1,327 words recorded" in out
    lines = [line for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert [line.split()[0] for line in lines] == ["0", "1", "2"]
    assert "queen" in lines[-1]
    assert main(["--workspace", workspace, "-q", "train", "word2vec", "--corpus", "english", "--epochs", "1"]) == 0
    assert main(["--workspace", workspace, "playback"]) == 1
    assert "trained without recording" in capsys.readouterr().err
