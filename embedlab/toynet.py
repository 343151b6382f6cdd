"""Word2Vec from inside: a toy network trained one example at a time, in plain numpy.

This is the network the Word2Vec papers describe, small enough to watch: a one-hot
input layer, a hidden layer with no activation (the input vectors, ``w_in``), and an
output layer (the output vectors, ``w_out``) scored by a softmax over the whole
vocabulary or by negative sampling. Every step trains one example and records what
it did, so a page can show the pair, both weight matrices, the loss and the
neighbours as they change.

It follows word2vec.c and gensim where they make choices, so the same pairs give the
same updates (a test checks it against gensim):

* skip-gram feeds each *context* word and predicts the centre word (the same pairs
  as centre → context over a pass, in word2vec.c's order);
* ``w_in`` starts uniform in ±0.5/dim and ``w_out`` at zero;
* negatives are drawn from the unigram distribution raised to 0.75, and a negative
  that happens to be the true output word is skipped;
* CBOW averages the context vectors, and each context vector then receives the
  hidden layer's whole error, not the 1/n share the exact gradient gives it
  (``update_scale``); a test shows both the exact gradient and this convention.

Windows are fixed (no random shrinking) and nothing is subsampled, so a step is a
pure function of the step number and the seed: ``Next`` then ``20`` gives exactly
the weights of ``21``.

>>> net = ToyNetwork(parse_corpus("king rules castle\\nqueen rules castle"), ToyConfig(dim=3, seed=1))
>>> net.words
('rules', 'castle', 'king', 'queen')
>>> record = net.step()[0]
>>> (net.describe(record.example), record.step)
('rules → king', 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Sequence

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_

Architecture = Literal["skipgram", "cbow"]
Objective = Literal["negative", "softmax"]
ARCHITECTURES: tuple[str, ...] = ("skipgram", "cbow")
OBJECTIVES: tuple[str, ...] = ("negative", "softmax")
#: a toy is for watching: beyond this the heatmaps stop being readable
MAX_VOCABULARY = 40
MAX_TOKENS = 300
MAX_LEARNING_RATE = 2.0
#: weights this large mean the learning rate is too high and training has diverged
DIVERGED = 1e4
#: word2vec's unigram distortion for drawing negatives
NEGATIVE_POWER = 0.75

DEFAULT_CORPUS = (
    "king rules castle\n"
    "queen rules castle\n"
    "man eats apple\n"
    "woman eats apple\n"
    "man drinks juice\n"
    "woman drinks juice\n"
    "king drinks wine\n"
    "queen drinks wine"
)


class ToyNetworkError(EmbedlabError):
    """The toy corpus or settings cannot be used (empty, too big to watch, a diverging learning rate)."""


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """The logistic function, computed without overflow for large |x|."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -x))


SigmoidFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ToyConfig:
    """Everything that decides a toy run; the same config and corpus give the same run."""

    architecture: Architecture = "skipgram"
    objective: Objective = "negative"
    dim: int = 5
    window: int = 2
    negative: int = 3
    learning_rate: float = 0.2
    seed: int = 1

    def __post_init__(self) -> None:
        if self.architecture not in ARCHITECTURES:
            raise ToyNetworkError(N_("Architecture must be one of {architectures}, not {architecture!r}."),
                                  architectures=', '.join(ARCHITECTURES), architecture=self.architecture)
        if self.objective not in OBJECTIVES:
            raise ToyNetworkError(N_("Objective must be one of {objectives}, not {objective!r}."),
                                  objectives=', '.join(OBJECTIVES), objective=self.objective)
        if not 2 <= self.dim <= 50:
            raise ToyNetworkError(N_("The toy network's hidden layer has between 2 and 50 neurons."))
        if not 1 <= self.window <= 10:
            raise ToyNetworkError(N_("The window is between 1 and 10 words."))
        if self.objective == "negative" and not 1 <= self.negative <= 20:
            raise ToyNetworkError(N_("Negative sampling draws between 1 and 20 negatives per example."))
        if not 0 < self.learning_rate <= MAX_LEARNING_RATE:
            raise ToyNetworkError(N_("The learning rate must be above 0 and at most {max_learning_rate:g}."),
                                  max_learning_rate=MAX_LEARNING_RATE)


