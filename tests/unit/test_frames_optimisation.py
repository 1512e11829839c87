"""The Optimisation page's fast drag and Play frames (explorer/optimise/drag.py) against the frames
of its real figure builders (issues #17, #19): ``newton_specs`` / ``descent_specs`` build only what
moves, every slider position at once, and must give what ``slider_frames`` gives over
``newton_figure``, ``basin_figure``, ``descent_contour``, ``descent_surface`` and
``descent_values`` (byte for byte where the encoding is the same; the log axis's values to float32)."""
from __future__ import annotations

import base64

import numpy as np
import pytest

from explorer import optimise as opt
from explorer.figures import fastfig
from explorer.figures import frames as F
from explorer.figures import optimise as figs
from explorer.numbers import round_sig
from explorer.optimise import drag, presets
from explorer.optimise.descent import descend

NEWTONS = list(presets.NEWTON_PRESETS.values())


def _slow_newton(text, n, window):
    def build(v):
        r = opt.newton_raphson(text, v, 50)
        return figs.newton_figure(r, min(n, r.nit), window, curve=False)
    return F.slider_frames(build, drag.x0_values(window))


@pytest.mark.parametrize("text", NEWTONS)
@pytest.mark.parametrize("half, n", [(5.0, 3), (1.0, 0), (17.5, 1), (40.0, 50)])
def test_newton_frames_are_the_frames_of_newton_figure(text, half, n):
    fast = drag.newton_frames(text, n, (-half, half), 50)
    assert F.frames_json(fast) == F.frames_json(_slow_newton(text, n, (-half, half)))
    assert fast["traces"] or n == 0


def test_newton_frames_cover_arrows_views_and_hidden_points():
    """The cases that take the odd branches: iterates thrown off either side (arrows, "and k more"),
    a run stopping at once (ln x from x₀ ≤ 0: no point, the moving traces hidden)."""
    fr = drag.newton_frames("atan(x)", 6, (-5.0, 5.0), 50)
    texts = [a["text"] for lay in fr["layout"] for a in lay["annotations"] or []]
    assert any("more)" in t for t in texts) and any(a["xanchor"] == "left" for lay in fr["layout"]
                                                     for a in lay["annotations"] or [])
    ln = drag.newton_frames("ln(x)", 3, (-5.0, 5.0), 50)
    hidden = [row for v, row in zip(ln["values"], ln["steps"]) if v <= 0]
    assert hidden and all(d == {"visible": False} for row in hidden for d in row)
    assert F.frames_json(ln) == F.frames_json(_slow_newton("ln(x)", 3, (-5.0, 5.0)))


def test_row_helpers_are_numpy_s_own_rounding_and_quantiles():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(40, 30)) * 10.0 ** rng.integers(-12, 12, size=(40, 1))
    a[rng.random(a.shape) < 0.1] = np.nan
    n = rng.integers(0, 31, size=40)
    r = drag._round_rows(a, n)
    for i in range(40):
        assert np.array_equal(r[i, :n[i]], figs.round_to_scale(a[i, :n[i]], figs.SIG), equal_nan=True)
    s = np.sort(a, axis=1)
    m = np.isfinite(a).sum(axis=1)
    for q in (0.03, 0.97):
        got = drag._row_quantile(s, np.maximum(m, 1), q)
        for i in np.flatnonzero(m):
            assert got[i] == np.quantile(s[i, :m[i]], q)


@pytest.mark.parametrize("text", NEWTONS)
@pytest.mark.parametrize("x0", [-3.3, 0.5, 1.99, 3.1])
def test_play_frames_are_newton_figure_step_by_step(text, x0):
    res = opt.newton_raphson(text, x0, 50)
    for half in (1.0, 5.0):
        old = []
        for k in range(max(0, min(res.nit, len(res.fx), drag.PLAY_MAX)) + 1):
            s = fastfig._spec(figs.newton_figure(res, k, (-half, half), curve=False))
            old.append(dict(name=str(k), data=[{p: v for p, v in t.items() if p in ("type", "x", "y", "text", "name")}
                                               for t in s["data"][1:]],
                            traces=list(range(1, len(s["data"]))),
                            layout=dict(xaxis=dict(range=s["layout"]["xaxis"]["range"]),
                                        yaxis=dict(range=s["layout"]["yaxis"]["range"]),
                                        annotations=s["layout"]["annotations"])))
        new = drag.play_frames(res, (-half, half))
        assert len(new) == len(old) >= 1
        assert fastfig.figure_json(fastfig.figure([], {}, new)) == fastfig.figure_json(fastfig.figure([], {}, old))


@pytest.mark.parametrize("text", NEWTONS)
def test_basin_frames_are_the_frames_of_basin_figure(text):
    for half in (2.0, 5.0):
        b = opt.newton_basins(text, -half, half, 400, 50)
        slow = F.slider_frames(lambda v: figs.basin_figure(b, v), drag.x0_values((-half, half)))
        assert F.frames_json(drag.basin_frames(b, (-half, half))) == F.frames_json(slow)


