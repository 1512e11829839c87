"""``ModelFit``: what a nonlinear least-squares fit found, its statistics, and its uncertainty
(covariance, correlation, confidence and prediction bands) in a form a page and a test both read.

Conventions (the page states them):

- ``covariance`` is a pandas DataFrame over the FREE parameters (in ``p0`` order).  Without σ it
  is scaled by the reduced χ² (the scatter about the curve estimates the points' uncertainty);
  with σ it is absolute (the σ are taken as known): ``covariance_scaled`` says which.
- A fixed parameter is held at its start value: its ``stderr`` is NaN (it was not estimated), it
  is left out of the covariance and it does not count in ``dof`` or in k of AIC/AICc/BIC.
- ``rmse`` = √(Σ (yᵢ − f(xᵢ))² / n), in y's units, unweighted.  ``r2`` = 1 − SS_res/SS_tot
  (unweighted); ``r2_meaningful`` is True only for a model linear in its free parameters (for
  others R² is not the share of variance explained and can mislead).
- ``band(x, level, kind)``: the delta method with Student's t at n − p degrees of freedom.  The
  prediction band adds a new point's own variance: the residual variance χ²/dof for an unweighted
  fit; for a weighted fit σ² of the new point, given as ``sigma`` (a number or an array like x)
  or, when not given, the mean of the data's σ² (``sigma_rms``², a typical point's variance).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from explorer.numbers import nice_text
from explorer.regression.models import _compiled_model
from explorer.regression.uncertainty import band_halfwidth, model_gradient, student_t

KINDS = ("confidence", "prediction")


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame(dtype=float)


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
    covariance: pd.DataFrame = field(default_factory=_empty_frame)
    residuals: np.ndarray | None = None     # yᵢ − f(xᵢ) on the rows used
    n: int = 0
    dof: int = 0
    nfev: int = 0
    starts_tried: int = 0
    dropped: int = 0
    r2: float = float("nan")
    latex: str = ""
    model: str = ""
    fixed: tuple = ()                       # names held at their start value
    bounds: dict = field(default_factory=dict)   # name -> (lo, hi) as used (±inf where open)
    at_bound: tuple = ()                    # free parameters that ended on a bound
    weighted: bool = False                  # σ given
    covariance_scaled: bool = True          # scaled by reduced χ² (no σ) or absolute (σ given)
    sigma_rms: float = float("nan")         # √(mean σ²) of the data (weighted fits)
    aic: float = float("nan")
    aicc: float = float("nan")
    bic: float = float("nan")
    rmse: float = float("nan")
    r2_meaningful: bool = False
    data_key: str = ""                      # a digest of the (x, y, σ) fitted: same data or not

    @property
    def free(self) -> tuple:
        """The fitted parameters (every name not fixed), in ``p0`` order."""
        return tuple(k for k in self.names if k not in self.fixed)

    @property
    def correlation(self) -> pd.DataFrame:
        """The correlation matrix of the free parameters, Cᵢⱼ / √(Cᵢᵢ Cⱼⱼ) (NaN where undefined)."""
        c = self.covariance.to_numpy(dtype=float)
        with np.errstate(all="ignore"):
            d = np.sqrt(np.diag(c)) if c.size else np.zeros(0)
            r = c / np.outer(d, d)
        if not np.all(np.isfinite(c)):
            r = np.full_like(c, np.nan)
        return pd.DataFrame(r, index=self.covariance.index, columns=self.covariance.columns)

    def values(self, x) -> np.ndarray:
        """The fitted curve at ``x`` (NaN where it is undefined or infinite)."""
        x = np.asarray(x, dtype=float)
        cm = _compiled_model(self.model, tuple(self.names))
        with np.errstate(all="ignore"):
            out = cm.values(x.ravel(), np.array([self.params[k] for k in self.names])).copy()
        out[~np.isfinite(out)] = np.nan
        return out.reshape(x.shape)

    def band(self, x, level: float = 0.95, kind: str = "confidence", sigma=None):
        """(lower, upper) arrays of model values at ``x``: where the true curve lies
        (``"confidence"``) or where a new measurement lies (``"prediction"``) with probability
        ``level``.  ``sigma`` (weighted fits only) is the new point's σ; see the module notes."""
        if kind not in KINDS:
            raise ValueError(f"kind must be 'confidence' or 'prediction' (got {kind!r})")
        t = student_t(level, self.dof)
        x = np.asarray(x, dtype=float)
        xs = x.ravel()
        curve = self.values(xs)
        cov = self.covariance.to_numpy(dtype=float)
        if not self.free or cov.shape != (len(self.free),) * 2 or not np.all(np.isfinite(cov)) \
                or not math.isfinite(t):
            nan = np.full(x.shape, np.nan)
            return nan, nan.copy()
        full = np.array([self.params[k] for k in self.names])
        G = model_gradient(self.model, self.names, full, [self.names.index(k) for k in self.free], xs)
        extra = 0.0
        if kind == "prediction":
            if not self.weighted:
                extra = self.reduced_chi2
            else:
                s = self.sigma_rms if sigma is None else np.broadcast_to(np.asarray(sigma, float), x.shape).ravel()
                extra = np.asarray(s, float) ** 2
        hw = band_halfwidth(G, cov, t, extra)
        return (curve - hw).reshape(x.shape), (curve + hw).reshape(x.shape)

    def describe_uncertainty(self) -> str:
        """One or two sentences for the page: how the uncertainties were obtained."""
        if not math.isfinite(self.chi2) or not np.all(np.isfinite(self.covariance.to_numpy(dtype=float))):
            return ("No uncertainties are available: the fit did not give a finite covariance "
                    "(see its message).")
        if self.covariance_scaled:
            text = ("No σ was given, so the uncertainties are estimated from the scatter of the points "
                    "about the curve: the covariance is scaled by the reduced χ²"
                    + (f" ({nice_text(self.reduced_chi2, 4)})." if math.isfinite(self.reduced_chi2) else "."))
        else:
            text = ("Each point's σ was given, so the covariance is absolute (the σ are taken as the "
                    "true measurement errors, not rescaled by the reduced χ²"
                    + (f" = {nice_text(self.reduced_chi2, 4)}" if math.isfinite(self.reduced_chi2) else "") + ").")
            if math.isfinite(self.reduced_chi2) and not 0.5 <= self.reduced_chi2 <= 2:
                text += (" The reduced χ² is far from 1, so the σ may not describe the scatter: "
                         "the standard errors may be too " +
                         ("small." if self.reduced_chi2 > 2 else "large."))
        text += (f" Bands use the delta method with Student's t at {self.dof} degrees of freedom"
                 f" (n − p = {self.n} − {len(self.free)}).")
        if self.fixed:
            text += (" Held fixed (not fitted, no standard error, not counted in the degrees of "
                     "freedom): " + ", ".join(self.fixed) + ".")
        if self.at_bound:
            text += (" Ended on a bound: " + ", ".join(self.at_bound) + "; there the standard error "
                     "describes the curvature of χ² only, not a symmetric uncertainty.")
        return text
