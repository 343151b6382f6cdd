"""AppTest: the Compare page with the three sample models, and making comparisons from the page."""

from __future__ import annotations

import pytest

from apptest_helpers import app_state, assert_clean, errors, open_page, shown, tables_with, wait_for_jobs
from embedlab.i18n import _, use_language
from embedlab.train.registry import label
from embedlab.workspace import Workspace
from test_i18n_pages import CJK

PAGE = "pages/7_Compare.py"
TABS = ["Neighbours", "Stability", "Aligned map", "What if…"]


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_compare_page_renders_every_section(workspace, trained_models) -> None:
    made = workspace.save_comparison(list(trained_models.values()))
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    assert_clean(at)
    assert [t.label for t in at.tabs] == TABS
    labels = [m.label for m in at.metric]
    assert "Shared words" in labels and all(label(a) in labels for a in trained_models)
    assert any(label.startswith("Agreement (mean Jaccard@10)") for label in labels)
    # one neighbour column per model, the stability table, the histogram and the aligned map
    assert len(tables_with(at, "word", "similarity")) == len(trained_models)
    assert len(tables_with(at, "word", "agreement", "neighbours in every model")) == 3  # head, tail, all
    assert len(at.get("plotly_chart")) == 2
    assert app_state(at).compare.comparison_id == made.comparison_id


def test_query_word_and_k_are_durable_and_unknown_words_explained(workspace, trained_models) -> None:
    workspace.save_comparison(list(trained_models.values()))
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    at.slider(key="compare_k").set_value(5).run()
    at.text_input(key="compare_word").set_value("queen").run()
    assert_clean(at)
    table = tables_with(at, "word", "similarity")[0]
    assert len(table) == 5 and "queen" not in set(table["word"])
    assert app_state(at).widget_values["compare_word"] == "queen" and app_state(at).widget_values["compare_k"] == 5
    at.text_input(key="compare_word").set_value("xqzzyv").run()
    assert not at.exception
    assert any("not in this model's vocabulary" in e for e in errors(at)) or \
        any("n-grams" in shown(c.value) for c in at.caption)  # FastText composes any word; the others cannot


def test_without_a_comparison_the_page_explains_how_to_make_one(workspace) -> None:
    at = open_page(PAGE)
    assert_clean(at)
    assert any("No comparison yet" in i.value for i in at.info)


def test_train_the_algorithms_from_the_page(workspace, trained_models) -> None:
    corpus_id = workspace.list_corpora()[0].corpus_id
    before = {r.model_id for r in workspace.list_models()}
    at = open_page(PAGE, model_id=trained_models["word2vec"], corpus_id=corpus_id)
    at.number_input(key="compare_trio_vector_size").set_value(16)
    at.number_input(key="compare_trio_epochs").set_value(1)
    if "glove" in trained_models:
        at.number_input(key="compare_glove_epochs_override").set_value(2)
    at = button(at, f"Train {len(trained_models)} models").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    made = workspace.load_comparison(app_state(at).compare.comparison_id)
    assert made.kind == "trio" and len(made.model_ids) == len(trained_models)
    assert set(made.model_ids).isdisjoint(before)
    assert {workspace.manifest(i).dim for i in made.model_ids} == {16}
    assert [t.label for t in at.tabs] == TABS


def test_what_if_retrains_and_shows_the_score_change(workspace, trained_models) -> None:
    workspace.save_comparison(list(trained_models.values()))
    at = open_page(PAGE, model_id=trained_models["word2vec"])
    at.selectbox(key="compare_whatif_base").set_value(trained_models["word2vec"]).run()
    at.radio(key="compare_whatif_choice").set_value("window 5 → 2")
    at = button(at, "Retrain and compare").click().run()
    at = wait_for_jobs(at)
    assert_clean(at)
    made = workspace.load_comparison(app_state(at).compare.comparison_id)
    assert made.kind == "what-if" and made.what_if_change == ("window", 5, 2)
    assert workspace.manifest(made.model_ids[1]).params["window"] == 2
    diff = tables_with(at, "benchmark", "before", "after", "change")[0]
    assert {"WordSim353", "SimLex-999", "Google analogies · 3CosAdd"} <= set(diff["benchmark"])
    assert [shown(m.label) for m in at.metric][1:3] == ["before", "after: window = 2"]


