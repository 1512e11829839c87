"""The Taylor page's fast drag frames (issue #19 release budget): built from one sweep of every Tₖ
at every a (``explorer.taylor.sweep``) instead of a figure per slider position, they must be the
frames the reference path gives (``panels_1d`` per position through ``slider_frames``), decoded,
within the 16-bit quantisation; and each vectorised piece must equal the per-row function it
replaces."""
from __future__ import annotations

import math

import numpy as np
import pytest

from explorer import taylor as tx
from explorer.figures import taylor as tp
from explorer.figures import taylor_frames as tf
from explorer.figures.frames import decode, encode, encode_rows, slider_values
from explorer.taylor import sweep as sw

A = slider_values(-3.0, 3.0, 0.1)
N = list(range(31))
NPLAY = 20


def _numbers(v):
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def _same_frames(fast: dict, slow: dict) -> None:
    """Same traces, paths, values and layout paths; every number within the quantisation (arrays:
    2e-3 of their spread, as the slow path rounds Tₙ to 4 figures first) or 1e-4 relative."""
    for k in ("values", "ntraces", "traces"):
        assert fast[k] == slow[k], k
    assert len(fast["steps"]) == len(slow["steps"])
    # a property the reference sends although it is the same in every frame once rounded (the
    # window's dx, equal but for its last bit) is left out: the chart keeps the drawn figure's
    same = {(t, p) for t in range(len(slow["traces"])) for p in slow["paths"]
            if len({repr(row[t].get(p)) for row in slow["steps"] if row[t].get("visible") is not False}) == 1}
    assert set(fast["paths"]) <= set(slow["paths"])
    for i, (rf, rs) in enumerate(zip(fast["steps"], slow["steps"])):
        for t, (df, ds) in enumerate(zip(rf, rs)):
            assert set(df) <= set(ds) and all((t, p) in same for p in set(ds) - set(df)), (i, df.keys(), ds.keys())
            for p in df:
                a, b = decode(df[p]), decode(ds[p])
                if isinstance(b, list) and len(b) > 2:
                    a, b = _numbers(a), _numbers(b)
                    assert np.array_equal(np.isnan(a), np.isnan(b)), (i, p)
                    ok = ~np.isnan(b)
                    scale = max(np.ptp(b[ok]), np.max(np.abs(b[ok]))) if ok.any() else 1.0
                    assert np.max(np.abs(a[ok] - b[ok]), initial=0) <= 2e-3 * scale, (i, p)
                else:
                    assert a == pytest.approx(b, rel=1e-4, abs=1e-9), (i, p, a, b)
    assert (fast.get("layout") is None) == (slow.get("layout") is None)
    for i, (lf, ls) in enumerate(zip(fast.get("layout") or [], slow.get("layout") or [])):
        assert set(lf) == set(ls), (i, sorted(set(lf) ^ set(ls)))
        for p in lf:
            if isinstance(ls[p], list) and ls[p] and all(isinstance(x, (int, float)) for x in ls[p]):
                assert lf[p] == pytest.approx(ls[p], rel=1e-4, abs=1e-9), (i, p)
            else:
                assert lf[p] == ls[p], (i, p)         # shapes (styles and rounded ends), titles, names


@pytest.mark.parametrize("text", ["exp(x)", "sin(x)", "ln(1+x)", "1/(1+x^2)", "atan(x)", "sqrt(x)",
                                  "x^2*sin(x)", "abs(x)"])
@pytest.mark.parametrize("w", [4.0, 1.5])
def test_a_frames_are_the_reference_frames(text, w):
    win = tf.prepare(text, w, A)
    for n, eps in ((3, 1e-2), (0, 1.0), (25, 1e-8)):
        _same_frames(tf.a_frames(text, n, eps, w, NPLAY, A, win=win), tf.a_frames_slow(text, n, eps, w, NPLAY, A))


@pytest.mark.parametrize("text,a", [("atan(x)", 0.5), ("exp(x)", -2.0), ("ln(1+x)", 0.0), ("1/(1-x)", -1.5),
                                    ("abs(x)", 0.0), ("x^3 - 2*x", 1.2), ("sin(x)", 3.0)])
def test_n_frames_are_the_reference_frames(text, a):
    win = tf.prepare(text, 4.0, A)
    rad = tx.radius_of_convergence(text, a)
    for eps in (1e-2, 1e-6):
        _same_frames(tf.n_frames(text, a, eps, 4.0, rad, NPLAY, N, win=win),
                     tf.n_frames_slow(text, a, eps, 4.0, rad, NPLAY, N))


def test_the_page_states_take_the_fast_path(monkeypatch):
    """Not a silent fallback: at the page's states neither set builds a figure per position."""
    def refuse(*args, **kwargs):
        raise AssertionError("the reference path ran")
    monkeypatch.setattr(tf, "a_frames_slow", refuse)
    monkeypatch.setattr(tf, "n_frames_slow", refuse)
    for text in tx.PRESETS_1D.values():
        win = tf.prepare(text, 4.0, A)
        tf.a_frames(text, 3, 1e-2, 4.0, NPLAY, A, win=win)
        a = 0.5 if text != "ln(1+x)" else 0.0
        tf.n_frames(text, a, 1e-2, 4.0, tx.radius_of_convergence(text, a), NPLAY, N, win=win)


