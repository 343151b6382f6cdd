"""Concordance: the index answers exactly what a plain scan of tokens.txt finds, sorted, counted and paged."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from embedlab.concordance import (ConcordanceError, ConcordanceIndex, build_index, format_line, index_bytes,
                                  index_is_current, joiner_for)
from embedlab.config import CorpusParams
from embedlab.workspace import Workspace

WORDS = ["king", "queen", "the", "a", "of", "crown", "river", "Paris", "x"]


def random_corpus(path: Path, n_lines: int = 120, seed: int = 3) -> list[list[str]]:
    rng = random.Random(seed)
    lines = [[rng.choice(WORDS) for _ in range(rng.randint(1, 15))] for _ in range(n_lines)]
    path.write_text("".join(" ".join(line) + "\n" for line in lines), encoding="utf-8")
    return lines


def scan(lines: list[list[str]], word: str, width: int) -> list[tuple[tuple[str, ...], str, tuple[str, ...], int]]:
    """The plain scan: every occurrence in corpus order, with its line number."""
    found = []
    for n, tokens in enumerate(lines):
        for i, token in enumerate(tokens):
            if token == word:
                found.append((tuple(tokens[max(0, i - width):i]), token, tuple(tokens[i + 1:i + 1 + width]), n))
    return found


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[list[list[str]], ConcordanceIndex]:
    lines = random_corpus(tmp_path / "tokens.txt")
    return lines, build_index(tmp_path / "tokens.txt", tmp_path / "index", "fp1")


@pytest.mark.parametrize("word", WORDS)
def test_search_equals_a_plain_scan(corpus, word: str) -> None:
    lines, index = corpus
    for width in (0, 2, 5):
        page = index.search(word, limit=10_000, width=width)
        expected = scan(lines, word, width)
        assert [(l.left, l.word, l.right, l.line) for l in page.lines] == expected
        assert page.total == len(expected) == index.count(word)
        assert page.n_lines == len({n for *_, n in expected})
        assert not page.has_more


def test_left_and_right_sorts_are_a_linguists_sorts(corpus) -> None:
    lines, index = corpus
    vocabulary = sorted({w for line in lines for w in line})
    end = len(vocabulary)  # a line end sorts after every word
    for word in ("king", "the"):
        hits = []
        for n, tokens in enumerate(lines):
            for i, token in enumerate(tokens):
                if token == word:
                    right = [vocabulary.index(tokens[j]) if j < len(tokens) else end for j in range(i + 1, i + 4)]
                    left = [vocabulary.index(tokens[j]) if j >= 0 else end for j in range(i - 1, i - 4, -1)]
                    hits.append((right, left, tokens, i))
        by_right = [(tuple(t[max(0, i - 8):i]), tuple(t[i + 1:i + 9])) for _, _, t, i in sorted(hits, key=lambda h: h[0])]
        by_left = [(tuple(t[max(0, i - 8):i]), tuple(t[i + 1:i + 9])) for _, _, t, i in sorted(hits, key=lambda h: h[1])]
        assert [(l.left, l.right) for l in index.search(word, sort="right", limit=10_000).lines] == by_right
        assert [(l.left, l.right) for l in index.search(word, sort="left", limit=10_000).lines] == by_left


def test_pages_add_up_to_the_whole_and_counts_describe_it(corpus) -> None:
    lines, index = corpus
    for sort in ("corpus", "left", "right"):
        whole = index.search("the", sort=sort, limit=10_000).lines
        pages = [index.search("the", sort=sort, offset=o, limit=7) for o in range(0, len(whole), 7)]
        assert [line for page in pages for line in page.lines] == list(whole)
        assert pages[0].has_more and not pages[-1].has_more
    before = Counter(t[i - 1] for t in lines for i in range(1, len(t)) if t[i] == "queen")
    after = Counter(t[i + 1] for t in lines for i in range(len(t) - 1) if t[i] == "queen")
    page = index.search("queen", limit=1, n_words=50)
    assert dict(page.left_words) == dict(before) and dict(page.right_words) == dict(after)
    assert [c for _, c in page.right_words] == sorted(after.values(), reverse=True)


def test_context_counts_equal_a_plain_scan(corpus) -> None:
    lines, index = corpus
    for word, window in (("king", 1), ("the", 3)):
        expected = Counter()
        for tokens in lines:
            for i, token in enumerate(tokens):
                if token == word:
                    expected.update(tokens[j] for j in range(max(0, i - window), min(len(tokens), i + window + 1)) if j != i)
        counts = index.context_counts(word, window)
        assert {index.words[i]: int(c) for i, c in enumerate(counts) if c} == dict(expected)


def test_words_are_resolved_folded_or_refused_with_suggestions(corpus) -> None:
    _, index = corpus
    assert index.resolve("KING") == "king" and index.resolve("Paris") == "Paris"
    with pytest.raises(ConcordanceError, match="'quen' does not occur in this corpus. Corpus words starting like it: queen"):
        index.search("quen")
    with pytest.raises(ConcordanceError, match="Type a word"):
        index.search("  ")
    for bad in ({"sort": "middle"}, {"width": 99}, {"limit": 0}, {"offset": -1}):
        with pytest.raises(ConcordanceError):
            index.search("king", **bad)


def test_index_on_disk_is_versioned_and_reopened(corpus, tmp_path: Path) -> None:
    lines, index = corpus
    folder = tmp_path / "index"
    assert index_is_current(folder, "fp1") and not index_is_current(folder, "other")
    assert index_bytes(folder) > 8 * sum(map(len, lines))
    again = ConcordanceIndex.open(folder)
    assert again.words == index.words == tuple(sorted(set(index.words)))
    assert isinstance(again.ids, np.memmap)
    with pytest.raises(ConcordanceError):
        ConcordanceIndex.open(tmp_path / "missing")


def test_workspace_builds_the_index_with_the_corpus_or_on_first_use(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    text = tmp_path / "c.txt"
    text.write_text("The king met the queen.\nA queen, a king!\n", encoding="utf-8")
    eager = workspace.add_corpus(text, "c.txt", CorpusParams("words"))
    assert index_is_current(workspace.concordance_dir(eager), eager.fingerprint)
    assert workspace.concordance_index(eager).search("queen").total == 2
    lazy = workspace.add_corpus(text, "c2.txt", CorpusParams("words"), index=False)
    assert not workspace.concordance_dir(lazy).exists()
    assert workspace.concordance_index(lazy).search("king", sort="right").total == 2
    assert index_is_current(workspace.concordance_dir(lazy), lazy.fingerprint)
    workspace.delete_corpus(lazy.corpus_id)
    assert not workspace.concordance_dir(lazy).exists()


def test_chinese_and_item_sessions_work_alike(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    chinese = tmp_path / "zh.txt"
    chinese.write_text("国王住在宫殿里。\n女王住在宫殿里。\n", encoding="utf-8")
    zh = workspace.add_corpus(chinese, "zh", CorpusParams("chinese"))
    page = workspace.concordance_index(zh).search("宫殿")
    assert page.total == 2
    left, word, right = format_line(page.lines[0], joiner_for(zh.tokenizer))
    assert (left, word, right) == ("国王住在", "宫殿", "里")
    items = tmp_path / "sessions.txt"
    items.write_text("P01 P02 P03\nP02 p01\n", encoding="utf-8")
    ids = workspace.add_corpus(items, "s", CorpusParams("ids", lowercase=False))
    index = workspace.concordance_index(ids)
    assert index.search("P01").total == 1 and index.search("p01").total == 1  # IDs keep their case
    assert format_line(index.search("P02", limit=5).lines[1], joiner_for(ids.tokenizer)) == ("", "P02", "p01")
