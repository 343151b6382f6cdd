"""The one durable, typed state object of a browser session.

Streamlit deletes the state of widgets not drawn on a run, so a value that must
survive a page switch lives here, and widgets read their initial value from it
and write back in ``on_change`` callbacks. What must survive a browser reload
(a new session) lives in the workspace on disk, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from embedlab.errors import EmbedlabError
from embedlab.workspace import Workspace, default_root

STATE_KEY = "embedlab"


@dataclass
class AppState:
    workspace_root: str
    active_model_id: str | None = None
    active_corpus_id: str | None = None
    job_ids: list[str] = field(default_factory=list)
    acknowledged_jobs: set[str] = field(default_factory=set)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def workspace(self) -> Workspace:
        return _workspace(self.workspace_root)


@st.cache_resource(show_spinner=False)
def _workspace(root: str) -> Workspace:
    return Workspace(Path(root))


def get_state() -> AppState:
    """This session's state, created on first use with the newest model (and its corpus) active.

    Starting from the newest saved work means a reload or a server restart lands
    the user where they were, not on an empty app.
    """
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, AppState):
        state = AppState(workspace_root=str(default_root().resolve()))
        st.session_state[STATE_KEY] = state
    _repair(state)
    return state


def _repair(state: AppState) -> None:
    """Point at existing work: the chosen model or corpus may have been deleted (maybe in another tab)."""
    workspace = state.workspace
    models = [r.model_id for r in workspace.list_models()]
    if state.active_model_id not in models:
        state.active_model_id = models[0] if models else None
    if state.active_corpus_id is not None:
        try:
            workspace.load_corpus(state.active_corpus_id)
        except EmbedlabError:
            state.active_corpus_id = None
    if state.active_corpus_id is None:
        # the active model's own corpus first, so the sidebar never pairs a model with another corpus
        corpora = [c.corpus_id for c in workspace.list_corpora()]
        model_corpus = None
        if state.active_model_id is not None:
            corpus = workspace.manifest(state.active_model_id).corpus
            model_corpus = corpus.id if corpus is not None else None
        state.active_corpus_id = model_corpus if model_corpus in corpora else (corpora[0] if corpora else None)
