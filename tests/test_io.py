"""embedlab.io: every format round-trips, gensim agrees, bad files get messages that say where."""

from __future__ import annotations

import io as stdio
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from embedlab import io as eio
from embedlab.errors import FileTooLargeError, UnsafeFileError, VectorFormatError
from embedlab.progress import CancelToken
from embedlab.vectors import WordVectors, fingerprint_arrays
from embedlab.workspace import Workspace

RNG = np.random.default_rng(7)
PLAIN = ["the", "king", "queen", "国王", "女王", "café", "x1"]
MATRIX = RNG.standard_normal((9, 6)).astype(np.float32)
#: which unusual words each format can carry
WORDS = {
    eio.WORD2VEC_TEXT: PLAIN + ["tab\tword", "new_york"],
    eio.GLOVE: PLAIN + ["tab\tword", "new_york"],
    eio.WORD2VEC_BINARY: PLAIN + ["tab\tword", "ünïcode"],
    eio.PROJECTOR: PLAIN + ["new york", "san josé"],
    eio.NPZ: PLAIN + ["new york", "tab\tword"],
}


def model(format: str, counts: bool = True) -> WordVectors:
    words = WORDS[format]
    return WordVectors.from_matrix(words, MATRIX, counts=np.arange(len(words), 0, -1) if counts else None)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("format", list(eio.EXPORTS))
def test_every_format_round_trips_words_and_vectors(tmp_path: Path, format: str) -> None:
    original = model(format)
    path = write(tmp_path, "upload.data", eio.export_bytes(original, format, {"name": "mine"}))
    assert eio.detect_format(path) == format
    loaded = eio.read_vectors(path)
    assert loaded.format == format
    assert loaded.vectors.words == original.words
    np.testing.assert_allclose(loaded.vectors.raw(), MATRIX, rtol=1e-6, atol=1e-6)
    if format in (eio.NPZ, eio.PROJECTOR):  # the formats that carry counts
        assert loaded.vectors.counts.tolist() == original.counts.tolist()
    if format == eio.NPZ:
        assert loaded.manifest["name"] == "mine"


def test_exports_to_paths_read_back_and_the_fingerprint_is_a_trained_models(tmp_path: Path) -> None:
    original = model(eio.PROJECTOR, counts=False)
    files = eio.export_to_path(original, eio.PROJECTOR, tmp_path / "projector")
    assert [f.name for f in files] == ["vectors.tsv", "metadata.tsv"]
    # single-column metadata has no header row (the projector's rule)
    assert (tmp_path / "projector" / "metadata.tsv").read_text(encoding="utf-8").splitlines()[0] == "the"
    loaded = eio.read_vectors(files[0], metadata=files[1])
    assert loaded.vectors.words == original.words
    npz, side = eio.export_to_path(model(eio.NPZ), eio.NPZ, tmp_path / "m.npz", {"algorithm": "word2vec"})
    assert side.name == "m.manifest.json"
    again = eio.read_vectors(npz)
    assert again.vectors.words == model(eio.NPZ).words and again.manifest["algorithm"] == "word2vec"


def test_fingerprint_is_the_one_a_trained_model_would_get(tmp_path: Path) -> None:
    """The in-place assembly must fingerprint exactly like ``WordVectors.from_matrix`` on the file's numbers."""
    path = write(tmp_path, "g.txt", eio.export_bytes(model(eio.GLOVE), eio.GLOVE))
    loaded = eio.read_vectors(path).vectors
    rebuilt = WordVectors.from_matrix(loaded.words, loaded.raw())
    np.testing.assert_allclose(loaded.unit, rebuilt.unit, atol=1e-6)
    lines = path.read_text(encoding="utf-8").splitlines()
    raw = np.array([[float(x) for x in line.rsplit(" ", 6)[1:]] for line in lines], dtype=np.float32)
    assert loaded.fingerprint == fingerprint_arrays(loaded.words, raw)


