"""An unchanged 3D surface is not rebuilt (speed, issues #19 and #17): plotly.js's gl3d scene calls
update() on every trace whenever anything in the figure changes, and rebuilding a surface's mesh and
contour lines cost ~23 ms of every drag frame and rerun here. The chart code (``keepStill3D`` in
ui/live_chart_js/live_chart.js) skips the rebuild of a surface whose input trace and scene scale are
unchanged. These tests count the surface objects' real rebuilds in the browser: none for the function's
surface while y₀ is dragged and released, one per frame for the moving cutting plane, and a rebuild
(with the new numbers) when the function's window changes."""
from __future__ import annotations

import time

from helpers import slow_drag, wait_for_app, wait_until_not_running

STATE_JS = """([chart, slider]) => { const gd = document.querySelector('.st-key-p3d-' + chart + ' .live-chart');
  return JSON.stringify(gd.data.map((t) => t.type === 'scatter3d' ? [Array.from(t.x), Array.from(t.y)] : null)); }"""

# Count every real rebuild of each surface object of the surface chart (the prototype's update, which
# keepStill3D's own-property wrapper calls only when the surface must be rebuilt).
COUNT_JS = """() => { const gd = document.querySelector('.st-key-p3d-surf3d .live-chart');
  const sc = gd._fullLayout.scene._scene; const names = [];
  Object.values(sc.traces).forEach((o) => { if (o.data.type !== 'surface') return;
    const pr = Object.getPrototypeOf(o);
    if (!pr.__counting) { const real = pr.update;
      pr.update = function (d) { this.__rebuilds = (this.__rebuilds || 0) + 1; return real.call(this, d); };
      pr.__counting = true; }
    o.__rebuilds = 0; names.push(o.data.name); });
  return names; }"""

REBUILDS_JS = """() => { const gd = document.querySelector('.st-key-p3d-surf3d .live-chart');
  const sc = gd._fullLayout.scene._scene; const out = {};
  Object.values(sc.traces).forEach((o) => { if (o.data.type === 'surface')
    out[o.data.name] = {n: o.__rebuilds || 0, current: gd._fullData.includes(o.data),
                        z0: Array.from(o.data.z[0]).slice(0, 3), own: Object.prototype.hasOwnProperty.call(o, 'update')}; });
  return out; }"""


def _open(page, app_url, sent):
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(time.monotonic())))
    page.goto(app_url + "multivariate")
    page.wait_for_function("""() => { const G = window.__liveChart; const m = G && G.frames && G.frames.get(location.pathname + '|surf3d');
        const gd = document.querySelector('.st-key-p3d-surf3d .live-chart');
        return !!(m && m.get('y0') && gd && gd._fullLayout && gd._fullLayout.scene._scene); }""", timeout=90000)
    wait_for_app(page)


def test_the_function_surface_is_not_rebuilt_while_a_point_moves_but_is_when_it_changes(page, app_url):
    sent = []
    _open(page, app_url, sent)
    names = page.evaluate(COUNT_JS)
    assert "f(x, y)" in names and len(names) >= 3, names     # the function and the two planes x = x₀, y = y₀
    d = slow_drag(page, "y0", sent, ["surf3d"], STATE_JS)
    assert d.during == 0 and d.drawn["surf3d"] >= 8 and len(d.states["surf3d"]) >= 8, (d.during, d.drawn)
    wait_until_not_running(page)
    page.wait_for_function(f"() => Math.abs(parseFloat(new URLSearchParams(location.search).get('y0')) - {d.dragged_to})"
                           " < 1e-9", timeout=60000)
    wait_for_app(page)
    r = page.evaluate(REBUILDS_JS)
    f = r.pop("f(x, y)")
    # the drag frames and the release rerun left the function's surface as it was ...
    assert f["n"] == 0, f"the unchanged surface was rebuilt {f['n']} times during a y0 drag and its release"
    assert f["current"], "the surface object does not hold the figure's current trace"
    assert not f["own"], "the skipping wrapper was left on the surface object"
    # ... while the cutting plane y = y0, which moves, was rebuilt at every frame
    assert max(p["n"] for p in r.values()) >= d.drawn["surf3d"], (r, d.drawn)
    # a new window changes the surface's numbers: it is rebuilt, with them
    before = f["z0"]
    box = page.get_by_label("x from", exact=True)
    box.fill("-1")
    box.press("Enter")
    wait_for_app(page)
    page.wait_for_function("""() => { const gd = document.querySelector('.st-key-p3d-surf3d .live-chart');
        return Math.abs(gd._fullData[0].x[0] + 1) < 1e-9; }""", timeout=60000)
    wait_for_app(page)
    f2 = page.evaluate(REBUILDS_JS)["f(x, y)"]
    assert f2["n"] >= 1 and f2["current"], f2
    assert f2["z0"] != before, (before, f2["z0"])
