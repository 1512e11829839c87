"""Two variables: the exact Taylor polynomial of f(x, y), and the value, Jacobian and Hessian at
(x₀, y₀) with the surfaces T₀, T₁, T₂ and their errors on a grid around it."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from explorer.expressions import compile_expression, parse_expression, to_latex
from explorer.numbers import tex_number
from explorer.symbolic import SymbolicTimeout, call
from explorer.taylor.jet import TaylorError
from explorer.taylor.series import exact_point

X, Y = sp.Symbol("x"), sp.Symbol("y")
XR, YR = sp.Symbol("x", real=True), sp.Symbol("y", real=True)   # |x|' = sign(x), not re/im parts
_KINKS = (sp.Abs, sp.sign, sp.Heaviside)


def _kinks_at(expr: sp.Expr, x0: sp.Expr, y0: sp.Expr) -> bool:
    """Does one of the abs, sign, heaviside, min or max in ``expr`` switch at (x0, y0)? There f has
    a corner or a jump (sympy would say sign(0) = 0 and call it a derivative)."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, _KINKS):
            args = [node.args[0]]
        elif isinstance(node, (sp.Max, sp.Min)):
            a = node.args
            args = [a[i] - a[j] for i in range(len(a)) for j in range(i + 1, len(a))]
        else:
            continue
        if any(arg.has(X, Y) and arg.subs({X: x0, Y: y0}) == 0 for arg in args):
            return True
    return False


def _depth(expr: sp.Expr) -> int:
    return 1 + max((_depth(a) for a in expr.args), default=0)


def _finite(val: sp.Expr) -> bool:
    """A real number sympy can give as a float (no leftover Derivative, Subs, DiracDelta(0), ∞)."""
    if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I, sp.Derivative, sp.Subs, sp.DiracDelta) \
            or val.free_symbols:
        return False
    try:
        return math.isfinite(float(sp.N(val)))
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return False


def _exact_pair(point) -> tuple[sp.Expr, sp.Expr]:
    return exact_point(point[0]), exact_point(point[1])


@functools.lru_cache(maxsize=256)
def _derivs_2d(expr: sp.Expr, x0: sp.Expr, y0: sp.Expr, order: int) -> dict:
    """{(i, j): ∂^(i+j) f / ∂xⁱ ∂yʲ at (x0, y0)} for i + j ≤ order (exact)."""
    if _kinks_at(expr, x0, y0):
        raise TaylorError("f has a corner or a jump at (x₀, y₀) (an abs, sign, heaviside, min or max "
                          "switches there), so it has no derivatives there: move the point.")
    out = {}
    # sympy does not differentiate sign(u) for u other than a symbol; away from u = 0 (checked
    # above) sign(u) = 2 H(u) - 1, whose derivatives sympy knows (deltas, zero here)
    row = expr.xreplace({X: XR, Y: YR}).replace(
        lambda e: isinstance(e, sp.sign), lambda e: 2 * sp.Heaviside(e.args[0], sp.S.Half) - 1)
    for i in range(order + 1):
        d = row
        for j in range(order + 1 - i):
            try:
                val = d.subs({XR: x0, YR: y0})
                if val.has(sp.DiracDelta):   # no kink switches here (checked above): deltas are 0
                    val = val.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
                ok = _finite(val)
            except (TypeError, ValueError, ArithmeticError, RecursionError):
                ok = False
            if not ok:
                raise TaylorError("f or one of its derivatives is not defined at (x₀, y₀).")
            out[(i, j)] = sp.nsimplify(val) if val.is_Float else val
            d = d.diff(YR)
        row = row.diff(XR)
    return out


def taylor_polynomial_2d(f: str, point: tuple[float, float], order: int) -> sp.Expr:
    """Σ_{i+j≤order} ∂ⁱ⁺ʲf(x₀,y₀)/(i! j!) (x−x₀)ⁱ (y−y₀)ʲ, exact, in the symbols x and y."""
    expr = f if isinstance(f, sp.Basic) else parse_expression(f, ("x", "y"))
    x0, y0 = _exact_pair(point)
    d = _derivs_2d(expr, x0, y0, int(order))
    return sp.Add(*[c / (sp.factorial(i) * sp.factorial(j)) * (X - x0) ** i * (Y - y0) ** j
                    for (i, j), c in d.items()])


