"""explorer.chain_rule: df/dt along a path, against sympy on the composed function."""
import numpy as np
import pytest
import sympy as sp

from explorer.chain_rule import (F_PRESETS, PATH_PRESETS, RULE_TEX, chain_rule_at, chain_rule_numeric,
                                 chain_rule_symbolic, contour_grid, parse_path, path_preset, path_samples,
                                 reading_tex, rule_tex)
from explorer.expressions import ExpressionError, to_latex

x, y, t = sp.symbols("x y t")
SYMPY_F = {"hill": sp.exp(-((x - 1) ** 2 + (y - sp.Rational(1, 2)) ** 2) / 3), "saddle": x ** 2 - y ** 2,
           "bowl": x ** 2 + y ** 2, "waves": sp.sin(x) * sp.cos(y),
           "tilted ripple": sp.sin(x * y / 2) + x / 3}
SYMPY_PATH = {"line": (t / 2 - sp.Rational(3, 2), 1 - t / 3), "circle": (2 * sp.cos(t), 2 * sp.sin(t)),
              "spiral": (t * sp.cos(t) / sp.Rational(5, 2), t * sp.sin(t) / sp.Rational(5, 2))}
CASES = [(fn, pn) for fn in F_PRESETS for pn in PATH_PRESETS] + [("typed", "typed")]


def _texts(fn, pn):
    if fn == "typed":
        return "x^3 y - ln(1 + x^2) + atan(y)", "t^2 - 1", "exp(-t) sin(3t)"
    return (F_PRESETS[fn], *PATH_PRESETS[pn])


def _sympy_composed(fn, pn):
    if fn == "typed":
        f = x ** 3 * y - sp.log(1 + x ** 2) + sp.atan(y)
        path = (t ** 2 - 1, sp.exp(-t) * sp.sin(3 * t))
    else:
        f, path = SYMPY_F[fn], SYMPY_PATH[pn]
    return f.subs({x: path[0], y: path[1]}, simultaneous=True)


def test_presets_match_the_reference_expressions():
    from explorer.expressions import parse_expression
    for name, text in F_PRESETS.items():
        assert sp.simplify(parse_expression(text, ("x", "y")) - SYMPY_F[name]) == 0
    for name, (xt, yt) in PATH_PRESETS.items():
        assert sp.simplify(parse_expression(xt, ("t",)) - SYMPY_PATH[name][0]) == 0
        assert sp.simplify(parse_expression(yt, ("t",)) - SYMPY_PATH[name][1]) == 0


@pytest.mark.parametrize("fn,pn", CASES)
def test_chain_rule_equals_derivative_of_composed_function(fn, pn):
    texts = _texts(fn, pn)
    sym = chain_rule_symbolic(*texts)
    g = _sympy_composed(fn, pn)
    dg = sp.diff(g, t)
    # symbolically: the chain-rule sum is the derivative of the composition
    for t0 in (0.3, 1.7, 4.2):
        assert float(sym.df_dt.subs(t, t0)) == pytest.approx(float(dg.subs(t, t0)), rel=1e-10, abs=1e-12)
        at = chain_rule_at(sym, *texts, t0)
        exact = float(dg.subs(t, t0))
        assert at.df_dt == pytest.approx(exact, rel=1e-9, abs=1e-12)
        assert at.f_x * at.dx_dt + at.f_y * at.dy_dt == pytest.approx(at.df_dt)
        assert at.slope_numeric == pytest.approx(exact, rel=1e-5, abs=1e-7)
        assert at.f == pytest.approx(float(g.subs(t, t0)), rel=1e-12, abs=1e-14)
        num = chain_rule_numeric(*texts, t0)
        assert num.df_dt == pytest.approx(exact, rel=1e-5, abs=1e-7) and not num.symbolic


def test_individual_factors_against_sympy():
    sym = chain_rule_symbolic("x^2 y", "cos(t)", "t^3")
    at = chain_rule_at(sym, "x^2 y", "cos(t)", "t^3", 0.5)
    assert at.x == pytest.approx(np.cos(0.5)) and at.y == pytest.approx(0.125)
    assert at.f_x == pytest.approx(2 * np.cos(0.5) * 0.125)
    assert at.f_y == pytest.approx(np.cos(0.5) ** 2)
    assert at.dx_dt == pytest.approx(-np.sin(0.5)) and at.dy_dt == pytest.approx(0.75)


