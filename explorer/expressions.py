"""The safe expression engine: typed text -> checked sympy expression -> fast numpy function.

User text is never given to ``eval``, ``exec``, ``sympify`` or ``parse_expr`` (sympy's parser runs
arbitrary code).  Instead:

1. ``_normalise`` maps what learners paste (``π``, ``x²``, ``·``, ``−``, fullwidth letters) to ASCII
   and refuses control and bidi characters;
2. ``_tokenise`` splits the text with one regular expression, inserts the ``*`` of implicit
   multiplication (``2x``, ``3(x+1)``, ``(x-1)(x+1)``, ``x sin(y)``) and checks brackets;
3. Python's ``ast`` module parses the token string (expression mode only), and ``_Builder`` walks
   the tree, accepting only numbers, the allowed names, + - * / ** and calls of whitelisted
   functions, and builds the sympy expression itself, node by node, with size limits on the way.

Everything is bounded (length, nodes, depth, literal size, exponents), so a hostile input fails
fast with an ``ExpressionError`` whose message a learner can act on.
"""
from __future__ import annotations

import ast
import difflib
import math
import functools
import re
import unicodedata
from typing import Callable, Sequence

import numpy as np
import sympy as sp

__all__ = [
    "ExpressionError", "parse_expression", "compile_expression", "evaluate", "to_latex",
    "FUNCTIONS", "CONSTANTS", "MAX_LENGTH",
]


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

# ---------------------------------------------------------------------------------------------
# Step 1: unicode
_BEFORE_NFKC = {
    "π": "pi", "·": "*", "×": "*", "⋅": "*", "∗": "*", "÷": "/", "−": "-", "–": "-", "—": "-",
    "√": "sqrt", "∞": " oo ",  # oo is then refused as an unknown name with a clear message
    "²": "^2", "³": "^3", "¹": "^1", "⁴": "^4", "⁵": "^5", "⁶": "^6", "⁷": "^7", "⁸": "^8",
    "⁹": "^9", "⁰": "^0", "⁻": "^-",
}
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}   # control, format (bidi, zero-width), ...


