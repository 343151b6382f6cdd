"""Opening a page under AppTest with a given workspace, model and corpus, and waiting for its jobs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from embedlab.ui.jobs import runner
from embedlab.ui.state import STATE_KEY, AppState
from embedlab.workspace import default_root

JOB_TIMEOUT_S = 180
REPO = Path(__file__).resolve().parent.parent


def open_page(path: str, model_id: str | None = None, corpus_id: str | None = None, timeout: float = 60,
              language: str | None = None) -> AppTest:
    """Run ``path`` once with this test's workspace (``$EMBEDLAB_WORKSPACE``) and the given active model.

    ``language`` ('en', 'zh') opens it as ``?lang=`` in the address would.
    """
    # Start from the entrypoint so page links resolve as under `streamlit run app.py`.
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    if language is not None:
        at.query_params["lang"] = language
    if path != "app.py":
        at.switch_page(path)
    at.session_state[STATE_KEY] = AppState(workspace_root=str(default_root().resolve()),
                                           active_model_id=model_id, active_corpus_id=corpus_id)
    return at.run()


def app_state(at: AppTest) -> AppState:
    return at.session_state[STATE_KEY]


def wait_for_jobs(at: AppTest, timeout: float = JOB_TIMEOUT_S) -> AppTest:
    """Block until every job this session started has ended, then rerun the page (AppTest never polls)."""
    for job in runner().session_jobs(app_state(at).session_id):
        job.wait(timeout)
    return at.run()


def shown(markdown: str) -> str:
    """The text a reader sees in Markdown the app escaped (``embedlab.textsafe.md``): no backslashes, no joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def errors(at: AppTest) -> list[str]:
    """The error boxes' text as the reader sees it."""
    return [shown(e.value) for e in at.error]


def assert_clean(at: AppTest) -> None:
    """No exception element and no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)


def plotly_figures(at: AppTest) -> list[dict]:
    """The page's plotly charts, decoded from their elements (AppTest cannot click them, but can read them)."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def tables_with(at: AppTest, *columns: str) -> list:
    """Data frames on the page having these columns (AppTest does not expose a dataframe's key)."""
    return [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]


def picker(at, base: str, kind: str = "selectbox"):
    """The widget drawn by ``widgets.state_select`` (or keyed by ``choice_key``) under ``base``.

    Its key carries the current choice (``base-<hash>``), so tests find it by the base.
    """
    found = [w for w in getattr(at, kind) if w.key is not None and (w.key == base or w.key.startswith(f"{base}-"))]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]
