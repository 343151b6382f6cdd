"""Corpus reading: every encoding we promise, each tokeniser, auto-detection, stats and bad files."""

from __future__ import annotations

import codecs
import pickle
from pathlib import Path

import pytest

from embedlab.config import CorpusParams
from embedlab.corpus import MAX_TOKENS_PER_LINE, detect_encoding, guess_tokenizer, make_tokenizer, prepare_corpus, preview
from embedlab.errors import BinaryFileError, EmptyCorpusError

ENGLISH = "The King's horses ran.\nA queen — and her 2 dogs — walked home.\n" * 50
FRENCH = "Le garçon a mangé une crème brûlée à Noël.\nÇa coûte très cher, déjà.\n" * 50
CHINESE = "国王和女王住在北京的宫殿里。\n我们喜欢自然语言处理。\n" * 50


def write(tmp_path: Path, data: bytes, name: str = "corpus.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "text, codec, expected",
    [
        (ENGLISH, "utf-8", "utf-8"),
        (FRENCH, "utf-8", "utf-8"),
        (FRENCH, "utf-8-sig", "utf-8-sig"),
        (FRENCH, "utf-16", "utf-16"),
        (FRENCH, "utf-16-le", "utf-16-le"),  # no BOM: charset-normalizer's job
        (CHINESE, "gb18030", "gb18030"),
        (CHINESE, "gbk", "gb18030"),
        ("word,category\n国王,人物\n北京,城市\n", "gbk", "gb18030"),  # a few lines tie with Korean cp949
        (CHINESE, "utf-16", "utf-16"),
    ],
)
def test_encodings_are_detected_and_text_round_trips(tmp_path: Path, text: str, codec: str, expected: str) -> None:
    data = text.encode(codec)
    detected = detect_encoding(data)
    assert codecs.lookup(detected).name == codecs.lookup(expected).name
    assert data.decode(detected).lstrip("\ufeff") == text


def test_latin1_text_decodes_without_loss(tmp_path: Path) -> None:
    data = FRENCH.encode("latin-1")
    detected = detect_encoding(data)
    assert data.decode(detected) == FRENCH
    corpus = prepare_corpus(write(tmp_path, data), tmp_path / "out")
    words = {w for w, _ in corpus.stats.top_words}
    assert {"garçon", "crème", "brûlée", "noël", "déjà"} <= words
    assert corpus.stats.replaced_characters == 0


@pytest.mark.parametrize("data", [b"", b"   \n\n  \t\n"])
def test_empty_files_are_refused_clearly(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(EmptyCorpusError, match="empty"):
        prepare_corpus(write(tmp_path, data), tmp_path / "out")


@pytest.mark.parametrize(
    "data, what",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "PNG"),
        (pickle.dumps({"a": [1, 2, 3]}, protocol=4), "pickle"),
        (b"PK\x03\x04" + bytes(200), "ZIP"),
        (bytes(range(256)) * 40, "not look like text"),
    ],
)
def test_binary_files_are_refused_with_what_they_look_like(tmp_path: Path, data: bytes, what: str) -> None:
    with pytest.raises(BinaryFileError, match=what):
        prepare_corpus(write(tmp_path, data), tmp_path / "out")
    assert not (tmp_path / "out" / "tokens.txt").exists()


def test_file_without_tokens_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmptyCorpusError, match="No tokens"):
        prepare_corpus(write(tmp_path, b"!!! ... ---\n?? ;;\n"), tmp_path / "out")


def test_words_tokeniser_folds_case_on_request() -> None:
    assert make_tokenizer("words", lowercase=False)("The King's men") == ["The", "King's", "men"]
    assert make_tokenizer("words")("Éléphant ÉLÉPHANT") == ["éléphant", "éléphant"]


def test_chinese_tokeniser_segments_words() -> None:
    tokens = make_tokenizer("chinese")("我们喜欢自然语言处理。")
    assert "我们" in tokens and "喜欢" in tokens
    assert "。" not in tokens


def test_ids_tokeniser_keeps_case_and_punctuation() -> None:
    assert make_tokenizer("ids", lowercase=True)("SKU-1 sku-1  B07/X") == ["SKU-1", "sku-1", "B07/X"]


@pytest.mark.parametrize("text, kind", [(ENGLISH, "words"), (CHINESE, "chinese"), ("国王 king queen 女王 " * 3, "chinese"),
                                        ("mostly english with one 字", "words")])
def test_auto_chooses_chinese_when_cjk_dominates(text: str, kind: str) -> None:
    assert guess_tokenizer(text) == kind


SKU_SESSIONS = "sku_1042 sku_77 sku_1042 sku_5\nsku_77 sku_9\nsku_5 sku_1042 sku_300 sku_77\n" * 20
NUMERIC_SESSIONS = "1042 77 1042 5\n77 9\n5 1042 300 77 12\n" * 20


