"""The straight line y = m x + c: weighted least squares in closed form, χ²(m, c), and the χ²
landscape over (m, c) computed from the centred sums (cheap whatever the data size)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from explorer.numbers import round_sig
from explorer.regression.data import DataError, clean_xy, weights


@dataclass
class LineFit:
    m: float
    c: float
    sm: float            # standard error of m
    sc: float            # standard error of c
    cov_mc: float
    chi2: float
    reduced_chi2: float
    r2: float
    n: int
    dof: int
    has_sigma: bool
    dropped: int = 0
    stats: dict = field(default_factory=dict, repr=False)


def _line_stats(x, y, w) -> dict:
    S = w.sum()
    xm = (w * x).sum() / S
    ym = (w * y).sum() / S
    dx, dy = x - xm, y - ym
    return dict(S=S, xm=xm, ym=ym, Sxx=(w * dx * dx).sum(), Sxy=(w * dx * dy).sum(),
                Syy=(w * dy * dy).sum(), n=x.size)


def line_fit(x, y, sigma=None) -> LineFit:
    """Weighted least-squares line in closed form (centred sums, so large x stay accurate):

    m = Σwᵢ(xᵢ−x̄)(yᵢ−ȳ) / Σwᵢ(xᵢ−x̄)²,  c = ȳ − m x̄,  wᵢ = 1/σᵢ² (1 without σ).
    Without σ the uncertainties are scaled by the reduced χ² (σ estimated from the scatter).
    """
    x, y, s, dropped = clean_xy(x, y, sigma)
    if x.size < 2:
        raise DataError("At least two points are needed to fit a line.")
    w = weights(s, x.size)
    st = _line_stats(x, y, w)
    if not st["Sxx"] > 1e-300 or np.ptp(x) == 0:
        raise DataError("All x values are equal, so the slope cannot be found: a vertical spread "
                        "of points has no best straight line y = m x + c.")
    m = st["Sxy"] / st["Sxx"]
    c = st["ym"] - m * st["xm"]
    chi2 = max(float(st["Syy"] - m * st["Sxy"]), 0.0)
    r = y - (m * x + c)
    chi2_direct = float((w * r * r).sum())
    if math.isfinite(chi2_direct):
        chi2 = chi2_direct
    dof = x.size - 2
    red = chi2 / dof if dof > 0 else float("nan")
    var_m = 1.0 / st["Sxx"]
    var_c = 1.0 / st["S"] + st["xm"] ** 2 / st["Sxx"]
    cov = -st["xm"] / st["Sxx"]
    scale = 1.0 if s is not None else (red if dof > 0 else float("nan"))
    r2 = 1.0 - chi2 / st["Syy"] if st["Syy"] > 0 else float("nan")
    return LineFit(m=float(m), c=float(c), sm=float(math.sqrt(var_m * scale)) if scale == scale else float("nan"),
                   sc=float(math.sqrt(var_c * scale)) if scale == scale else float("nan"),
                   cov_mc=float(cov * scale), chi2=float(chi2), reduced_chi2=float(red), r2=float(r2),
                   n=int(x.size), dof=int(dof), has_sigma=s is not None, dropped=dropped, stats=st)


def chi2_line(m: float, c: float, x, y, sigma=None) -> float:
    """χ²(m, c) = Σ ((yᵢ − (m xᵢ + c)) / σᵢ)²."""
    x, y, s, _ = clean_xy(x, y, sigma)
    r = y - (m * x + c)
    return float((weights(s, x.size) * r * r).sum())


def chi2_from_stats(st: dict, m, c):
    """χ²(m, c) from the centred weighted sums: cheap on any grid whatever the data size."""
    c_c = c + m * st["xm"] - st["ym"]          # intercept error at the centre
    return st["Syy"] - 2 * m * st["Sxy"] + m * m * st["Sxx"] + st["S"] * c_c * c_c


def chi2_line_grid(fit: LineFit, m_range, c_range, n: int = 50, digits: int = 4):
    """The χ² landscape over (m, c) on an n×n grid, values rounded to ``digits`` significant
    figures (small to send to the browser).  Returns (m values, c values, Z[c, m])."""
    ms = round_sig(np.linspace(*m_range, n), 6)
    cs = round_sig(np.linspace(*c_range, n), 6)
    M, C = np.meshgrid(ms, cs)
    Z = np.maximum(chi2_from_stats(fit.stats, M, C), 0.0)
    return ms, cs, round_sig(Z, digits)



def line_summary(fit: LineFit) -> dict[str, str]:
    """The line's results as text for a results table: m and c with their standard errors, R², χ²
    and the reduced χ²."""
    return {"m": f"{fit.m:.5g} ± {fit.sm:.2g}", "c": f"{fit.c:.5g} ± {fit.sc:.2g}", "R²": f"{fit.r2:.4f}",
            "χ²": f"{fit.chi2:.4g}", "reduced χ² = χ²/(N−2)": f"{fit.reduced_chi2:.3g}"}
