"""Step 3 of parsing: a whitelisted Python AST -> the sympy expression, built node by node.

``Builder`` accepts only numbers, the allowed names, + - * / ** and calls of the functions in
``FUNCTIONS``, with size limits on the way (nodes, depth, literals, exponents, integer digits).
"""
from __future__ import annotations

import ast
import difflib
import math
from typing import Sequence

import sympy as sp

from explorer.expressions import budget, magnitude
from explorer.expressions.real_power import real_power
from explorer.expressions.vocabulary import (CONSTANTS, FUNCTIONS, MAX_DEPTH, MAX_EXPONENT, MAX_INT_DIGITS,
                                             MAX_LITERAL, MAX_NODES, ExpressionError)

_KINK_NAMES = frozenset({"abs", "Abs", "sign", "heaviside", "min", "max"})


class Builder:
    def __init__(self, variables: Sequence[str], symbols: dict[str, sp.Symbol]):
        self.variables = list(variables)
        self.symbols = symbols
        self.nodes = 0
        self.values: dict = {}      # constant part -> its float (magnitude.value's memo)

    def _predict(self, node: ast.AST, kind, operands: list[sp.Expr], rational=None) -> float | None:
        """The float of ``kind`` applied to constant ``operands``, worked out before sympy builds
        (and evaluates) it; refused when it is beyond the bound or not real (``magnitude``)."""
        values: list = []
        try:
            values = [magnitude.value(a, self.values) for a in operands]
            if any(v is None for v in values):
                return None
            return magnitude.apply(kind, values, rational)
        except magnitude.TooLarge:
            if kind == "/" and values and values[-1] == 0:
                raise ExpressionError(f"'{_piece(node)}' divides by a number too close to zero to "
                                      "compute with.") from None
            raise ExpressionError(f"'{_piece(node)}' is too large to compute with: its size is beyond "
                                  "1e300, the limit of double-precision numbers.") from None
        except magnitude.NotReal:
            raise ExpressionError(f"'{_piece(node)}' has no real value (a function used outside its "
                                  "domain, e.g. the square root or ln of a negative number, acos of a "
                                  "number beyond ±1).") from None

    def _remember(self, expr: sp.Expr, v: float | None) -> sp.Expr:
        if v is not None:
            self.values.setdefault(expr, v)
        return expr

    def build(self, node: ast.AST, depth: int = 0) -> sp.Expr:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"The expression is too large (more than {MAX_NODES} parts).")
        if depth > 2 * MAX_DEPTH:
            raise ExpressionError("The expression is nested too deeply.")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(_describe_unsupported(node))
        result = method(node, depth + 1)
        _check_size(result)
        return result

    def _Expression(self, node, d):
        return self.build(node.body, d)

    def _Constant(self, node, d):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ExpressionError("Only numbers, variables and functions are allowed.")
        if (isinstance(v, float) and not math.isfinite(v)) or abs(v) > MAX_LITERAL:
            raise ExpressionError("A number in the expression is too large (at most 1e12 in size).")
        if isinstance(v, int):
            return sp.Integer(v)
        # keep simple decimals exact (0.5 -> 1/2) so derivatives print nicely
        return sp.Rational(repr(v)) if len(repr(v)) <= 12 else sp.Float(v)

    def _Name(self, node, d):
        name = node.id
        if name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise ExpressionError(f"'{name}' is a function: write {name}(...) with brackets.")
        raise ExpressionError(_unknown_name_message(name, self.variables))

    def _UnaryOp(self, node, d):
        operand = self.build(node.operand, d)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ExpressionError("Only + - * / and ^ are allowed as operators.")

    def _BinOp(self, node, d):
        op = type(node.op)
        if op not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            raise ExpressionError("Only + - * / and ^ are allowed as operators.")
        left = self.build(node.left, d)
        right = self.build(node.right, d)
        if op is ast.Div and right == 0:
            raise ExpressionError("Division by zero.")
        kind = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}[op]
        if op is ast.Pow and right.is_Number and abs(right) > MAX_EXPONENT:
            raise ExpressionError(f"Exponents are limited to ±{MAX_EXPONENT}.")
        rational = (int(right.p), int(right.q)) if op is ast.Pow and right.is_Rational else None
        try:
            v = self._predict(node, kind, [left, right], rational)
        except ExpressionError:
            if op is ast.Pow:
                _safe_pow(left, right)      # its own message for an even root of a negative number
            raise
        if op is ast.Add:
            return self._remember(left + right, v)
        if op is ast.Sub:
            return self._remember(left - right, v)
        if op is ast.Mult:
            return self._remember(left * right, v)
        if op is ast.Div:
            return self._remember(left / right, v)
        return self._remember(_safe_pow(left, right), v)

    def _Call(self, node, d):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("Only the listed functions can be called, e.g. sin(x).")
        name = node.func.id
        if name not in FUNCTIONS or name in self.variables:
            if name in self.variables or name in CONSTANTS:
                raise ExpressionError(f"'{name}' is not a function; write {name}*(...) to multiply.")
            raise ExpressionError(
                f"Unknown function '{name}'. Allowed functions: {', '.join(sorted(set(FUNCTIONS)))}.")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"{name}(...) takes plain arguments only.")
        fn, arities = FUNCTIONS[name]
        if len(node.args) not in arities:
            want = " or ".join(str(a) for a in arities)
            raise ExpressionError(f"{name} takes {want} argument(s), not {len(node.args)}.")
        args = [self.build(a, d) for a in node.args]
        if name == "sqrt" and args[0].is_number and args[0].is_extended_negative:
            raise ExpressionError(f"sqrt({sp.sstr(args[0])}) is undefined: the square root of a negative "
                                  "number is not a real number.")
        if name == "log" and len(args) == 2:
            num, den = sp.log(args[0]), sp.log(args[1])
            for part, arg in ((num, args[0]), (den, args[1])):
                self._remember(part, self._predict(node, sp.log, [arg]))
            return self._remember(num / den, self._predict(node, "/", [num, den]))
        kind = sp.Heaviside if name == "heaviside" else fn
        if name in _KINK_NAMES:      # refused before sympy builds (and simplifies) one more level
            budget.check_kinks(1 + max(budget.kink_depth(a) for a in args))
        return self._remember(fn(*args), self._predict(node, kind, args))


