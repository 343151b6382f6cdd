"""Browser tests: a real ``streamlit run app.py`` per test, driven by Debian's chromium.

AppTest covers most of the app; these fixtures are for what it cannot do: background
polling (``st.fragment(run_every=...)``), chart clicks, upload limits enforced by the
server, reloads. Every test gets its own server on a free port with its own empty
workspace, so tests never see each other's models.

Fixtures other tests use:

* ``app_server``: the running server, with ``.url``, ``.workspace`` (an
  ``embedlab.workspace.Workspace``) and ``.train_sample_model(algorithm)``, which
  trains a small model on the English sample straight into the workspace (a page
  opened afterwards starts on it, as after a reload). Extra environment for the
  server comes from ``@pytest.mark.app_env(NAME="value")``, e.g.
  ``STREAMLIT_SERVER_MAX_UPLOAD_SIZE="1"``.
* ``start_app_server``: a factory ``start_app_server(env={...}, workspace=None)`` for a
  test that needs a second server (e.g. a restart on the same workspace).
* ``browser_page``: a fresh Playwright ``Page`` (1400×1000) in a headless chromium.
* ``e2e_helpers.open_app(page, url)`` / ``wait_for_app(page)`` (import them from
  ``e2e_helpers``): navigate and wait until the script has finished running.

Never ``playwright install``: the browser is Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from e2e_helpers import SCRIPT_TIMEOUT_MS
from embedlab.workspace import ENV_VAR, Workspace

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
#: first start imports streamlit, plotly and friends on a busy 2-core machine
SERVER_START_TIMEOUT_S = 60


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "app_env(**env): extra environment variables for the app_server's streamlit process")


@pytest.hookimpl(tryfirst=True)  # before tests/conftest.py decides which e2e tests to skip
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything in this folder drives a browser: mark it ``e2e`` so ``-m "not e2e"`` skips it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    """A ``streamlit run app.py`` process serving one workspace."""

    url: str
    workspace: Workspace
    process: subprocess.Popen
    log_path: Path
    #: algorithm -> id of the model ``train_sample_model`` trained last
    models: dict[str, str] = field(default_factory=dict)

    def train_sample_model(self, algorithm: str = "word2vec", **params: Any) -> str:
        """Train a small model of ``algorithm`` on the English sample into the workspace; returns its id.

        Runs in the test process (not the server), so it is done before the next page
        opens; a new browser session starts on the newest model. ``params`` override the
        small defaults (e.g. ``epochs=2``).
        """
        from embedlab.train.registry import ALGORITHMS
        from embedlab.workflows import ensure_sample_corpus
        from embedlab.workflows import train_and_save

        small: dict[str, dict[str, Any]] = {
            "word2vec": {"epochs": 5, "seed": 1, "workers": 2},
            "fasttext": {"epochs": 5, "seed": 1, "workers": 2, "bucket": 50_000},
            "glove": {"epochs": 15, "seed": 1, "x_max": 10.0},
        }
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r}")
        cls = ALGORITHMS[algorithm].params_class
        names = {f.name for f in dataclasses.fields(cls)}
        chosen = {**{k: v for k, v in small[algorithm].items() if k in names}, **params}  # a typo in params fails
        corpus = ensure_sample_corpus(self.workspace, "english")
        model_id = train_and_save(self.workspace, algorithm, cls(**chosen), corpus)
        self.models[algorithm] = model_id
        return model_id

    def log(self) -> str:
        """The server's stdout and stderr so far (for assertion messages)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the whole process group (streamlit may have children)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)


def _wait_healthy(server: AppServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"streamlit exited with code {server.process.returncode}:\n{server.log()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s:\n{server.log()[-4000:]}")


def launch_app_server(log_dir: Path, workspace_root: Path, env: dict[str, str] | None = None,
                      launcher: bool = False) -> AppServer:
    """Start ``streamlit run app.py`` from the repository root on a free port and wait until it is healthy.

    ``launcher``: start it as ``make run`` does (``python -m embedlab.ui.serve``, modules imported first).
    """
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"streamlit-{port}.log"
    full_env = {
        **os.environ,
        ENV_VAR: str(workspace_root),
        "PYTHONUNBUFFERED": "1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        **(env or {}),
    }
    command = [
        sys.executable, *(["-m", "embedlab.ui.serve"] if launcher else ["-m", "streamlit", "run", "app.py"]),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]
    workspace = Workspace(workspace_root)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = AppServer(url=f"http://127.0.0.1:{port}", workspace=workspace, process=process, log_path=log_path)
    _wait_healthy(server, SERVER_START_TIMEOUT_S)
    return server


@pytest.fixture
def start_app_server(tmp_path: Path) -> Iterator[Callable[..., AppServer]]:
    """A factory for app servers; every server it started is stopped at teardown."""
    started: list[AppServer] = []

    def start(env: dict[str, str] | None = None, workspace: Workspace | Path | None = None,
              launcher: bool = False) -> AppServer:
        root = workspace.root if isinstance(workspace, Workspace) else Path(workspace or tmp_path / "workspace")
        server = launch_app_server(tmp_path / "logs", root, env, launcher=launcher)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def app_server(request: pytest.FixtureRequest, start_app_server: Callable[..., AppServer]) -> AppServer:
    """A running app on an empty workspace; ``@pytest.mark.app_env(...)`` adds environment variables."""
    env: dict[str, str] = {}
    for marker in request.node.iter_markers("app_env"):
        env.update({k: str(v) for k, v in marker.kwargs.items()})
    return start_app_server(env=env)


@pytest.fixture(scope="session")
def _browser() -> Iterator[Any]:
    """One headless chromium for the whole run (each test gets its own context)."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed (`make test` installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser: Any, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A fresh page in a new browser context; a failing test leaves a screenshot in its tmp_path."""
    context = _browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(SCRIPT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        except Exception:
            pass
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item so ``browser_page`` knows whether to take a screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
