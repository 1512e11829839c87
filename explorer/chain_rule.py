"""The multivariate chain rule along a path: d/dt f(x(t), y(t)) = ∂f/∂x·dx/dt + ∂f/∂y·dy/dt.

``chain_rule_symbolic`` differentiates (module level, so pages can run it under
``explorer.symbolic.call``'s deadline); ``chain_rule_at`` evaluates every factor at one t and also
measures the slope of the composed curve numerically, so the page can show that both agree;
``path_samples`` gives the path and the composed curve for the charts; ``parse_path`` reads a typed
path and ``path_preset`` names the preset a typed path is, if any; ``rule_tex`` and ``reading_tex``
write the rule with its factors and the numbers at one t as LaTeX.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import sympy as sp

from explorer.expressions import ExpressionError, compile_expression, parse_expression, to_latex
from explorer.numbers import tex_number

__all__ = ["F_PRESETS", "PATH_PRESETS", "T_RANGE", "ChainSymbolic", "ChainAt", "chain_rule_symbolic",
           "chain_rule_at", "chain_rule_numeric", "chain_rule_along", "path_samples", "contour_grid", "parse_path",
           "path_preset", "rule_tex", "reading_tex"]

F_PRESETS = {
    "hill": "exp(-((x - 1)^2 + (y - 0.5)^2)/3)",
    "saddle": "x^2 - y^2",
    "bowl": "x^2 + y^2",
    "waves": "sin(x) cos(y)",
    "tilted ripple": "sin(x*y/2) + x/3",
}
#: path presets: (x(t), y(t)) for t in T_RANGE
PATH_PRESETS = {
    "line": ("t/2 - 1.5", "1 - t/3"),
    "circle": ("2 cos(t)", "2 sin(t)"),
    "spiral": ("t cos(t)/2.5", "t sin(t)/2.5"),
}
T_RANGE = (0.0, 2 * float(np.pi))
BOX = 3.0   # the contour map shows [-BOX, BOX]²

_X, _Y, _T = sp.symbols("x y t")


def parse_path(x_text: str, y_text: str) -> tuple[sp.Expr, sp.Expr]:
    """``(x(t), y(t))`` from typed text (safe parser); ``ExpressionError`` names the bad one."""
    out = []
    for name, text in (("x(t)", x_text), ("y(t)", y_text)):
        try:
            out.append(parse_expression(text or "", ("t",)))
        except ExpressionError as err:
            raise ExpressionError(f"{name}: {err}") from None
    return out[0], out[1]


def path_preset(x_text: str | None, y_text: str | None) -> str | None:
    """The name of the preset path ``(x_text, y_text)`` is, or None for a path of one's own."""
    return next((name for name, pair in PATH_PRESETS.items() if pair == (x_text, y_text)), None)


@dataclass(frozen=True)
class ChainSymbolic:
    f: sp.Expr
    x_t: sp.Expr
    y_t: sp.Expr
    f_x: sp.Expr          # ∂f/∂x (in x, y)
    f_y: sp.Expr          # ∂f/∂y (in x, y)
    dx_dt: sp.Expr        # (in t)
    dy_dt: sp.Expr        # (in t)
    df_dt: sp.Expr        # the chain rule's sum, written in t


def chain_rule_symbolic(f_text: str, x_text: str, y_text: str) -> ChainSymbolic:
    """Parse f(x, y), x(t), y(t) (safe parser) and differentiate each factor of the chain rule."""
    f = parse_expression(f_text, ("x", "y"))
    xt = parse_expression(x_text, ("t",))
    yt = parse_expression(y_text, ("t",))
    f_x, f_y = sp.diff(f, _X), sp.diff(f, _Y)
    dx, dy = sp.diff(xt, _T), sp.diff(yt, _T)
    sub = {_X: xt, _Y: yt}
    df_dt = f_x.subs(sub, simultaneous=True) * dx + f_y.subs(sub, simultaneous=True) * dy
    return ChainSymbolic(f, xt, yt, f_x, f_y, dx, dy, df_dt)


@dataclass(frozen=True)
class ChainAt:
    t: float
    x: float
    y: float
    f: float
    f_x: float
    f_y: float
    dx_dt: float
    dy_dt: float
    df_dt: float              # ∂f/∂x·dx/dt + ∂f/∂y·dy/dt
    slope_numeric: float      # central difference of g(t) = f(x(t), y(t))
    symbolic: bool            # were the partial derivatives exact (True) or finite differences?


