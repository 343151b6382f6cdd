"""Word2Vec through Spark MLlib in local mode on the English sample (one JVM session for the module)."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from embedlab.config import SparkWord2VecParams
from embedlab.errors import Cancelled, EmbedlabError, ParameterError
from embedlab.progress import CancelToken
from embedlab.search import NeighbourIndex
from embedlab.workspace import Workspace

spark_word2vec = pytest.importorskip("embedlab.train.spark_word2vec")
pytest.importorskip("pyspark")
if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark (make test installs Debian's default-jre-headless)", allow_module_level=True)

PARAMS = SparkWord2VecParams(vector_size=50, min_count=5, epochs=1, partitions=1, seed=1, master="local[2]")


@pytest.fixture(scope="module")
def trained(sample_workspace: Workspace):
    corpus = sample_workspace.list_corpora()[0]
    messages: list[str] = []
    result = spark_word2vec.train(PARAMS, corpus, on_progress=lambda d, t, m: messages.append(m))
    yield corpus, result, messages


@pytest.fixture(scope="module", autouse=True)
def _one_session():
    yield
    spark_word2vec.stop_session()  # free the JVM for the rest of the suite


def test_vocabulary_and_dimensions_match_the_request(trained) -> None:
    corpus, result, messages = trained
    counts = Counter(Path(corpus.tokens_path).read_text(encoding="utf-8").split())
    expected = {w for w, c in counts.items() if c >= PARAMS.min_count}
    vectors = result.vectors
    assert set(vectors.words) == expected and vectors.dim == 50
    assert [int(c) for c in vectors.counts[:20]] == [counts[w] for w in vectors.words[:20]]
    assert list(vectors.counts) == sorted(vectors.counts, reverse=True)  # stored by descending frequency
    assert result.algorithm == "word2vec-spark" and result.extra["spark_master"] == "local[2]"
    assert any("Starting Spark" in m for m in messages) and messages[-1].endswith("words trained")


def test_king_is_near_queen(trained) -> None:
    _, result, _ = trained
    top = [n.word for n in NeighbourIndex(result.vectors).query("king", k=10)]
    assert "queen" in top, top


def test_bad_requests_get_clear_messages(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="Spark master"):
        SparkWord2VecParams(master="local[2] extra").validate()
    with pytest.raises(EmbedlabError, match="no file or folder"):
        spark_word2vec.train_uri(PARAMS, str(tmp_path / "missing.txt"))
    cancel = CancelToken()
    cancel.cancel()
    text = tmp_path / "raw.txt"
    text.write_text("a b c\n", encoding="utf-8")
    with pytest.raises(Cancelled):
        spark_word2vec.train_uri(PARAMS, str(text), cancel=cancel)


def test_cli_trains_with_spark_into_the_workspace(tmp_path: Path, capsys) -> None:
    from embedlab import cli

    text = tmp_path / "raw.txt"
    text.write_text("the king and the queen\nthe queen and the king\n" * 10, encoding="utf-8")
    root = tmp_path / "ws"
    code = cli.main(["--workspace", str(root), "-q", "train", "word2vec", "--engine", "spark", "--master", "local[2]",
                     "--corpus", str(text), "--vector-size", "8", "--min-count", "5", "--name", "tiny"])
    assert code == 0
    workspace = Workspace(root)
    (record,) = workspace.list_models()
    assert record.algorithm == "word2vec-spark" and record.manifest.name == "tiny"
    assert record.manifest.params["master"] == "local[2]" and record.manifest.dim == 8
    assert record.manifest.corpus is not None and record.manifest.corpus.n_tokens == 100
    assert set(workspace.load_vectors(record.model_id).words) == {"the", "king", "queen", "and"}
    printed = capsys.readouterr()
    assert "tiny" in printed.out and "Training" not in printed.out + printed.err  # -q: the result only


def test_a_uri_corpus_is_recorded_by_its_address(tmp_path: Path) -> None:
    from embedlab.workflows import train_spark_and_save

    folder = tmp_path / "corpus"  # a folder: Spark reads every file in it
    folder.mkdir()
    (folder / "part-0.txt").write_text("The King, the Queen!\n" * 10, encoding="utf-8")
    (folder / "part-1.txt").write_text("the king and the queen\n" * 10, encoding="utf-8")
    workspace = Workspace(tmp_path / "ws")
    params = SparkWord2VecParams(vector_size=8, min_count=5, epochs=1, master="local[2]")
    model_id = train_spark_and_save(workspace, params, str(folder))
    manifest = workspace.manifest(model_id)
    assert manifest.corpus is not None and manifest.corpus.name == str(folder) and manifest.corpus.id is None
    assert manifest.corpus.n_tokens == 40 + 50 and manifest.name == "Word2Vec (Spark) · corpus"
    vectors = workspace.load_vectors(model_id)  # Spark split the raw lines into lower-cased words itself
    assert vectors.words[0] == "the" and vectors.dim == 8
    assert dict(zip(vectors.words, vectors.counts.tolist())) == {"the": 40, "king": 20, "queen": 20, "and": 10}
    assert manifest.extra["corpus_uri"] == str(folder)


def test_the_train_page_offers_spark(workspace, tmp_path: Path) -> None:
    from apptest_helpers import app_state, assert_clean, open_page, wait_for_jobs

    text = tmp_path / "tiny.txt"
    text.write_text("the king and the queen\nthe queen and the king\n" * 10, encoding="utf-8")
    corpus = workspace.add_corpus(text, "tiny")
    at = open_page("pages/2_Train.py", corpus_id=corpus.corpus_id)
    at.radio(key="train_algorithm").set_value("word2vec-spark").run()
    assert any("Spark MLlib" in c.value for c in at.caption)
    at.number_input(key="word2vec-spark_vector_size").set_value(8)
    at.text_input(key="word2vec-spark_master").set_value("local[2]")
    at.button(key="FormSubmitter:train_form_word2vec-spark-Train").click().run()
    at = wait_for_jobs(at)  # the same local JVM session as the tests above
    assert_clean(at)
    [model] = workspace.list_models()
    assert model.algorithm == "word2vec-spark" and model.manifest.params["master"] == "local[2]"
    assert model.manifest.dim == 8 and app_state(at).active_model_id == model.model_id
    assert any("It is now the active model" in s.value for s in at.success)


def test_item2vec_sessions_train_through_spark(tmp_path: Path) -> None:
    """A sessions corpus (item IDs, case kept) is a corpus like any other: Spark learns items bought together."""
    import csv

    from embedlab.workflows import ensure_sample_corpus

    workspace = Workspace(tmp_path / "ws")
    corpus = ensure_sample_corpus(workspace, "sessions")
    params = SparkWord2VecParams(vector_size=32, window=10, min_count=3, epochs=1, partitions=1, seed=1,
                                 master="local[2]")
    vectors = spark_word2vec.train(params, corpus).vectors
    counts = Counter(Path(corpus.tokens_path).read_text(encoding="utf-8").split())
    assert set(vectors.words) == {w for w, c in counts.items() if c >= 3} and vectors.dim == 32
    assert all(w.startswith("P") for w in vectors.words)  # item IDs are not lower-cased
    with open(Path(__file__).resolve().parent.parent / "sample_data" / "items.csv", encoding="utf-8") as handle:
        category = {row["id"]: row["category"] for row in csv.DictReader(handle)}
    index = NeighbourIndex(vectors)
    shares = [np.mean([category[n.word] == category[w] for n in index.query(w, k=5)]) for w in vectors.words[:100]]
    # 22 categories: a random neighbour shares the item's category about 1 time in 22
    assert np.mean(shares) > 0.5, np.mean(shares)