def test_what_if_shows_the_free_fields_only_for_another_setting(workspace, trained_models) -> None:
    workspace.save_comparison(list(trained_models.values()))
    at = open_page(PAGE, model_id=trained_models["word2vec"])

    def free_fields(at) -> set[str]:
        return {w.key for w in at.text_input} & {"compare_whatif_value"} | {w.key for w in at.selectbox} & {"compare_whatif_field"}

    choice = at.radio(key="compare_whatif_choice")
    choice.set_value(choice.options[0]).run()  # a preset: nothing to type
    assert free_fields(at) == set()
    at.radio(key="compare_whatif_choice").set_value("another setting…").run()
    assert free_fields(at) == {"compare_whatif_value", "compare_whatif_field"}
    assert_clean(at)


def test_item_ids_show_their_category_in_every_column(workspace) -> None:
    """Item2Vec: whether the models' neighbours stay in the item's category is the first thing to compare."""
    from embedlab import categories as cats
    from embedlab.config import Word2VecParams
    from embedlab.samples import get_sample
    from embedlab.workflows import ensure_sample_corpus
    from embedlab.workflows import train_and_save

    corpus = ensure_sample_corpus(workspace, "sessions")
    ids = [train_and_save(workspace, "word2vec", Word2VecParams(vector_size=16, epochs=1, seed=1, architecture=a), corpus)
           for a in ("cbow", "skipgram")]
    workspace.save_comparison(ids)
    items = cats.from_csv(get_sample("sessions").metadata_path)
    at = open_page(PAGE, model_id=ids[0])
    at.text_input(key="compare_word").set_value("P0001").run()
    assert_clean(at)
    assert any(c.value.startswith(f"**P0001**: {items.titles['P0001']}") for c in at.caption)
    columns = tables_with(at, "word", "category", "similarity")
    assert len(columns) == 2
    for table in columns:
        assert list(table["category"]) == [items.mapping[w] for w in table["word"]]


# -- in Chinese -------------------------------------------------------------------------------------

#: text the Compare page shows that the explore area draws (the corpus pills under the neighbours)
OTHER_AREAS = {"See in the corpus", "The lines of the corpus where the word occurs (keyword in context)."}


@pytest.fixture(scope="module")
def chinese_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict[str, str]]:
    """Word2Vec, FastText and GloVe, tiny, on the Chinese sample and named in Chinese: any English the
    checks find is the interface's, not the data's."""
    from embedlab import config
    from embedlab.workflows import ensure_sample_corpus, train_and_save

    source = Workspace(tmp_path_factory.mktemp("zh-compare"))
    corpus = ensure_sample_corpus(source, "chinese")
    params = {"word2vec": config.Word2VecParams(vector_size=16, epochs=2, seed=1),
              "fasttext": config.FastTextParams(vector_size=16, epochs=2, seed=1, bucket=20_000),
              "glove": config.GloVeParams(vector_size=16, epochs=5, x_max=10.0, seed=1)}
    names = {"word2vec": "词向量甲", "fasttext": "词向量乙", "glove": "词向量丙"}
    ids = {a: train_and_save(source, a, p, corpus, name=names[a]) for a, p in params.items()}
    return source, ids


@pytest.fixture
def chinese_workspace(chinese_models, workspace: Workspace) -> tuple[Workspace, dict[str, str]]:
    """This test's workspace holding copies of the Chinese corpus and models."""
    import shutil

    source, ids = chinese_models
    for kind in ("corpora", "models"):
        for folder in (source.root / kind).iterdir():
            if not folder.name.startswith("."):
                shutil.copytree(folder, workspace.root / kind / folder.name)
    return workspace, ids


