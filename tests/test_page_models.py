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


def _chinese_model(workspace) -> str:
    """A small Word2Vec-like model named and worded in Chinese, so any English on the page is the interface's."""
    import dataclasses

    from embedlab.config import Word2VecParams
    from embedlab.records import Manifest

    words = ["国王", "女王", "男人", "女人", "北京", "上海"]
    vectors = WordVectors.from_matrix(words, np.random.default_rng(5).standard_normal((len(words), 8)).astype(np.float32))
    params = dataclasses.asdict(Word2VecParams(vector_size=8, epochs=1))
    return workspace.save_model(vectors, Manifest(algorithm="word2vec", name="中文词向量", params=params))


def test_the_models_page_reads_in_chinese_with_a_model_chosen_and_a_file_loaded(workspace) -> None:
    """In Chinese: the table, the picker's labels, the actions, the manifest, the exports, the load form and its
    outcome; a model loaded without a name gets the Chinese default the placeholder showed."""
    from embedlab.i18n import use_language
    from test_i18n_pages import CJK, english_problems, visible_texts

    model_id = _chinese_model(workspace)
    at = open_page("pages/3_Models.py", model_id=model_id, language="zh")
    assert_clean(at)
    assert not english_problems(visible_texts(at)), english_problems(visible_texts(at))
    label = picker(at, "models_chosen").options[0]
    assert label.startswith("中文词向量（Word2Vec，CBOW，8 维，窗口 5，1 轮，最低词频 5，6 个词，") and label.endswith("）")
    assert at.sidebar.selectbox[0].options == [label]  # every page's picker reads the same
    assert list(at.dataframe[0].value.columns)[:3] == ["名称", "算法", "语料或文件"]
    assert [e.label for e in at.expander] == ["清单：参数、语料、版本、耗时"]
    rows = "".join(f"{w} {' '.join(['0.5'] * 4)}\n" for w in ["猫", "狗", "鱼"]).encode()
    at = upload(at, "动物.txt", rows)
    assert_clean(at)
    texts = visible_texts(at)
    assert not english_problems(texts), english_problems(texts)
    assert at.text_input(key="models_load_name").placeholder == "动物.txt"
    with use_language("zh"):  # AppTest applies the format picker's format_func in this thread, outside the page
        at.button(key="models_load_start").click().run()
        at = wait_for_jobs(at)
    assert_clean(at)
    [message] = [s.value for s in at.success]
    assert "3 个词，向量维度 4" in message and "它现在是当前模型" in message and CJK.search(message)
    assert not english_problems(visible_texts(at)), english_problems(visible_texts(at))
    assert "动物.txt" in {r.name for r in workspace.list_models()}  # the file's name: the label says 导入


