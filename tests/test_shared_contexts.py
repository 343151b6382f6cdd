"""Why are two words close: shared contexts and their PMI equal a hand count; GloVe entries equal GloVe's matrix."""

from __future__ import annotations

import math
import random
from collections import Counter
from pathlib import Path

import pytest

from embedlab.concordance import ConcordanceError, build_index
from embedlab.shared_contexts import describe, pmi, shared_contexts


def index_of(tmp_path: Path, text: str):
    (tmp_path / "tokens.txt").write_text(text, encoding="utf-8")
    return build_index(tmp_path / "tokens.txt", tmp_path / "index")


def test_pmi_and_counts_equal_a_hand_count(tmp_path: Path) -> None:
    index = index_of(tmp_path, "cat sat mat\ndog sat mat\ncat ate fish\ndog ate bone\ncat sat\n")
    # window 1: cat's contexts are sat (lines 1 and 5) and ate; dog's are sat and ate. N = 14 tokens.
    result = shared_contexts(index, "cat", "dog", window=1, min_count=1)
    assert (result.count_a, result.count_b, result.together, result.n_tokens) == (3, 2, 0, 14)
    rows = result.table.set_index("context").to_dict("index")
    assert set(rows) == {"sat", "ate"}
    assert rows["sat"]["with_a"] == 2 and rows["sat"]["with_b"] == 1 and rows["sat"]["count"] == 3
    # PMI(cat, sat) = log2(c(cat,sat) N / (c(cat) c(sat) 2w)) = log2(2 * 14 / (3 * 3 * 2))
    assert rows["sat"]["pmi_a"] == pytest.approx(math.log2(28 / 18), abs=1e-3)
    assert rows["sat"]["pmi_b"] == pytest.approx(math.log2(14 / 12), abs=1e-3)
    assert rows["ate"]["pmi_a"] == pytest.approx(math.log2(14 / 12), abs=1e-3)
    assert rows["ate"]["pmi_b"] == pytest.approx(math.log2(14 / 8), abs=1e-3)
    # by PMI: the smaller of the two; ate (min log2(14/12)) ties sat (min log2(14/12)): larger total count first
    assert list(result.table["context"]) == ["sat", "ate"]
    assert result.table["score"].iloc[0] == pytest.approx(math.log2(14 / 12), abs=1e-3)
    by_count = shared_contexts(index, "cat", "dog", window=1, min_count=1, ranking="count")
    assert list(by_count.table["score"]) == [1.0, 1.0]
    assert (result.n_contexts_a, result.n_contexts_b, result.overlap) == (2, 2, 1.0)
    assert shared_contexts(index, "cat", "dog", window=1, min_count=2).n_shared == 0
    assert "share no context word" in describe(shared_contexts(index, "cat", "dog", window=1, min_count=2))


def test_shared_contexts_equal_a_brute_force_count(tmp_path: Path) -> None:
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(30)]
    lines = [[rng.choice(vocabulary[: rng.randint(5, 30)]) for _ in range(rng.randint(2, 20))] for _ in range(300)]
    index = index_of(tmp_path, "".join(" ".join(line) + "\n" for line in lines))
    n = sum(map(len, lines))
    frequency = Counter(w for line in lines for w in line)
    window = 3

    def contexts(word: str) -> Counter:
        found = Counter()
        for line in lines:
            for i, token in enumerate(line):
                if token == word:
                    found.update(line[j] for j in range(max(0, i - window), min(len(line), i + window + 1)) if j != i)
        return found

    a, b = "w1", "w2"
    with_a, with_b = contexts(a), contexts(b)
    shared = {x for x in with_a if with_b[x] >= 2 and with_a[x] >= 2 and x not in (a, b)}
    expected = {x: min(math.log2(with_a[x] * n / (frequency[a] * frequency[x] * 2 * window)),
                       math.log2(with_b[x] * n / (frequency[b] * frequency[x] * 2 * window))) for x in shared}
    result = shared_contexts(index, a, b, window=window, n=1000)
    assert result.n_shared == len(shared) and result.together == with_a[b]
    assert dict(zip(result.table["context"], result.table["score"])) == pytest.approx(expected, abs=1e-3)
    assert list(result.table["score"]) == sorted(result.table["score"], reverse=True)
    assert float(pmi(with_a["w3"], frequency[a], frequency["w3"], n, window)) == pytest.approx(
        math.log2(with_a["w3"] * n / (frequency[a] * frequency["w3"] * 2 * window)))
    assert "w5" not in set(shared_contexts(index, a, b, window=window, n=1000, exclude=["w5"]).table["context"])


def test_bad_requests_are_refused(tmp_path: Path) -> None:
    index = index_of(tmp_path, "a b c\n")
    with pytest.raises(ConcordanceError, match="two different words"):
        shared_contexts(index, "a", "A")
    with pytest.raises(ConcordanceError, match="does not occur"):
        shared_contexts(index, "a", "zzz")
    with pytest.raises(ConcordanceError, match="ranking"):
        shared_contexts(index, "a", "b", ranking="magic")


def test_glove_entries_are_the_rows_of_glove_s_own_matrix(tmp_path: Path) -> None:
    from embedlab.shared_contexts import glove_entries
    from embedlab.train.glove_cooccur import build_vocabulary, count_cooccurrences

    path = tmp_path / "tokens.txt"
    path.write_text("the king rules the land\nthe queen rules the land\nthe king and the queen\nrare\n", encoding="utf-8")
    vocabulary = build_vocabulary(path, min_count=2)
    matrix = count_cooccurrences(path, vocabulary, window=3)
    entries = glove_entries(matrix.indptr, matrix.cols, matrix.vals, vocabulary.words, "king", "queen")
    x = matrix.to_dict()
    ids = vocabulary.ids()
    k, q = ids["king"], ids["queen"]
    expected = {w: (x[k, i], x[q, i]) for w, i in ids.items() if (k, i) in x and (q, i) in x and i not in (k, q)}
    got = {r.context: (r.x_a, r.x_b) for r in entries.table.itertuples()}
    assert set(got) == set(expected) == {"the", "rules", "land"}
    for word, pair in expected.items():
        assert got[word] == pytest.approx(pair, abs=1e-3)
    assert list(entries.table["context"]) == ["the", "rules", "land"]  # by the smaller entry
    assert entries.x_ab == pytest.approx(x[k, q])
    assert entries.n_shared == len(expected)
    with pytest.raises(ConcordanceError, match="GloVe co-occurrence vocabulary"):
        glove_entries(matrix.indptr, matrix.cols, matrix.vals, vocabulary.words, "king", "rare")
