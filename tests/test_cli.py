"""The command line through real subprocesses: the same workspace, tables out, clear errors, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from embedlab.cli import build_parser, format_table, main
from embedlab.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent


def run(workspace: Workspace, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "embedlab", "--workspace", str(workspace.root), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


def test_query_export_import_and_evaluate_a_model(workspace: Workspace, trained_model: str, tmp_path: Path) -> None:
    near = run(workspace, "neighbours", "king", "-k", "3")
    assert near.returncode == 0, near.stderr
    lines = near.stdout.splitlines()
    assert lines[0].split() == ["rank", "word", "similarity"] and len(lines) == 5
    assert "queen" in near.stdout
    several = run(workspace, "neighbours", "king", "queen", "kingg", "-k", "2")
    assert several.returncode == 1  # an unknown word is reported, the others still answered
    assert [line.split()[0] for line in several.stdout.splitlines()[2:]] == ["king", "king", "queen", "queen"]
    assert "'kingg' is not in this model's vocabulary. Closest known spellings: king" in several.stderr

    analogy = run(workspace, "analogy", "king", "-", "man", "+", "woman", "--model", trained_model)
    assert analogy.returncode == 0, analogy.stderr
    assert analogy.stdout.splitlines()[2].split()[1] == "queen"

    exported = run(workspace, "export", "word2vec-binary", str(tmp_path / "out.bin"))
    assert exported.returncode == 0, exported.stderr
    imported = run(workspace, "import", str(tmp_path / "out.bin"), "--limit", "200", "--name", "Top 200")
    assert imported.returncode == 0, imported.stderr
    assert "word2vec-binary" in imported.stdout and " 200 " in imported.stdout
    [record] = [r for r in workspace.list_models() if r.algorithm == "imported"]
    assert record.name == "Top 200" and record.manifest.source["file"] == "out.bin"



def test_models_and_evaluate_in_process(workspace: Workspace, trained_model: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The same ``main`` without a subprocess (each launch costs seconds of imports)."""
    assert main(["--workspace", str(workspace.root), "models"]) == 0
    assert trained_model in capsys.readouterr().out
    assert main(["--workspace", str(workspace.root), "-q", "evaluate", "--model", trained_model[:12],
                 "--benchmark", "wordsim353"]) == 0
    out = capsys.readouterr().out
    assert "WordSim353" in out and "coverage" in out
    assert "WordSim353" in workspace.manifest(trained_model).metrics.benchmarks
    assert main(["--workspace", str(workspace.root), "export", "glove", "x.txt", "--model", "nope"]) == 1
    assert "No model 'nope'" in capsys.readouterr().err


def test_corpus_stats_and_train_with_generated_flags(workspace: Workspace) -> None:
    stats = run(workspace, "corpus", "stats", "english", "--top", "2")
    assert stats.returncode == 0, stats.stderr
    assert "tokens" in stats.stdout and "the" in stats.stdout
    trained = run(workspace, "train", "word2vec", "--corpus", "english", "--epochs", "1", "--vector-size", "16",
                  "--architecture", "skipgram", "--name", "tiny")
    assert trained.returncode == 0, trained.stderr
    [model] = workspace.list_models()
    assert model.name == "tiny" and model.manifest.params["vector_size"] == 16
    assert model.manifest.params["architecture"] == "skipgram" and "epoch 1/1" in trained.stderr


def test_user_errors_exit_1_with_a_message_and_usage_errors_exit_2(workspace: Workspace, tmp_path: Path) -> None:
    empty = run(workspace, "neighbours", "king")
    assert empty.returncode == 1 and empty.stderr.startswith("embedlab: error: The workspace has no models yet")
    bad = tmp_path / "bad.txt"
    bad.write_text("cat 0.1 0.2\ndog 0.3\n", encoding="utf-8")
    refused = run(workspace, "import", str(bad))
    assert refused.returncode == 1 and "line 2" in refused.stderr and "Traceback" not in refused.stderr
    with pytest.raises(SystemExit) as usage:
        main(["--workspace", str(workspace.root), "train", "word2vec", "--window", "many"])
    assert usage.value.code == 2


