"""explorer.taylor against independent references (mpmath at 40 digits, hand-derived J and H)."""
import math
import random
import time

import mpmath
import numpy as np
import pytest
import sympy as sp

from explorer import taylor as tx
from explorer.expressions import ExpressionError, to_latex
from explorer.taylor.series import _coefficients_cached

x, y = sp.Symbol("x"), sp.Symbol("y")
MP = {  # independent mpmath versions of the presets (not via sympy)
    "exp(x)": mpmath.exp, "sin(x)": mpmath.sin, "cos(x)": mpmath.cos,
    "ln(1+x)": lambda t: mpmath.log(1 + t), "1/(1-x)": lambda t: 1 / (1 - t), "atan(x)": mpmath.atan,
    "sqrt(1+x)": lambda t: mpmath.sqrt(1 + t), "exp(-x^2)": lambda t: mpmath.exp(-t ** 2),
    "exp(-1/x^2)": lambda t: mpmath.exp(-1 / t ** 2), "1/(1+x^2)": lambda t: 1 / (1 + t ** 2),
}
DOMAIN = {"ln(1+x)": (-0.9, 2.5), "sqrt(1+x)": (-0.9, 2.5), "1/(1-x)": (-2.5, 0.8)}


def test_every_preset_has_an_independent_reference():
    assert set(MP) == set(tx.PRESETS_1D.values())


@pytest.mark.parametrize("text", list(MP))
def test_coefficients_match_mpmath_at_random_points(text):
    rng = random.Random(hash(text) % 1000)
    lo, hi = DOMAIN.get(text, (-2.5, 2.5))
    points = [round(rng.uniform(lo, hi), 1) for _ in range(2)]
    points = [p for p in points if not (text == "exp(-1/x^2)" and p == 0)] or [0.5]
    for a in points:
        order = 12
        exact = tx.taylor_coefficients(text, a, order)
        assert len(exact) == order + 1
        with mpmath.workdps(40):
            ref = mpmath.taylor(MP[text], mpmath.mpf(sp.Rational(str(a)).p) / sp.Rational(str(a)).q, order)
            for k, (c, r) in enumerate(zip(exact, ref)):
                got = sp.N(c, 35)
                assert got.is_real, (text, a, k, c)
                scale = max(1, abs(r))
                assert abs(mpmath.mpf(str(got)) - r) <= mpmath.mpf(10) ** -20 * scale, (text, a, k, c, r)


def test_classic_coefficients_exact():
    assert tx.taylor_coefficients("exp(x)", 0, 5) == [1, 1, sp.Rational(1, 2), sp.Rational(1, 6),
                                                      sp.Rational(1, 24), sp.Rational(1, 120)]
    assert tx.taylor_coefficients("ln(1+x)", 0, 4) == [0, 1, sp.Rational(-1, 2), sp.Rational(1, 3), sp.Rational(-1, 4)]
    assert tx.taylor_coefficients("1/(1+x^2)", 0, 6) == [1, 0, -1, 0, 1, 0, -1]
    assert tx.taylor_coefficients("exp(x)", 0.7, 2)[2] == sp.exp(sp.Rational(7, 10)) / 2
    # the flat function: every coefficient at 0 is zero, though f is not the zero function
    assert tx.taylor_coefficients("exp(-1/x^2)", 0, 20) == [0] * 21
    # removable singularities come out right
    assert tx.taylor_coefficients("sin(x)/x", 0, 4) == [1, 0, sp.Rational(-1, 6), 0, sp.Rational(1, 120)]


def test_taylor_polynomial_contract():
    p = tx.taylor_polynomial("sin(x)", 0.5, 3)
    a = sp.Rational(1, 2)
    expected = sp.sin(a) + sp.cos(a) * (x - a) - sp.sin(a) / 2 * (x - a) ** 2 - sp.cos(a) / 6 * (x - a) ** 3
    assert sp.simplify(p - expected) == 0
    assert p.free_symbols == {x}
    t = tx.taylor_polynomial("exp(t)", 0, 2, var="t")
    assert sp.expand(t - (1 + sp.Symbol("t") + sp.Symbol("t") ** 2 / 2)) == 0