@dataclass(frozen=True)
class ToyCorpus:
    """Sentences of a toy corpus and its vocabulary (most frequent first, ties in order of appearance)."""

    sentences: tuple[tuple[str, ...], ...]
    words: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def n_tokens(self) -> int:
        return sum(len(s) for s in self.sentences)

    def ids(self, sentence: Sequence[str]) -> list[int]:
        index = {w: i for i, w in enumerate(self.words)}
        return [index[w] for w in sentence]


def parse_corpus(text: str) -> ToyCorpus:
    """One sentence per line, words separated by spaces, kept exactly as typed (case included)."""
    sentences = tuple(tuple(line.split()) for line in text.splitlines() if line.split())
    tokens = [w for s in sentences for w in s]
    if not tokens:
        raise ToyNetworkError(N_("The toy corpus is empty: type a few short sentences, one per line."))
    if len(tokens) > MAX_TOKENS:
        raise ToyNetworkError(N_("The toy corpus has {n_tokens} words; keep it under {max_tokens} so each step can be followed."),
                              n_tokens=len(tokens), max_tokens=MAX_TOKENS)
    first_seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for position, word in enumerate(tokens):
        first_seen.setdefault(word, position)
        counts[word] = counts.get(word, 0) + 1
    if len(counts) < 2:
        raise ToyNetworkError(N_("The toy corpus needs at least two different words."))
    if len(counts) > MAX_VOCABULARY:
        raise ToyNetworkError(N_("The toy corpus has {n_types} different words; at most {max_words} fit the heatmaps."),
                              n_types=len(counts), max_words=MAX_VOCABULARY)
    words = tuple(sorted(counts, key=lambda w: (-counts[w], first_seen[w])))
    return ToyCorpus(sentences=sentences, words=words, counts=tuple(counts[w] for w in words))


@dataclass(frozen=True)
class Example:
    """One training example: the input word ids (one for skip-gram, the context for CBOW) and the word to predict."""

    inputs: tuple[int, ...]
    output: int


def make_examples(corpus: ToyCorpus, architecture: Architecture, window: int) -> tuple[Example, ...]:
    """The examples of one pass over the corpus, in word2vec.c's order.

    For each position ``i`` of each sentence: skip-gram yields (context word j → word i)
    for every j within ``window`` of i; CBOW yields (all those j → word i) once.
    """
    examples: list[Example] = []
    for sentence in corpus.sentences:
        ids = corpus.ids(sentence)
        for i, centre in enumerate(ids):
            context = [ids[j] for j in range(max(0, i - window), min(len(ids), i + window + 1)) if j != i]
            if not context:
                continue
            if architecture == "cbow":
                examples.append(Example(tuple(context), centre))
            else:
                examples.extend(Example((c,), centre) for c in context)
    if not examples:
        raise ToyNetworkError(N_("No training pairs: every sentence has a single word. Put at least two words on a line."))
    return tuple(examples)


def hidden(w_in: np.ndarray, example: Example) -> np.ndarray:
    """The hidden layer: the input word's vector, or the mean of the context vectors (CBOW)."""
    return w_in[list(example.inputs)].mean(axis=0)