def test_circle_around_centred_bowl_keeps_height_constant():
    sym = chain_rule_symbolic("x^2 + y^2", "2 cos(t)", "2 sin(t)")
    for t0 in np.linspace(0, 6, 7):
        at = chain_rule_at(sym, "x^2 + y^2", "2 cos(t)", "2 sin(t)", t0)
        assert abs(at.df_dt) < 1e-12 and at.f == pytest.approx(4)
        assert at.f_x != 0 or at.f_y != 0   # the partials are not zero; they cancel


def test_samples_and_grid():
    t, xs, ys, g = path_samples("x y", "t", "2t")
    np.testing.assert_allclose(g, 2 * t ** 2)
    gr, Z = contour_grid("x + 2y", n=41)
    assert Z.shape == (41, 41)
    assert Z[0, -1] == pytest.approx(gr[-1] + 2 * gr[0])      # rows are y, columns x


def test_undefined_point_is_nan_not_an_exception():
    sym = chain_rule_symbolic("ln(x)", "t - 1", "t")
    at = chain_rule_at(sym, "ln(x)", "t - 1", "t", 0.5)          # x = -0.5
    assert np.isnan(at.df_dt) and np.isnan(at.f)


def test_bad_text_raises_expression_error():
    with pytest.raises(ExpressionError):
        chain_rule_symbolic("x +* y", "t", "t")
    with pytest.raises(ExpressionError):
        chain_rule_symbolic("x y", "x", "t")        # the path must be in t


def test_parse_path_names_the_bad_coordinate():
    ex, ey = parse_path("2 cos(t)", "t^2")
    assert sp.simplify(ex - 2 * sp.cos(t)) == 0 and sp.simplify(ey - t ** 2) == 0
    with pytest.raises(ExpressionError, match=r"^y\(t\): "):
        parse_path("t", "1 - t/3 +* 2")
    with pytest.raises(ExpressionError, match=r"^x\(t\): "):
        parse_path("x + t", "t")                    # x is not a variable of the path


def test_path_preset_names_a_preset_pair():
    for name, pair in PATH_PRESETS.items():
        assert path_preset(*pair) == name
    assert path_preset("t", "t^2") is None
    assert path_preset(PATH_PRESETS["circle"][0], PATH_PRESETS["line"][1]) is None


def test_rule_and_reading_tex():
    assert rule_tex(None) == RULE_TEX
    sym = chain_rule_symbolic("x^2 y", "cos(t)", "t^3")
    tex = rule_tex(sym)
    assert tex.startswith(r"\begin{aligned}") and r"\Big(2 x y\Big)" in tex
    at = chain_rule_at(sym, "x^2 y", "cos(t)", "t^3", 0.5)
    tex = reading_tex(at)
    # negative factors in brackets, every number to 4 significant figures
    assert r"\text{at } t = 0.50" in tex and r"\cdot(-0.4794)" in tex
    assert f"= {at.df_dt:.4g}" in tex and "measured numerically" in tex
    # an undefined point reads as such, and a tiny number as a power of ten, not "e-05"
    sym = chain_rule_symbolic("ln(x)", "t - 1", "t")
    assert r"\text{undefined}" in reading_tex(chain_rule_at(sym, "ln(x)", "t - 1", "t", 0.5))
    sym = chain_rule_symbolic("x^2 + y", "t", "0.00001 t")
    assert r"\times 10^{-5}" in reading_tex(chain_rule_at(sym, "x^2 + y", "t", "0.00001 t", 0.0))


def test_rule_tex_is_stacked_to_fit_a_1024_px_column():
    """Issue 18: the rule, then one product a line (a long product over two lines); every factor
    is still there. The browser test measures the widths (tests/browser/test_formula_widths.py)."""
    short = rule_tex(chain_rule_symbolic("x^2 - y^2", "2 cos(t)", "2 sin(t)"))
    lines = short.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r"\\ ")
    assert lines == [RULE_TEX.replace("=", "&=", 1), r"&= \Big(2 x\Big)\Big(- 2 \sin{\left(t \right)}\Big)",
                     r"&\quad + \Big(- 2 y\Big)\Big(2 \cos{\left(t \right)}\Big)"]
    sym = chain_rule_symbolic(F_PRESETS["hill"], *PATH_PRESETS["spiral"])
    lines = rule_tex(sym).split(r"\\ ")
    assert len(lines) == 5 and r"\qquad \cdot \Big(" in lines[2] and r"\qquad \cdot \Big(" in lines[4]
    assert to_latex(sym.f_x) in lines[1] and to_latex(sym.dy_dt) in lines[4]
