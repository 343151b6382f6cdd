"""What a user waits for in the browser: a real ``streamlit run`` driven by headless Debian chromium.

Usage::

    python benchmarks/browser.py             # a 22k-word GloVe model; 1 + 3 fresh servers (+ 3 plain ones), 3 warm Map opens each
    python benchmarks/browser.py --quick     # a 5,000-word generated model, 1 fresh server (+ 1 plain), 1 warm open

The model: GloVe trained on the shared text8 head (22,541 words, 5 iterations)
when ``benchmarks/_data.py`` finds it, else a generated vector file of 22,541
words imported like a user's file. It is the workspace's only
model, so every new session starts on it ("already active").

Measured, each from the moment the browser is told to act until the answer is
on the screen (the script idle and the chart drawn):

* Map first picture, fresh server: the server has just started on the port the
  browser used before (its cache holds the app's scripts, as a returning user's
  does) and is healthy; a new tab opens the Map page; until the points are on
  screen: the still picture the Map sends under its chart in a session's first
  seconds (``embedlab.viz.picture``), or the chart, whichever is first. Servers
  are started as ``make run`` starts them (``python -m embedlab.ui.serve``: the
  app's modules imported before the server answers) and, as the baseline in the
  same run, as plain ``streamlit run app.py``. The very first visit, with an
  empty browser cache, is its own row.
* Map interactive chart: the same opens, until plotly has drawn the points (the
  chart then answers hover, click and zoom).
* Map first picture, warm: the same server, a new tab (a new session) each time.
* Neighbours answer: on the Neighbours page, a word is typed and Enter pressed;
  until the bar chart of that word's neighbours is drawn.
* Analogies answer: the same with an analogy expression.
* Page switch: from the drawn Map, a click on "Neighbours" in the sidebar; until
  the Neighbours page's answer is drawn.

The browser is /usr/bin/chromium (playwright's ``executable_path``; never
``playwright install``). The table gives the median and min-max of the repeats.
Goal: the Map's first picture within 2 s, fresh and warm.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import numpy as np  # noqa: E402

from embedlab.workspace import ENV_VAR, Workspace  # noqa: E402
from _data import missing_note, text8_head  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
N_WORDS = 22_541
TIMEOUT_MS = 120_000
GOAL_S = 2.0
LAUNCHER = "python -m embedlab.ui.serve"
PLAIN = "streamlit run app.py"

#: true once the page's first plotly chart has drawn every point of its marker traces (SVG or WebGL)
MAP_DRAWN = """
() => {
  const idle = document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']");
  const gd = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
  if (!idle || !gd || !gd._fullLayout || !gd._fullData) return false;
  const markers = gd._fullData.filter(t => t.visible && String(t.mode).includes("markers"));
  if (!markers.length || !markers.some(t => t.x && t.x.length)) return false;
  if (markers[0].type === "scattergl") return !!gd.querySelector("canvas.gl-canvas-context");
  return gd.querySelectorAll(".scatterlayer .point").length > 0;
}
"""
#: true once the Map's still first picture (sent under the chart in a session's first seconds) is on screen, or the
#: chart itself has drawn: whichever comes first is the first picture of the points the user sees
PICTURE_DRAWN = f"""
() => {{
  const img = document.querySelector(".st-key-map_stack [data-testid='stImage'] img");
  return (img && img.complete && img.naturalWidth > 0) || ({MAP_DRAWN.strip()})();
}}
"""
#: the title and first trace's labels of the page's first plotly chart ("" when there is none)
CHART_SIGNATURE = """
() => {
  const gd = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
  if (!gd || !gd._fullLayout || !gd._fullData || !gd._fullData.length) return "";
  const title = gd._fullLayout.title ? String(gd._fullLayout.title.text || "") : "";
  return title + "|" + JSON.stringify(gd._fullData[0].y || []).slice(0, 2000);
}
"""
#: true once the script is idle and the first chart is drawn with another signature than the given one
CHART_CHANGED = """
(before) => {
  if (!document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']")) return false;
  const gd = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
  if (!gd || !gd._fullLayout || !gd._fullData || !gd._fullData.length) return false;
  const title = gd._fullLayout.title ? String(gd._fullLayout.title.text || "") : "";
  const now = title + "|" + JSON.stringify(gd._fullData[0].y || []).slice(0, 2000);
  return now !== before && gd.querySelectorAll(".barlayer .point, .scatterlayer .point").length > 0;
}
"""
#: true once a plotly chart whose title contains the given text is drawn and the script is idle
CHART_TITLED = """
(text) => {
  if (!document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']")) return false;
  return [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")].some(gd =>
    gd._fullLayout && gd._fullLayout.title && String(gd._fullLayout.title.text || "").includes(text)
    && gd.querySelectorAll(".barlayer .point, .scatterlayer .point").length > 0);
}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``streamlit run app.py`` on a free port, serving one workspace (stopped with its process group)."""

    def __init__(self, workspace: Path, log: Path, port: int, launcher: bool = True) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, ENV_VAR: str(workspace), "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO),
               "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        # make run's launcher (the app's modules imported before the server answers), or plain `streamlit run`
        start = ["-m", "embedlab.ui.serve"] if launcher else ["-m", "streamlit", "run", "app.py"]
        command = [sys.executable, *start, "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        started = time.perf_counter()
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"streamlit exited ({self.process.returncode}):\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.perf_counter() - started > 90:
                self.stop()
                raise SystemExit(f"streamlit did not start within 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        self.start_s = time.perf_counter() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=15)


# -- the model --------------------------------------------------------------------------------------

def make_model(workspace: Workspace, tmp: Path, corpus: Path | None, n_words: int) -> str:
    """The benchmark's only model: GloVe on the shared corpus, or a generated vector file imported; its id."""
    if corpus is not None:
        from embedlab.config import CorpusParams, GloVeParams
        from embedlab.corpus import prepare_corpus
        from embedlab.train import train
        from embedlab.workflows import save_result

        prepared = prepare_corpus(corpus, tmp / "corpus", CorpusParams("words"))
        result = train("glove", GloVeParams(epochs=5, x_max=10.0, seed=1), prepared)
        return save_result(workspace, result, prepared, name=f"GloVe · {corpus.name}")
    from embedlab.io.importer import import_vectors

    path = tmp / "generated-vectors.txt"
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(40, 100))  # clusters, so the map has structure
    vectors = centres[rng.integers(0, 40, n_words)] + 0.6 * rng.normal(size=(n_words, 100))
    words = ["king", "queen", "man", "woman", "paris", "france", "london", "england"]  # the examples' words
    words += [f"w{i}" for i in range(n_words - len(words))]
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"{n_words} 100\n")
        for word, row in zip(words, vectors):
            out.write(word + " " + " ".join(f"{x:.4f}" for x in row) + "\n")
    return import_vectors(workspace, path, name="generated vectors").model_id