def loss_and_gradients(w_in: np.ndarray, w_out: np.ndarray, example: Example, negatives: Sequence[int],
                       objective: Objective, sigmoid_fn: SigmoidFn = sigmoid) -> tuple[float, np.ndarray, np.ndarray]:
    """The example's loss and its exact gradients with respect to ``w_in`` and ``w_out`` (full matrices).

    softmax: loss = −log softmax(w_out · h)[output].
    negative: loss = −log σ(h · u_output) − Σ_n log σ(−h · u_n), over the drawn negatives.
    h is the hidden layer (``hidden``); for CBOW each context word gets 1/n of dL/dh.
    """
    h = hidden(w_in, example)
    grad_out = np.zeros_like(w_out)
    if objective == "softmax":
        scores = w_out @ h
        log_p = scores - np.logaddexp.reduce(scores)
        loss = -float(log_p[example.output])
        error = np.exp(log_p)
        error[example.output] -= 1.0  # dL/dscores = p − onehot
        grad_out += np.outer(error, h)
        grad_h = w_out.T @ error
    else:
        rows = np.array([example.output, *negatives], dtype=np.int64)
        labels = np.zeros(len(rows))
        labels[0] = 1.0
        dots = w_out[rows] @ h
        # −log σ(x) = log(1 + e^−x), computed without overflow
        loss = float(np.logaddexp(0.0, -dots[0]) + np.sum(np.logaddexp(0.0, dots[1:])))
        error = sigmoid_fn(dots) - labels  # dL/d(dot) for each scored row
        np.add.at(grad_out, rows, np.outer(error, h))  # a word drawn twice gets both shares
        grad_h = error @ w_out[rows]
    grad_in = np.zeros_like(w_in)
    np.add.at(grad_in, list(example.inputs), grad_h / len(example.inputs))
    return loss, grad_in, grad_out


def update_scale(example: Example) -> float:
    """How much larger than the exact gradient word2vec's update of each input vector is.

    Skip-gram: 1. CBOW with the mean: n, the number of context words — word2vec.c and
    gensim add the hidden layer's whole error to every context vector.
    """
    return float(len(example.inputs))


def train_step(w_in: np.ndarray, w_out: np.ndarray, example: Example, negatives: Sequence[int], objective: Objective,
               learning_rate: float, sigmoid_fn: SigmoidFn = sigmoid) -> float:
    """One SGD step in place, as word2vec.c takes it; returns the example's loss before the step."""
    loss, grad_in, grad_out = loss_and_gradients(w_in, w_out, example, negatives, objective, sigmoid_fn)
    w_out -= learning_rate * grad_out
    w_in -= learning_rate * update_scale(example) * grad_in
    return loss


def pca_2d(matrix: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """Rows projected on their first two principal axes, and the share of variance each explains.

    Each axis's sign is fixed (its largest loading positive), so the picture does not
    flip between two steps that barely change the vectors.
    """
    centred = matrix - matrix.mean(axis=0)
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:2]
    signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
    axes = axes * np.where(signs == 0, 1.0, signs)[:, None]
    coords = centred @ axes.T
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((len(coords), 2 - coords.shape[1]))])
    total = float((singular ** 2).sum())
    shares = [float(s ** 2) / total if total > 0 else 0.0 for s in singular[:2]] + [0.0, 0.0]
    return coords, (shares[0], shares[1])


def cosine_neighbours(matrix: np.ndarray, row: int, k: int) -> list[tuple[int, float]]:
    """The ``k`` rows most cosine-similar to ``row`` (itself excluded), best first; zero rows score 0."""
    norms = np.linalg.norm(matrix, axis=1)
    safe = np.where(norms > 0, norms, 1.0)
    sims = (matrix @ matrix[row]) / (safe * safe[row])
    sims[norms == 0] = 0.0
    sims[row] = -np.inf
    order = np.argsort(-sims, kind="stable")[:k]
    return [(int(i), float(sims[i])) for i in order]


@dataclass(frozen=True)
class StepRecord:
    """What one step did: which example, which negatives, its loss before the update, the corpus loss after."""

    step: int
    example: Example
    negatives: tuple[int, ...]
    loss: float
    corpus_loss: float


