"""Compare page, Stability tab: which words keep the same neighbours in every model, and which do not."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embedlab import agreement as cmp
from embedlab import reports
from embedlab.i18n import _, format_number
from embedlab.ui.feedback import user_errors
from embedlab.ui.state import AppState
from embedlab.ui.widgets import durable, keep
from embedlab.viz import compare as figures


STABILITY_TOP_N_MAX = 20_000


@st.cache_data(max_entries=16, show_spinner=False)
def _stability(key: str, k: int, top_n: int, _comparison: cmp.Comparison) -> pd.DataFrame:
    return cmp.stability(_comparison, k, top_n)


def render_stability(state: AppState, comparison: cmp.Comparison) -> None:
    cols = st.columns(2)
    top_key = durable(state, "compare_top_n", min(2000, len(comparison)))
    k_key = durable(state, "compare_stability_k", 10)
    cols[0].number_input(_("Most frequent shared words to examine"), min_value=20,
                         max_value=max(20, min(STABILITY_TOP_N_MAX, len(comparison))), step=500,
                         key=top_key, on_change=keep(state, top_key))
    cols[1].slider(_("Neighbours (k)"), 1, 50, key=k_key, on_change=keep(state, k_key))
    top_n, k = int(st.session_state[top_key]), int(st.session_state[k_key])
    with user_errors():
        with st.spinner(_("Comparing neighbourhoods…")):
            table = _stability(comparison.fingerprint, k, top_n, comparison)
        st.plotly_chart(figures.agreement_histogram(table["agreement"], k, comparison.names),
                        key="compare_agreement_hist")
        shown = ["word", "frequency rank", "agreement", "neighbours in every model"]
        left, right = st.columns(2)
        left.markdown(_("**Most stable**: the same neighbours in every model"))
        left.dataframe(reports.for_display(table[shown].head(15)), hide_index=True, key="compare_stable_head")
        right.markdown(_("**Least stable**: each model sees a different neighbourhood"))
        least = table.sort_values(["agreement", "frequency rank"], kind="stable").head(15)  # frequent words first
        right.dataframe(reports.for_display(least[shown]), hide_index=True, key="compare_stable_tail")
        with st.expander(_("All {n} words (click a column to sort)").format(n=format_number(len(table)))):
            st.dataframe(reports.for_display(table), hide_index=True, key="compare_stability_table")
        st.download_button(_("Download the stability table (CSV)"), data=lambda: table.to_csv(index=False),
                           file_name=f"stability-k{k}-top{top_n}.csv", mime="text/csv", on_click="ignore",
                           key="compare_stability_csv")
