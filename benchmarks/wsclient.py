"""A lightweight Streamlit websocket client: one object = one browser session, without a browser.

It speaks the same protocol as Streamlit's own frontend (Streamlit 1.67, starlette server):

- connect to ``ws://HOST:PORT/_stcore/stream`` with the subprotocol ``streamlit`` (the second and
  third entries, XSRF token and an existing session id, are optional and only matter for logins and
  reconnection); no ``Origin`` header (a non-browser client may omit it);
- send ``BackMsg.rerun_script`` (a ``ClientState``: query string, page name or page script hash,
  widget states, the fragment to rerun, and the hashes of cacheable messages already received so
  the server may answer with short references, as it does for a browser);
- receive ``ForwardMsg`` protobufs until ``script_finished``.

A *round trip* here is: rerun request sent -> ``script_finished`` received (every delta of the run
has then arrived).  It does not include the browser's drawing time; ``browser_probe.py`` measures
that side.

Used by ``load_test.py``.  Loopback only; every wait has a timeout.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

from websockets.asyncio.client import connect

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider

SURFACE_TRACES = {"surface", "contour", "heatmap", "mesh3d", "isosurface", "volume", "histogram2dcontour"}
OK_STATUSES = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class SliderInfo:
    id: str
    label: str
    key: str
    lo: float
    hi: float
    step: float
    value: float
    fragment_id: str
    is_int: bool


@dataclass
class RunResult:
    ms: float
    bytes: int
    messages: int
    exceptions: int
    status: str
    ok: bool


@dataclass
class Session:
    """One app session over one websocket."""
    base: str                       # e.g. "ws://127.0.0.1:8501"
    cookie: str | None = None       # e.g. "ce_affinity=..." (nginx session affinity)
    timeout: float = 60.0
    ws: object = None
    page_hash: str = ""
    pages: dict = field(default_factory=dict)      # url_pathname -> page_script_hash
    sliders: dict = field(default_factory=dict)    # widget id -> SliderInfo
    trace_types: set = field(default_factory=set)
    cached_hashes: set = field(default_factory=set)
    query_string: str = ""

    async def open(self):
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await asyncio.wait_for(
            connect(self.base.rstrip("/") + "/_stcore/stream", subprotocols=["streamlit"],
                    additional_headers=headers, max_size=None, open_timeout=self.timeout,
                    ping_interval=None, compression=None),
            self.timeout)
        return self

    async def close(self):
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:
                pass
            self.ws = None

    async def load(self, page: str, query: str = "") -> RunResult:
        """Open a page by its url path (what a browser does on navigation)."""
        self.sliders.clear()
        self.trace_types.clear()
        self.query_string = query
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query
        cs.page_name = page
        return await self._run(msg)

    async def move(self, slider: SliderInfo, value: float) -> RunResult:
        """Set one slider to ``value`` and rerun, as the frontend does (fragment-only if the slider is
        inside an ``st.fragment``)."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hash
        if slider.fragment_id:
            cs.fragment_id = slider.fragment_id
        ws = cs.widget_states.widgets.add()
        ws.id = slider.id
        ws.double_array_value.data.append(float(value))
        slider.value = float(value)
        return await self._run(msg)

    async def _run(self, msg: BackMsg) -> RunResult:
        msg.rerun_script.cached_message_hashes.extend(sorted(self.cached_hashes))
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        nbytes = nmsg = exc = 0
        status = "timeout"
        ok = False
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            data = await asyncio.wait_for(self.ws.recv(), left)
            nbytes += len(data)
            nmsg += 1
            fm = ForwardMsg()
            fm.ParseFromString(data)
            if fm.hash and fm.metadata.cacheable:
                self.cached_hashes.add(fm.hash)
            kind = fm.WhichOneof("type")
            if kind == "delta":
                exc += self._delta(fm.delta)
            elif kind == "navigation":
                if fm.navigation.page_script_hash:
                    self.page_hash = fm.navigation.page_script_hash
                for p in fm.navigation.app_pages:
                    self.pages[p.url_pathname] = p.page_script_hash
            elif kind == "new_session":
                for p in fm.new_session.app_pages:
                    self.pages[p.url_pathname] = p.page_script_hash
                if fm.new_session.page_script_hash:
                    self.page_hash = fm.new_session.page_script_hash
            elif kind == "page_not_found":
                status = "page_not_found"
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                ok = fm.script_finished in OK_STATUSES and status != "page_not_found"
                status = ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
                break
        ms = (time.perf_counter() - t0) * 1000
        return RunResult(ms, nbytes, nmsg, exc, status, ok and exc == 0)

    def _delta(self, d) -> int:
        if d.WhichOneof("type") != "new_element":
            return 0
        el = d.new_element
        et = el.WhichOneof("type")
        if et == "exception":
            return 1
        if et == "slider":
            s = el.slider
            if s.type == Slider.SELECT_SLIDER or len(s.default) != 1 or s.disabled:
                return 0
            cur = s.value[0] if s.set_value and len(s.value) == 1 else s.default[0]
            self.sliders[s.id] = SliderInfo(s.id, s.label, s.query_param_key or s.id, s.min, s.max,
                                            s.step or 1.0, cur, d.fragment_id,
                                            s.data_type == Slider.INT)
        elif et == "plotly_chart":
            try:
                spec = json.loads(el.plotly_chart.spec or "{}")
                for t in spec.get("data", []):
                    self.trace_types.add(t.get("type", "scatter"))
            except ValueError:
                pass
        return 0

    @property
    def draws_surfaces(self) -> bool:
        return bool(self.trace_types & SURFACE_TRACES)


def next_value(s: SliderInfo, direction: int) -> tuple[float, int]:
    """One step of slider ``s`` in ``direction`` (+1/-1), turning back at the ends (like a learner
    dragging to and fro)."""
    v = s.value + direction * s.step
    if v > s.hi + 1e-9 or v < s.lo - 1e-9:
        direction = -direction
        v = s.value + direction * s.step
    v = min(max(v, s.lo), s.hi)
    v = round(v) if s.is_int else round(v, 10)
    return v, direction
