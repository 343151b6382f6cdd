"""The library's errors and progress messages in the reader's language; the CLI stays English.

Errors keep their English template as a stable ``message_id`` and are rendered each time
they are shown, so the same exception reads in Chinese in a Chinese session and in English
in the CLI. Progress messages are written in the language of the thread that trains.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embedlab import io as eio
from embedlab.clusters import kmeans_labels
from embedlab.config import Word2VecParams
from embedlab.corpus import detect_encoding, prepare_corpus
from embedlab.errors import (BinaryFileError, EmbedlabError, EmptyCorpusError, ParameterError, UnknownWordError,
                             VectorFormatError)
from embedlab.i18n import ENV_VAR, current_language, use_language
from embedlab.train import train
from embedlab.vectors import WordVectors
from embedlab.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")


def _raised(action) -> EmbedlabError:
    """The error ``action`` raises, raised in English (as a job or the CLI would), to be shown later."""
    with pytest.raises(EmbedlabError) as caught:
        action()
    return caught.value


def _tiny_vectors() -> WordVectors:
    rng = np.random.default_rng(0)
    return WordVectors.from_matrix(["king", "queen", "man", "woman"], rng.standard_normal((4, 8)))


def _malformed_vector_file(tmp_path: Path) -> Path:
    path = tmp_path / "ragged.txt"
    path.write_text("cat 0.1 0.2 0.3\ndog 0.1 0.2 0.3\nemu 1 2\n", encoding="utf-8")
    return path


def test_an_unknown_word_reads_in_chinese_and_keeps_its_id() -> None:
    error = _raised(lambda: _tiny_vectors().vector("kingg"))
    assert isinstance(error, UnknownWordError)
    assert error.message_id == "'{word}' is not in this model's vocabulary. Closest known spellings: {suggestions}."
    assert str(error) == "'kingg' is not in this model's vocabulary. Closest known spellings: king."
    with use_language("zh"):
        assert str(error) == "“kingg”不在这个模型的词表中。最接近的已知拼写：king。"
        assert error.message_id.startswith("'{word}' is not in")  # the id does not follow the language


def test_an_empty_corpus_reads_in_chinese(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n", encoding="utf-8")
    error = _raised(lambda: prepare_corpus(empty, tmp_path / "out"))
    assert isinstance(error, EmptyCorpusError)
    assert error.message_id.startswith("The file is empty (or holds only white space).")
    assert str(error).startswith("The file is empty")
    with use_language("zh"):
        assert str(error) == "文件是空的（或只有空白字符）。请选择至少包含几个句子的文本文件。"


def test_a_binary_file_names_what_it_is_in_the_language_shown() -> None:
    error = _raised(lambda: detect_encoding(b"\x89PNG\r\n\x1a\n" + bytes(200)))
    assert isinstance(error, BinaryFileError)
    assert error.message_id.startswith("This file looks like {what}, not text.")
    assert str(error).startswith("This file looks like a PNG image, not text.")
    with use_language("zh"):
        # the kind of file is itself a message, rendered in the language of the reader, not of the raise
        assert str(error).startswith("这个文件看起来是 PNG 图片，而不是文本。")
        assert "PNG image" not in str(error)


def test_a_malformed_vector_file_keeps_its_line_number_in_both_languages(tmp_path: Path) -> None:
    error = _raised(lambda: eio.read_vectors(_malformed_vector_file(tmp_path), name="ragged.txt"))
    assert isinstance(error, VectorFormatError)
    assert error.message_id.startswith("{label}, line {line_no}: {n_values} value(s) where {dims} are expected")
    assert error.params["line_no"] == 3 and error.params["label"] == "'ragged.txt'"
    assert "'ragged.txt', line 3: 2 value(s) where 3 are expected" in str(error)
    with use_language("zh"):
        shown = str(error)
    assert shown.startswith("'ragged.txt'，第 3 行：有 2 个数值，应为 3 个")
    assert "每行必须是一个词后跟 3 个数字。" in shown


def test_a_parameter_error_reads_in_chinese() -> None:
    error = _raised(lambda: kmeans_labels(np.eye(4, dtype=np.float32), k=1))
    assert isinstance(error, ParameterError)
    assert error.message_id == "The number of clusters must be between 2 and {max_clusters}; got {k}."
    assert str(error).startswith("The number of clusters must be between 2 and ")
    with use_language("zh"):
        assert re.fullmatch(r"聚类数必须在 2 到 \d+ 之间；现在是 1。", str(error))


def test_an_error_raised_in_a_chinese_job_reads_in_english_elsewhere(tmp_path: Path) -> None:
    """The language is chosen when the error is shown, not when it is raised."""
    with use_language("zh"):
        error = _raised(lambda: eio.read_vectors(_malformed_vector_file(tmp_path), name="ragged.txt"))
        assert HAN.search(str(error))
    assert not HAN.search(str(error)) and "line 3" in str(error)


def test_a_real_training_run_reports_progress_in_chinese(tmp_path: Path) -> None:
    source = tmp_path / "tiny.txt"
    source.write_text("the king rules the land\nthe queen rules the land\n" * 40, encoding="utf-8")
    english, chinese = [], []
    corpus = prepare_corpus(source, tmp_path / "en", on_progress=lambda d, t, m: english.append(m))
    params = Word2VecParams(vector_size=8, epochs=2, min_count=1, workers=1, seed=1)
    train("word2vec", params, corpus, on_progress=lambda d, t, m: english.append(m))
    with use_language("zh"):
        corpus = prepare_corpus(source, tmp_path / "zh", on_progress=lambda d, t, m: chinese.append(m))
        train("word2vec", params, corpus, on_progress=lambda d, t, m: chinese.append(m))
    assert any(m.startswith("Tokenised ") for m in english) and any("epoch 2/2" in m for m in english)
    assert any(m.startswith("已分词：") for m in chinese)
    assert any(m.endswith("第 2/2 轮") for m in chinese), chinese
    assert all(HAN.search(m) for m in chinese), chinese
    assert not any(HAN.search(m) for m in english), english


def test_the_cli_prints_english_even_when_the_server_default_is_chinese(workspace: Workspace,
                                                                         trained_model: str) -> None:
    assert current_language() == "en"
    env = {**os.environ, ENV_VAR: "zh"}
    done = subprocess.run([sys.executable, "-m", "embedlab", "--workspace", str(workspace.root),
                           "neighbours", "kingg", "-k", "2"],
                          capture_output=True, text=True, cwd=REPO, timeout=300, env=env)
    assert done.returncode == 1
    assert "'kingg' is not in this model's vocabulary. Closest known spellings: king" in done.stderr
    assert not HAN.search(done.stdout + done.stderr)


def test_the_search_method_is_stated_in_the_readers_language_and_keyed_in_english() -> None:
    """The Neighbours caption says how a search ran; the cache key (``method``) never changes with the language."""
    import numpy as np

    from embedlab.i18n import use_language
    from embedlab.search import NeighbourIndex
    from embedlab.vectors import WordVectors

    vectors = WordVectors.from_matrix([f"w{i}" for i in range(50)], np.random.default_rng(0).normal(size=(50, 8)))
    index = NeighbourIndex(vectors, approximate=False)
    with use_language("zh"):
        assert (index.shown_method, index.method) == ("精确", "exact")
    assert index.shown_method == "exact"