def test_train_flags_come_from_the_params_dataclasses() -> None:
    parser = build_parser()
    args = parser.parse_args(["train", "fasttext", "--bucket", "5000", "--min-n", "2", "--loss", "hierarchical"])
    assert (args.param_bucket, args.param_min_n, args.param_loss) == (5000, 2, "hierarchical")
    assert args.param_window is None  # unset flags keep the dataclass default
    glove = parser.parse_args(["train", "glove", "--x-max", "10", "--max-vocab", "5000"])
    assert (glove.param_x_max, glove.param_max_vocab) == (10.0, 5000)
    with pytest.raises(SystemExit):
        parser.parse_args(["train", "word2vec", "--architecture", "bert"])


def test_tables_align_numbers_right() -> None:
    text = format_table([{"word": "king", "count": 1200}, {"word": "a", "count": 7}])
    assert text.splitlines() == ["word  count", "----  -----", "king  1,200", "a         7"]


def test_a_file_is_tokenised_once_and_then_reused(workspace: Workspace, tmp_path: Path, monkeypatch) -> None:
    """`corpus stats FILE` twice, then `train word2vec --corpus FILE`: one corpus, tokenised once."""
    import embedlab.workspace as store

    tokenised: list[str] = []
    real_prepare = store.prepare_corpus
    monkeypatch.setattr(store, "prepare_corpus", lambda source, *a, **k: tokenised.append(str(source)) or
                        real_prepare(source, *a, **k))
    digests: list[str] = []
    real_digest = store.file_digest
    monkeypatch.setattr(store, "file_digest", lambda path: digests.append(str(path)) or real_digest(path))
    text = tmp_path / "my text.txt"
    text.write_text("the king and the queen\nthe man and the woman\n" * 50, encoding="utf-8")
    args = ["--workspace", str(workspace.root), "-q"]
    assert main([*args, "corpus", "stats", str(text), "--top", "0"]) == 0
    assert main([*args, "corpus", "stats", str(text), "--top", "0"]) == 0
    assert main([*args, "train", "word2vec", "--corpus", str(text), "--epochs", "1", "--min-count", "1"]) == 0
    assert len(workspace.list_corpora()) == 1 and tokenised == [str(text)]
    assert digests == [str(text)]  # hashed once when added; size and mtime matched after that, no read at all
    [model] = workspace.list_models()
    assert model.manifest.corpus.id == workspace.list_corpora()[0].corpus_id

    # the same bytes with a new modification time: one streamed digest of the new file decides, still reused
    text.write_text(text.read_text(encoding="utf-8"), encoding="utf-8")
    assert main([*args, "corpus", "stats", str(text), "--top", "0"]) == 0
    assert len(workspace.list_corpora()) == 1 and digests == [str(text)] * 2
    # other options, or other content of the same size, make a new corpus
    assert main([*args, "corpus", "stats", str(text), "--top", "0", "--keep-case"]) == 0
    text.write_text(text.read_text(encoding="utf-8").replace("king", "kong"), encoding="utf-8")
    assert main([*args, "corpus", "stats", str(text), "--top", "0"]) == 0
    assert len(workspace.list_corpora()) == 3 and len(tokenised) == 3


