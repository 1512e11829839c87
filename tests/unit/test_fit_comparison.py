"""Information criteria and model comparison (issue 21): AIC, AICc and BIC by lmfit's definitions
computed by hand, ΔAICc and the extra-sum-of-squares F test by their formulas, nesting, words."""
import math

import numpy as np
import pytest
from scipy import stats

from explorer.regression import compare_models, fit_model
from explorer.regression.comparison import _support_words


def test_aic_bic_aicc_follow_lmfits_definitions_on_a_small_example():
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([1.1, 2.9, 5.2, 7.1, 8.8, 11.2])
    fit = fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    m, c = np.polyfit(x, y, 1)
    chi2 = float(np.sum((y - m * x - c) ** 2))          # 0.2 ... by hand: the residuals of lstsq
    n, k = 6, 2
    assert fit.chi2 == pytest.approx(chi2, rel=1e-10)
    aic = n * math.log(chi2 / n) + 2 * k
    bic = n * math.log(chi2 / n) + k * math.log(n)
    aicc = aic + 2 * k * (k + 1) / (n - k - 1)
    assert (fit.aic, fit.bic, fit.aicc) == pytest.approx((aic, bic, aicc), rel=1e-10)
    assert fit.dof == 4 and fit.reduced_chi2 == pytest.approx(chi2 / 4)
    # k counts FREE parameters only: fixing c leaves k = 1
    held = fit_model("m*x + c", x, y, {"m": 1.0, "c": 1.0}, fixed=["c"])
    chi2h = held.chi2
    assert held.aic == pytest.approx(n * math.log(chi2h / n) + 2, rel=1e-12)
    assert held.aicc == pytest.approx(held.aic + 2 * 1 * 2 / (n - 2), rel=1e-12)
    # AICc needs n > k + 1
    three = fit_model("a + b*x + c*x^2", x[:4], y[:4], {"a": 0, "b": 1, "c": 0})
    assert math.isfinite(three.aic) and math.isnan(three.aicc)


def background_data(offset=0.4, seed=2, n=30):
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 4, n)
    return x, 2.5 * np.exp(-0.9 * x) + offset + rng.normal(0, 0.05, n)


def test_delta_aicc_and_the_f_test_match_their_formulas():
    x, y = background_data()
    simpler = fit_model("A*exp(-k*x)", x, y, {"A": 1, "k": 1})
    richer = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0})
    assert simpler.success and richer.success
    cmp = compare_models(simpler, richer)
    n, ps, pr = x.size, 2, 3
    assert cmp.nested and cmp.same_data
    assert cmp.delta_aicc == pytest.approx(richer.aicc - simpler.aicc, rel=1e-12)

    def aicc(chi2, k):
        return n * math.log(chi2 / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
    assert cmp.delta_aicc == pytest.approx(aicc(richer.chi2, pr) - aicc(simpler.chi2, ps), rel=1e-10)
    F = ((simpler.chi2 - richer.chi2) / (pr - ps)) / (richer.chi2 / (n - pr))
    assert cmp.f_statistic == pytest.approx(F, rel=1e-12)
    assert cmp.f_test_p == pytest.approx(stats.f.sf(F, pr - ps, n - pr), rel=1e-10)
    assert (cmp.dfn, cmp.dfd) == (1, n - 3)
    # the background is real: the richer model wins clearly, and the sentence says so
    assert cmp.delta_aicc < -10 and cmp.f_test_p < 1e-6 and cmp.preferred == "richer"
    assert "essentially no support" in cmp.sentence and "p < 0.05" in cmp.sentence


def test_an_extra_parameter_that_is_not_needed_gets_no_support():
    x, y = background_data(offset=0.0, seed=5)
    simpler = fit_model("A*exp(-k*x)", x, y, {"A": 1, "k": 1})
    richer = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0})
    cmp = compare_models(simpler, richer)
    assert cmp.nested and cmp.f_test_p > 0.05 and abs(cmp.delta_aicc) < 2 and cmp.preferred == "either"
    assert "p ≥ 0.05" in cmp.sentence and "no real difference" in cmp.sentence


def test_nesting_is_found_from_the_models_or_said_by_the_caller():
    rng = np.random.default_rng(1)
    x = np.linspace(0.5, 3, 40)
    y = 1 + 2 * x - 0.5 * x ** 2 + 0.1 * x ** 3 + rng.normal(0, 0.05, x.size)
    quad = fit_model("a0 + a1*x + a2*x^2", x, y, {"a0": 0, "a1": 0, "a2": 0})
    cubic = fit_model("a0 + a1*x + a2*x^2 + a3*x^3", x, y, {"a0": 0, "a1": 0, "a2": 0, "a3": 0})
    assert compare_models(quad, cubic).nested                     # a3 = 0
    power = fit_model("A*x^b", x, y, {"A": 1, "b": 1})
    line0 = fit_model("A*x", x, y, {"A": 1})
    assert compare_models(line0, power).nested                    # b = 1
    other = fit_model("a/(1 + b*x)", x, y, {"a": 1, "b": 0.1})
    cmp = compare_models(line0, other)
    assert not cmp.nested and math.isnan(cmp.f_test_p) and "not nested" in cmp.sentence
    assert math.isfinite(cmp.delta_aicc)
    # the caller may say: then the F test is computed whatever the names
    forced = compare_models(line0, other, nested=True)
    assert forced.nested and math.isfinite(forced.f_test_p)
    # a parameter fixed in the simpler fit is the value the richer one reduces to
    held = fit_model("A*x^b", x, y, {"A": 1, "b": 1.3}, fixed=["b"])
    assert compare_models(held, power).nested
    # different data cannot be compared
    shifted = fit_model("A*x^b", x, y + 1, {"A": 1, "b": 1})
    cmp = compare_models(power, shifted)
    assert not cmp.same_data and math.isnan(cmp.delta_aicc) and "not of the same data" in cmp.sentence


@pytest.mark.parametrize("delta,words,preferred", [
    (1.5, "no real difference", "either"), (-1.9, "no real difference", "either"),
    (3.0, "somewhat less support", "simpler"), (-5.0, "considerably less support", "richer"),
    (8.0, "much less support", "simpler"), (-12.0, "essentially no support", "richer")])
def test_burnham_and_anderson_in_words(delta, words, preferred):
    got_preferred, text = _support_words(delta)
    assert words in text and got_preferred == preferred
