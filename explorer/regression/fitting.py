"""Robust nonlinear least squares of a typed model: trust-region solves from several starts, a
Levenberg–Marquardt polish, standard errors from the Jacobian, and honesty about failure."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
from scipy import optimize

from explorer.expressions import to_latex
from explorer.regression.data import DataError, clean_xy
from explorer.regression.models import _compiled_model, linear_in_parameters


@dataclass
class ModelFit:
    params: dict
    stderr: dict
    chi2: float
    reduced_chi2: float
    success: bool
    message: str
    names: tuple = ()
    start: dict = field(default_factory=dict)
    covariance: np.ndarray | None = None
    residuals: np.ndarray | None = None     # yᵢ − f(xᵢ) on the rows used
    n: int = 0
    dof: int = 0
    nfev: int = 0
    starts_tried: int = 0
    dropped: int = 0
    r2: float = float("nan")
    latex: str = ""


def _fail(names, p0, message, n=0, dropped=0) -> ModelFit:
    nan = float("nan")
    return ModelFit(params={k: float(p0[k]) for k in names}, stderr={k: nan for k in names},
                    chi2=nan, reduced_chi2=nan, success=False, message=message, names=tuple(names),
                    start={k: float(p0[k]) for k in names}, n=n, dropped=dropped)


def fit_model(model: str, x, y, p0: Mapping[str, float], sigma=None, *, restarts: int | None = None,
              seed: int = 0) -> ModelFit:
    """Nonlinear least squares of ``model`` (text in x and the parameters named in ``p0``).

    Robust: a trust-region solve with Jacobian scaling from the start, several restarts from
    log-scaled perturbations of the start (the best χ² wins), then a Levenberg–Marquardt polish.
    The Jacobian is symbolic (sympy) when possible.  Honest about failure: ``success`` is False
    with a message when the solver did not converge, the covariance is not finite, residuals are
    not finite, the parameters never moved from the start, or the solver warned.
    Raises ``ExpressionError`` (a ValueError) for a model that cannot be read.
    """
    names = tuple(p0)
    if not names:
        raise ValueError("p0 must name at least one parameter")
    if "x" in names:
        raise ValueError("'x' is the variable, not a parameter")
    start = np.array([float(p0[k]) for k in names], dtype=float)
    expr, f, jac = _compiled_model(model, names)
    try:
        x, y, s, dropped = clean_xy(x, y, sigma)
    except DataError as err:
        return _fail(names, p0, str(err))
    n, p = x.size, len(names)
    if not np.all(np.isfinite(start)):
        return _fail(names, p0, "A start value is not a finite number.", n, dropped)
    if n == 0:
        return _fail(names, p0, "There are no usable data points (all missing or not finite).", n, dropped)
    if n < p:
        return _fail(names, p0, f"Only {n} data points for {p} parameters: the fit is not determined.",
                     n, dropped)
    if np.ptp(x) == 0:
        return _fail(names, p0, "All x values are equal, so the model's shape in x cannot be fitted "
                                "(the parameters are not identifiable).", n, dropped)
    w = np.ones(n) if s is None else 1.0 / s
    ones = np.ones(n)

    def resid(pv):
        return (f(x, *[pv_i * ones for pv_i in pv]) - y) * w

    jac_fn = "2-point"
    if jac is not None:
        def jac_fn(pv):
            args = [pv_i * ones for pv_i in pv]
            return np.column_stack([j(x, *args) for j in jac]) * w[:, None]

    def solve(p_start, method="trf", budget=400):
        kw = dict(ftol=1e-14, xtol=1e-14, gtol=1e-14, max_nfev=budget * (p + 1))
        if method == "trf":
            return optimize.least_squares(resid, p_start, jac=jac_fn, method="trf", x_scale="jac", **kw)
        return optimize.least_squares(resid, p_start, jac=jac_fn, method="lm", x_scale="jac", **kw)

    def chi2_of(r):
        return float(r.fun @ r.fun) if np.all(np.isfinite(r.fun)) else np.inf

    rng = np.random.default_rng(seed)
    if restarts is None:          # a linear model's χ² has one minimum: restarts only repeat it
        restarts = 0 if linear_in_parameters(model, names) else int(np.clip(2_000_000 // max(n, 1), 2, 12))
    starts = [start]
    for k in range(restarts):
        factor = 10.0 ** rng.uniform(-1.5, 1.5, p) if k >= 2 else np.full(p, 10.0 ** (1 if k == 0 else -1))
        jitter = np.where(start == 0, rng.normal(0, 1.0, p), 0.0)
        starts.append(start * factor + jitter)

    best, best_chi2, nfev = None, np.inf, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, ps in enumerate(starts):
            try:
                r = solve(ps, budget=400 if i == 0 else 40)
            except (ValueError, np.linalg.LinAlgError, FloatingPointError, OverflowError):
                continue
            nfev += r.nfev
            c2 = chi2_of(r)
            if c2 < best_chi2 * (1 - 1e-12):
                best, best_chi2 = r, c2
        if best is not None and not best.success:      # a restart won but stopped early: finish it
            try:
                r = solve(best.x)
                nfev += r.nfev
                if chi2_of(r) <= best_chi2:
                    best, best_chi2 = r, chi2_of(r)
            except (ValueError, np.linalg.LinAlgError, FloatingPointError, OverflowError):
                pass
    if best is None:
        return _fail(names, p0, "The model cannot be evaluated at the start values (it gives "
                                "undefined or infinite values there); try other start values.", n, dropped)
    # polish the best with Levenberg–Marquardt, catching the solver's warnings honestly
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pol = solve(best.x, "lm") if n >= p else None
            nfev += pol.nfev if pol is not None else 0
            if pol is not None and chi2_of(pol) <= best_chi2:
                best_lm = pol
            else:
                best_lm = None
        except (ValueError, np.linalg.LinAlgError):
            best_lm = None
    caught_msgs = [str(wm.message).splitlines()[0][:160] for wm in caught
                   if issubclass(wm.category, (optimize.OptimizeWarning, RuntimeWarning, UserWarning))]
    final = best_lm if best_lm is not None else best
    pv = final.x
    r = final.fun
    chi2 = float(r @ r)
    dof = n - p
    red = chi2 / dof if dof > 0 else float("nan")

    # covariance from the Jacobian at the solution (as curve_fit: pseudo-inverse via SVD)
    problems: list[str] = []
    J = final.jac
    cov = None
    if J is None or not np.all(np.isfinite(J)):
        problems.append("the Jacobian at the solution is not finite")
    else:
        _, sv, VT = np.linalg.svd(J, full_matrices=False)
        thresh = np.finfo(float).eps * max(J.shape) * (sv[0] if sv.size else 0)
        if sv.size < p or np.any(sv <= thresh):
            problems.append("the covariance cannot be estimated: the parameters are not all "
                            "identifiable from these data (the Jacobian is singular)")
            cov = np.full((p, p), np.inf)
        else:
            cov = (VT.T / sv ** 2) @ VT
            if s is None:
                cov = cov * red if dof > 0 else np.full((p, p), np.inf)
                if dof <= 0:
                    problems.append("no degrees of freedom are left to estimate the uncertainties")
    stderr_arr = np.sqrt(np.diag(cov)) if cov is not None else np.full(p, np.nan)
    if cov is not None and not np.all(np.isfinite(cov)) and not any("covariance" in q for q in problems):
        problems.append("the covariance is not finite")
    if not np.all(np.isfinite(r)):
        problems.append("the residuals are not finite")
    if not (best.success or (best_lm is not None and best_lm.success)):
        problems.append(f"the solver did not converge ({final.message})")
    if np.array_equal(pv, start) and not _stationary(J, r):
        problems.append("the parameters never moved from their start values (the model may not "
                        "depend on them, or the solver could not take a step)")
    if caught_msgs:
        problems.append("the solver warned: " + "; ".join(dict.fromkeys(caught_msgs)))
    success = not problems
    if success:
        message = (f"Converged: χ² = {chi2:.6g}"
                   + (f", reduced χ² = {red:.4g}" if dof > 0 else "")
                   + (f" (best of {len(starts)} starts, {nfev} model evaluations)." if len(starts) > 1 else
                      f" ({nfev} model evaluations; the model is linear in its parameters, so "
                      "χ² has a single minimum and one start suffices)."))
    else:
        message = "The fit did not really succeed: " + "; ".join(problems) + "."
    if dropped:
        message += f" {dropped} point(s) with missing or non-finite values were left out."
    ss_tot = float(((y - y.mean()) ** 2).sum())
    raw_res = y - f(x, *[v * ones for v in pv])
    r2 = 1 - float((raw_res ** 2).sum()) / ss_tot if ss_tot > 0 else float("nan")
    return ModelFit(params={k: float(v) for k, v in zip(names, pv)},
                    stderr={k: float(v) for k, v in zip(names, stderr_arr)},
                    chi2=chi2, reduced_chi2=float(red), success=success, message=message,
                    names=names, start={k: float(v) for k, v in zip(names, start)}, covariance=cov,
                    residuals=raw_res, n=n, dof=dof, nfev=int(nfev), starts_tried=len(starts),
                    dropped=dropped, r2=float(r2), latex=to_latex(expr))


def _stationary(J, r) -> bool:
    """Is χ² flat at this point (gradient Jᵀr negligible relative to the problem's scales)?  A fit
    whose start already is the optimum (e.g. a linear model started at its exact solution) has not
    failed just because its parameters did not move."""
    if J is None or not (np.all(np.isfinite(J)) and np.all(np.isfinite(r))):
        return False
    g = J.T @ r
    scale = np.linalg.norm(J, axis=0) * (np.linalg.norm(r) + 1e-300)
    return bool(np.all(scale > 0) and np.all(np.abs(g) <= 1e-8 * scale))



def fit_statistics(fit: ModelFit) -> str:
    """χ², the reduced χ² with its degrees of freedom, and R², in one line."""
    return (f"χ² = {fit.chi2:.6g}, reduced χ² = χ²/(N − {len(fit.names)}) = {fit.reduced_chi2:.4g}, "
            f"R² = {fit.r2:.4f}")
