"""Taylor series and linearisation: exact coefficients, error curves, bounds, 2D approximations.

One concept per module:
- ``jet``, ``walk``: the series engine. A *jet* evaluator walks the expression tree once and
  carries the truncated (Laurent) series of every sub-expression ("Taylor-mode automatic
  differentiation"): exact sympy coefficients, or floats on a whole grid at once.
- ``series``: ``taylor_coefficients``, ``taylor_polynomial``, numeric (mpmath) coefficients and
  ``derivative_grid`` (every f⁽ᵏ⁾(x)/k! on a grid).
- ``expansion``: ``expand_1d`` (exact within a time limit, else numeric, with a note) and the
  ``Expansion`` the page shows, with its LaTeX.
- ``bounds``: f and every Tₖ on a window, |f − Tₖ|, Lagrange's bound, the ε-runs, the error table.
- ``radius``, ``singularities``: the radius of convergence, exact from the nearest complex
  singularity of f (found from its expression), else a labelled estimate.
- ``two_d``: f(x, y) near (x₀, y₀): the Taylor polynomial, value, J and H, the surfaces T₀, T₁, T₂.
- ``presets``: the functions the page offers.
"""
from explorer.taylor.bounds import (Curves, curves_1d, eps_intervals, error_table, evaluate_polynomial,
                                    lagrange_bound)
from explorer.taylor.expansion import Expansion, expand_1d
from explorer.taylor.jet import TaylorError
from explorer.taylor.presets import PRESETS_1D, PRESETS_2D
from explorer.taylor.radius import Radius, estimate_radius, radius_of_convergence
from explorer.taylor.series import (derivative_grid, exact_point, numeric_coefficients, taylor_coefficients,
                                    taylor_polynomial)
from explorer.taylor.two_d import Local2D, local_2d, share_below, surfaces_2d, taylor_polynomial_2d

__all__ = [
    "TaylorError", "PRESETS_1D", "PRESETS_2D", "taylor_coefficients", "taylor_polynomial",
    "taylor_polynomial_2d", "numeric_coefficients", "derivative_grid", "expand_1d", "Expansion",
    "curves_1d", "Curves", "eps_intervals", "error_table", "evaluate_polynomial", "lagrange_bound",
    "radius_of_convergence", "Radius", "estimate_radius", "local_2d", "Local2D", "surfaces_2d", "share_below", "exact_point",
]