@dataclass
class Local2D:
    """Value, Jacobian (gradient row) and Hessian at (x₀, y₀), exact and as floats."""
    point: tuple[float, float]
    value: sp.Expr
    J: sp.Matrix
    H: sp.Matrix
    value_f: float
    J_f: np.ndarray
    H_f: np.ndarray
    ok: bool = True
    message: str | None = None

    def latex(self) -> dict[str, str]:
        """J, T₀, T₁, T₂ as display formulas, each stacked one step a line (``aligned``): the
        general form first, then the numbers, a long sum one term a line, so that every line fits
        the narrow column beside the surfaces at 1024 px, also in presenter mode."""
        v = to_latex(self.value)
        J = matrix_latex(self.J)
        t1 = _sum_lines([(self.J[0], r"\Delta x"), (self.J[1], r"\Delta y")])
        t2 = _sum_lines([(self.H[0, 0] / 2, r"\Delta x^2"), (self.H[0, 1], r"\Delta x\,\Delta y"),
                         (self.H[1, 1] / 2, r"\Delta y^2")])
        return {
            "T0": rf"\begin{{aligned}}T_0 &= f(x_0,y_0)\\ &= {v}\end{{aligned}}",
            "T1": (rf"\begin{{aligned}}T_1 &= f(\mathbf{{x}}_0) + J\,\Delta\mathbf{{x}}\\ &= {v}"
                   + t1 + r"\end{aligned}"),
            "T2": (r"\begin{aligned}T_2 &= T_1 + \tfrac12\,\Delta\mathbf{x}^{\mathsf T} H\,\Delta\mathbf{x}"
                   r"\\ &= T_1" + t2 + r"\end{aligned}"),
            "J": (r"\begin{aligned}J &= \begin{pmatrix}\partial_x f & \partial_y f\end{pmatrix}_{(x_0,y_0)}"
                  rf"\\ &= {J}\end{{aligned}}"),
        }

    def formulas(self) -> list[str]:
        """What the page shows beside the surfaces, one display formula each: J, H, T₀, T₁, T₂, Δx."""
        tex = self.latex()
        x0, y0 = _exact_pair(self.point)
        H = (r"\begin{aligned}H &= \begin{pmatrix}f_{xx} & f_{xy}\\ f_{yx} & f_{yy}\end{pmatrix}\\ &= "
             + matrix_latex(self.H) + r"\end{aligned}")
        return [tex["J"], H, tex["T0"], tex["T1"], tex["T2"],
                r"\begin{aligned}\Delta\mathbf{x} &= \begin{pmatrix}\Delta x\\ \Delta y\end{pmatrix} = "
                r"\begin{pmatrix}x-x_0\\ y-y_0\end{pmatrix}\\ &= "
                rf"\begin{{pmatrix}}{to_latex(X - x0)}\\ {to_latex(Y - y0)}\end{{pmatrix}}\end{{aligned}}"]


def _cell(e: sp.Expr, digits: int = 4) -> str:
    """One exact value in LaTeX, or ``digits`` significant figures where the exact form is long."""
    s = to_latex(e)
    return tex_number(float(sp.N(e)), digits) if len(s) > 28 else s


def _sum_lines(terms: list[tuple[sp.Expr, str]]) -> str:
    r"""``\\ &\quad ± c·factor`` a line for every nonzero coefficient c (its sign pulled out)."""
    out = []
    for c, factor in terms:
        if c.is_zero or float(sp.N(c)) == 0.0:
            continue
        neg = bool(c.is_negative) if c.is_negative is not None else float(sp.N(c)) < 0
        mag = -c if neg else c
        m = "" if mag == 1 else _cell(mag) + r"\,"
        out.append(rf"\\ &\;\; {'-' if neg else '+'} {m}{factor}")
    return "".join(out)


