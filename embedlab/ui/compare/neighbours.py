"""Compare page, Neighbours tab: one word's neighbours in every model side by side, shared ones highlighted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embedlab import agreement as cmp
from embedlab import reports
from embedlab.categories import Categories
from embedlab.i18n import N_, _, format_number, ngettext
from embedlab.records import Manifest
from embedlab.textsafe import md
from embedlab.ui.evidence_view import corpus_pills
from embedlab.ui.feedback import user_errors
from embedlab.ui.model_access import model_categories
from embedlab.ui.state import AppState
from embedlab.ui.widgets import durable, keep
from embedlab.workspace import ModelRecord


#: the notes ``agreement.side_by_side`` gives a column (library text that only this tab shows), as msgids
NOTES = (N_("not in this model's vocabulary"), N_("composed from character n-grams (not in the vocabulary)"))


def default_word(comparison: cmp.Comparison) -> str:
    for word in ("king", "queen", "city", "good", "国王"):
        if word in comparison.index:
            return word
    return comparison.words[min(30, len(comparison) - 1)]


def render_neighbours(state: AppState, comparison: cmp.Comparison, categories: Categories | None = None) -> None:
    """The word's neighbours in every model side by side; item IDs also show their category when known."""
    cols = st.columns([3, 2])
    word_key = durable(state, "compare_word", default_word(comparison))
    k_key = durable(state, "compare_k", 10)
    cols[0].text_input(_("Word"), key=word_key, on_change=keep(state, word_key),
                       help=_("Its nearest neighbours in each model, searched among the words all models share."))
    cols[1].slider(_("Neighbours (k)"), 1, 50, key=k_key, on_change=keep(state, k_key))
    word, k = st.session_state[word_key], int(st.session_state[k_key])
    with user_errors():
        result = cmp.side_by_side(comparison, word, k)
        if result.agreement is not None:
            metric_cols = st.columns(1 + len(result.pairwise))
            metric_cols[0].metric(_("Agreement (mean Jaccard@{k})").format(k=k), format_number(result.agreement, 2),
                                  help=_("1: every model names the same k neighbours; 0: no neighbour in common."))
            for col, (label, value) in zip(metric_cols[1:], result.pairwise.items()):
                col.metric(md(label), format_number(value, 2))
        if categories is not None and (what := categories.describe(word)):
            st.caption(what)
        n_shared = len(result.shared_by_all)
        st.caption(ngettext("Highlighted: the {n} neighbour every model names.",
                            "Highlighted: the {n} neighbours every model names.", n_shared).format(n=n_shared))
        columns = st.columns(len(result.columns))
        for i, (col, name, column, note) in enumerate(zip(columns, result.names, result.columns, result.notes)):
            with col:
                st.markdown(f"**{md(name)}**")
                if note:  # why the column is special (one of NOTES)
                    st.caption(md(_(note)))
                if column is None:
                    continue
                found = [n.word for n in column]
                table = pd.DataFrame({"word": found, "similarity": [n.similarity for n in column]})
                if categories is not None:  # the category only: three tables side by side leave no room for titles
                    table.insert(1, categories.column, categories.labels(found, ""))
                shared = [w in result.shared_by_all for w in found]
                table = reports.for_display(table)
                styled = table.style.apply(
                    lambda row: ["background-color: #fde68a" if shared[row.name] else ""] * len(row),
                    axis=1).format({reports.column_title("similarity"): "{:.3f}"})
                st.dataframe(styled, hide_index=True, key=f"compare_neighbours_{i}", height=min(38 + 35 * k, 720))
        corpus_pills([word, *(n.word for column in result.columns if column is not None for n in column[:3])],
                     key="compare_corpus")
        st.download_button(_("Download these neighbours (CSV)"), data=lambda: result.table().to_csv(index=False),
                           file_name=f"neighbours-{_safe(word)}.csv", mime="text/csv", on_click="ignore",
                           key="compare_neighbours_csv")


def item_categories(state: AppState, model_ids: tuple[str, ...] | list[str],
                    manifests: list[Manifest]) -> Categories | None:
    """What the compared words are (item categories), from the first model that has a table."""
    for model_id, manifest in zip(model_ids, manifests):
        found = model_categories(state, ModelRecord(model_id, manifest))
        if found is not None:
            return found
    return None


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)[:40] or "word"
