"""ui.live_chart / ui.chart3d in a real browser: a turned 3D view survives a slider step.

A tiny throwaway app (a 3D surface whose height follows a slider, drawn with ``ui.chart3d``) runs
under ``streamlit run`` on a free port; Playwright drags the chart to turn it, steps the slider
with the keyboard, and checks that the camera is where the user left it while the surface itself
did change.  Also checks what the rest of the project relies on: the plot div is in the main
document (the probe's ``document.querySelectorAll('.js-plotly-plot')`` finds it), plotly.js comes
from the app server (no CDN) and is fetched once, not re-sent with each rerun.
"""
from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest

from ui import live_chart

ROOT = Path(__file__).resolve().parents[2]

APP = '''
import sys
sys.path.insert(0, {root!r})
import numpy as np, plotly.graph_objects as go, streamlit as st
import ui
a = st.slider("height a", 0.0, 5.0, 1.0, 0.1, key="a")
x = np.linspace(-2, 2, 30)
X, Y = np.meshgrid(x, x)
fig = go.Figure(go.Surface(x=x, y=x, z=np.round(a * (X ** 2 - Y ** 2), 4)))
fig.update_layout(height=420, title="saddle")
ui.chart3d(fig, key="surf")
st.write("a is", a)
'''

CAMERA = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(gd =>
  Object.keys(gd._fullLayout || {}).filter(k => /^scene\\d*$/.test(k)).map(k => gd._fullLayout[k].camera.eye))"""
ZMAX = """() => { const gd = document.querySelector('.js-plotly-plot');
  return Math.max(...gd._fullData[0].z.map(r => Math.max(...r))); }"""


@pytest.fixture(scope="module")
def tiny_app(tmp_path_factory):
    from conftest import streamlit_server
    folder = tmp_path_factory.mktemp("live_chart_app")
    (folder / "app.py").write_text(APP.format(root=str(ROOT)))
    with streamlit_server("app.py", cwd=folder) as url:
        yield url


# ---------------------------------------------------------------------------------------------
# Without a browser
def test_payload_carries_figure_options_and_height():
    fig = go.Figure(go.Surface(z=[[1, 2], [3, 4]]))
    fig.update_layout(height=380)
    data, h, w = live_chart.payload(fig, "k", config={"displaylogo": False})
    head, spec = data.decode().split("\n", 1)
    meta = json.loads(head)
    assert h == 380 and w is None and meta["height"] == 380 and meta["key"] == "k"
    assert meta["asset"] == "component/ui.live_chart.plotlyjs/plotly.min.js"
    assert json.loads(spec)["data"][0]["type"] == "surface"
    # defaults as st.plotly_chart: 450 px tall; "content" width = the figure's or 700
    _, h, w = live_chart.payload(go.Figure(go.Surface(z=[[1]])), "k", width="content")
    assert (h, w) == (450, 700)
    _, h, w = live_chart.payload(go.Figure(), "k", width=500, height=300)
    assert (h, w) == (300, 500)


def test_plotly_js_is_the_local_file():
    assert (live_chart.PLOTLY_DIR / live_chart.PLOTLY_FILE).stat().st_size > 1_000_000
    assert "cdn" not in live_chart.JS.lower() or "no cdn" in live_chart.JS.lower()


# ---------------------------------------------------------------------------------------------
# In a browser
@pytest.mark.browser
def test_turned_view_survives_a_slider_step_and_the_figure_updates(browser, tiny_app):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/component/ui.live_chart." in r.url and r.url.endswith(".js") else None)
    frames = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f) if f else 0)))
    try:
        page.goto(tiny_app)
        page.wait_for_function("() => { const gd = document.querySelector('.js-plotly-plot');"
                               " return gd && gd._fullLayout && gd._fullLayout.scene; }")
        page.wait_for_timeout(500)
        # the plot is in the main document, where the probe looks for it
        assert page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length") == 1
        eye0 = page.evaluate(CAMERA)[0]
        z0 = page.evaluate(ZMAX)

        gd = page.locator(".js-plotly-plot").first
        box = gd.bounding_box()
        assert box["height"] >= 400 and box["width"] > 600      # figure height, container width
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + 120, cy + 30, steps=8)
        page.mouse.up()
        page.wait_for_timeout(400)
        turned = page.evaluate(CAMERA)[0]
        assert any(abs(turned[k] - eye0[k]) > 0.05 for k in "xyz"), "the drag did not turn the view"

        frames.clear()
        slider = page.get_by_role("slider").first
        for _ in range(2):
            slider.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(150)
        page.wait_for_function("() => document.body.innerText.includes('a is 1.2')")
        page.wait_for_function(f"({ZMAX}).call() > {z0} + 0.3")    # the surface did update
        page.wait_for_timeout(500)
        after = page.evaluate(CAMERA)[0]
        assert all(abs(after[k] - turned[k]) < 1e-3 for k in "xyz"), (turned, after)
        assert page.evaluate(ZMAX) == pytest.approx(1.2 * 4, abs=0.01)
        assert page.locator('[data-testid="stException"]').count() == 0

        # plotly.js came from this server, once; a slider step sends the figure, not the bundle
        # plotly.js and the chart code, each fetched once from the app server (no CDN), never per rerun
        assert sorted(u.rsplit("/", 1)[-1] for u in fetched) == ["live_chart.js", "plotly.min.js"], fetched
        assert all(u.startswith(tiny_app) for u in fetched), fetched
        assert sum(frames) < 250_000, sum(frames)
        # Streamlit's theme was applied (no leftover placeholder colours like #000011)
        colorscale = page.evaluate("() => JSON.stringify(document.querySelector('.js-plotly-plot')._fullData[0].colorscale)")
        assert "#0000" not in colorscale
    finally:
        ctx.close()
