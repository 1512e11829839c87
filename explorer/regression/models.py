"""Models for nonlinear fitting: the parameters of a typed model, the built-in models and their
automatic start values, and the compiled model (with its symbolic Jacobian) that fitting and descent
evaluate."""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Sequence

import numpy as np
import sympy as sp

from explorer.expressions import (CONSTANTS, FUNCTIONS, ExpressionError, compile_expression,
                                  parse_expression, to_latex)
from explorer.regression.data import clean_xy, subsample

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def model_parameters(text: str, variable: str = "x") -> list[str]:
    """Candidate parameter names in a typed model: every identifier except the variable, the
    functions and the constants (pi, e), in order of first appearance."""
    if not isinstance(text, str):
        return []
    text = unicodedata.normalize("NFKC", text)
    names: list[str] = []
    # numbers like 1e-3 contain an 'e' that is not a name: blank numbers out first
    stripped = re.sub(r"(?<![A-Za-z_0-9])(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", " ", text)
    for m in _IDENT.finditer(stripped):
        name = m.group()
        if name == variable or name in FUNCTIONS or name in CONSTANTS or name in names:
            continue
        names.append(name)
    return names


def _poly_text(degree: int) -> str:
    terms = ["a0"] + ["a1*x" if k == 1 else f"a{k}*x^{k}" for k in range(1, degree + 1)]
    return " + ".join(terms)


BUILTIN_MODELS: dict[str, str] = {
    "Straight line": "m*x + c",
    "Polynomial": _poly_text(2),
    "Exponential": "A*exp(k*x)",
    "Exponential with background": "A*exp(k*x) + B",
    "Gaussian": "A*exp(-(x - mu)^2/(2*sigma^2))",
    "Logistic": "L/(1 + exp(-k*(x - x0)))",
    "Power law": "A*x^b",
    "Sinusoid": "A*sin(w*x + phi) + c",
}

# what the page says beside a built-in model
MODEL_NOTES = {"Gaussian": "The course's heights task: fit the bell curve's centre μ and width σ to a "
                           "histogram (A scales it to the counts)."}


def builtin_model(name: str, degree: int = 2) -> str:
    if name == "Polynomial":
        return _poly_text(max(0, min(int(degree), 8)))
    return BUILTIN_MODELS[name]


def guess_start(name: str, x, y, degree: int = 2) -> dict[str, float]:
    """Automatic starting values for a built-in model, from the shape of the data."""
    x, y, _, _ = clean_xy(x, y, None)
    if x.size > 5000:
        idx = subsample(x.size, 5000)
        x, y = x[idx], y[idx]
    span = float(np.ptp(x)) or 1.0
    if name == "Straight line":
        m, c = np.polyfit(x, y, 1) if np.ptp(x) > 0 else (0.0, float(np.mean(y)))
        return {"m": float(m), "c": float(c)}
    if name == "Polynomial":
        d = max(0, min(int(degree), 8))
        coef = np.polynomial.polynomial.polyfit(x, y, d) if np.ptp(x) > 0 else [float(np.mean(y))] + [0.0] * d
        return {f"a{k}": float(v) for k, v in enumerate(coef)}
    if name == "Exponential":
        pos = y > 0
        if pos.sum() >= 2 and np.ptp(x[pos]) > 0:
            k, lnA = np.polyfit(x[pos], np.log(y[pos]), 1)
            return {"A": float(np.exp(lnA)), "k": float(k)}
        return {"A": float(np.max(np.abs(y))) or 1.0, "k": -1.0 / span}
    if name == "Exponential with background":
        return _exponential_background_start(x, y, span)
    if name == "Gaussian":
        w = np.clip(y - min(0.0, float(np.min(y))), 0, None)
        if w.sum() <= 0:
            w = np.ones_like(y)
        mu = float((w * x).sum() / w.sum())
        sd = float(np.sqrt((w * (x - mu) ** 2).sum() / w.sum())) or span / 4
        return {"A": float(np.max(y)), "mu": mu, "sigma": sd}
    if name == "Logistic":
        order = np.argsort(x)
        xs, ys = x[order], y[order]
        lo, hi = float(np.min(ys)), float(np.max(ys))
        L = hi if abs(hi) >= abs(lo) else lo
        half = np.argmin(np.abs(ys - L / 2))
        k = 8.0 / span * (1 if np.corrcoef(xs, ys)[0, 1] >= 0 else -1) if np.ptp(ys) > 0 else 1.0 / span
        return {"L": L * 1.02 or 1.0, "k": float(k), "x0": float(xs[half])}
    if name == "Power law":
        pos = (x > 0) & (y > 0)
        if pos.sum() >= 2 and np.ptp(x[pos]) > 0:
            b, lnA = np.polyfit(np.log(x[pos]), np.log(y[pos]), 1)
            return {"A": float(np.exp(lnA)), "b": float(b)}
        return {"A": 1.0, "b": 1.0}
    if name == "Sinusoid":
        c = float(np.mean(y))
        best = (np.inf, 1.0, 0.0, 0.0)
        n = x.size
        wmax = math.pi * max(n - 1, 1) / span          # ~ Nyquist for evenly spread points
        for w in np.linspace(2 * math.pi / (4 * span), min(wmax, 2 * math.pi * 50 / span), 400):
            Amat = np.column_stack([np.sin(w * x), np.cos(w * x), np.ones_like(x)])
            coef, *_ = np.linalg.lstsq(Amat, y, rcond=None)
            res = float(((Amat @ coef - y) ** 2).sum())
            if res < best[0]:
                best = (res, w, coef[0], coef[1])
        _, w, a, b = best
        A = math.hypot(a, b) or float(np.std(y)) or 1.0
        return {"A": float(A), "w": float(w), "phi": float(math.atan2(b, a)), "c": c}
    raise KeyError(name)