def matrix_latex(M: sp.Matrix) -> str:
    rows = []
    for i in range(M.rows):
        cells = []
        for j in range(M.cols):
            cells.append(_cell(M[i, j], 3))     # 3 figures: a 2 × 2 matrix fits the column at 1024 px
        rows.append(" & ".join(cells))
    return r"\begin{pmatrix}" + r"\\ ".join(rows) + r"\end{pmatrix}"


def _local_worker(text: str, x0: str, y0: str) -> dict:
    expr = parse_expression(text, ("x", "y"))
    return _derivs_2d(expr, sp.Rational(x0), sp.Rational(y0), 2)


def local_2d(text: str, point: tuple[float, float], timeout: float = 1.5) -> Local2D:
    x0, y0 = _exact_pair(point)
    expr = parse_expression(text, ("x", "y"))     # a refusal (ExpressionError) is the caller's
    try:
        if sp.count_ops(expr) <= 40 and _depth(expr) <= 6:   # small and shallow: second derivatives
            # are instant, skip the worker (a deep nest such as log(log(...)) is slow to differentiate)
            d = _derivs_2d(expr, x0, y0, 2)
        else:
            d = call(_local_worker, text, str(x0), str(y0), timeout=timeout)
    except (TaylorError, SymbolicTimeout, ArithmeticError, RecursionError, TypeError, ValueError) as err:
        msg = (str(err) if isinstance(err, TaylorError) else "The exact derivatives took too long."
               if isinstance(err, SymbolicTimeout) else
               f"sympy could not work out the derivatives at this point ({type(err).__name__}).")
        nan = sp.nan
        return Local2D(tuple(map(float, point)), nan, sp.Matrix([[nan, nan]]), sp.Matrix([[nan, nan], [nan, nan]]),
                       math.nan, np.full(2, np.nan), np.full((2, 2), np.nan), ok=False, message=msg)
    J = sp.Matrix([[d[(1, 0)], d[(0, 1)]]])
    H = sp.Matrix([[d[(2, 0)], d[(1, 1)]], [d[(1, 1)], d[(0, 2)]]])
    return Local2D(tuple(map(float, point)), d[(0, 0)], J, H, float(sp.N(d[(0, 0)])),
                   np.array([float(sp.N(v)) for v in J], dtype=float),
                   np.array([[float(sp.N(H[i, j])) for j in range(2)] for i in range(2)], dtype=float))


def surfaces_2d(text: str, loc: Local2D, radius: float, n: int = 40) -> dict[str, np.ndarray]:
    """f, T0, T1, T2 and |f − T1|, |f − T2| on an n×n grid around (x₀, y₀)."""
    x0, y0 = loc.point
    xs = np.linspace(x0 - radius, x0 + radius, n)
    ys = np.linspace(y0 - radius, y0 + radius, n)
    Xg, Yg = np.meshgrid(xs, ys)
    F = compile_expression(text, ("x", "y"))(Xg, Yg)
    dX, dY = Xg - x0, Yg - y0
    T0 = np.full_like(F, loc.value_f)
    T1 = T0 + loc.J_f[0] * dX + loc.J_f[1] * dY
    H = loc.H_f
    T2 = T1 + 0.5 * (H[0, 0] * dX ** 2 + 2 * H[0, 1] * dX * dY + H[1, 1] * dY ** 2)
    with np.errstate(all="ignore"):
        return {"x": xs, "y": ys, "f": F, "T0": T0, "T1": T1, "T2": T2,
                "E1": np.abs(F - T1), "E2": np.abs(F - T2)}


def share_below(s: dict, eps: float) -> dict[str, float]:
    """Share of the grid where |f − T₁| < ε ("E1") and |f − T₂| < ε ("E2")."""
    return {k: float(np.mean(np.isfinite(s[k]) & (s[k] < eps))) for k in ("E1", "E2")}