def test_model_labels_read_naturally_in_both_languages() -> None:
    """The picker's label: the same facts, each language's units, separators, brackets and date."""
    import dataclasses

    from embedlab.config import FastTextParams, Word2VecParams
    from embedlab.i18n import use_language
    from embedlab.records import Manifest, SubwordInfo
    from embedlab.ui.model_access import model_label
    from embedlab.workspace import ModelRecord

    params = dataclasses.asdict(Word2VecParams(vector_size=32, epochs=1))
    trained = ModelRecord("a", Manifest(name="新闻", algorithm="word2vec", created="2026-11-29T02:40:00+00:00",
                                        params=params, vocab_size=1806, dim=32))
    imported = ModelRecord("b", Manifest(name="glove", algorithm="imported", created="2026-11-28T23:41:00+00:00",
                                         vocab_size=400_000, dim=50))
    assert model_label(trained) == "新闻 (Word2Vec, CBOW, 32d, w5, 1 ep, min 5, 1,806 words, 29 Nov 02:40)"
    assert model_label(imported) == "glove (Imported, 400,000 words, 28 Nov 23:41)"
    # our .npz of a FastText model, imported: what trained it, its settings, and that it composes unseen words
    fasttext = {"algorithm": "fasttext", "name": "news",
                "params": dataclasses.asdict(FastTextParams(vector_size=32, architecture="skipgram"))}
    exported = ModelRecord("c", Manifest(name="news.npz", algorithm="imported", created="2026-11-28T23:41:00+00:00",
                                         vocab_size=5000, dim=32, original=fasttext, subword=SubwordInfo(3, 6, 2000)))
    # names earlier versions gave imports ('x (imported)', 'x（导入）') no longer repeat the word
    old_name = dataclasses.replace(imported, manifest=dataclasses.replace(imported.manifest, name="glove (imported)"))
    old_zh = dataclasses.replace(imported, manifest=dataclasses.replace(imported.manifest, name="glove（导入）"))
    assert model_label(exported) == ("news.npz (Imported FastText, skip-gram, 32d, w5, 5 ep, min 5, 5,000 words, "
                                     "answers unseen words from n-grams, 28 Nov 23:41)")
    assert model_label(old_name) == model_label(old_zh) == model_label(imported)
    with use_language("zh"):
        assert model_label(trained) == "新闻（Word2Vec，CBOW，32 维，窗口 5，1 轮，最低词频 5，1,806 个词，11月29日 02:40）"
        assert model_label(imported) == "glove（导入，400,000 个词，11月28日 23:41）"
        assert model_label(exported).startswith("news.npz（导入的 FastText，Skip-gram，32 维，")
        assert "5,000 个词，能用 n 元组回答未登录词，11月28日 23:41）" in model_label(exported)
        assert model_label(old_name) == model_label(old_zh) == model_label(imported)


def test_the_table_names_a_built_in_sample_in_the_readers_language(workspace, trained_model) -> None:
    """The 'corpus or file' column says a built-in sample's title in Chinese on the Chinese page, as the rest
    of the app does; the English page keeps the English title."""
    from embedlab.i18n import _, use_language
    from embedlab.samples import get_sample

    title = get_sample("english").title
    with use_language("zh"):
        chinese = _(title)
    assert chinese != title
    record = workspace.model(trained_model)
    assert record.manifest.origin == title
    at = open_page("pages/3_Models.py", model_id=trained_model)
    assert_clean(at)
    assert list(at.dataframe[0].value["corpus or file"]) == [title]
    at = open_page("pages/3_Models.py", model_id=trained_model, language="zh")
    assert_clean(at)
    table = at.dataframe[0].value
    assert "corpus or file" not in table.columns  # the headers are Chinese too
    assert [list(table[c]) for c in table.columns if list(table[c]) in ([title], [chinese])] == [[chinese]]


def test_a_default_name_names_the_sample_in_the_readers_language(workspace, trained_model) -> None:
    """'Word2Vec · English sample', the name ``make run`` gives its model, reads 'Word2Vec · 英文示例…' in a
    Chinese session; a name the user chose stays as typed, in every language."""
    import dataclasses

    from embedlab.i18n import _, use_language
    from embedlab.samples import get_sample
    from embedlab.ui.model_access import model_label

    record = workspace.model(trained_model)
    title = get_sample("english").title
    assert record.name == f"Word2Vec · {title}"
    with use_language("zh"):
        chinese = _(title)
        assert chinese != title and model_label(record).startswith(f"Word2Vec · {chinese}（Word2Vec，")
    assert model_label(record).startswith(f"Word2Vec · {title} (Word2Vec, ")
    chosen = dataclasses.replace(record, manifest=dataclasses.replace(record.manifest, name=f"Word2Vec · {title} 2"))
    with use_language("zh"):
        assert model_label(chosen).startswith(f"Word2Vec · {title} 2（")
    at = open_page("pages/3_Models.py", model_id=trained_model, language="zh")
    assert_clean(at)
    pickers = [box for box in at.selectbox if any(str(o).startswith("Word2Vec · ") for o in box.options)]
    assert pickers and all(str(box.options[0]).startswith(f"Word2Vec · {chinese}（") for box in pickers)
    assert list(at.dataframe[0].value.iloc[:, 0]) == [f"Word2Vec · {chinese}"]  # the table's name column
    neighbours = open_page("pages/5_Neighbours.py", model_id=trained_model, language="zh")
    assert any(f"Word2Vec · {chinese}" in c.value for c in neighbours.caption)
