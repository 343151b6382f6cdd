"""Documents, graphs and recommendations through the workflows and the CLI, on one small workspace each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embedlab import workflows
from embedlab.categories import from_table, read_table
from embedlab.cli import main
from embedlab.config import CorpusParams, Doc2VecParams
from embedlab.search import NeighbourIndex
from embedlab.train.doc2vec import INFERENCE_GROUP, WORDS_GROUP, InferenceModel, words_from_arrays
from embedlab.workspace import Workspace

SAMPLE_DOCS = Path(__file__).resolve().parent.parent / "sample_data" / "documents.txt"
DOCS = "".join(f"{label}\t{text}\n" for label, text in [
    ("sport", "the striker scored a late goal for the home team"),
    ("sport", "the keeper saved a penalty and the team won the match"),
    ("cooking", "stir the garlic into the creamy tomato sauce and simmer"),
    ("cooking", "bake the bread dough in a hot oven until golden"),
] * 30)


def cli(workspace: Workspace, capsys: pytest.CaptureFixture, *args: str) -> str:
    code = main(["--workspace", str(workspace.root), "-q", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_documents_corpus_trains_doc2vec_with_labels_and_inference(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    source = tmp_path / "docs.txt"
    lines = SAMPLE_DOCS.read_text(encoding="utf-8").splitlines()[:400]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = workflows.documents_corpus(workspace, source, CorpusParams("words"))
    assert workflows.documents_corpus(workspace, source, CorpusParams("words")).corpus_id == corpus.corpus_id
    assert corpus.n_sentences == 400 and "finance" not in {w for w, _ in corpus.stats.top_words}  # labels stay out
    params = Doc2VecParams(mode="dbow", train_words=True, vector_size=16, epochs=20, workers=1)
    model_id = workflows.train_and_save(workspace, "doc2vec", params, corpus)
    vectors = workspace.load_vectors(model_id)
    assert len(vectors) == 400 and vectors.words[0] == "doc1"
    table = workspace.load_category_table(model_id)
    categories = from_table(read_table(table.data), table.source)
    label, text = lines[3].split("\t")
    assert categories.mapping["doc4"] == label and categories.titles["doc4"] == text
    inference = InferenceModel.from_arrays(*workspace.load_model_arrays(model_id, INFERENCE_GROUP))
    words = words_from_arrays(*workspace.load_model_arrays(model_id, WORDS_GROUP))
    assert "garlic" in words and words.dim == 16
    found = NeighbourIndex(vectors).query(inference.infer("the chef simmered a creamy garlic sauce in the "
                                                          "kitchen and baked fresh bread".split()), k=10)
    assert sum(categories.mapping[n.word] == "cooking" for n in found) >= 8  # six topics: chance is 1 in 6


def test_cli_trains_deepwalk_node2vec_and_doc2vec(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    workspace = Workspace(tmp_path / "ws")
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,weight\n" + "".join(f"a{i},a{(i + 1) % 10},1\nb{i},b{(i + 1) % 10},1\n"
                                                          for i in range(10)) + "a0,b0,0.5\n")
    out = cli(workspace, capsys, "train", "deepwalk", "--graph", str(edges), "--epochs", "2", "--walk-length", "10",
              "--vector-size", "8")
    assert "DeepWalk · edges" in out and " 20 " in out  # twenty nodes
    out = cli(workspace, capsys, "train", "node2vec", "--graph", str(edges), "--p", "1", "--q", "0.5",
              "--epochs", "2", "--walk-length", "10", "--vector-size", "8")
    assert "Node2Vec" in out
    assert len(workspace.list_corpora()) == 1  # the same graph is one corpus, prepared once
    manifest = workspace.list_models()[0].manifest
    assert manifest.params["q"] == 0.5 and manifest.extra["graph"]["edges"] == 21
    out = cli(workspace, capsys, "neighbours", "a3", "-k", "2")
    assert {line.split()[1] for line in out.splitlines()[2:]} <= {f"a{i}" for i in range(10)}
    out = cli(workspace, capsys, "train", "deepwalk", "--graph", "karate", "--epochs", "1", "--walk-length", "10")
    table = workspace.load_category_table(workspace.list_models()[0].model_id)
    assert b"club" in table.data and b"community" in table.data
    docs = tmp_path / "docs.txt"
    docs.write_text(DOCS, encoding="utf-8")
    out = cli(workspace, capsys, "train", "doc2vec", "--corpus", str(docs), "--epochs", "2", "--vector-size", "8",
              "--min-count", "1")
    assert "documents" in out.splitlines()[0] and "120" in out


def test_recommendations_hold_out_train_and_record(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    workspace = Workspace(tmp_path / "ws")
    rng = np.random.default_rng(0)
    groups = [[f"A{i}" for i in range(8)], [f"B{i}" for i in range(8)], [f"C{i}" for i in range(8)]]
    sessions = tmp_path / "sessions.txt"
    sessions.write_text("".join(" ".join(rng.choice(groups[rng.integers(3)], size=rng.integers(3, 7))) + "\n"
                                for _ in range(800)))
    out = cli(workspace, capsys, "corpus", "holdout", str(sessions), "--tokenizer", "ids", "--keep-case")
    held_id = out.splitlines()[2].split()[0]
    cli(workspace, capsys, "train", "word2vec", "--corpus", held_id, "--architecture", "skipgram", "--min-count", "1",
        "--vector-size", "16", "--epochs", "5", "--workers", "1", "--name", "honest")
    out = cli(workspace, capsys, "evaluate", "--recall-at-k", "--model", "honest")
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith(("honest", "most"))}
    assert set(rows) == {"honest", "most"}
    item2vec_hit10 = float(rows["honest"][4])
    popular_hit10 = float(rows["most"][5])
    assert item2vec_hit10 > popular_hit10  # sessions stay within a group: neighbours beat popularity
    stored = workflows.stored_recommendation(workspace.list_models()[0].manifest)
    assert stored is not None and not stored.leaky and stored.scores[0].n_cases == 800
    # a model trained on the whole sessions is scored too, but flagged: it saw the held-out items
    full = workspace.find_corpus(sessions, CorpusParams("ids", lowercase=False))
    model_id = workflows.train_and_save(workspace, "word2vec", workflows.params_from_dict(
        "word2vec", {"min_count": 1, "vector_size": 8, "epochs": 1, "workers": 1}), full)
    assert workflows.recommend_and_record(workspace, model_id, (5,)).leaky


def test_cli_index_lab(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from embedlab.vectors import WordVectors

    workspace = Workspace(tmp_path / "ws")
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(20, 16))[rng.integers(0, 20, 600)] + 0.3 * rng.normal(size=(600, 16))
    from embedlab.records import Manifest

    workspace.save_model(WordVectors.from_matrix([f"w{i}" for i in range(600)], matrix), Manifest(name="random"))
    out = cli(workspace, capsys, "index-lab", "--queries", "50", "--nprobe", "1", "--nprobe", "64",
              "--ef-search", "64", "--pq-bytes", "4")
    lines = out.splitlines()
    assert lines[0].startswith("600 vectors x 16 dims, 50 queries")
    kinds = {line.split()[0] for line in lines[3:] if line and not line.startswith("Fastest")}
    assert kinds == {"Flat", "IVF-Flat", "IVF-PQ", "HNSW"}
    assert "Fastest with recall@10 >= 0.95" in out
