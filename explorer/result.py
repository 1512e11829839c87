"""One result vocabulary for every iterative method (Newton-Raphson, descent, fitting, training).

In the spirit of ``scipy.optimize.OptimizeResult``: every method answers with

- ``x``: where it ended (a number, a point, or the parameter vector),
- ``success``: whether it reached what it was asked for,
- ``status``: a short machine-readable word for how it ended (``"converged"``, ``"max-iter"``,
  ``"diverged"``, ``"zero-derivative"``, …: each method lists its own),
- ``message``: one true sentence for a person, saying the same,
- ``nit``: the number of iterations taken,
- ``history``: every iterate, first to last (``history[0]`` is the start, ``history[-1]`` is ``x``).

A method's own result type subclasses this and adds what only it has (Newton's tangent points, the
descent's function values…). A chart, a screen-reader description and a test all read the same
fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(kw_only=True)
class IterationResult:
    x: Any
    success: bool
    status: str
    message: str
    nit: int
    history: Any = field(default_factory=list)

