"""A minimal Streamlit browser session over the websocket, for load tests (no browser needed).

It speaks the protocol the Streamlit frontend speaks: ``BackMsg.rerun_script`` with
the page and the widget states, then ``ForwardMsg`` deltas until ``script_finished``.
It records every element of the last run (so a test can find a widget by its key,
read alerts, or see an exception) and the URL query string the app set.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class RunResult:
    seconds: float
    elements: list[tuple[str, Any]] = field(default_factory=list)  # (element type, its proto)

    def of_type(self, kind: str) -> list[Any]:
        return [proto for k, proto in self.elements if k == kind]

    def widget(self, key: str, kind: str | None = None) -> Any | None:
        """The widget whose id ends with ``key`` (Streamlit puts a keyed widget's key at the end of its id)."""
        for k, proto in self.elements:
            if (kind is None or k == kind) and getattr(proto, "id", "").endswith(f"-{key}"):
                return proto
        return None

    @property
    def exceptions(self) -> list[str]:
        return [e.message for e in self.of_type("exception")]

    @property
    def errors(self) -> list[str]:
        return [a.body for a in self.of_type("alert") if a.format == 1]  # Alert.Format.ERROR

    def text(self) -> str:
        parts = [a.body for a in self.of_type("alert")] + [m.body for m in self.of_type("markdown")]
        return "\n".join(parts)


class Session:
    """One browser tab: a websocket, its query string, and the widget values it has set."""

    def __init__(self, url: str, timeout: float = 120.0) -> None:
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.timeout = timeout
        self.query_string = ""
        self.page = ""
        self._ws: Any = None
        self._values: dict[str, Any] = {}

    async def __aenter__(self) -> "Session":
        self._ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=30)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._ws.close()

    async def run(self, page: str | None = None, set_values: dict[str, Any] | None = None,
                  click: str | None = None) -> RunResult:
        """Rerun the script on ``page`` (a page's URL name, '' for home) with widgets changed; wait for its end.

        ``set_values`` maps widget ids to values (str, bool, int, float); ``click`` is a button id.
        """
        if page is not None and page != self.page:
            self.page = page
            self._values = {}  # another page: its widgets start afresh, as in a browser
        self._values.update(set_values or {})
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = self.page
        for widget_id, value in self._values.items():
            ws = state.widget_states.widgets.add()
            ws.id = widget_id
            if isinstance(value, bool):
                ws.bool_value = value
            elif isinstance(value, int):
                ws.int_value = value
            elif isinstance(value, float):
                ws.double_value = value
            else:
                ws.string_value = str(value)
        if click is not None:
            ws = state.widget_states.widgets.add()
            ws.id = click
            ws.trigger_value = True
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        result = RunResult(0.0)
        while True:
            data = await asyncio.wait_for(self._ws.recv(), self.timeout)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_kind = element.WhichOneof("type")
                result.elements.append((element_kind, getattr(element, element_kind)))
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    result = RunResult(0.0)  # st.rerun(): the run that follows is the one the user sees
                    continue
                result.seconds = time.perf_counter() - started
                return result
