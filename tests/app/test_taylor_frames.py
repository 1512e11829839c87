"""The drag frames of the Taylor page's 1D chart (issue #19): every frame is the picture the release
draws at that slider value (checked against the page's own figure, built from the exact expansion),
f never travels in them, and the page sends them for the sliders a and n."""
from __future__ import annotations

import base64
import json
import math

import numpy as np
import pytest

from explorer import taylor as tx
from explorer.figures import taylor as tp
from explorer.figures import taylor_frames as tf
from explorer.figures.frames import slider_values
from helpers import run_page
from explorer.numbers import subscript

A_VALUES = slider_values(-3.0, 3.0, 0.1)
NPLAY, NMAX, W, EPS = 20, 30, 4.0, 1e-2


def _decode(v):
    """A frame value as the chart code decodes it (q2 arrays: lo + step·q, -32768 = a gap), or a
    figure's typed array (plotly's {"dtype", "bdata"}) as numbers."""
    if isinstance(v, dict) and v.get("dtype") == "q2":
        q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2")
        return np.where(q == -32768, np.nan, v["lo"] + v["step"] * q.astype(float))
    if isinstance(v, dict) and v.get("dtype") == "c":       # a constant array: one value and a length
        return np.full(v["n"], np.nan if v["v"] is None else v["v"], dtype=float)
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype={"f8": "<f8", "f4": "<f4"}[v["dtype"]])
    return np.array([np.nan if x is None else x for x in v], dtype=float) if isinstance(v, list) else v


def _release(text, a, n, line=None):
    """The page's figure at (a, n): the exact expansion, its curves and radius, as the page builds it."""
    order = max(NPLAY, n)
    lo, hi = round(a - W, 4), round(a + W, 4)
    exp = tx.expand_1d(text, a, order)
    assert exp.ok, exp.message
    c = tx.curves_1d(text, exp, (lo, hi), npts=121)
    return tp.panels_1d(c, a, n, EPS, tx.radius_of_convergence(text, a, exp.coeffs), f_line=line)


def _frame(frames, i):
    """(trace index -> {path: value}, layout) of step i."""
    return dict(zip(frames["traces"], frames["steps"][i])), (frames.get("layout") or [{}] * (i + 1))[i]


def _close(got, want, rel=1e-3, scale=None):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape
    assert np.array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    tol = rel * (scale if scale is not None else np.max(np.abs(want[ok])) + 1e-300)
    assert np.max(np.abs(got[ok] - want[ok]), initial=0) <= tol


@pytest.mark.parametrize("text,n", [("exp(x)", 3), ("sin(x)", 7), ("ln(1+x)", 4), ("1/(1+x^2)", 2),
                                    ("x^3 - 2*x", 2)])
def test_a_frames_are_the_release_picture(text, n):
    line = tf.f_line(text, W, -3.0, 3.0)
    frames = tf.a_frames(text, n, EPS, W, NPLAY, A_VALUES, line)
    assert frames["values"] == A_VALUES and len(frames["steps"]) == 61
    assert 0 not in frames["traces"], "f is never in the frames"
    fixed = {"yaxis2": _release(text, 0.0, n, line)[1]["yaxis2"]["range"]}
    for i in (0, 17, 30, 44, 60):
        a = A_VALUES[i]
        if text == "ln(1+x)" and a <= -1:
            continue
        data, layout = _release(text, a, n, line)
        tr, lay = _frame(frames, i)
        T = _decode(tr[1]["y"])
        span = layout["yaxis"]["range"][1] - layout["yaxis"]["range"][0]
        _close(T, data[1]["y"], scale=span)                       # Tₙ within 0.1 % of the y axis
        assert math.isclose(tr[1].get("x0", data[1]["x0"]), data[1]["x0"], abs_tol=1e-9)
        assert tr[4]["x"] == pytest.approx(data[4]["x"], abs=1e-9)        # the ε line spans the window
        assert lay["xaxis.range"] == pytest.approx(layout["xaxis"]["range"], abs=1e-9)
        assert lay["yaxis.range"] == pytest.approx(layout["yaxis"]["range"], rel=1e-4)
        # (a path the same in every frame is not sent: the chart keeps the drawn figure's)
        assert lay.get("yaxis2.range", fixed["yaxis2"]) == pytest.approx(layout["yaxis2"]["range"], rel=1e-3, abs=1e-3)
        shapes = lay.get("shapes") or [{k.split(".", 1)[1]: v for k, v in lay.items()
                                        if k.startswith(f"shapes[{j}].")} for j in range(len(layout["shapes"]))]
        # the ε band (from the error of the frame's Tₙ, here from the derivative jet) and the a line
        x0s = sorted(round(s["x0"], 2) for s in shapes if "x0" in s)
        want = sorted(round(s["x0"], 2) for s in layout["shapes"])
        assert x0s == want, (a, x0s, want)
        # the error panel's curves are hidden while dragging (a log axis the linear frames cannot carry)
        assert tr[2] == {"visible": False} and tr[3] == {"visible": False}