def test_projector_metadata_with_several_columns_has_a_header(tmp_path: Path) -> None:
    data = eio.export_bytes(model(eio.PROJECTOR), eio.PROJECTOR)
    with zipfile.ZipFile(stdio.BytesIO(data)) as archive:
        meta = archive.read("metadata.tsv").decode("utf-8").splitlines()
        tsv = archive.read("vectors.tsv").decode()
    assert meta[0] == "word\tcount" and meta[1] == "the\t9" and len(meta) == 10
    assert len(tsv.splitlines()) == 9 and all(len(line.split("\t")) == 6 for line in tsv.splitlines())
    # a hand-made metadata file whose label column is not the first
    vectors = write(tmp_path, "vectors.tsv", tsv)
    labels = write(tmp_path, "labels.tsv", "id\tword\n" + "".join(f"{i}\tw{i}\n" for i in range(9)))
    assert eio.read_vectors(vectors, metadata=labels).vectors.words[:2] == ("w0", "w1")
    assert eio.read_vectors(vectors).vectors.words[:2] == ("0", "1")  # no metadata: row numbers


def test_gensim_reads_our_exports_and_we_read_gensims(tmp_path: Path) -> None:
    from gensim.models import KeyedVectors

    ours = model(eio.WORD2VEC_BINARY)
    binary = write(tmp_path, "ours.bin", eio.export_bytes(ours, eio.WORD2VEC_BINARY))
    kv = KeyedVectors.load_word2vec_format(binary, binary=True)
    assert kv.index_to_key == list(ours.words)
    np.testing.assert_allclose(kv.vectors, MATRIX, rtol=1e-6, atol=1e-6)
    glove = write(tmp_path, "ours.txt", eio.export_bytes(model(eio.WORD2VEC_BINARY), eio.GLOVE))
    kv_text = KeyedVectors.load_word2vec_format(glove, no_header=True)
    np.testing.assert_allclose(kv_text.vectors, MATRIX, rtol=1e-6, atol=1e-6)

    kv.save_word2vec_format(tmp_path / "theirs.bin", binary=True)  # gensim writes no newline after rows
    kv.save_word2vec_format(tmp_path / "theirs.txt", binary=False)
    for name, format in (("theirs.bin", eio.WORD2VEC_BINARY), ("theirs.txt", eio.WORD2VEC_TEXT)):
        loaded = eio.read_vectors(tmp_path / name)
        assert loaded.format == format and loaded.vectors.words == tuple(kv.index_to_key)
        np.testing.assert_allclose(loaded.vectors.raw(), kv.vectors, rtol=1e-6, atol=1e-6)


def test_fasttext_bin_keeps_unseen_words_working(tmp_path: Path) -> None:
    from gensim.models import FastText
    from gensim.models.fasttext import save_facebook_model

    sentences = [["king", "queen", "kingdom", "queenly", "royal", "palace"]] * 30
    ft = FastText(sentences, vector_size=8, min_count=1, epochs=2, bucket=2000, min_n=3, max_n=5, seed=1, workers=1)
    save_facebook_model(ft, str(tmp_path / "model.bin"))
    path = tmp_path / "model.bin"
    assert eio.detect_format(path) == eio.FASTTEXT_BIN
    loaded = eio.read_vectors(path).vectors
    assert set(loaded.words) == set(ft.wv.index_to_key)
    assert loaded.subword is not None and loaded.subword.bucket == 2000
    np.testing.assert_allclose(loaded.vector("kingly", unit=False), ft.wv.get_vector("kingly"), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loaded.vector("queen", unit=False), ft.wv.get_vector("queen"), rtol=1e-5, atol=1e-6)

    workspace = Workspace(tmp_path / "ws")
    result = eio.import_vectors(workspace, path, source_name="model.bin")
    reloaded = workspace.load_vectors(result.model_id)
    np.testing.assert_allclose(reloaded.vector("kingly", unit=False), ft.wv.get_vector("kingly"), rtol=1e-5, atol=1e-6)


