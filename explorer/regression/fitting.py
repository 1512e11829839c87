"""Robust nonlinear least squares of a typed model: one trust-region solve (restarts only when it
fails or looks poor), a Levenberg–Marquardt polish, bounds and fixed parameters, standard errors
from the Jacobian, and honesty about failure.  ``ModelFit`` (the result) lives in ``fit_result``."""
from __future__ import annotations

import hashlib
import math
import time
import warnings
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import optimize

from explorer.expressions import to_latex
from explorer.regression.data import DataError, clean_xy
from explorer.regression.fit_result import ModelFit
from explorer.regression.models import _compiled_model, linear_in
from explorer.regression.uncertainty import covariance_from_jacobian, information_criteria

__all__ = ["ModelFit", "fit_model", "fit_statistics"]

MAX_FIT_ROWS = 200_000    # points a nonlinear fit takes (each model evaluation is O(n))
TIME_BUDGET = 1.5         # seconds a fit may take before it stops with the best point so far


class _OutOfTime(Exception):
    """Raised inside the residual or Jacobian function when the fit's time budget has run out."""


_SOLVER_ERRORS = (ValueError, np.linalg.LinAlgError, FloatingPointError, OverflowError, ZeroDivisionError)


def _fail(names, p0, message, n=0, dropped=0, fixed=(), model="") -> ModelFit:
    nan = float("nan")
    free = [k for k in names if k not in fixed]
    return ModelFit(params={k: float(p0[k]) for k in names}, stderr={k: nan for k in names},
                    chi2=nan, reduced_chi2=nan, success=False, message=message, names=tuple(names),
                    start={k: float(p0[k]) for k in names}, n=n, dropped=dropped, fixed=tuple(fixed),
                    covariance=pd.DataFrame(np.full((len(free), len(free)), nan), index=free, columns=free),
                    model=model)


def _bounds(names, free, bounds) -> tuple[np.ndarray, np.ndarray, str | None]:
    lo = np.full(len(free), -np.inf)
    hi = np.full(len(free), np.inf)
    for k, pair in (bounds or {}).items():
        if k not in names:
            raise ValueError(f"bounds name {k!r}, which is not a parameter of the model")
        if k not in free:
            continue                      # a fixed parameter keeps its value whatever its bounds
        a, b = (float(v) if v is not None else math.nan for v in pair)
        a = -np.inf if math.isnan(a) else a
        b = np.inf if math.isnan(b) else b
        if not a < b:
            return lo, hi, f"The bounds of {k} are not an interval: the lower ({a:g}) must be below the upper ({b:g})."
        lo[free.index(k)], hi[free.index(k)] = a, b
    return lo, hi, None


