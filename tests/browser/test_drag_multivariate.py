"""Live dragging (issue #19) on the multivariate page: while x₀ or y₀ is dragged, the 3D surface's
point, plane and slice, the contour map's point and arrows and the slices chart follow the pointer
from frames computed in Python, with no message to the server until release; release commits the
value (URL, readings); the arrow keys move the value and the charts; a 3D view the learner turned
stays put through the drag and the release."""
from __future__ import annotations

import time

import pytest

from helpers import slider_value as _value, drag_frames_drawn as _frames_drawn, slow_drag, wait_until_not_running as _settled

CHARTS = ("fmap", "surf3d", "slices")

STATE_JS = """([chart, slider]) => {
  // the picture of the traces that move: their x, y and z, as text
  const G = window.__liveChart;
  const F = G.frames.get(location.pathname + '|' + chart).get(slider);
  const gd = document.querySelector('.st-key-p3d-' + chart + ' .live-chart');
  return JSON.stringify(F.traces.map((t) => [Array.from(gd.data[t].x || []).flat(), Array.from(gd.data[t].y || []).flat(),
                                               Array.from(gd.data[t].z || []).flat()]));
}"""

CAMERA_JS = """() => { const gd = document.querySelector('.st-key-p3d-surf3d .live-chart');
  return gd._fullLayout.scene.camera.eye; }"""


def _open(page, app_url, sent):
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(time.monotonic())))
    page.goto(app_url + "multivariate")
    for slider in ("x0", "y0"):
        for chart in CHARTS:
            page.wait_for_function(
                """([c, s]) => { const G = window.__liveChart; const m = G && G.frames && G.frames.get(location.pathname + '|' + c);
                   const gd = document.querySelector('.st-key-p3d-' + c + ' .live-chart');
                   return !!(m && m.get(s) && gd && gd._fullLayout && gd.data && gd.data.length === m.get(s).ntraces); }""",
                arg=[chart, slider], timeout=90000)
    _settled(page)


def _point_at(page, chart, x0, y0):
    """The chart's committed point (trace named like '(x₀, y₀...') sits at (x0, y0)."""
    page.wait_for_function(
        """([c, x, y]) => { const gd = document.querySelector('.st-key-p3d-' + c + ' .live-chart');
           const t = gd && gd.data && gd.data.find((d) => (d.name || '').startsWith('(x₀, y₀'));
           return !!t && Math.abs(t.x[0] - x) < 1e-6 && Math.abs(t.y[0] - y) < 1e-6; }""",
        arg=[chart, x0, y0], timeout=60000)


def _drag(page, slider, sent, charts=CHARTS):
    """A slow drag (~2 s, 25 moves) of ``slider``; returns (value before, value at release, the
    different pictures of each chart, websocket messages sent during the drag, frames drawn)."""
    d = slow_drag(page, slider, sent, charts, STATE_JS)
    return d.before, d.dragged_to, d.step, d.states, d.during, d.drawn, d.n_sent


def _turn_view(page) -> tuple[dict, float]:
    """Turn the 3D surface chart with the mouse, as a learner does (plotly records that as the user's
    view); returns the camera's eye afterwards and the chart's width."""
    gd = page.locator(".st-key-p3d-surf3d .live-chart").first
    gd.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    box = gd.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    start = page.evaluate(CAMERA_JS)
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 30, steps=8)
    page.mouse.up()
    page.wait_for_function("s => { const e = document.querySelector('.st-key-p3d-surf3d .live-chart')"
                           "._fullLayout.scene.camera.eye; return Math.abs(e.x - s.x) > 0.1; }", arg=start)
    return page.evaluate(CAMERA_JS), box["width"]


@pytest.mark.parametrize("slider", ["x0", "y0"])
def test_a_slow_drag_moves_the_point_in_every_chart_and_commits_on_release(page, app_url, slider):
    sent = []
    _open(page, app_url, sent)
    other = _value(page, "y0" if slider == "x0" else "x0")
    before, dragged_to, step, states, during, drawn, n_sent = _drag(page, slider, sent)
    assert during == 0, f"{during} websocket messages were sent during the drag"
    assert abs(dragged_to - before) >= 8 * step - 1e-9, (before, dragged_to)
    for c in CHARTS:
        assert len(states[c]) >= 8, f"{c}: only {len(states[c])} different pictures during the drag of {slider}"
        assert drawn[c] >= 8, (c, drawn[c])
        # the budget (a benchmark, not asserted on a shared machine): pointer move -> frame drawn
        ms = page.evaluate(f"() => document.querySelector('.st-key-p3d-{c} .live-chart').__liveChartDragMs || []")
        print(f"{slider} {c}: {len(ms)} frames, median {sorted(ms)[len(ms) // 2]:.1f} ms from pointer move to drawn")
    # release commits: a message goes out, the URL, the reading and every chart's point show the new value
    deadline = time.monotonic() + 60
    while len(sent) == n_sent and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(sent) > n_sent, "release sent nothing"
    page.wait_for_function(f"() => Math.abs(parseFloat(new URLSearchParams(location.search).get('{slider}')) - "
                           f"{dragged_to}) < 1e-9", timeout=60000)
    _settled(page)
    x0, y0 = (dragged_to, other) if slider == "x0" else (other, dragged_to)
    for chart in ("fmap", "surf3d"):
        _point_at(page, chart, x0, y0)
    reading = page.locator("[data-testid=stAlert]").filter(has_text="f(x").first.inner_text()
    assert f"{x0:g}" in reading.replace("−", "-") and f"{y0:g}" in reading.replace("−", "-"), reading


