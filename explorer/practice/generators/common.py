"""What every question generator shares: the symbols, small random choices, answer parts, worked
steps, and ``question``, which keeps only the mistakes whose answers really differ from the right
ones (a "forgot the 1/k!" answer for k = 1 is the right answer, and must not be named)."""
from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import Sequence

import sympy as sp

from explorer.expressions import parse_expression
from explorer.numbers import tex_number
from explorer.practice.checking import as_sympy
from explorer.practice.questions import Mistake, Part, Question, Step

X, Y, T = sp.symbols("x y t")

SIGN = ("a sign error", "A sign went the wrong way somewhere: compare your answer with the worked "
        "solution term by term.")
CHAIN = ("a dropped chain-rule factor",
         "You differentiated the outer function but forgot to multiply by the derivative of the inside.")

# (name, explanation, one wrong answer per part: None where that part is not affected)
Candidate = tuple[str, str, Sequence["sp.Expr | None"]]


def nz(rng: random.Random, lo: int, hi: int) -> int:
    """A random non-zero integer in [lo, hi]."""
    while True:
        v = rng.randint(lo, hi)
        if v:
            return v


def point(rng: random.Random) -> tuple[int, int]:
    return rng.randint(-2, 2), rng.randint(-2, 2)


def txt(e: "sp.Expr | int | Fraction") -> str:
    """Text for an expression that the safe parser reads back as the same expression."""
    return sp.sstr(as_sympy(e))


def approx(v: "sp.Expr | Fraction") -> str:
    r"""``\approx 0.1234``: a decimal beside an exact value in a worked step."""
    return r"\approx " + tex_number(float(v))


def steps(*lines: tuple[str, str]) -> tuple[Step, ...]:
    """A worked solution from (rule, LaTeX) pairs."""
    return tuple(Step(rule, latex) for rule, latex in lines)


def expression_part(label: str, answer: sp.Expr, variables: tuple[str, ...] = ("x",)) -> Part:
    return Part(label, txt(answer), "expression", variables)


def number_part(label: str, answer: "sp.Expr | Fraction") -> Part:
    return Part(label, txt(answer), "number", ())


def question(module: str, kind: str, prompt: str, latex: str, parts: Sequence[Part],
             worked: Sequence[Step], candidates: Sequence[Candidate], **extra) -> Question:
    """A ``Question`` whose mistakes are the ``candidates`` that differ from the right answer."""
    parts = tuple(parts)
    return Question(module, kind, prompt, latex, parts, tuple(worked), _mistakes(parts, candidates), **extra)


def _mistakes(parts: tuple[Part, ...], candidates: Sequence[Candidate]) -> tuple[Mistake, ...]:
    """Keep only mistakes whose answers really differ from the right ones (on some part)."""
    out = []
    for name, why, answers in candidates:
        texts: list[str | None] = []
        differs = False
        for part, wrong in zip(parts, answers):
            if wrong is None:
                texts.append(None)
                continue
            if _differ(as_sympy(wrong), parse_expression(part.answer, part.parse_variables)):
                differs = True
            texts.append(txt(wrong))
        if differs:
            out.append(Mistake(name, why, tuple(texts)))
    return tuple(out)


_PROBES = (sp.Rational(3, 7), sp.Rational(-5, 4), sp.Rational(13, 10), sp.Rational(-2, 9), sp.Rational(7, 3))


def _differ(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether two of our generated expressions differ (numerically at fixed probe points: fast)."""
    d = a - b
    syms = sorted(a.free_symbols | b.free_symbols, key=str)
    for i in range(len(_PROBES)):
        at = {s: _PROBES[(i + j) % len(_PROBES)] for j, s in enumerate(syms)}
        try:
            v = complex(d.xreplace(at).evalf(20))
            scale = abs(complex(a.xreplace(at).evalf(20)))
        except (TypeError, ValueError):
            continue
        if not (math.isfinite(abs(v)) and math.isfinite(scale)):
            continue
        if abs(v) > 1e-9 * (1 + scale):
            return True
        if not syms:
            return False
    return False