def _exponential_background_start(x, y, span: float) -> dict[str, float]:
    """Start values for A·e^{kx} + B: for a fixed rate k the model is linear in A and B, so try
    rates from 0.1 to 30 e-foldings over the data's span (growth and decay), solve A and B by
    least squares for each, and keep the best."""
    x0 = float(np.min(x))
    best = (np.inf, 1.0, -1.0 / span, 0.0)
    for k in np.concatenate([-np.geomspace(0.1, 30, 120), np.geomspace(0.1, 30, 120)]) / span:
        e = np.exp(k * (x - x0))                        # shifted: no overflow at large x
        M = np.column_stack([e, np.ones_like(x)])
        coef, *_ = np.linalg.lstsq(M, y, rcond=None)
        sse = float(((M @ coef - y) ** 2).sum())
        if np.isfinite(sse) and sse < best[0]:
            best = (sse, float(coef[0]), float(k), float(coef[1]))
    _, a, k, b = best
    with np.errstate(over="ignore"):
        A = a * math.exp(-k * x0)
    return {"A": A if math.isfinite(A) else a, "k": k, "B": b}


class CompiledModel(tuple):
    """``(expr, f, jac)`` as before (``f`` and each ``jac[i]`` the project's NaN-safe functions of
    ``x`` and the parameters), plus the fast pieces fitting evaluates thousands of times:

    - ``values(x, p)``: the model at the full parameter vector ``p`` (scalars, no per-parameter
      arrays), a float array shaped like ``x``;
    - ``jacobian(x, p, cols)``: the columns ``cols`` of ∂f/∂p (n × len(cols)), or None when the
      derivative was too large to compile (finite differences then).

    Both call the lambdified sympy code directly: no copying, no broadcasting of the parameters,
    no error-state switching per call (the caller wraps a whole solve in ``np.errstate``).  A
    value that is undefined comes back NaN and a pole ±inf (numpy's rules for real arrays; the
    safe ``f`` makes both NaN): non-finite either way.  A complex result (only from a few scipy
    special functions) keeps its real part where the imaginary part vanishes, NaN elsewhere."""

    def values(self, x: np.ndarray, p) -> np.ndarray:
        try:
            out = self.raw_f(x, *p)
        except (ZeroDivisionError, OverflowError, ValueError, TypeError, FloatingPointError):
            return np.full(x.shape, np.nan)
        if not isinstance(out, np.ndarray) or out.shape != x.shape or out.dtype.kind != "f":
            out = _real(out, x.shape)
        return out

    def jacobian(self, x: np.ndarray, p, cols) -> np.ndarray | None:
        if self.raw_jac is None:
            return None
        out = np.empty((x.size, len(cols)))
        try:
            cs = self.raw_jac(x, *p)
        except (ZeroDivisionError, OverflowError, ValueError, TypeError, FloatingPointError):
            out.fill(np.nan)
            return out
        for j, i in enumerate(cols):
            c = cs[i]
            out[:, j] = c if getattr(c, "dtype", np.dtype(float)).kind != "c" else _real(c, x.shape)
        return out


