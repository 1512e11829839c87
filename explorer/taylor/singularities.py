"""The nearest complex singularity of an elementary function, from the structure of its expression.

The Taylor series of f at a converges in the largest disc around a in which f is analytic, so its
radius is the distance from a to the nearest singularity. The candidates come from the expression:

- a negative integer power ``u⁻ᵏ`` (and tan, sec, csc, cot, tanh, … written with sin/cos): the
  zeros of u, checked numerically (the point is a singularity unless it cancels, as in sin x / x);
- a non-integer power ``u^p`` and sqrt: a branch point at a zero of u of order m, unless p·m is an
  integer (√(x²) is x near a > 0);
- ``ln u``, ``u^v`` with u depending on x (= e^(v ln u)), atanh (u = ±1), atan (u = ±i), atan2:
  logarithmic branch points, always singular;
- asin, acos (u = ±1), asinh (u = ±i), acosh (u = ±1): square-root branch points (the p·m rule);
- exp, sin, cos, sinh, cosh, erf and polynomials add none: composed with an entire function they
  stay entire.

Zeros come from ``sympy.solveset`` over ℂ (a periodic family gives its members nearest to a) or
from the roots of a polynomial. |u|, sign, Heaviside, min and max are replaced by the smooth piece
f has at a (that is the function the Taylor series sees). Where any step is beyond this analysis
(a zero set sympy cannot describe, an equation through a multivalued function whose other branches
might vanish, a function with no rule here) ``analyse`` returns None, and the caller estimates.

Runs in the symbolic worker (``explorer.symbolic.call``), which is killed at its deadline."""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import sympy as sp

from explorer.expressions import parse_expression
from explorer.taylor.series import exact_point

DPS = 60
FAMILY_MEMBERS = 6        # the members of a periodic family of zeros nearest to a that are checked
ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.erf)
MULTIVALUED = (sp.log, sp.asin, sp.acos, sp.atan, sp.asinh, sp.acosh, sp.atanh, sp.atan2)


class _Fail(Exception):
    """This expression is beyond the structural analysis."""


@dataclass(frozen=True)
class Finding:
    """The radius from the structure of f: ``radius`` (math.inf when none limits it), the nearest
    singular points, what they are (``what``), ``entire`` (f has no singularity at all) and
    ``smooth_piece`` (f has |…|, sign, min or max: the series is that of the piece f has at a)."""
    radius: float
    points: tuple[complex, ...]
    what: str
    entire: bool
    polynomial: bool
    smooth_piece: bool


def _rewrite(e: sp.Expr) -> sp.Expr:
    """tan, cot, sec, csc, tanh and coth written with sin, cos, sinh and cosh."""
    return e.replace(sp.tan, lambda u: sp.sin(u) / sp.cos(u)).replace(
        sp.cot, lambda u: sp.cos(u) / sp.sin(u)).replace(sp.sec, lambda u: 1 / sp.cos(u)).replace(
        sp.csc, lambda u: 1 / sp.sin(u)).replace(sp.tanh, lambda u: sp.sinh(u) / sp.cosh(u)).replace(
        sp.coth, lambda u: sp.cosh(u) / sp.sinh(u))


def _value(e: sp.Expr, x: sp.Symbol, z) -> mpmath.mpc:
    with mpmath.workdps(DPS):
        return mpmath.mpmathify(complex(1)) * sp.lambdify(x, e, modules="mpmath")(z)


PIECES = (sp.Abs, sp.sign, sp.Heaviside, sp.Min, sp.Max)


def _real_power(e) -> bool:
    """u^(p/q) with q odd on the real branch (``explorer.expressions.real_power``'s RealPower)."""
    return isinstance(e, sp.Function) and type(e).__name__.startswith("RealPower") and hasattr(e, "q")