def test_order_20_of_every_preset_is_fast_cold():
    for text in tx.PRESETS_1D.values():
        for a in (0.3, -1.7):
            _coefficients_cached.cache_clear()
            t0 = time.perf_counter()
            try:
                tx.taylor_coefficients(text, a, 20)
            except tx.TaylorError:
                assert text in ("ln(1+x)", "sqrt(1+x)")      # a = -1.7 is outside their domain
            assert time.perf_counter() - t0 < 0.6, (text, a)     # 0.3 s target; margin for a busy machine
    t0 = time.perf_counter()
    tx.taylor_coefficients("exp(-x^2)", 1, 20)
    tx.taylor_coefficients("exp(-x^2)", 1, 20)
    assert time.perf_counter() - t0 < 1.0


def test_no_expansion_gets_a_reason():
    for text, a in (("1/(1-x)", 1), ("ln(1+x)", -1), ("abs(x)", 0), ("sqrt(1+x)", -1), ("1/x", 0)):
        with pytest.raises(tx.TaylorError):
            tx.taylor_coefficients(text, a, 5)
        e = tx.expand_1d(text, a, 5)
        assert not e.ok and e.message
    with pytest.raises(ExpressionError):
        tx.taylor_polynomial("x +* 2", 0, 3)


def test_slow_typed_function_falls_back_to_numeric_with_a_message():
    e = tx.expand_1d("sin(sin(sin(sin(x))))", 0.5, 20, timeout=0.3)
    assert e.ok and e.exact is None and "too long" in e.message
    with mpmath.workdps(30):
        ref = mpmath.taylor(lambda t: mpmath.sin(mpmath.sin(mpmath.sin(mpmath.sin(t)))), mpmath.mpf("0.5"), 6)
    assert np.allclose(e.coeffs[:7], [float(r) for r in ref], rtol=1e-8, atol=1e-10)


