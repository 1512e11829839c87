"""Steps 1 and 2 of parsing: typed text -> plain ASCII -> tokens with implicit multiplication.

``normalise`` maps what learners paste (``π``, ``x²``, ``·``, ``−``, fullwidth letters) to ASCII and
refuses control and bidi characters; ``tokenise`` splits the text with one regular expression,
inserts the ``*`` of implicit multiplication (``2x``, ``3(x+1)``, ``(x-1)(x+1)``, ``x sin(y)``) and
checks brackets.

Letters written together form one name, read by these rules, in this order:

1. a whole name that is a variable, a constant (``pi``, ``e``, ``E``) or a function is that;
2. a name right before ``(`` is a function call (``sinx(1)``, ``ex(x)``: an unknown function);
3. otherwise a name that splits in exactly one way into the constants and at most ONE variable is
   their product: ``xe^x`` = x·e^x, ``3xe^x`` = 3·x·e^x, ``ex`` = e·x, ``2πx`` (``2pix``) = 2·π·x;
4. anything else is refused with a suggestion: two variables (``xy``: write ``x y`` or ``x*y``; it
   could as well be a mistyped name) and a function run into its argument (``sinx``: write
   ``sin(x)``).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from explorer.expressions.vocabulary import CONSTANTS, FUNCTIONS, MAX_DEPTH, MAX_LENGTH, ExpressionError

# Step 1: unicode
_BEFORE_NFKC = {
    "π": "pi", "·": "*", "×": "*", "⋅": "*", "∗": "*", "÷": "/", "−": "-", "–": "-", "—": "-",
    "√": "sqrt", "∞": " oo ",  # oo is then refused as an unknown name with a clear message
}
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# a run of superscript digits is one exponent (x¹⁰ = x^10, x²³ = x^23), with its sign (x⁻¹²)
_SUPERSCRIPT = re.compile("(⁻?)([⁰¹²³⁴⁵⁶⁷⁸⁹]*)")


def _superscripts(text: str) -> str:
    def one(m: re.Match) -> str:
        sign, digits = m.group(1), m.group(2)
        if not sign and not digits:
            return ""
        return "^" + ("-" if sign else "") + digits.translate(_SUPERSCRIPT_DIGITS)
    return _SUPERSCRIPT.sub(one, text)
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}   # control, format (bidi, zero-width), ...


def normalise(text: str) -> str:
    if not isinstance(text, str):
        raise ExpressionError("The expression must be text.")
    if len(text) > 4 * MAX_LENGTH:
        raise ExpressionError(f"That is too long: at most {MAX_LENGTH} characters.")
    # superscripts first: NFKC would turn x² into x2
    text = _superscripts("".join(_BEFORE_NFKC.get(ch, ch) for ch in text))
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


def tokenise(text: str, variables: Sequence[str]) -> list[tuple[str, str, int]]:
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

    tokens = _split_products(tokens, variables)

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


def _split_products(tokens: list[tuple[str, str, int]], variables: Sequence[str]) -> list[tuple[str, str, int]]:
    """Rule 3 of the module docstring: ``xe`` -> ``x``, ``e`` (the ``*`` is inserted later)."""
    out: list[tuple[str, str, int]] = []
    for i, (kind, val, pos) in enumerate(tokens):
        before_bracket = i + 1 < len(tokens) and tokens[i + 1][1] == "("
        pieces = None
        if kind == "name" and not before_bracket and val not in variables and val not in CONSTANTS \
                and val not in FUNCTIONS:
            pieces = split_product(val, variables)
        if pieces is None:
            out.append((kind, val, pos))
            continue
        for piece in pieces:
            out.append(("name", piece, pos))
            pos += len(piece)
    return out


def split_product(name: str, variables: Sequence[str]) -> list[str] | None:
    """The one way to read ``name`` as constants (pi, e, E) and at most one variable written
    together, or None when there is none or more than one (``xy``: two variables; ``sinx``)."""
    pieces = [(p, p in variables) for p in dict.fromkeys([*variables, *CONSTANTS])]
    # ways[i][v]: the readings of name[i:] with at most v variables (at most 2 kept: enough to see
    # that a reading is not unique)
    ways: list[dict[int, list[list[str]]]] = [{} for _ in range(len(name) + 1)]
    ways[len(name)] = {0: [[]], 1: [[]]}
    for i in range(len(name) - 1, -1, -1):
        for budget in (0, 1):
            found: list[list[str]] = []
            for piece, is_var in pieces:
                if not name.startswith(piece, i) or (is_var and budget == 0):
                    continue
                for rest in ways[i + len(piece)].get(budget - is_var, []):
                    found.append([piece, *rest])
                    if len(found) > 1:
                        break
            ways[i][budget] = found[:2]
    readings = ways[0][1]
    return readings[0] if len(readings) == 1 else None