def _num(v) -> float:
    """A computed value as a float, NaN where it is not finite."""
    v = float(np.asarray(v))
    return v if np.isfinite(v) else float("nan")


def _composed(f_text: str, x_text: str, y_text: str):
    fn = compile_expression(f_text, ("x", "y"))
    xf = compile_expression(x_text, ("t",))
    yf = compile_expression(y_text, ("t",))
    return fn, xf, yf


def _slope(fn, xf, yf, t0: float, h: float = 1e-5) -> float:
    g = lambda t: fn(xf(t), yf(t))                      # noqa: E731
    return _num((g(t0 + h) - g(t0 - h)) / (2 * h))


def chain_rule_at(sym: ChainSymbolic, f_text: str, x_text: str, y_text: str, t0: float) -> ChainAt:
    """Every factor of the chain rule at ``t0`` from the exact derivatives in ``sym``."""
    fn, xf, yf = _composed(f_text, x_text, y_text)
    x0, y0 = _num(xf(t0)), _num(yf(t0))
    fx = _num(compile_expression(sym.f_x, ("x", "y"))(x0, y0))
    fy = _num(compile_expression(sym.f_y, ("x", "y"))(x0, y0))
    dx = _num(compile_expression(sym.dx_dt, ("t",))(t0))
    dy = _num(compile_expression(sym.dy_dt, ("t",))(t0))
    return _at(t0, x0, y0, _num(fn(x0, y0)), fx, fy, dx, dy, _slope(fn, xf, yf, t0), True)


def _at(t0, x0, y0, f0, fx, fy, dx, dy, slope, symbolic) -> ChainAt:
    # where f itself is undefined (e.g. ln x for x < 0) the composition has no derivative there,
    # even if the formula for ∂f/∂x happens to be defined
    dfdt = fx * dx + fy * dy if np.isfinite(f0) else float("nan")
    return ChainAt(float(t0), x0, y0, f0, fx, fy, dx, dy, dfdt, slope, symbolic)


def chain_rule_numeric(f_text: str, x_text: str, y_text: str, t0: float, h: float = 1e-5) -> ChainAt:
    """The same numbers by central differences only (the fallback when sympy takes too long)."""
    fn, xf, yf = _composed(f_text, x_text, y_text)
    x0, y0 = _num(xf(t0)), _num(yf(t0))
    fx = _num((fn(x0 + h, y0) - fn(x0 - h, y0)) / (2 * h))
    fy = _num((fn(x0, y0 + h) - fn(x0, y0 - h)) / (2 * h))
    dx = _num((xf(t0 + h) - xf(t0 - h)) / (2 * h))
    dy = _num((yf(t0 + h) - yf(t0 - h)) / (2 * h))
    return _at(t0, x0, y0, _num(fn(x0, y0)), fx, fy, dx, dy, _slope(fn, xf, yf, t0), False)


def chain_rule_along(sym: ChainSymbolic | None, f_text: str, x_text: str, y_text: str, ts,
                     h: float = 1e-5) -> list[ChainAt]:
    """``chain_rule_at`` (exact partials from ``sym``) or ``chain_rule_numeric`` (``sym`` None) at
    every t of ``ts`` at once (numpy over the array; the same numbers, for the t slider's drag frames)."""
    ts = np.asarray(ts, dtype=float)
    fn, xf, yf = _composed(f_text, x_text, y_text)
    arr = lambda v: np.broadcast_to(np.asarray(v, dtype=float), ts.shape)      # noqa: E731
    x0, y0 = arr(xf(ts)), arr(yf(ts))
    if sym is not None:
        fx = arr(compile_expression(sym.f_x, ("x", "y"))(x0, y0))
        fy = arr(compile_expression(sym.f_y, ("x", "y"))(x0, y0))
        dx = arr(compile_expression(sym.dx_dt, ("t",))(ts))
        dy = arr(compile_expression(sym.dy_dt, ("t",))(ts))
    else:
        fx = arr((fn(x0 + h, y0) - fn(x0 - h, y0)) / (2 * h))
        fy = arr((fn(x0, y0 + h) - fn(x0, y0 - h)) / (2 * h))
        dx = arr((xf(ts + h) - xf(ts - h)) / (2 * h))
        dy = arr((yf(ts + h) - yf(ts - h)) / (2 * h))
    g = lambda t: fn(xf(t), yf(t))                      # noqa: E731
    slope = arr((g(ts + 1e-5) - g(ts - 1e-5)) / (2 * 1e-5))
    f0 = arr(fn(x0, y0))
    cols = [arr(v).tolist() for v in (x0, y0, f0, fx, fy, dx, dy, slope)]
    return [_at(t, *(_num(c[i]) for c in cols[:7]), _num(cols[7][i]), sym is not None)
            for i, t in enumerate(ts.tolist())]


