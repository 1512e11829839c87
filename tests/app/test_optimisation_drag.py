"""The Optimisation page's drag frames (#19) and client-side Play (#18): explorer/optimise/drag.py.

Every frame is checked against the mathematics it draws: Newton's next iterate against
x − f/f′ with f′ from sympy, a descent path's first step against −γ∇f from sympy, the basin
marker against the slider value; the curve and the surfaces never travel in a frame."""
from __future__ import annotations

import base64

import numpy as np
import pytest
import sympy as sp

from explorer import optimise as opt
from explorer.figures import fastfig
from explorer.figures import frames as F
from explorer.figures import optimise as figs
from explorer.optimise import drag, presets
from tests.helpers import run_page

QUIZ = presets.QUIZ
X = sp.Symbol("x")


def _numbers(v) -> np.ndarray:
    """A frame's array as numbers: a plain list (None = NaN) or a quantised q2 array."""
    if isinstance(v, dict):
        assert v["dtype"] == "q2"
        q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2").astype(float)
        out = v["lo"] + q * v["step"]
        out[q == -32768] = np.nan
        return out
    return np.array([np.nan if a is None else a for a in v], dtype=float)


def _quiz_newton_step(x: float) -> float:
    f = sp.sympify("x**6/6 - 3*x**4 - 2*x**3/3 + 27*x**2/2 + 18*x - 30")
    return float(x - f.subs(X, x) / sp.diff(f, X).subs(X, x))


def test_x0_values_are_slider_positions_dense_in_the_window():
    for half in (1.0, 5.0, 7.5, 40.0):
        vals = drag.x0_values((-half, half))
        assert vals == sorted(vals) and len(set(vals)) == len(vals)
        assert vals[0] == -10.0 and vals[-1] == 10.0
        # every value is a position of the x₀ slider (step 0.01)
        assert all(abs(v * 100 - round(v * 100)) < 1e-6 for v in vals)
        inside = [v for v in vals if -half <= v <= half]
        gaps = np.diff(inside)
        assert len(inside) <= drag.X0_INSIDE + 1 and gaps.max() <= 2 * min(half, 10) / 20 + 1e-9
        assert np.diff(vals).max() <= 1.0 + 1e-9


def test_newton_frames_move_only_the_steps_and_follow_x_minus_f_over_fprime():
    window = (-5.0, 5.0)
    vals = [-4.0, -1.5, 0.7, 2.0, 3.1, 4.4]
    fr = drag.newton_frames(QUIZ, 3, window, 50, values=vals)
    assert fr["traces"] == [1, 2, 3, 4] and fr["ntraces"] == 5       # the curve f (trace 0) never travels
    assert {"xaxis.range", "yaxis.range"} <= set().union(*fr["layout"])
    for v, row, lay in zip(vals, fr["steps"], fr["layout"]):
        res = opt.newton_raphson(QUIZ, v, 50)
        shown = min(3, res.nit)
        iterates = _numbers(row[2]["x"])                                # "xₙ on the axis"
        assert len(iterates) == shown + 1 and iterates[0] == pytest.approx(v, rel=1e-4)
        for k in range(shown):
            assert iterates[k + 1] == pytest.approx(_quiz_newton_step(res.history[k]), rel=2e-4, abs=1e-4)
        # the view of that frame is the one the released chart would take
        xr, yr = figs.newton_view(res, shown, window)
        assert lay["xaxis.range"] == pytest.approx(xr, rel=1e-4)
        assert lay["yaxis.range"] == pytest.approx(yr, rel=1e-4)


def test_the_drawn_curve_covers_every_view_a_drag_can_reach():
    """The curve is sent once with the chart; it must hold every view the x₀ frames move to, with
    at least 15 points across the narrowest of them."""
    window = (-5.0, 5.0)
    fig = figs.newton_figure(opt.newton_raphson(QUIZ, 3.1, 50), 3, window)
    cx = np.asarray(fastfig._spec(fig)["data"][0]["x"], dtype=float)
    cy = np.asarray(fastfig._spec(fig)["data"][0]["y"], dtype=float)
    f = sp.lambdify(X, sp.sympify("x**6/6 - 3*x**4 - 2*x**3/3 + 27*x**2/2 + 18*x - 30"))
    # f to 5 significant figures at every point (not of its largest value: the minimum near 6 would
    # be drawn as steps when the curve reaches 10⁴), sent as float32
    assert cy == pytest.approx(f(cx), rel=6e-5, abs=1e-6)
    fr = drag.newton_frames(QUIZ, 3, window, 50)
    for lay in fr["layout"]:
        a, b = lay["xaxis.range"]
        assert cx.min() <= a and b <= cx.max()
        assert ((cx >= a) & (cx <= b)).sum() >= 15
    assert len(fr["values"]) <= drag.X0_INSIDE + 21
    # a drag frame leaves f out (it is the chart's own): its trace 0 is empty
    assert len(fastfig._spec(figs.newton_figure(opt.newton_raphson(QUIZ, 3.1, 50), 3, window, curve=False))
               ["data"][0]["x"]) == 0


def test_basin_frames_move_only_the_marker_to_the_slider_value():
    b = opt.newton_basins(QUIZ, -5.0, 5.0, 400, 50)
    fr = drag.basin_frames(b, (-5.0, 5.0))
    assert fr["traces"] == [fr["ntraces"] - 1] and fr["paths"] == ["x"]
    assert [row[0]["x"][0] for row in fr["steps"]] == pytest.approx(fr["values"])
    assert len(F.frames_json(fr)) < 20_000