def test_a_frames_hide_the_polynomial_where_there_is_none():
    line = tf.f_line("ln(1+x)", W, -3.0, 3.0)
    frames = tf.a_frames("ln(1+x)", 3, EPS, W, NPLAY, A_VALUES, line)
    for i, a in enumerate(A_VALUES):
        tr, _ = _frame(frames, i)
        assert (tr[1].get("visible") is False) == (a <= -1 + 1e-9), a     # ln(1+x) has no series at a ≤ −1


def test_n_frames_are_the_release_picture():
    text, a = "atan(x)", 0.5
    line = tf.f_line(text, W, -3.0, 3.0)
    frames = tf.n_frames(text, a, EPS, W, tx.radius_of_convergence(text, a), NPLAY, list(range(NMAX + 1)), line)
    assert 0 not in frames["traces"] and len(frames["steps"]) == NMAX + 1
    for k in (0, 1, 5, 20, 25, 30):
        data, layout = _release(text, a, k, line)
        tr, lay = _frame(frames, k)
        span = layout["yaxis"]["range"][1] - layout["yaxis"]["range"][0]
        _close(_decode(tr[1]["y"]), data[1]["y"], scale=span)
        assert tr[1]["name"] == f"T{subscript(k)}(x)"
        assert lay["title.text"] == f"<b>order n = {k}</b>"
        assert lay.get("yaxis2.range", layout["yaxis2"]["range"]) == pytest.approx(layout["yaxis2"]["range"], rel=1e-3)
        assert tr[2] == {"visible": False}
        # the radius of convergence (|a ± i| = √1.25 for atan) is marked in every frame
        shapes = lay.get("shapes") or layout["shapes"]
        edges = sorted({round(s["x0"], 4) for s in shapes if s.get("line", {}).get("color") == "#9467bd"})
        assert edges == pytest.approx([a - math.sqrt(1.25), a + math.sqrt(1.25)], abs=1e-4)


def test_f_line_covers_every_window_at_the_window_density():
    x, f = tf.f_line("sin(x)", 1.5, -3.0, 3.0)
    assert x[0] == pytest.approx(-4.5) and x[-1] == pytest.approx(4.5)
    assert x[1] - x[0] <= 3.0 / 120 + 1e-12
    np.testing.assert_allclose(f, np.sin(x), rtol=1e-12, atol=1e-15)


@pytest.fixture(scope="module")
def at():
    return run_page("pages/taylor.py")


def _components(at):
    out = {}
    for comp in at.get("bidi_component"):
        meta, body = comp.proto.bytes.decode().split("\n", 1)
        meta = json.loads(meta)
        out[(meta["chart"], meta["slider"]) if meta.get("kind") == "frames" else meta["key"]] = (body, json.loads(body))
    return out


def test_the_page_sends_frames_for_a_and_n(at):
    assert not at.exception
    got = _components(at)
    fig = got["t1d"][1]
    fa, fn = got[("t1d", "a")][1], got[("t1d", "n")][1]
    assert fa["values"] == A_VALUES and fn["values"] == list(range(NMAX + 1))
    assert fa["ntraces"] == fn["ntraces"] == len(fig["data"]) == 5
    # f is drawn over every window a can reach (a ∈ [−3, 3], half-width 4), so it never moves
    fx = _decode(fig["data"][0]["x"])
    assert fx[0] == pytest.approx(-7.0) and fx[-1] == pytest.approx(7.0)
    # the frame at the current state is the figure drawn now (a = 0, n = 3)
    tr, _ = _frame(fa, A_VALUES.index(0.0))
    _close(_decode(tr[1]["y"]), _decode(fig["data"][1]["y"]),
           scale=fig["layout"]["yaxis"]["range"][1] - fig["layout"]["yaxis"]["range"][0])
    tr, _ = _frame(fn, 3)
    _close(_decode(tr[1]["y"]), _decode(fig["data"][1]["y"]),
           scale=fig["layout"]["yaxis"]["range"][1] - fig["layout"]["yaxis"]["range"][0])
    # the audio trace of f sits under the chart (closed: no sound made until opened)
    assert any("Play f(x) as sound" in e.label for e in at.expander)


