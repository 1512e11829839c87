"""How wrong Tₙ is: f and every Tₖ on a window, the error |f − Tₖ|, Lagrange's bound on it, the
runs where the error is below ε, and the table of the largest error per order."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.expressions import compile_expression
from explorer.taylor.expansion import Expansion
from explorer.taylor.series import derivative_grid


#: Lagrange's bound on the error of Tₙ, stacked so that each line fits the narrow column beside
#: the 1D chart at 1024 px (also in presenter mode)
LAGRANGE_TEX = (r"\begin{aligned}&|f(x)-T_n(x)|\\ &\quad\le \frac{M_{n+1}}{(n+1)!}\,|x-a|^{n+1},\\ "
                r"&M_{n+1} = \max_{\xi\in[a,x]}|f^{(n+1)}(\xi)|\end{aligned}")


def evaluate_polynomial(coeffs: Sequence[float], a: float, x: np.ndarray) -> np.ndarray:
    """Σ c_k (x − a)ᵏ by Horner's rule."""
    t = np.asarray(x, dtype=float) - a
    out = np.zeros_like(t)
    with np.errstate(all="ignore"):
        for c in reversed(list(coeffs)):
            out = out * t + c
    return out


@dataclass
class Curves:
    x: np.ndarray
    f: np.ndarray
    T: np.ndarray            # (nmax+1, len(x)): T_0..T_nmax
    err: np.ndarray          # |f − T_k|
    bound: np.ndarray        # Lagrange bound for each k (NaN where not computable)
    max_err: np.ndarray      # largest |f − T_k| on the window (NaN-aware)

    @property
    def max_bound(self) -> np.ndarray:
        """The largest Lagrange bound on the window for each k (NaN where it is nowhere known)."""
        out = np.full(len(self.bound), np.nan)
        for k, row in enumerate(self.bound):
            known = row[~np.isnan(row)]
            if known.size:
                out[k] = known.max()
        return out


def curves_1d(text: str, exp: Expansion, window: tuple[float, float], npts: int = 201,
              fine: int = 4) -> Curves:
    """f, every Tₖ (k ≤ n), |f − Tₖ| and the Lagrange bound on a grid of the window."""
    lo, hi = window
    x = np.linspace(lo, hi, npts)
    f = compile_expression(text, ("x",))(x)
    n = len(exp.coeffs) - 1
    T = np.array([evaluate_polynomial(exp.coeffs[:k + 1], exp.a, x) for k in range(n + 1)])
    with np.errstate(all="ignore"):
        err = np.abs(f[None, :] - T)
    max_err = np.array([np.nanmax(e) if np.isfinite(e).any() else np.nan for e in err])
    bound = lagrange_bound(text, exp.a, n, x, fine=fine)
    return Curves(x, f, T, err, bound, max_err)


def lagrange_bound(text: str, a: float, n: int, x: np.ndarray, fine: int = 4) -> np.ndarray:
    """(max |f⁽ᵏ⁺¹⁾| between a and x)/(k+1)! · |x − a|ᵏ⁺¹ for k = 0..n, shape (n+1, len(x)).

    The maximum is taken over a grid ``fine`` times denser than ``x`` (plus a itself); NaN where f
    is undefined somewhere between a and x (the theorem does not apply there).
    """
    x = np.asarray(x, dtype=float)
    xf = np.union1d(np.linspace(min(x.min(), a), max(x.max(), a), fine * len(x)), np.append(x, a))
    d = derivative_grid(text, xf, n + 1)                # d[k] = f^(k)/k!
    fvals = compile_expression(text, ("x",))(xf)
    ia = int(np.searchsorted(xf, a))
    out = np.full((n + 1, len(x)), np.nan)
    bad = ~np.isfinite(fvals)
    for k in range(n + 1):
        g = np.abs(d[k + 1])
        M = np.full_like(g, np.nan)
        # outward from a: running max (ignoring isolated NaN derivatives where f itself is fine)
        right = np.fmax.accumulate(g[ia:])
        right[np.cumsum(bad[ia:]) > 0] = np.nan
        left = np.fmax.accumulate(g[:ia + 1][::-1])
        left[np.cumsum(bad[:ia + 1][::-1]) > 0] = np.nan
        M[ia:] = right
        M[:ia + 1] = left[::-1]
        Mx = np.interp(x, xf, M)          # xf contains every x, so this picks the exact value
        Mx[~np.isfinite(np.interp(x, xf, np.where(np.isfinite(M), 0.0, np.nan)))] = np.nan
        with np.errstate(all="ignore"):
            out[k] = Mx * np.abs(x - a) ** (k + 1)
    return out


def eps_intervals(x: np.ndarray, err: np.ndarray, eps: float) -> list[tuple[float, float]]:
    """Maximal runs of grid points where err < eps, as (x_start, x_end)."""
    ok = np.isfinite(err) & (err < eps)
    out = []
    i, N = 0, len(x)
    while i < N:
        if ok[i]:
            j = i
            while j + 1 < N and ok[j + 1]:
                j += 1
            out.append((float(x[i]), float(x[j])))
            i = j + 1
        else:
            i += 1
    return out


def error_table(c: Curves, n: int) -> str:
    """A markdown table, one row per order k: the largest |f − Tₖ| and the largest Lagrange bound
    on the window ("—" where the bound is not known); the row of order ``n`` in bold."""
    bound = c.max_bound
    lines = ["| n | max \\|f − Tₙ\\| | max Lagrange bound |", "| ---: | ---: | ---: |"]
    for k in range(len(c.max_err)):
        b = "—" if not math.isfinite(bound[k]) else f"{bound[k]:.3g}"
        cells = [str(k), f"{c.max_err[k]:.3g}", b]
        if k == n:
            cells = [f"**{s}**" for s in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
