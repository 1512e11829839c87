"""The chart code's rule for not rebuilding an unchanged 3D surface (``keepStill3D`` in
ui/live_chart_js/live_chart.js), run by node on stand-ins for plotly's scene objects: a surface whose
input trace is unchanged is not rebuilt while its scene's data scale is the one it was drawn at; it IS
rebuilt when the scale changes, when its trace is one that moves, or before its scale is known; other
trace types are always updated; the wrapper is gone after the call, even when the call throws."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from helpers import ROOT

CHART_JS = ROOT / "ui" / "live_chart_js" / "live_chart.js"

SCENARIOS = r"""
function Surface(type) { this.data = { type, z: [1] }; this.rebuilt = 0; }
Surface.prototype.update = function (d) { this.rebuilt += 1; this.data = d; };
function scene() {
  const sc = { dataScale: [1, 1, 1], traces: { a: new Surface("surface"), b: new Surface("scatter3d"), c: new Surface("surface") } };
  const gd = { _fullLayout: { _subplots: { gl3d: ["scene"] }, scene: { _scene: sc } },
               _fullData: [{ uid: "a", type: "surface" }, { uid: "b", type: "scatter3d" }, { uid: "c", type: "surface" }] };
  return { sc, gd };
}
// what plotly's scene.plot does inside a plotly call: maybe a new scale, then update() on every trace
const plot = (sc, scale) => () => { if (scale) sc.dataScale = scale; for (const k of Object.keys(sc.traces)) sc.traces[k].update({ type: sc.traces[k].data.type, z: [2] }); };
const out = {};
let { sc, gd } = scene();
keepStill3D(gd, new Set([0, 1, 2]), plot(sc));                 // scale not known yet: all rebuilt
out.first = [sc.traces.a.rebuilt, sc.traces.b.rebuilt, sc.traces.c.rebuilt];
keepStill3D(gd, new Set([0, 1]), plot(sc));                    // a still, c moves, b is no surface
out.second = [sc.traces.a.rebuilt, sc.traces.b.rebuilt, sc.traces.c.rebuilt, sc.traces.a.data.z[0]];
keepStill3D(gd, new Set([0, 1, 2]), plot(sc, [1, 1, 0.5]));    // the scale changed: rebuilt
out.third = [sc.traces.a.rebuilt, sc.traces.c.rebuilt];
keepStill3D(gd, new Set([0, 2]), plot(sc));                    // same scale again: skipped
out.fourth = [sc.traces.a.rebuilt, sc.traces.c.rebuilt];
out.own = Object.keys(sc.traces).filter((k) => Object.prototype.hasOwnProperty.call(sc.traces[k], "update"));
try { keepStill3D(gd, new Set([0]), () => { throw new Error("boom"); }); } catch (e) { out.threw = e.message; }
out.ownAfterThrow = Object.keys(sc.traces).filter((k) => Object.prototype.hasOwnProperty.call(sc.traces[k], "update"));
const noScene = { _fullLayout: { _subplots: {} }, _fullData: [] };
out.plain = keepStill3D(noScene, new Set([0]), () => 42);
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_an_unchanged_surface_is_rebuilt_only_when_its_scale_or_data_change(tmp_path):
    src = CHART_JS.read_text(encoding="utf-8")
    parts = [re.search(r"^const HEAVY_3D = .*?;\n", src, re.M)]
    parts += [re.search(rf"^function {name}\(.*?\n^\}}\n", src, re.S | re.M) for name in ("sceneIds", "scenesOf", "noteScales", "keepStill3D")]
    assert all(parts), "HEAVY_3D, sceneIds, scenesOf, noteScales or keepStill3D not found in live_chart.js"
    script = tmp_path / "run.js"
    script.write_text("".join(p.group(0) for p in parts) + SCENARIOS, encoding="utf-8")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["first"] == [1, 1, 1]
    assert r["second"] == [1, 2, 2, 2], "a still surface must take the new trace object but not be rebuilt"
    assert r["third"] == [2, 3]
    assert r["fourth"] == [2, 3]
    assert r["own"] == [] and r["ownAfterThrow"] == [] and r["threw"] == "boom"
    assert r["plain"] == 42
