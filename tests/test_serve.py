"""``python -m embedlab.ui.serve`` (what ``make run`` starts): the pages' modules imported before the server answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from embedlab.ui import serve

REPO = Path(__file__).resolve().parent.parent


def test_the_views_of_every_page_are_preloaded_quietly():
    names = serve.view_modules()
    assert {"embedlab.ui.map_view", "embedlab.ui.neighbours_view", "embedlab.ui.frame"} <= set(names)
    assert "embedlab.ui.serve" not in names
    # in a fresh interpreter, as at server start: everything imported, and no "No runtime found" noise on the console
    probe = ("import sys; from embedlab.ui import serve; serve.preload(); "
             "missing = [m for m in serve.view_modules() + list(serve.LIBRARIES) if m not in sys.modules]; "
             "print('missing', missing)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "missing []" in done.stdout
    assert "No runtime found" not in done.stderr, done.stderr[-2000:]
    assert "WARNING" not in done.stderr, done.stderr[-2000:]
