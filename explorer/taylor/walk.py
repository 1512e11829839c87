"""Walk an expression tree once, carrying the series of every sub-expression (Taylor-mode
automatic differentiation): the coefficients of ``f(a + t)`` exact, or as floats on a grid."""
from __future__ import annotations

import numpy as np
import sympy as sp

from explorer.taylor.jet import TaylorError, _Jet, _S, _Unsupported


def _sign_of(jet: _Jet, c0, what: str):
    if jet.numeric:
        return np.sign(c0)
    if c0 == 0:
        raise TaylorError(f"{what} has a corner or a jump at the expansion point: no Taylor expansion there.")
    return 1 if c0.is_positive else -1 if c0.is_negative else None


def _evaluate(expr: sp.Expr, env: dict, jet: _Jet) -> _S:
    memo: dict = {}

    def ev(e, env2=None, jet2=None):
        if env2 is not None:               # a sub-evaluation (g'(u) of a generic function)
            return _evaluate(e, env2, jet2)
        if e in memo:
            return memo[e]
        jet.tick()
        r = _node(e)
        memo[e] = r
        return r

    def _node(e):
        if e in env:
            return env[e]
        if not e.free_symbols or not (e.free_symbols & set(env)):
            if e.free_symbols:
                raise _Unsupported(f"unexpected symbols {e.free_symbols}")
            return jet.const(e)
        if e.is_Add:
            out = None
            for arg in e.args:
                s = ev(arg)
                out = s if out is None else jet.add(out, s)
            return out
        if e.is_Mul:
            coeff, rest = e.as_coeff_Mul()
            out = None
            for arg in (rest.args if rest.is_Mul else (rest,)):
                s = ev(arg)
                out = s if out is None else jet.mul(out, s)
            return out if coeff == 1 else jet.scale(out, coeff if not jet.numeric else float(coeff))
        if e.is_Pow:
            base, ex = e.args
            if not (ex.free_symbols & set(env)):
                if jet.numeric:
                    if ex.is_Integer:
                        return jet.powint(ev(base), int(ex))
                    return jet.pow(ev(base), float(ex))
                return jet.pow(ev(base), ex)
            if not (base.free_symbols & set(env)):      # c^u = exp(u ln c)
                return jet.exp(jet.mul(ev(ex), jet.const(sp.log(base))))
            return jet.exp(jet.mul(ev(ex), jet.log(ev(base))))
        if isinstance(e, sp.exp):
            return jet.exp(ev(e.args[0]))
        if isinstance(e, sp.log):
            return jet.log(ev(e.args[0]))
        if isinstance(e, (sp.sin, sp.cos)):
            s, c = jet.sincos(ev(e.args[0]))
            return s if isinstance(e, sp.sin) else c
        if isinstance(e, (sp.sinh, sp.cosh)):
            s, c = jet.sincos(ev(e.args[0]), hyperbolic=True)
            return s if isinstance(e, sp.sinh) else c
        if isinstance(e, sp.Abs):
            s = jet.norm(ev(e.args[0]))
            c0 = jet.plain(s)[0] if jet.numeric else (s.c[0] if s.v == 0 and s.c else sp.S.Zero)
            sg = _sign_of(jet, c0, "|…|")
            if sg is None:
                raise _Unsupported("sign unknown")
            return jet.scale(s, sg) if not jet.numeric else _S(s.v, [sg * c for c in s.c])
        if isinstance(e, (sp.sign, sp.Heaviside)):
            arg = e.args[0]
            s = jet.norm(ev(arg))
            c0 = jet.plain(s)[0] if jet.numeric else (s.c[0] if s.v == 0 and s.c else sp.S.Zero)
            sg = _sign_of(jet, c0, e.func.__name__)
            if jet.numeric:
                val = sg if isinstance(e, sp.sign) else (sg + 1) / 2
                return _S(0, [val] + [0.0 * c0] * (jet.L - 1))
            return jet.const(sp.Integer(sg) if isinstance(e, sp.sign) else sp.Integer((sg + 1) // 2))
        if isinstance(e, (sp.Min, sp.Max)):
            parts = [ev(a) for a in e.args]
            if jet.numeric:
                vals = np.array([np.broadcast_to(jet.plain(p)[0], np.shape(jet.plain(parts[0])[0]))
                                 for p in parts], dtype=float)
                idx = np.argmin(vals, axis=0) if isinstance(e, sp.Min) else np.argmax(vals, axis=0)
                L = min(len(jet.plain(p)) for p in parts)
                coeffs = [np.choose(idx, [np.broadcast_to(jet.plain(p)[k], idx.shape) for p in parts])
                          for k in range(L)]
                return _S(0, coeffs)
            vals = [jet.plain(p)[0] for p in parts]
            best = min(vals) if isinstance(e, sp.Min) else max(vals)
            if not best.is_number or sum(1 for v in vals if v == best) > 1:
                raise TaylorError("min/max has a corner at the expansion point: no Taylor expansion there.")
            return parts[vals.index(best)]
        if isinstance(e, sp.atan2):
            yv, xv = jet.plain(ev(e.args[0])), jet.plain(ev(e.args[1]))
            L = min(len(yv), len(xv))
            yv, xv = yv[:L], xv[:L]
            if jet.numeric:
                w0 = np.arctan2(yv[0], xv[0])
            else:
                w0 = jet.check_value(sp.atan2(yv[0], xv[0]))
                if xv[0] == 0 and yv[0] == 0:
                    raise TaylorError("atan2(0, 0) is undefined at the expansion point.")
            num = jet.add(_S(0, jet.plain_mul(xv, jet.deriv(yv) + [jet.zero])),
                          jet.scale(_S(0, jet.plain_mul(yv, jet.deriv(xv) + [jet.zero])), -1))
            den = jet.add(jet.mul(_S(0, xv), _S(0, xv)), jet.mul(_S(0, yv), _S(0, yv)))
            dw = jet.plain(jet.mul(num, jet.recip(den)))
            return jet.norm(_S(0, jet.integrate(w0, dw[:L - 1])))
        if isinstance(e, sp.Function) and len(e.args) == 1:
            return jet.generic(e.func, ev(e.args[0]), ev)
        raise _Unsupported(f"no series rule for {type(e).__name__}")

    return ev(expr)


def _jet_coefficients(expr: sp.Expr, var: sp.Symbol, a, order: int, numeric: bool,
                      deadline: float | None) -> list:
    """Coefficients c_0..c_order of f(a + t) (exact, or floats/arrays when ``numeric``)."""
    for extra in (2, 6, 14, 30):
        L = order + 1 + extra
        jet = _Jet(L, numeric, deadline)
        if numeric:
            x0 = np.asarray(a, dtype=float)
            leaf = _S(0, [x0, np.ones_like(x0)] + [np.zeros_like(x0)] * (L - 2))
        else:
            leaf = jet.norm(_S(0, [a, sp.S.One] + [sp.S.Zero] * (L - 2)))
        res = jet.norm(_evaluate(expr, {var: leaf}, jet))
        if res.v < 0:
            raise TaylorError("The function has a pole (it blows up) at the expansion point.")
        if res.prec >= order + 1:
            coeffs = jet.plain(res)[:order + 1]
            if not numeric:
                coeffs = [jet.check_value(c) for c in coeffs]
            return coeffs
    raise TaylorError("Too much cancellation at this point to find the coefficients.")
