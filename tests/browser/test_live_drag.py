"""Live dragging (issue #19) on the derivatives page: while x₀ or h is dragged, the charts follow
the pointer from frames computed in Python, with no message to the server until release; release
commits the value (a rerun: URL, readings); the arrow keys move the value and the chart."""
from __future__ import annotations

import math
import re
import time

import pytest

from helpers import slider_value as _value, drag_frames_drawn as _frames_drawn, slow_drag, wait_until_not_running as _settled

CHARTS = {"x0": ("secant", "zoom", "gradient"), "logh": ("secant", "zoom", "errors")}

STATE_JS = """([chart, slider]) => {
  // the picture of the traces that move: their x and y, as text
  const G = window.__liveChart;
  const F = G.frames.get(location.pathname + '|' + chart).get(slider);
  const gd = document.querySelector('.st-key-p3d-' + chart + ' .live-chart');
  return JSON.stringify(F.traces.map((t) => [Array.from(gd.data[t].x || []), Array.from(gd.data[t].y || [])]))
    + JSON.stringify((F.layout || []).length ? gd.layout.annotations || gd.layout.title || null : null);
}"""


def _open(page, app_url, sent):
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(time.monotonic())))
    page.goto(app_url + "derivatives?f=x%5E2")
    for slider, charts in CHARTS.items():
        for chart in charts:
            page.wait_for_function(
                """([c, s]) => { const G = window.__liveChart; const m = G && G.frames && G.frames.get(location.pathname + '|' + c);
                   const gd = document.querySelector('.st-key-p3d-' + c + ' .live-chart');
                   return !!(m && m.get(s) && gd && gd._fullLayout && gd.data && gd.data.length === m.get(s).ntraces); }""",
                arg=[chart, slider], timeout=90000)
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                           ".getAttribute('data-test-script-state') !== 'running'", timeout=90000)


@pytest.mark.parametrize("slider", ["x0", "logh"])
def test_a_slow_drag_moves_the_charts_before_release_and_commits_on_release(page, app_url, slider):
    sent = []
    _open(page, app_url, sent)
    page.wait_for_timeout(500)
    d = slow_drag(page, slider, sent, CHARTS[slider], STATE_JS)
    before, dragged_to, step, states, n_sent, during = d.before, d.dragged_to, d.step, d.states, d.n_sent, d.during
    assert during == 0, f"{during} websocket messages were sent during the drag"
    assert abs(dragged_to - before) >= 8 * step - 1e-9, (before, dragged_to)
    for c in CHARTS[slider]:
        assert len(states[c]) >= 8, f"{c}: only {len(states[c])} different pictures during the drag of {slider}"
        assert d.drawn[c] >= 8, c
    # release commits: a message goes out, the URL and the readings show the new value
    deadline = time.monotonic() + 60
    while len(sent) == n_sent and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(sent) > n_sent, "release sent nothing"
    want = f"{dragged_to:g}"
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('{slider}') !== null && "
                           f"Math.abs(parseFloat(new URLSearchParams(location.search).get('{slider}')) - {dragged_to}) < 1e-9",
                           timeout=60000)
    _settled(page)
    if slider == "x0":        # the marker (x₀, f(x₀)) of the f / f′ chart sits at the new x₀
        page.wait_for_function(
            "v => { const gd = document.querySelector('.st-key-p3d-gradient .live-chart');"
            " const t = gd.data.find((d) => d.name === '(x₀, f(x₀))'); return t && Math.abs(t.x[0] - v) < 1e-9; }",
            arg=dragged_to, timeout=60000)
    else:                     # the red marker line of the error chart at the new h
        page.wait_for_function(
            "v => { const gd = document.querySelector('.st-key-p3d-errors .live-chart');"
            " return Math.abs(Math.log10(gd.layout.shapes[0].x0) - v) < 1e-6; }", arg=dragged_to, timeout=60000)
    assert math.isclose(float(re.search(rf"[?&]{slider}=([-\d.]+)", page.url).group(1)), float(want), abs_tol=1e-9)


def test_arrow_keys_move_the_value_and_the_chart(page, app_url):
    sent = []
    _open(page, app_url, sent)
    rng = page.locator(".st-key-x0 input[type=range]").first
    before = _value(page, "x0")
    picture = page.evaluate(STATE_JS, ["secant", "x0"])
    drawn = _frames_drawn(page, "secant")
    rng.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("v => Math.abs(parseFloat(document.querySelector('.st-key-x0 input[type=range]')"
                           ".getAttribute('value')) - v) < 1e-9", arg=before + 0.05)
    # the frame is drawn at once, before the rerun's figure
    page.wait_for_function("n => +document.querySelector('.st-key-p3d-secant .live-chart').dataset"
                           ".liveChartDragFrames > n", arg=drawn, timeout=30000)
    assert page.evaluate(STATE_JS, ["secant", "x0"]) != picture
    page.wait_for_function("() => new URLSearchParams(location.search).get('x0') !== null", timeout=60000)
    assert math.isclose(float(re.search(r"x0=([-\d.]+)", page.url).group(1)), before + 0.05, abs_tol=1e-9)
