"""Models: every saved model; rename, delete, read its manifest; load and export vectors."""

import pandas as pd
import streamlit as st

from embedlab.train.registry import label as algorithm_label
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page
from embedlab.ui.models_view import render_export, render_load

state = page("Models")
workspace = state.workspace
records = workspace.list_models()

if not records:
    st.info("No models yet. Train one, or load pretrained vectors below.", icon="💡")
    st.page_link("pages/2_Train.py", label="Train a model", icon="🏋️")
else:
    table = pd.DataFrame([{
        "name": r.name,
        "algorithm": algorithm_label(r.algorithm),
        "corpus or file": r.manifest.origin,
        "words": r.manifest.vocab_size,
        "dims": r.manifest.dim,
        "train/load s": r.manifest.seconds,
        "created": r.created,
        "id": r.model_id,
    } for r in records])
    table["created"] = pd.to_datetime(table["created"], errors="coerce", utc=True)  # a hand-edited manifest shows blank
    st.dataframe(table, hide_index=True, key="models_table", column_config={
        "words": st.column_config.NumberColumn(format="localized"),
        "train/load s": st.column_config.NumberColumn(format="%.1f"),
        "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
    })

    labels = {r.model_id: r.name for r in records}
    ids = list(labels)
    chosen = st.selectbox("Model", ids, format_func=labels.__getitem__, key="models_chosen",
                          index=ids.index(state.active_model_id) if state.active_model_id in labels else 0)
    record = next(r for r in records if r.model_id == chosen)

    cols = st.columns([2, 1, 1])
    with cols[0], st.form("rename_form"):
        new_name = st.text_input("Name", value=record.name, key="models_new_name")
        if st.form_submit_button("Rename"):
            with user_errors():
                workspace.rename_model(chosen, new_name)
                st.rerun()
    with cols[1]:
        if st.button("Make active", key="models_activate", disabled=chosen == state.active_model_id):
            state.active_model_id = chosen
            st.rerun()
    with cols[2]:
        confirm = st.checkbox("I want to delete it", key="models_confirm_delete")
        if st.button("Delete model", key="models_delete", disabled=not confirm):
            with user_errors():
                workspace.delete_model(chosen)
                if state.active_model_id == chosen:
                    state.active_model_id = None
                st.rerun()

    with st.expander("Manifest: parameters, corpus, versions, timings"):
        st.json(record.manifest.to_json(), expanded=2)

    st.subheader("Export")
    with user_errors():
        render_export(state, record)

st.subheader("Load vectors")
render_load(state)