def _safe_pow(base: sp.Expr, exp: sp.Expr) -> sp.Expr:
    if exp.is_Number:
        if abs(exp) > MAX_EXPONENT:
            raise ExpressionError(f"Exponents are limited to ±{MAX_EXPONENT}.")
        if base.is_Number and not exp.is_Integer and abs(base) > 10 ** 6:
            # a large exact root (e.g. (999999**200+7)**(999/1000)) would make sympy factor it
            base = sp.Float(base)
    elif base.is_Number and exp.is_number:
        raise ExpressionError("A number raised to a computed power must use a simple exponent.")
    if base == 0 and exp.is_number and exp.is_negative:
        raise ExpressionError("Division by zero (0 to a negative power).")
    if exp.is_Rational and not exp.is_Integer:
        # the real branch, as Desmos: odd roots of negatives are real, even roots undefined
        if exp.q % 2:
            return real_power(base, exp.p, exp.q)
        if base.is_number and base.is_extended_negative:
            raise ExpressionError(f"({sp.sstr(base)})^({sp.sstr(exp)}) is undefined: an even root "
                                  "(a square root, a 4th root, …) of a negative number is not a real number.")
    return sp.Pow(base, exp)


def _piece(node: ast.AST) -> str:
    """The part of the expression a message is about, as typed (^ for powers), shortened."""
    text = ast.unparse(node).replace(" ** ", "^").replace("**", "^")
    return text if len(text) <= 60 else text[:57] + "…"


def _check_size(expr: sp.Expr) -> None:
    if isinstance(expr, sp.Integer) and expr.p.bit_length() > MAX_INT_DIGITS * 3.33:
        raise ExpressionError("A number in the expression grows too large.")
    if isinstance(expr, sp.Rational) and (abs(expr.p).bit_length() > MAX_INT_DIGITS * 3.33 or
                                         abs(expr.q).bit_length() > MAX_INT_DIGITS * 3.33):
        raise ExpressionError("A number in the expression grows too large.")


def _describe_unsupported(node: ast.AST) -> str:
    kind = type(node).__name__
    if isinstance(node, ast.Compare):
        return "Relations such as = or < are not expressions; type just the expression."
    if isinstance(node, ast.BoolOp):
        return "'and' / 'or' are not allowed in an expression."
    if isinstance(node, (ast.Attribute,)):
        return "Dots are not allowed except inside numbers."
    if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        return "A comma is only allowed between the arguments of a function."
    if isinstance(node, (ast.Lambda, ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
        return "Only plain mathematical expressions are allowed."
    return f"This kind of expression ({kind}) is not allowed here."


def _unknown_name_message(name: str, variables: Sequence[str]) -> str:
    allowed = ", ".join(list(variables) + ["pi", "e"])
    if len(name) > 1 and all(ch in variables for ch in name):
        return f"Unknown name '{name}'. Did you mean {'*'.join(name)}? Allowed names: {allowed}."
    for fn in sorted(FUNCTIONS, key=len, reverse=True):      # "sinx" -> "sin(x)"
        rest = name[len(fn):]
        if name.startswith(fn) and rest and (rest in variables or rest in CONSTANTS):
            return f"Unknown name '{name}'. Did you mean {fn}({rest})?"
    close = difflib.get_close_matches(name, list(variables) + list(FUNCTIONS) + ["pi"], n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"Unknown name '{_short(name)}'.{hint} Allowed names: {allowed}."


def _short(s: str, n: int = 20) -> str:
    return s if len(s) <= n else s[:n] + "…"