def path_samples(f_text: str, x_text: str, y_text: str, n: int = 161):
    """``(t, x, y, g)`` along the path, with g(t) = f(x(t), y(t)) (NaN where undefined)."""
    fn, xf, yf = _composed(f_text, x_text, y_text)
    t = np.linspace(*T_RANGE, n)
    x, y = xf(t), yf(t)
    return t, x, y, fn(x, y)


def contour_grid(f_text: str, n: int = 61, box: float = BOX):
    """``(g, Z)``: a grid on [-box, box]² and f on it (rows are y), values rounded for the wire."""
    g = np.linspace(-box, box, n)
    X, Y = np.meshgrid(g, g)
    Z = compile_expression(f_text, ("x", "y"))(X, Y)
    return g, Z


RULE_TEX = (r"\frac{df}{dt} = \frac{\partial f}{\partial x}\,\frac{dx}{dt} + "
            r"\frac{\partial f}{\partial y}\,\frac{dy}{dt}")


#: a line of a display formula holds about this many visible symbols in a 1024 px window's column
#: (measured in Chromium: the page's column is 564 px, presenter mode's formulas are larger)
LINE_SYMBOLS = 30


def _visible(tex: str) -> int:
    """A rough count of the symbols a piece of LaTeX draws (commands, braces, scripts not counted)."""
    return len(re.sub(r"\\[a-zA-Z]+|[{}^_\s&]|\\[,;!]", "", tex))


def rule_tex(sym: ChainSymbolic | None) -> str:
    """The chain rule, then its four factors written out (one product a line, and a long product
    over two lines), so that no line is wider than the page's column at 1024 px."""
    if sym is None:
        return RULE_TEX
    parts = (to_latex(sym.f_x), to_latex(sym.dx_dt), to_latex(sym.f_y), to_latex(sym.dy_dt))
    if sum(map(len, parts)) >= 600:
        return RULE_TEX
    lines = []
    for sign, (a, b) in ((r"&= ", parts[:2]), (r"&\quad + ", parts[2:])):
        if _visible(a) + _visible(b) > LINE_SYMBOLS:
            lines += [rf"{sign}\Big({a}\Big)", rf"&\qquad \cdot \Big({b}\Big)"]
        else:
            lines.append(rf"{sign}\Big({a}\Big)\Big({b}\Big)")
    return (r"\begin{aligned}" + RULE_TEX.replace("=", "&=", 1) + r"\\ " + r"\\ ".join(lines)
            + r"\end{aligned}")


def _factor(v: float) -> str:
    """A number in a product: negative ones in brackets."""
    s = tex_number(v)
    return f"({s})" if np.isfinite(v) and v < 0 else s


def reading_tex(at: ChainAt) -> str:
    """The point at t, the chain rule's sum with its numbers, and the slope measured numerically:
    one formula block, every line short enough for a 390 px phone's column (issue 18)."""
    return (r"\begin{aligned}"
            rf"&\text{{at }} t = {at.t:.2f}:\\ "
            rf"&(x, y) = ({tex_number(at.x)}, {tex_number(at.y)})\\ "
            rf"&\frac{{df}}{{dt}} = {_factor(at.f_x)}\cdot{_factor(at.dx_dt)}\\ "
            rf"&\hphantom{{\frac{{df}}{{dt}}}} \quad + {_factor(at.f_y)}\cdot{_factor(at.dy_dt)}\\ "
            rf"&\hphantom{{\frac{{df}}{{dt}}}} = {tex_number(at.df_dt)}\\[4pt] "
            r"&\text{slope of } g(t) = f(x(t), y(t))\\ "
            r"&\text{measured numerically:}\\ "
            rf"&\frac{{g(t+h)-g(t-h)}}{{2h}} = {tex_number(at.slope_numeric)}"
            r"\end{aligned}")