@pytest.mark.parametrize("text, kind", [
    (SKU_SESSIONS, "ids"), (NUMERIC_SESSIONS, "ids"),
    ("B07XJ8C8F5 B07XJ8C8F5 B08N5WRWNW\nitem-77 item-78 cat:12/3\n", "ids"),
    ("session items\n" + SKU_SESSIONS, "ids"),  # a header line does not hide the IDs
    (ENGLISH, "words"), (CHINESE, "chinese"),
    ("In 2019 the 3 kings paid 2,000 pounds for 12 horses; covid-19 came in 2020.\n" * 20, "words"),
    ("Release 2.0.1 fixes bugs_in parse_args and adds 3 options.\n" * 20, "words"),
    ("国王 2019 年 3 月 去了 北京 12 次\n" * 20, "chinese"),
    ("P0001,Orbit A10 Pro phone,phones\nP0002,Aurora Z12 phone,phones\n", "words"),  # a CSV table is not sessions
])
def test_auto_recognises_sessions_of_item_ids(text: str, kind: str) -> None:
    assert guess_tokenizer(text) == kind


def test_the_shipped_samples_are_recognised_by_content() -> None:
    """What the Corpus page's upload preview detects for each shipped file (the sessions file: IDs)."""
    samples = Path(__file__).resolve().parent.parent / "sample_data"
    found = {name: guess_tokenizer((samples / name).read_text(encoding="utf-8")[:262_144])
             for name in ("english.txt", "chinese.txt", "sessions.txt", "documents.txt")}
    assert found == {"english.txt": "words", "chinese.txt": "chinese", "sessions.txt": "ids", "documents.txt": "words"}


def test_an_uploaded_sessions_file_is_tokenised_as_ids(tmp_path: Path) -> None:
    """Auto on a hand-made sessions file keeps each ID whole and as written ('SKU_77' stays 'SKU_77')."""
    path = write(tmp_path, ("SKU_1042 SKU_77 SKU_1042\nSKU_77 SKU_9\n" * 30).encode(), "sessions.txt")
    kind, lines = preview(path)
    assert kind == "ids" and lines[0] == ["SKU_1042", "SKU_77", "SKU_1042"]
    corpus = prepare_corpus(path, tmp_path / "out")
    assert corpus.tokenizer == "ids"
    assert corpus.tokens_path.read_text(encoding="utf-8").splitlines()[:2] == ["SKU_1042 SKU_77 SKU_1042", "SKU_77 SKU_9"]


def test_prepare_writes_normalised_tokens_and_stats(tmp_path: Path) -> None:
    corpus = prepare_corpus(write(tmp_path, ENGLISH.encode()), tmp_path / "out")
    lines = corpus.tokens_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "the king's horses ran"
    assert corpus.n_sentences == 100
    assert corpus.n_tokens == sum(len(line.split()) for line in lines)
    stats = corpus.stats
    assert stats.n_types == len({t for line in lines for t in line.split()})
    assert stats.top_words[0][1] >= stats.top_words[-1][1]
    assert stats.types_at_least(1) == stats.n_types
    assert stats.types_at_least(51) == 0
    assert stats.tokens_at_least(1) == corpus.n_tokens
    assert stats.zipf_ranks[0] == 1 and stats.zipf_counts[0] == stats.top_words[0][1]


def test_chinese_file_in_gb18030_is_tokenised_by_auto(tmp_path: Path) -> None:
    corpus = prepare_corpus(write(tmp_path, CHINESE.encode("gb18030")), tmp_path / "out")
    assert corpus.tokenizer == "chinese"
    assert corpus.encoding == "gb18030"
    assert "国王" in {w for w, _ in corpus.stats.top_words}


def test_long_lines_are_wrapped_without_losing_tokens(tmp_path: Path) -> None:
    line = " ".join(f"w{i % 97}" for i in range(2500))
    corpus = prepare_corpus(write(tmp_path, (line + "\nshort line\n").encode()), tmp_path / "out")
    lengths = [len(l.split()) for l in corpus.tokens_path.read_text().splitlines()]
    assert lengths == [MAX_TOKENS_PER_LINE, MAX_TOKENS_PER_LINE, 500, 2]
    assert corpus.stats.wrapped_lines == 1 and corpus.n_tokens == 2502


def test_fingerprint_depends_on_tokens_only(tmp_path: Path) -> None:
    a = prepare_corpus(write(tmp_path, ENGLISH.encode(), "a.txt"), tmp_path / "a")
    b = prepare_corpus(write(tmp_path, ENGLISH.encode("utf-16"), "b.txt"), tmp_path / "b")
    c = prepare_corpus(write(tmp_path, ENGLISH.encode(), "c.txt"), tmp_path / "c", CorpusParams(lowercase=False))
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_preview_shows_first_lines_with_resolved_tokeniser(tmp_path: Path) -> None:
    kind, lines = preview(write(tmp_path, CHINESE.encode()), CorpusParams("auto"), n_lines=2)
    assert kind == "chinese" and len(lines) == 2 and "国王" in lines[0]


