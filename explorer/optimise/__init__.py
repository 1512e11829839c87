"""Optimisation, step by step: Newton-Raphson in 1D, descent strategies in 2D, Lagrange multipliers.

Everything here takes the user's TEXT (parsed with the safe parser) and returns small dataclasses
with the whole iteration history (``explorer.result.IterationResult``), so a chart and a test read
the same numbers.

- ``newton``: Newton-Raphson and its basins of attraction
- ``descent``: steepest descent, Newton, the course's hybrid, momentum and Adam in 2D
- ``lagrange``: the points where ∇f = λ∇g on g = 0 (sympy, or ``scipy.optimize.root``)
- ``constraint``: the curve g = 0 in order (``contourpy``) and the walk along it
- ``presets``: the page's example functions, their windows and usual starts
- ``compiled``: the compiled scalar bundles (f and its derivatives in one call) and chart grids

The iteration steps are written by hand on purpose (they are the lesson); the tests compare them
with ``scipy.optimize``.
"""
from explorer.optimise.compiled import grid
from explorer.optimise.constraint import ConstraintWalk, constraint_walk
from explorer.optimise.descent import (HYBRID_MAX_STEP, METHODS, DescentResult, descend,
                                       start_arrow_label, start_from_arrow, start_from_click)
from explorer.optimise.lagrange import LagrangePoint, LagrangeSolution, lagrange_points, lagrange_solve
from explorer.optimise.newton import FAILURES, Basins, NewtonResult, newton_basins, newton_raphson

__all__ = [
    "NewtonResult", "newton_raphson", "newton_basins", "Basins", "FAILURES",
    "DescentResult", "descend", "METHODS", "HYBRID_MAX_STEP",
    "LagrangePoint", "LagrangeSolution", "lagrange_points", "lagrange_solve",
    "ConstraintWalk", "constraint_walk", "grid", "start_arrow_label", "start_from_arrow", "start_from_click",
]