@pytest.mark.parametrize("race", [False, True])
def test_step_frames_move_the_paths_only_and_start_with_minus_gamma_grad(race):
    text = "x^2 + 10y^2"
    view = presets.descent_view(text)
    start, window = (2.5, 1.0), view.around((2.5, 1.0))
    grid = opt.grid(text, window)
    methods = tuple(opt.METHODS) if race else ("gradient",)
    vals = [0.01, 0.05, 0.09]
    fr = drag.step_frames(text, start, methods, 300, None, grid, window, values=vals)
    assert 0 not in fr["dmap"]["traces"] and 0 not in fr["dsurf"]["traces"]        # contour, surface
    gx, gy = 2 * start[0], 20 * start[1]                                             # ∇f at the start
    i = list(methods).index("gradient")
    path = 1 + 2 * i                               # dmap: the contour, then each run's path and its end
    assert path in fr["dmap"]["traces"]
    col = fr["dmap"]["traces"].index(path)
    for v, row in zip(vals, fr["dmap"]["steps"]):
        xs, ys = _numbers(row[col]["x"]), _numbers(row[col]["y"])
        # a long path travels quantised to 16 bits between its extremes: within range / 131068
        assert (xs[0], ys[0]) == pytest.approx(start, abs=1e-4)
        assert (xs[1], ys[1]) == pytest.approx((start[0] - v * gx, start[1] - v * gy), rel=1e-3, abs=1e-3)
    if race:   # Newton's path does not depend on γ: it does not travel
        j = 1 + 2 * list(methods).index("newton")
        assert j not in fr["dmap"]["traces"]
    sizes = {k: len(F.frames_json(v)) for k, v in drag.step_frames(text, start, methods, 300, None, grid,
                                                                    window).items()}
    assert sum(sizes.values()) < (250_000 if race else 60_000), sizes


def test_play_frames_are_the_steps_one_by_one():
    res = opt.newton_raphson(QUIZ, 3.1, 50)
    frames = drag.play_frames(res, (-5.0, 5.0))
    assert res.nit > drag.PLAY_MAX and len(frames) == drag.PLAY_MAX + 1
    for k in (0, 1, 5, drag.PLAY_MAX):
        fr = frames[k]
        assert fr["name"] == str(k) and fr["traces"] == [1, 2, 3, 4]
        assert np.asarray(fr["data"][2]["x"], dtype=float) == pytest.approx(res.history[: k + 1], rel=1e-4)
        assert fr["layout"]["xaxis"]["range"] == pytest.approx(figs.newton_view(res, k, (-5.0, 5.0))[0])
    fig = drag.newton_play(res, 3, (-5.0, 5.0), frames)
    spec = fastfig._spec(fig)
    menu = spec["layout"]["updatemenus"][0]
    assert [b["method"] for b in menu["buttons"]] == ["animate", "animate"]
    assert menu["buttons"][0]["label"] == "▶ Play x₀ … x₂₀"
    short = opt.newton_raphson("x^2 - 2", 3.0, 50)                   # √2 from 3: all 6 steps
    assert len(drag.play_frames(short, (-5.0, 5.0))) == short.nit + 1 == 7
    assert fig.to_dict()["frames"] == frames
    fastfig.validate(fastfig.figure(spec["data"], spec["layout"]))


def test_the_page_has_no_server_play_and_sends_drag_frames():
    at = run_page("pages/optimisation.py")
    assert not at.exception
    assert not [b for b in at.button if "Play" in (b.label or "")]      # Play is the chart's own button
    src = (at._tree and None) or open("pages/optimisation.py", encoding="utf-8").read()
    assert "time.sleep" not in src and "send_frames(\"newton_plot\"" in src


def test_a_release_recomputes_only_the_frame_sets_that_depend_on_its_slider(monkeypatch):
    """The frame sets are cached by the controls they depend on (#17, #19): releasing γ recomputes
    none, x₀ only Newton's Play frames (they start at x₀), n only the x₀ frames of the Newton chart,
    the window all three Newton sets, the start only γ's frames."""
    import streamlit as st
    calls = []
    for name in ("newton_frames", "basin_frames", "play_frames", "step_frames"):
        real = getattr(drag, name)
        monkeypatch.setattr(drag, name, lambda *a, _f=real, _n=name, **k: (calls.append(_n), _f(*a, **k))[1])
    st.cache_resource.clear()
    at = run_page("pages/optimisation.py")
    assert set(calls) == {"newton_frames", "basin_frames", "play_frames", "step_frames"}
    for key, value, recomputed in (("lr", 0.377, set()), ("x0", -2.37, {"play_frames"}), ("n", 7, {"newton_frames"}),
                                   ("w", 6.5, {"newton_frames", "basin_frames", "play_frames"}),
                                   ("sx", -1.35, {"step_frames"}), ("sy", 2.15, {"step_frames"}), ("lr", 0.611, set()),
                                   ("x0", 3.1, {"play_frames"})):
        calls.clear()
        at.slider(key=key).set_value(value).run()
        assert not at.exception
        assert sorted(calls) == sorted(recomputed), (key, calls)