def test_detection_reads_content_not_the_name(tmp_path: Path) -> None:
    glove = write(tmp_path, "vectors.bin", "cat 0.1 0.2\ndog -1e-3 4\n")
    assert eio.detect_format(glove) == eio.GLOVE
    w2v = write(tmp_path, "vectors.txt", "2 2\ncat 0.1 0.2\ndog 1 2\n")
    assert eio.detect_format(w2v) == eio.WORD2VEC_TEXT
    tsv = write(tmp_path, "x.txt", "0.1\t0.2\n1\t2\n")
    assert eio.detect_format(tsv) == eio.PROJECTOR
    numeric_word = write(tmp_path, "years.txt", "1990 0.5 0.25\n2000 1 2\n")
    assert eio.read_vectors(numeric_word).vectors.words == ("1990", "2000")


def test_a_text_file_whose_first_row_is_short_is_read_as_text_and_the_line_named(tmp_path: Path) -> None:
    """It was taken for word2vec binary and refused for its size in bytes, which says nothing about a text file."""
    path = write(tmp_path, "mine.txt", "3 5\ncat 0.1 0.2\ndog 0.1 0.2 0.3 0.4 0.5\nfish 0.1 0.2 0.3 0.4 0.5\n")
    assert eio.detect_format(path) == eio.WORD2VEC_TEXT
    with pytest.raises(VectorFormatError, match=r"line 2: 2 value\(s\) where 5 are expected"):
        eio.read_vectors(path)


def test_top_n_rows_and_fastext_vec_trailing_spaces_and_crlf(tmp_path: Path) -> None:
    vec = write(tmp_path, "wiki.vec", "3 2\r\ncat 0.1 0.2 \r\ndog 1 2 \r\nemu 3 4 \r\n")
    loaded = eio.read_vectors(vec, limit=2)
    assert loaded.vectors.words == ("cat", "dog") and loaded.info["rows_in_file"] == 3
    for format in (eio.WORD2VEC_BINARY, eio.NPZ, eio.PROJECTOR, eio.GLOVE):
        path = write(tmp_path, f"top.{format}", eio.export_bytes(model(format), format))
        assert eio.read_vectors(path, limit=3).vectors.words == model(format).words[:3]


def test_repeated_words_keep_their_first_vector(tmp_path: Path) -> None:
    loaded = eio.read_vectors(write(tmp_path, "d.txt", "cat 1 0\ndog 0 1\ncat 5 5\n"))
    assert loaded.vectors.words == ("cat", "dog") and loaded.info["duplicates_dropped"] == 1
    np.testing.assert_allclose(loaded.vectors.raw()[0], [1, 0])


def test_progress_is_reported_and_cancel_is_honoured(tmp_path: Path) -> None:
    path = write(tmp_path, "g.txt", "".join(f"w{i} {i} 1\n" for i in range(1000)))
    seen: list[tuple[float, float, str]] = []
    eio.read_vectors(path, on_progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen and seen[-1][0] == seen[-1][1] and "1,000" in seen[-1][2]
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Exception, match="Cancelled"):
        eio.read_vectors(path, cancel=cancel)


# -- bad files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "empty"),
    ("ragged.txt", "cat 0.1 0.2 0.3\ndog 0.1 0.2\nemu 1 2 3\n", r"line 2: 2 value\(s\) where 3 are expected"),
    ("word-only.txt", "cat 0.1 0.2\ndog\n", r"line 2: 0 value\(s\) where 2"),
    ("text.txt", "cat 0.1 0.2\ndog 0.1 abc\n", r"line 2: value 2 \('abc'\) is not a number"),
    ("too-many.txt", "3 2\ncat 0.1 0.2\ndog 0.1 0.2 0.3\nemu 1 2\n", "line 3: 3 values where 2 are expected"),
    ("nan.txt", "cat 0.1 0.2\ndog nan 0.2\n", "line 2: .*NaN"),
    ("short.txt", "3 2\ncat 0.1 0.2\ndog 0.1 0.2\n", "declares 3 rows but ends after 2"),
    ("tsv.tsv", "0.1\t0.2\n0.3\n", r"line 2: 1 values where 2 are expected"),
    ("junk.dat", bytes(range(256)) * 4, "neither a text vector file"),
    ("prose.txt", "Hello there, this is not a vector file.\n", "line 1 is not a vector"),
])
def test_malformed_text_files_name_the_line(tmp_path: Path, name: str, data, message: str) -> None:
    with pytest.raises(VectorFormatError, match=message):
        eio.read_vectors(write(tmp_path, name, data), name=name)