def test_a_turned_3d_view_survives_the_drag_and_the_release(page, app_url):
    sent = []
    _open(page, app_url, sent)
    # turned as a learner turns it, with the mouse: plotly records that as the user's view, which
    # uirevision keeps through later Plotly.react calls. (A camera set by Plotly.relayout is not
    # recorded so: the core's plain rerun, a toggle, resets it too, frames or not.)
    turned, _ = _turn_view(page)
    _, dragged_to, _, states, during, drawn, _ = _drag(page, "x0", sent, charts=("surf3d",))
    assert during == 0 and drawn["surf3d"] >= 8 and len(states["surf3d"]) >= 8
    mid = page.evaluate(CAMERA_JS)
    page.wait_for_function(f"() => Math.abs(parseFloat(new URLSearchParams(location.search).get('x0')) - "
                           f"{dragged_to}) < 1e-9", timeout=60000)
    _settled(page)
    _point_at(page, "surf3d", dragged_to, _value(page, "y0"))
    after = page.evaluate(CAMERA_JS)
    for when, cam in (("during the drag", mid), ("after the release", after)):
        assert all(abs(cam[k] - turned[k]) < 1e-6 for k in "xyz"), (when, turned, cam)


def test_arrow_keys_move_the_value_and_the_charts(page, app_url):
    sent = []
    _open(page, app_url, sent)
    rng = page.locator(".st-key-y0 input[type=range]").first
    before = _value(page, "y0")
    step = float(rng.get_attribute("step"))
    pictures = {c: page.evaluate(STATE_JS, [c, "y0"]) for c in CHARTS}
    drawn = {c: _frames_drawn(page, c) for c in CHARTS}
    rng.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("v => Math.abs(parseFloat(document.querySelector('.st-key-y0 input[type=range]')"
                           ".getAttribute('value')) - v) < 1e-9", arg=before + step)
    for c in CHARTS:          # the frame is drawn at once, before the rerun's figure
        page.wait_for_function(f"n => +document.querySelector('.st-key-p3d-{c} .live-chart').dataset"
                               ".liveChartDragFrames > n", arg=drawn[c], timeout=30000)
        assert page.evaluate(STATE_JS, [c, "y0"]) != pictures[c], c
    page.wait_for_function(f"() => Math.abs(parseFloat(new URLSearchParams(location.search).get('y0')) - "
                           f"{before + step}) < 1e-9", timeout=60000)
    _settled(page)
    _point_at(page, "fmap", _value(page, "x0"), before + step)


def test_a_view_turned_after_reruns_survives_the_next_step_and_a_resize(page, app_url):
    """plotly's 3D scene saves a turned camera into the layout object the chart had when the scene was
    made; after a rerun (a new layout object) the next drag frame or resize redrew the default view.
    Here the view is turned after two reruns: a keyboard step (frame + rerun) and a window resize keep it."""
    sent = []
    _open(page, app_url, sent)
    rng = page.locator(".st-key-x0 input[type=range]").first
    for _ in range(2):                                   # two reruns: the chart's layout object is replaced
        before = _value(page, "x0")
        rng.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => Math.abs(parseFloat(new URLSearchParams(location.search).get('x0')) - "
                               f"{before + 0.05}) < 1e-6", timeout=60000)
        _settled(page)
        page.wait_for_timeout(500)
    turned, width = _turn_view(page)
    drawn = _frames_drawn(page, "surf3d")
    x0 = _value(page, "x0")
    rng.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("n => +document.querySelector('.st-key-p3d-surf3d .live-chart').dataset"
                           ".liveChartDragFrames > n", arg=drawn, timeout=30000)
    at_frame = page.evaluate(CAMERA_JS)
    page.wait_for_function(f"() => Math.abs(parseFloat(new URLSearchParams(location.search).get('x0')) - "
                           f"{x0 + 0.05}) < 1e-6", timeout=60000)
    _settled(page)
    _point_at(page, "surf3d", x0 + 0.05, _value(page, "y0"))
    after = page.evaluate(CAMERA_JS)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"] - 200, "height": size["height"]})
    page.wait_for_function("w => document.querySelector('.st-key-p3d-surf3d .live-chart')._fullLayout.width < w",
                           arg=width, timeout=30000)
    page.wait_for_timeout(500)
    resized = page.evaluate(CAMERA_JS)
    for when, cam in (("at the keyboard step's frame", at_frame), ("after its rerun", after), ("after a resize", resized)):
        assert all(abs(cam[k] - turned[k]) < 1e-6 for k in "xyz"), (when, turned, cam)
