"""The regression page's drag frames of m and c (explorer.figures.regression_frames, issues #17 and
#19): built for every position at once, they are the frames ``slider_frames`` makes from the page's
own figure builders, byte for byte, and they cost a small part of it."""
from __future__ import annotations

import base64
import json
import math
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from explorer import regression as rg
from explorer.figures import frames as fr
from explorer.figures import regression as rf
from explorer.figures import regression_frames as rff
from explorer.figures.frames import frames_json, slider_frames
from explorer.numbers import round_sig


def _spring():
    t = rg.sample_table("spring_line.csv")
    return t["mass_kg"].to_numpy(float), t["extension_cm"].to_numpy(float), None


DATA = {"generated 30": lambda: rg.generated(30, 1.0, 1.5, 2.0, 1),
        "generated 5, steep": lambda: rg.generated(5, 0.1, -3.0, 5.0, 7),
        "generated 500 (150 residuals drawn)": lambda: rg.generated(500, 5.0, 0.0, -5.0, 3),
        "spring sample, no σ": _spring}


def _xys(name):
    d = DATA[name]()
    return (d.x, d.y, d.s) if hasattr(d, "x") else d


def _page_ranges(x, y, s):
    """The sliders' ranges and defaults as the page sets them."""
    return rg.line_ranges(rg.line_fit(x, y, s))


def test_slider_values_are_rounded_one_at_a_time():
    """``frames.slider_values`` (one numpy call, cached) gives the same floats as rounding lo + i·step
    position by position, on the regression page's ranges too."""
    cases = [(0.295, 2.65, 0.012), (-3.95, 8.16, 0.061), (-5.0, 5.0, 0.1), (0.1, 5.0, 0.1), (-3.0, 3.0, 0.1),
             (1e-3, 2e-3, 1e-5), (-1234.5, 987.6, 11.1)]
    for name in DATA:
        r = _page_ranges(*_xys(name))
        cases += [r["m"][:3], r["c"][:3]]
    for lo, hi, step in cases:
        n = int(math.floor((hi - lo) / step + 1e-9))
        want = [float(round_sig(lo + i * step, 12)) for i in range(n + 1)]
        got = fr.slider_values(lo, hi, step)
        assert list(got) == want and all(type(v) is float for v in got)