def _numbers(v) -> np.ndarray:
    if isinstance(v, dict) and v.get("dtype") in ("f4", "f8"):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype="<" + v["dtype"]).astype(float)
    return np.array([np.nan if x is None else x for x in F.decode(v)], dtype=float)


CASES = [("x^2 + y^2", None, ("gradient",)), ("x^2 + 10y^2", (-5.5, 4.0), ("momentum",)),
         ("(1 - x)^2 + 100(y - x^2)^2", None, tuple(opt.METHODS)), (presets.SANDPIT, None, ("adam",)),
         ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (0.0, 0.0), tuple(opt.METHODS)), ("sqrt(x) + y^2", (0.5, 1.0), ("hybrid",))]


@pytest.mark.parametrize("text, start, methods", CASES)
def test_step_frames_are_the_frames_of_the_descent_figures(text, start, methods):
    view = presets.descent_view(text)
    start = start or view.start
    window = view.around(start)
    bounds = window if view.walls else None
    grid = opt.grid(text, window)
    vals = drag.STEP_VALUES if len(methods) == 1 else drag.STEP_VALUES[::2]
    fast = drag.step_frames(text, start, methods, 300, bounds, grid, window)
    runs = {v: [descend(text, start, m, float(v), 300, bounds=bounds) for m in methods] for v in vals}
    keep = drag.FRAME_PATH
    for key, build in (("dmap", lambda v: figs.descent_contour(grid, runs[v], window, keep=keep)),
                       ("dsurf", lambda v: figs.descent_surface(grid, runs[v], window, keep=keep))):
        assert F.frames_json(fast[key]) == F.frames_json(F.slider_frames(build, vals)), key
    # f against k on a LOG axis: the same frames, but for the values, which travel as float32 (a
    # linear 16-bit scale between the extremes would turn 1e-17 next to 6 into a negative number)
    slow = F.slider_frames(lambda v: figs.descent_values(runs[v], keep=keep), vals)
    dv = fast["dvals"]
    assert {k: dv[k] for k in ("values", "ntraces", "traces", "paths")} == \
        {k: slow[k] for k in ("values", "ntraces", "traces", "paths")}
    tiny = 1.0
    for v, row, ref in zip(vals, dv["steps"], slow["steps"]):
        for j, (d, e) in enumerate(zip(row, ref)):
            assert d.keys() == e.keys()
            if "x" in d:
                assert F.frames_json({"a": d["x"]}) == F.frames_json({"a": e["x"]})
            if "y" in d:
                r = runs[v][dv["traces"][j]]
                gap = r.values - min(np.nanmin(q.values) for q in runs[v] if len(q.values))
                gap = gap[np.isfinite(gap) & (gap > 0)]
                want = round_sig(gap if len(gap) <= keep else
                                 gap[np.unique(np.geomspace(1, len(gap), keep).astype(int) - 1)], 4)
                got = _numbers(d["y"])
                assert got == pytest.approx(want, rel=1e-6 if len(want) >= F.LONG else 1e-4)
                assert (got > 0).all()               # every value drawable on the log axis
                tiny = min(tiny, got.min(initial=1.0))
    if text == "x^2 + y^2":
        assert tiny < 1e-12, "the converged runs' last gaps (≈1e-17) are drawn, not flattened"


def test_a_race_runs_newton_once_and_its_path_never_travels():
    text = "x^2 + 10y^2"
    window = presets.descent_view(text).around((2.5, 1.0))
    fr = drag.step_frames(text, (2.5, 1.0), tuple(opt.METHODS), 300, None, opt.grid(text, window), window)
    j = 1 + 2 * list(opt.METHODS).index("newton")
    assert j not in fr["dmap"]["traces"] and list(opt.METHODS).index("newton") + 1 not in fr["dsurf"]["traces"]


def test_log_axis_values_keep_tiny_and_huge_numbers():
    y = np.array([6.25, 1e-3, 3e-12, 6.7e-18, 1e-20, 2e-30, 5.0, 7.0])
    enc = drag._log_axis(y)
    assert enc["dtype"] == "f4" and _numbers(enc) == pytest.approx(y, rel=1e-7)
    y[3] = 1e-300                                   # beyond float32: float64
    enc = drag._log_axis(y)
    assert enc["dtype"] == "f8" and np.array_equal(_numbers(enc), y)
    assert drag._log_axis(y[:5]) is not None and isinstance(drag._log_axis(y[:5]), np.ndarray)


def test_the_off_chart_arrows_travel_as_one_list_not_as_empty_fields():
    """newton_figure always has its annotations list ([] when nothing is off the chart), so a frame
    carries the list (short, mostly []) instead of 11 null fields per frame: 52.6 -> 36.8 KB."""
    fr = drag.newton_frames(presets.QUIZ, 3, (-5.0, 5.0), 50)
    keys = set().union(*fr["layout"])
    assert "annotations" in keys and not [k for k in keys if k.startswith("annotations[")]
    assert sum(1 for lay in fr["layout"] if lay["annotations"]) >= 5        # some frames do have arrows
    assert len(F.frames_json(fr)) < 40_000