def test_off_grid_and_missing_polynomials_fall_back():
    win = tf.prepare("exp(x)", 4.0, A)
    rad = tx.radius_of_convergence("exp(x)", 0.05)
    _same_frames(tf.n_frames("exp(x)", 0.05, 1e-2, 4.0, rad, NPLAY, N, win=win),
                 tf.n_frames_slow("exp(x)", 0.05, 1e-2, 4.0, rad, NPLAY, N))
    # ln(x − 2): no polynomial at most a, so the frames hold four traces, as the reference gives them
    _same_frames(tf.a_frames("ln(x-2)", 3, 1e-2, 4.0, NPLAY, A), tf.a_frames_slow("ln(x-2)", 3, 1e-2, 4.0, NPLAY, A))


def test_sweep_is_every_polynomial_at_every_point():
    text, w = "atan(x)", 2.0
    D = sw.jet(text, A, 30)
    s = sw.sweep(text, A, w, D)
    for i in (0, 13, 30, 60):
        x = tf.window_grid(A[i], w)
        assert np.array_equal(s.x[i], x)
        for k in (0, 1, 7, 30):
            want = tx.evaluate_polynomial(D[:k + 1, i], A[i], x)
            np.testing.assert_allclose(s.T[k, i], want, rtol=1e-9, atol=1e-12)
        err = np.abs(np.arctan(x)[None] - s.T[:, i])
        assert s.top[20, i] == pytest.approx(np.max(err[:21][np.isfinite(err[:21])]), rel=1e-12)
    assert s.ok.all()
    bad = sw.sweep("ln(x)", A, w, sw.jet("ln(x)", A, 30))
    assert not bad.ok[0][np.array(A) <= 0].any() and bad.ok[30][np.array(A) > 0].all()


def test_eps_runs_are_eps_intervals():
    rng = np.random.default_rng(7)
    x = np.linspace(-2, 2, 121)
    err = 10.0 ** rng.uniform(-4, 1, size=(40, 121))
    err[3] = np.nan
    err[4, ::5] = np.inf
    err[5] = 0.0
    runs = sw.eps_runs(x, err, 0.1)
    assert runs == [tx.eps_intervals(x, e, 0.1) for e in err]
    assert runs[3] == [] and runs[5] == [(-2.0, 2.0)]


def test_y_ranges_are_the_figure_y_range():
    rng = np.random.default_rng(3)
    F = rng.normal(size=(12, 121)) * np.array([1, 1e3, 1e-3, 100, 1, 1, 1, 1, 1, 1, 1, 1])[:, None]
    F[4, :50] = np.nan
    F[5, 7] = np.inf
    F[6] = 2.0
    F[7] = np.nan
    F[8, ::2] = -np.inf
    lo, hi = tf._y_ranges(F)
    for r in range(len(F)):
        assert (lo[r], hi[r]) == pytest.approx(tp._y_range(F[r]), rel=1e-12, abs=1e-12), r


def test_rows_encode_as_frames_encode():
    """Byte for byte what ``explorer.figures.frames.encode`` gives each row (one number and a
    length for a constant row or one of gaps; 16-bit steps else), so the chart decodes them as usual."""
    rng = np.random.default_rng(1)
    M = rng.normal(size=(12, 121)) * rng.uniform(1e-6, 1e6, size=(12, 1))
    M[3] = 2.5
    M[4] = np.nan
    M[5, :60] = np.nan
    M[6] = np.inf
    M[7, ::3], M[7, 1::3] = np.nan, 1.0
    M[8, 9] = 1e300
    got = encode_rows(M)
    assert got == [encode(r) for r in M]
    assert got[3] == {"dtype": "c", "v": 2.5, "n": 121} and got[4]["v"] is None
    back = _numbers(decode(got[0]))
    assert np.max(np.abs(back - M[0])) <= np.ptp(M[0]) / 65534


def test_a_frames_shapes_are_the_figure_shapes():
    """The ε band, the line at a and the radius as ``panels_1d`` draws them, at the release's a."""
    text, n, eps, w = "1/(1+x^2)", 4, 1e-2, 4.0
    frames = tf.a_frames(text, n, eps, w, NPLAY, A)
    for i in (0, 25, 47):
        a = A[i]
        exp = tx.expand_1d(text, a, NPLAY)
        c = tx.curves_1d(text, exp, (round(a - w, 4), round(a + w, 4)), npts=121)
        _, layout = tp.panels_1d(c, a, n, eps, tx.radius_of_convergence(text, a, exp.coeffs))
        got = frames["layout"][i]["shapes"]
        assert len(got) == len(layout["shapes"])
        for g, want in zip(got, layout["shapes"]):
            assert {k: v for k, v in g.items() if k not in ("x0", "x1")} == \
                {k: v for k, v in want.items() if k not in ("x0", "x1")}
            assert g["x0"] == pytest.approx(want["x0"], abs=0.07) and g["x1"] == pytest.approx(want["x1"], abs=0.07)
        assert math.isclose(got[-4]["x0"], a - math.sqrt(1 + a * a), rel_tol=1e-4)     # |a ± i|
