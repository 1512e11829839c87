"""Drag frames of the multivariate page's x₀ and y₀ sliders (issue #19): the vectorised sweep
against ``analyse_point`` and ``slices``; frames that, put onto the figure drawn at one value, give
the figure the page draws at another, number by number; the same moving traces as the generic
``slider_frames``; and the page sending them, cached by the other coordinate."""
from __future__ import annotations

import base64
import copy
import re

import numpy as np
import pytest

from explorer import multivariate as mv
from explorer.figures import frames as F
from explorer.figures import multivariate as mf
from explorer.figures import multivariate_frames as mff
from explorer.multivariate.sweep import sweep
from helpers import run_page

CASES = [  # (function, axis, the other coordinate, planes, tangent)
    ("x^2 + y^2", "x0", 0.0, True, True),          # passes the minimum (0, 0): ∇f = 0 there
    (mv.PRESETS["peaks"], "y0", 0.5, True, False),
    (mv.PRESETS["Himmelblau"], "x0", 2.0, False, True),
    ("1/(x - y)", "y0", 0.3, True, True),          # a pole on the diagonal: undefined points, off the box
    ("abs(x) + y^3", "x0", -1.0, True, True),
]


def _setup(text, axis):
    xr, yr = mv.default_range(text)
    lo, hi = xr if axis == "x0" else yr
    values = F.slider_values(lo, hi, mv.nice_step(hi - lo))
    return mv.derivatives(text), mv.surface(text, xr, yr), xr, yr, values


def _decode(v):
    if isinstance(v, dict) and v.get("dtype") == "q2":
        q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2")
        return [None if k == -32768 else v["lo"] + v["step"] * float(k) for k in q]
    if isinstance(v, dict) and v.get("dtype") == "c":       # a constant array: one value and a length
        return [v["v"]] * v["n"]
    if isinstance(v, dict):
        return {k: _decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode(x) for x in v]
    return v


def _set(d: dict, path: str, value):
    m = re.fullmatch(r"(\w+)\[(\d+)\]\.(.+)", path)
    if m:
        return _set(d[m.group(1)][int(m.group(2))], m.group(3), value)
    *head, last = path.split(".")
    for k in head:
        d = d.setdefault(k, {})
    d[last] = value


def _apply(spec: dict, fr: dict, i: int) -> dict:
    """What the chart code does with frame i: each moving trace's paths set, then the layout's."""
    out = copy.deepcopy(spec)
    for j, t in enumerate(fr["traces"]):
        for p, v in _decode(fr["steps"][i][j]).items():
            _set(out["data"][t], p, v)
    for p, v in _decode((fr.get("layout") or [{}] * len(fr["values"]))[i]).items():
        _set(out["layout"], p, v)
    return out


def _numbers(v):
    try:
        a = np.array(v, dtype=float)
    except (TypeError, ValueError):
        return None
    return a if a.dtype.kind == "f" else None


def _close(got, want, path):
    if isinstance(want, np.ndarray) or isinstance(want, (list, tuple, float, int)) and not isinstance(want, bool):
        a, b = _numbers(got), _numbers(want)
        if a is not None and b is not None:
            assert a.shape == b.shape, (path, a.shape, b.shape)
            span = float(np.nanmax(np.abs(b))) if np.isfinite(b).any() else 0.0
            ok = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=2e-4, atol=1e-4 * span + 1e-9)
            assert ok.all(), (path, a[~ok][:5], b[~ok][:5])
            return
    assert got == want, (path, got, want)


def _figures(text, axis, other, planes, tangent):
    """The page's three figures at each slider value, built as the page builds them (the 3D box at
    the grid's robust range, which is what the page draws unless f(x₀, y₀) lies beyond it)."""
    derivs, grid, xr, yr, values = _setup(text, axis)
    arrows = mv.gradient_arrows(derivs, xr, yr, n=15)[:2]
    box = mf.zlim(grid)
    out = []
    for v in values:
        x, y = (v, other) if axis == "x0" else (other, v)
        pa = mv.analyse_point(derivs, x, y)
        sl = mv.slices(text, pa, xr, yr)
        out.append({"surf3d": F._spec(mf.surface_figure(grid, pa, sl, planes=planes, tangent=tangent, box=box)),
                    "fmap": F._spec(mf.contour_figure(grid, arrows, pa)),
                    "slices": F._spec(mf.slices_figure(sl, pa))})
    return out


