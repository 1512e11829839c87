"""The derivatives page's drag frames (issue #19) are computed a column at a time over every slider
position (explorer.figures.derivatives._frames) instead of a figure per position: byte for byte they
are the frames slider_frames makes from the page's own figure builders, for every preset, at both
ends of both sliders, where f has gaps, corners, poles and jumps; and they cost a few milliseconds."""
from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest

from explorer import derivatives as D
from explorer.figures import derivatives as F
from explorer.figures.frames import decode, frames_json, slider_frames, slider_values

X0S, LOGHS = slider_values(-3.0, 3.0, 0.05), slider_values(-8.0, 0.0, 0.25)


def generic_x0(text, g, h, values=X0S):
    """The x₀ frames the straightforward way: the page's figure at every position (slider_frames)."""
    e = F._ends(g)
    return {"secant": slider_frames(lambda v: F.secant_figure(e.x, e.f, D.secant(text, v, h, g.breaks), g.f_range),
                                    values),
            "zoom": slider_frames(lambda v: F.zoom_figure(text, D.secant(text, v, h, g.breaks), g.breaks,
                                                          points=F.ZOOM_FRAME_POINTS, on_grid=True) or F._EMPTY, values)}


def generic_h(text, g, x0, errors, values=LOGHS):
    e = F._ends(g)
    out = {"secant": slider_frames(lambda v: F.secant_figure(e.x, e.f, D.secant(text, x0, 10.0 ** v, g.breaks),
                                                             g.f_range), values),
           "zoom": slider_frames(lambda v: F.zoom_figure(text, D.secant(text, x0, 10.0 ** v, g.breaks), g.breaks,
                                                         points=F.ZOOM_FRAME_POINTS, on_grid=True) or F._EMPTY, values)}
    if errors.ok:
        stub = dataclasses.replace(errors, hs=errors.hs[:2], forward=errors.forward[:2], central=errors.central[:2])
        out["errors"] = slider_frames(lambda v: F.errors_figure(stub, 10.0 ** v), values)
    return out


def generic_gradient(text, g, values=X0S):
    e = F._ends(g)

    def build(v):
        s = D.secant(text, v, 1e-3, g.breaks)
        return F.gradient_figure(e, v, s.f0, s.true_slope)
    return slider_frames(build, values)


def same(fast: dict, slow: dict, what) -> None:
    assert fast.keys() == slow.keys(), what
    for k in slow:
        assert frames_json(fast[k]) == frames_json(slow[k]), (what, k)


TEXTS = [*D.PRESETS.values(), "5", "tan(x)", "sqrt(x)", "exp(-x^2)", "x^3 - 2x", "1/(x - 0.5)^2", "abs(sin(3x))"]


@pytest.mark.parametrize("text", TEXTS)
def test_the_frames_of_every_preset_are_those_of_the_whole_figures(text):
    g = D.gradient_data(text, -3.0, 3.0)
    # the page's start (h = 10^-0.5: labelled triangle), a tiny h (no labels) and h = 1
    for logh in (-0.5, -6.0, 0.0):
        same(F.x0_frames(text, g, 10.0 ** logh, X0S), generic_x0(text, g, 10.0 ** logh), (text, "x0", logh))
    # x₀ at the left end, on a break of several presets (0), and inside
    for x0 in (-3.0, 0.0, 1.35):
        e = D.difference_errors(text, x0, breaks=g.breaks)
        same(F.h_frames(text, g, x0, LOGHS, e), generic_h(text, g, x0, e), (text, "h", x0))
    assert frames_json(F.gradient_frames(text, g, X0S)) == frames_json(generic_gradient(text, g)), (text, "gradient")


def test_positions_without_a_picture_hide_what_moves_and_the_rest_still_moves():
    """ln x: left of 0 there is no secant, no zoom, no point on f; every moving trace is hidden there
    (not a stale picture), and right of it every trace that moves has its own numbers."""
    g = D.gradient_data("ln(x)", -3.0, 3.0)
    fr = F.x0_frames("ln(x)", g, 10 ** -0.5, X0S)
    gr = F.gradient_frames("ln(x)", g, X0S)
    left, right = X0S.index(-2.0), X0S.index(2.0)
    for f in (fr["secant"], fr["zoom"], gr):
        assert f["traces"] and f["steps"][left] == [{"visible": False}] * len(f["traces"])
        assert all(d["visible"] is True and len(d) > 1 for d in f["steps"][right])
    point = dict(zip(gr["traces"], gr["steps"][right]))[3]                # (x₀, f(x₀))
    assert point["x"] == [2.0] and math.isclose(point["y"][0], math.log(2.0), rel_tol=1e-4)


def test_the_zoom_curve_is_the_function_on_its_window():
    """The decoded zoom frames are f(x₀ + u) − f(x₀) on the window, within the 16-bit steps."""
    text, h = "sin(x^2)", 10 ** -0.5
    g = D.gradient_data(text, -3.0, 3.0)
    zoom = F.x0_frames(text, g, h, X0S)["zoom"]
    curve = zoom["traces"].index(0)
    u = np.linspace(-2.5 * h, 3.5 * h, F.ZOOM_FRAME_POINTS)
    for k in (0, 37, 80, 120):
        y = np.array(decode(zoom["steps"][k][curve]["y"]), dtype=float)
        want = np.sin((X0S[k] + u) ** 2) - math.sin(X0S[k] ** 2)
        np.testing.assert_allclose(y, want, atol=np.ptp(want) / 65534 + 1e-5)


def test_the_frames_of_a_release_cost_a_few_milliseconds():
    """A release recomputes one frame set: x₀'s (an h release) or h's (an x₀ release). The column path
    is several times faster than a figure per position (it was ~12 ms against ~5 ms budget)."""
    text = "sin(x^2)"
    g = D.gradient_data(text, -3.0, 3.0)
    e = D.difference_errors(text, 1.0, breaks=g.breaks)

    def best(fn, n=7):
        fn()
        times = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)
    fast = best(lambda: F.x0_frames(text, g, 10 ** -0.5, X0S)) + best(lambda: F.h_frames(text, g, 1.0, LOGHS, e))
    slow = best(lambda: generic_x0(text, g, 10 ** -0.5), 3) + best(lambda: generic_h(text, g, 1.0, e), 3)
    assert fast * 5 < slow, (fast, slow)


def test_the_zoom_curve_keeps_its_x_at_every_step_h():
    """While x₀ is dragged the close-up's x (x − x₀) is the same numbers at every position, for every h
    the slider can take, so it is never sent in every frame (it was, at h = 10^-7.75: x₀ + u − x₀ is
    not exactly u)."""
    g = D.gradient_data("x^2", -3.0, 3.0)
    for logh in LOGHS:
        zoom = F.x0_frames("x^2", g, 10.0 ** logh, X0S)["zoom"]
        assert zoom["paths"] == ["y"], (logh, zoom["paths"])
