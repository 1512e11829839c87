"""The χ² grid over two parameters (explorer.regression.descent.chi2_grid, issue 21): its fast
paths (exact quadratic form, one linear parameter, chunked sums) against the direct sum
Σ ((yᵢ − f(xᵢ)) / σᵢ)² written out here with the model as plain numpy."""
from __future__ import annotations

import math
import time

import numpy as np
import pytest

from explorer import regression as rg
from explorer.regression import descent
from explorer.regression.data import subsample

# (model, parameters at which the others are held, numpy version of the model)
LINE = ("m*x + c", {"m": 1.7, "c": -0.4}, lambda x, p: p["m"] * x + p["c"])
POLY = ("a0 + a1*x + a2*x^2", {"a0": 0.5, "a1": -1.2, "a2": 0.3},
        lambda x, p: p["a0"] + p["a1"] * x + p["a2"] * x ** 2)
EXPB = ("A*exp(k*x) + B", {"A": 3.0, "k": -0.4, "B": 0.7}, lambda x, p: p["A"] * np.exp(p["k"] * x) + p["B"])
LOGI = ("L/(1 + exp(-k*(x - x0)))", {"L": 4.0, "k": 1.3, "x0": 2.5},
        lambda x, p: p["L"] / (1 + np.exp(-p["k"] * (x - p["x0"]))))


def data(n, seed, weighted, model=LINE):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 6, n))
    s = rng.uniform(0.2, 3.0, n) if weighted else None
    y = model[2](x, model[1]) + rng.normal(0, 1, n) * (1 if s is None else s)
    return x, y, s


def direct(model, x, y, s, params, px, py, a, b):
    """Z[j, i] = Σ wᵢ (yᵢ − f(xᵢ; px = a_i, py = b_j))², each cell an exactly rounded sum (fsum)."""
    w = np.ones(x.size) if s is None else 1 / s ** 2
    Z = np.empty((b.size, a.size))
    for jj, bv in enumerate(b):
        for ii, av in enumerate(a):
            p = dict(params, **{px: av, py: bv})
            Z[jj, ii] = math.fsum(w * (y - model[2](x, p)) ** 2)
    return Z


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("model, px, py, xr, yr", [
    (LINE, "m", "c", (0.5, 3.0), (-2.0, 1.5)),        # both linear: the quadratic form
    (LINE, "c", "m", (-2.0, 1.5), (0.5, 3.0)),
    (POLY, "a2", "a0", (0.1, 0.5), (-1.0, 2.0)),      # a third parameter held at its value
    (EXPB, "A", "B", (2.0, 4.0), (0.0, 1.5)),
    (EXPB, "A", "k", (2.0, 4.0), (-0.6, -0.2)),       # linear in the horizontal one only
    (EXPB, "k", "A", (-0.6, -0.2), (2.0, 4.0)),       # ... in the vertical one only
    (LOGI, "k", "x0", (0.6, 2.0), (1.5, 3.5)),        # nonlinear in both: direct sums in chunks
])
def test_fast_grid_equals_the_direct_sum(model, px, py, xr, yr, weighted):
    x, y, s = data(300, 7, weighted, model)
    a, b, Z = rg.chi2_grid(model[0], x, y, model[1], px, py, xr, yr, s, n=13, digits=15)
    np.testing.assert_allclose(a, np.linspace(*xr, 13), rtol=5e-6)     # axes: 6 significant figures
    np.testing.assert_allclose(b, np.linspace(*yr, 13), rtol=5e-6)
    ref = direct(model, x, y, s, model[1], px, py, a, b)
    assert Z.shape == (13, 13) and np.all(np.isfinite(Z))
    np.testing.assert_allclose(Z, ref, rtol=1e-9, atol=0)


def test_exact_path_keeps_its_digits_for_x_far_from_zero():
    """x near 2000: the uncentred sums Σwx² and Σwx nearly cancel along the χ² valley; the grid
    (χ²min + |R δ|², sums of non-negative terms) still agrees with the direct sum, also at the
    grid point nearest the minimum where χ² is small."""
    rng = np.random.default_rng(2)
    x = 2000 + np.sort(rng.uniform(0, 10, 500))
    y = 0.3 * x - 550 + rng.normal(0, 0.01, x.size)
    line = rg.line_fit(x, y)
    a, b, Z = rg.chi2_grid("m*x + c", x, y, {"m": 0.3, "c": -550.0}, "m", "c",
                           (0.3, 0.3 + 1e-4), (-550.0, -549.8), n=5, digits=15)
    np.testing.assert_allclose(Z, direct(LINE, x, y, None, {"m": 0, "c": 0}, "m", "c", a, b), rtol=1e-9)
    assert Z.min() < 100 * line.chi2