@pytest.mark.parametrize("text, axis, other", [(c[0], c[1], c[2]) for c in CASES])
def test_the_sweep_is_analyse_point_and_slices_at_every_position(text, axis, other):
    derivs, _, xr, yr, values = _setup(text, axis)
    s = sweep(text, derivs, xr, yr, axis, values, other)
    for i in range(0, len(values), 7):
        pa, sl = s.point(i)
        x, y = (values[i], other) if axis == "x0" else (other, values[i])
        want = mv.analyse_point(derivs, x, y)
        for name in ("x0", "y0", "f", "grad", "hess", "eigvals", "eigvecs"):
            np.testing.assert_allclose(getattr(pa, name), getattr(want, name), rtol=1e-12, atol=1e-12, err_msg=name)
        ws = mv.slices(text, want, xr, yr)
        for name in ("x", "fx_curve", "tangent_x", "y", "fy_curve", "tangent_y"):
            np.testing.assert_allclose(getattr(sl, name), getattr(ws, name), rtol=1e-9, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("text, axis, other, planes, tangent", CASES)
def test_a_frame_turns_the_drawn_figure_into_the_figure_at_its_value(text, axis, other, planes, tangent):
    derivs, grid, xr, yr, values = _setup(text, axis)
    frames = mff.point_frames(text, derivs, grid, xr, yr, values, axis=axis, other=other, planes=planes,
                              tangent=tangent)
    figs = _figures(text, axis, other, planes, tangent)
    for chart, fr in frames.items():
        assert fr["values"] == values and len(fr["steps"]) == len(values)
        assert all(len(f[chart]["data"]) == fr["ntraces"] for f in figs), chart     # a fixed number of traces
        # drawn at the middle value, then dragged to every 5th value and both ends
        base = figs[len(values) // 2][chart]
        for i in sorted(set(range(0, len(values), 5)) | {len(values) - 1}):
            got, want = _apply(base, fr, i), figs[i][chart]
            for t, (g, w) in enumerate(zip(got["data"], want["data"])):
                gf, wf = F._flatten(g), F._flatten(w)
                assert set(wf) - {"visible"} <= set(gf), (chart, t, set(wf) - set(gf))
                for p in wf:
                    _close(gf[p], wf[p], f"{chart} value {values[i]} trace {t} {p}")
                if gf.get("visible", True) is False:
                    assert wf.get("visible", True) is False, (chart, t)
            for ax in ("yaxis", "yaxis2"):
                if "range" in want["layout"].get(ax, {}):
                    _close(got["layout"][ax]["range"], want["layout"][ax]["range"], f"{chart} {ax}")


@pytest.mark.parametrize("text", [mv.PRESETS[k] for k in ("bowl", "saddle", "peaks", "Rosenbrock", "sin x · cos y")])
def test_on_the_presets_the_drag_box_is_the_box_drawn_on_release(text):
    """Frames use the grid's z box; the figure drawn on release widens it to a point beyond it.
    On these presets no slider position is beyond it, so frame and release agree."""
    derivs, grid, xr, yr, xs = _setup(text, "x0")
    ys = _setup(text, "y0")[4]
    f = mv.as_function(derivs.f)
    for x in xs[::4]:
        zs = np.asarray(f(np.full(len(ys), x), np.asarray(ys)), float)
        assert all(mf.zlim(grid, [z]) == mf.zlim(grid) for z in zs[::4]), x


def test_a_point_beyond_the_box_is_not_drawn_during_the_drag():
    """Himmelblau's corners (f up to 890) lie beyond the grid's robust range (up to 566): there the
    frames leave the 3D point out (the release widens the box and draws it), never outside the box."""
    text = mv.PRESETS["Himmelblau"]
    derivs, grid, xr, yr, values = _setup(text, "x0")
    fr = mff.point_frames(text, derivs, grid, xr, yr, values, axis="x0", other=4.5, charts=("surf3d",))["surf3d"]
    j = fr["traces"].index(fr["ntraces"] - 1)           # the point, the last trace
    zhi = mf.zlim(grid)[1]
    f = mv.as_function(derivs.f)
    beyond = [float(f(v, 4.5)) > zhi for v in values]
    assert 0 < sum(beyond) < len(values)
    assert [fr["steps"][i][j]["z"] == [None] for i in range(len(values))] == beyond


@pytest.mark.parametrize("text, axis, other, planes, tangent", CASES[:3])
def test_the_same_traces_move_as_slider_frames_finds(text, axis, other, planes, tangent):
    """The generic ``slider_frames`` (comparing whole figures) finds the same moving traces; the
    surface, the contour map, its field and the slice along the dragged axis never travel."""
    derivs, grid, xr, yr, values = _setup(text, axis)
    frames = mff.point_frames(text, derivs, grid, xr, yr, values, axis=axis, other=other, planes=planes,
                              tangent=tangent)
    figs = _figures(text, axis, other, planes, tangent)
    for chart, fr in frames.items():
        generic = F.slider_frames(lambda v: figs[values.index(v)][chart], values)
        assert fr["traces"] == generic["traces"], chart
        assert set(fr["paths"]) - {"visible"} == set(generic["paths"]) - {"visible"}, chart
    assert 0 not in frames["surf3d"]["traces"] and not {0, 1} & set(frames["fmap"]["traces"])
    big = [len(F.frames_json(f)) for f in frames.values()]
    assert sum(big) < 250_000, big


def test_the_contour_map_keeps_its_traces_where_there_is_no_arrow():
    """At the bowl's minimum ∇f = 0: no −∇f arrow, but a hidden stand-in keeps the number of
    traces (frames are matched trace by trace), and the description leaves it out."""
    from explorer.figures import describe
    derivs, grid, xr, yr, _ = _setup("x^2 + y^2", "x0")
    arrows = mv.gradient_arrows(derivs, xr, yr, n=15)[:2]
    at_min = mf.contour_figure(grid, arrows, mv.analyse_point(derivs, 0.0, 0.0))
    away = mf.contour_figure(grid, arrows, mv.analyse_point(derivs, 1.0, 0.0))
    d_min, d_away = F._spec(at_min)["data"], F._spec(away)["data"]
    assert len(d_min) == len(d_away)
    hidden = [t["name"] for t in d_min if t.get("visible") is False]
    assert hidden == ["−∇f (none here: ∇f = 0 or undefined)"]
    assert "none here" not in describe.describe(at_min)[1]


def test_the_page_sends_frames_cached_by_the_other_coordinate():
    at = run_page("pages/multivariate.py")
    assert not at.exception

    def carriers():
        return {str(c.key): bytes(c.proto.ByteSize().to_bytes(4, "big")) + c.proto.SerializeToString()
                for c in at.get("bidi_component") if str(c.key).startswith("lf-")}
    before = carriers()
    assert len(before) == 6
    x0 = at.slider(key="x0").value
    at.slider(key="x0").set_value(x0 + 0.5).run()
    assert not at.exception
    after = carriers()
    # x₀'s frames do not depend on x₀: the same bytes; y₀'s depend on x₀: new ones
    for chart in ("fmap", "surf3d", "slices"):
        assert after[f"lf-p3d-{chart}-x0"] == before[f"lf-p3d-{chart}-x0"], chart
        assert after[f"lf-p3d-{chart}-y0"] != before[f"lf-p3d-{chart}-y0"], chart
    # another view of the point's derivatives: no slices chart, no frames for it
    at.session_state["part"] = "Jacobian and Hessian"
    at.run()
    assert sorted(carriers()) == sorted(f"lf-p3d-{c}-{s}" for c in ("fmap", "surf3d") for s in ("x0", "y0"))
