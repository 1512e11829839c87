"""The rules, step by step: f′ assembled by the named rules (sum, constant multiple, power,
product, quotient, chain, the standard derivatives), one ``Step`` per rule, then simplified; and a
check that the result equals ``sympy.diff``."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from explorer.expressions.real_power import RealPower, real_power

from explorer import symbolic
from explorer.derivatives.core import VARS, XR, no_delta, plain, real
from explorer.derivatives.rules_table import TABLE as _TABLE, TABLE_TEXT as _TABLE_TEXT
from explorer.expressions import compile_expression, parse_expression, to_latex


@dataclass
class Step:
    rule: str                 # short rule name, e.g. "chain", "power", "product", "sin"
    title: str                # what a learner reads, e.g. "Chain rule, with u = x²"
    latex: str                # the equation of this step
    depth: int                # nesting (0 = the whole function)


@dataclass
class Derivation:
    expr: sp.Expr             # f (plain symbol)
    raw: sp.Expr              # the derivative as the rules assemble it
    result: sp.Expr           # simplified derivative
    steps: list[Step] = field(default_factory=list)
    simplified: bool = True   # False when simplification timed out (result == raw)

    @property
    def rules(self) -> set[str]:
        return {s.rule for s in self.steps}


def _d(latex: str) -> str:
    return rf"\frac{{d}}{{dx}}\left[{latex}\right]"


def _L(e: sp.Expr) -> str:
    return to_latex(plain(e))


class _Deriver:
    def __init__(self):
        self.steps: list[Step] = []

    def add(self, rule, title, lhs, rhs_form, result, depth, index=None):
        eq = f"{_d(_L(lhs))} = {rhs_form}"
        res = _L(result)
        if rhs_form != res:
            eq += f" = {res}"
        step = Step(rule, title, eq, depth)
        if index is None:
            self.steps.append(step)
        else:
            self.steps.insert(index, step)

    def _power(self, e, base, ex, outer, depth, at):
        """The power rule (with the chain rule when the base is not x) for e = base^ex, a constant
        exponent; ``outer`` is n·base^(n−1) on the branch e lives on."""
        what = "square root rule" if ex == sp.S.Half else "power rule"
        if base == XR:
            self.add("power", f"Power rule: $\\frac{{d}}{{dx}}x^n = n x^{{n-1}}$ with n = {_dollar(ex)}"
                     + (" (√x = x^{1/2})" if ex == sp.S.Half else ""), e, _L(outer), outer, depth, at)
            return outer
        du = self.d(base, depth + 1)
        res = outer * du
        self.add("chain", f"Chain rule with u = {_dollar(base)} and the {what} "
                 f"for $u^{{{_L(ex)}}}$: $\\frac{{d}}{{dx}}u^n = n u^{{n-1}} \\cdot u'$", e,
                 rf"{_L(outer)}\cdot {_d(_L(base))}", res, depth, at)
        # mark that the power rule is used on the outer function too
        self.steps.insert(at + 1, Step("power", f"Power rule on the outside: n = {_dollar(ex)}",
                                       rf"\frac{{d}}{{du}}u^{{{_L(ex)}}} = {to_latex(ex * sp.Symbol('u') ** (ex - 1))}",
                                       depth + 1))
        return res

    def d(self, e: sp.Expr, depth: int = 0) -> sp.Expr:
        """Differentiate ``e`` (in XR) by hand-written rules, recording one step per rule."""
        at = len(self.steps)            # the parent step goes before its children

        if not e.has(XR):
            self.add("constant", "Constant rule: a constant does not change", e, "0", sp.S.Zero, depth, at)
            return sp.S.Zero
        if e == XR:
            self.add("power", "Power rule with n = 1", e, "1", sp.S.One, depth, at)
            return sp.S.One

        if isinstance(e, sp.Add):
            terms = list(e.as_ordered_terms())
            parts = [self.d(t, depth + 1) for t in terms]
            res = sp.Add(*parts)
            self.add("sum", "Sum rule: differentiate term by term", e,
                     " + ".join(_d(_L(t)) for t in terms), res, depth, at)
            return res

        if isinstance(e, sp.Mul):
            const = [a for a in e.args if not a.has(XR)]
            rest = [a for a in e.args if a.has(XR)]
            if const:
                c, u = sp.Mul(*const), sp.Mul(*rest)
                du = self.d(u, depth + 1)
                res = c * du
                self.add("constant multiple", f"Constant multiple rule: the factor {_dollar(c)} stays",
                         e, f"{_L(c)}\\,{_d(_L(u))}", res, depth, at)
                return res
            num = [a for a in rest if not (isinstance(a, sp.Pow) and a.exp.is_number and a.exp.is_negative)]
            den = [1 / a for a in rest if a not in num]
            if num and den:
                u, v = sp.Mul(*num), sp.Mul(*den)
                du = self.d(u, depth + 1)
                dv = self.d(v, depth + 1)
                res = (du * v - u * dv) / v ** 2
                self.add("quotient", f"Quotient rule with u = {_dollar(u)}, v = {_dollar(v)}: "
                         r"$(u/v)' = (u'v - uv')/v^2$", e,
                         rf"\frac{{{_d(_L(u))}\cdot {_paren(v)} - {_paren(u)}\cdot {_d(_L(v))}}}{{{_paren(v)}^{{2}}}}",
                         res, depth, at)
                return res
            u, v = rest[0], sp.Mul(*rest[1:])
            du = self.d(u, depth + 1)
            dv = self.d(v, depth + 1)
            res = du * v + u * dv
            self.add("product", f"Product rule with u = {_dollar(u)}, v = {_dollar(v)}: "
                     r"$(uv)' = u'v + uv'$", e,
                     rf"{_d(_L(u))}\cdot {_paren(v)} + {_paren(u)}\cdot {_d(_L(v))}", res, depth, at)
            return res

        if isinstance(e, RealPower):      # x^(p/q), q odd, on the real branch (the power rule still holds)
            base, ex = e.args[0], sp.Rational(e.p, e.q)
            return self._power(e, base, ex, ex * real_power(base, e.p - e.q, e.q), depth, at)
        if isinstance(e, sp.Pow):
            base, ex = e.args
            if not ex.has(XR):
                return self._power(e, base, ex, ex * base ** (ex - 1), depth, at)
            if not base.has(XR):
                # a^u = e^{u ln a}
                du = self.d(ex, depth + 1)
                res = e * sp.log(base) * du
                rule = "exp" if base == sp.E else "exponential"
                title = (r"Exponential rule: $\frac{d}{dx}a^{u} = a^{u}\ln a \cdot u'$ with a = "
                         f"{_dollar(base)}" + ("" if ex == XR else f", chain rule with u = {_dollar(ex)}"))
                form = rf"{_L(e)}\,\ln {_paren(base)}\cdot {_d(_L(ex))}"
                self.add(rule, title, e, form, res, depth, at)
                if ex != XR:
                    self.steps[at].rule = "chain"
                    self.steps.insert(at + 1, Step(rule, "Standard derivative of a^u",
                                                   r"\frac{d}{du}a^u = a^u \ln a", depth + 1))
                return res
            # u^v with both depending on x: u^v = exp(v ln u)
            rewritten = sp.exp(ex * sp.log(base))
            inner = self.d(rewritten, depth + 1)
            res = inner.subs(rewritten, e)
            self.add("rewrite", r"Write $u^v = e^{v\ln u}$, then use the chain and product rules", e,
                     _d(_L(rewritten)), res, depth, at)
            return res

        if isinstance(e, sp.Function) and len(e.args) == 1 and type(e) in _TABLE:
            name, fd = _TABLE[type(e)]
            u = e.args[0]
            outer = fd(u)
            if u == XR:
                self.add(name, f"Standard derivative: ${_TABLE_TEXT[name]}$", e, _L(outer), outer, depth, at)
                return outer
            du = self.d(u, depth + 1)
            res = outer * du
            self.add("chain", f"Chain rule with u = {_dollar(u)}: "
                     r"$\frac{d}{dx}g(u) = g'(u)\cdot u'$", e, rf"{_L(outer)}\cdot {_d(_L(u))}", res, depth, at)
            self.steps.insert(at + 1, Step(name, f"Standard derivative on the outside: ${_TABLE_TEXT[name]}$",
                                           rf"{_TABLE_TEXT[name]}", depth + 1))
            return res

        if isinstance(e, (sp.Max, sp.Min)) and len(e.args) == 2:
            a, b = e.args
            da, db = self.d(a, depth + 1), self.d(b, depth + 1)
            big = isinstance(e, sp.Max)
            res = da * sp.Heaviside(a - b if big else b - a) + db * sp.Heaviside(b - a if big else a - b)
            word = "larger" if big else "smaller"
            self.add("piecewise", f"Piecewise: {'max' if big else 'min'} follows whichever argument is {word}, "
                     "so its derivative is that argument's derivative (H is the step function)",
                     e, _L(res), res, depth, at)
            return res

        # anything else: sympy's derivative, labelled honestly
        res = no_delta(sp.diff(e, XR))
        self.add("sympy", "No hand rule here: the derivative sympy computes", e, _L(res), res, depth, at)
        return res


def _dollar(e: sp.Expr) -> str:
    return f"${_L(e)}$"


def _paren(e: sp.Expr) -> str:
    s = _L(e)
    return rf"\left({s}\right)" if isinstance(e, (sp.Add,)) or (isinstance(e, sp.Mul) and e.could_extract_minus_sign()) else s


def _simplify_work(expr: sp.Expr) -> sp.Expr:
    return sp.simplify(expr)


def _tidy(expr: sp.Expr) -> sp.Expr:
    """A cheap tidy-up (pull out common factors) for results too big to ``simplify`` quickly."""
    return sp.factor_terms(expr)


def derivative_steps(f: "str | sp.Expr", timeout: float = 1.0, max_ops: int = 60) -> Derivation:
    """The derivative of ``f`` by the named rules.  ``raw`` is the rules' assembly, ``result`` its
    simplification: ``sympy.simplify`` (under ``timeout``) when ``raw`` has at most ``max_ops``
    operations, otherwise a cheap tidy-up (``simplified`` is False only when sympy timed out)."""
    expr = parse_expression(f, VARS) if isinstance(f, str) else f
    deriver = _Deriver()
    raw = deriver.d(real(expr))
    raw = no_delta(raw)
    simplified = True
    try:
        work = _simplify_work if sp.count_ops(raw) <= max_ops else _tidy
        result = symbolic.call(work, raw, timeout=timeout)
        if sp.count_ops(result) > sp.count_ops(raw):
            result = raw
    except symbolic.SymbolicTimeout:
        result, simplified = raw, False
    steps = deriver.steps
    steps.append(Step("simplify", "Tidy up" if simplified else "Result (simplifying took too long)",
                      f"f'(x) = {_L(result)}", 0))
    return Derivation(plain(expr), plain(raw), plain(result), steps, simplified)


def _same_derivative(result: sp.Expr, raw: sp.Expr, ref: sp.Expr) -> bool:
    return (sp.expand(result - ref) == 0 or sp.expand(raw - ref) == 0
            or sp.simplify(result - ref) == 0)


def equals_sympy_diff(der: Derivation, timeout: float = 1.0) -> bool:
    """Does the derivation's result equal ``sympy.diff`` of f?  Symbolically when sympy decides
    within ``timeout``, otherwise numerically at 400 points (where both are defined)."""
    ref = plain(no_delta(sp.diff(real(der.expr), XR)))
    for cand in (der.result, der.raw):
        if real(cand) - real(ref) == 0:
            return True
    try:   # expanding runs in the worker too: multiplied out, a typed product can be huge
        if symbolic.call(_same_derivative, real(der.result), real(der.raw), real(ref), timeout=timeout):
            return True
    except symbolic.SymbolicTimeout:
        pass
    rng = np.random.default_rng(1)
    xs = rng.uniform(-3, 3, 400)
    a, b = compile_expression(der.result, VARS)(xs), compile_expression(ref, VARS)(xs)
    both = np.isfinite(a) & np.isfinite(b)
    if both.sum() < 20 and (np.isfinite(a) == np.isfinite(b)).all():
        return True                       # defined almost nowhere on [-3, 3]: nothing to tell apart
    return bool(both.sum() >= 20 and np.allclose(a[both], b[both], rtol=1e-7, atol=1e-9))


@functools.lru_cache(maxsize=256)
def derivative_steps_cached(text: str) -> Derivation:
    return derivative_steps(text)