def _real(out, shape) -> np.ndarray:
    out = np.asarray(out)
    if np.iscomplexobj(out):
        out = np.where(np.abs(out.imag) <= 1e-12 * (1 + np.abs(out.real)), out.real, np.nan)
    return np.broadcast_to(out.astype(float), shape).copy()


@functools.lru_cache(maxsize=128)
def _compiled_model(model: str, names: tuple[str, ...]) -> CompiledModel:
    variables = ("x",) + names
    expr = parse_expression(model, variables)
    f = compile_expression(expr, variables)
    syms = [sp.Symbol(v) for v in variables]
    jac, derivs = [], []
    try:
        for n in names:
            d = sp.diff(expr, sp.Symbol(n))
            if sp.count_ops(d) > 4000:
                raise ValueError("derivative too large")
            derivs.append(d)
            jac.append(compile_expression(d, variables))
    except Exception:
        jac, derivs = None, None       # finite differences instead
    out = CompiledModel((expr, f, jac))
    # the checked expression (never user text) as plain numpy code, as compile_expression does
    out.raw_f = _lambdify(syms, expr)
    compilable = derivs and not any(d.has(sp.Derivative, sp.Subs) for d in derivs)
    raw_jac = _lambdify(syms, derivs, cse=True) if compilable else None
    out.raw_jac = None if raw_jac is _nan_function else raw_jac    # None: finite differences
    return out


def _lambdify(syms, expr, cse=False):
    try:
        return sp.lambdify(syms, expr, modules=["scipy", "numpy"], cse=cse)
    except Exception:
        return _nan_function


def _nan_function(*_args):
    return float("nan")


@functools.lru_cache(maxsize=256)
def linear_in(model: str, names: tuple[str, ...], free: tuple[str, ...]) -> bool:
    """Is the model linear in the parameters ``free`` (the others held fixed)?"""
    expr = _compiled_model(model, tuple(names))[0]
    symbols = {sp.Symbol(n) for n in free}
    try:
        return all(not (sp.diff(expr, s).free_symbols & symbols) for s in symbols)
    except Exception:
        return False


@functools.lru_cache(maxsize=128)
def linear_in_parameters(model: str, names: tuple[str, ...]) -> bool:
    """Is the model linear in its parameters (a straight line, a polynomial, a·sin x + b …)?

    Then χ² is an exact quadratic bowl in the parameters with a single minimum, so one local
    solve finds it and restarts from other starts can only repeat it."""
    expr, _, _ = _compiled_model(model, tuple(names))
    symbols = {sp.Symbol(n) for n in names}
    try:
        return all(not (sp.diff(expr, s).free_symbols & symbols) for s in symbols)
    except Exception:
        return False


def model_values(model: str, names: Sequence[str], params: Sequence[float], x) -> np.ndarray:
    """The model evaluated at ``x`` (NaN where undefined)."""
    _, f, _ = _compiled_model(model, tuple(names))
    x = np.asarray(x, float)
    return f(x, *[np.full_like(x, float(v)) for v in params])



MAX_PARAMETERS = 10
DEFAULT_TYPED = "b1*(1-exp(-b2*x))"


def check_model(text: str) -> list[str]:
    """The parameter names of a typed model (every name besides x), or ``ExpressionError`` with a
    message for a person: no parameter, more than ``MAX_PARAMETERS``, or text the safe parser
    cannot read."""
    # a name the parser cannot take as a variable (``_b``, ``__import__``) stays out of the
    # parameters, so the parser names it as unknown
    names = [n for n in model_parameters(text) if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n)]
    parse_expression(text, ("x", *names))
    if not names:
        raise ExpressionError("The model has no parameter: use names such as a, b, k besides x.")
    if len(names) > MAX_PARAMETERS:
        raise ExpressionError(f"Too many parameters ({len(names)}); at most {MAX_PARAMETERS}.")
    return names


def builtin_start(name: str, x, y, degree: int = 2) -> tuple[str, dict[str, float]]:
    """A built-in model's text and its automatic start values from the shape of the data (every
    start 1 where the data have a shape the guesser cannot read)."""
    model = builtin_model(name, degree)
    try:
        return model, guess_start(name, x, y, degree)
    except Exception:           # any failure of the guess (a degenerate fit, no usable point)
        return model, {k: 1.0 for k in model_parameters(model)}


def model_latex(model: str, names: Sequence[str]) -> str:
    """The model as LaTeX (its parameters as named)."""
    return to_latex(_compiled_model(model, tuple(names))[0])
