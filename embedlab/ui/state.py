"""The one durable, typed state object of a browser session.

Streamlit deletes the state of widgets not drawn on a run, so a value that must
survive a page switch lives here, and widgets read their initial value from it
and write back in ``on_change`` callbacks. What must survive a browser reload
(a new session) lives in the workspace on disk, not here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from embedlab.config import ProjectionParams
from embedlab.errors import EmbedlabError
from embedlab.classroom import open_workspace
from embedlab.ui import classroom_view, session_memory
from embedlab.workspace import Workspace, default_root

STATE_KEY = "embedlab"
#: the URL query parameter that carries the session id across reloads
SESSION_PARAM = "session"
_SESSION_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass
class FormError:
    """A refused Train form, kept until the next submit (any rerun would wipe a message drawn once)."""

    algorithm: str
    corpus_id: str
    message: str


@dataclass
class TrainPage:
    algorithm: str = "word2vec"
    form_error: FormError | None = None


@dataclass
class ModelsPage:
    #: the model the Models page shows (rename, delete, export); None: the active model
    chosen_id: str | None = None


@dataclass
class ComparePage:
    #: the comparison shown; None: the newest. Evaluate pre-selects its models.
    comparison_id: str | None = None


@dataclass
class EvaluatePage:
    #: the models to benchmark, and the comparison (or model) that choice was made from: when the
    #: user opens another comparison, the pre-selection follows it instead of keeping an old one
    models: list[str] | None = None
    models_from: str | None = None


@dataclass
class MapPage:
    #: the corpus (or file) of the model the "Find words" text was typed for
    search_corpus: str | None = None
    #: the projection last asked for (None: the default PCA)
    params: ProjectionParams | None = None
    #: the words selected on the map (ringed, their neighbours shown)
    selected: list[str] = field(default_factory=list)
    #: the chart's last reported selection: only a new one changes ``selected`` (the chart repeats its old one)
    last_pick: list[str] = field(default_factory=list)
    #: background UMAP/t-SNE jobs by (model fingerprint, projection key)
    jobs: dict[str, str] = field(default_factory=dict)


@dataclass
class NeighboursPage:
    #: the batch mode's word list as typed, its parsed words and k
    batch_text: str = ""
    batch_words: list[str] = field(default_factory=list)
    batch_k: int = 10
    #: the fingerprint of the model the query box was last drawn for: a query another model cannot know
    #: gives way to the new model's default query when the active model changes
    query_model: str | None = None


@dataclass
class UploadsState:
    #: bumps after each consumed upload, so the uploader is drawn empty under a new key
    generation: int = 0
    #: the upload being previewed, copied once to the workspace: {file id: path}
    copies: dict[str, str] = field(default_factory=dict)
    #: upload ids already added (a rerun must not add them again)
    consumed: list[str] = field(default_factory=list)


@dataclass
class AppState:
    """Which workspace, model, corpus and jobs this session is on, and each page's durable choices."""

    workspace_root: str
    active_model_id: str | None = None
    active_corpus_id: str | None = None
    #: the jobs' owner: kept in the page URL (``?session=``), so a reload finds its running jobs again
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    train: TrainPage = field(default_factory=TrainPage)
    models: ModelsPage = field(default_factory=ModelsPage)
    compare: ComparePage = field(default_factory=ComparePage)
    evaluate: EvaluatePage = field(default_factory=EvaluatePage)
    map: MapPage = field(default_factory=MapPage)
    neighbours: NeighboursPage = field(default_factory=NeighboursPage)
    uploads: UploadsState = field(default_factory=UploadsState)
    #: durable widget values by widget key (``widgets.durable``/``keep``/``set_value``): Streamlit forgets a
    #: widget's value when a run does not draw it, so the value a user chose lives here between pages
    widget_values: dict[str, Any] = field(default_factory=dict)

    @property
    def workspace(self) -> Workspace:
        return _workspace(self.workspace_root)


@st.cache_resource(show_spinner=False)
def _workspace(root: str) -> Workspace:
    return open_workspace(Path(root))  # a classroom student's sees the published models too


def get_state() -> AppState:
    """This session's state, created on first use on the tab's own work (a reload) or shared work (a new tab).

    A reload is a new Streamlit session; the session id in the URL makes it the same
    session for the jobs (progress, Cancel and completion notices come back).

    A new tab starts on shared work (the sample's model, a published one), never on whoever's
    work is newest; a reload (the same session id) lands where the tab was (``session_memory``).
    """
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, AppState):
        state = AppState(workspace_root=str(classroom_view.workspace_root(default_root().resolve())))
        from_url = st.query_params.get(SESSION_PARAM, "")
        if _SESSION_ID.match(from_url):
            state.session_id = from_url  # a reload: the jobs started before it are this session's
        _start(state)
        st.session_state[STATE_KEY] = state
    if st.query_params.get(SESSION_PARAM) != state.session_id:
        st.query_params[SESSION_PARAM] = state.session_id  # page links drop it: put it back on every page
    _repair(state)
    session_memory.remember(state.workspace, state.session_id, state.active_model_id,
                            state.active_corpus_id)
    return state


def _start(state: AppState) -> None:
    """A reload comes back to where its tab was; a new tab starts on shared work, not on anyone's newest."""
    remembered = session_memory.recall(state.workspace, state.session_id)
    if remembered:
        state.active_model_id, state.active_corpus_id = remembered.get("model"), remembered.get("corpus")
    else:
        state.active_model_id, state.active_corpus_id = session_memory.shared_start(state.workspace)


def _repair(state: AppState) -> None:
    """Point at existing work: the chosen model or corpus may have been deleted (maybe in another tab)."""
    workspace = state.workspace
    models = [r.model_id for r in workspace.list_models()]
    if state.active_model_id not in models:  # none yet, or deleted (maybe in another tab): back to shared work
        model_id, corpus_id = session_memory.shared_start(workspace)
        state.active_model_id = model_id
        if state.active_corpus_id is None:
            state.active_corpus_id = corpus_id
    if state.active_corpus_id is not None:
        try:
            workspace.load_corpus(state.active_corpus_id)
        except EmbedlabError:
            state.active_corpus_id = None
