"""Self-check drills: questions generated from templates with seeded random coefficients, and marking.

``check_answer(expected, answer, variables=("x",))`` is True exactly when the two expressions are
mathematically equal: symbolically when sympy can decide quickly, otherwise numerically at many
random points.  It never raises on bad ``answer`` text: it returns False (the page shows the
parser's message from ``explorer.expressions.parse_expression``).

``generate(module, difficulty, seed, number)`` builds a ``Question`` (always the same one for the
same arguments, so a class sharing a seed shares a set): a prompt, one or more answer ``Part`` s
(an expression in the named variables, or a number), a worked solution (``Step`` s, each naming the
rule used) and the answers that common mistakes produce (``Mistake`` s).  ``mark(question, answers)``
marks typed answers and names a recognised mistake.  Everything here is pure python/sympy.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.expressions import ExpressionError, compile_expression, parse_expression, to_latex

__all__ = ["check_answer", "check_number", "generate", "mark", "Question", "Part", "Step", "Mistake",
           "Feedback", "PartResult", "MODULES", "DIFFICULTIES", "NUMBER_REL_TOL"]


# ---------------------------------------------------------------------------------------------
# Checking typed answers
def _simplifies_to_zero(diff: sp.Expr) -> bool:
    return sp.simplify(diff) == 0


def _numerically_equal(a: sp.Expr, b: sp.Expr, variables: tuple[str, ...], seed: int = 0) -> bool:
    rng = np.random.default_rng(seed)
    pts = [rng.uniform(-3, 3, 400) for _ in variables]
    fa, fb = compile_expression(a, variables)(*pts), compile_expression(b, variables)(*pts)
    both = np.isfinite(fa) & np.isfinite(fb)
    if both.sum() < 20 or (np.isfinite(fa) != np.isfinite(fb)).mean() > 0.05:
        return False
    return bool(np.allclose(fa[both], fb[both], rtol=1e-8, atol=1e-9))


def check_answer(expected: str, answer: str, variables: Sequence[str] = ("x",)) -> bool:
    """True exactly when ``answer`` is mathematically equal to ``expected`` (never raises on bad text)."""
    variables = tuple(variables)
    try:
        a = parse_expression(expected, variables)
        b = parse_expression(answer, variables)
    except (ExpressionError, TypeError):
        return False
    try:
        diff = sp.expand(a - b) if sp.count_ops(a - b) < 200 else a - b
        if diff == 0:
            return True
        if not diff.free_symbols:
            try:
                return abs(complex(sp.N(diff, 30))) < 1e-12
            except (TypeError, ValueError):
                return False
        try:
            if symbolic.call(_simplifies_to_zero, diff, timeout=1.0):
                return True
        except symbolic.SymbolicTimeout:
            pass
        return _numerically_equal(a, b, variables)
    except Exception:  # noqa: BLE001 - an odd answer must never break the page; it is just not equal
        return False


NUMBER_REL_TOL = 0.006   # a decimal rounded to 3 significant figures is accepted


def check_number(expected: "str | sp.Expr", answer: str, rel_tol: float = NUMBER_REL_TOL) -> bool:
    """True when the typed number (or constant expression such as ``e^2/2``) matches ``expected``:
    exactly, or within ``rel_tol`` relative error (so a decimal to 3 significant figures passes).
    Raises ``ExpressionError`` (with the parser's message) for text that is not a number."""
    want = parse_expression(expected, ()) if isinstance(expected, str) else _e(expected)
    got = parse_expression(answer, ())
    try:
        w, g = float(sp.N(want, 20)), float(sp.N(got, 20))
    except (TypeError, ValueError):
        raise ExpressionError("That is not a single real number.") from None
    if not math.isfinite(g):
        raise ExpressionError("That is not a finite number.")
    return abs(w - g) <= rel_tol * abs(w) + 1e-9


# ---------------------------------------------------------------------------------------------
# Questions
@dataclass(frozen=True)
class Step:
    """One line of a worked solution: the rule used, and the LaTeX of what it gives."""
    rule: str
    latex: str


@dataclass(frozen=True)
class Part:
    """One answer box.  ``answer`` is text the safe parser reads; ``kind`` is "expression" or "number"."""
    label: str
    answer: str
    kind: str = "expression"
    variables: tuple[str, ...] = ("x",)

    @property
    def latex(self) -> str:
        return to_latex(parse_expression(self.answer, self.variables if self.kind == "expression" else ()))


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a common mistake produces, per part (None: that part is not affected)."""
    name: str
    explanation: str
    answers: tuple["str | None", ...]


@dataclass(frozen=True)
class Question:
    module: str
    kind: str            # e.g. "chain rule", "Newton-Raphson step"
    prompt: str          # markdown (generated text only)
    latex: str           # the formula the question is about
    parts: tuple[Part, ...]
    steps: tuple[Step, ...]
    mistakes: tuple[Mistake, ...] = ()
    hint: str = ""
    points: tuple[tuple[int, int], ...] = ()     # data points (least-squares questions)
    function: str = ""                           # f as parser text, where there is one f(x)

    @property
    def id(self) -> str:
        return f"{self.module}:{self.kind}:{self.latex}"


@dataclass(frozen=True)
class PartResult:
    correct: bool
    error: str | None = None       # the parser's message when the text could not be read


@dataclass(frozen=True)
class Feedback:
    correct: bool
    parts: tuple[PartResult, ...]
    mistake: Mistake | None = None

    @property
    def unreadable(self) -> bool:
        return any(p.error for p in self.parts)


MODULES: dict[str, str] = {
    "derivatives": "1 · Derivatives (sum, power, product, chain rules)",
    "multivariate": "2 · Partial derivatives, gradient, Jacobian, Hessian",
    "chain-rule": "3 · Multivariate chain rule & a neuron",
    "taylor": "4 · Taylor coefficients",
    "optimisation": "5 · Newton-Raphson & gradient descent steps",
    "regression": "6 · Least-squares line",
}
DIFFICULTIES = {1: "Warm-up", 2: "Standard", 3: "Challenge"}

X, Y, T = sp.symbols("x y t")
ANSWER_HINT = ("Type with ^ for powers and implicit multiplication (2x, x sin(x)); "
               "exp, ln, sqrt, sin, cos, tan … are available.")
NUMBER_HINT = "An exact value (3/7, e^2/2) or a decimal to 3 significant figures."


def _e(v: "sp.Expr | int | Fraction") -> sp.Expr:
    """A sympy object for one of our own generated values (never user text)."""
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    if isinstance(v, int):
        return sp.Integer(v)
    raise TypeError(f"unexpected value {v!r}")


def _txt(e: sp.Expr) -> str:
    """Text for an expression that the safe parser reads back as the same expression."""
    return sp.sstr(e)


def _tex(e: sp.Expr) -> str:
    return to_latex(e)


def _nz(rng: random.Random, lo: int, hi: int) -> int:
    """A random non-zero integer in [lo, hi]."""
    while True:
        v = rng.randint(lo, hi)
        if v:
            return v


def _mistakes(parts: Sequence[Part], candidates: Sequence[tuple[str, str, Sequence["sp.Expr | None"]]]
              ) -> tuple[Mistake, ...]:
    """Keep only mistakes whose answers really differ from the right ones (on some part)."""
    out = []
    for name, why, answers in candidates:
        texts: list[str | None] = []
        differs = False
        for part, wrong in zip(parts, answers):
            if wrong is None:
                texts.append(None)
                continue
            right = parse_expression(part.answer, part.variables if part.kind == "expression" else ())
            if _differ(_e(wrong), right):
                differs = True
            texts.append(_txt(_e(wrong)))
        if differs:
            out.append(Mistake(name, why, tuple(texts)))
    return tuple(out)


_PROBES = (sp.Rational(3, 7), sp.Rational(-5, 4), sp.Rational(13, 10), sp.Rational(-2, 9), sp.Rational(7, 3))


def _differ(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether two of our generated expressions differ (numerically at fixed probe points: fast)."""
    d = a - b
    syms = sorted(a.free_symbols | b.free_symbols, key=str)
    for i in range(len(_PROBES)):
        point = {s: _PROBES[(i + j) % len(_PROBES)] for j, s in enumerate(syms)}
        try:
            v = complex(d.xreplace(point).evalf(20))
            scale = abs(complex(a.xreplace(point).evalf(20)))
        except (TypeError, ValueError):
            continue
        if not (math.isfinite(abs(v)) and math.isfinite(scale)):
            continue
        if abs(v) > 1e-9 * (1 + scale):
            return True
        if not syms:
            return False
    return False


SIGN = ("a sign error", "A sign went the wrong way somewhere: compare your answer with the worked "
        "solution term by term.")
CHAIN = ("a dropped chain-rule factor",
         "You differentiated the outer function but forgot to multiply by the derivative of the inside.")


# ----- module 1: derivatives ------------------------------------------------------------------
def _q_sum_power(rng: random.Random, difficulty: int) -> Question:
    n = rng.randint(2, 4 + difficulty)
    m = rng.randint(1, n - 1) if difficulty == 1 else -rng.randint(1, 3)
    a, b, c = _nz(rng, -6, 6), _nz(rng, -6, 6), rng.randint(-9, 9)
    terms = [a * X ** n, b * X ** m, sp.Integer(c)]
    if difficulty >= 2:
        terms.append(_nz(rng, 1, 4) * sp.sqrt(X))
    f = sp.Add(*terms)
    df = sp.diff(f, X)
    steps = [Step("Sum rule: differentiate term by term",
                  r"\frac{d}{dx}\Big(" + " + ".join(_tex(t) for t in terms) + r"\Big) = " +
                  " + ".join(r"\frac{d}{dx}\left(" + _tex(t) + r"\right)" for t in terms))]
    for t in terms:
        if t.is_number:
            steps.append(Step("Constant rule: a constant's derivative is 0",
                              r"\frac{d}{dx}\left(" + _tex(t) + r"\right) = 0"))
        else:
            coeff, power = t.as_coeff_exponent(X)
            steps.append(Step(f"Power rule: d/dx x^n = n x^(n−1), here n = {power}",
                              r"\frac{d}{dx}\left(" + _tex(t) + r"\right) = " + _tex(coeff) +
                              r"\cdot " + _tex(power) + r"\, " + _tex(X ** (power - 1)) + " = " +
                              _tex(sp.diff(t, X))))
    steps.append(Step("Add the pieces", r"f'(x) = " + _tex(df)))
    parts = (Part("f′(x) =", _txt(df)),)
    wrong_power = sp.Add(*[t.as_coeff_exponent(X)[0] * t.as_coeff_exponent(X)[1] * X ** t.as_coeff_exponent(X)[1]
                           for t in terms if not t.is_number])
    mistakes = _mistakes(parts, [
        ("the power not lowered by one", "The power rule brings the power down AND lowers it by one: "
         "d/dx xⁿ = n xⁿ⁻¹.", [wrong_power]),
        ("the constant kept", "A constant term differentiates to 0.", [df + c] if c else [None]),
        (*SIGN, [-df]),
    ])
    return Question("derivatives", "sum and power rules", "Differentiate with respect to x:",
                    "f(x) = " + _tex(f), parts, tuple(steps), mistakes)


_OUTER = [  # name, outer function g(u), its derivative g'(u)
    ("sin", sp.sin, sp.cos),
    ("cos", sp.cos, lambda u: -sp.sin(u)),
    ("exp", sp.exp, sp.exp),
]


def _q_product(rng: random.Random, difficulty: int) -> Question:
    a, n, b = _nz(rng, -5, 5), rng.randint(1, 3 + difficulty), _nz(rng, -4, 4)
    name, g, dg = rng.choice(_OUTER)
    u = a * X ** n
    v = g(b * X) if difficulty >= 3 else g(X)
    du, dv = sp.diff(u, X), sp.diff(v, X)
    df = du * v + u * dv
    rule_v = (f"Chain rule for v: d/dx {name}({_txt(b * X)}) = {name}′({_txt(b * X)})·{b}"
              if difficulty >= 3 else f"Derivative of {name}")
    steps = (
        Step("Product rule: (u v)′ = u′ v + u v′", r"u = " + _tex(u) + r",\quad v = " + _tex(v)),
        Step("Power rule for u", r"u' = " + _tex(du)),
        Step(rule_v, r"v' = " + _tex(dv)),
        Step("Put together", r"f'(x) = u'v + uv' = " + _tex(du) + r"\cdot " + _tex(v) + " + " +
             _tex(u) + r"\cdot " + _tex(dv)),
    )
    parts = (Part("f′(x) =", _txt(df)),)
    cands = [
        ("the product of the derivatives", "The derivative of a product is NOT the product of the "
         "derivatives: (uv)′ = u′v + uv′.", [du * dv]),
        ("only one term of the product rule", "The product rule has two terms: u′v AND uv′.", [du * v]),
        ("only one term of the product rule", "The product rule has two terms: u′v AND uv′.", [u * dv]),
        (*SIGN, [du * v - u * dv]),
    ]
    if difficulty >= 3:
        cands.append((*CHAIN, [du * v + u * dv / b]))
    if name == "cos":
        cands.append(("a sign error in the derivative of cos", "d/dx cos x = −sin x (with a minus sign).",
                      [du * v - u * dv]))
    return Question("derivatives", "product rule", "Differentiate with respect to x:",
                    "f(x) = " + _tex(u * v), parts, steps, _mistakes(parts, cands))


def _q_chain(rng: random.Random, difficulty: int) -> Question:
    a, b = _nz(rng, -5, 5), _nz(rng, -6, 6)
    n = rng.randint(2, 2 + difficulty)
    kind = rng.choice(["sin", "cos", "exp", "pow", "ln"][: 3 + (difficulty >= 2) + (difficulty >= 3)])
    inner = a * X ** (2 if difficulty >= 2 else 1) + b
    if kind == "pow":
        g, dg, gname = (lambda u: u ** n), (lambda u: n * u ** (n - 1)), f"u^{n}"
    elif kind == "ln":
        inner = abs(a) * X ** 2 + abs(b)          # positive everywhere: well-posed for every x
        g, dg, gname = sp.log, (lambda u: 1 / u), "ln u"
    else:
        name, g, dg = next(o for o in _OUTER if o[0] == kind)
        gname = f"{name} u"
    f = g(inner)
    dinner = sp.diff(inner, X)
    df = dg(inner) * dinner
    steps = (
        Step("Chain rule: (g(u(x)))′ = g′(u)·u′(x)", r"u = " + _tex(inner) + r",\quad g(u) = " +
             _tex(g(sp.Symbol("u")))),
        Step(f"Derivative of the outer function ({gname})", r"g'(u) = " + _tex(dg(sp.Symbol("u")))),
        Step("Derivative of the inside (power rule)", r"u'(x) = " + _tex(dinner)),
        Step("Multiply: outer derivative at the inside, times the inside's derivative",
             r"f'(x) = " + _tex(dg(inner)) + r"\cdot " + r"\left(" + _tex(dinner) + r"\right) = " + _tex(df)),
    )
    parts = (Part("f′(x) =", _txt(df)),)
    cands = [(*CHAIN, [dg(inner)]), (*SIGN, [-df])]
    if kind == "cos":
        cands.append(("a sign error in the derivative of cos", "d/dx cos x = −sin x (with a minus sign).",
                      [-df]))
    return Question("derivatives", "chain rule", "Differentiate with respect to x:",
                    "f(x) = " + _tex(f), parts, steps, _mistakes(parts, cands))


def _derivatives(rng: random.Random, difficulty: int) -> Question:
    makers = {1: [_q_sum_power, _q_sum_power, _q_chain], 2: [_q_sum_power, _q_product, _q_chain],
              3: [_q_product, _q_chain, _q_chain]}[difficulty]
    return rng.choice(makers)(rng, difficulty)


# ----- module 2: multivariate -------------------------------------------------------------------
def _poly_xy(rng: random.Random, difficulty: int) -> sp.Expr:
    terms = [_nz(rng, -5, 5) * X ** rng.randint(1, 3) * Y ** rng.randint(1, 2),
             _nz(rng, -5, 5) * X ** rng.randint(2, 3), _nz(rng, -5, 5) * Y ** rng.randint(1, 3)]
    if difficulty >= 2:
        terms.append(_nz(rng, -3, 3) * rng.choice([sp.sin(X * Y), sp.exp(X + Y), sp.cos(X) * Y]))
    return sp.Add(*terms)


def _q_partial(rng: random.Random, difficulty: int) -> Question:
    f = _poly_xy(rng, difficulty)
    var, other = (X, Y) if rng.random() < 0.5 else (Y, X)
    d = sp.diff(f, var)
    steps = (
        Step(f"Partial derivative: treat {other} as a constant and differentiate with respect to {var}",
             r"\frac{\partial f}{\partial " + str(var) + "} = " +
             " + ".join(r"\frac{\partial}{\partial " + str(var) + r"}\left(" + _tex(t) + r"\right)"
                        for t in sp.Add.make_args(f))),
        Step("Sum, power (and chain) rules term by term; terms without " + str(var) + " give 0",
             r"\frac{\partial f}{\partial " + str(var) + "} = " + _tex(d)),
    )
    parts = (Part(f"∂f/∂{var} =", _txt(d), variables=("x", "y")),)
    mistakes = _mistakes(parts, [
        ("differentiating with respect to the wrong variable",
         f"The question asks for ∂f/∂{var}; you differentiated with respect to {other}.", [sp.diff(f, other)]),
        ("a sign error", SIGN[1], [-d]),
    ])
    return Question("multivariate", "partial derivative",
                    f"Find the partial derivative with respect to **{var}**:", "f(x, y) = " + _tex(f),
                    parts, steps, mistakes)


def _point(rng: random.Random) -> tuple[int, int]:
    return rng.randint(-2, 2), rng.randint(-2, 2)


def _q_gradient(rng: random.Random, difficulty: int) -> Question:
    f = _poly_xy(rng, difficulty)
    x0, y0 = _point(rng)
    fx, fy = sp.diff(f, X), sp.diff(f, Y)
    gx, gy = (e.subs({X: x0, Y: y0}) for e in (fx, fy))
    num = "number"
    steps = (
        Step("Partial derivative in x (y held constant)", r"f_x = " + _tex(fx)),
        Step("Partial derivative in y (x held constant)", r"f_y = " + _tex(fy)),
        Step(f"Gradient = (f_x, f_y), evaluated at ({x0}, {y0})",
             r"\nabla f(" + f"{x0}, {y0}" + r") = \left(" + _tex(gx) + ",\\ " + _tex(gy) + r"\right)"),
    )
    parts = (Part("∂f/∂x at the point =", _txt(gx), num, ()), Part("∂f/∂y at the point =", _txt(gy), num, ()))
    mistakes = _mistakes(parts, [
        ("the components swapped", "The gradient lists ∂f/∂x first, then ∂f/∂y.", [gy, gx]),
        (*SIGN, [-gx, -gy]),
    ])
    return Question("multivariate", "gradient at a point",
                    f"Find the gradient ∇f at the point (x, y) = ({x0}, {y0}):", "f(x, y) = " + _tex(f),
                    parts, steps, mistakes)


def _q_jacobian_hessian(rng: random.Random, difficulty: int) -> Question:
    if rng.random() < 0.5:
        u = _nz(rng, -4, 4) * X ** rng.randint(1, 3) * Y + _nz(rng, -5, 5) * Y ** 2
        v = _nz(rng, -4, 4) * X * Y ** rng.randint(1, 2) + _nz(rng, -3, 3) * rng.choice([sp.sin(X), sp.exp(Y), X ** 3])
        i, j = rng.randint(1, 2), rng.randint(1, 2)
        comp, var = (u, v)[i - 1], (X, Y)[j - 1]
        entry = sp.diff(comp, var)
        name = ("u", "v")[i - 1]
        steps = (
            Step("Jacobian: row i holds the partial derivatives of the i-th component",
                 r"J = \begin{pmatrix} u_x & u_y \\ v_x & v_y \end{pmatrix}"),
            Step(f"Entry J_{i}{j} = ∂{name}/∂{var}: differentiate {name} with the other variable constant",
                 r"J_{" + f"{i}{j}" + r"} = \frac{\partial " + name + r"}{\partial " + str(var) + "} = " + _tex(entry)),
        )
        parts = (Part(f"J_{i}{j} =", _txt(entry), variables=("x", "y")),)
        wrong_t = sp.diff((u, v)[j - 1], (X, Y)[i - 1])
        mistakes = _mistakes(parts, [
            ("rows and columns swapped (the transpose)", "Rows are the components (u, v); columns the "
             "variables (x, y): J_ij = ∂(component i)/∂(variable j).", [wrong_t]),
            (*SIGN, [-entry]),
        ])
        return Question("multivariate", "Jacobian entry",
                        f"For the map (u, v) below, find the Jacobian entry **J_{i}{j}** (row {i}, column {j}):",
                        r"u(x, y) = " + _tex(u) + r",\qquad v(x, y) = " + _tex(v), parts, steps, mistakes)
    f = _poly_xy(rng, difficulty)
    which = rng.choice(["xx", "xy", "yy"])
    v1, v2 = (X if which[0] == "x" else Y), (X if which[1] == "x" else Y)
    first = sp.diff(f, v1)
    entry = sp.diff(first, v2)
    label = {"xx": "H_11 = ∂²f/∂x²", "xy": "H_12 = ∂²f/∂x∂y", "yy": "H_22 = ∂²f/∂y²"}[which]
    steps = (
        Step("Hessian: the matrix of second partial derivatives",
             r"H = \begin{pmatrix} f_{xx} & f_{xy} \\ f_{yx} & f_{yy} \end{pmatrix}"),
        Step(f"First differentiate with respect to {v1}", r"f_{" + str(v1) + "} = " + _tex(first)),
        Step(f"Then differentiate that with respect to {v2}", r"f_{" + str(v1) + str(v2) + "} = " + _tex(entry)),
    )
    parts = (Part(label.split(" = ")[0] + " =", _txt(entry), variables=("x", "y")),)
    mistakes = _mistakes(parts, [
        ("stopping after the first derivative", "A Hessian entry is a SECOND derivative: differentiate twice.",
         [first]),
        (*SIGN, [-entry]),
    ])
    return Question("multivariate", "Hessian entry", f"Find the Hessian entry **{label}**:",
                    "f(x, y) = " + _tex(f), parts, steps, mistakes)


def _multivariate(rng: random.Random, difficulty: int) -> Question:
    makers = {1: [_q_partial, _q_partial, _q_gradient], 2: [_q_partial, _q_gradient, _q_jacobian_hessian],
              3: [_q_gradient, _q_jacobian_hessian, _q_jacobian_hessian]}[difficulty]
    return rng.choice(makers)(rng, difficulty)


# ----- module 3: multivariate chain rule and a neuron ---------------------------------------------
def _q_total_derivative(rng: random.Random, difficulty: int) -> Question:
    f = _nz(rng, -3, 3) * X ** rng.randint(1, 2) * Y + _nz(rng, -3, 3) * Y ** rng.randint(1, 2)
    if difficulty >= 2:
        f += _nz(rng, -2, 2) * X ** 2
    xt = _nz(rng, -3, 3) * T ** rng.randint(1, 2) + rng.randint(-2, 2)
    yt = rng.choice([_nz(rng, -3, 3) * T + rng.randint(-2, 2), T ** 2, sp.sin(T), sp.exp(T)][: 2 + difficulty])
    t0 = rng.randint(-2, 2) if difficulty < 3 else rng.choice([0, 1])
    fx, fy = sp.diff(f, X), sp.diff(f, Y)
    dxt, dyt = sp.diff(xt, T), sp.diff(yt, T)
    at = {T: t0}
    xv, yv = xt.subs(at), yt.subs(at)
    pt = {X: xv, Y: yv}
    total = fx.subs(pt) * dxt.subs(at) + fy.subs(pt) * dyt.subs(at)
    steps = (
        Step("Multivariate chain rule: df/dt = ∂f/∂x · dx/dt + ∂f/∂y · dy/dt",
             r"\frac{df}{dt} = f_x\,\dot x + f_y\,\dot y"),
        Step("Partial derivatives of f", r"f_x = " + _tex(fx) + r",\quad f_y = " + _tex(fy)),
        Step("Derivatives of the path", r"\dot x = " + _tex(dxt) + r",\quad \dot y = " + _tex(dyt)),
        Step(f"At t = {t0} the path is at (x, y) = ({_txt(xv)}, {_txt(yv)})",
             r"\frac{df}{dt}\Big|_{t=" + str(t0) + r"} = " + _tex(fx.subs(pt)) + r"\cdot " +
             _tex(dxt.subs(at)) + " + " + _tex(fy.subs(pt)) + r"\cdot " + _tex(dyt.subs(at)) + " = " +
             _tex(total)),
    )
    parts = (Part(f"df/dt at t = {t0} =", _txt(total), "number", ()),)
    mistakes = _mistakes(parts, [
        ("only one path of the chain rule", "f depends on t through BOTH x and y: add both contributions.",
         [fx.subs(pt) * dxt.subs(at)]),
        ("only one path of the chain rule", "f depends on t through BOTH x and y: add both contributions.",
         [fy.subs(pt) * dyt.subs(at)]),
        (*CHAIN, [fx.subs(pt) + fy.subs(pt)]),
        (*SIGN, [-total]),
    ])
    return Question("chain-rule", "multivariate chain rule",
                    f"f depends on t through x(t) and y(t). Find df/dt at t = {t0}:",
                    r"f(x, y) = " + _tex(f) + r",\quad x(t) = " + _tex(xt) + r",\quad y(t) = " + _tex(yt),
                    parts, steps, mistakes)


def _q_neuron(rng: random.Random, difficulty: int) -> Question:
    w, b, a0 = _nz(rng, -3, 3), rng.randint(-2, 2), _nz(rng, -2, 2)
    if difficulty >= 3:
        w, b = sp.Rational(_nz(rng, -6, 6), 2), sp.Rational(rng.randint(-4, 4), 2)
    z = w * a0 + b
    a1 = sp.tanh(z)
    wrt = rng.choice(["w", "b"])
    dz = a0 if wrt == "w" else 1
    grad = (1 - sp.tanh(z) ** 2) * dz
    steps = (
        Step("Chain rule through the neuron: a = tanh(z), z = w·a₀ + b",
             r"\frac{\partial a}{\partial " + wrt + r"} = \frac{da}{dz}\cdot\frac{\partial z}{\partial " + wrt + "}"),
        Step("Derivative of tanh", r"\frac{da}{dz} = 1 - \tanh^2 z,\quad z = " + _tex(w) + r"\cdot " +
             _tex(sp.Integer(a0)) + " + " + _tex(b) + " = " + _tex(z)),
        Step(f"∂z/∂{wrt} = {'a₀' if wrt == 'w' else '1'}", r"\frac{\partial z}{\partial " + wrt + "} = " +
             _tex(_e(dz))),
        Step("Multiply", r"\frac{\partial a}{\partial " + wrt + "} = " + _tex(grad) + r"\approx " +
             f"{float(grad):.4g}"),
    )
    parts = (Part(f"∂a/∂{wrt} =", _txt(grad), "number", ()),)
    cands = [(*SIGN, [-grad]), ("using tanh instead of its derivative", "The derivative of tanh z is "
             "1 − tanh² z, not tanh z.", [sp.tanh(z) * dz])]
    if wrt == "w":
        cands.insert(0, (*CHAIN, [1 - sp.tanh(z) ** 2]))
    return Question("chain-rule", "a neuron's derivative",
                    f"A one-neuron network: a = tanh(w·a₀ + b) with w = {w}, b = {b}, a₀ = {a0}. "
                    f"Find ∂a/∂{wrt}:", r"a = \tanh(w\,a_0 + b)", parts, steps, _mistakes(parts, cands))


def _chain_rule(rng: random.Random, difficulty: int) -> Question:
    return rng.choice([_q_total_derivative, _q_total_derivative, _q_neuron] if difficulty > 1
                      else [_q_total_derivative])(rng, difficulty)


# ----- module 4: Taylor --------------------------------------------------------------------------
def _q_taylor(rng: random.Random, difficulty: int) -> Question:
    a = _nz(rng, -3, 3)
    if difficulty == 1:
        x0 = rng.randint(-2, 2)
        f = sum(_nz(rng, -4, 4) * X ** p for p in range(rng.randint(3, 4), -1, -1))
        k = rng.randint(1, 3)
    elif difficulty == 2:
        x0 = 0
        f = rng.choice([sp.exp(a * X), sp.sin(a * X), sp.cos(a * X), (1 + a * X) ** rng.randint(3, 5)])
        k = rng.randint(2, 5)
    else:
        kind = rng.choice(["ln", "geo", "exp1"])
        if kind == "ln":
            x0, f = 0, sp.log(1 + a * X)
        elif kind == "geo":
            x0, f = 0, 1 / (1 - a * X)
        else:
            x0, f = 1, sp.exp(a * X)
        k = rng.randint(2, 5)
    dk = sp.diff(f, X, k)
    at = dk.subs(X, x0)
    coeff = at / sp.factorial(k)
    about = f"x₀ = {x0}"
    steps = (
        Step("Taylor series: f(x) = Σ c_k (x − x₀)^k with c_k = f⁽ᵏ⁾(x₀) / k!",
             r"c_k = \frac{f^{(k)}(x_0)}{k!}"),
        Step(f"Differentiate {k} times", r"f^{(" + str(k) + r")}(x) = " + _tex(dk)),
        Step(f"Evaluate at {about}", r"f^{(" + str(k) + r")}(" + str(x0) + ") = " + _tex(at)),
        Step(f"Divide by {k}! = {math.factorial(k)}", r"c_" + str(k) + r" = \frac{" + _tex(at) + "}{" +
             str(math.factorial(k)) + "} = " + _tex(coeff)),
    )
    parts = (Part(f"c_{k} =", _txt(coeff), "number", ()),)
    mistakes = _mistakes(parts, [
        ("forgetting the 1/k!", f"The coefficient is the k-th derivative DIVIDED by k! (here {k}! = "
         f"{math.factorial(k)}).", [at]),
        ("dividing by k instead of k!", f"Divide by k! = {math.factorial(k)}, not by k = {k}.", [at / k]),
        (*SIGN, [-coeff]),
        ("the wrong order", f"c_{k} multiplies (x − x₀)^{k}: use the {k}-th derivative.",
         [sp.diff(f, X, k - 1).subs(X, x0) / sp.factorial(k - 1)]),
    ])
    return Question("taylor", "Taylor coefficient",
                    f"Find the coefficient c_{k} of (x − x₀)^{k} in the Taylor series of f about {about}:",
                    "f(x) = " + _tex(f), parts, steps, mistakes, function=_txt(f))


# ----- module 5: optimisation ---------------------------------------------------------------------
def _q_newton(rng: random.Random, difficulty: int) -> Question:
    while True:
        if difficulty == 1:
            f = X ** 2 - rng.randint(2, 20)
            x0 = sp.Integer(rng.randint(1, 5))
        elif difficulty == 2:
            f = X ** 3 + _nz(rng, -4, 4) * X ** rng.randint(1, 2) + rng.randint(-6, 6)
            x0 = sp.Integer(_nz(rng, -3, 3))
        else:
            f = rng.choice([sp.exp(X) - rng.randint(2, 9), X - sp.cos(X), X ** 3 - rng.randint(2, 9) * X - 1,
                            sp.log(X) + X - rng.randint(2, 5)])
            x0 = sp.Rational(rng.randint(1, 6), 2)
        df = sp.diff(f, X)
        fv, dfv = f.subs(X, x0), df.subs(X, x0)
        if dfv != 0 and fv != 0 and abs(float(dfv)) > 0.2:
            break
    x1 = x0 - fv / dfv
    steps = (
        Step("Newton-Raphson: follow the tangent to where it crosses zero", r"x_1 = x_0 - \frac{f(x_0)}{f'(x_0)}"),
        Step("Derivative (sum and power rules)", r"f'(x) = " + _tex(df)),
        Step(f"Evaluate at x₀ = {x0}", r"f(x_0) = " + _tex(fv) + r",\quad f'(x_0) = " + _tex(dfv)),
        Step("One step", r"x_1 = " + _tex(x0) + r" - \frac{" + _tex(fv) + "}{" + _tex(dfv) + "} = " + _tex(x1)
             + (r"\approx " + f"{float(x1):.4g}" if not x1.is_Rational else "")),
    )
    parts = (Part("x₁ =", _txt(x1), "number", ()),)
    mistakes = _mistakes(parts, [
        (*SIGN, [x0 + fv / dfv]),
        ("the fraction upside down", "The step is f(x₀)/f′(x₀): the function over its derivative.",
         [x0 - dfv / fv]),
        ("reporting the step, not the new point", "x₁ is x₀ minus the step, not the step itself.",
         [fv / dfv]),
    ])
    return Question("optimisation", "Newton-Raphson step",
                    f"Take ONE Newton-Raphson step towards a root of f, starting from x₀ = {x0}:",
                    "f(x) = " + _tex(f), parts, steps, mistakes, function=_txt(f))


def _q_descent(rng: random.Random, difficulty: int) -> Question:
    f = sp.Rational(_nz(rng, 1, 3)) * X ** 2 + _nz(rng, -3, 3) * X * Y + _nz(rng, 1, 3) * Y ** 2 + \
        rng.randint(-4, 4) * X
    x0, y0 = _point(rng)
    gamma = sp.Rational(1, rng.choice([10, 5, 20, 4]))
    gx, gy = (sp.diff(f, v).subs({X: x0, Y: y0}) for v in (X, Y))
    x1, y1 = x0 - gamma * gx, y0 - gamma * gy
    steps = (
        Step("Gradient descent: step against the gradient", r"\mathbf{x}_1 = \mathbf{x}_0 - \gamma\,\nabla f(\mathbf{x}_0)"),
        Step("Gradient", r"\nabla f = \left(" + _tex(sp.diff(f, X)) + ",\\ " + _tex(sp.diff(f, Y)) + r"\right)"),
        Step(f"At ({x0}, {y0})", r"\nabla f = (" + _tex(gx) + ",\\ " + _tex(gy) + ")"),
        Step(f"Step with γ = {gamma}", r"\mathbf{x}_1 = (" + _tex(x1) + ",\\ " + _tex(y1) + ")"),
    )
    parts = (Part("x₁ =", _txt(x1), "number", ()), Part("y₁ =", _txt(y1), "number", ()))
    mistakes = _mistakes(parts, [
        ("stepping uphill (a sign error)", "Descent moves AGAINST the gradient: subtract γ∇f.",
         [x0 + gamma * gx, y0 + gamma * gy]),
        ("forgetting the step size γ", "Multiply the gradient by the step size γ before subtracting.",
         [x0 - gx, y0 - gy]),
    ])
    return Question("optimisation", "gradient-descent step",
                    f"Take ONE gradient-descent step with step size γ = {gamma} from (x, y) = ({x0}, {y0}):",
                    "f(x, y) = " + _tex(f), parts, steps, mistakes)


def _optimisation(rng: random.Random, difficulty: int) -> Question:
    return (_q_newton if difficulty < 3 or rng.random() < 0.6 else _q_descent)(rng, difficulty)


# ----- module 6: regression -----------------------------------------------------------------------
def least_squares_line(xs: Sequence[float], ys: Sequence[float]) -> tuple[Fraction, Fraction]:
    """Exact slope and intercept of the least-squares line through integer points (hand-written: the
    formula IS the lesson; tests check it against scipy.stats.linregress)."""
    n = len(xs)
    xbar, ybar = Fraction(sum(xs), n), Fraction(sum(ys), n)
    sxx = sum((Fraction(x) - xbar) ** 2 for x in xs)
    sxy = sum((Fraction(x) - xbar) * (Fraction(y) - ybar) for x, y in zip(xs, ys))
    if sxx == 0:
        raise ValueError("all x equal: the slope is undefined")
    m = sxy / sxx
    return m, ybar - m * xbar


def _q_regression(rng: random.Random, difficulty: int) -> Question:
    if difficulty == 1:
        xs = [1, 2, 3, 4, 5]
    else:
        while True:
            xs = sorted(rng.sample(range(-3 if difficulty == 3 else 0, 9), 5))
            if len(set(xs)) > 1:
                break
    m_true, c_true = _nz(rng, -3, 3), rng.randint(-5, 5)
    noise = 1 if difficulty == 1 else 2 + difficulty
    ys = [m_true * x + c_true + rng.randint(-noise, noise) for x in xs]
    m, c = least_squares_line(xs, ys)
    n = 5
    xbar, ybar = Fraction(sum(xs), n), Fraction(sum(ys), n)
    sxx = sum((x - xbar) ** 2 for x in xs)
    sxy = sum((x - xbar) * (y - ybar) for x, y in zip(xs, ys))
    syy = sum((y - ybar) ** 2 for y in ys)
    R = sp.Rational
    fr = lambda q: R(q.numerator, q.denominator)  # noqa: E731
    steps = (
        Step("Least squares minimises χ² = Σ (yᵢ − (m xᵢ + c))²; setting ∂χ²/∂m = ∂χ²/∂c = 0 gives",
             r"m = \frac{\sum (x_i-\bar x)(y_i-\bar y)}{\sum (x_i-\bar x)^2},\qquad c = \bar y - m\,\bar x"),
        Step("Means", r"\bar x = " + _tex(fr(xbar)) + r",\quad \bar y = " + _tex(fr(ybar))),
        Step("Sums of deviations", r"\sum (x_i-\bar x)(y_i-\bar y) = " + _tex(fr(sxy)) +
             r",\quad \sum (x_i-\bar x)^2 = " + _tex(fr(sxx))),
        Step("Slope and intercept", r"m = " + _tex(fr(m)) + r"\approx " + f"{float(m):.4g}" +
             r",\quad c = " + _tex(fr(c)) + r"\approx " + f"{float(c):.4g}"),
    )
    parts = (Part("slope m =", _txt(fr(m)), "number", ()), Part("intercept c =", _txt(fr(c)), "number", ()))
    cands = [(*SIGN, [-fr(m), None]),
             ("c = ȳ + m x̄ (a sign error)", "The line passes through (x̄, ȳ): c = ȳ − m x̄.",
              [None, fr(ybar + m * xbar)]),
             ("slope and intercept swapped", "m is the slope (rise per unit x), c the value at x = 0.",
              [fr(c), fr(m)])]
    if syy != 0:
        cands.append(("regressing x on y", "The slope divides by Σ(xᵢ − x̄)², the spread of x, not of y.",
                      [fr(sxy / syy), None]))
    table = ", ".join(f"({x}, {y})" for x, y in zip(xs, ys))
    return Question("regression", "least-squares line",
                    f"Fit the least-squares line y = m x + c to the five points {table}:",
                    r"(x_i, y_i) = " + r",\ ".join(f"({x},{y})" for x, y in zip(xs, ys)),
                    parts, steps, _mistakes(parts, cands), points=tuple(zip(xs, ys)))


def points_figure(question: Question):
    """A scatter of a least-squares question's points (no fitted line: that is the answer)."""
    import plotly.graph_objects as go
    xs, ys = zip(*question.points)
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="markers", marker=dict(size=11), name="data"))
    fig.update_layout(height=300, xaxis_title="x", yaxis_title="y", showlegend=False)
    return fig