def test_numeric_grid_derivatives_match_exact():
    xs = np.array([-0.4, 0.3, 1.1])
    d = tx.derivative_grid("atan(x)", xs, 6)
    for i, a in enumerate(xs):
        ex = [float(sp.N(c)) for c in tx.taylor_coefficients("atan(x)", float(a), 6)]
        assert np.allclose(d[:, i], ex, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("text,a", [("exp(x)", 0.0), ("sin(x)", 1.0), ("ln(1+x)", 0.5), ("atan(x)", -0.5),
                                    ("exp(-x^2)", 0.7), ("1/(1+x^2)", 0.0)])
def test_lagrange_bound_holds_on_a_grid(text, a):
    e = tx.expand_1d(text, a, 10)
    c = tx.curves_1d(text, e, (a - 1.5, a + 1.5), npts=121)
    some = 0
    for n in range(11):
        ok = np.isfinite(c.bound[n]) & np.isfinite(c.err[n])
        some += ok.sum()
        assert np.all(c.err[n][ok] <= c.bound[n][ok] * (1 + 1e-6) + 1e-13), (text, a, n)
    assert some > 600, "the bound is computable on most of the window"
    # the bound is not vacuous: it is within a few orders of the error for small n near a
    near = np.abs(c.x - a) < 0.5
    assert np.nanmax(c.bound[2][near]) < 1e3 * max(np.nanmax(c.err[2][near]), 1e-12)


def test_error_curve_and_eps_band():
    e = tx.expand_1d("exp(x)", 0, 20)
    c = tx.curves_1d("exp(x)", e, (-3, 3), npts=121)
    assert c.max_err[20] < 1e-8 < c.max_err[5]
    assert np.all(np.diff(c.max_err) < 0), "for eˣ every extra order helps on the whole window"
    bands = tx.eps_intervals(c.x, c.err[3], 1e-2)
    assert len(bands) == 1 and bands[0][0] < 0 < bands[0][1]
    # |e^x - T3| < 0.01 exactly where |x| is below about 0.6..0.7
    assert 0.5 < bands[0][1] < 0.8 and -0.8 < bands[0][0] < -0.5


def test_radius_of_convergence():
    r = tx.radius_of_convergence("1/(1+x^2)", 1.0)
    assert r.known and r.radius == pytest.approx(math.sqrt(2)) and set(r.singularities) == {1j, -1j}
    assert tx.radius_of_convergence("ln(1+x)", 0.5).radius == pytest.approx(1.5)
    assert tx.radius_of_convergence("1/(1-x)", -1).radius == pytest.approx(2)
    assert math.isinf(tx.radius_of_convergence("exp(x)", 2).radius)
    assert "zero" in tx.radius_of_convergence("exp(-1/x^2)", 0).reason
    # a typed function: exact from its pole at 4; the root-test estimate from its coefficients
    # (the fallback where the structure of f is beyond the analysis) is marked as such
    e = tx.expand_1d("1/(4-x)", 0, 20)
    exact = tx.radius_of_convergence("1/(4-x)", 0, e.coeffs)
    assert exact.known and exact.kind == "exact" and exact.radius == pytest.approx(4, rel=1e-12)
    est = tx.estimate_radius(e.coeffs)
    assert not est.known and est.kind == "estimate" and est.radius == pytest.approx(4, rel=1e-6)
    # beyond the radius the error grows with n, inside it shrinks
    e = tx.expand_1d("1/(1+x^2)", 0, 20)
    c = tx.curves_1d("1/(1+x^2)", e, (-2, 2), npts=81)
    inside, outside = np.abs(c.x) < 0.8, np.abs(c.x) > 1.2
    assert c.err[20][inside].max() < c.err[4][inside].max()
    assert c.err[20][outside].max() > c.err[4][outside].max()


# --------------------------------------------------------------------------------------------- 2D
def _hand(f, x0, y0):
    """Hand-derived (closed form) value, gradient and Hessian for the 2D checks."""
    return f(x0, y0)


def test_2d_polynomial_against_hand_derived_J_and_H():
    x0, y0 = sp.Rational(1, 2), sp.Rational(-3, 10)
    # f = sin x cos y: f_x = cos x cos y, f_y = -sin x sin y, f_xx = -sin x cos y, f_xy = -cos x sin y,
    # f_yy = -sin x cos y
    s, c = sp.sin, sp.cos
    val = s(x0) * c(y0)
    J = [c(x0) * c(y0), -s(x0) * s(y0)]
    H = [[-s(x0) * c(y0), -c(x0) * s(y0)], [-c(x0) * s(y0), -s(x0) * c(y0)]]
    dx, dy = x - x0, y - y0
    T1 = val + J[0] * dx + J[1] * dy
    T2 = T1 + (H[0][0] * dx ** 2 + 2 * H[0][1] * dx * dy + H[1][1] * dy ** 2) / 2
    assert sp.expand(tx.taylor_polynomial_2d("sin(x)*cos(y)", (0.5, -0.3), 1) - T1) == 0
    assert sp.expand(tx.taylor_polynomial_2d("sin(x)*cos(y)", (0.5, -0.3), 2) - T2) == 0
    assert tx.taylor_polynomial_2d("sin(x)*cos(y)", (0.5, -0.3), 0) == val
    # a polynomial is its own Taylor polynomial of high enough order
    p = tx.taylor_polynomial_2d("x^3 - 3*x*y^2", (1, 2), 3)
    assert sp.expand(p - (x ** 3 - 3 * x * y ** 2)) == 0
    # f = exp(-(x²+y²)) at (1, 0): f = 1/e, J = (-2/e, 0), H = [[2/e, 0], [0, -2/e]]
    loc = tx.local_2d("exp(-(x^2+y^2))", (1, 0))
    E = sp.exp(-1)
    assert sp.simplify(loc.value - E) == 0
    assert sp.simplify(loc.J - sp.Matrix([[-2 * E, 0]])) == sp.zeros(1, 2)
    assert sp.simplify(loc.H - sp.Matrix([[2 * E, 0], [0, -2 * E]])) == sp.zeros(2, 2)
    assert np.allclose(loc.H_f, [[2 / math.e, 0], [0, -2 / math.e]])


def test_2d_surfaces_and_error_orders():
    loc = tx.local_2d("exp(x)*sin(y)", (0.2, 0.4))
    s = tx.surfaces_2d("exp(x)*sin(y)", loc, 0.8, n=41)
    assert s["f"].shape == (41, 41)
    centre = (20, 20)
    assert s["E1"][centre] < 1e-12 and s["E2"][centre] < 1e-12
    # T2 is better than T1 near the point, and the error of T1 scales like r², of T2 like r³
    r_small, r_big = 5, 10     # grid steps from the centre along x
    e1 = s["E1"][20, 20 + r_small], s["E1"][20, 20 + r_big]
    e2 = s["E2"][20, 20 + r_small], s["E2"][20, 20 + r_big]
    assert 3 < e1[1] / e1[0] < 5.5
    assert 6 < e2[1] / e2[0] < 11
    share = tx.share_below(s, 1e-2)
    assert share["E2"] > share["E1"] > 0


def test_2d_undefined_point_gets_message():
    loc = tx.local_2d("ln(x*y)", (-1, 1))
    assert not loc.ok and loc.message


def test_latex_terms_keep_exact_rationals():
    """f⁽ᵏ⁾(a) of a rational function at a rational point is a rational number, shown as one
    (nsimplify used to turn one of these into a product of irrational powers)."""
    import sympy as sp
    e = tx.expand_1d("1/(1+x^2)", -1.3, 8)
    rows = e.latex_terms(max_terms=8)
    assert len(rows) == 8
    for k, dk, ck, c in rows:
        exact = e.exact[k] * sp.factorial(k)
        assert exact.is_Rational and dk == to_latex(exact)
        assert "^{" not in dk and float(exact) == pytest.approx(c * math.factorial(k), rel=1e-12)


# --------------------------------------------------------------------------------------------- what the page shows
def test_terms_latex_cuts_the_expansion_without_recomputing():
    e = tx.expand_1d("exp(x)", 0, 20)
    poly, blocks = e.terms_latex(3)
    assert poly == r"1+x+\frac{1}{2}\,x^{2}+\frac{1}{6}\,x^{3}"
    assert len(blocks) == 1 and blocks[0].count("&=") == 4
    assert r"\frac{f^{(3)}(a)}{3!} &= \frac{1}{3!} = \frac{1}{6} \approx 0.166667" in blocks[0]
    poly, blocks = e.terms_latex(8)
    assert poly.endswith(r"\cdots") and len(blocks) == 2 and blocks[1].count("&=") == 3
    cut = e.truncated(3)
    assert cut.n == 3 and cut.coeffs == e.coeffs[:4] and cut.exact == e.exact[:4] and e.n == 20
    # numeric coefficients (no exact ones) are written with 6 significant figures
    num = tx.Expansion("exp(x)", 0.0, 2, [1.0, 1.0, 0.5], None)
    assert num.terms_latex(2)[0] == r"1+x+0.5\,x^{2}"


def test_error_table_and_largest_bound():
    e = tx.expand_1d("ln(1+x)", 0, 4)
    c = tx.curves_1d("ln(1+x)", e, (-2, 2), npts=41)
    assert np.all(np.isnan(c.bound[:, 0]))                   # f undefined at x = -2: no bound there
    for k in range(5):
        known = c.bound[k][np.isfinite(c.bound[k])]
        assert c.max_bound[k] == pytest.approx(known.max())
    lines = tx.error_table(c, 2).splitlines()
    assert lines[0] == r"| n | max \|f − Tₙ\| | max Lagrange bound |" and len(lines) == 2 + 5
    assert lines[4].startswith("| **2** |") and lines[4].count("**") == 6 and "**" not in lines[3]
    assert lines[2] == f"| 0 | {c.max_err[0]:.3g} | {c.max_bound[0]:.3g} |"
    nan = tx.Curves(c.x, c.f, c.T, c.err, np.full_like(c.bound, np.nan), c.max_err)
    assert np.all(np.isnan(nan.max_bound)) and tx.error_table(nan, 1).splitlines()[2].endswith("| — |")


def test_radius_latex():
    assert tx.radius_of_convergence("exp(x)", 0).latex() == r"R = \infty"
    assert tx.radius_of_convergence("ln(1+x)", 0.5).latex() == "R = 1.5"
    assert tx.radius_of_convergence("1/(1+x^2)", 1).latex() == "R = 1.414"
    e = tx.expand_1d("1/(4-x)", 0, 20)
    assert tx.radius_of_convergence("1/(4-x)", 0, e.coeffs).latex() == "R = 4"
    assert tx.estimate_radius(e.coeffs).latex() == r"R \approx 4"
    assert tx.Radius(math.nan, [], "", False).latex() is None


def test_2d_formulas():
    """Each formula stacked one step a line (issue 18: the column beside the surfaces is ~220 px at
    1024 px): the general form, then the numbers; T₁ and T₂ one term a line."""
    loc = tx.local_2d("exp(x)*sin(y)", (0, 0))
    J, H, T0, T1, T2, dx = loc.formulas()
    assert J.startswith(r"\begin{aligned}J &= ") and J.endswith(r"\\ &= \begin{pmatrix}0 & 1\end{pmatrix}\end{aligned}")
    assert H.startswith(r"\begin{aligned}H &= \begin{pmatrix}f_{xx}")
    assert H.endswith(r"\\ &= \begin{pmatrix}0 & 1\\ 1 & 0\end{pmatrix}\end{aligned}")
    assert T0 == r"\begin{aligned}T_0 &= f(x_0,y_0)\\ &= 0\end{aligned}"
    # f = eˣ sin y at 0: J = (0, 1), H = [[0, 1], [1, 0]]: T₁ = 0 + Δy, T₂ = T₁ + Δx Δy
    assert T1.endswith(r"\\ &= 0\\ &\;\; + \Delta y\end{aligned}")
    assert T2.endswith(r"\\ &= T_1\\ &\;\; + \Delta x\,\Delta y\end{aligned}")
    assert dx.startswith(r"\begin{aligned}\Delta\mathbf{x}") and r"\begin{pmatrix}x\\ y\end{pmatrix}" in dx
    # numbers: every coefficient against the derivatives of f = sin x cos y at (0.5, 0.5), signs pulled out
    loc = tx.local_2d("sin(x)*cos(y)", (0.5, 0.5))
    _, H, _, T1, T2, dx = loc.formulas()
    s, c = math.sin(0.5), math.cos(0.5)
    assert rf"+ {c * c:.4f}\,\Delta x" in T1 and rf"- {s * s:.4f}\,\Delta y" in T1
    assert rf"- {s * c / 2:.4f}\,\Delta x^2" in T2 and rf"- {s * c:.4f}\,\Delta x\,\Delta y" in T2
    assert rf"-{s * c:.3f}" in H and r"x - \frac{1}{2}" in dx
    assert T1.count(r"\\") == 3 and T2.count(r"\\") == 4          # one line a term


# --------------------------------------------------------------------------------------------- figure
def _figure_1d(text, a, n=3):
    from explorer.figures import taylor as tp
    e = tx.expand_1d(text, a, 20)
    return tp.figure_1d(tx.curves_1d(text, e, (a - 4, a + 4), npts=61), a, n, 1e-2,
                        tx.radius_of_convergence(text, a, e.coeffs), nplay=20)


def test_figure_legends_keep_clear_of_the_title_and_the_controls_of_the_x_title():
    """The title sits in the top margin (container coordinates, top); the f/Tₙ legend hangs from the
    top of the plot area INTO the top panel (so it cannot reach the title), on a background; the
    bound/ε legend sits in the gap between the panels; ▶/‖ and the animation slider hang a fixed
    number of pixels below the plot, under the x tick labels and title (measured in Chromium at
    1024×768 in presenter mode: the x title ends 77 px below the plot)."""
    lay = _figure_1d("exp(x)", 0.0).to_plotly_json()["layout"]
    title, top, err = lay["title"], lay["legend"], lay["legend2"]
    assert title["yref"] == "container" and title["y"] == 1.0 and title["yanchor"] == "top"
    assert top.get("yref", "paper") == "paper" and top["y"] <= 1.0 and top["yanchor"] == "top"
    assert top["y"] >= lay["yaxis"]["domain"][0] and top["bgcolor"].startswith("rgba(255, 255, 255")
    gap = (lay["yaxis2"]["domain"][1], lay["yaxis"]["domain"][0])
    assert gap[1] - gap[0] >= 0.12 and err["y"] == gap[0] and err["yanchor"] == "bottom"
    data = _figure_1d("exp(x)", 0.0).to_plotly_json()["data"]
    assert [d["name"] for d in data if d.get("legend") == "legend2"] == ["Lagrange bound (n = 3)", "ε"]
    menu, slider = lay["updatemenus"][0], lay["sliders"][0]
    assert menu["y"] == 0 and menu["yanchor"] == "top" and menu["pad"]["t"] >= 80
    assert slider["y"] == 0 and slider["yanchor"] == "top" and slider["pad"]["t"] >= menu["pad"]["t"] + 45
    assert [b["label"] for b in menu["buttons"]] == ["▶ Play n = 0, 1, 2, …", "‖ Pause"]


def test_figure_marks_an_estimated_radius_dotted():
    def radius_lines(fig):
        return {s["line"]["dash"] for s in fig.to_plotly_json()["layout"]["shapes"]
                if s.get("line", {}).get("color") == "#9467bd"}
    assert radius_lines(_figure_1d("ln(x)", 2.0)) == {"dash"}                 # exact: R = 2
    from explorer.figures import taylor as tp
    text, a = "1/(exp(x)-x-2)", 0.0
    e = tx.expand_1d(text, a, 20)
    est = tx.radius_of_convergence(text, a, e.coeffs)
    assert est.kind == "estimate"
    fig = tp.figure_1d(tx.curves_1d(text, e, (-4, 4), npts=61), a, 3, 1e-2, est, nplay=20)
    assert radius_lines(fig) == {"dot"}
