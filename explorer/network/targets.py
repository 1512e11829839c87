"""Targets: curves (x(t), y(t)) for t in [0, 1] the network learns to draw from the input t, and
the training data made from them (the curve moved into the range the output activation reaches)."""
from __future__ import annotations

import numpy as np

from explorer.expressions import ExpressionError, compile_expression, parse_expression
from explorer.network.model import OUTPUT_RANGE


def _heart(t):
    tau = 2 * np.pi * t
    return np.stack([16 * np.sin(tau) ** 3,
                     13 * np.cos(tau) - 5 * np.cos(2 * tau) - 2 * np.cos(3 * tau) - np.cos(4 * tau)],
                    axis=1) / 20


def _circle(t):
    tau = 2 * np.pi * t
    return np.stack([0.8 * np.cos(tau), 0.8 * np.sin(tau)], axis=1)


def _figure_eight(t):
    tau = 2 * np.pi * t
    return np.stack([0.8 * np.sin(tau), 0.7 * np.sin(2 * tau)], axis=1)


TARGETS = {"heart": _heart, "circle": _circle, "figure-eight": _figure_eight}
TARGET_LATEX = {
    # a column: the heart's y(t) alone fills half a 1024 px window's column
    "heart": r"\tfrac{1}{20}\begin{pmatrix}16\sin^3 2\pi t\\ 13\cos 2\pi t-5\cos 4\pi t-2\cos 6\pi t-\cos 8\pi t"
             r"\end{pmatrix}",
    "circle": r"\big(0.8\cos 2\pi t,\; 0.8\sin 2\pi t\big)",
    "figure-eight": r"\big(0.8\sin 2\pi t,\; 0.7\sin 4\pi t\big)",
}


def target_curve(name: str, t: np.ndarray, x_text: str | None = None, y_text: str | None = None) -> np.ndarray:
    """The target curve, shape (len(t), 2), in the plane's own coordinates (roughly [-1, 1]²).

    ``name`` is a key of ``TARGETS`` or ``"typed"`` with ``x_text``/``y_text`` in ``t`` (parsed by
    the safe parser; ``ExpressionError`` for bad text or a curve that is undefined somewhere).
    """
    t = np.asarray(t, dtype=float)
    if name in TARGETS:
        return TARGETS[name](t)
    if name != "typed":
        raise ValueError(f"unknown target {name!r}")
    cols = []
    for text in (x_text, y_text):
        expr = parse_expression(text or "", ("t",))
        cols.append(compile_expression(expr, ("t",))(t))
    curve = np.stack(cols, axis=1)
    if not np.all(np.isfinite(curve)):
        raise ExpressionError("The curve is undefined for some t in [0, 1]; choose one defined everywhere there.")
    return curve


def training_data(name: str = "heart", n: int = 100, activation: str = "sigmoid",
                  x_text: str | None = None, y_text: str | None = None):
    """``(x, y, scaled)``: inputs t = 0, 1/n, …, (n−1)/n shaped (n, 1) and targets shaped (n, 2).

    The targets are the curve mapped into the range the output activation can reach: for the
    sigmoid (0, 1) through (c + 1)/2, as in the course; for tanh the curve itself. A curve that
    would leave the box [-0.95, 0.95]² is first shrunk to fit, and ``scaled`` says so.
    """
    t = np.arange(n) / n
    curve = target_curve(name, t, x_text, y_text)
    biggest = float(np.max(np.abs(curve)))
    scaled = biggest > 0.95
    if scaled:
        curve = curve * (0.95 / biggest)
    lo, hi = OUTPUT_RANGE[activation]
    y = lo + (curve + 1.0) * (hi - lo) / 2.0
    return t.reshape(-1, 1), y, scaled


def check_typed_target(x_text: str, y_text: str, n: int = 100) -> bool:
    """Raise ``ExpressionError`` unless the typed curve can be trained on: readable, and defined on
    the n training points and at t = 0, ¼, ½, ¾, 1. Returns whether it will be shrunk to fit."""
    target_curve("typed", np.linspace(0, 1, 5), x_text, y_text)
    return training_data("typed", n, "sigmoid", x_text, y_text)[2]


def to_plane(y: np.ndarray, activation: str) -> np.ndarray:
    """Map network outputs back to the curve's plane (inverse of the scaling in ``training_data``)."""
    lo, hi = OUTPUT_RANGE[activation]
    return (np.asarray(y) - lo) * 2.0 / (hi - lo) - 1.0