def _normalise(text: str) -> str:
    if not isinstance(text, str):
        raise ExpressionError("The expression must be text.")
    if len(text) > 4 * MAX_LENGTH:
        raise ExpressionError(f"That is too long: at most {MAX_LENGTH} characters.")
    # superscripts first: NFKC would turn x² into x2
    text = "".join(_BEFORE_NFKC.get(ch, ch) for ch in text)
    text = text.replace("^^-", "^-").replace("^-^", "^-")   # x⁻² -> x^-^2 -> x^-2
    text = unicodedata.normalize("NFKC", text)
    text = "".join(_BEFORE_NFKC.get(ch, ch) for ch in text)
    for ch in text:
        if ch in "\t\n\r":
            continue
        if unicodedata.category(ch) in _FORBIDDEN_CATEGORIES:
            raise ExpressionError(
                f"The expression contains an invisible or control character (U+{ord(ch):04X}); "
                "please retype it.")
        if ord(ch) > 127:
            raise ExpressionError(f"The character '{ch}' is not understood here.")
    text = " ".join(text.split())
    if not text:
        raise ExpressionError("Please type an expression, for example x^2 + 1.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"That is too long: at most {MAX_LENGTH} characters.")
    return text


# ---------------------------------------------------------------------------------------------
# Step 2: tokens and implicit multiplication
_TOKEN = re.compile(r"""
    (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+(?![A-Za-z_]))?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|\^|[-+*/(),])
  | (?P<space>\s+)
""", re.VERBOSE)


def _tokenise(text: str, variables: Sequence[str]) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            ch = text[pos]
            hint = {"=": " Relations such as = or < are not expressions.",
                    "<": " Relations such as = or < are not expressions.",
                    ">": " Relations such as = or < are not expressions.",
                    "[": " Use round brackets ( ).", "]": " Use round brackets ( ).",
                    "{": " Use round brackets ( ).", "}": " Use round brackets ( ).",
                    "|": " Write abs(x) for |x|.", "!": " Factorials are not available.",
                    "'": " Text in quotes is not allowed.", '"': " Text in quotes is not allowed.",
                    ".": " A dot may only appear inside a number.",
                    "%": " Write a/b for division.", "_": ""}.get(ch, "")
            raise ExpressionError(f"Unexpected '{ch}' at position {pos + 1}.{hint}")
        kind = m.lastgroup
        if kind == "num" and m.end() < len(text) and text[m.end()] in "._" :
            raise ExpressionError(f"The number starting at position {pos + 1} is not well formed.")
        if kind != "space":
            val = m.group()
            if kind == "op" and val == "^":
                val = "**"
            tokens.append((kind, val, pos))
        pos = m.end()

    # brackets balanced and not too deep
    depth, opened = 0, []
    for kind, val, p in tokens:
        if val == "(":
            depth += 1
            opened.append(p)
            if depth > MAX_DEPTH:
                raise ExpressionError(f"Too many nested brackets (at most {MAX_DEPTH}).")
        elif val == ")":
            depth -= 1
            if depth < 0:
                raise ExpressionError(f"There is a ')' at position {p + 1} with no '(' before it.")
            opened.pop()
    if depth > 0:
        raise ExpressionError(f"The '(' at position {opened[-1] + 1} is never closed.")

    def is_callable_name(val: str) -> bool:
        return val in FUNCTIONS and val not in variables

    for (k1, v1, p1), nxt in zip(tokens, tokens[1:] + [("end", "", len(text))]):
        if k1 == "name" and is_callable_name(v1) and nxt[1] != "(":
            raise ExpressionError(f"'{v1}' is a function: write {v1}(...) with brackets, e.g. {v1}(x).")

    out: list[tuple[str, str, int]] = []
    for tok in tokens:
        if out:
            pk, pv, _ = out[-1]
            kind, val, _ = tok
            # an unknown name right before "(" is left as a call, so the message says "unknown function"
            left_is_value = (pk == "num" or pv == ")" or
                             (pk == "name" and (pv in variables or pv in CONSTANTS)) or
                             (pk == "name" and not is_callable_name(pv) and val != "("))
            right_starts_value = kind in ("num", "name") or val == "("
            if left_is_value and right_starts_value:
                out.append(("op", "*", tok[2]))
        out.append(tok)
    return out


# ---------------------------------------------------------------------------------------------
# Step 3: a whitelisted AST -> sympy
class _Builder:
    def __init__(self, variables: Sequence[str], symbols: dict[str, sp.Symbol]):
        self.variables = list(variables)
        self.symbols = symbols
        self.nodes = 0

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
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            if right == 0:
                raise ExpressionError("Division by zero.")
            return left / right
        return _safe_pow(left, right)

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
        if name == "log" and len(args) == 2:
            return sp.log(args[0]) / sp.log(args[1])
        return fn(*args)


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
    return sp.Pow(base, exp)


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


@functools.lru_cache(maxsize=64)
def _symbols(variables: tuple[str, ...]) -> dict[str, sp.Symbol]:
    return {v: sp.Symbol(v) for v in variables}


def _check_variables(variables: Sequence[str]) -> tuple[str, ...]:
    variables = tuple(variables)
    for v in variables:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", v) or v in FUNCTIONS or v in CONSTANTS:
            raise ValueError(f"invalid variable name {v!r}")   # a programming error, not the user's
    return variables


@functools.lru_cache(maxsize=512)
def _parse_cached(text: str, variables: tuple[str, ...]) -> sp.Expr:
    norm = _normalise(text)
    tokens = _tokenise(norm, variables)
    source = " ".join(val for _, val, _ in tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise ExpressionError(_syntax_message(norm, tokens, err)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("The expression is too complicated.") from None
    try:
        expr = _Builder(variables, _symbols(variables)).build(tree)
    except RecursionError:
        raise ExpressionError("The expression is nested too deeply.") from None
    _check_result(expr, variables)
    return expr


def _syntax_message(norm: str, tokens, err: SyntaxError) -> str:
    if tokens and tokens[-1][0] == "op" and tokens[-1][1] not in ")":
        return f"The expression ends with '{tokens[-1][1]}': something is missing after it."
    if tokens and tokens[0][1] in ("*", "**", "/", ")", ","):
        return f"The expression cannot start with '{tokens[0][1]}'."
    for (k1, v1, p1), (k2, v2, p2) in zip(tokens, tokens[1:]):
        if k1 == "op" and k2 == "op" and v1 in "*/**+-" and v2 in ("*", "/", "**", ")", ","):
            return f"'{v1}' is followed by '{v2}' at position {p2 + 1}: something is missing between them."
        if v1 == "(" and v2 == ")":
            return f"Empty brackets at position {p1 + 1}."
    return "The expression is not complete or not well formed; check the operators and brackets."


def _check_result(expr, variables: tuple[str, ...]) -> None:
    if not isinstance(expr, sp.Expr) or isinstance(expr, (sp.core.relational.Relational, sp.logic.boolalg.BooleanAtom)):
        raise ExpressionError("The result is not a number-valued expression.")
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError("The expression is undefined (a division by zero or log(0)?).")
    if expr.has(sp.I):
        raise ExpressionError("The expression has a complex value; only real functions are drawn.")
    if not expr.free_symbols and expr.is_real is False:
        raise ExpressionError("The expression has no real value.")


def parse_expression(text: str, variables: Sequence[str] = ("x",)) -> sp.Expr:
    """Parse user text into a sympy expression in ``variables`` (plain ``sympy.Symbol`` s).

    Raises ``ExpressionError`` (a ``ValueError``) with a learner-friendly message for anything that
    is not a bounded, real, scalar expression built from numbers, the variables, ``pi``, ``e`` and
    the functions in ``FUNCTIONS``.
    """
    return _parse_cached(text if isinstance(text, str) else _normalise(text), _check_variables(variables))


# ---------------------------------------------------------------------------------------------
# Numbers from expressions
_MODULES = ["scipy", "numpy"]


def _nan(*_args) -> float:
    return float("nan")


def _compile(expr: sp.Expr, variables: tuple[str, ...]) -> Callable:
    syms = [sp.Symbol(v) for v in variables]
    try:
        return sp.lambdify(syms, expr, modules=_MODULES)
    except Exception:   # nothing numpy can evaluate (e.g. an unevaluated Derivative): undefined
        return _nan


@functools.lru_cache(maxsize=256)
def _compile_text(text: str, variables: tuple[str, ...]) -> Callable:
    return _compile(parse_expression(text, variables), variables)


def compile_expression(f: "str | sp.Expr", variables: Sequence[str] = ("x",)) -> Callable[..., np.ndarray]:
    """A numpy function of ``variables`` for ``f`` (text or sympy expression), cached by text.

    The returned function never raises for domain errors: it returns float64 arrays shaped like the
    broadcast inputs, with NaN wherever the value is undefined, infinite or complex.
    """
    variables = _check_variables(variables)
    raw = _compile_text(f, variables) if isinstance(f, str) else _compile_expr_cached(f, variables)

    def safe(*args):
        return _as_real_array(raw, args)

    return safe


@functools.lru_cache(maxsize=256)
def _compile_expr_cached(expr: sp.Expr, variables: tuple[str, ...]) -> Callable:
    return _compile(expr, variables)


def _as_real_array(raw: Callable, args) -> np.ndarray:
    arrays = [np.asarray(a, dtype=np.float64) for a in args]
    shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
    with np.errstate(all="ignore"):
        try:
            out = raw(*arrays)
        except (ZeroDivisionError, OverflowError, ValueError, TypeError, FloatingPointError):
            return np.full(shape, np.nan)
        out = np.asarray(out)
        if np.iscomplexobj(out):
            out = np.where(np.abs(out.imag) <= 1e-12 * (1 + np.abs(out.real)), out.real, np.nan)
        out = np.broadcast_to(out.astype(np.float64, copy=False), shape).copy()
    out[~np.isfinite(out)] = np.nan
    return out


def evaluate(f: "str | sp.Expr", variables: Sequence[str], *args, clip: float | None = None) -> np.ndarray:
    """Evaluate ``f`` on arrays; NaN where undefined; values beyond ±``clip`` become NaN (for charts)."""
    out = compile_expression(f, variables)(*args)
    if clip is not None:
        out[np.abs(out) > clip] = np.nan
    return out


def to_latex(expr: sp.Expr) -> str:
    """LaTeX for an expression, with ``log`` written as ``ln`` as the course does."""
    return sp.latex(expr, ln_notation=True)
