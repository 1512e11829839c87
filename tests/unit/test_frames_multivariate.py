"""The multivariate page's drag frames, computed for all slider positions at once
(``explorer.figures.multivariate_frames``, issue #19), against the generic ``frames.slider_frames``
over the page's own figure builders; and the vectorised pieces they are made of (the row-wise
rounding of the sweep, the tangents' ends, the long-array encoder) against the functions they
stand in for, value for value."""
from __future__ import annotations

import math

import numpy as np
import pytest

from explorer import multivariate as mv
from explorer.figures import frames as F
from explorer.figures import multivariate as mf
from explorer.figures import multivariate_frames as mff
from explorer.multivariate.sweep import round_rows, sweep
from explorer.numbers import round_to_scale

CASES = [  # (function, axis, the other coordinate, planes, tangent)
    (mv.PRESETS["bowl"], "y0", 1.0, True, False),      # the page's first view; ∇f = 0 at (0, 0) when x₀ = 0
    ("x^2 + y^2", "x0", 0.0, True, True),              # passes the minimum: no −∇f arrow there (hidden)
    (mv.PRESETS["peaks"], "x0", -0.5, False, True),
    ("1/(x - y)", "y0", 0.3, True, True),              # a pole: undefined points, hidden stand-ins
]


def _setup(text, axis):
    xr, yr = mv.default_range(text)
    lo, hi = xr if axis == "x0" else yr
    return mv.derivatives(text), mv.surface(text, xr, yr), xr, yr, F.slider_values(lo, hi, mv.nice_step(hi - lo))


def _generic(text, axis, other, planes, tangent):
    """``slider_frames`` over the page's figure builders (the 3D box at the grid's robust range)."""
    derivs, grid, xr, yr, values = _setup(text, axis)
    arrows = mv.gradient_arrows(derivs, xr, yr, n=15)[:2]
    box = mf.zlim(grid)
    figs = {}
    for v in values:
        x, y = (v, other) if axis == "x0" else (other, v)
        pa = mv.analyse_point(derivs, x, y)
        sl = mv.slices(text, pa, xr, yr)
        figs[v] = {"surf3d": mf.surface_figure(grid, pa, sl, planes=planes, tangent=tangent, box=box),
                   "fmap": mf.contour_figure(grid, arrows, pa), "slices": mf.slices_figure(sl, pa)}
    return {c: F.slider_frames(lambda v: figs[v][c], values) for c in mff.CHARTS}


def _same_value(got, want, where):
    """Decoded frame values: equal, numbers within a unit of their last digit (5 significant
    figures) or, for 16-bit arrays, within one step of the array's quantisation."""
    if isinstance(want, dict) and want.get("dtype") == "q2":
        assert isinstance(got, dict) and got.get("dtype") == "q2", where
        a, b = np.array(F.decode(got), float), np.array(F.decode(want), float)
        assert a.shape == b.shape and np.array_equal(np.isnan(a), np.isnan(b)), where
        assert np.nanmax(np.abs(a - b), initial=0.0) <= 1.01 * max(got["step"], want["step"]), where
        return
    got, want = F.decode(got), F.decode(want)
    if isinstance(want, list) and want and isinstance(want[0], list):
        assert isinstance(got, list) and len(got) == len(want), where
        for g, w in zip(got, want):
            _same_value(g, w, where)
        return
    if isinstance(want, list) and all(x is None or isinstance(x, (int, float)) for x in want):
        assert isinstance(got, list) and len(got) == len(want), (where, got, want)
        a = np.array([np.nan if x is None else x for x in got], float)
        b = np.array([np.nan if x is None else x for x in want], float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), (where, got, want)
        ok = np.isnan(b) | (np.abs(a - b) <= 1e-4 * np.abs(b) + 1e-12)
        assert ok.all(), (where, got, want)
        return
    assert got == want, (where, got, want)


@pytest.mark.parametrize("text, axis, other, planes, tangent", CASES)
def test_the_fast_frames_are_slider_frames_over_the_page_figures(text, axis, other, planes, tangent):
    derivs, grid, xr, yr, values = _setup(text, axis)
    fast = mff.point_frames(text, derivs, grid, xr, yr, values, axis=axis, other=other, planes=planes,
                            tangent=tangent)
    generic = _generic(text, axis, other, planes, tangent)
    for chart in mff.CHARTS:
        got, want = fast[chart], generic[chart]
        assert got["values"] == want["values"] == values, chart
        assert got["ntraces"] == want["ntraces"] and got["traces"] == want["traces"], chart
        assert set(got["paths"]) - {"visible"} == set(want["paths"]) - {"visible"}, chart
        assert ("visible" in got["paths"]) == ("visible" in want["paths"]), chart
        for i, (g_row, w_row) in enumerate(zip(got["steps"], want["steps"], strict=True)):
            for t, g, w in zip(got["traces"], g_row, w_row, strict=True):
                where = (chart, values[i], t)
                assert set(g) - {"visible"} == set(w) - {"visible"}, where
                # hidden exactly where the page's figure hides the trace (no key: visible)
                assert g.get("visible", True) == w.get("visible", True), where
                for p in set(w) - {"visible"}:
                    _same_value(g[p], w[p], where + (p,))
        for i, lay in enumerate(want.get("layout", [])):      # the moving panel's y range
            for p, v in lay.items():
                _same_value(got["layout"][i][p], v, (chart, values[i], p))
        assert len(got.get("layout", [])) == len(want.get("layout", [])), chart