def test_a_step_keeps_the_frames_of_a_and_renews_those_of_n():
    at = run_page("pages/taylor.py")
    before = _components(at)
    at.slider(key="a").set_value(0.5).run()
    assert not at.exception
    after = _components(at)
    assert after[("t1d", "a")][0] == before[("t1d", "a")][0], "a's frames do not depend on a"
    assert after[("t1d", "n")][0] != before[("t1d", "n")][0]
    fig = after["t1d"][1]
    assert fig["data"][1]["x0"] == pytest.approx(-3.5)
    tr, _ = _frame(after[("t1d", "n")][1], 3)
    _close(_decode(tr[1]["y"]), _decode(fig["data"][1]["y"]),
           scale=fig["layout"]["yaxis"]["range"][1] - fig["layout"]["yaxis"]["range"][0])


@pytest.mark.parametrize("query", [{"f": "abs(x)"}, {"f": "exp(-1/x^2)"}, {"f": "ln(1+x)", "a": "-2.0"},
                                   {"f": "1/(1-x)", "a": "1.0"}, {"f": "sqrt(x)", "a": "1.0", "n": "25"}])
def test_every_function_and_point_draws_without_error(query):
    at = run_page("pages/taylor.py", query)
    assert not at.exception, [e.value for e in at.exception]
    got = _components(at)
    for key in (("t1d", "a"), ("t1d", "n")):
        if key in got:               # frames go with the chart (none where there is no polynomial)
            fr = got[key][1]
            assert len(fr["steps"]) == len(fr["values"]) and fr["ntraces"] in (4, 5)


def test_huge_errors_are_drawn_not_dropped():
    """float32 on the wire, but a number beyond its range (Lagrange's bound reaches 10¹¹³ here)
    keeps float64, not infinity."""
    text, a = "1/(1-x)", -2.0
    exp = tx.expand_1d(text, a, 30)
    c = tx.curves_1d(text, exp, (a - 8, a + 8), npts=121)
    data, _ = tp.panels_1d(c, a, 30, EPS, None)
    bound = np.asarray(data[3]["y"], dtype=float)
    known = np.isfinite(c.bound[30])
    assert np.nanmax(bound) > 1e100 and np.isfinite(bound[known]).all()
    np.testing.assert_allclose(bound[known], c.bound[30][known], rtol=5e-3)   # 3 significant digits
    assert np.asarray(data[1]["y"]).dtype == np.float32          # ordinary curves: 4 bytes a number


def test_a_release_slices_one_cached_window(monkeypatch):
    """Releases of n, a and ε rebuild no window (every Tₖ at every a depends on f and w only) and
    never build a figure per slider position; a release of w builds one window for the new w."""
    calls = []
    prepare = tf.prepare
    monkeypatch.setattr(tf, "prepare", lambda *a, **k: calls.append(a[1]) or prepare(*a, **k))

    def refuse(*args, **kwargs):
        raise AssertionError("the reference path ran")
    monkeypatch.setattr(tf, "a_frames_slow", refuse)
    monkeypatch.setattr(tf, "n_frames_slow", refuse)
    at = run_page("pages/taylor.py", {"f": "atan(x)"})
    assert not at.exception, [e.value for e in at.exception]
    first = _components(at)
    calls.clear()
    for key, value in (("n", 6), ("a", 1.3), ("eps", -4.0)):
        at.slider(key=key).set_value(value).run()           # the release: the chart's fragment only
        assert not at.exception, [e.value for e in at.exception]
        got = _components(at)
        assert ("t1d", "a") in got and ("t1d", "n") in got
        at.query_params[key] = str(value)                   # as the browser keeps it in the URL
        at.run()
    assert calls == []
    assert got[("t1d", "a")][0] != first[("t1d", "a")][0]          # n and ε changed a's frames
    fn = got[("t1d", "n")][1]
    assert fn["values"] == list(range(NMAX + 1)) and fn["steps"][6][0]["name"] == "T₆(x)"
    at.slider(key="w").set_value(5.5).run()
    assert not at.exception, [e.value for e in at.exception]
    assert calls == [5.5]
