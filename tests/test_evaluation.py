"""Benchmarks give gensim's numbers on the same vectors, fast, and say what they could not answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from embedlab import benchmark_files as bf
from embedlab import reports, scoring, workflows
from embedlab.records import Manifest, Metrics
from embedlab.errors import EmbedlabError
from embedlab.vectors import WordVectors

SECTIONS = ("capital-common-countries", "family", "gram3-comparative", "gram8-plural")


def to_keyed(vectors: WordVectors) -> KeyedVectors:
    """The same words and raw vectors as a gensim KeyedVectors (the oracle)."""
    kv = KeyedVectors(vectors.dim)
    kv.add_vectors(list(vectors.words), vectors.raw())
    return kv


def question_subset(path: Path) -> Path:
    """A few sections of questions-words.txt (the whole file takes gensim ~10 s one question at a time)."""
    keep, out = False, []
    for line in Path(datapath("questions-words.txt")).read_text().splitlines():
        if line.startswith(": "):
            keep = line[2:].strip() in SECTIONS
        if keep:
            out.append(line)
    path.write_text("\n".join(out) + "\n")
    return path


@pytest.fixture(scope="module")
def planted() -> WordVectors:
    """Vectors in which many analogies hold, up to noise, so accuracy is neither 0 nor 1.

    For each pair (x, y) of a section, y = x + the section's offset + noise (when y has
    no vector yet). Capitalised duplicates of some words are appended as rarer, unrelated
    words, which exercises gensim's case-folding rule (the more frequent variant wins).
    Filler words make the vocabulary larger than the analogy restriction used below.
    """
    rng = np.random.default_rng(7)
    dim = 40
    vecs: dict[str, np.ndarray] = {}
    for line in Path(datapath("questions-words.txt")).read_text().splitlines():
        if line.startswith(":"):
            offset = rng.normal(size=dim)
            continue
        a, b, c, d = line.lower().split()
        for x, y in ((a, b), (c, d)):
            vecs.setdefault(x, rng.normal(size=dim))
            vecs.setdefault(y, vecs[x] + offset + rng.normal(scale=1.6, size=dim))
    words = list(vecs)
    order = rng.permutation(len(words))
    words = [words[i] for i in order]
    extra = [w.capitalize() for w in words[::7]] + [f"filler{i}" for i in range(300)]
    matrix = np.vstack([np.array([vecs[w] for w in words]), rng.normal(size=(len(extra), dim))])
    return WordVectors.from_matrix(words + extra, matrix)


@pytest.mark.parametrize("budget", [None, 20_000])  # default blocks, or blocks of 8-16 questions
def test_analogy_accuracy_matches_gensim_per_section(planted: WordVectors, tmp_path: Path, budget: int | None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if budget is not None:
        import embedlab.search

        monkeypatch.setattr(embedlab.search, "SCORE_BUDGET", budget)
    path = question_subset(tmp_path / "questions.txt")
    restrict = len(planted) - 600  # the rarest ~170 question words fall outside it
    score = scoring.evaluate_analogies(planted, bf.parse_analogies(path.read_text(), "subset"), restrict_vocab=restrict)

    total, sections = to_keyed(planted).evaluate_word_analogies(str(path), restrict_vocab=restrict)
    expected = {s["section"]: (len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections[:-1]}
    ours = {s.section: (s.correct, s.answered) for s in score.sections}
    assert ours == expected
    assert score.accuracy == pytest.approx(total)
    assert 0.05 < score.accuracy < 0.95  # the oracle comparison is meaningful, not all-wrong
    assert score.total == sum(s.total for s in score.sections) > score.answered  # coverage < 100%


@pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`:DeprecationWarning")
def test_3cosadd_and_3cosmul_answers_match_gensim_question_by_question(planted: WordVectors) -> None:
    small = planted.top(len(planted) - 300)  # gensim's cosmul ignores restrict_vocab: use it all
    kv = to_keyed(small)
    questions = [tuple(line.split()[:3]) for line in Path(datapath("questions-words.txt")).read_text().splitlines()
                 if not line.startswith(":")][::97]
    for method, oracle in (("3cosadd", kv.most_similar), ("3cosmul", kv.most_similar_cosmul)):
        ours = scoring.answer_analogies(small, questions, method, restrict_vocab=len(small))
        checked = 0
        for (a, b, c), answer in zip(questions, ours):
            if answer is None:
                assert not all(w.lower() in small for w in (a, b, c))
                continue
            ignore = {a.upper(), b.upper(), c.upper()}
            theirs = oracle(positive=[b.lower(), c.lower()], negative=[a.lower()], topn=5)
            expected = next((w for w, _ in theirs if w.upper() not in ignore), theirs[-1][0])
            assert answer == expected, (method, a, b, c)
            checked += 1
        assert checked > 100


def test_word_pairs_match_gensim(planted: WordVectors, tmp_path: Path) -> None:
    words = [w for w in planted.words if w.islower()][:60]
    rng = np.random.default_rng(3)
    lines = ["# a comment", "Word 1\tWord 2\tHuman"]
    for _ in range(80):
        a, b = rng.choice(words, 2, replace=False)
        lines.append(f"{a.upper() if rng.random() < 0.3 else a}\t{b}\t{rng.uniform(0, 10):.2f}")
    lines += ["unknownword\tking\t5.0", "queen\tnotaword\t1.0"]
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(lines) + "\n")

    score = scoring.evaluate_pairs(planted, bf.parse_word_pairs(path.read_text(), "pairs"))
    pearson, spearman, oov = to_keyed(planted).evaluate_word_pairs(str(path))
    assert score.spearman == pytest.approx(spearman.statistic, abs=1e-6)
    assert score.pearson == pytest.approx(pearson[0], abs=1e-6)
    assert (1 - score.coverage) * 100 == pytest.approx(oov)
    assert (score.answered, score.total) == (80, 82)


def test_bundled_benchmarks_parse_completely() -> None:
    questions = bf.bundled("questions-words")
    assert questions.n_questions == 19544 and len(questions.sections) == 14
    assert len(bf.bundled("wordsim353").pairs) == 353
    assert len(bf.bundled("simlex999").pairs) == 999


def test_vocabularies_without_the_words_give_zero_coverage_not_an_error() -> None:
    vectors = WordVectors.from_matrix(["alpha", "beta", "gamma", "delta"], np.eye(4))
    score = scoring.evaluate_analogies(vectors, bf.bundled("questions-words"))
    assert (score.answered, score.coverage, score.accuracy) == (0, 0.0, None)
    pairs = scoring.evaluate_pairs(vectors, bf.bundled("wordsim353"))
    assert (pairs.answered, pairs.spearman) == (0, None)


def test_bad_analogy_lines_are_named() -> None:
    text = ": capitals\nAthens Greece Paris France\nAthens Greece Paris\n\nBerlin Germany Rome Italy extra\n"
    with pytest.raises(bf.BenchmarkFileError) as error:
        bf.parse_analogies(text, "mine.txt")
    message = str(error.value)
    assert "mine.txt" in message and "line 3 has 3 word(s)" in message and "line 5 has 5 word(s)" in message


def test_analogies_without_section_header_are_accepted() -> None:
    parsed = bf.parse_analogies("a b c d\ne f g h\n", "plain.txt")
    assert parsed.sections == (("plain.txt", (("a", "b", "c", "d"), ("e", "f", "g", "h"))),)


def test_bad_pair_lines_are_named() -> None:
    with pytest.raises(bf.BenchmarkFileError, match=r"line 3: score 'high' is not a number"):
        bf.parse_word_pairs("a\tb\t1\nc\td\t2\ne\tf\thigh\ng\th\t3\n", "pairs.tsv")
    with pytest.raises(bf.BenchmarkFileError, match=r"line 2 has 2 field\(s\)"):
        bf.parse_word_pairs("a\tb\t1\nc\td\n", "pairs.tsv")
    with pytest.raises(bf.BenchmarkFileError, match="at least 3"):
        bf.parse_word_pairs("a\tb\t1\n", "pairs.tsv")


def test_uploads_refuse_binary_and_oversized_files() -> None:
    with pytest.raises(bf.BenchmarkFileError, match="PNG"):
        bf.parse_upload(b"\x89PNG\r\n\x1a\n" + bytes(100), "picture.txt", "pairs")
    with pytest.raises(bf.BenchmarkFileError, match="limited"):
        bf.parse_upload(b"a b c d\n" * (bf.MAX_UPLOAD_BYTES // 8 + 1), "huge.txt", "analogy")
    parsed = bf.parse_upload("king,queen,7.5\nman,woman,8\nsea,lake,4\n".encode("utf-16"), "pairs.csv", "pairs")
    assert parsed.pairs[0] == ("king", "queen", 7.5)


def test_unknown_method_is_a_user_error(planted: WordVectors) -> None:
    with pytest.raises(EmbedlabError, match="3cosadd"):
        scoring.evaluate_analogies(planted, bf.bundled("questions-words"), method="cosine")


def test_metrics_merge_and_summary_table(planted: WordVectors) -> None:
    request = scoring.BenchmarkRequest((bf.bundled("wordsim353"), bf.parse_analogies(": s\nA B C D\n")), ("3cosadd", "3cosmul"))
    progress: list[float] = []
    scores = scoring.run_benchmarks(planted, request, on_progress=lambda d, t, m: progress.append(d / t))
    assert [scoring.score_key(s) for s in scores] == ["WordSim353", "analogies · 3CosAdd", "analogies · 3CosMul"]
    assert progress == sorted(progress) and progress[-1] == 1.0
    manifest = Manifest.from_json({"algorithm": "word2vec", "vocab_size": len(planted), "dim": planted.dim,
                                   "timings": {"total_s": 1.25}, "metrics": {"loss_final": 3.0}})
    metrics = manifest.metrics.with_scores(workflows.score_records(scores), scoring.memory_bytes(planted))
    assert metrics.extra["loss_final"] == 3.0
    assert metrics.memory_bytes == planted.unit.nbytes + planted.norms.nbytes + planted.counts.nbytes
    assert Metrics.from_json(metrics.to_json()) == metrics  # stored and read back unchanged
    table = reports.summary_table([("w2v", manifest.replace(metrics=metrics))])
    assert table.loc[0, "algorithm"] == "Word2Vec"  # as every other page names it
    assert table.loc[0, "WordSim353 coverage"] == pytest.approx(scores[0].coverage, abs=1e-3)
    assert table.loc[0, "training time (s)"] == 1.2 or table.loc[0, "training time (s)"] == 1.3
    better = Manifest.from_json({"metrics": {"benchmarks": {"WordSim353": {"score": 0.5, "coverage": 1.0}}}})
    worse = Manifest.from_json({"metrics": {"benchmarks": {"WordSim353": {"score": 0.25, "coverage": 0.9}}}})
    diff = reports.score_diff(better, worse)
    assert diff.loc[0, "change"] == -0.25


def test_a_case_variant_of_a_question_word_is_skipped_like_gensim(tmp_path: Path) -> None:
    """'Woman' (a rarer row) is the closest word to woman - man + king; gensim skips it for 'queen'."""
    rng = np.random.default_rng(5)
    base = {w: rng.normal(size=10) for w in ("man", "woman", "king", "prince", "girl")}
    target = base["woman"] - base["man"] + base["king"]
    base["queen"] = target + rng.normal(scale=0.3, size=10)
    words = list(base) + ["Woman"] + [f"filler{i}" for i in range(20)]
    matrix = np.vstack([*base.values(), target, rng.normal(size=(20, 10))])
    vectors = WordVectors.from_matrix(words, matrix)
    path = tmp_path / "q.txt"
    path.write_text(": royals\nman woman king queen\nman woman prince girl\n")

    score = scoring.evaluate_analogies(vectors, bf.parse_analogies(path.read_text()))
    assert scoring.answer_analogies(vectors, [("man", "woman", "king")]) == ["queen"]
    total, sections = to_keyed(vectors).evaluate_word_analogies(str(path))
    assert (score.correct, score.answered) == (len(sections[0]["correct"]), 2) and score.correct == 1
    assert score.accuracy == pytest.approx(total)