def test_hidden_stand_ins_travel_as_the_page_draws_them():
    """At the bowl's minimum −∇f has no direction: that frame hides the arrow and keeps the point
    as its stand-in; the frames around it draw the arrow (6 numbers: shaft, head, gap)."""
    derivs, grid, xr, yr, values = _setup("x^2 + y^2", "x0")
    fr = mff.point_frames("x^2 + y^2", derivs, grid, xr, yr, values, axis="x0", other=0.0, charts=("fmap",))["fmap"]
    j = fr["traces"].index(4)                   # −∇f
    at = values.index(0.0)
    step = fr["steps"][at][j]
    assert step["visible"] is False and step["x"] == [0.0] and step["y"] == [0.0]
    assert step["name"] == "−∇f (none here: ∇f = 0 or undefined)"
    near = fr["steps"][at + 1][j]
    assert near["visible"] is True and len(near["x"]) == 6 and near["x"][-1] is None
    assert near["name"] == "−∇f (steepest descent)"
    # the arrow points downhill, towards the minimum: from x₀ = 0.05 to the left
    assert near["x"][1] < near["x"][0] == 0.05


def test_round_rows_is_round_to_scale_row_by_row():
    rng = np.random.default_rng(7)
    for scale in (1e-9, 1e-3, 1.0, 37.0, 1e6, 1e14):
        a = rng.normal(size=(40, 61)) * scale * rng.uniform(0.1, 10, size=(40, 1))
        a[1, 3], a[2], a[3], a[4, 7] = np.nan, np.nan, 0.0, np.inf
        want = np.stack([round_to_scale(row) for row in a])
        assert np.array_equal(round_rows(a), want, equal_nan=True), scale


@pytest.mark.parametrize("text, axis", [(mv.PRESETS["peaks"], "x0"), ("1/(x - y)", "y0")])
def test_the_tangent_ends_are_the_slices_tangents(text, axis):
    derivs, _, xr, yr, values = _setup(text, axis)
    s = sweep(text, derivs, xr, yr, axis, values, 0.3)
    tx, ty = s.tangent_ends()
    for i in range(0, len(values), 3):
        sl = s.point(i)[1]
        assert np.array_equal(tx[i], sl.tangent_x[[0, -1]], equal_nan=True), i
        assert np.array_equal(ty[i], sl.tangent_y[[0, -1]], equal_nan=True), i


def test_long_arrays_are_encoded_as_frames_encode_writes_them():
    """Rows of 16-bit steps, constants and all-gap rows: the same JSON as ``frames.encode``."""
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(12, 61)) * np.array([[1e-6], [1e-3], [1.0], [7.0], [300.0], [1e5]] * 2)
    rows[2, 5:9] = np.nan
    rows[3] = -1.05                     # a constant: one number and a length
    rows[4] = np.nan                    # all gaps
    rows[5, :] = 2.5
    rows[5, 10] = np.inf                # one number and gaps: 16-bit steps of 0
    rows[6] = np.float32(rows[6])       # what the figures send
    enc = mff._Encoder()
    got = enc.column(mff._Num(rows), len(rows))
    enc.finish()
    for row, g in zip(rows, got):
        assert F.frames_json({"v": g}) == F.frames_json({"v": F.encode(row)})
    assert got[3] == {"dtype": "c", "v": -1.05, "n": 61} and got[4] == {"dtype": "c", "v": None, "n": 61}
    assert got[5]["dtype"] == "q2" and got[0]["dtype"] == "q2"


def test_short_arrays_are_rounded_as_frames_encode_rounds_them():
    rng = np.random.default_rng(5)
    a = rng.normal(size=(9, 2, 2)) * 10.0 ** rng.integers(-8, 8, size=(9, 1, 1))
    a[2, 1, 0] = np.nan
    a[3, 0, 1] = -np.inf
    pts = np.stack([rng.normal(size=9) * 3, np.full(9, np.nan)], axis=1)
    alt_mask = np.arange(9) % 4 == 0            # a stand-in of another shape at some positions
    enc = mff._Encoder()
    got = enc.column(mff._Num(a), 9)
    seg = enc.column(mff._Num(pts, pts[:, :1], alt_mask), 9)
    enc.finish()
    for i in range(9):
        assert got[i] == F.encode(a[i].tolist())
        assert seg[i] == F.encode((pts[i, :1] if alt_mask[i] else pts[i]).tolist())
    assert math.isnan(pts[1, 1]) and seg[1][1] is None


def test_what_moves_is_decided_as_slider_frames_decides_it():
    same = mff._Num(np.tile([[1.0, np.nan]], (5, 1)))
    assert not same.moves(), "NaN equals NaN: a gap that stays a gap does not move"
    assert mff._Num(np.array([[1.0], [1.0], [2.0]])).moves()
    # the same numbers, but a stand-in of another shape at one position: it moves
    assert mff._Num(np.ones((3, 2)), np.ones((3, 1)), np.array([False, True, False])).moves()
