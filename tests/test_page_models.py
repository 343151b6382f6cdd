"""AppTest: the Models page loads vector files in a background job and offers every export."""

from __future__ import annotations

import io as stdio
import pickle
import zipfile

import numpy as np

from apptest_helpers import app_state, assert_clean, errors, open_page, picker, shown, wait_for_jobs
from embedlab import io as vector_io
from embedlab.vectors import WordVectors

WORDS = ["king", "queen", "国王", "女王", "new york", "man", "woman"]
MATRIX = np.random.default_rng(3).standard_normal((len(WORDS), 5)).astype(np.float32)


def glove_bytes() -> bytes:
    """A GloVe-style file made elsewhere: embedlab reads a phrase like 'new york' from it (though it would not
    write one to a text format, which other readers split)."""
    return "".join(f"{w} {' '.join(f'{x:.8g}' for x in row)}\n" for w, row in zip(WORDS, MATRIX.tolist())).encode()


def upload(at, name: str, data: bytes):
    at.file_uploader(key="models_load_upload").upload(name, data, "application/octet-stream").run()
    return at


def test_load_a_glove_file_with_a_limit_and_a_name(workspace, trained_model) -> None:
    at = open_page("pages/3_Models.py", model_id=trained_model)
    assert picker(at, "models_chosen").value == trained_model
    at = upload(at, "glove.6B.5d.txt", glove_bytes())
    assert_clean(at)
    [fmt] = [s for s in at.selectbox if s.label.startswith("Format")]
    assert fmt.value == vector_io.GLOVE
    at.number_input(key="models_load_limit").set_value(5)
    at.text_input(key="models_load_name").set_value("My GloVe")
    at.button(key="models_load_start").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    [record] = [r for r in workspace.list_models() if r.model_id != trained_model]
    assert record.name == "My GloVe" and record.algorithm == "imported"
    assert record.manifest.source["file"] == "glove.6B.5d.txt" and record.manifest.vocab_size == 5
    assert app_state(at).active_model_id == record.model_id
    assert picker(at, "models_chosen").value == record.model_id
    assert any("It is now the active model" in s.value for s in at.success)
    table = at.dataframe[0].value.set_index("name")
    assert table.loc["My GloVe", "corpus or file"] == "glove.6B.5d.txt"
    assert workspace.load_vectors(record.model_id).words == tuple(WORDS[:5])
    assert not list((workspace.root / "incoming").iterdir())  # the upload copy is gone
    # 'new york' cannot be written to word2vec binary or text (readers split on spaces): those buttons are
    # disabled and say why; the projector and npz keep it
    disabled = {b.key: b.proto.disabled for b in at.get("download_button")}
    assert disabled["models_export_word2vec-binary"] and disabled["models_export_glove"]
    assert not disabled["models_export_projector"] and not disabled["models_export_npz"]
    assert any("'new york'" in shown(c.value) for c in at.caption)


def test_bad_files_get_a_message_and_no_model(workspace) -> None:
    at = upload(open_page("pages/3_Models.py"), "model.kv", pickle.dumps({"vectors": [1.0]}, protocol=4))
    assert not at.exception
    assert any("never unpickles" in e for e in errors(at)), errors(at)
    at = upload(open_page("pages/3_Models.py"), "ragged.txt", b"cat 0.1 0.2\ndog 0.3 0.4\nemu 1\n")
    assert_clean(at)  # detection reads the first lines only; the parse finds the bad row in the job
    at.button(key="models_load_start").click().run()
    at = wait_for_jobs(at)
    assert not at.exception
    assert any("line 3" in e for e in errors(at)), errors(at)
    assert workspace.list_models() == []


def test_every_export_downloads_and_reads_back(workspace, trained_model) -> None:
    at = open_page("pages/3_Models.py", model_id=trained_model)
    assert_clean(at)
    vectors = workspace.load_vectors(trained_model)
    buttons = {b.key: b for b in at.get("download_button")}
    assert set(buttons) == {f"models_export_{f}" for f in vector_io.EXPORTS}
    # the page builds each file with the library function its callable calls
    for format in vector_io.EXPORTS:
        data = vector_io.export_bytes(vectors, format, workspace.manifest(trained_model).to_json())
        path = workspace.root / f"export.{format}"
        path.write_bytes(data)
        assert vector_io.read_vectors(path).vectors.words == vectors.words
    with zipfile.ZipFile(stdio.BytesIO(vector_io.export_bytes(vectors, vector_io.PROJECTOR))) as archive:
        assert sorted(archive.namelist()) == ["metadata.tsv", "vectors.tsv"]


def test_projector_vectors_with_their_metadata(workspace) -> None:
    vectors = WordVectors.from_matrix(WORDS, MATRIX)
    with zipfile.ZipFile(stdio.BytesIO(vector_io.export_bytes(vectors, vector_io.PROJECTOR))) as archive:
        tsv, meta = archive.read("vectors.tsv"), archive.read("metadata.tsv")
    at = upload(open_page("pages/3_Models.py"), "vectors.tsv", tsv)
    assert_clean(at)
    at.file_uploader(key="models_load_metadata").upload("metadata.tsv", meta, "text/tab-separated-values").run()
    at.button(key="models_load_start").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    [record] = workspace.list_models()
    assert record.manifest.source["format"] == vector_io.PROJECTOR
    assert workspace.load_vectors(record.model_id).words == tuple(WORDS)