# -- the measurements -------------------------------------------------------------------------------

def timed(action: Callable[[], Any], until: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    until()
    return time.perf_counter() - started


def map_first_picture(context: Any, url: str) -> tuple[float, float]:
    """A new tab (a new Streamlit session) opens the Map page; seconds until its points are on screen (the
    still picture or the chart, whichever is first) and until the interactive chart has drawn them."""
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(f"{url}/Map", wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(PICTURE_DRAWN, polling="raf", timeout=TIMEOUT_MS)
        picture = time.perf_counter() - started
        page.wait_for_function(MAP_DRAWN, polling="raf", timeout=TIMEOUT_MS)
        return picture, time.perf_counter() - started
    finally:
        page.close()


def ask(page: Any, label: str, text: str) -> float:
    """Type ``text`` into the text box ``label`` and press Enter; seconds until the answer chart is redrawn."""
    before = page.evaluate(CHART_SIGNATURE)
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    return timed(lambda: box.press("Enter"),
                 lambda: page.wait_for_function(CHART_CHANGED, arg=before, polling="raf", timeout=TIMEOUT_MS))


def session_timings(context: Any, url: str, query: str, analogy: str) -> dict[str, float]:
    """Neighbours answer, Analogies answer and the Map → Neighbours page switch, in a new tab."""
    out: dict[str, float] = {}
    page = context.new_page()
    try:
        page.goto(f"{url}/Neighbours", timeout=TIMEOUT_MS)
        page.wait_for_function(CHART_TITLED, arg="Nearest neighbours of", polling="raf", timeout=TIMEOUT_MS)
        out["Neighbours answer"] = ask(page, "Query words", query)
        page.goto(f"{url}/Analogies", timeout=TIMEOUT_MS)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)
        page.wait_for_function(CHART_CHANGED, arg="", polling="raf", timeout=TIMEOUT_MS)  # the example's answer
        out["Analogies answer"] = ask(page, "Analogy", analogy)
        page.goto(f"{url}/Map", timeout=TIMEOUT_MS)
        page.wait_for_function(MAP_DRAWN, polling="raf", timeout=TIMEOUT_MS)
        link = page.locator("[data-testid='stSidebar'] a", has_text="Neighbours").first
        out["page switch (Map → Neighbours)"] = timed(
            link.click,
            lambda: page.wait_for_function(CHART_TITLED, arg="Nearest neighbours of", polling="raf", timeout=TIMEOUT_MS))
        errors = page.locator("[data-testid='stException']").count()
        if errors:
            raise SystemExit(f"the app showed {errors} exception(s) during the benchmark")
    finally:
        page.close()
    return out


def summary(values: list[float]) -> str:
    if not values:
        return "n/a"
    median = statistics.median(values)
    return f"{median:.2f} s" + (f" ({min(values):.2f}-{max(values):.2f})" if len(values) > 1 else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="raw text to train the GloVe model on (default: the shared text8 head if found)")
    parser.add_argument("--servers", type=int, default=3, help="fresh server starts")
    parser.add_argument("--warm", type=int, default=3, help="warm Map opens per server")
    parser.add_argument("--quick", action="store_true", help="a 5,000-word generated model, 1 server, 1 warm open")
    args = parser.parse_args(argv)
    n_words = N_WORDS
    if args.quick:
        args.corpus, args.servers, args.warm, n_words = None, 1, 1, 5_000
    elif args.corpus is None:
        args.corpus = text8_head()
        if args.corpus is None:
            print(f"({missing_note()}: a generated vector file of {n_words:,} words instead)", file=sys.stderr)
    if not Path(CHROMIUM).exists():  # `make bench` still passes: the other benchmarks need no browser
        print(f"browser benchmark skipped: {CHROMIUM} is not installed (Debian's chromium: `make e2e-deps`)")
        return 0
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    results: dict[str, list[float]] = {}
    starts: dict[str, list[float]] = {LAUNCHER: [], PLAIN: []}
    with tempfile.TemporaryDirectory(prefix="embedlab-browser-bench-") as tmp_name:
        tmp = Path(tmp_name)
        workspace = Workspace(tmp / "workspace")
        started = time.perf_counter()
        model_id = make_model(workspace, tmp, args.corpus, n_words)
        vectors = workspace.load_vectors(model_id)
        print(f"model: {len(vectors):,} words × {vectors.dim} ({workspace.manifest(model_id).name}), "
              f"made in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        query, analogy = "queen", "paris - france + england"  # words of the text8 head and of the generated file
        port = free_port()  # one address for every server, so the browser's cache outlives a restart, as a user's does
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(TIMEOUT_MS)
            try:
                # server 0: the first visit ever (empty browser cache); then fresh servers as `make run` starts them,
                # then as plain `streamlit run app.py` (the baseline: the app's modules imported by the first visit)
                plan = [(LAUNCHER, s) for s in range(args.servers + 1)] + [(PLAIN, s + 1) for s in range(args.servers)]
                for how, s in plan:
                    server = Server(workspace.root, tmp / "streamlit.log", port, launcher=how == LAUNCHER)
                    try:
                        starts[how].append(server.start_s)
                        picture, chart = map_first_picture(context, server.url)
                        which = "first visit, empty browser cache" if not s else how
                        results.setdefault(f"Map first picture, fresh server ({which})", []).append(picture)
                        results.setdefault(f"Map interactive chart, fresh server ({which})", []).append(chart)
                        if not s or how == PLAIN:
                            continue
                        for _ in range(args.warm):
                            picture, chart = map_first_picture(context, server.url)
                            results.setdefault("Map first picture, warm (new session)", []).append(picture)
                            results.setdefault("Map interactive chart, warm (new session)", []).append(chart)
                        for name, value in session_timings(context, server.url, query, analogy).items():
                            results.setdefault(name, []).append(value)
                    finally:
                        server.stop()
                    print(f"  {how} server {s}/{args.servers} done", file=sys.stderr)
            finally:
                context.close()
                browser.close()
    load_after = os.getloadavg()

    print(f"\n### The app in headless chromium: {len(vectors):,}-word model "
          f"({'GloVe on ' + args.corpus.name if args.corpus else 'generated vectors, imported'})\n")
    print(f"1 + {args.servers} fresh server starts as `make run` starts them ({LAUNCHER}; start to healthy: "
          f"{summary(starts[LAUNCHER])}), {args.warm} warm Map open(s) after each; then {args.servers} as plain "
          f"{PLAIN} (start to healthy: {summary(starts[PLAIN])}), the baseline. One browser profile throughout (its "
          f"cache survives restarts, as a user's does; every open is a new tab, i.e. a new Streamlit session). "
          f"Median (min-max). *First picture*: the points on screen, as the still picture the Map sends under its "
          f"chart in a session's first seconds or as the chart, whichever is first; *interactive chart*: plotly has "
          f"drawn them (hover, click, zoom). Goal for the Map's first picture: ≤ {GOAL_S:g} s.\n")
    print("| what the user waits for | seconds | goal |")
    print("| --- | ---: | --- |")
    for name, values in results.items():
        goal = ""
        if name.startswith("Map first picture") and "empty browser cache" not in name and PLAIN not in name:
            goal = "met" if statistics.median(values) <= GOAL_S else f"missed (≤ {GOAL_S:g} s)"
        print(f"| {name} | {summary(values)} | {goal} |")
    for kind in ("first picture", "interactive chart"):
        ours = results.get(f"Map {kind}, fresh server ({LAUNCHER})")
        base = results.get(f"Map {kind}, fresh server ({PLAIN})")
        if ours and base:
            print(f"\nFresh server, Map {kind}: {LAUNCHER} takes {statistics.median(ours) / statistics.median(base):.2f}× "
                  f"the time of {PLAIN} (medians, same run).", end="")
    print()
    print(f"\nLoad average (1, 5, 15 min) before {tuple(round(x, 2) for x in load_before)}, "
          f"after {tuple(round(x, 2) for x in load_after)} on {os.cpu_count()} cores.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