def _smooth_at(e: sp.Expr, x: sp.Symbol, a) -> tuple[sp.Expr, bool]:
    """|u|, sign(u), Heaviside(u), min, max replaced by the piece they take near a (bottom up), and
    a real-branch power sgn(u)^p |u|^(p/q) by s^p (s·u)^(p/q), s the sign of u(a) (the same function
    wherever u keeps its sign, so no piece: an analytic function with a branch point where u = 0)."""
    if not any(isinstance(n, PIECES) or _real_power(n) for n in sp.preorder_traversal(e)):
        return e, False
    done = [_smooth_at(arg, x, a) for arg in e.args]
    args = [arg for arg, _ in done]
    piece = any(flag for _, flag in done)
    if _real_power(e):
        u0 = sp.N(args[0].subs(x, a), 30)
        if not u0.is_real or u0 == 0:
            raise _Fail("a real-branch power at its branch point")
        s = 1 if u0 > 0 else -1
        return s ** e.p * sp.Pow(s * args[0], sp.Rational(e.p, e.q)), piece
    if isinstance(e, (sp.Min, sp.Max)):
        vals = [float(sp.re(sp.N(arg.subs(x, a), 30))) for arg in args]
        best = min(vals) if isinstance(e, sp.Min) else max(vals)
        if sum(1 for v in vals if abs(v - best) <= 1e-12 * (1 + abs(best))) != 1:
            raise _Fail("min/max switches at a")
        return args[vals.index(best)], True
    if isinstance(e, (sp.Abs, sp.sign, sp.Heaviside)):
        u = args[0]
        u0 = sp.N(u.subs(x, a), 30)
        if not u0.is_real or u0 == 0:
            raise _Fail("a corner at a")
        s = 1 if u0 > 0 else -1
        return (s * u if isinstance(e, sp.Abs) else sp.Integer(s) if isinstance(e, sp.sign)
                else sp.Integer((1 + s) // 2)), True
    return e.func(*args), piece


def _candidates(e: sp.Expr, x: sp.Symbol, out: list) -> None:
    """Append (h, kind, p): f may be singular where h = 0; kind 'pole', 'power' (with p) or 'log'."""
    if not e.has(x) or e == x:
        return
    if e.is_Add or e.is_Mul:
        for arg in e.args:
            _candidates(arg, x, out)
        return
    if e.is_Pow:
        b, p = e.args
        _candidates(b, x, out)
        if p.has(x):
            _candidates(p, x, out)
            if b.has(x):
                out.append((b, "log", None))
        elif not (p.is_Integer and p > 0):
            out.append((b, "pole", None) if p.is_Integer else (b, "power", p))
        return
    if not isinstance(e, sp.Function):
        raise _Fail(f"no rule for {type(e).__name__}")
    for arg in e.args:
        _candidates(arg, x, out)
    u = e.args[0]
    if isinstance(e, ENTIRE):
        return
    if isinstance(e, sp.log):
        out.append((u, "log", None))
    elif isinstance(e, (sp.asin, sp.acos)):
        out.append((1 - u ** 2, "power", sp.S.Half))
    elif isinstance(e, sp.acosh):
        out.append((u ** 2 - 1, "power", sp.S.Half))
    elif isinstance(e, sp.asinh):
        out.append((1 + u ** 2, "power", sp.S.Half))
    elif isinstance(e, sp.atanh):
        out.append((1 - u ** 2, "log", None))
    elif isinstance(e, sp.atan):
        out.append((1 + u ** 2, "log", None))
    elif isinstance(e, sp.atan2):
        out.append((e.args[0] ** 2 + e.args[1] ** 2, "log", None))
    else:
        raise _Fail(f"no rule for {type(e).__name__}")


def _multivalued(h: sp.Expr, x: sp.Symbol) -> bool:
    """Does h go through a multivalued function of x (whose other branches could vanish elsewhere)?"""
    for s in sp.preorder_traversal(h):
        if isinstance(s, MULTIVALUED) and s.has(x):
            return True
        if s.is_Pow and s.has(x) and (s.exp.has(x) or not s.exp.is_Integer):
            return True
    return False


def _mp(v: sp.Expr) -> mpmath.mpc:
    """An exact number (or a sympy float) as a 60-digit complex mpmath number."""
    with mpmath.workdps(DPS):
        return mpmath.mpc(sp.lambdify([], v, modules="mpmath")())


def _nearest_members(sol, a: complex) -> tuple[list[mpmath.mpc], bool]:
    """The points of a solveset answer nearest to a (all of a finite set); True if a family was cut."""
    if isinstance(sol, sp.FiniteSet):
        return [_mp(s) for s in sol], False
    if sol == sp.S.EmptySet:
        return [], False
    if isinstance(sol, sp.Union):
        pts, cut = [], False
        for part in sol.args:
            p, c = _nearest_members(part, a)
            pts += p
            cut = cut or c
        return pts, cut
    if isinstance(sol, sp.Complement) and isinstance(sol.args[1], sp.FiniteSet):
        pts, cut = _nearest_members(sol.args[0], a)
        drop = [_mp(s) for s in sol.args[1]]
        return [p for p in pts if all(abs(p - d) > 1e-12 for d in drop)], cut
    if isinstance(sol, sp.ImageSet) and sol.base_sets == (sp.S.Integers,):
        n, body = sol.lamda.variables[0], sol.lamda.expr
        step = sp.diff(body, n)
        if step.has(n) or step == 0:
            raise _Fail("a non-linear family of zeros")
        c, p = _mp(body.subs(n, 0)), _mp(step)
        n0 = int(mpmath.nint(((a - c) * mpmath.conj(p)).real / abs(p) ** 2))
        half = FAMILY_MEMBERS // 2
        with mpmath.workdps(DPS):
            return [c + p * k for k in range(n0 - half, n0 + half + 1)], True
    raise _Fail(f"zeros sympy cannot list ({type(sol).__name__})")


def _zeros(h: sp.Expr, x: sp.Symbol, a: complex) -> tuple[list[complex], bool]:
    if _multivalued(h, x):
        raise _Fail("an equation through a multivalued function")
    if h.is_polynomial(x):        # square-free factors: simple roots, which nroots finds reliably
        pts = []
        for factor, _ in sp.sqf_list(h, x)[1]:
            poly = sp.Poly(factor, x)
            if poly.degree() <= 2:
                pts += [_mp(r) for r in sp.roots(poly, multiple=True)]
            else:
                pts += [_mp(r) for r in poly.nroots(n=DPS, maxsteps=500)]
        return pts, False
    return _nearest_members(sp.solveset(h, x, sp.S.Complexes), a)


def _order_of_zero(h: sp.Expr, x: sp.Symbol, z: mpmath.mpc, most: int = 8) -> int:
    """m with h(z) = … = h⁽ᵐ⁻¹⁾(z) = 0 ≠ h⁽ᵐ⁾(z), numerically (60 digits)."""
    d = h
    for m in range(1, most + 1):
        d = sp.diff(d, x)
        if abs(_value(d, x, z)) > 1e-25:
            return m
    raise _Fail("a zero of very high order")


def _singular_numerically(f: sp.Expr, x: sp.Symbol, z: mpmath.mpc) -> str | None:
    """What f has at z, a zero of a denominator: None (a removable point: along 8 rays into z its
    values at distances 10⁻¹² and 10⁻²⁴ agree to 10⁻⁶), "pole" (|f| grows like 10¹²ᵏ on every ray,
    the same k) or "singularity" (it has no limit: a pole, a log or an essential singularity)."""
    fn = sp.lambdify(x, f, modules="mpmath")
    settles, orders = True, set()
    with mpmath.workdps(DPS):
        zc = z
        for j in range(8):
            ray = mpmath.expjpi(mpmath.mpf(2 * j + 0.618) / 8)
            try:
                near, nearer = fn(zc + mpmath.mpf("1e-12") * ray), fn(zc + mpmath.mpf("1e-24") * ray)
            except (ZeroDivisionError, ValueError, OverflowError):
                return "singularity"
            if not (mpmath.isfinite(near) and mpmath.isfinite(nearer)):
                return "singularity"
            if abs(near - nearer) > 1e-6 * (1 + abs(nearer)):
                settles = False
            if near != 0 and nearer != 0:
                k = float(mpmath.log10(abs(nearer) / abs(near))) / 12
                orders.add(round(k) if abs(k - round(k)) < 0.01 else None)
    if settles:
        return None
    return "pole" if len(orders) == 1 and None not in orders and min(orders) >= 1 else "singularity"


def analyse(text: str, a: float) -> Finding | None:
    """The radius of the Taylor series of f (typed text, parsed safely) at a, from the structure of
    f; None where the analysis cannot decide (the caller then estimates)."""
    x = sp.Symbol("x")
    try:
        expr = parse_expression(text, ("x",))
        a_ex = exact_point(a)
        expr, piece = _smooth_at(_rewrite(expr), x, a_ex)
        if expr.is_polynomial(x):
            return Finding(math.inf, (), "", True, True, piece)
        found: list = []
        _candidates(expr, x, found)
        a = float(a)
        points: list[tuple[float, mpmath.mpc, str, object, sp.Expr]] = []
        cut_family = False
        for h, kind, p in found:
            zs, cut = _zeros(h, x, a)
            cut_family = cut_family or cut
            points += [(float(abs(z - a)), z, kind, p, h) for z in zs]
        points.sort(key=lambda t: t[0])
        verdicts: dict = {}
        best = math.inf
        nearest: list[mpmath.mpc] = []
        what = ""
        for dist, z, kind, p, h in points:
            if dist > best * (1 + 1e-9) + 1e-12:
                break
            key = (round(float(z.real), 9), round(float(z.imag), 9))
            if kind == "power":
                pm = float(p) * _order_of_zero(h, x, z)
                if abs(pm - round(pm)) < 1e-9:            # the power is analytic there (√(x²) = ±x)
                    kind = "pole" if pm < 0 else None
                    if sp.Rational(p).q % 2 == 0 and abs(z.imag) < 1e-12:
                        # on the real line √(u²) is |u|: f switches to the other branch at z
                        if dist < 1e-12:
                            return None            # a corner at a itself: no Taylor series
                        piece = True
            if kind is None:
                continue
            if kind == "pole":            # a zero of a denominator: a pole, unless it cancels
                if key not in verdicts:
                    verdicts[key] = _singular_numerically(expr, x, z)
                if verdicts[key] is None:
                    continue
                kind = verdicts[key]
            if dist < best - 1e-12:
                best, nearest, what = dist, [], ""
            if all(abs(z - q) > 1e-9 for q in nearest):
                nearest.append(z)
            what = kind if what in ("", kind) else "mixed"
        if not nearest and cut_family:
            return None            # every listed member of a periodic family cancelled: not sure
        pts = tuple(complex(round(float(z.real), 12), round(float(z.imag), 12)) for z in nearest)
        return Finding(best, pts, what, not nearest, False, piece)
    except (_Fail, TypeError, ValueError, ZeroDivisionError, NotImplementedError, AttributeError,
            RecursionError, mpmath.libmp.NoConvergence):
        return None
