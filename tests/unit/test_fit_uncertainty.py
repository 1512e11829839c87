"""fit_model's uncertainty (issue 21): the covariance against NIST's certified standard deviations,
the correlation matrix, and confidence/prediction bands against an independent delta-method
computation written here (finite-difference Jacobian, numpy, scipy's Student t)."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from explorer.regression import fit_model
from test_nist import MODELS, load, lre

NUMPY_MODELS = {           # the NIST models again, written in numpy for the independent check
    "Misra1a": lambda x, b: b[0] * (1 - np.exp(-b[1] * x)),
    "Chwirut2": lambda x, b: np.exp(-b[0] * x) / (b[1] + b[2] * x),
    "DanWood": lambda x, b: b[0] * x ** b[1],
    "Gauss1": lambda x, b: (b[0] * np.exp(-b[1] * x) + b[2] * np.exp(-(x - b[3]) ** 2 / b[4] ** 2)
                            + b[5] * np.exp(-(x - b[6]) ** 2 / b[7] ** 2)),
    "Thurber": lambda x, b: ((b[0] + b[1] * x + b[2] * x ** 2 + b[3] * x ** 3)
                             / (1 + b[4] * x + b[5] * x ** 2 + b[6] * x ** 3)),
    "BoxBOD": lambda x, b: b[0] * (1 - np.exp(-b[1] * x)),
}


def fd_jacobian(f, x, b):
    """Central differences, step 1e-6 relative: an independent ∂f/∂b."""
    b = np.asarray(b, float)
    cols = []
    for i in range(b.size):
        h = 1e-6 * max(abs(b[i]), 1e-8)
        up, dn = b.copy(), b.copy()
        up[i] += h
        dn[i] -= h
        cols.append((f(x, up) - f(x, dn)) / (2 * h))
    return np.column_stack(cols)


def delta_band(f, x, y, b, xs, level, kind, sigma=None, new_sigma=None):
    """The delta-method band computed from scratch: C = s²(JᵀJ)⁻¹ (unweighted) or (JᵀWJ)⁻¹
    (σ given), var = g C gᵀ (+ s² or σ_new² for a prediction), t at n − p."""
    w = np.ones_like(x) if sigma is None else 1 / sigma
    J = fd_jacobian(f, x, b) * w[:, None]
    r = (y - f(x, b)) * w
    n, p = J.shape
    C = np.linalg.inv(J.T @ J)
    s2 = r @ r / (n - p)
    if sigma is None:
        C = C * s2
    G = fd_jacobian(f, xs, b)
    var = np.einsum("ij,jk,ik->i", G, C, G)
    if kind == "prediction":
        var = var + (s2 if sigma is None else new_sigma ** 2)
    t = stats.t.ppf(0.5 + level / 2, n - p)
    return f(xs, b) - t * np.sqrt(var), f(xs, b) + t * np.sqrt(var)


@pytest.mark.parametrize("start", [0, 1], ids=["start1", "start2"])
@pytest.mark.parametrize("name", list(MODELS))
def test_covariance_agrees_with_nist_certified_standard_deviations(name, start):
    params, _rss, x, y = load(name)
    fit = fit_model(MODELS[name], x, y, {k: v[start] for k, v in params.items()})
    assert fit.success and fit.starts_tried == 1, fit.message      # no restart was needed
    cov = fit.covariance
    assert isinstance(cov, pd.DataFrame)
    assert list(cov.index) == list(cov.columns) == list(params)
    assert np.allclose(cov.to_numpy(), cov.to_numpy().T, rtol=1e-10, atol=0)
    assert fit.covariance_scaled and fit.dof == len(x) - len(params)
    for k, (_s1, _s2, _value, sd) in params.items():
        assert lre(math.sqrt(cov.loc[k, k]), sd) >= 3.0, (k, math.sqrt(cov.loc[k, k]), sd)
        assert fit.stderr[k] == math.sqrt(cov.loc[k, k])
    corr = fit.correlation
    assert np.allclose(np.diag(corr), 1.0) and np.all(np.abs(corr.to_numpy()) <= 1 + 1e-12)
    sd = np.sqrt(np.diag(cov.to_numpy()))
    assert np.allclose(corr.to_numpy(), cov.to_numpy() / np.outer(sd, sd))


@pytest.mark.parametrize("name", ["Misra1a", "Chwirut2", "DanWood", "Thurber", "BoxBOD", "Gauss1"])
@pytest.mark.parametrize("kind", ["confidence", "prediction"])
def test_nist_bands_agree_with_an_independent_delta_method(name, kind):
    params, _rss, x, y = load(name)
    fit = fit_model(MODELS[name], x, y, {k: v[1] for k, v in params.items()})
    b = np.array([fit.params[k] for k in params])
    xs = np.linspace(x.min(), x.max(), 57)
    for level in (0.68, 0.95, 0.99):
        lo, hi = fit.band(xs, level=level, kind=kind)
        ref_lo, ref_hi = delta_band(NUMPY_MODELS[name], x, y, b, xs, level, kind)
        assert lo.shape == hi.shape == xs.shape and np.all(lo < hi)
        assert np.allclose(hi - lo, ref_hi - ref_lo, rtol=0.01, atol=0), (level, kind)
        assert np.allclose((hi + lo) / 2, NUMPY_MODELS[name](xs, b), rtol=1e-9)


def test_weighted_bands_use_the_absolute_covariance_and_the_new_points_sigma():
    rng = np.random.default_rng(3)
    x = np.linspace(0, 5, 40)
    s = rng.uniform(0.05, 0.2, x.size)
    y = 3.0 * np.exp(-0.7 * x) + 0.5 + rng.normal(0, 1, x.size) * s
    fit = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0}, sigma=s)
    assert fit.success and fit.weighted and not fit.covariance_scaled, fit.message
    f = lambda x, b: b[0] * np.exp(-b[1] * x) + b[2]            # noqa: E731
    b = np.array([fit.params[k] for k in "AkB"])
    xs = np.linspace(-0.5, 6, 31)
    lo, hi = fit.band(xs, 0.95, "confidence")
    r_lo, r_hi = delta_band(f, x, y, b, xs, 0.95, "confidence", sigma=s)
    assert np.allclose(hi - lo, r_hi - r_lo, rtol=0.01)
    # a prediction band needs the new point's σ: by default the data's √(mean σ²) ...
    lo, hi = fit.band(xs, 0.95, "prediction")
    r_lo, r_hi = delta_band(f, x, y, b, xs, 0.95, "prediction", sigma=s, new_sigma=math.sqrt(np.mean(s ** 2)))
    assert fit.sigma_rms == pytest.approx(math.sqrt(np.mean(s ** 2)))
    assert np.allclose(hi - lo, r_hi - r_lo, rtol=0.01)
    # ... or the σ given (a number or one per x)
    lo, hi = fit.band(xs, 0.95, "prediction", sigma=0.3)
    r_lo, r_hi = delta_band(f, x, y, b, xs, 0.95, "prediction", sigma=s, new_sigma=0.3)
    assert np.allclose(hi - lo, r_hi - r_lo, rtol=0.01)
    # the absolute covariance is (JᵀWJ)⁻¹, not rescaled by the reduced χ²
    J = fd_jacobian(f, x, b) / s[:, None]
    assert np.allclose(fit.covariance.to_numpy(), np.linalg.inv(J.T @ J), rtol=1e-4)
    assert "absolute" in fit.describe_uncertainty()


def test_band_is_wider_for_higher_levels_and_prediction_wider_than_confidence():
    params, _rss, x, y = load("Misra1a")
    fit = fit_model(MODELS["Misra1a"], x, y, {k: v[1] for k, v in params.items()})
    assert fit.band([0.0])[0][0] == fit.band([0.0])[1][0] == 0.0     # every curve passes through 0
    xs = np.linspace(50, 900, 10)
    widths = [np.subtract(*fit.band(xs, lv)[::-1]) for lv in (0.68, 0.95, 0.99)]
    assert np.all(widths[0] < widths[1]) and np.all(widths[1] < widths[2])
    c = np.subtract(*fit.band(xs, 0.95, "confidence")[::-1])
    p = np.subtract(*fit.band(xs, 0.95, "prediction")[::-1])
    assert np.all(p > c)
    # at a point where the curve is pinned down, the prediction band is ≈ ± t·s
    t = stats.t.ppf(0.975, fit.dof)
    assert p.min() >= 2 * t * math.sqrt(fit.reduced_chi2)
    assert "scaled by the reduced χ²" in fit.describe_uncertainty()
    with pytest.raises(ValueError):
        fit.band(xs, 1.5)
    with pytest.raises(ValueError):
        fit.band(xs, 0.95, "credible")


def test_statistics_of_a_fit():
    params, rss, x, y = load("DanWood")
    fit = fit_model(MODELS["DanWood"], x, y, {k: v[0] for k, v in params.items()})
    assert fit.rmse == pytest.approx(math.sqrt(rss / len(x)), rel=1e-8)
    assert not fit.r2_meaningful                       # b1·x^b2 is not linear in b2
    line = fit_model("m*x + c", x, y, {"m": 1, "c": 0})
    assert line.r2_meaningful
    m, c = np.polyfit(x, y, 1)
    assert line.r2 == pytest.approx(1 - np.sum((y - m * x - c) ** 2) / np.sum((y - y.mean()) ** 2), rel=1e-10)
