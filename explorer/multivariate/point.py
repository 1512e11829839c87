"""One point (x₀, y₀): f, ∇f, H and H's eigen-pairs there, the second-derivative test with its
reason, the nearest stationary point, and the point's numbers as LaTeX."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.multivariate.derivatives import Derivatives, as_function
from explorer.numbers import tex_number


@dataclass(frozen=True)
class Classification:
    kind: str        # "minimum" | "maximum" | "saddle" | "inconclusive" | "not stationary" | "undefined"
    label: str
    reason: str


@dataclass(frozen=True)
class PointAnalysis:
    x0: float
    y0: float
    f: float
    grad: np.ndarray            # (2,)
    hess: np.ndarray            # (2, 2)
    eigvals: np.ndarray         # ascending
    eigvecs: np.ndarray         # columns
    classification: Classification

    @property
    def grad_norm(self) -> float:
        return float(np.hypot(*self.grad))


def classify(grad, hess, *, rtol: float = 1e-6) -> Classification:
    """The second-derivative test, with the reason spelled out."""
    grad, hess = np.asarray(grad, float), np.asarray(hess, float)
    if not (np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))):
        return Classification("undefined", "undefined here",
                              "f or its derivatives are not defined at this point.")
    scale = max(1.0, float(np.max(np.abs(hess))))
    gnorm = float(np.hypot(*grad))
    if gnorm > rtol * scale:
        return Classification("not stationary", "not a stationary point",
                              f"|∇f| = {gnorm:.3g} ≠ 0: the surface still slopes here, so it is "
                              "neither a minimum, a maximum nor a saddle.")
    lam = np.linalg.eigvalsh(hess)
    det = float(np.linalg.det(hess))
    tol = 1e-9 * scale
    if lam[0] > tol:
        return Classification("minimum", "minimum",
                              f"∇f = 0 and both eigenvalues of H are positive (det H = {det:.4g} > 0, "
                              f"∂²f/∂x² = {hess[0, 0]:.4g} > 0): the surface curves up in every direction.")
    if lam[1] < -tol:
        return Classification("maximum", "maximum",
                              f"∇f = 0 and both eigenvalues of H are negative (det H = {det:.4g} > 0, "
                              f"∂²f/∂x² = {hess[0, 0]:.4g} < 0): the surface curves down in every direction.")
    if lam[0] < -tol and lam[1] > tol:
        return Classification("saddle", "saddle point",
                              f"∇f = 0 and H has eigenvalues of both signs (det H = {det:.4g} < 0): "
                              "up along one eigenvector, down along the other.")
    return Classification("inconclusive", "test inconclusive",
                          f"∇f = 0 but det H = {det:.3g} ≈ 0 (an eigenvalue is zero): the second "
                          "derivatives cannot decide; higher-order terms do (x⁴ + y⁴ and x⁴ − y⁴ "
                          "both have H = 0 at the origin).")


def analyse_point(derivs: Derivatives, x0: float, y0: float) -> PointAnalysis:
    f0 = float(as_function(derivs.f)(x0, y0))
    g = np.array([float(as_function(e)(x0, y0)) for e in derivs.grad])
    h = np.array([[float(as_function(e)(x0, y0)) for e in row] for row in derivs.hess])
    if np.all(np.isfinite(h)):
        lam, vec = np.linalg.eigh(h)
    else:
        lam, vec = np.full(2, np.nan), np.full((2, 2), np.nan)
    return PointAnalysis(float(x0), float(y0), f0, g, h, lam, vec, classify(g, h))


def nearest_stationary_point(derivs: Derivatives, x0: float, y0: float, xr=None, yr=None):
    """A root of ∇f near (x0, y0) by scipy's ``root`` (hybr with the Hessian), or None."""
    from scipy.optimize import root
    gx, gy = as_function(derivs.grad[0]), as_function(derivs.grad[1])
    hs = [[as_function(e) for e in row] for row in derivs.hess]

    def fun(p):
        return np.array([float(gx(*p)), float(gy(*p))])

    def jac(p):
        return np.array([[float(h(*p)) for h in row] for row in hs])

    scale = 1.0 + float(np.nanmax(np.abs(fun([x0, y0])))) if np.all(np.isfinite(fun([x0, y0]))) else 1.0
    for method in ("hybr", "lm", "df-sane"):      # Newton-like first; df-sane copes with Rosenbrock's valley
        try:
            with np.errstate(all="ignore"):
                sol = root(fun, [x0, y0], jac=jac if method != "df-sane" else None, method=method)
        except (ValueError, FloatingPointError, OverflowError):
            continue
        if not np.all(np.isfinite(sol.x)):
            continue
        x, y = (float(v) for v in sol.x)
        g = fun([x, y])
        if not (np.all(np.isfinite(g)) and np.hypot(*g) < 1e-9 * scale):
            continue
        if xr is not None and not (xr[0] <= x <= xr[1] and yr[0] <= y <= yr[1]):
            continue
        return x, y
    return None