@pytest.mark.parametrize("name", list(DATA))
@pytest.mark.parametrize("slider", ["m", "c"])
@pytest.mark.parametrize("best", [False, True])
def test_hand_frames_are_slider_frames_of_the_page_figure(name, slider, best):
    """At the page's real ranges: the fast frames are the frames of ``rf.hand_fit_figure`` at every
    position (the generic diff), byte for byte; and, decoded, the residual segments and the line
    at a few positions are the figure's own arrays within the 16-bit steps."""
    x, y, s = _xys(name)
    r = _page_ranges(x, y, s)
    values = fr.slider_values(*r[slider][:3])
    other = r["c" if slider == "m" else "m"][3]
    mc = (lambda v: (v, other)) if slider == "m" else (lambda v: (other, v))
    line = rg.line_fit(x, y, s)
    build = lambda v: rf.hand_fit_figure(x, y, s, *mc(v), best=(line.m, line.c) if best else None)  # noqa: E731
    fast = rff.hand_frames(x, y, s, slider, other, values, best, affine=False)
    assert frames_json(fast) == frames_json(slider_frames(build, values))
    assert fast["traces"] == [1, 2] and fast["paths"] == ["y"] and fast["ntraces"] == (4 if best else 3)
    assert len(fast["steps"]) == len(values) > 100
    for k in (0, len(values) // 3, len(values) - 1):
        fig = fr._spec(build(values[k]))             # the figure's own arrays (numpy, not encoded)
        for i, step in zip((1, 2), fast["steps"][k]):
            want = np.asarray(fig["data"][i]["y"], float)
            got = np.array([np.nan if u is None else u for u in fr.decode(step["y"])], float)
            assert got.shape == want.shape and np.array_equal(np.isnan(got), np.isnan(want))
            ok = ~np.isnan(want)
            span = np.ptp(want[ok])
            assert np.allclose(got[ok], want[ok], rtol=1e-4, atol=span / 60000 + 1e-12)
        m, c = mc(values[k])
        assert fr.decode(fast["steps"][k][1]["y"]) == pytest.approx([m * x.min() + c, m * x.max() + c], rel=1e-4)


def test_short_residuals_and_a_single_position_take_the_general_path():
    """Two points (6 numbers: plain rounded lists, not 16-bit steps) and a one-position slider
    (nothing moves) give the generic frames too."""
    x, y = np.array([0.0, 1.0]), np.array([1.0, 2.5])
    for values in ([0.5, 1.0, 1.5], [1.0]):
        for slider in ("m", "c"):
            mc = (lambda v: (v, 0.3)) if slider == "m" else (lambda v: (0.3, v))
            ref = slider_frames(lambda v: rf.hand_fit_figure(x, y, None, *mc(v)), values)
            assert frames_json(rff.hand_frames(x, y, None, slider, 0.3, values)) == frames_json(ref)
    d = rg.generated(30, 1.0, 1.5, 2.0, 1)
    one = rff.hand_frames(d.x, d.y, d.s, "m", 2.0, [1.25], affine=True)
    assert one["traces"] == [] and one["steps"] == [[]]
    assert frames_json(one) == frames_json(slider_frames(lambda v: rf.hand_fit_figure(d.x, d.y, d.s, v, 2.0), [1.25]))


@pytest.mark.parametrize("slider", ["m", "c"])
def test_landscape_frames_are_slider_frames_of_the_page_figure(slider):
    """Without a descent path: the frames of ``rf.landscape_figure`` itself (only the marker's x with
    m, its y with c). With one: the marker is trace 2 and the path (trace 1) is hidden in every frame,
    as the general builder (``landscape_frames_by_figure``) says."""
    d = rg.generated(30, 1.0, 1.5, 2.0, 1)
    line = rg.line_fit(d.x, d.y, d.s)
    r = rg.line_ranges(line)
    values = fr.slider_values(*r[slider][:3])
    other = r["c" if slider == "m" else "m"][3]
    ms, cs, Z = rg.chi2_line_grid(line, r["m"][:2], r["c"][:2], n=20)
    mc = (lambda v: (v, other)) if slider == "m" else (lambda v: (other, v))
    ref = slider_frames(lambda v: rf.landscape_figure(ms, cs, Z, mc(v), (line.m, line.c)), values)
    fast = rff.landscape_frames(slider, other, values, path_drawn=False)
    assert frames_json(fast) == frames_json(ref)
    assert fast["traces"] == [1] and fast["paths"] == ["x" if slider == "m" else "y"]
    drawn = rff.landscape_frames(slider, other, values, path_drawn=True)
    assert frames_json(drawn) == frames_json(rff.landscape_frames_by_figure(slider, other, values, True))
    assert drawn["traces"] == [1, 2] and drawn["ntraces"] == 4
    assert all(step[0] == {"visible": False} for step in drawn["steps"])
    assert [step[1] for step in drawn["steps"]] == [step[0] for step in ref["steps"]]


def test_quantised_rows_are_frames_quantised_row_by_row():
    """``frames.encode_rows`` (constant=False, all rows in one pass) gives ``frames._quantised`` of each row: gaps, a constant row, a row
    of gaps only, an infinity, tiny and huge spans."""
    rng = np.random.default_rng(5)
    A = rng.normal(size=(7, 12)) * np.array([[1], [1e-9], [1e9], [3], [1], [1], [1]])
    A[0, ::3] = np.nan
    A[3] = 2.5
    A[4] = np.nan
    A[5, 4] = np.inf
    A[6, :6] = 7.0
    for row, got in zip(A, fr.encode_rows(A, constant=False)):
        assert got == fr._quantised(row)
    a, b = fr.encode_rows(A[:1], constant=False)[0], fr._quantised(A[0] + 1e-3)
    assert a != b                                    # a different row is different bytes: the check can fail


def test_the_fast_frames_cost_a_small_part_of_the_general_ones():
    """A release recomputes the other slider's sets; a data change all four. The fast path must stay
    at least 4x faster than the generic diff over the page's figure (measured ~15x)."""
    d = rg.generated(150, 1.0, 1.5, 2.0, 1)
    r = _page_ranges(d.x, d.y, d.s)
    values = fr.slider_values(*r["m"][:3])

    def best_of(f, n=5):
        out = []
        for _ in range(n):
            t = time.perf_counter()
            f()
            out.append(time.perf_counter() - t)
        return min(out)

    fast = best_of(lambda: rff.hand_frames(d.x, d.y, d.s, "m", 2.0, values, affine=False))
    slow = best_of(lambda: slider_frames(lambda v: rf.hand_fit_figure(d.x, d.y, d.s, v, 2.0), values), 2)
    assert fast * 4 < slow, (fast, slow)


def test_a_bad_slider_name_is_refused():
    d = rg.generated(12, 1.0, 1.5, 2.0, 3)
    for call in (lambda: rff.hand_frames(d.x, d.y, d.s, "slope", 2.0, [1.0, 2.0]),
                 lambda: rff.landscape_frames("slope", 2.0, [1.0, 2.0], True)):
        with pytest.raises(ValueError):
            call()


def test_decoded_bytes_match_the_page_decoder():
    """The q2 rows decode (as the chart code does) to the segments within half a step."""
    d = rg.generated(30, 1.0, 1.5, 2.0, 1)
    f = rff.hand_frames(d.x, d.y, d.s, "c", 1.5, [0.0, 1.0, 2.0], affine=False)
    q = f["steps"][2][0]["y"]
    raw = np.frombuffer(base64.b64decode(q["bdata"]), dtype="<i2")
    xs, ys, _ = rf.residual_segments(d.x, d.y, d.s)
    want = rf.segments_y(xs, ys, 1.5, 2.0)
    got = np.where(raw == -32768, np.nan, q["lo"] + q["step"] * raw.astype(float))
    ok = ~np.isnan(want)
    assert np.array_equal(np.isnan(got), ~ok)
    assert np.max(np.abs(got[ok] - want[ok])) <= q["step"] / 2 + 1e-12


@pytest.mark.parametrize("name", list(DATA))
@pytest.mark.parametrize("slider", ["m", "c"])
def test_affine_frames_decode_to_the_figure_numbers_exactly(name, slider):
    """``ax`` residuals (shared[a] + t·shared[b], as the chart code decodes them) are, at every
    position, the page figure's residual segments number for number (no 16-bit steps), gaps in
    place; everything else is the 16-bit frames' own; and the set is smaller (under a third of
    the bytes from 30 points)."""
    x, y, s = _xys(name)
    r = _page_ranges(x, y, s)
    values = fr.slider_values(*r[slider][:3])
    other = r["c" if slider == "m" else "m"][3]
    mc = (lambda v: (v, other)) if slider == "m" else (lambda v: (other, v))
    ax = rff.hand_frames(x, y, s, slider, other, values, affine=True)
    q2 = rff.hand_frames(x, y, s, slider, other, values, affine=False)
    assert {k: v for k, v in ax.items() if k not in ("steps", "shared")} == {k: v for k, v in q2.items() if k != "steps"}
    assert [st[1] for st in ax["steps"]] == [st[1] for st in q2["steps"]]        # the line: the same numbers
    assert all(st[0]["y"]["dtype"] == "ax" for st in ax["steps"])
    dec = rff.decode_affine(ax)
    for k in range(len(values)):
        want = np.asarray(fr._spec(rf.hand_fit_figure(x, y, s, *mc(values[k])))["data"][1]["y"], float)
        got = np.array([np.nan if u is None else u for u in dec["steps"][k][0]["y"]], float)
        assert np.array_equal(got, want, equal_nan=True), k
    small, big = len(frames_json(ax)), len(frames_json(q2))
    assert small < big and (small * 3 < big or len(x) < 30), (small, big)
    assert rff.decode_affine(q2) == fr.decode(q2)          # frames without "ax" decode as before
    assert rff.hand_frames(x, y, s, slider, other, values) == (ax if rff.AFFINE else q2)


CHART_JS = Path(__file__).resolve().parents[2] / "ui" / "live_chart_js" / "live_chart.js"


def test_affine_frames_only_with_a_chart_code_that_decodes_them():
    """``AFFINE`` on (the page's residuals as ``ax``) needs ``axDecode`` in the chart code."""
    assert not rff.AFFINE or "function axDecode(v, shared)" in CHART_JS.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_chart_code_decodes_affine_frames_as_python_does(tmp_path):
    """The chart code's ``decode`` then ``axDecode`` (as ``registerFrames`` does), run by node, give
    the frames ``decode_affine`` gives: the figure's residual segments, gaps as null."""
    src = CHART_JS.read_text(encoding="utf-8")
    funcs = [re.search(rf"^function {name}\(v(, shared)?\) \{{\n.*?^\}}\n", src, re.S | re.M)
             for name in ("decode", "axDecode")]
    assert all(funcs), "decode() or axDecode() not found in live_chart.js"
    d = rg.generated(30, 1.0, 1.5, 2.0, 1)
    sets = [rff.hand_frames(d.x, d.y, d.s, k, 0.7, fr.slider_values(-1.0, 2.0, 0.25), affine=True) for k in "mc"]
    (tmp_path / "in.json").write_bytes(b"[" + b",".join(frames_json(f) for f in sets) + b"]")
    script = tmp_path / "run.mjs"
    script.write_text("".join(f.group(0) for f in funcs) + "\nimport fs from 'node:fs';\n"
                      f"const v = JSON.parse(fs.readFileSync({json.dumps(str(tmp_path / 'in.json'))}, 'utf8'));\n"
                      "process.stdout.write(JSON.stringify(v.map((raw) => { const F = decode(raw);\n"
                      "  F.steps = axDecode(F.steps, F.shared); delete F.shared; return F; })));\n", encoding="utf-8")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [rff.decode_affine(json.loads(frames_json(f))) for f in sets]
