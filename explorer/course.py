"""The course: every page of the app, written once.

The entry point builds its navigation from ``PAGES``, the course map lists the modules, lecture mode
maps a lesson's page to its file, and the tests open every page from here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    url_path: str      # the address: /derivatives
    file: str          # the script, relative to the project root
    title: str         # in the navigation
    icon: str
    blurb: str = ""    # one line on the course map ("" for pages not on the map)
    module: bool = True  # one of the six course modules


PAGES: tuple[PageInfo, ...] = (
    PageInfo("home", "pages/home.py", "Course map", "🗺️", module=False),
    PageInfo("derivatives", "pages/derivatives.py", "1 · What is calculus?", "📈",
             "Rise over run, the secant becoming the tangent, and the sum, power, product and chain rules."),
    PageInfo("multivariate", "pages/multivariate.py", "2 · Multivariate calculus", "⛰️",
             "Surfaces, partial derivatives, the gradient, Jacobian and Hessian, and the Sandpit game."),
    PageInfo("chain-rule", "pages/chain-rule.py", "3 · Chain rule & neural nets", "🔗",
             "The multivariate chain rule on a path, then backpropagation training a network to draw a heart."),
    PageInfo("taylor", "pages/taylor.py", "4 · Taylor series", "🎯",
             "Build a function from its derivatives at a point, and see where the approximation holds."),
    PageInfo("optimisation", "pages/optimisation.py", "5 · Optimisation", "⛳",
             "Newton-Raphson, gradient descent and friends, and Lagrange multipliers, one step at a time."),
    PageInfo("regression", "pages/regression.py", "6 · Regression", "📉",
             "χ², least squares by formula and by descent, nonlinear fits, and fitting your own CSV."),
    PageInfo("practice", "pages/practice.py", "Practice", "✍️",
             "Drills for every module, marked by the computer algebra system, with worked solutions.",
             module=False),
)

BY_PATH: dict[str, PageInfo] = {p.url_path: p for p in PAGES}
MODULES: tuple[PageInfo, ...] = tuple(p for p in PAGES if p.module)
FILES: dict[str, str] = {p.url_path: p.file for p in PAGES}