def stationary_point_for_sliders(derivs: Derivatives, x0: float, y0: float, xr, yr):
    """``nearest_stationary_point`` inside the window, to 9 decimals (a slider value), or None."""
    found = nearest_stationary_point(derivs, x0, y0, xr, yr)
    return None if found is None else (round(found[0], 9), round(found[1], 9))


def point_latex(pa: PointAnalysis) -> dict[str, str]:
    """The point's numbers as LaTeX: "reading" (f, ∇f, |∇f|), "J", "H", "eig" (eigen-pairs), "det"
    (det H) and "J, H" (the last four in one block)."""
    n = tex_number
    g, h = pa.grad, pa.hess
    out = {
        "reading": rf"f(x_0, y_0) = f({n(pa.x0)}, {n(pa.y0)}) = {n(pa.f)},\qquad "
                   rf"\nabla f = \left(\frac{{\partial f}}{{\partial x}}, \frac{{\partial f}}{{\partial y}}\right)"
                   rf" = ({n(g[0])}, {n(g[1])}),\quad |\nabla f| = {n(pa.grad_norm)}",
        "J": rf"J(x_0, y_0) = \begin{{bmatrix}} {n(g[0])} & {n(g[1])} \end{{bmatrix}}",
        "H": rf"H(x_0, y_0) = \begin{{bmatrix}} {n(h[0, 0])} & {n(h[0, 1])} \\ "
             rf"{n(h[1, 0])} & {n(h[1, 1])} \end{{bmatrix}}",
        "eig": (rf"\lambda_1 = {n(pa.eigvals[0])},\ \mathbf{{v}}_1 = ({n(pa.eigvecs[0, 0], 3)}, "
                rf"{n(pa.eigvecs[1, 0], 3)});\quad \lambda_2 = {n(pa.eigvals[1])},\ \mathbf{{v}}_2 = "
                rf"({n(pa.eigvecs[0, 1], 3)}, {n(pa.eigvecs[1, 1], 3)})"),
        "det": rf"\det H = {n(float(np.linalg.det(h)) if np.all(np.isfinite(h)) else float('nan'))}",
    }
    out["J, H"] = (r"\begin{gathered} " + out["J"] + r",\qquad " + out["H"] + r" \\[4pt] "
                   + out["eig"] + r",\qquad " + out["det"] + r" \end{gathered}")
    return out


def partials_latex(derivs: Derivatives, pa: PointAnalysis) -> str:
    """∂f/∂x and ∂f/∂y in x and y, and their values at the point."""
    lat = derivs.latex()
    return (rf"\frac{{\partial f}}{{\partial x}} = {lat['fx']} \;\Big|_{{(x_0,y_0)}} = {tex_number(pa.grad[0])}"
            rf"\qquad \frac{{\partial f}}{{\partial y}} = {lat['fy']} \;\Big|_{{(x_0,y_0)}} = {tex_number(pa.grad[1])}")
