"""Comparing two fits of the same data: ΔAICc (Burnham & Anderson's scale in words) and, when
one model is nested in the other, the extra-sum-of-squares F test.

``nested`` (when the caller does not say) is decided by the models themselves: the simpler fit's
free parameters are all free in the richer one, the richer one has more, and setting the richer
model's extra parameters to 0 or 1 (or to the simpler fit's fixed value of that name) gives the
simpler model exactly, checked numerically at random points (x in [0.1, 3], shared parameters in
[0.5, 2]).  That covers the usual cases: an added background (+ c, c = 0), a higher polynomial
degree (a₃ = 0), a second peak (its height 0), an exponent (x^b, b = 1).  A caller who knows
better passes ``nested=True`` or ``False``.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from explorer.numbers import nice_text
from explorer.regression.fit_result import ModelFit
from explorer.regression.models import _compiled_model

_CANDIDATES = (0.0, 1.0)
_MAX_EXTRA = 6


@dataclass(frozen=True)
class ModelComparison:
    delta_aicc: float          # richer.aicc − simpler.aicc (negative: the richer model is preferred)
    f_test_p: float            # the F test's p-value (NaN when the models are not nested)
    f_statistic: float
    dfn: int                   # extra free parameters of the richer model
    dfd: int                   # n − free parameters of the richer model
    nested: bool
    same_data: bool
    preferred: str             # "simpler", "richer" or "either" (|ΔAICc| < 2)
    sentence: str


def _reduces_to(simpler: ModelFit, richer: ModelFit) -> bool:
    s_free, r_free = set(simpler.free), set(richer.free)
    extra = [k for k in richer.free if k not in s_free]
    if not s_free < r_free or len(extra) > _MAX_EXTRA:
        return False
    rng = np.random.default_rng(7)
    x = rng.uniform(0.1, 3.0, 24)
    shared = {k: rng.uniform(0.5, 2.0, x.size) for k in s_free}
    s_model = _compiled_model(simpler.model, tuple(simpler.names))
    r_model = _compiled_model(richer.model, tuple(richer.names))
    s_args = [shared[k] if k in shared else simpler.params[k] for k in simpler.names]
    with np.errstate(all="ignore"):
        target = s_model[1](x, *s_args)
        for combo in itertools.product(*[_choices(simpler, k) for k in extra]):
            values = dict(zip(extra, combo))
            r_args = [shared.get(k, values.get(k, richer.params[k])) for k in richer.names]
            got = r_model[1](x, *r_args)
            ok = np.isfinite(target) & np.isfinite(got)
            if ok.sum() >= 12 and np.array_equal(np.isfinite(target), np.isfinite(got)) and \
                    np.allclose(got[ok], target[ok], rtol=1e-9, atol=1e-12):
                return True
    return False


def _choices(simpler: ModelFit, name: str):
    if name in simpler.fixed:
        return (simpler.params[name],)
    return _CANDIDATES


def _support_words(delta: float) -> tuple[str, str]:
    a = abs(delta)
    if a < 2:
        return "either", ("no real difference in support between the two models (|ΔAICc| < 2), "
                          "so the simpler one will do")
    better, worse = ("richer", "simpler") if delta < 0 else ("simpler", "richer")
    if a < 4:
        level = "somewhat less support (2 ≤ |ΔAICc| < 4)"
    elif a <= 7:
        level = "considerably less support (|ΔAICc| between 4 and 7)"
    elif a <= 10:
        level = "much less support (|ΔAICc| between 7 and 10)"
    else:
        level = "essentially no support (|ΔAICc| > 10)"
    return better, f"the {better} model is preferred: the {worse} one has {level}"


def compare_models(simpler: ModelFit, richer: ModelFit, *, nested: bool | None = None) -> ModelComparison:
    """Compare two fits of the same data.  ``delta_aicc`` = richer.aicc − simpler.aicc (Burnham &
    Anderson: |Δ| < 2 no real difference, 4–7 considerably less support for the worse model,
    > 10 essentially none).  The F test for nested models: F = ((χ²ₛ − χ²ᵣ)/(pᵣ − pₛ)) /
    (χ²ᵣ/(n − pᵣ)), p = scipy.stats.f.sf(F, pᵣ − pₛ, n − pᵣ).  ``nested``: see the module notes."""
    same = bool(simpler.data_key) and simpler.data_key == richer.data_key and simpler.n == richer.n
    k_s, k_r = len(simpler.free), len(richer.free)
    n = richer.n
    if nested is None:
        nested = same and k_r > k_s and _reduces_to(simpler, richer)
    nested = bool(nested)
    nan = math.nan
    if not same:
        return ModelComparison(nan, nan, nan, k_r - k_s, n - k_r, nested, False, "either",
                               "The two fits are not of the same data (points, or σ), so they cannot be "
                               "compared.")
    delta = richer.aicc - simpler.aicc
    f_stat = p_value = nan
    dfn, dfd = k_r - k_s, n - k_r
    if nested and dfn > 0 and dfd > 0 and richer.chi2 > 0 and math.isfinite(simpler.chi2):
        f_stat = ((simpler.chi2 - richer.chi2) / dfn) / (richer.chi2 / dfd)
        p_value = float(stats.f.sf(f_stat, dfn, dfd))
    if not math.isfinite(delta):
        preferred, text = "either", ("ΔAICc cannot be computed (a fit failed, or too few points: AICc "
                                     "needs n > k + 1)")
    else:
        preferred, words = _support_words(delta)
        text = f"ΔAICc = AICc(richer) − AICc(simpler) = {nice_text(delta, 3)}; {words}"
    text += "."
    if math.isfinite(p_value):
        verdict = ("improve the fit by more than chance would (p < 0.05)" if p_value < 0.05 else
                   "do not improve the fit by more than chance would (p ≥ 0.05)")
        text += (f" F test (the simpler model is nested in the richer): F = {nice_text(f_stat, 4)} on ({dfn}, {dfd}) "
                 f"degrees of freedom, p = {nice_text(p_value, 3)}: the {dfn} extra parameter(s) {verdict}.")
        if richer.chi2 > simpler.chi2:
            text += " The richer fit has the larger χ², so it did not reach its best fit: check its start."
    elif not nested:
        text += " The models are not nested (neither reduces to the other), so the F test does not apply."
    return ModelComparison(float(delta), float(p_value), float(f_stat), dfn, dfd, nested, True,
                           preferred, text)