def test_truncated_binary_names_the_offset(tmp_path: Path) -> None:
    data = eio.export_bytes(model(eio.WORD2VEC_BINARY), eio.WORD2VEC_BINARY)
    path = write(tmp_path, "cut.bin", data[:-15])
    with pytest.raises(VectorFormatError, match=r"cut short: row 9 of 9 starts at byte offset \d+"):
        eio.read_vectors(path, name="cut.bin")


def test_a_binary_with_the_wrong_dimension_loses_the_words(tmp_path: Path) -> None:
    data = eio.export_bytes(WordVectors.from_matrix([f"w{i}" for i in range(3000)], np.ones((3000, 4))),
                            eio.WORD2VEC_BINARY)
    path = write(tmp_path, "wrong.bin", data.replace(b"3000 4\n", b"3000 3\n", 1))
    with pytest.raises(VectorFormatError, match="(no word found|control bytes|more data after)"):
        eio.read_vectors(path)


@pytest.mark.parametrize("header, error, message", [
    (b"100000000 300\n", FileTooLargeError, "at most 400,000,000"),
    (b"1000000 300\n", VectorFormatError, "cannot hold them"),
    (b"10 99999\n", VectorFormatError, "99,999 dimensions"),
])
def test_huge_declared_headers_are_refused_before_reading(tmp_path: Path, header: bytes, error, message) -> None:
    path = write(tmp_path, "huge.bin", header + b"cat " + b"\x00" * 1200)
    with pytest.raises(error, match=message):
        eio.read_vectors(path)


def test_pickles_are_refused_with_what_to_upload_instead(tmp_path: Path) -> None:
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=3)
    kv.add_vectors(["a", "b"], np.ones((2, 3), dtype=np.float32))
    kv.save(str(tmp_path / "vectors.kv"))
    for path in (tmp_path / "vectors.kv", write(tmp_path, "x.pkl", pickle.dumps({"a": 1}, protocol=2))):
        with pytest.raises(UnsafeFileError, match="never unpickles.*save_word2vec_format"):
            eio.read_vectors(path, name=path.name)
    objects = tmp_path / "objects.npz"
    np.savez(objects, vectors=np.ones((2, 2)), words=np.array(["a", None], dtype=object))
    with pytest.raises(UnsafeFileError, match="never unpickles"):
        eio.read_vectors(objects)


def test_exports_refuse_words_the_format_cannot_hold() -> None:
    with pytest.raises(VectorFormatError, match="'new york'"):
        eio.export_bytes(model(eio.NPZ), eio.WORD2VEC_BINARY)
    with pytest.raises(VectorFormatError, match="tab"):
        eio.export_bytes(model(eio.NPZ), eio.PROJECTOR)
    eio.export_bytes(model(eio.NPZ), eio.NPZ)  # npz holds anything


# -- the workspace --------------------------------------------------------------------------------