def fit_model(model: str, x, y, p0: Mapping[str, float], sigma=None, *,
              bounds: Mapping[str, tuple[float, float]] | None = None, fixed: Iterable[str] | None = None,
              restarts: int | None = None, seed: int = 0,
              time_budget: float | None = TIME_BUDGET) -> ModelFit:
    """Nonlinear least squares of ``model`` (text in x and the parameters named in ``p0``).

    One trust-region solve (scipy ``least_squares``, method ``"trf"``, Jacobian scaling) from the
    start; restarts from log-scaled perturbations of the start (the best χ² wins) only when that
    solve fails or looks poor: it did not converge, χ² is not finite, the curve explains less than
    10 % of the data's spread (χ² ≥ 0.9 × the weighted spread about the weighted mean: a wrong
    local minimum such as a sinusoid of the wrong frequency), or the Jacobian at the solution is
    singular (a parameter ran off to where it has no effect).  ``restarts`` forces that many.
    Without bounds a Levenberg–Marquardt polish follows (``method="lm"``); with bounds every solve
    is ``"trf"``, which honours them (a start outside its bounds is moved onto the nearest bound).
    ``bounds`` maps a name to ``(lo, hi)`` (±inf or None for an open side); ``fixed`` names
    parameters held at their ``p0`` value.  The model and its symbolic Jacobian are evaluated by
    their compiled code directly (no NaN-guard wrapper per call).

    Honest about failure: ``success`` is False with a message when the solver did not converge, the
    covariance is not finite, residuals are not finite, the parameters never moved from the start,
    or the solver warned.  A fit that ends on a bound is a success of the bounded problem; the
    message and ``at_bound`` say so.  Raises ``ExpressionError`` (a ValueError) for a model that
    cannot be read, and ValueError for a bound or fixed name that is not a parameter.

    A budget: at most ``MAX_FIT_ROWS`` points (more are refused with a message), and solving stops
    after ``time_budget`` seconds (None: no limit).  A fit stopped by the budget keeps the best point
    evaluated so far, is not a success, and its message says so; restarts cut short by it are
    counted in the message.
    """
    clock = time.perf_counter     # wall-clock: what the visitor waits (a loaded server stops sooner)
    deadline = [math.inf if time_budget is None else clock() + time_budget]
    names = tuple(p0)
    if not names:
        raise ValueError("p0 must name at least one parameter")
    if "x" in names:
        raise ValueError("'x' is the variable, not a parameter")
    cm = _compiled_model(model, names)
    fixed_set = set(fixed or ())
    if fixed_set - set(names):
        raise ValueError(f"fixed names {sorted(fixed_set - set(names))}, which are not parameters of the model")
    fixed_t = tuple(k for k in names if k in fixed_set)
    free = [k for k in names if k not in fixed_set]
    free_idx = [names.index(k) for k in free]
    lo, hi, bound_problem = _bounds(names, free, bounds)

    def fail(message, n=0, dropped=0):
        return _fail(names, p0, message, n, dropped, fixed_t, model)

    full = np.array([float(p0[k]) for k in names], dtype=float)
    try:
        x, y, s, dropped = clean_xy(x, y, sigma)
    except DataError as err:
        return fail(str(err))
    n, p = x.size, len(free)
    if bound_problem:
        return fail(bound_problem, n, dropped)
    if not np.all(np.isfinite(full)):
        return fail("A start value is not a finite number.", n, dropped)
    if not free:
        return fail("Every parameter is fixed: there is nothing to fit.", n, dropped)
    if n == 0:
        return fail("There are no usable data points (all missing or not finite).", n, dropped)
    if n > MAX_FIT_ROWS:
        return fail(f"The data has {n:,} points; a model fit here takes at most {MAX_FIT_ROWS:,} "
                    "(each step of the solver evaluates the model at every point). Use fewer rows, or "
                    "the straight-line view, which fits any number by formula.", n, dropped)
    if n < p:
        return fail(f"Only {n} data points for {p} free parameters: the fit is not determined.", n, dropped)
    if np.ptp(x) == 0:
        return fail("All x values are equal, so the model's shape in x cannot be fitted "
                    "(the parameters are not identifiable).", n, dropped)
    start = full[free_idx].copy()
    moved_in = [k for k, v, a, b in zip(free, start, lo, hi) if not a <= v <= b]
    start = np.clip(start, lo, hi)
    bounded = bool(np.any(np.isfinite(lo)) or np.any(np.isfinite(hi)))
    w = None if s is None else 1.0 / s

    seen = {"chi2": math.inf, "x": None, "fun": None, "nfev": 0}   # the best point evaluated so far

    def resid(q):
        if clock() > deadline[0]:
            raise _OutOfTime
        full[free_idx] = q
        r = cm.values(x, full) - y
        r = r if w is None else r * w
        seen["nfev"] += 1
        c2 = float(r @ r)
        if c2 < seen["chi2"]:                      # NaN never compares smaller
            seen.update(chi2=c2, x=np.array(q, dtype=float), fun=np.array(r))
        return r

    jac_fn = "2-point"
    if cm.raw_jac is not None:
        def jac_fn(q):
            if clock() > deadline[0]:
                raise _OutOfTime
            full[free_idx] = q
            J = cm.jacobian(x, full, free_idx)
            return J if w is None else J * w[:, None]

    def solve(q0, method="trf", budget=400):
        kw = dict(ftol=1e-14, xtol=1e-14, gtol=1e-14, max_nfev=budget * (p + 1), x_scale="jac")
        if method == "trf":
            return optimize.least_squares(resid, q0, jac=jac_fn, method="trf", bounds=(lo, hi), **kw)
        return optimize.least_squares(resid, q0, jac=jac_fn, method="lm", **kw)

    def chi2_of(r):
        return float(r.fun @ r.fun) if np.all(np.isfinite(r.fun)) else np.inf

    linear = linear_in(model, names, tuple(free))
    wy = np.ones(n) if w is None else w
    ybar = float(np.sum(wy ** 2 * y) / np.sum(wy ** 2))
    chi2_const = float(np.sum((wy * (y - ybar)) ** 2))

    best, best_chi2, nfev, tried = None, np.inf, 0, 1
    out_of_time = stopped_first = False   # the budget ran out (before the first solve ended)
    planned = 0
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            best = solve(start)
            nfev, best_chi2 = best.nfev, chi2_of(best)
        except _SOLVER_ERRORS:
            best = None
        except _OutOfTime:
            out_of_time = stopped_first = True
            best, best_chi2 = _best_seen(seen), seen["chi2"]
        if restarts is None:      # a linear model's χ² has one minimum: restarts only repeat it
            restarts = (int(np.clip(2_000_000 // max(n, 1), 2, 12))
                        if not linear and _looks_poor(best, best_chi2, chi2_const) else 0)
        planned = 0 if out_of_time else restarts
        rng = np.random.default_rng(seed)
        for k in range(planned):
            factor = 10.0 ** rng.uniform(-1.5, 1.5, p) if k >= 2 else np.full(p, 10.0 ** (1 if k == 0 else -1))
            jitter = np.where(start == 0, rng.normal(0, 1.0, p), 0.0)
            tried += 1
            try:
                r = solve(np.clip(start * factor + jitter, lo, hi), budget=40)
            except _SOLVER_ERRORS:
                continue
            except _OutOfTime:
                out_of_time = True
                break
            nfev += r.nfev
            c2 = chi2_of(r)
            if c2 < best_chi2 * (1 - 1e-12):
                best, best_chi2 = r, c2
        if best is not None and not best.success and not out_of_time:   # a restart won but stopped early: finish it
            try:
                r = solve(best.x)
                nfev += r.nfev
                if chi2_of(r) <= best_chi2:
                    best, best_chi2 = r, chi2_of(r)
            except _SOLVER_ERRORS:
                pass
            except _OutOfTime:
                out_of_time = True
    nfev = max(nfev, seen["nfev"]) if out_of_time else nfev
    if best is None:
        return fail("The model cannot be evaluated at the start values (it gives undefined or "
                    "infinite values there); try other start values.", n, dropped)
    # polish with Levenberg–Marquardt (unbounded only), catching the solver's warnings honestly
    best_lm = None
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        if not bounded and not out_of_time:
            try:
                pol = solve(best.x, "lm")
                nfev += pol.nfev
                best_lm = pol if chi2_of(pol) <= best_chi2 else None
            except (*_SOLVER_ERRORS, _OutOfTime):   # out of time: the trust-region result stands
                best_lm = None
    deadline[0] = math.inf                          # the statistics below are not cut short
    caught_msgs = [str(wm.message).splitlines()[0][:160] for wm in caught
                   if issubclass(wm.category, (optimize.OptimizeWarning, RuntimeWarning, UserWarning))]
    final = best_lm if best_lm is not None else best
    q = final.x
    with np.errstate(all="ignore"):
        r = resid(q)
        J = jac_fn(q) if callable(jac_fn) else final.jac
        if J is None:                               # stopped by the budget, no symbolic Jacobian
            J = _forward_jacobian(resid, np.asarray(q, float), r)
    chi2 = float(r @ r)
    dof = n - p
    red = chi2 / dof if dof > 0 else float("nan")

    problems: list[str] = []
    cov, cov_problem = covariance_from_jacobian(np.asarray(J, float))
    if cov_problem:
        problems.append(cov_problem)
    elif s is None:
        if dof > 0:
            cov = cov * red
        else:
            cov = np.full((p, p), np.inf)
            problems.append("no degrees of freedom are left to estimate the uncertainties")
    if not cov_problem and not np.all(np.isfinite(cov)) and not problems:
        problems.append("the covariance is not finite")
    if not np.all(np.isfinite(r)):
        problems.append("the residuals are not finite")
    if stopped_first:
        problems.append(f"the time budget ({time_budget:g} s) ran out after {nfev} model evaluations on "
                        f"{n:,} points, so these are the best values found so far, not a converged fit "
                        "(fewer points, or start values nearer the answer, help)")
    elif not (best.success or (best_lm is not None and best_lm.success)):
        problems.append(f"the solver did not converge ({final.message})")
    if out_of_time and not stopped_first:      # restarts were wanted (the first fit looked poor)
        problems.append(f"the time budget ({time_budget:g} s) ran out after {tried} of {planned + 1} starts, "
                        "so a better fit may exist (fewer points, or start values nearer the answer, help)")
    if np.array_equal(q, start) and not _stationary(J, r):
        problems.append("the parameters never moved from their start values (the model may not "
                        "depend on them, or the solver could not take a step)")
    if caught_msgs:
        problems.append("the solver warned: " + "; ".join(dict.fromkeys(caught_msgs)))
    at_bound = tuple(k for k, v, a, b in zip(free, q, lo, hi)
                     if np.isclose(v, a, rtol=1e-7, atol=1e-12) or np.isclose(v, b, rtol=1e-7, atol=1e-12))
    success = not problems
    if success:
        how = (f"best of {tried} starts, {nfev} model evaluations" if tried > 1 else
               f"{nfev} model evaluations; the model is linear in its parameters, so χ² has a single "
               "minimum and one start suffices" if linear else
               f"{nfev} model evaluations; the first solve converged to a good fit, so no restarts")
        message = (f"Converged: χ² = {chi2:.6g}" + (f", reduced χ² = {red:.4g}" if dof > 0 else "")
                   + f" ({how}).")
    else:
        message = "The fit did not really succeed: " + "; ".join(problems) + "."
    if at_bound:
        message += (" Ended on a bound (the best fit within the bounds, not a free optimum): "
                    + ", ".join(f"{k} = {v:.6g}" for k, v in zip(free, q) if k in at_bound) + ".")
    if moved_in:
        message += " Start values outside their bounds were moved onto them: " + ", ".join(moved_in) + "."
    if fixed_t:
        message += " Held fixed: " + ", ".join(fixed_t) + "."
    if dropped:
        message += f" {dropped} point(s) with missing or non-finite values were left out."
    full[free_idx] = q
    with np.errstate(all="ignore"):
        raw_res = y - cm.values(x, full)
        ss_tot = float(((y - y.mean()) ** 2).sum())
        ss_res = float((raw_res ** 2).sum())
    stderr = dict.fromkeys(names, float("nan"))
    stderr.update({k: float(v) for k, v in zip(free, np.sqrt(np.diag(cov)))})
    aic, aicc, bic = information_criteria(chi2, n, p)
    digest = hashlib.blake2b(digest_size=12)
    for a in (x, y, s if s is not None else np.zeros(0)):
        digest.update(np.ascontiguousarray(a).tobytes())
    return ModelFit(params={k: float(v) for k, v in zip(names, full)}, stderr=stderr,
                    chi2=chi2, reduced_chi2=float(red), success=success, message=message,
                    names=names, start={k: float(p0[k]) for k in names},
                    covariance=pd.DataFrame(cov, index=free, columns=free),
                    residuals=raw_res, n=n, dof=dof, nfev=int(nfev), starts_tried=tried,
                    dropped=dropped, r2=1 - ss_res / ss_tot if ss_tot > 0 else float("nan"),
                    latex=to_latex(cm[0]), model=model, fixed=fixed_t,
                    bounds={k: (float(a), float(b)) for k, a, b in zip(free, lo, hi)
                            if math.isfinite(a) or math.isfinite(b)},
                    at_bound=at_bound, weighted=s is not None, covariance_scaled=s is None,
                    sigma_rms=float(np.sqrt(np.mean(s ** 2))) if s is not None else float("nan"),
                    aic=aic, aicc=aicc, bic=bic, rmse=math.sqrt(ss_res / n),
                    r2_meaningful=linear, data_key=digest.hexdigest())


def _forward_jacobian(resid, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """∂r/∂q by forward differences (for the covariance of a fit the budget stopped)."""
    J = np.empty((r.size, q.size))
    for j in range(q.size):
        h = 1e-7 * max(1.0, abs(q[j]))
        step = q.copy()
        step[j] += h
        J[:, j] = (resid(step) - r) / h
    return J


def _best_seen(seen: dict):
    """The best point the residual function saw, shaped like a failed solver result (or None)."""
    if seen["x"] is None:
        return None
    return optimize.OptimizeResult(x=seen["x"], fun=seen["fun"], success=False, nfev=seen["nfev"],
                                   jac=None, message="stopped by the time budget")


def _looks_poor(r, chi2: float, chi2_const: float) -> bool:
    """Should restarts be tried after the first solve?  Yes when it raised or did not converge,
    χ² is not finite, the curve explains less than 10 % of the spread about the mean, or the
    Jacobian at the end is singular (column-scaled condition number over 10¹²: a parameter ran
    off to where the model no longer depends on it, as an exponential rate running to infinity)."""
    if r is None or not r.success or not math.isfinite(chi2):
        return True
    if chi2_const > 0 and chi2 >= 0.9 * chi2_const:
        return True
    J = np.asarray(r.jac, float)
    if not np.all(np.isfinite(J)):
        return True
    norms = np.linalg.norm(J, axis=0)
    if np.any(norms == 0):
        return True
    sv = np.linalg.svd(J / norms, compute_uv=False)
    return bool(sv[-1] <= 1e-12 * sv[0])


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
    return (f"χ² = {fit.chi2:.6g}, reduced χ² = χ²/(N − {len(fit.free)}) = {fit.reduced_chi2:.4g}, "
            f"R² = {fit.r2:.4f}")
