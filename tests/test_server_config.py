"""The server's own settings: what `make run` and `streamlit run app.py` expose."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_app_listens_on_this_machine_only_by_default() -> None:
    # with no server.address Streamlit listens on every interface: anyone on the network could upload,
    # train and delete (there is no login)
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] in ("localhost", "127.0.0.1")
    run = re.search(r"^run:.*?(?=^\S)", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    assert run is not None and "-m embedlab.ui.serve" in run.group(0)  # streamlit run app.py, modules preloaded
    assert "server.address" not in run.group(0)  # make run keeps the config's localhost
