"""Training playback: snapshots of the most frequent words' vectors after every epoch, and how to replay them.

A trainer given an ``EpochRecorder`` hands it the top-N rows of its current vectors
before the first epoch (frame 0, the random start) and after each epoch. Frames are
kept as float16 (2,000 words x 100 dimensions is 400 kB a frame): enough for a map
and for neighbours, whose cosines change in the third decimal at most.

Replaying is pure maths on the frames: each frame is rotated onto the next one
(orthogonal Procrustes, ``agreement.procrustes``), from the last frame backwards, so
the last frame keeps the model's own orientation and consecutive frames differ only
by what training changed, not by an arbitrary rotation; one PCA, fitted on the last
frame, then draws every frame in the same two axes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from embedlab.agreement import procrustes
from embedlab.errors import EmbedlabError
from embedlab.i18n import N_

#: the most frequent words recorded by default
DEFAULT_TOP_N = 2000
MAX_TOP_N = 20_000
SNAPSHOT_DTYPE = np.float16


@dataclass
class EpochRecorder:
    """Collects the top-N words' vectors once before training and after every epoch (or GloVe iteration)."""

    top_n: int = DEFAULT_TOP_N
    words: tuple[str, ...] = ()
    frames: list[np.ndarray] = field(default_factory=list)
    epochs: list[int] = field(default_factory=list)
    #: seconds spent copying frames (what recording costs the training run)
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if not 2 <= self.top_n <= MAX_TOP_N:
            raise EmbedlabError(N_("Record between 2 and {max_top_n:,} words, not {top_n:,}."),
                                max_top_n=MAX_TOP_N, top_n=self.top_n)

    def start(self, vocabulary: Sequence[str]) -> int:
        """Fix the recorded words (the first ``top_n`` of a most-frequent-first vocabulary); returns how many."""
        self.words = tuple(vocabulary[: self.top_n])
        return len(self.words)

    @property
    def n_words(self) -> int:
        return len(self.words)

    def record(self, epoch: int, rows: np.ndarray) -> None:
        """Keep ``rows`` (the recorded words' current vectors, in ``words`` order) as frame ``epoch``."""
        started = time.perf_counter()
        frame = np.asarray(rows[: self.n_words], dtype=SNAPSHOT_DTYPE).copy()
        if frame.shape[0] != self.n_words:
            raise ValueError(f"expected {self.n_words} rows, got {frame.shape[0]}")
        if self.epochs and epoch == self.epochs[-1]:  # the same epoch reported twice keeps the later vectors
            self.frames[-1] = frame
        else:
            self.frames.append(frame)
            self.epochs.append(int(epoch))
        self.seconds += time.perf_counter() - started

    def snapshots(self) -> "Snapshots":
        if not self.frames:
            raise EmbedlabError(N_("Nothing was recorded: training stopped before its first epoch."))
        return Snapshots(self.words, np.asarray(self.epochs, dtype=np.int32), np.stack(self.frames))


@dataclass(frozen=True, eq=False)
class Snapshots:
    """Recorded frames: ``frames[i]`` holds ``words``' vectors after epoch ``epochs[i]`` (0: before training)."""

    words: tuple[str, ...]
    epochs: np.ndarray  # (E,) int32
    frames: np.ndarray  # (E, N, d) float16

    def __len__(self) -> int:
        return int(self.frames.shape[0])

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for ``np.savez`` (no object arrays, so loading never unpickles)."""
        return {"words": np.array(self.words, dtype=str), "epochs": self.epochs, "frames": self.frames}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> "Snapshots":
        words = tuple(str(w) for w in arrays["words"].tolist())
        frames = np.asarray(arrays["frames"])
        epochs = np.asarray(arrays["epochs"], dtype=np.int32)
        if frames.ndim != 3 or frames.shape[:2] != (len(epochs), len(words)):
            raise EmbedlabError(N_("The recorded training is damaged (its arrays do not fit together)."))
        return cls(words, epochs, frames)

    @property
    def nbytes(self) -> int:
        return int(self.frames.nbytes)

    def unit_frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as float32 rows of length 1 (zero rows stay zero)."""
        frame = self.frames[i].astype(np.float32)
        norms = np.linalg.norm(frame, axis=1, keepdims=True)
        return frame / np.where(norms > 0, norms, 1.0)

    def index_of(self, word: str) -> int:
        try:
            return self.words.index(word)
        except ValueError:
            raise EmbedlabError(N_("'{word}' is not among the {n_words:,} words recorded for this model "
                                   "(the most frequent ones)."), word=word, n_words=len(self.words)) from None


def aligned_frames(snapshots: Snapshots) -> list[np.ndarray]:
    """Unit frames, each rotated onto the (already aligned) frame after it; the last one unchanged."""
    frames = [snapshots.unit_frame(i) for i in range(len(snapshots))]
    aligned = [frames[-1]]
    for frame in reversed(frames[:-1]):
        aligned.append((frame @ procrustes(frame, aligned[-1])).astype(np.float32))
    return aligned[::-1]


def epoch_maps(snapshots: Snapshots) -> tuple[np.ndarray, tuple[float, float]]:
    """2-D coordinates of every word at every frame, (E, N, 2), in the last frame's two principal axes.

    Also returns the share of the last frame's variance the two axes hold.
    """
    aligned = aligned_frames(snapshots)
    last = aligned[-1].astype(np.float64)
    mean = last.mean(axis=0)
    _, singular, vt = np.linalg.svd(last - mean, full_matrices=False)
    axes = vt[:2]
    signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
    axes = axes * np.where(signs == 0, 1.0, signs)[:, None]
    coords = np.stack([(frame.astype(np.float64) - mean) @ axes.T for frame in aligned])
    total = float((singular ** 2).sum())
    shares = [float(s ** 2) / total if total > 0 else 0.0 for s in singular[:2]] + [0.0, 0.0]
    return coords.astype(np.float32), (shares[0], shares[1])


def neighbours_by_epoch(snapshots: Snapshots, word: str, k: int = 5) -> list[list[tuple[str, float]]]:
    """The ``k`` nearest recorded words of ``word`` at every frame, by cosine, best first."""
    row = snapshots.index_of(word)
    out = []
    for i in range(len(snapshots)):
        unit = snapshots.unit_frame(i)
        sims = unit @ unit[row]
        sims[row] = -np.inf
        order = np.argsort(-sims, kind="stable")[:k]
        out.append([(snapshots.words[j], float(sims[j])) for j in order])
    return out


def neighbour_overlap(by_epoch: list[list[tuple[str, float]]]) -> list[float]:
    """For each frame, the share of its neighbours that are also the last frame's: how settled the word is."""
    final = {w for w, _ in by_epoch[-1]}
    return [len(final & {w for w, _ in frame}) / max(len(final), 1) for frame in by_epoch]
