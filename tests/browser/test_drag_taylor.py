"""Live dragging (issue #19) on the Taylor page: while the expansion point a or the order n is
dragged, the 1D chart's Tₙ, ε band and axes follow the pointer from frames computed in Python,
with no message to the server until release (f itself never moves in a frame); the release
commits the value (a rerun: URL, the chart, the terms beside it); the arrow keys work too."""
from __future__ import annotations

import math
import re
import time

import pytest

from helpers import drag_frames_drawn, slider_value as _value, slow_drag, wait_until_not_running as _settled

CHART = "t1d"

STATE_JS = """([chart, slider]) => {
  // the picture of the traces that move (their x or x0 and y, visibility) and the moving layout
  const F = window.__liveChart.frames.get(location.pathname + '|' + chart).get(slider);
  const gd = document.querySelector('.st-key-p3d-' + chart + ' .live-chart');
  return JSON.stringify(F.traces.map((t) => [gd.data[t].x0, Array.from(gd.data[t].x || []),
                                             Array.from(gd.data[t].y || []), gd.data[t].visible]))
    + JSON.stringify([gd.layout.xaxis.range, gd.layout.title && gd.layout.title.text, gd.layout.shapes]);
}"""

F_JS = """() => { const gd = document.querySelector('.st-key-p3d-t1d .live-chart');
  return JSON.stringify([Array.from(gd.data[0].x), Array.from(gd.data[0].y)]); }"""


def _open(page, app_url, sent):
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(time.monotonic())))
    page.goto(app_url + "taylor")
    for slider in ("a", "n"):
        page.wait_for_function(
            """([c, s]) => { const G = window.__liveChart; const m = G && G.frames && G.frames.get(location.pathname + '|' + c);
               const gd = document.querySelector('.st-key-p3d-' + c + ' .live-chart');
               return !!(m && m.get(s) && gd && gd._fullLayout && gd.data && gd.data.length === m.get(s).ntraces); }""",
            arg=[CHART, slider], timeout=120000)
    _settled(page)


def _frames_drawn(page):
    return drag_frames_drawn(page, CHART)


@pytest.mark.parametrize("slider", ["a", "n"])
def test_a_slow_drag_moves_the_chart_before_release_and_commits_on_release(page, app_url, slider):
    sent = []
    _open(page, app_url, sent)
    page.wait_for_timeout(500)
    f_before = page.evaluate(F_JS)

    def f_still():
        assert page.evaluate(F_JS) == f_before, "f itself never moves in a frame"
    d = slow_drag(page, slider, sent, (CHART,), STATE_JS, min_px=2.0, each=f_still)
    before, dragged_to, step, states, n_sent, during = d.before, d.dragged_to, d.step, d.states[CHART], d.n_sent, d.during
    assert during == 0, f"{during} websocket messages were sent during the drag"
    assert abs(dragged_to - before) >= 8 * step - 1e-9, (before, dragged_to)
    assert len(states) >= 8, f"only {len(states)} different pictures during the drag of {slider}"
    assert d.drawn[CHART] >= 8
    # release commits: a message goes out, the URL, the chart and the terms show the new value
    deadline = time.monotonic() + 60
    while len(sent) == n_sent and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(sent) > n_sent, "release sent nothing"
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('{slider}') !== null && "
                           f"Math.abs(parseFloat(new URLSearchParams(location.search).get('{slider}')) - {dragged_to}) < 1e-9",
                           timeout=60000)
    _settled(page)
    if slider == "a":      # Tₙ is drawn on the window a ± 4 about the new a
        page.wait_for_function(
            "v => { const gd = document.querySelector('.st-key-p3d-t1d .live-chart');"
            " return Math.abs(gd.data[1].x0 - (v - 4)) < 1e-9 && gd.data[2].visible !== false; }",
            arg=dragged_to, timeout=60000)
    else:                  # the title and the terms beside the chart say the new order
        k = int(round(dragged_to))
        page.wait_for_function(
            "k => { const gd = document.querySelector('.st-key-p3d-t1d .live-chart');"
            " return gd.layout.title.text.includes('order n = ' + k) && gd.data[1].name === 'T' + String(k).replace(/[0-9]/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[c]) + '(x)'; }",
            arg=k, timeout=60000)
        sub = "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in str(k))
        page.get_by_text(f"The terms of T{sub}").first.wait_for(timeout=60000)
    assert re.search(rf"[?&]{slider}={re.escape(f'{dragged_to:g}')}(&|$)", page.url), page.url


def test_arrow_keys_move_the_value_and_the_chart(page, app_url):
    sent = []
    _open(page, app_url, sent)
    rng = page.locator(".st-key-a input[type=range]").first
    before = _value(page, "a")
    picture = page.evaluate(STATE_JS, [CHART, "a"])
    drawn = _frames_drawn(page)
    rng.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("v => Math.abs(parseFloat(document.querySelector('.st-key-a input[type=range]')"
                           ".getAttribute('value')) - v) < 1e-9", arg=before + 0.1)
    # the frame is drawn at once, before the rerun's figure
    page.wait_for_function("n => +document.querySelector('.st-key-p3d-t1d .live-chart').dataset"
                           ".liveChartDragFrames > n", arg=drawn, timeout=30000)
    assert page.evaluate(STATE_JS, [CHART, "a"]) != picture
    page.wait_for_function("() => new URLSearchParams(location.search).get('a') !== null", timeout=60000)
    assert math.isclose(float(re.search(r"[?&]a=([-\d.]+)", page.url).group(1)), before + 0.1, abs_tol=1e-9)
