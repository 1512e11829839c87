"""Drag frames (explorer.figures.frames, issue #19): what moves is kept, what does not is dropped,
numbers are rounded, long arrays are compact, and the derivatives page's frames are right."""
from __future__ import annotations

import base64
import dataclasses
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import orjson
import pytest
import sympy as sp

from explorer import derivatives as D
from explorer.figures import derivatives as F
from explorer.figures import fastfig
from explorer.figures.frames import frames_json, slider_frames, slider_values, spec_frames

ROOT = Path(__file__).resolve().parents[2]
CURVE_X = np.linspace(-3, 3, 301)


def build(v: float):
    """A static curve (301 points), a moving point, a moving 20-point segment and a moving title."""
    seg = np.linspace(v - 1, v + 1, 20)
    return fastfig.figure(
        [dict(x=CURVE_X, y=CURVE_X ** 2, mode="lines", line=dict(color="#1f5fbf")),
         dict(x=[v], y=[v * v], mode="markers", name=f"x = {v:.2f}", marker=dict(size=10)),
         dict(x=seg, y=2 * v * (seg - v) + v * v, mode="lines", line=dict(color="#d62728"))],
        dict(title=dict(text=f"at {v:.2f}", font=dict(size=13)), xaxis=dict(range=[-3, 3])), template=None)


def decode(v):
    if isinstance(v, dict) and v.get("dtype") == "q2":      # what drag.js does
        q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2")
        return np.where(q == -32768, np.nan, v["lo"] + v["step"] * q.astype(float))
    if isinstance(v, dict) and v.get("dtype") == "c":       # one number, n times
        return np.full(v["n"], np.nan if v["v"] is None else v["v"], dtype=float)
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def test_slider_values_are_the_positions_of_the_slider():
    xs = slider_values(-3.0, 3.0, 0.05)
    assert len(xs) == 121 and xs[0] == -3.0 and xs[-1] == 3.0 and xs[80] == 1.0
    assert slider_values(-8.0, 0.0, 0.25) == [-8.0 + 0.25 * i for i in range(33)]


def test_only_what_moves_is_kept():
    values = slider_values(-2.0, 2.0, 0.1)
    fr = slider_frames(build, values)
    assert fr["values"] == values and fr["ntraces"] == 3
    assert fr["traces"] == [1, 2], "the curve never moves: it is not in the frames"
    assert fr["paths"] == ["name", "x", "y"], "colours, modes and sizes do not move"
    assert [sorted(d) for d in fr["steps"][0]] == [["name", "x", "y"], ["x", "y"]]
    assert [list(lay) for lay in fr["layout"]] == [["title.text"]] * len(values), "the title text only"
    assert fr["layout"][5]["title.text"] == "at -1.50"
    # much smaller than the figures themselves (the 301-point curve is never repeated)
    whole = sum(len(fastfig.figure_json(build(v))) for v in values)
    assert len(frames_json(fr)) < whole / 5


def test_numbers_are_rounded_and_long_arrays_are_float32():
    values = [0.123456789, 1.0 / 3.0, 2.0]
    fr = slider_frames(build, values)
    point = fr["steps"][1][0]
    assert point["x"] == [0.33333] and point["y"] == [0.11111], "5 significant figures"
    seg = fr["steps"][1][1]["y"]
    assert seg["dtype"] == "q2", "a 20-point array travels as 16-bit steps"
    exact = 2 * (1 / 3) * (np.linspace(1 / 3 - 1, 1 / 3 + 1, 20) - 1 / 3) + 1 / 9
    spread = exact.max() - exact.min()
    assert np.max(np.abs(decode(seg) - exact)) <= spread / 131068 * 1.001
    assert len(base64.b64decode(seg["bdata"])) == 40


def test_quantised_arrays_keep_nan_and_constant_arrays():
    from explorer.figures.frames import encode
    a = np.array([1.0, np.nan, 3.0, np.inf, 2.0, 2.5, 1.5, 1.25])
    got = decode(encode(a))
    assert np.isnan(got[1]) and np.isnan(got[3])
    np.testing.assert_allclose(got[[0, 2, 4, 5, 6, 7]], a[[0, 2, 4, 5, 6, 7]], atol=2 / 131068 * 1.001)
    np.testing.assert_array_equal(decode(encode(np.full(9, 4.2))), np.full(9, 4.2))


