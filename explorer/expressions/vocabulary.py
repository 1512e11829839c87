"""What typed expressions may contain: the error type, the size limits, the callable functions
and the named constants."""
from __future__ import annotations

from typing import Callable

import sympy as sp


class ExpressionError(ValueError):
    """A typed expression could not be accepted; the message says why, in plain words."""


# ---------------------------------------------------------------------------------------------
# Limits
MAX_LENGTH = 500          # characters after normalisation
MAX_NODES = 400           # AST nodes
MAX_DEPTH = 40            # bracket / AST nesting
MAX_LITERAL = 1e12        # absolute value of a typed number
MAX_EXPONENT = 100        # |n| in a numeric exponent
MAX_INT_DIGITS = 400      # digits of an exact integer anywhere in the built expression

# ---------------------------------------------------------------------------------------------
# What may be called, and with how many arguments.
FUNCTIONS: dict[str, tuple[Callable, tuple[int, ...]]] = {
    "sin": (sp.sin, (1,)), "cos": (sp.cos, (1,)), "tan": (sp.tan, (1,)),
    "sec": (sp.sec, (1,)), "csc": (sp.csc, (1,)), "cot": (sp.cot, (1,)),
    "asin": (sp.asin, (1,)), "acos": (sp.acos, (1,)), "atan": (sp.atan, (1,)),
    "arcsin": (sp.asin, (1,)), "arccos": (sp.acos, (1,)), "arctan": (sp.atan, (1,)),
    "atan2": (sp.atan2, (2,)), "arctan2": (sp.atan2, (2,)),
    "sinh": (sp.sinh, (1,)), "cosh": (sp.cosh, (1,)), "tanh": (sp.tanh, (1,)),
    "asinh": (sp.asinh, (1,)), "acosh": (sp.acosh, (1,)), "atanh": (sp.atanh, (1,)),
    "arsinh": (sp.asinh, (1,)), "arcosh": (sp.acosh, (1,)), "artanh": (sp.atanh, (1,)),
    "arcsinh": (sp.asinh, (1,)), "arccosh": (sp.acosh, (1,)), "arctanh": (sp.atanh, (1,)),
    "exp": (sp.exp, (1,)), "ln": (sp.log, (1,)), "log": (sp.log, (1, 2)),
    "sqrt": (sp.sqrt, (1,)), "abs": (sp.Abs, (1,)), "Abs": (sp.Abs, (1,)),
    "sign": (sp.sign, (1,)), "heaviside": (lambda a: sp.Heaviside(a, sp.S.Half), (1,)),
    "min": (sp.Min, (2, 3, 4)), "max": (sp.Max, (2, 3, 4)),
    "erf": (sp.erf, (1,)),
}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "e": sp.E, "E": sp.E}