def test_import_makes_a_workspace_model_and_the_second_import_reuses_it(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    original = model(eio.GLOVE)
    path = write(tmp_path, "incoming.upload", eio.export_bytes(original, eio.GLOVE))
    first = eio.import_vectors(workspace, path, source_name="glove.6B.50d.txt")
    assert not first.reused and first.format == eio.GLOVE and (first.rows, first.dims) == (9, 6)
    manifest = workspace.manifest(first.model_id)
    assert manifest.algorithm == "imported" and manifest.name == "glove.6B.50d.txt"  # labels say "Imported"
    assert manifest.source["file"] == "glove.6B.50d.txt" and manifest.source["rows"] == 9
    second = eio.import_vectors(workspace, path, source_name="again.txt")
    assert second.reused and second.model_id == first.model_id
    limited = eio.import_vectors(workspace, path, limit=4, name="Top four")
    assert not limited.reused and workspace.manifest(limited.model_id).name == "Top four"
    vectors = workspace.load_vectors(first.model_id)
    assert vectors.words == original.words
    np.testing.assert_allclose(vectors.raw(), MATRIX, rtol=1e-6, atol=1e-6)
    assert vectors.fingerprint == workspace.manifest(first.model_id).fingerprint


def test_an_npz_declaring_a_huge_matrix_is_refused_before_loading(tmp_path: Path) -> None:
    path = tmp_path / "huge.npz"
    header = {"descr": "<f4", "fortran_order": False, "shape": (2_000_000, 300)}
    member = stdio.BytesIO()
    np.lib.format.write_array_header_1_0(member, header)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("vectors.npy", member.getvalue())  # a header only: numpy would fail reading the data
        archive.writestr("words_utf8.npy", b"")
    with pytest.raises(FileTooLargeError, match="2,000,000 rows x 300"):
        eio.read_vectors(path, name="huge.npz")


def test_undecodable_bytes_in_words_are_replaced_and_counted(tmp_path: Path) -> None:
    loaded = eio.read_vectors(write(tmp_path, "latin1.txt", b"caf\xe9 0.1 0.2\ntea 1 2\n"))
    assert loaded.vectors.words == ("caf\ufffd", "tea") and loaded.info["replaced_characters"] == 1


def test_the_cli_and_the_page_find_each_others_imports(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    path = write(tmp_path, "g.txt", "cat 0.1 0.2\ndog 1 2\n")
    auto = eio.import_vectors(workspace, path)
    explicit = eio.import_vectors(workspace, path, format=eio.GLOVE)
    assert explicit.reused and explicit.model_id == auto.model_id
    fresh = eio.import_vectors(workspace, path, reuse=False)
    assert not fresh.reused and fresh.model_id != auto.model_id


def _zeros_member(archive: zipfile.ZipFile, name: str, n_bytes: int) -> None:
    """An honest ``.npy`` of ``n_bytes`` zeros (uint8), streamed into the zip: a few hundred kB compressed."""
    with archive.open(name, "w", force_zip64=True) as member:
        np.lib.format.write_array_header_1_0(member, {"descr": "|u1", "fortran_order": False, "shape": (n_bytes,)})
        chunk = bytes(1024 * 1024)
        for _ in range(n_bytes // len(chunk)):
            member.write(chunk)


@pytest.mark.parametrize("member", ["words_utf8.npy", "manifest_json.npy", "counts.npy"])
def test_an_npz_decompression_bomb_is_refused_before_it_inflates(tmp_path: Path, member: str) -> None:
    # a small .npz whose one array inflates to 256 MB of zeros used to be unpacked whole, then imported as one word
    path = tmp_path / "bomb.npz"
    words = np.frombuffer(b"cat", dtype=np.uint8)
    arrays = {"vectors": np.ones((1, 4), np.float32), "words_utf8": words, "word_offsets": np.array([0, 3], np.int64)}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            if f"{name}.npy" != member:
                with archive.open(f"{name}.npy", "w") as out:
                    np.lib.format.write_array(out, array)
        _zeros_member(archive, member, 256 * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(FileTooLargeError, match=f"'{member.removesuffix('.npy')}' array unpacks to 256.0 MB"):
        eio.read_vectors(path, name="bomb.npz")


def test_an_npz_within_the_caps_still_loads(tmp_path: Path) -> None:
    from embedlab.io.native import read_npz, write_npz

    vectors = model(eio.NPZ)
    write_npz(vectors, tmp_path / "ok.npz", {"name": "x" * 100_000})
    words, matrix, _, _, manifest = read_npz(tmp_path / "ok.npz")
    assert tuple(words) == vectors.words and manifest["name"] == "x" * 100_000


def _rows(n: int, dims: int = 5) -> str:
    return "".join(f"w{i} " + " ".join(f"{(i + j) / 10:.1f}" for j in range(dims)) + "\n" for i in range(n))


def test_a_word2vec_text_header_declaring_fewer_rows_is_refused_with_the_line(tmp_path: Path) -> None:
    # '3 5' then 6 rows used to load 3 rows and drop the rest without a word (the binary reader refuses it)
    path = write(tmp_path, "short-header.txt", "3 5\n" + _rows(6))
    with pytest.raises(VectorFormatError, match=r"line 5: a row after the 3 rows its header declares \('w3"):
        eio.read_vectors(path, eio.WORD2VEC_TEXT)
    with pytest.raises(VectorFormatError, match="line 5"):
        eio.read_vectors(path)  # detected format too


def test_a_word2vec_text_file_with_extra_rows_far_down_is_refused(tmp_path: Path, monkeypatch) -> None:
    from embedlab.io import text

    rows = 3000  # several read blocks: the extra row is not in the block that held the last declared row
    path = write(tmp_path, "long.txt", f"{rows} 5\n" + _rows(rows) + "\n\n" + "extra 1 2 3 4 5\n")
    monkeypatch.setattr(text, "BLOCK_BYTES", 4096)
    with pytest.raises(VectorFormatError, match=f"line {rows + 4}: a row after the {rows:,} rows"):
        eio.read_vectors(path, eio.WORD2VEC_TEXT)


def test_trailing_blank_lines_and_a_row_limit_are_fine(tmp_path: Path) -> None:
    assert len(eio.read_vectors(write(tmp_path, "a.txt", "3 5\n" + _rows(3) + "\n\n"), eio.WORD2VEC_TEXT).vectors) == 3
    limited = eio.read_vectors(write(tmp_path, "b.txt", "6 5\n" + _rows(6)), eio.WORD2VEC_TEXT, limit=2)
    assert limited.vectors.words == ("w0", "w1")


@pytest.mark.parametrize("format", [eio.WORD2VEC_BINARY, eio.NPZ])
def test_export_then_import_is_bit_exact(tmp_path: Path, format: str) -> None:
    """A model saved, exported and imported again has the very same vectors, norms and fingerprint."""
    from embedlab.records import Manifest
    from embedlab.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    rng = np.random.default_rng(11)
    original = WordVectors.from_matrix([f"w{i}" for i in range(300)], rng.normal(size=(300, 17)) * 3.7,
                                       np.arange(300, 0, -1))
    saved = workspace.load_vectors(workspace.save_model(original, Manifest(algorithm="word2vec")))
    target = tmp_path / ("out.bin" if format == eio.WORD2VEC_BINARY else "out.npz")
    eio.export_to_path(saved, format, target)
    result = eio.import_vectors(workspace, target, format=format)
    again = workspace.load_vectors(result.model_id)
    for before in (original, saved):
        assert again.words == before.words
        assert np.array_equal(np.asarray(again.unit), np.asarray(before.unit))
        assert np.array_equal(np.asarray(again.norms), np.asarray(before.norms))
        assert again.fingerprint == before.fingerprint
    assert np.array_equal(again.raw(), original.raw())


@pytest.mark.parametrize("format, word", [(eio.WORD2VEC_TEXT, "new york"), (eio.GLOVE, "new york"), (eio.GLOVE, "\tx"),
                                          (eio.WORD2VEC_TEXT, " "), (eio.PROJECTOR, "   "), (eio.PROJECTOR, "\u3000"),
                                          (eio.WORD2VEC_BINARY, "new york")])
def test_words_a_format_cannot_carry_are_refused_by_name(format: str, word: str) -> None:
    """gensim cannot read 'new york' back from a text file; a blank word shifts every projector label after it."""
    vectors = WordVectors.from_matrix(["the", word, "king"], MATRIX[:3])
    with pytest.raises(VectorFormatError, match="cannot be written as") as error:
        eio.export_bytes(vectors, format)
    assert repr(word) in str(error.value) and ".npz" in str(error.value)
    eio.export_bytes(vectors, eio.NPZ)  # the npz keeps every word as it is


def test_a_word_with_a_space_read_by_gensim_would_break(tmp_path: Path) -> None:
    """Why the text refusal matters: gensim's reader splits the line, so the file would not load at all."""
    from gensim.models import KeyedVectors

    line = "new york " + " ".join("0.5" for _ in range(6)) + "\n"
    path = write(tmp_path, "bad.txt", "1 6\n" + line)
    with pytest.raises(Exception):
        KeyedVectors.load_word2vec_format(path)


def test_projector_export_carries_item_titles_and_categories(tmp_path) -> None:
    """Issue 10: an Item2Vec model's Projector export had bare IDs; titles and categories go into metadata.tsv."""
    from embedlab.io.projector import read_metadata

    words = ["P0001", "P0002", "P0003"]
    vectors = WordVectors.from_matrix(words, np.eye(3, dtype=np.float32), counts=np.array([5, 3, 1]))
    columns = {"title": ["Orbit A10\tPro phone", "Mouse\nwireless", ""], "category": ["phones", "mice", ""]}
    data = eio.export_bytes(vectors, eio.PROJECTOR, columns=columns)
    with zipfile.ZipFile(stdio.BytesIO(data)) as archive:
        meta = archive.read("metadata.tsv").decode()
    lines = meta.splitlines()
    assert lines[0] == "word\tcount\ttitle\tcategory"
    assert lines[1] == "P0001\t5\tOrbit A10 Pro phone\tphones"  # a tab or line break in a title stays in its field
    assert lines[2] == "P0002\t3\tMouse wireless\tmice" and lines[3] == "P0003\t1\t\t"
    (tmp_path / "metadata.tsv").write_text(meta, encoding="utf-8")
    labels, counts = read_metadata(tmp_path / "metadata.tsv", 3)
    assert labels == words and counts.tolist() == [5, 3, 1]  # and it still reads back


def _fasttext_like(with_ngrams: bool = True) -> WordVectors:
    from embedlab.subword import SubwordModel

    words = ["king", "queen", "man", "woman", "kingdom", "crown", "royal", "prince", "castle"]
    ngrams = SubwordModel(RNG.standard_normal((500, 6)).astype(np.float32), 3, 5) if with_ngrams else None
    return WordVectors.from_matrix(words, MATRIX, np.arange(9, 0, -1), ngrams)


def test_a_fasttext_export_comes_back_as_an_imported_fasttext_that_composes_unseen_words(tmp_path: Path) -> None:
    """Re-importing our .npz of a FastText model keeps what it is, and says it answers words it never saw."""
    from embedlab.i18n import use_language
    from embedlab.train.registry import described_kind

    workspace = Workspace(tmp_path / "ws")
    trained = {"algorithm": "fasttext", "name": "news", "params": {"vector_size": 6, "architecture": "skipgram"}}
    path = eio.export_to_path(_fasttext_like(), eio.NPZ, tmp_path / "news.npz", trained)[0]
    first = workspace.manifest(eio.import_vectors(workspace, path, source_name="news.npz").model_id)
    assert first.name == "news.npz" and first.original["algorithm"] == "fasttext" and first.subword is not None
    kind = described_kind(first.algorithm, first.original, first.subword is not None)
    assert kind == "Imported FastText, answers unseen words from n-grams"
    with use_language("zh"):
        assert described_kind(first.algorithm, first.original, True) == "导入的 FastText，能用 n 元组回答未登录词"
    [model_id] = [r.model_id for r in workspace.list_models()]
    assert workspace.load_vectors(model_id).composed_ngrams("kingz") is not None

    # the imported model exported and imported again: still the FastText it first was
    again_path = eio.export_to_path(workspace.load_vectors(model_id), eio.NPZ, tmp_path / "again.npz",
                                    first.to_json())[0]
    again = workspace.manifest(eio.import_vectors(workspace, again_path, source_name="again.npz").model_id)
    assert again.original["algorithm"] == "fasttext" and again.original["name"] == "news"

    # a FastText export without its n-gram table cannot answer unseen words, and says so
    bare = eio.export_to_path(_fasttext_like(with_ngrams=False), eio.NPZ, tmp_path / "bare.npz", trained)[0]
    bare_manifest = workspace.manifest(eio.import_vectors(workspace, bare, source_name="bare.npz").model_id)
    assert described_kind(bare_manifest.algorithm, bare_manifest.original, bare_manifest.subword is not None) == \
        "Imported FastText, known words only (no n-grams)"
    # a file of another kind says only that it was imported
    glove = write(tmp_path, "g.upload", eio.export_bytes(model(eio.GLOVE), eio.GLOVE))
    plain = workspace.manifest(eio.import_vectors(workspace, glove, source_name="glove.txt").model_id)
    assert described_kind(plain.algorithm, plain.original, plain.subword is not None) == "Imported"