def test_compare_train_and_what_if_from_the_terminal(workspace: Workspace, tmp_path: Path, monkeypatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The Compare page's two ways to train are commands too (the same workflows); -q keeps stderr empty."""
    from embedlab import benchmark_files as bf
    from embedlab import scoring, workflows

    text = tmp_path / "tiny.txt"
    text.write_text("the king and the queen rule\nthe man and the woman walk\n" * 200, encoding="utf-8")
    args = ["--workspace", str(workspace.root), "-q"]
    assert main([*args, "compare", "train", "--corpus", str(text), "--algorithm", "word2vec", "--algorithm", "glove",
                 "--vector-size", "8", "--min-count", "1", "--epochs", "1", "--name", "pair"]) == 0
    [made] = workspace.list_comparisons()
    assert made.kind == "trio" and made.name == "pair"
    printed = capsys.readouterr()
    assert printed.err == "" and made.model_ids[0] in printed.out
    assert [workspace.manifest(i).algorithm for i in made.model_ids] == ["word2vec", "glove"]
    assert {workspace.manifest(i).dim for i in made.model_ids} == {8}

    pairs = bf.parse_word_pairs("king\tqueen\t8\nman\twoman\t8\nking\tman\t3\nqueen\twalk\t1\n", "tiny pairs")
    monkeypatch.setattr(workflows, "default_request", lambda: scoring.BenchmarkRequest((pairs,)))  # fast
    assert main([*args, "what-if", "window=2", "--model", made.model_ids[0]]) == 0
    what_if = workspace.list_comparisons()[0]
    assert what_if.kind == "what-if" and what_if.what_if_change == ("window", 5, 2)
    assert capsys.readouterr().err == ""
    assert "tiny pairs" in workspace.manifest(what_if.model_ids[1]).metrics.benchmarks
    assert main([*args, "what-if", "window=maybe", "--model", made.model_ids[0]]) == 1
    assert main([*args, "what-if", "windows", "--model", made.model_ids[0]]) == 1
    assert main([*args, "compare", "list"]) == 0


def test_quiet_train_prints_the_result_only(workspace: Workspace) -> None:
    """-q: stdout is the model table and nothing else, stderr stays empty; without it, progress goes to stderr."""
    quiet = run(workspace, "-q", "train", "glove", "--corpus", "english", "--epochs", "2", "--vector-size", "8")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    [model] = workspace.list_models()
    header, rule, row = quiet.stdout.splitlines()
    assert header.split()[:2] == ["id", "name"] and set(rule.replace(" ", "")) == {"-"}
    assert row.startswith(model.model_id)
    chatty = run(workspace, "train", "glove", "--corpus", "english", "--epochs", "2", "--vector-size", "8")
    assert chatty.returncode == 0 and "Training GloVe on English sample" in chatty.stderr and "epoch 2/2" in chatty.stderr
    assert "Training" not in chatty.stdout and len(chatty.stdout.splitlines()) == 3


def test_spark_and_gensim_flags_are_not_mixed(tmp_path, capsys) -> None:
    from embedlab import cli

    root = str(tmp_path / "ws")
    assert cli.main(["--workspace", root, "train", "word2vec", "--engine", "spark", "--architecture", "cbow",
                     "--corpus", "english"]) != 0
    assert "does not apply to Spark" in capsys.readouterr().err
    assert cli.main(["--workspace", root, "train", "word2vec", "--partitions", "4", "--corpus", "english"]) != 0
    assert "--engine spark only" in capsys.readouterr().err


@pytest.fixture
def fasttext_model(sample_workspace: Workspace, workspace: Workspace) -> str:
    from tests.conftest import _copy_into, _sample_model

    model_id = _sample_model(sample_workspace, "fasttext")
    _copy_into(sample_workspace, workspace, model_id)
    return model_id


def test_fasttext_answers_for_unseen_words_say_they_were_composed(workspace: Workspace, fasttext_model: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The terminal says what the Neighbours and Analogies pages say: 'kingz' came from its n-grams."""
    from embedlab.i18n import use_language
    from embedlab.subword import composed_note

    root = ["--workspace", str(workspace.root)]
    note = "“kingz” is not in the vocabulary. FastText composed its vector from the mean of its "
    assert main([*root, "neighbours", "kingz", "--model", fasttext_model, "-k", "3"]) == 0
    one = capsys.readouterr()
    assert note in one.err and "<ki" in one.err and "gz>" in one.err
    assert one.out.splitlines()[0].split() == ["rank", "word", "similarity"] and len(one.out.splitlines()) == 5

    assert main([*root, "neighbours", "king", "--model", fasttext_model, "-k", "3"]) == 0
    assert "not in the vocabulary" not in capsys.readouterr().err  # a known word needs no note

    assert main([*root, "neighbours", "king", "kingz", "--model", fasttext_model, "-k", "2"]) == 0
    several = capsys.readouterr()
    assert several.err.count("is not in the vocabulary") == 1 and note in several.err

    assert main([*root, "analogy", "kingz", "-", "Man", "+", "woman", "--model", fasttext_model]) == 0
    analogy = capsys.readouterr()
    assert note in analogy.err and "“Man” is not in the vocabulary; using “man”." in analogy.err

    # 'King' in this lower-cased model is 'king', as on the Neighbours page: folded first, not composed from n-grams
    assert main([*root, "neighbours", "king", "--model", fasttext_model, "-k", "3"]) == 0
    lower = capsys.readouterr().out
    assert main([*root, "neighbours", "King", "--model", fasttext_model, "-k", "3"]) == 0
    folded = capsys.readouterr()
    assert folded.out == lower and "“King” is not in the vocabulary; using “king”." in folded.err
    assert "FastText composed" not in folded.err
    assert main([*root, "neighbours", "King", "kingz", "--model", fasttext_model, "-k", "2"]) == 0
    both = capsys.readouterr()
    assert "using “king”" in both.err and note in both.err and "FastText composed its vector" in both.err
    assert [row.split()[0] for row in both.out.splitlines()[2:]] == ["king", "king", "kingz", "kingz"]

    # one wording, translated once: the same note reads in Chinese in a Chinese session
    with use_language("zh"):
        assert str(composed_note("kingz", ["<ki", "gz>"])).startswith("“kingz”不在词表中。FastText")


def test_neighbours_answer_through_the_index_chosen_in_the_index_lab(workspace: Workspace, trained_model: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The Index lab's pick serves the terminal as it serves the Neighbours page; ``--exact`` goes around it."""
    from embedlab import index_choice
    from embedlab.index_lab import IndexSpec
    from embedlab.search import NeighbourIndex

    root = ["--workspace", str(workspace.root), "neighbours", "king", "-k", "40"]
    vectors = workspace.load_vectors(trained_model)
    coarse = IndexSpec("ivf_flat", nlist=32, nprobe=1)  # one cell of 32 scanned: it misses true neighbours
    approximate = [n.word for n in index_choice.searcher(coarse, vectors).query("king", k=40)]
    exact = [n.word for n in NeighbourIndex(vectors).query("king", k=40)]
    assert approximate != exact  # otherwise this test could not tell the two searches apart

    def answered(*extra: str) -> tuple[list[str], str]:
        assert main([*root, *extra]) == 0
        out = capsys.readouterr()
        return [line.split()[1] for line in out.out.splitlines()[2:]], out.err

    assert answered() == (exact, "")  # nothing chosen: exact search, no note
    index_choice.save(workspace, trained_model, vectors, coarse)
    words, note = answered()
    assert words == approximate
    assert "Searching with the index chosen in the Index lab: IVF32-Flat, nprobe 1" in note
    assert answered("--exact") == (exact, "")
    assert main(["-q", *root]) == 0 and capsys.readouterr().err == ""  # -q: the note is a status line
    index_choice.save(workspace, trained_model, vectors, None)
    assert answered() == (exact, "")


def test_index_lab_saves_its_suggestion_for_neighbours_and_forgets_it(workspace: Workspace, trained_model: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from embedlab import index_choice

    lab = ["--workspace", str(workspace.root), "index-lab", "--index", "ivf_flat", "--nprobe", "8", "--queries", "50"]
    assert main([*lab, "--use-best", "--min-recall", "0.5"]) == 0
    assert "Saved IVF" in capsys.readouterr().err
    spec = index_choice.saved_spec(workspace, trained_model, workspace.load_vectors(trained_model))
    assert spec is not None and spec.kind == "ivf_flat" and spec.nprobe == 8
    assert main(["--workspace", str(workspace.root), "neighbours", "king"]) == 0
    assert f"index chosen in the Index lab: {spec.label}" in capsys.readouterr().err
    assert main([*lab, "--forget"]) == 0
    assert index_choice.saved_spec(workspace, trained_model, workspace.load_vectors(trained_model)) is None
    capsys.readouterr()
    # a bar nothing reaches saves nothing, and says so
    assert main([*lab, "--index", "ivf_pq", "--nprobe", "1", "--use-best", "--min-recall", "1.01"]) != 0
    assert "nothing was saved" in capsys.readouterr().err
    assert workspace.load_search_index(trained_model) is None
