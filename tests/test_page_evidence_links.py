"""AppTest: corpus evidence reached from other pages (a neighbour's why, an analogy answer's concordance)."""

from __future__ import annotations

from apptest_helpers import assert_clean, open_page, tables_with


def pills(at, key: str):
    [found] = [p for p in at.get("button_group") if p.key == key]
    return found


def test_picking_a_neighbour_shows_why_it_is_close(workspace, trained_model) -> None:
    at = open_page("pages/5_Neighbours.py", model_id=trained_model)
    assert_clean(at)
    why = pills(at, "neighbours_why_0")
    assert "queen" in why.options
    why.set_value("queen").run()
    assert_clean(at)
    [shared] = tables_with(at, "context", "near king", "near queen", "PMI king", "PMI queen")
    assert {"crown", "coronation"} & set(shared["context"])
    assert any("Why are “king” and “queen” close?" in m.value for m in at.markdown)


def test_an_analogy_answer_opens_its_concordance(workspace, trained_model) -> None:
    at = open_page("pages/6_Analogies.py", model_id=trained_model)
    assert_clean(at)
    pills(at, "analogy_corpus_3cosadd").set_value("queen").run()
    assert_clean(at)
    assert at.text_input(key="concordance_word").value == "queen"
    [lines] = tables_with(at, "left context", "word", "right context")
    assert set(lines["word"]) == {"queen"} and len(lines) == 20
