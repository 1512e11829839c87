"""``parse_expression``: the three steps together, cached, with the checks on the result."""
from __future__ import annotations

import ast
import functools
import re
from typing import Sequence

import sympy as sp

from explorer.expressions.budget import check_budget
from explorer.expressions.builder import Builder
from explorer.expressions.magnitude import MAX_MAGNITUDE
from explorer.expressions.text import normalise, tokenise
from explorer.expressions.vocabulary import CONSTANTS, FUNCTIONS, ExpressionError


@functools.lru_cache(maxsize=64)
def _symbols(variables: tuple[str, ...]) -> dict[str, sp.Symbol]:
    return {v: sp.Symbol(v) for v in variables}


def check_variables(variables: Sequence[str]) -> tuple[str, ...]:
    variables = tuple(variables)
    for v in variables:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", v) or v in FUNCTIONS or v in CONSTANTS:
            raise ValueError(f"invalid variable name {v!r}")   # a programming error, not the user's
    return variables


@functools.lru_cache(maxsize=512)
def _parse_cached(text: str, variables: tuple[str, ...]) -> sp.Expr:
    norm = normalise(text)
    tokens = tokenise(norm, variables)
    source = " ".join(val for _, val, _ in tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise ExpressionError(_syntax_message(norm, tokens, err)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("The expression is too complicated.") from None
    try:
        expr = Builder(variables, _symbols(variables)).build(tree)
    except RecursionError:
        raise ExpressionError("The expression is nested too deeply.") from None
    _check_result(expr, variables)
    return expr


_OPERATORS = ("*", "/", "**", "+", "-")
_BINARY = ("*", "/", "**")      # operators that cannot start a term


def _typed(norm: str, token) -> str:
    """A token as the learner typed it (the tokeniser writes ^ as **)."""
    _, val, pos = token
    return "^" if val == "**" and not norm.startswith("**", pos) else val


def _syntax_message(norm: str, tokens, err: SyntaxError) -> str:
    if tokens and tokens[-1][0] == "op" and tokens[-1][1] not in ")":
        return f"The expression ends with '{_typed(norm, tokens[-1])}': something is missing after it."
    if tokens and tokens[0][1] in ("*", "**", "/", ")", ","):
        return f"The expression cannot start with '{_typed(norm, tokens[0])}'."
    for a, b in zip(tokens, tokens[1:]):
        v1, v2, p2 = a[1], b[1], b[2] + 1
        if a[0] == "op" and v1 in _OPERATORS and v2 in _BINARY:
            return _two_operators(_typed(norm, a), _typed(norm, b), p2)
        if a[0] == "op" and v1 in _OPERATORS and v2 in (")", ","):
            return f"'{_typed(norm, a)}' is followed by '{v2}' at position {p2}: something is missing between them."
        if v1 in ("(", ",") and v2 in _BINARY:
            return f"'{_typed(norm, b)}' cannot follow '{v1}' (position {p2}): something is missing before it."
        if v1 in ("(", ",") and v2 in (")", ","):
            return (f"Empty brackets at position {a[2] + 1}." if v1 == "(" and v2 == ")" else
                    f"'{v2}' cannot follow '{v1}' (position {p2}): an argument is missing.")
    return "The expression is not complete or not well formed; check the operators and brackets."


def _two_operators(first: str, second: str, position: int) -> str:
    """Two operators in a row (``x^^2``, ``x**^2``, ``x^*2``, ``x//2``, ``x+*2``), named as typed.
    (Never two '**' in one message: a page writing it as markdown would read them as bold.)"""
    if first in ("^", "**") and second in ("^", "**"):
        what = "'**' twice in a row" if first == second == "**" else f"'{second}' cannot follow '{first}'"
        return f"{what} (position {position}): one power sign is enough, e.g. x^2."
    if first == second == "/":
        return f"'/' cannot follow '/' (position {position}): one / divides, e.g. x/2; // is not allowed."
    if first in ("^", "**"):
        return (f"'{second}' cannot follow '{first}' (position {position}): a power needs its "
                "exponent right after the power sign, e.g. x^2.")
    return (f"'{second}' cannot follow '{first}' (position {position}): two operators in a row, so "
            "something is missing between them.")


def _check_result(expr, variables: tuple[str, ...]) -> None:
    if not isinstance(expr, sp.Expr) or isinstance(expr, (sp.core.relational.Relational, sp.logic.boolalg.BooleanAtom)):
        raise ExpressionError("The result is not a number-valued expression.")
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError("The expression is undefined (a division by zero or log(0)?).")
    if expr.has(sp.I):
        raise ExpressionError("The expression has a complex value; only real functions are drawn.")
    if not expr.free_symbols and expr.is_real is False:
        raise ExpressionError("The expression has no real value.")
    # sympy gathers the numbers of a product or sum (10^200*x*10^200 = 10^400*x): each must stay
    # within double precision, or every value computed from it is infinite
    if any(abs(n) > MAX_MAGNITUDE for n in expr.atoms(sp.Number) if n.is_finite):
        raise ExpressionError("A number in the expression is too large: beyond 1e300, "
                              "the limit of double-precision numbers.")
    check_budget(expr)


def parse_expression(text: str, variables: Sequence[str] = ("x",)) -> sp.Expr:
    """Parse user text into a sympy expression in ``variables`` (plain ``sympy.Symbol`` s).

    Raises ``ExpressionError`` (a ``ValueError``) with a learner-friendly message for anything that
    is not a bounded, real, scalar expression built from numbers, the variables, ``pi``, ``e`` and
    the functions in ``FUNCTIONS``.
    """
    return _parse_cached(text if isinstance(text, str) else normalise(text), check_variables(variables))