def foreign_texts(workspace: Workspace) -> tuple[set[str], set[str]]:
    """Text these pages show that is data or drawn by other areas of the app; their own checks cover it,
    so the Chinese checks here read everything else.

    Returns (names: found anywhere in a text — model names and labels, and the settings'
    labels and choices, which what-if titles quote; whole texts of other areas — the parameter forms' help,
    the corpus pills).
    """
    import dataclasses

    from embedlab.train.registry import ALGORITHMS
    from embedlab.ui.model_access import model_label
    from embedlab.workflows import SharedSettings

    names: set[str] = set()
    whole: set[str] = set(OTHER_AREAS)
    for cls in [spec.params_class for spec in ALGORITHMS.values()] + [SharedSettings]:
        for f in dataclasses.fields(cls):
            label = f.metadata.get("label", "")
            whole.add(f.metadata.get("help", ""))
            names |= {label, label[:1].lower() + label[1:], *f.metadata.get("choice_labels", {}).values()}
    for record in workspace.list_models():
        names |= {record.name, model_label(record)}
    return {t for t in names if t}, {t for t in whole if t}


def chinese_page_problems(at, workspace: Workspace, data: set[str] = frozenset()) -> list[str]:
    """``english_problems`` of the page's visible text, data (and ``data``: e.g. a file's name) and other
    areas' text taken out."""
    from test_i18n_pages import CJK, english_problems, visible_texts

    names, whole = foreign_texts(workspace)
    names |= set(data)
    texts = []
    for field, text in visible_texts(at):
        text = shown(text)
        if text in whole:
            continue
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        texts.append((field, text))
    assert sum(bool(CJK.search(t)) for _f, t in texts) > 20, texts  # the page did draw Chinese
    return english_problems(texts)


def test_compare_reads_in_chinese_with_comparisons(chinese_workspace) -> None:
    """A one-click comparison and a what-if, in Chinese: tabs, metrics, tables' headers, figures' titles."""
    from embedlab import workflows

    from apptest_helpers import picker as picker_widget, plotly_figures

    workspace, ids = chinese_workspace
    workspace.save_comparison(list(ids.values()), "三种算法")
    at = open_page(PAGE, model_id=ids["word2vec"], language="zh")
    assert_clean(at)
    # the merged catalogue's translation ('Neighbours' is also the menu's): Chinese, and the tab names this area chose
    with use_language("zh"):
        assert [t.label for t in at.tabs] == [_(tab) for tab in TABS]
    assert [t.label for t in at.tabs][1:] == ["稳定性", "对齐地图", "假如……"] and CJK.search(at.tabs[0].label)
    assert "共有词" in [m.label for m in at.metric]
    assert any(set(d.value.columns) >= {"词", "一致度", "所有模型共有的近邻"} for d in at.dataframe)
    assert sum(set(d.value.columns) == {"词", "相似度"} for d in at.dataframe) == 3
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert any("近邻一致度" in t for t in titles) and any("最常见的共有词" in t for t in titles), titles
    problems = chinese_page_problems(at, workspace)
    assert not problems, "\n".join(problems)

    at.text_input(key="compare_word").set_value("国王们").run()  # only FastText can compose a vector for it
    assert_clean(at)
    captions = [shown(c.value) for c in at.caption]
    assert "不在这个模型的词表中" in captions and "由字符 n 元组合成（不在词表中）" in captions, captions
    problems = chinese_page_problems(at, workspace)
    assert not problems, "\n".join(problems)

    at.text_input(key="compare_word").set_value("国王")  # the what-if's two Word2Vec models cannot compose
    what_if = workflows.what_if(workspace, ids["word2vec"], "window", 2)
    at.run()  # the picker now offers the new comparison
    picker_widget(at, "compare_id").set_value(what_if.comparison_id).run()
    assert_clean(at)
    assert any(o.startswith("假如 窗口大小 = 2 会怎样？（") for o in picker_widget(at, "compare_id").options)
    before, after = [shown(m.label) for m in at.metric][1:3]
    assert before == "改动前" and after.startswith("改动后：") and after.endswith(" = 2")
    diff = next(d.value for d in at.dataframe if "基准" in d.value.columns)
    assert {"改动前", "改动后", "变化"} <= set(diff.columns) and "Google 类比题 · 3CosAdd" in set(diff["基准"])
    problems = chinese_page_problems(at, workspace)
    assert not problems, "\n".join(problems)
