"""Documents page: labelled documents in, Doc2Vec's nearest documents to a document or to text you type."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from embedlab import documents, workflows
from embedlab.categories import Categories
from embedlab.config import CorpusParams
from embedlab.i18n import _, format_number
from embedlab.progress import CancelToken, ProgressFn
from embedlab.search import Neighbour
from embedlab.textsafe import md
from embedlab.train.doc2vec import INFERENCE_GROUP, WORDS_GROUP, InferenceModel, words_from_arrays
from embedlab.train.registry import ALGORITHMS
from embedlab.ui import jobs
from embedlab.ui.actions import start_sample_corpus
from embedlab.ui.frame import live_job_progress
from embedlab.ui.state import AppState
from embedlab.ui.widgets import neighbour_index
from embedlab.vectors import WordVectors

JOB_KIND = "documents"


def _activate_corpus(state: AppState, job: jobs.Job) -> None:
    state.active_corpus_id = job.result


def render_choose(state: AppState) -> None:
    busy = any(job.active and job.kind in (JOB_KIND, "corpus") for job in jobs.session_jobs(state))
    sample, upload = st.tabs([_("Shipped sample"), _("Your documents")])
    with sample:
        st.caption(_("{n} short generated documents on six topics (sport, cooking, science, travel, music, "
                     "finance), each after its label and a tab.").format(n=format_number(3000)))
        if st.button(_("Use the labelled documents sample"), type="primary", disabled=busy, key="documents_sample"):
            start_sample_corpus(state, "documents")
            st.rerun()
    with upload:
        st.caption(_("One document a line. When (nearly) every line starts with a short label and a tab "
                     "(sport<TAB>the striker scored …), the label colours the map and is shown beside neighbours."))
        uploaded = st.file_uploader(_("Documents"), type=["txt", "tsv", "csv"], key="documents_upload")
        if uploaded is not None and st.button(_("Use these documents"), type="primary", disabled=busy,
                                              key="documents_use_upload"):
            data, name, workspace = uploaded.getvalue(), uploaded.name, state.workspace

            def work(progress: ProgressFn, cancel: CancelToken) -> str:
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / "documents.txt"  # our name, never the upload's
                    path.write_bytes(data)
                    return workflows.documents_corpus(workspace, path, CorpusParams("auto"), name,
                                                      progress, cancel).corpus_id

            jobs.submit(state, _("Preparing the documents {name}").format(name=name), work, kind=JOB_KIND,
                        on_done=_activate_corpus)
            st.rerun()
    live_job_progress(state, JOB_KIND, cancel_key="cancel_documents")
    live_job_progress(state, "corpus", cancel_key="cancel_documents_corpus")
    if state.active_corpus_id is not None:
        corpus = state.workspace.load_corpus(state.active_corpus_id)
        if corpus.attachment(documents.DOCUMENTS_FILE) is not None:
            st.success(_("Active corpus: **{name}**, {n} documents. Train Doc2Vec on it next.").format(
                name=md(corpus.name), n=format_number(corpus.n_sentences)), icon="✅")
            st.page_link(page="pages/2_Train.py", label=_("Train Doc2Vec"), icon="🏋️")


@st.cache_resource(max_entries=4, show_spinner=False)
def _inference(model_id: str, fingerprint: str, _workspace) -> InferenceModel | None:  # noqa: ANN001
    stored = _workspace.load_model_arrays(model_id, INFERENCE_GROUP)
    return None if stored is None else InferenceModel.from_arrays(*stored)


@st.cache_resource(max_entries=4, show_spinner=False)
def _words(model_id: str, fingerprint: str, _workspace) -> WordVectors | None:  # noqa: ANN001
    stored = _workspace.load_model_arrays(model_id, WORDS_GROUP)
    return None if stored is None else words_from_arrays(*stored)


def _table(found: list[Neighbour], categories: Categories | None) -> pd.DataFrame:
    tags = [n.word for n in found]
    data = {_("rank"): [n.rank for n in found], _("document"): tags,
            _("similarity"): [round(n.similarity, 4) for n in found]}
    if categories is not None:
        data[_("label")] = [categories.mapping.get(t, "") for t in tags]
        data[_("text")] = [categories.titles.get(t, "") for t in tags]
    return pd.DataFrame(data)


def render_similar(state: AppState, record, vectors: WordVectors, categories: Categories | None) -> None:  # noqa: ANN001
    algorithm = ALGORITHMS.get(record.manifest.algorithm)
    if algorithm is None or algorithm.units != "documents":
        st.info(_("The active model is not a Doc2Vec model. Train Doc2Vec on a documents corpus, then pick it in "
                  "the sidebar."), icon="💡")
        return
    index = neighbour_index(vectors)
    k = st.slider(_("How many documents"), 1, 50, 10, key="documents_k")
    by_document, by_text, by_word = st.tabs([_("Like a document"), _("Like new text"), _("Words")])
    with by_document:
        def describe(tag: str) -> str:  # a selectbox option is plain text
            if categories is None:
                return tag
            label = categories.mapping.get(tag, "")
            return f"{tag} · {label + ' · ' if label else ''}{categories.titles.get(tag, '')}"

        tag = st.selectbox(_("Document"), list(vectors.words), format_func=describe, key="documents_tag")
        if tag is not None:
            if categories is not None and tag in categories.titles:
                st.caption(f"“{md(categories.titles[tag])}”")
            st.dataframe(_table(index.query(tag, k), categories), hide_index=True, width="stretch")
    with by_text:
        inference = _inference(record.model_id, vectors.fingerprint, state.workspace)
        text = st.text_area(_("Text"), key="documents_text",
                            placeholder=_("the striker scored a late goal in the final"))
        if inference is None:
            st.caption(_("This model has no inference weights stored."))
        elif text.strip():
            params = CorpusParams(record.manifest.corpus.tokenizer if record.manifest.corpus else "words")
            tokens = documents.tokenize_query(text, CorpusParams("auto") if params.tokenizer == "ids" else params)
            vector = inference.infer(tokens)
            st.caption(_("The text's vector is inferred: the trained weights stay fixed and a new document vector is "
                         "fitted to its words ({n} passes).").format(n=format_number(inference.params.infer_epochs)))
            st.dataframe(_table(index.query(np.asarray(vector), k), categories), hide_index=True, width="stretch")
    with by_word:
        words = _words(record.model_id, vectors.fingerprint, state.workspace)
        if words is None:
            st.caption(_("This model trained document vectors only (PV-DBOW without word training)."))
        else:
            word = st.text_input(_("Word"), key="documents_word", value=words.words[min(20, len(words) - 1)])
            if word.strip():
                found = neighbour_index(words).query(word.strip(), k)
                st.dataframe(pd.DataFrame({_("rank"): [n.rank for n in found], _("word"): [n.word for n in found],
                                           _("similarity"): [round(n.similarity, 4) for n in found]}),
                             hide_index=True, width="stretch")