def test_cancel_leaves_nothing_behind(tmp_path: Path) -> None:
    from embedlab.errors import Cancelled
    from embedlab.progress import CancelToken

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        prepare_corpus(write(tmp_path, ENGLISH.encode()), tmp_path / "out", cancel=token)
    assert list((tmp_path / "out").iterdir()) == []


def test_corpus_figures_label_every_top_word_and_each_decade() -> None:
    from embedlab.viz.corpus import top_words_figure, zipf_figure

    words = [(f"w{i}", 1000 - i) for i in range(40)]
    bars = top_words_figure(words, n=30)
    assert list(bars.data[0].y) == [f"w{i}" for i in range(29, -1, -1)]  # most frequent on top
    assert bars.layout.yaxis.dtick == 1 and bars.layout.height >= 18 * 30  # room for all 30 labels
    zipf = zipf_figure([1, 2, 3], [900, 450, 300])
    assert zipf.layout.yaxis.type == "log" and zipf.layout.yaxis.dtick == 1


def test_utf8_with_one_bad_byte_stays_utf8_and_the_byte_is_counted(tmp_path: Path) -> None:
    # one stray \xff in French UTF-8 was read as cp932: "café" became "cafﾃｩ", silently
    data = FRENCH.encode("utf-8")
    data = data[:100] + b"\xff" + data[100:]
    assert detect_encoding(data) == "utf-8"
    corpus = prepare_corpus(write(tmp_path, data), tmp_path / "out")
    words = {w for w, _ in corpus.stats.top_words}
    assert {"garçon", "crème", "brûlée", "noël", "déjà"} <= words
    assert corpus.encoding == "utf-8" and corpus.stats.replaced_characters == 1


def test_ascii_with_stray_bytes_is_utf8_not_glued_cp1252_letters(tmp_path: Path) -> None:
    # stray bytes at the ends of words became cp1252 letters glued into them (more word types than the text has)
    import random

    text = "the cat sat on a mat and one dog ran to the park with his red ball today\n" * 40
    n_types = len(set(text.split()))
    words = text.encode("ascii").split(b" ")
    rng = random.Random(0)
    stray = rng.sample(range(len(words)), 8)
    for i in stray:
        words[i] += bytes([rng.choice([0xFF, 0xE9, 0x92, 0xA0, 0xFE])])
    corpus = prepare_corpus(write(tmp_path, b" ".join(words)), tmp_path / "out")
    assert corpus.encoding == "utf-8"
    assert corpus.stats.n_types == n_types and corpus.stats.replaced_characters == 8


@pytest.mark.parametrize("text", [FRENCH, "Don’t stop: it’s the café’s “best” résumé — naïve.\n" * 30])
def test_legacy_code_pages_are_still_detected(tmp_path: Path, text: str) -> None:
    # many bytes that break UTF-8 (every accent, every curly quote) mean another encoding, not damage
    data = text.encode("cp1252")
    assert data.decode(detect_encoding(data)) == text


def test_gbk_preview_and_import_agree_wherever_the_sample_ends(tmp_path) -> None:
    """Issue 10 defect 7: a sample cut inside a two-byte GBK character was read as a Thai/Latin code page."""
    from embedlab.corpus import SAMPLE_BYTES, preview, prepare_corpus

    line = "国王和女王住在首都，男人和女人在国家里工作。\n"
    data = (line * 8000).encode("gb18030")  # larger than the sample
    assert len(data) > SAMPLE_BYTES
    for pad in range(3):  # one of these paddings puts the 64 KB and the 256 KB boundary inside a character
        path = tmp_path / f"gbk{pad}.txt"
        path.write_bytes(b"a" * pad + data)
        kind, lines = preview(path)
        assert kind == "chinese", (pad, lines[0])
        assert "国王" in lines[0] and "女王" in lines[1]
        corpus = prepare_corpus(path, tmp_path / f"out{pad}")
        assert corpus.encoding == "gb18030" and corpus.tokenizer == "chinese"


def test_the_zipf_legend_sits_where_no_curve_goes() -> None:
    """A small corpus keeps high counts over many ranks: the legend (top right, with a white box) hid part of
    its curve. The legend now sits in a corner a falling curve from the top left never reaches."""
    import math

    from embedlab.viz.corpus import zipf_figure

    ranks = list(range(1, 68))
    counts = [230, 160, 140, 140] + [100] * 8 + [80] * 2 + [70 - 2 * i for i in range(30)] + [6] * 23
    legend = zipf_figure(ranks, counts).layout.legend
    assert legend.xanchor == "left" and legend.yanchor == "bottom"
    # the legend box, about a third wide and a fifth high, in the plot's 0..1 log-log frame
    box_x, box_y = (legend.x, legend.x + 0.35), (legend.y, legend.y + 0.2)
    span_x, span_y = math.log10(ranks[-1]), math.log10(counts[0]) - math.log10(min(counts))
    inside = [(r, c) for r, c in zip(ranks, counts)
              if box_x[0] <= math.log10(r) / span_x <= box_x[1]
              and box_y[0] <= (math.log10(c) - math.log10(min(counts))) / span_y <= box_y[1]]
    assert not inside, inside