@dataclass
class ToyNetwork:
    """A toy Word2Vec network and its history; ``step(n)`` trains the next ``n`` examples in order."""

    corpus: ToyCorpus
    config: ToyConfig = field(default_factory=ToyConfig)

    def __post_init__(self) -> None:
        c = self.config
        self.examples = make_examples(self.corpus, c.architecture, c.window)
        rng = np.random.default_rng(c.seed)
        self.w_in = (rng.random((len(self.corpus.words), c.dim)) - 0.5) / c.dim
        self.w_out = np.zeros((len(self.corpus.words), c.dim))
        weights = np.asarray(self.corpus.counts, dtype=np.float64) ** NEGATIVE_POWER
        self.noise = weights / weights.sum()
        # one row per example averaging its input vectors: the hidden layers of a whole pass are averaging @ w_in
        self._averaging = np.zeros((len(self.examples), len(self.corpus.words)))
        for row, example in enumerate(self.examples):
            np.add.at(self._averaging[row], list(example.inputs), 1.0 / len(example.inputs))
        self._targets = np.array([e.output for e in self.examples])
        self.steps_done = 0
        self.history: list[StepRecord] = []

    @property
    def words(self) -> tuple[str, ...]:
        return self.corpus.words

    @property
    def epoch(self) -> float:
        """Passes over the corpus so far (fractional)."""
        return self.steps_done / len(self.examples)

    def next_example(self) -> Example:
        return self.examples[self.steps_done % len(self.examples)]

    def negatives_for(self, step: int, example: Example) -> tuple[int, ...]:
        """The negatives of step ``step``: drawn from its own seeded stream, the true output word skipped."""
        if self.config.objective != "negative":
            return ()
        rng = np.random.default_rng([self.config.seed, step])
        drawn = rng.choice(len(self.noise), size=self.config.negative, p=self.noise)
        return tuple(int(n) for n in drawn if n != example.output)

    def step(self, n: int = 1) -> list[StepRecord]:
        """Train the next ``n`` examples, one SGD step each; returns their records."""
        records = []
        for _ in range(n):
            example = self.next_example()
            negatives = self.negatives_for(self.steps_done, example)
            loss = train_step(self.w_in, self.w_out, example, negatives, self.config.objective, self.config.learning_rate)
            records.append(StepRecord(self.steps_done, example, negatives, loss, self.corpus_loss()))
            self.steps_done += 1
            if not (np.abs(self.w_in).max() < DIVERGED and np.abs(self.w_out).max() < DIVERGED):
                self.history.extend(records)
                raise ToyNetworkError(
                    N_("Training diverged at step {steps_done}: weights grew beyond {diverged:,.0f}, so the learning "
                       "rate {learning_rate:g} is too high for this corpus. Start over with a smaller one."),
                    steps_done=self.steps_done, diverged=DIVERGED, learning_rate=self.config.learning_rate)
        self.history.extend(records)
        return records

    @property
    def last(self) -> StepRecord | None:
        return self.history[-1] if self.history else None

    def describe(self, example: Example) -> str:
        """``inputs → output`` in words."""
        return f"{' + '.join(self.words[i] for i in example.inputs)} → {self.words[example.output]}"

    def output_probabilities(self, example: Example) -> np.ndarray:
        """What the network now predicts for ``example``'s input: softmax(w_out · h) over the vocabulary.

        Negative sampling never computes this distribution while training, but it is
        still the network's answer to "which word comes next?", so it is shown for both.
        """
        scores = self.w_out @ hidden(self.w_in, example)
        return np.exp(scores - np.logaddexp.reduce(scores))

    def loss_per_pass(self) -> list[float]:
        """The mean step loss of each completed pass over the examples (an epoch)."""
        n = len(self.examples)
        losses = np.array([r.loss for r in self.history])
        full = len(losses) // n
        return [float(losses[i * n:(i + 1) * n].mean()) for i in range(full)]

    def corpus_loss(self) -> float:
        """The full-softmax loss averaged over one pass's examples, with the current weights.

        The same measure for both objectives, so negative sampling's progress can be read
        against the softmax it approximates.
        """
        scores = (self._averaging @ self.w_in) @ self.w_out.T
        picked = scores[np.arange(len(scores)), self._targets]
        return float(np.mean(np.logaddexp.reduce(scores, axis=1) - picked))

    def neighbours(self, word_id: int, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` words whose input vectors are closest in cosine to ``word_id``'s."""
        return [(self.words[i], s) for i, s in cosine_neighbours(self.w_in, word_id, k)]