_MAKERS: dict[str, Callable[[random.Random, int], Question]] = {
    "derivatives": _derivatives, "multivariate": _multivariate, "chain-rule": _chain_rule,
    "taylor": _q_taylor, "optimisation": _optimisation, "regression": _q_regression,
}


def generate(module: str, difficulty: int = 2, seed: int = 0, number: int = 1) -> Question:
    """The ``number``-th question of the set ``seed`` for ``module`` ("mixed": any module) and
    ``difficulty`` (1–3).  Deterministic: the same arguments always give the same question."""
    difficulty = min(3, max(1, int(difficulty)))
    rng = random.Random(f"{module}|{difficulty}|{int(seed)}|{int(number)}")
    if module not in _MAKERS:
        if module != "mixed":
            raise ValueError(f"unknown module {module!r}")
        module = rng.choice(list(_MAKERS))
    return _MAKERS[module](rng, difficulty)


# ---------------------------------------------------------------------------------------------
# Marking
def _part_ok(part: Part, expected: str, answer: str) -> bool:
    if part.kind == "number":
        return check_number(expected, answer)
    return check_answer(expected, answer, part.variables)


def mark(question: Question, answers: Sequence[str]) -> Feedback:
    """Mark typed ``answers`` (one per part).  Unreadable text gives the parser's message for that
    part; a wrong answer that matches a known mistake names it."""
    results = []
    for part, text in zip(question.parts, answers):
        text = text if isinstance(text, str) else ""
        try:
            parse_expression(text, part.variables if part.kind == "expression" else ())
            results.append(PartResult(_part_ok(part, part.answer, text)))
        except ExpressionError as err:
            results.append(PartResult(False, str(err)))
    results += [PartResult(False, "No answer given.")] * (len(question.parts) - len(results))
    correct = all(r.correct for r in results)
    mistake = None
    if not correct and not any(r.error for r in results):
        for m in question.mistakes:
            hits = [w is not None and not r.correct and _safe_ok(p, w, t)
                    for p, w, r, t in zip(question.parts, m.answers, results, answers)]
            relevant = [w is not None for w in m.answers]
            # every affected part that is wrong matches the mistake, and at least one does
            if any(hits) and all(h or not rel or r.correct
                                 for h, rel, r in zip(hits, relevant, results)):
                mistake = m
                break
    return Feedback(correct, tuple(results), mistake)


def _safe_ok(part: Part, expected: str, answer: str) -> bool:
    try:
        return _part_ok(part, expected, answer)
    except (ExpressionError, ValueError, TypeError):
        return False
