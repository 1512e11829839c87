"""Uncertainty of a least-squares fit: the covariance of the free parameters from the Jacobian,
the information criteria, and confidence and prediction bands by the delta method.

The delta method: near the optimum the model is linear in its parameters, so the variance of the
fitted curve at x is gᵀ C g, with g = ∂f/∂p at x and C the parameters' covariance.  A band is the
curve ± t · √variance, with Student's t at n − p degrees of freedom (p the free parameters).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from explorer.regression.models import _compiled_model


def covariance_from_jacobian(J: np.ndarray) -> tuple[np.ndarray, str | None]:
    """(JᵀJ)⁻¹ of a (weighted) Jacobian by its SVD, as scipy's curve_fit; with a problem in words
    (and an all-inf matrix) when J is not finite or singular (a parameter not identifiable)."""
    p = J.shape[1]
    if not np.all(np.isfinite(J)):
        return np.full((p, p), np.nan), "the Jacobian at the solution is not finite"
    _, sv, VT = np.linalg.svd(J, full_matrices=False)
    thresh = np.finfo(float).eps * max(J.shape) * (sv[0] if sv.size else 0)
    if sv.size < p or np.any(sv <= thresh):
        return np.full((p, p), np.inf), ("the covariance cannot be estimated: the parameters are not "
                                         "all identifiable from these data (the Jacobian is singular)")
    return (VT.T / sv ** 2) @ VT, None


def information_criteria(chi2: float, n: int, k: int) -> tuple[float, float, float]:
    """lmfit's AIC = n ln(χ²/n) + 2k, BIC = n ln(χ²/n) + k ln n and AICc = AIC + 2k(k+1)/(n−k−1),
    with k the free parameters (NaN where a formula is undefined: χ² not finite, n − k − 1 ≤ 0)."""
    if not (math.isfinite(chi2) and n > 0):
        return math.nan, math.nan, math.nan
    base = n * math.log(chi2 / n) if chi2 > 0 else -math.inf
    aic = base + 2 * k
    bic = base + k * math.log(n)
    aicc = aic + 2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else math.nan
    return aic, aicc, bic


def student_t(level: float, dof: int) -> float:
    """The two-sided Student's t quantile for a central ``level`` (0.95 → t₀.₉₇₅)."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (got {level!r})")
    return float(stats.t.ppf(0.5 + level / 2, dof)) if dof > 0 else math.nan


def model_gradient(model: str, names, params: np.ndarray, free_idx, x: np.ndarray) -> np.ndarray:
    """∂f/∂p at ``x`` for the free parameters (n × len(free_idx)): the symbolic Jacobian, or
    central differences when the model's derivative was too large to compile."""
    cm = _compiled_model(model, tuple(names))
    with np.errstate(all="ignore"):
        G = cm.jacobian(x, params, free_idx)
        if G is not None:
            return G
        G = np.empty((x.size, len(free_idx)))
        for j, i in enumerate(free_idx):
            h = 1e-6 * max(abs(params[i]), 1e-3)
            up, down = params.copy(), params.copy()
            up[i] += h
            down[i] -= h
            G[:, j] = (cm.values(x, up) - cm.values(x, down)) / (2 * h)
    return G


def band_halfwidth(G: np.ndarray, cov: np.ndarray, t: float, extra_variance=0.0) -> np.ndarray:
    """t · √(gᵀ C g + extra) for each row g of G (extra: a new point's own variance, or 0)."""
    var = np.einsum("ij,jk,ik->i", G, cov, G) + extra_variance
    return t * np.sqrt(np.maximum(var, 0.0))
