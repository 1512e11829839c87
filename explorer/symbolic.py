"""Symbolic work that may run long (simplify, limit, series, solve, ...), behind a deadline.

API (pages and explorer modules call only this):

    call(func, *args, timeout=2.0)   -> func(*args), or raises SymbolicTimeout

``func`` must be a module-level function (picklable) and its arguments and result picklable
(strings, numbers, sympy expressions).  This first version calls ``func`` directly; it will be
replaced by a warm worker process that is killed at the deadline, with the same API.
"""
from __future__ import annotations

from typing import Any, Callable


class SymbolicTimeout(TimeoutError):
    """The symbolic computation did not finish within its deadline."""


def call(func: Callable[..., Any], *args: Any, timeout: float = 2.0) -> Any:
    return func(*args)
