"""One expansion as the page shows it: f at a to order n, exact coefficients when sympy manages
within the time allowed (else numeric ones, with a note), and its formulas in LaTeX."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import sympy as sp

from explorer.expressions import ExpressionError, to_latex
from explorer.numbers import tex_number
from explorer.symbolic import SymbolicTimeout, call
from explorer.taylor.jet import TaylorError
from explorer.taylor.series import exact_point, numeric_coefficients, taylor_coefficients


def _num(v: float) -> str:
    """A coefficient as LaTeX, to 6 significant figures."""
    return tex_number(v, 6)


@dataclass
class Expansion:
    """The Taylor expansion of f at a to order n, as the page shows it."""
    text: str
    a: float
    n: int
    coeffs: list[float]                 # c_k as floats (always present when ok)
    exact: list[sp.Expr] | None         # exact c_k, or None (numeric fallback / failure)
    ok: bool = True
    message: str | None = None          # a learner-facing note (fallback, why no series…)

    def latex_terms(self, max_terms: int = 60) -> list[tuple[int, str, str, float]]:
        """(k, LaTeX of f⁽ᵏ⁾(a), LaTeX of c_k, c_k) for k = 0..n."""
        rows = []
        for k, c in enumerate(self.coeffs[:max_terms]):
            if self.exact is not None:
                ck = self.exact[k]
                # (no nsimplify: on an exact Rational it costs ~15 ms and can invent irrational powers)
                rows.append((k, to_latex(ck * sp.factorial(k)), to_latex(ck), c))
            else:
                rows.append((k, _num(c * math.factorial(k)), _num(c), c))
        return rows

    def polynomial_latex(self, var: str = "x", max_terms: int = 12) -> str:
        a_ex = exact_point(self.a)
        shift = sp.Symbol(var) - a_ex if a_ex != 0 else sp.Symbol(var)
        base = to_latex(shift)
        base = base if a_ex == 0 else rf"\left({base}\right)"
        parts = []
        for k, c in enumerate(self.coeffs):
            if (self.exact is not None and self.exact[k] == 0) or (self.exact is None and abs(c) < 1e-15):
                continue
            cl = to_latex(self.exact[k]) if self.exact is not None else _num(c)
            if len(cl) > 40:
                cl = _num(c)
            power = "" if k == 0 else base if k == 1 else f"{base}^{{{k}}}"
            if k == 0:
                parts.append(cl)
            else:
                parts.append(power if cl == "1" else f"-{power}" if cl == "-1" else rf"{cl}\,{power}")
            if len(parts) >= max_terms:
                parts.append(r"\cdots")
                break
        if not parts:
            return "0"
        out = parts[0]
        for p in parts[1:]:
            out += p if p.startswith("-") else "+" + p
        return out

    def truncated(self, n: int) -> "Expansion":
        """The same expansion cut at order ``n`` (no recomputation)."""
        return replace(self, n=n, coeffs=self.coeffs[:n + 1],
                       exact=self.exact[:n + 1] if self.exact is not None else None)

    def terms_latex(self, n: int, first: int = 6) -> tuple[str, list[str]]:
        """Tₙ in LaTeX (eight terms at most) and the coefficient blocks f⁽ᵏ⁾(a)/k! for k ≤ n: the
        first ``first`` rows, then (if any) the rest."""
        rows = self.latex_terms(max_terms=n + 1)
        blocks = [_coefficient_block(rows[:first])]
        if len(rows) > first:
            blocks.append(_coefficient_block(rows[first:]))
        return self.truncated(n).polynomial_latex(max_terms=8), blocks


def _coefficient_block(rows) -> str:
    lines = []
    for k, dk, ck, c in rows:
        if len(dk) > 60:
            dk = _num(c * math.factorial(k))
        if len(ck) > 60:
            ck = _num(c)
        approx = "" if ck == _num(c) or ck in ("0", "1", "-1") else rf"\approx {_num(c)}"
        lines.append(rf"\frac{{f^{{({k})}}(a)}}{{{k}!}} &= \frac{{{dk}}}{{{k}!}} = {ck} {approx}")
    return r"\begin{aligned}" + r"\\[2pt] ".join(lines) + r"\end{aligned}"


def _exact_worker(text: str, a: str, n: int, budget: float) -> list:
    return taylor_coefficients(text, sp.Rational(a), n, budget=budget)


def expand_1d(text: str, a: float, n: int, timeout: float = 1.0) -> Expansion:
    """Exact coefficients within ``timeout`` seconds, else numeric ones (mpmath), with a message."""
    a_ex = exact_point(a)
    try:
        try:   # in-process first: the presets take well under 0.3 s; the jet checks its own deadline
            exact = taylor_coefficients(text, a_ex, int(n), budget=min(0.4, timeout))
        except SymbolicTimeout:  # a hard one: give it the full time in a worker that can be killed
            exact = call(_exact_worker, text, str(a_ex), int(n), float(timeout), timeout=timeout + 0.5)
        floats = [float(sp.N(c, 20)) for c in exact]
        return Expansion(text, float(a), int(n), floats, exact)
    except TaylorError as err:
        return Expansion(text, float(a), int(n), [], None, ok=False, message=str(err))
    except SymbolicTimeout:
        note = "Sympy took too long for the exact derivatives — showing numeric ones (mpmath, 40 digits) instead."
    except ExpressionError:
        raise
    except Exception as err:  # an unexpected sympy failure: fall back, say so
        note = f"The exact derivatives failed ({type(err).__name__}) — showing numeric ones instead."
    try:
        floats = numeric_coefficients(text, float(a), int(n))
        if not all(math.isfinite(c) for c in floats):
            raise ValueError
        return Expansion(text, float(a), int(n), floats, None, message=note)
    except Exception:
        return Expansion(text, float(a), int(n), [], None, ok=False,
                         message="No Taylor expansion could be computed at this point.")