@pytest.mark.parametrize("model, px, py", [(LINE, "m", "c"), (EXPB, "A", "k")])
def test_exact_paths_sum_every_point_of_a_large_data_set(model, px, py):
    x, y, s = data(10_000, 11, True, model)
    p = model[1]
    xr, yr = (p[px] * 0.8, p[px] * 1.2), (p[py] * 1.2, p[py] * 0.8)
    a, b, Z = rg.chi2_grid(model[0], x, y, p, px, py, xr, yr, s, n=4, digits=15)
    np.testing.assert_allclose(Z, direct(model, x, y, s, p, px, py, a, b), rtol=1e-9)


def test_nonlinear_grid_of_a_large_data_set_is_its_subsample_scaled_to_the_whole():
    x, y, s = data(10_000, 5, False, LOGI)
    xr, yr = (0.9, 1.7), (2.0, 3.0)
    a, b, Z = rg.chi2_grid(LOGI[0], x, y, LOGI[1], "k", "x0", xr, yr, s, n=5, digits=15)
    idx = subsample(x.size, descent.GRID_SAMPLE)
    sub = direct(LOGI, x[idx], y[idx], None, LOGI[1], "k", "x0", a, b) * (x.size / idx.size)
    np.testing.assert_allclose(Z, sub, rtol=1e-9)
    # and the estimate is close to the whole data's χ² (4000 of 10,000 points: a few per cent)
    np.testing.assert_allclose(Z, direct(LOGI, x, y, None, LOGI[1], "k", "x0", a, b), rtol=0.1)


def test_orientation_rows_are_the_vertical_parameter():
    x, y, s = data(50, 1, False, EXPB)
    a, b, Z = rg.chi2_grid(EXPB[0], x, y, EXPB[1], "A", "k", (1, 5), (-1, 0), n=7, digits=15)
    p = dict(EXPB[1], A=a[2], k=b[5])
    assert Z[5, 2] == pytest.approx(math.fsum((y - EXPB[2](x, p)) ** 2), rel=1e-12)
    assert Z[2, 5] != pytest.approx(Z[5, 2], rel=1e-6)


@pytest.mark.parametrize("model, px, py, xr, yr", [
    ("A*sqrt(x) + B", "A", "B", (1, 2), (0, 1)),            # exact path, x < 0: undefined
    ("A*sqrt(x - k)", "A", "k", (1, 2), (0, 2)),           # one linear
    ("log(k*x) + 0*A + w*x^2", "k", "w", (-1, 1), (0, 1)),  # direct: log of k x ≤ 0
])
def test_undefined_values_come_back_nan_where_the_direct_sum_is_not_finite(model, px, py, xr, yr):
    x = np.linspace(-1, 3, 60)
    y = np.sqrt(np.abs(x))
    names = rg.model_parameters(model)
    params = {k: 1.0 for k in names}
    a, b, Z = rg.chi2_grid(model, x, y, params, px, py, xr, yr, n=6, digits=15)
    assert np.all(np.isnan(Z))
    x = np.linspace(0.5, 3, 60)
    a, b, Z = rg.chi2_grid(model, x, np.sqrt(x), params, px, py, xr, yr, n=6, digits=15)
    assert np.isfinite(Z).any() and np.all(np.isnan(Z) | (Z >= 0))


def test_the_page_default_grid_is_fast_for_ten_thousand_rows():
    """Issue 21's upload budget: the straight line's and the amplitude/decay grids (the page's
    defaults) over 10,000 rows take milliseconds (the sum at every grid point took ~0.3 s)."""
    x, y, s = data(10_000, 3, False, EXPB)
    for model, px, py, limit in [(LINE, "m", "c", 0.05), (EXPB, "A", "k", 0.15)]:
        rg.chi2_grid(model[0], x, y, model[1], px, py, (1, 2), (-1, 0), s, n=40)
        t = time.perf_counter()
        rg.chi2_grid(model[0], x, y, model[1], px, py, (1, 2), (-1, 0), s, n=40)
        assert time.perf_counter() - t < limit, model[0]