def test_a_value_with_another_number_of_traces_hides_what_moves():
    def partial(v):
        fig = build(v)
        if v > 0.5:         # the segment is undefined there
            fastfig._spec(fig)["data"].pop()
        return fig
    fr = slider_frames(partial, [0.0, 0.25, 0.5, 1.0])
    assert fr["ntraces"] == 3 and "visible" in fr["paths"]
    assert fr["steps"][3] == [{"visible": False}, {"visible": False}], "no wrong picture: nothing shown"
    assert all(d["visible"] is True for d in fr["steps"][0])


def test_nan_becomes_null_and_the_bytes_are_deterministic():
    def nan_point(v):
        fig = build(v)
        fastfig._spec(fig)["data"][1]["y"] = [math.nan if v < 0 else v]
        return fig
    fr = slider_frames(nan_point, [-1.0, 1.0])
    assert fr["steps"][0][0]["y"] == [None] and fr["steps"][1][0]["y"] == [1.0]
    assert frames_json(fr) == frames_json(slider_frames(nan_point, [-1.0, 1.0]))
    orjson.loads(frames_json(fr))


@pytest.fixture(scope="module")
def sine():
    return "sin(x)", D.gradient_data("sin(x)", -3.0, 3.0)


def test_derivatives_x0_frames_match_the_secant_and_sympy(sine):
    text, g = sine
    xs = slider_values(-3.0, 3.0, 0.05)
    h = 10 ** -0.5
    fr = F.x0_frames(text, g, h, xs)
    sec = fr["secant"]
    assert 0 not in sec["traces"], "the curve f is not repeated in every frame"
    assert set(sec["traces"]) == {1, 2, 3}
    x = sp.Symbol("x")
    for k in (0, 40, 80, 120):
        x0 = xs[k]
        tri = dict(zip(sec["traces"], sec["steps"][k]))[3]      # run h, then rise
        f0, f1 = float(sp.sin(x0)), float(sp.sin(x0 + h))
        np.testing.assert_allclose(tri["x"], [x0, x0 + h, x0 + h], rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(tri["y"], [f0, f0, f1], rtol=1e-4, atol=1e-6)
        tangent = dict(zip(sec["traces"], sec["steps"][k]))[2]
        slope = float(sp.diff(sp.sin(x), x).subs(x, x0))
        assert "x" not in tangent, "the tangent spans the same x range at every x₀"
        np.testing.assert_allclose(np.diff(tangent["y"]) / 6.0, [slope], rtol=1e-3, atol=1e-3)
        shown = float(tangent["name"].split("= ")[-1].replace("−", "-"))     # the legend's reading
        assert math.isclose(shown, slope, rel_tol=1e-4, abs_tol=1e-5), (tangent["name"], slope)
    assert len(frames_json(sec)) < 80_000 and len(frames_json(fr["zoom"])) < 100_000


def test_derivatives_gradient_and_h_frames(sine):
    text, g = sine
    xs = slider_values(-3.0, 3.0, 0.05)
    fr = F.gradient_frames(text, g, xs)
    assert set(fr["traces"]) == {2, 3, 4} and fr["ntraces"] == 5, "tangent and the two markers"
    points = dict(zip(fr["traces"], fr["steps"][100]))
    assert points[3]["x"] == [xs[100]] and math.isclose(points[3]["y"][0], math.sin(xs[100]), rel_tol=1e-4)
    assert math.isclose(points[4]["y"][0], math.cos(xs[100]), rel_tol=1e-4), "f′(x₀) on the lower panel"
    assert fr["layout"][100]["shapes[0].x0"] == xs[100], "the dotted line at x₀, item by item"
    assert set(fr["layout"][100]) == {"shapes[0].x0", "shapes[0].x1"}, "not its colour or dash"
    logs = slider_values(-8.0, 0.0, 0.25)
    e = D.difference_errors(text, 1.0, breaks=g.breaks)
    hf = F.h_frames(text, g, 1.0, logs, e)
    assert set(hf) == {"secant", "zoom", "errors"}
    lay = hf["errors"]["layout"][4]
    assert hf["errors"]["traces"] == [] and set(lay) == {"annotations[0].text", "annotations[0].x",
                                                         "shapes[0].x0", "shapes[0].x1"}
    assert math.isclose(lay["shapes[0].x0"], 10 ** logs[4], rel_tol=1e-4)
    assert math.isclose(lay["annotations[0].x"], logs[4], abs_tol=1e-9) and lay["annotations[0].text"] == "your h = 1×10⁻⁷"


# --- the fast path: every slider position at once (spec_frames) gives the same frames -------------
def _generic_x0(text, g, h, values):
    """The x₀ frames the straightforward way: a whole figure per position (slider_frames)."""
    e = F._ends(g)
    return {"secant": slider_frames(lambda v: F.secant_figure(e.x, e.f, D.secant(text, v, h, g.breaks), g.f_range),
                                    values),
            "zoom": slider_frames(lambda v: F.zoom_figure(text, D.secant(text, v, h, g.breaks), g.breaks,
                                                          points=F.ZOOM_FRAME_POINTS, on_grid=True) or F._EMPTY, values)}


def _generic_h(text, g, x0, values, errors):
    e = F._ends(g)
    stub = dataclasses.replace(errors, hs=errors.hs[:2], forward=errors.forward[:2], central=errors.central[:2])
    return {"secant": slider_frames(lambda v: F.secant_figure(e.x, e.f, D.secant(text, x0, 10.0 ** v, g.breaks),
                                                              g.f_range), values),
            "zoom": slider_frames(lambda v: F.zoom_figure(text, D.secant(text, x0, 10.0 ** v, g.breaks), g.breaks,
                                                          points=F.ZOOM_FRAME_POINTS, on_grid=True) or F._EMPTY, values),
            "errors": slider_frames(lambda v: F.errors_figure(stub, 10.0 ** v), values)}


@pytest.mark.parametrize("text, x0, logh", [
    ("x^2", 1.0, -0.5),          # the page's first picture
    ("sin(x^2)", -2.95, -3.0),
    ("1/x", 0.05, 0.0),          # a pole inside the zoom window (a gap in the line), no picture at x₀ = 0
    ("abs(x)", 0.0, -0.25),      # a corner: no tangent at 0 (the secant chart has a trace fewer there)
    ("sign(x)", 0.0, -2.0),      # a jump
    ("ln(x)", 1.0, -0.5),        # undefined left of 0: no secant, no zoom
    ("tan(x)", 1.2, 0.0),        # poles found from the samples
    ("5", 0.0, -8.0),            # a constant: nothing but the triangle moves
])
def test_fast_frames_are_the_frames_of_the_whole_figures(text, x0, logh):
    """x0_frames / h_frames compute every position at once with numpy; byte for byte they are the
    frames slider_frames makes from secant_figure, zoom_figure and errors_figure at each position."""
    g = D.gradient_data(text, -3.0, 3.0)
    xs, logs = slider_values(-3.0, 3.0, 0.05), slider_values(-8.0, 0.0, 0.25)
    e = D.difference_errors(text, x0, breaks=g.breaks)
    fast_x0, slow_x0 = F.x0_frames(text, g, 10.0 ** logh, xs), _generic_x0(text, g, 10.0 ** logh, xs)
    assert fast_x0.keys() == slow_x0.keys() == {"secant", "zoom"}
    for k in slow_x0:
        assert frames_json(fast_x0[k]) == frames_json(slow_x0[k]), (text, "x0", k)
    fast_h = F.h_frames(text, g, x0, logs, e)
    slow_h = _generic_h(text, g, x0, logs, e)
    if not e.ok:
        del slow_h["errors"]
    assert fast_h.keys() == slow_h.keys()
    for k in slow_h:
        assert frames_json(fast_h[k]) == frames_json(slow_h[k]), (text, "h", k)
    # and they are real frames: the secant moves, every row has one entry per moving trace
    assert fast_x0["secant"]["traces"] and fast_h["secant"]["traces"]
    for fr in (*fast_x0.values(), *fast_h.values()):
        assert len(fr["steps"]) == len(fr["values"]) and all(len(row) == len(fr["traces"]) for row in fr["steps"])


def test_fast_frames_hide_what_cannot_be_drawn():
    """ln x left of 0: no secant picture there, so every moving trace is hidden (not a wrong one)."""
    g = D.gradient_data("ln(x)", -3.0, 3.0)
    xs = slider_values(-3.0, 3.0, 0.05)
    fr = F.x0_frames("ln(x)", g, 10 ** -0.5, xs)
    left, right = xs.index(-1.0), xs.index(1.0)
    # more positions draw no secant (x₀ <= 0) than draw one, yet the secant is what moves
    assert fr["secant"]["ntraces"] == 4 and fr["secant"]["traces"] == [1, 2, 3]
    assert fr["secant"]["steps"][left] == [{"visible": False}] * 3
    assert all(d["visible"] is True for d in fr["secant"]["steps"][right])
    assert all(d == {"visible": False} for d in fr["zoom"]["steps"][left])
    assert all(d["visible"] is True for d in fr["zoom"]["steps"][right])
    curve = dict(zip(fr["zoom"]["traces"], fr["zoom"]["steps"][right]))[0]
    y = decode(curve["y"])                                  # ln(1 + u) - ln 1 on the window, 41 points
    u = np.linspace(-2.5 * 10 ** -0.5, 3.5 * 10 ** -0.5, F.ZOOM_FRAME_POINTS)
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(y, np.log(1 + u), atol=(np.nanmax(y) - np.nanmin(y)) / 131068 * 1.001 + 1e-6)


def test_plain_lists_with_nan_in_the_same_place_do_not_move():
    """A list with a gap (NaN) that is the same at every position is not sent again (fast compare)."""
    specs = [{"data": [{"x": [0.0, float("nan"), 2.0], "y": [v, v]}], "layout": {}} for v in (0.0, 1.0, 2.0)]
    fr = spec_frames(specs, [0.0, 1.0, 2.0])
    assert fr["paths"] == ["y"] and fr["steps"][2] == [{"y": [2.0, 2.0]}]


def test_quantised_arrays_travel_as_short_numbers():
    a = np.linspace(0.6031410098075867, 1.7, 41) ** 2
    q = slider_frames(lambda v: fastfig.figure([dict(x=CURVE_X[:41], y=a + v)], {}, template=None), [0.0, 0.1])
    d = q["steps"][1][0]["y"]
    assert len(repr(d["lo"])) <= 10 and len(repr(d["step"])) <= 11, d
    assert np.max(np.abs(decode(d) - (a + 0.1))) <= np.ptp(a) / 131068 * 1.00015


def test_zoom_frames_keep_their_x_across_a_pole():
    """1/x: where the zoom window holds the pole, the frame blanks the sample nearest it (no stroke
    joining +big and −big) instead of adding one, so the samples' x never moves and is not resent
    in every frame."""
    g = D.gradient_data("1/x", -3.0, 3.0)
    xs = slider_values(-3.0, 3.0, 0.05)
    zoom = F.x0_frames("1/x", g, 10 ** -0.5, xs)["zoom"]
    curve = zoom["traces"].index(0)
    assert "x" not in zoom["steps"][xs.index(1.0)][curve], "the curve's x is the same grid at every x₀"
    k = xs.index(0.5)                       # window 0.5 − 0.79 … 0.5 + 1.1 holds the pole at 0
    y = decode(zoom["steps"][k][curve]["y"]) + 1 / 0.5
    u = np.linspace(-2.5 * 10 ** -0.5, 3.5 * 10 ** -0.5, F.ZOOM_FRAME_POINTS)
    x = 0.5 + u
    gap = np.nonzero(np.isnan(y))[0]
    assert len(gap) == 1 and x[gap[0] - 1] < 0 < x[gap[0] + 1]
    ok = np.isfinite(y)
    np.testing.assert_allclose(y[ok], 1 / x[ok], rtol=1e-3, atol=(np.nanmax(y) - np.nanmin(y)) / 131068 * 1.001)
    assert len(frames_json(zoom)) < 50_000


# --- constant arrays: one number and a length ({"dtype": "c"}) -------------------------------------

def test_an_array_of_one_repeated_number_travels_as_that_number_and_its_length():
    from explorer.figures.frames import decode as fdecode, encode
    assert encode(np.full(9, 4.2)) == {"dtype": "c", "v": 4.2, "n": 9}
    assert encode(np.full(300, 1 / 3)) == {"dtype": "c", "v": 0.33333, "n": 300}, "rounded like every number"
    assert encode([2] * 8) == {"dtype": "c", "v": 2.0, "n": 8}
    assert encode(np.full(8, np.nan)) == {"dtype": "c", "v": None, "n": 8}, "all gaps"
    assert encode([math.inf, -math.inf, None] * 3) == {"dtype": "c", "v": None, "n": 9}
    assert encode(np.full(7, 4.2)) == [4.2] * 7, "shorter than LONG: a plain list, as before"
    gap = np.full(9, 2.0)
    gap[4] = np.nan
    assert encode(gap)["dtype"] == "q2", "a gap among equal numbers is not constant"
    assert encode(np.linspace(0, 1, 9))["dtype"] == "q2", "other arrays: 16-bit steps, as before"
    assert fdecode(encode(np.full(9, 4.2))) == [4.2] * 9
    assert fdecode(encode(np.full(8, np.nan))) == [None] * 8
    # a few bytes instead of ~2.7 a number
    assert len(orjson.dumps(encode(np.full(1000, -1.25)))) < 40
    assert len(orjson.dumps(frames_mod()._quantised(np.full(1000, -1.25)))) > 2600


def frames_mod():
    from explorer.figures import frames
    return frames


def test_frames_decode_is_the_decoder_of_the_tests_for_both_forms():
    from explorer.figures.frames import decode as fdecode, encode
    rng = np.random.default_rng(7)
    for a in (rng.normal(size=50), np.full(12, -0.5), np.r_[rng.normal(size=10), np.nan]):
        got = np.array([np.nan if x is None else x for x in fdecode(encode(a))], dtype=float)
        np.testing.assert_array_equal(got, decode(encode(a)))
    nested = {"x": [np.full(10, 3.0), [1.0, 2.0]], "y": np.arange(10.0)}
    out = fdecode(encode(nested))
    assert out["x"][0] == [3.0] * 10 and out["x"][1] == [1.0, 2.0]
    np.testing.assert_allclose(out["y"], np.arange(10.0), atol=9 / 131068 * 1.001)


def test_a_slice_curve_s_constant_coordinate_moves_as_one_number():
    """A 3D curve along x = v (a slice of a surface): its x is the same number at every point."""
    ys = np.linspace(-2, 2, 200)

    def build3d(v):
        return {"data": [dict(type="surface", z=[[0.0, 1.0], [1.0, 0.0]]),
                         dict(type="scatter3d", x=np.full(200, v), y=ys, z=np.sin(v + ys), mode="lines")],
                "layout": {}}
    values = slider_values(-2.0, 2.0, 0.05)
    fr = slider_frames(build3d, values)
    assert fr["traces"] == [1] and fr["paths"] == ["x", "z"], "y never moves"
    for k in (0, 17, 40, 80):
        assert fr["steps"][k][0]["x"] == {"dtype": "c", "v": round(values[k], 10), "n": 200}
        np.testing.assert_allclose(decode(fr["steps"][k][0]["z"]), np.sin(values[k] + ys), atol=2 / 131068 * 1.01)
    # against the same frames with the constant coordinate as 16-bit steps (the previous encoding)
    old = sum(len(orjson.dumps(frames_mod()._quantised(np.full(200, v)))) for v in values)
    new = sum(len(orjson.dumps(fr["steps"][k][0]["x"])) for k in range(len(values)))
    assert new < old / 10


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_chart_code_decodes_both_forms_as_python_does(tmp_path):
    """``decode`` of ui/live_chart_js/live_chart.js, run by node, against ``frames.decode``."""
    from explorer.figures.frames import decode as fdecode, encode
    src = (ROOT / "ui" / "live_chart_js" / "live_chart.js").read_text(encoding="utf-8")
    m = re.search(r"^function decode\(v\) \{\n.*?^\}\n", src, re.S | re.M)
    assert m, "decode() not found in live_chart.js"
    values = [encode(np.full(9, 4.2)), encode(np.full(8, np.nan)), encode(np.linspace(-1, 3, 11)),
              encode(np.r_[np.arange(9.0), np.nan]), {"x": encode(np.full(20, -0.75)), "name": "a"},
              [encode(np.full(3, 1.0)), encode(np.zeros(8))]]
    (tmp_path / "in.json").write_bytes(orjson.dumps(values))
    script = tmp_path / "run.mjs"
    script.write_text(m.group(0) + "\nimport fs from 'node:fs';\n"
                      f"const v = JSON.parse(fs.readFileSync({json.dumps(str(tmp_path / 'in.json'))}, 'utf8'));\n"
                      "process.stdout.write(JSON.stringify(v.map(decode)));\n", encoding="utf-8")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == fdecode(orjson.loads(orjson.dumps(values)))


# --- the drag path of the chart code: one plotly call an animation frame, only what moves ---------

NODE_DRAG = r"""
globalThis.window = globalThis;
globalThis.location = { pathname: "/p", origin: "http://x" };
const rafs = [];
globalThis.requestAnimationFrame = (f) => { rafs.push(f); return rafs.length; };
globalThis.document = { addEventListener() {}, createElement() { return { style: {} }; },
                        head: { appendChild() {} }, body: {}, querySelectorAll() { return []; } };
globalThis.MutationObserver = class { observe() {} };
globalThis.HTMLInputElement = class {};
const calls = [];
const setPath = (o, p, v) => { const ks = p.replace(/\[(\d+)\]/g, ".$1").split("."); const last = ks.pop();
  for (const k of ks) o = o[k] = o[k] || {}; o[last] = v; };
const restyle = (gd, upd, idx) => { idx.forEach((t, j) => Object.entries(upd).forEach(([p, v]) => setPath(gd.data[t], p, v[j]))); };
globalThis.Plotly = {
  restyle(gd, upd, idx) { calls.push(["restyle", upd, idx]); restyle(gd, upd, idx); return Promise.resolve(gd); },
  relayout(gd, lay) { calls.push(["relayout", lay]); Object.entries(lay).forEach(([p, v]) => setPath(gd.layout, p, v)); return Promise.resolve(gd); },
  update(gd, upd, lay, idx) { calls.push(["update", upd, lay, idx]); restyle(gd, upd, idx);
    Object.entries(lay).forEach(([p, v]) => setPath(gd.layout, p, v)); return Promise.resolve(gd); },
};
__SOURCE__
const tick = async () => { const fs = rafs.splice(0); fs.forEach((f) => f()); await new Promise((r) => setTimeout(r, 0)); };
const gd = { _fullLayout: {}, isConnected: true, dataset: {},
  data: [{ x: [0, 1], y: [0, 1] }, { x: [0], y: [0] }, { x: [0, 1], y: [0, 0] }],
  layout: { title: { text: "<b>at A</b>" }, annotations: [{ x: 0, text: "p" }] } };
__t.chartDrawn(gd, "c");
__t.registerFrames({ kind: "frames", chart: "c", slider: "s" }, JSON.stringify(__FRAMES__), { isConnected: true });
const log = [];
const step = async (label, values) => { const n0 = calls.length, r0 = rafs.length;
  values.forEach((v) => __t.sliderMoved("s", v)); const scheduled = rafs.length - r0; await tick();
  log.push({ label, scheduled, calls: calls.slice(n0), y: gd.data[2].y, title: gd.layout.title.text,
             frames: +(gd.dataset.liveChartDragFrames || 0) }); };
await step("three moves in one animation frame", [0.2, 0.9, 1.1]);
await step("the same frame again", [1.2, 0.8]);
await step("traces and layout move", [2]);
await step("traces only", [3]);
process.stdout.write(JSON.stringify(log));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_drag_frame_restyles_the_moving_traces_and_touches_the_layout_only_when_it_changes(tmp_path):
    src = (ROOT / "ui" / "live_chart_js" / "live_chart.js").read_text(encoding="utf-8")
    assert "export default function (component)" in src
    src = src.replace("export default function (component)", "function __main(component)")
    src += "\nglobalThis.__t = { sliderMoved, registerFrames, chartDrawn };\n"

    def build_(v):        # trace 1 a point, trace 2 a constant 10-point line at height v; title moves at 2
        return fastfig.figure([dict(x=[0, 1], y=[0, 1]), dict(x=[v], y=[v]), dict(x=np.arange(10.0), y=np.full(10, v))],
                              dict(title=dict(text="at A" if v < 2 else "at B"), annotations=[dict(x=0, text="p")]),
                              template=None)
    fr = slider_frames(build_, [0.0, 1.0, 2.0, 3.0])
    assert fr["traces"] == [1, 2] and fr["steps"][1][1]["y"] == {"dtype": "c", "v": 1.0, "n": 10}
    script = tmp_path / "drag.mjs"
    script.write_text(NODE_DRAG.replace("__SOURCE__", src).replace("__FRAMES__", frames_json(fr).decode()),
                      encoding="utf-8")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    first, same, both, traces = json.loads(out.stdout)
    # three slider moves before the animation frame: one scheduled draw, the last value's frame only
    assert first["scheduled"] == 1 and len(first["calls"]) == 1 and first["frames"] == 1
    kind, upd, idx = first["calls"][0]
    assert kind == "restyle" and idx == [1, 2], "only the moving traces, no layout call (the title is shown)"
    assert upd["y"] == [[1.0], [1.0] * 10] and first["y"] == [1.0] * 10
    assert same["calls"] == [] and same["frames"] == 1, "the frame on screen is not drawn again"
    assert [c[0] for c in both["calls"]] == ["update"] and both["calls"][0][2] == {"title.text": "<b>at B</b>"}
    assert both["calls"][0][3] == [1, 2] and both["y"] == [2.0] * 10 and both["title"] == "<b>at B</b>"
    assert [c[0] for c in traces["calls"]] == ["restyle"] and traces["y"] == [3.0] * 10 and traces["frames"] == 3


# --- the fast paths give the very frames of the plain ones ------------------------------------------

def test_slider_values_come_from_a_cache_but_each_caller_gets_its_own_list():
    xs = slider_values(-4.0, 4.0, 0.05)
    assert len(xs) == 161 and xs[0] == -4.0 and xs[-1] == 4.0 and xs[100] == 1.0
    assert all(type(x) is float for x in xs)
    from explorer.numbers import round_sig
    assert xs == [float(round_sig(-4.0 + i * 0.05, 12)) for i in range(161)], "one value at a time, as before"
    xs.append(99.0)
    xs[0] = 7.0
    again = slider_values(-4.0, 4.0, 0.05)
    assert len(again) == 161 and again[0] == -4.0, "a caller changing its list changes no one else's"
    assert again is not slider_values(-4.0, 4.0, 0.05)
    assert slider_values(1, 9, 2) == [1.0, 3.0, 5.0, 7.0, 9.0] and slider_values(0.5, 0.5, 0.1) == [0.5]


def test_shared_objects_are_only_a_shortcut():
    """A trace (or a layout part) that is the same object at every value is skipped without a look;
    equal copies give the same frames, and a shared object that DIFFERS from the base still moves."""
    xs = np.linspace(0, 1, 30)
    curve = {"x": xs, "y": xs ** 2, "line": {"color": "#333"}}
    def specs(shared: bool):
        out = []
        for v in (0.0, 0.5, 1.0):
            c = curve if shared else {"x": xs.copy(), "y": xs ** 2, "line": {"color": "#333"}}
            out.append({"data": [c, {"x": [v], "y": [v * v], "marker": {"size": 9}}],
                        "layout": {"title": {"text": f"{v}"}, "template": curve["line"] if shared else {"color": "#333"}}})
        return out
    a, b = spec_frames(specs(True), [0.0, 0.5, 1.0]), spec_frames(specs(False), [0.0, 0.5, 1.0])
    assert frames_json(a) == frames_json(b)
    assert a["traces"] == [1] and a["paths"] == ["x", "y"] and [list(d) for d in a["layout"]] == [["title.text"]] * 3
    other = {"x": xs, "y": xs ** 3}          # shared by the later specs, not by the first (the base)
    sp = [{"data": [curve if k == 0 else other]} for k in range(3)]
    fr = spec_frames(sp, [0.0, 1.0, 2.0])
    assert fr["traces"] == [0] and fr["paths"] == ["line.color", "y"]
    assert fr["steps"][1][0]["line.color"] is None and fr["steps"][0][0]["line.color"] == "#333"


def test_long_arrays_of_all_positions_are_encoded_as_each_one_alone():
    from explorer.figures.frames import encode
    rng = np.random.default_rng(3)
    rows = [rng.normal(size=40) * 10.0 ** k for k in range(-3, 4)]
    rows += [np.full(40, 2.5), np.full(40, np.nan), np.where(np.arange(40) % 5 == 0, np.nan, rows[0]),
             np.r_[np.full(39, 1.0), np.inf], np.linspace(-1e300, 1e300, 40), np.zeros(40)]
    specs = [{"data": [{"y": r, "x": r[:3], "marker": {"size": float(k)}}]} for k, r in enumerate(rows)]
    fr = spec_frames(specs, list(range(len(rows))))
    for k, r in enumerate(rows):
        assert fr["steps"][k][0]["y"] == encode(r), k
        assert fr["steps"][k][0]["x"] == encode(r[:3]) and fr["steps"][k][0]["marker.size"] == float(k)
