"""Live dragging (issue #19) on the chain-rule page (t: the point and velocity arrow on the contour
map, the point and tangent on g(t)) and the regression page (slope m and intercept c: the line and
its residuals, the marker on the χ² landscape; never the contour itself): while a slider is
dragged the charts follow the pointer from frames computed in Python, with no message to the
server until release; the release commits the value (URL, the readings); the arrow keys work too."""
from __future__ import annotations

import time

import pytest

from helpers import slider_value as _value, drag_frames_drawn as _frames_drawn, slow_drag, wait_until_not_running as _settled

from explorer.numbers import tex_number

# (page, slider, the charts it drives, the chart whose contour/curve must stay put, the trace of it)
CASES = [("chain-rule", "t", ("cr_contour", "cr_curve"), "cr_contour", 0),
         ("regression", "m", ("hand_plot", "landscape"), "landscape", 0),
         ("regression", "c", ("hand_plot", "landscape"), "landscape", 0)]

STATE_JS = """([chart, slider]) => {
  // the picture of the traces that move (x, y, visibility) and the annotations (the velocity arrow)
  const F = window.__liveChart.frames.get(location.pathname + '|' + chart).get(slider);
  const gd = document.querySelector('.st-key-p3d-' + chart + ' .live-chart');
  // (plotly's own decoded arrays: a figure's arrays may arrive as typed-array specs {dtype, bdata})
  const arr = (t, k) => Array.from((gd._fullData[t] && gd._fullData[t][k]) || []);
  return JSON.stringify(F.traces.map((t) => [arr(t, 'x'), arr(t, 'y'), gd.data[t].visible]))
    + JSON.stringify((gd.layout.annotations || []).map((a) => [a.x, a.y, a.ax, a.ay]));
}"""

STILL_JS = """([chart, i]) => { const gd = document.querySelector('.st-key-p3d-' + chart + ' .live-chart');
  const t = gd.data[i]; return JSON.stringify([t.type, Array.from(t.x || []).length, t.z ? t.z.length : 0,
                                               JSON.stringify(t.z || t.y || []).length]); }"""


def _open(page, app_url, path, slider, charts, sent):
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(time.monotonic())))
    page.goto(app_url + path)
    for chart in charts:
        page.wait_for_function(
            """([c, s]) => { const G = window.__liveChart; const m = G && G.frames && G.frames.get(location.pathname + '|' + c);
               const gd = document.querySelector('.st-key-p3d-' + c + ' .live-chart');
               return !!(m && m.get(s) && gd && gd._fullLayout && gd.data && gd.data.length === m.get(s).ntraces); }""",
            arg=[chart, slider], timeout=120000)
    _settled(page)


def _reading(path, slider, v):
    """The LaTeX the page writes for the committed value (KaTeX keeps it in an annotation)."""
    return f"t = {v:.2f}" if slider == "t" else tex_number(v)


def _wait_reading(page, text):
    page.wait_for_function("s => Array.from(document.querySelectorAll('annotation'))"
                           ".some((a) => a.textContent.includes(s))", arg=text, timeout=60000)


@pytest.mark.parametrize("path,slider,charts,still,still_trace", CASES)
def test_a_slow_drag_moves_the_charts_before_release_and_commits_on_release(page, app_url, path, slider, charts,
                                                                           still, still_trace):
    sent = []
    _open(page, app_url, path, slider, charts, sent)
    page.wait_for_timeout(500)
    still_before = page.evaluate(STILL_JS, [still, still_trace])

    def contour_still():
        assert page.evaluate(STILL_JS, [still, still_trace]) == still_before, "the contour never moves in a frame"
    d = slow_drag(page, slider, sent, charts, STATE_JS, want_steps=40, min_px=2.0, each=contour_still)
    before, dragged_to, step, states, n_sent, during = d.before, d.dragged_to, d.step, d.states, d.n_sent, d.during
    assert during == 0, f"{during} websocket messages were sent during the drag"
    assert abs(dragged_to - before) >= 8 * step - 1e-9, (before, dragged_to)
    for c in charts:
        assert len(states[c]) >= 8, f"only {len(states[c])} different pictures of {c} during the drag of {slider}"
        assert d.drawn[c] >= 8
    # release commits: a message goes out, the URL and the readings show the new value
    deadline = time.monotonic() + 60
    while len(sent) == n_sent and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(sent) > n_sent, "release sent nothing"
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('{slider}') !== null && "
                           f"Math.abs(parseFloat(new URLSearchParams(location.search).get('{slider}')) - {dragged_to}) < 1e-9",
                           timeout=60000)
    _settled(page)
    _wait_reading(page, _reading(path, slider, dragged_to))
    if path == "regression":     # the descent path hidden during the drag is drawn again, from the new start
        page.wait_for_function(
            "v => { const gd = document.querySelector('.st-key-p3d-landscape .live-chart');"
            " const p = gd.data[1]; return p.visible !== false && p.mode === 'lines+markers'; }",
            arg=dragged_to, timeout=60000)


@pytest.mark.parametrize("path,slider,charts,still,still_trace", CASES)
def test_arrow_keys_move_the_value_and_the_charts(page, app_url, path, slider, charts, still, still_trace):
    sent = []
    _open(page, app_url, path, slider, charts, sent)
    rng = page.locator(f".st-key-{slider} input[type=range]").first
    step = float(rng.get_attribute("step"))
    before = _value(page, slider)
    pictures = {c: page.evaluate(STATE_JS, [c, slider]) for c in charts}
    drawn = {c: _frames_drawn(page, c) for c in charts}
    rng.focus()
    key = "ArrowLeft" if before + step > float(rng.get_attribute("max")) else "ArrowRight"
    want = before + (step if key == "ArrowRight" else -step)
    page.keyboard.press(key)
    page.wait_for_function(f"v => Math.abs(parseFloat(document.querySelector('.st-key-{slider} input[type=range]')"
                           ".getAttribute('value')) - v) < 1e-9", arg=want)
    for c in charts:          # the frame is drawn at once, before the rerun's figure
        page.wait_for_function(f"n => +document.querySelector('.st-key-p3d-{c} .live-chart').dataset"
                               ".liveChartDragFrames > n", arg=drawn[c], timeout=30000)
        assert page.evaluate(STATE_JS, [c, slider]) != pictures[c]
    page.wait_for_function(f"v => Math.abs(parseFloat(new URLSearchParams(location.search).get('{slider}')) - v) < 1e-9",
                           arg=want, timeout=60000)
    _settled(page)
    _wait_reading(page, _reading(path, slider, want))
