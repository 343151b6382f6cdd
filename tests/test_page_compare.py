"""AppTest: the Compare page with the three sample models, and making comparisons from the page."""

from __future__ import annotations

from apptest_helpers import app_state, assert_clean, errors, open_page, shown, tables_with, wait_for_jobs
from embedlab.train.registry import label

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
