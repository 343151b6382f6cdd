"""Start the app: ``python -m embedlab.ui.serve [streamlit run options]``.

The same server as ``streamlit run app.py`` (which still works), with one
difference: the modules the pages need (pandas, plotly, the app's views) are
imported *before* the server answers. Streamlit imports a page's modules during
the first visitor's first script run, so on a fresh server that visitor waited
about a second and a half of imports before anything was drawn: ``make run``
and ``make classroom`` start the app through this module so the wait is paid at
start-up, once, like a preloading web server. Streamlit's options pass through
unchanged (``--server.port 8600``).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
#: imported by nearly every page's first run; the app's views are added by ``preload``
LIBRARIES = ("pandas", "plotly.graph_objects", "plotly.io", "streamlit.emojis")
#: decorating a cached function before the runtime exists only checks its arguments, but says so in a warning
_QUIET_LOGGERS = ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.caching.cache_resource_api",
                  "streamlit.runtime.scriptrunner_utils.script_run_context")


def view_modules() -> list[str]:
    """Every module of ``embedlab.ui`` (the views the pages call), by name."""
    import embedlab.ui as ui

    return sorted(info.name for info in pkgutil.walk_packages(ui.__path__, prefix="embedlab.ui.")
                  if info.name != __name__ and info.name != "embedlab.ui.serve")


def preload() -> float:
    """Import what the pages need; returns the seconds it took."""
    started = time.perf_counter()
    for name in _QUIET_LOGGERS:  # streamlit sets a logger's level when its module is imported: import them first
        importlib.import_module(name)
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        for name in (*LIBRARIES, *view_modules()):
            importlib.import_module(name)
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    seconds = preload()
    print(f"embedlab: the app's modules are imported ({seconds:.1f} s); starting the server", file=sys.stderr,
          flush=True)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
