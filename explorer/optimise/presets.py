"""The Optimisation page's examples: the functions it offers, the window each is drawn in, the usual
start of a descent and whether a run stops at the walls (the course's sandpit)."""
from __future__ import annotations

from dataclasses import dataclass

from explorer.sandpit import INTRO_TEXT

QUIZ = "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30"
NEWTON_PRESETS = {
    "Course quiz polynomial": QUIZ,
    "x³ − 2x + 2 (a cycle from 0)": "x^3 - 2x + 2",
    "arctan x (diverges from |x₀| > 1.39)": "atan(x)",
    "x² − 2 (√2)": "x^2 - 2",
    "cos x − x": "cos(x) - x",
    "ln x (leaves the domain)": "ln(x)",
}

SANDPIT = INTRO_TEXT        # the course's pit, written once in explorer.sandpit
DESCENT_PRESETS = {
    "Bowl": "x^2 + y^2",
    "Elongated valley": "x^2 + 10y^2",
    "Rosenbrock": "(1 - x)^2 + 100(y - x^2)^2",
    "Himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "Sandpit (course)": SANDPIT,
}
START_RANGE = (-6.0, 6.0, 0.05)        # the start sliders: min, max, step


@dataclass(frozen=True)
class DescentView:
    window: tuple[float, float, float, float]     # (x0, x1, y0, y1) drawn
    start: tuple[float, float]                    # the usual start
    walls: bool = False                           # a sandpit: a run that leaves the window stops

    def around(self, start: tuple[float, float]) -> tuple[float, float, float, float]:
        """The window grown to hold ``start`` with half a unit to spare."""
        x0, x1, y0, y1 = self.window
        sx, sy = start
        return min(x0, sx - 0.5), max(x1, sx + 0.5), min(y0, sy - 0.5), max(y1, sy + 0.5)


DESCENT_VIEWS = {
    "x^2 + y^2": DescentView((-3.0, 3.0, -3.0, 3.0), (2.0, 1.5)),
    "x^2 + 10y^2": DescentView((-3.0, 3.0, -3.0, 3.0), (2.5, 1.0)),
    "(1 - x)^2 + 100(y - x^2)^2": DescentView((-2.0, 2.0, -1.0, 3.0), (-1.2, 1.0)),
    "(x^2 + y - 11)^2 + (x + y^2 - 7)^2": DescentView((-5.0, 5.0, -5.0, 5.0), (0.0, 0.0)),
    SANDPIT: DescentView((0.0, 6.0, 0.0, 6.0), (3.0, 2.0), walls=True),
}
TYPED_VIEW = DescentView((-3.0, 3.0, -3.0, 3.0), (2.0, 1.5))


def descent_view(text: str) -> DescentView:
    """The view of a preset's function; a typed one gets TYPED_VIEW."""
    return DESCENT_VIEWS.get(text, TYPED_VIEW)


def start_on_change(previous: str | None, text: str) -> tuple[float, float] | None:
    """The start to jump to when the function changed from ``previous`` to ``text``: the usual
    start of a preset; None (keep the start sliders) on the first run, for the same function, or
    for a typed one."""
    if previous is None or previous == text or text not in DESCENT_VIEWS:
        return None
    return DESCENT_VIEWS[text].start


LAGRANGE = {
    "Course quiz 1: Gaussian on an ellipse": ("exp(-(2x^2 + y^2 - x*y)/2)", "x^2 + 3(y + 1)^2 - 1",
                                              (-2.0, 2.0, -2.6, 0.6)),
    "Course quiz 2: −exp on cosh y + x = 2": ("-exp(x - y^2 + x*y)", "cosh(y) + x - 2", (-3.0, 2.0, -3.0, 3.0)),
    "xy on x + y = 10": ("x*y", "x + y - 10", (-1.0, 11.0, -1.0, 11.0)),
    "x²y on a circle": ("x^2*y", "x^2 + y^2 - 3", (-2.5, 2.5, -2.5, 2.5)),
}
LAGRANGE_F = {name: f for name, (f, _, _) in LAGRANGE.items()}
LAGRANGE_G = {name: g for name, (_, g, _) in LAGRANGE.items()}
TYPED_WINDOW = (-4.0, 4.0, -4.0, 4.0)


def lagrange_window(f: str, g: str) -> tuple[float, float, float, float]:
    """The window of the problem with this f and g; TYPED_WINDOW for any other pair."""
    return next((w for pf, pg, w in LAGRANGE.values() if (pf, pg) == (f, g)), TYPED_WINDOW)
