"""The surfaces the page offers, a good window and starting point for each, and the window the
user types (checked: each range needs from < to)."""
from __future__ import annotations

from dataclasses import dataclass

from explorer.numbers import nice_text
from explorer.sandpit import INTRO_TEXT

VARS = ("x", "y")

SANDPIT_INTRO = INTRO_TEXT     # the Sandpit's course pit, written once in explorer.sandpit

PRESETS: dict[str, str] = {
    "bowl": "x^2 + y^2",
    "saddle": "x^2 - y^2",
    "Sandpit intro surface": SANDPIT_INTRO,
    "Himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "Rosenbrock": "(1 - x)^2 + 100(y - x^2)^2",
    "peaks": "3(1 - x)^2 exp(-x^2 - (y + 1)^2) - 10(x/5 - x^3 - y^5) exp(-x^2 - y^2) "
             "- exp(-(x + 1)^2 - y^2)/3",
    "sin x · cos y": "sin(x) cos(y)",
}

# a good window for each preset: ((xmin, xmax), (ymin, ymax))
PRESET_RANGES: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "bowl": ((-3.0, 3.0), (-3.0, 3.0)),
    "saddle": ((-3.0, 3.0), (-3.0, 3.0)),
    "Sandpit intro surface": ((0.0, 6.0), (0.0, 6.0)),
    "Himmelblau": ((-5.0, 5.0), (-5.0, 5.0)),
    "Rosenbrock": ((-2.0, 2.0), (-1.0, 3.0)),
    "peaks": ((-3.0, 3.0), (-3.0, 3.0)),
    "sin x · cos y": ((-4.0, 4.0), (-4.0, 4.0)),
}
DEFAULT_RANGE = ((-3.0, 3.0), (-3.0, 3.0))

# where the point starts on each preset
PRESET_POINTS: dict[str, tuple[float, float]] = {
    "bowl": (1.0, 1.0), "saddle": (1.0, 0.5), "Sandpit intro surface": (3.0, 2.0),
    "Himmelblau": (1.0, 1.0), "Rosenbrock": (-1.0, 1.5), "peaks": (0.5, -0.5),
    "sin x · cos y": (1.0, 0.5),
}


def preset_name(text: str) -> str | None:
    return next((n for n, t in PRESETS.items() if t == text), None)


def default_range(text: str):
    return PRESET_RANGES.get(preset_name(text) or "", DEFAULT_RANGE)


def start_point(text: str, xr, yr) -> tuple[float, float]:
    """The preset's starting point, else the middle of the window."""
    return PRESET_POINTS.get(preset_name(text) or "", (0.5 * (xr[0] + xr[1]), 0.5 * (yr[0] + yr[1])))


@dataclass(frozen=True)
class PresetView:
    xr: tuple[float, float]
    yr: tuple[float, float]
    point: tuple[float, float]


def preset_view(last: str | None, text: str) -> PresetView | None:
    """When the function changes (from ``last``) to a preset: that preset's window and point;
    None when nothing should move (first run, same text, or typed text)."""
    if last is None or last == text:
        return None
    name = preset_name(text)
    if name is None:
        return None
    xr, yr = PRESET_RANGES[name]
    return PresetView(xr, yr, PRESET_POINTS[name])


@dataclass(frozen=True)
class Window:
    xr: tuple[float, float]
    yr: tuple[float, float]
    valid: bool          # False: the typed window was empty, this is the function's default one


def window(text: str, xmin: float, xmax: float, ymin: float, ymax: float) -> Window:
    """The typed window, or the function's default one when a range has from ≥ to."""
    xr, yr = (float(xmin), float(xmax)), (float(ymin), float(ymax))
    if xr[0] < xr[1] and yr[0] < yr[1]:
        return Window(xr, yr, True)
    (a, b), (c, d) = default_range(text)
    return Window((float(a), float(b)), (float(c), float(d)), False)


def window_message(win: Window) -> str:
    """What the page says when the typed window was empty and the function's default one is drawn."""
    (a, b), (c, d) = win.xr, win.yr
    return (f"Each range needs **from < to**; drawing this function's default window instead: x from "
            f"{nice_text(a)} to {nice_text(b)}, y from {nice_text(c)} to {nice_text(d)}.")
