"""Typed expressions that used to stall the server, crash it or reach an exception box (issue #22):
each is refused quickly with a message naming the problem, or computed correctly.

Times: the server-side work must take <= 0.5 s; the tests allow 2 s so that a loaded CI machine
passes (measured on a 2-core machine at load 12-15: every attack refused by the parser and by each
page entry point in <= 0.10 s; the Taylor 2-D cases <= 0.15 s warm, 0.9 s for the first call).
"""
from __future__ import annotations

import math
import re
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import explorer.chain_rule as cr
import explorer.derivatives as D
import explorer.multivariate as mv
import explorer.taylor as tx
from explorer.expressions import FUNCTIONS, ExpressionError, compile_expression, parse_expression, to_latex
from explorer.expressions.budget import MAX_KINKS, MAX_TERMS, expanded_terms

LIMIT = 2.0     # seconds; the target is 0.5 s, measured well under it (module docstring)
XY = ("x", "y")


def _refused(text: str, variables=("x",)) -> str:
    t = time.perf_counter()
    with pytest.raises(ExpressionError) as err:
        parse_expression(text, variables)
    assert time.perf_counter() - t <= LIMIT
    return str(err.value)


# ---------------------------------------------------------------------------------------------
# 1. Parsing: sympy's automatic evaluation is bounded before it starts
@pytest.mark.parametrize("text, piece", [
    ("exp(-exp(exp(exp(100))))", "exp(exp(100))"),
    ("1/exp(exp(exp(exp(100))))", "exp(exp(100))"),
    ("min(exp(exp(exp(100))),1)", "exp(exp(100))"),
    ("sign(exp(exp(exp(100)))-1)", "exp(exp(100))"),
    ("exp(-exp(1e12))", "exp(1000000000000.0)"),
    ("10^100*10^100*10^100*10^100", "10^100"),
    ("exp(1000)", "exp(1000)"),
    ("cosh(800)*x", "cosh(800)"),
])
def test_huge_constants_are_refused_fast_naming_the_part(text, piece):
    msg = _refused(text)
    assert piece in msg and "too large" in msg and "1e300" in msg


@pytest.mark.parametrize("text", ["10^100*10^100*x*10^100*10^100", "x*10^100*10^100*10^100*10^100"])
def test_huge_coefficients_gathered_by_sympy_are_refused(text):
    assert "too large" in _refused(text)


def test_magnitudes_within_double_precision_are_kept_exact():
    assert parse_expression("10^100*10^100*10^100") == sp.Integer(10) ** 300
    assert parse_expression("exp(690)*x") == sp.exp(690) * sp.Symbol("x")
    # tiny is fine: exp(-1000) underflows in floats but is a number, and 1/it would be huge
    assert parse_expression("exp(-1000)*x") == sp.exp(-1000) * sp.Symbol("x")
    assert "too close to zero" in _refused("1/exp(-1000)")


@pytest.mark.parametrize("text", ["x + acos(2)", "sqrt(-3)*x", "ln(-1) + x", "x*(-8)^(1/2)"])
def test_constants_without_a_real_value_are_refused(text):
    msg = _refused(text)
    assert "real" in msg


def test_values_at_a_domain_edge_are_not_refused_by_rounding():
    # asin(sin(pi/2)) is exactly asin(1); sqrt(1 - cos(0)) is 0; acos(2*sin(pi/6)) = acos(1) = 0
    for text, want in [("asin(sin(pi/2))*x", sp.pi / 2), ("acos(2*sin(pi/6))+x", 0)]:
        e = parse_expression(text)
        assert float(e.subs(sp.Symbol("x"), 1)) == pytest.approx(float(want) if want else 1.0, abs=1e-12) \
            or float(e.subs(sp.Symbol("x"), 0)) == pytest.approx(float(want), abs=1e-12)


def test_overflow_when_sampling_is_undefined_not_an_error():
    f = compile_expression("exp(exp(x))")           # exp(exp(10)) overflows a double
    y = f(np.array([0.0, 1.0, 10.0]))
    assert y[0] == pytest.approx(math.e) and y[1] == pytest.approx(math.exp(math.e)) and np.isnan(y[2])
    g = compile_expression("10^100*10^100*10^100*x^2")
    assert np.isnan(g(np.array([1e5]))[0]) and g(np.array([1.0]))[0] == pytest.approx(1e300)


@pytest.mark.parametrize("text, want", [("x¹⁰", "x**10"), ("x²³", "x**23"), ("x⁻¹²", "x**(-12)"),
                                        ("2x³y²", "2*x**3*y**2"), ("x²+x¹", "x**2 + x")])
def test_multi_digit_unicode_superscripts(text, want):
    assert parse_expression(text, XY) == sp.sympify(want, locals={"x": sp.Symbol("x"), "y": sp.Symbol("y")})


# ---------------------------------------------------------------------------------------------
# 2. A budget for the work: refused before expansion, differentiation or compilation starts
@pytest.mark.parametrize("text, piece", [
    ("(x+1)^100*(x+2)^100*(x+3)^100", "(x + 1)^100*(x + 2)^100*(x + 3)^100"),
    ("(x+1)^100*(x+2)^100*(x+3)^100*(x+4)^100", "(x + 4)^100"),
    ("((x+1)^100)^100", "(x + 1)^10000"),
    ("exp((x+1)^100*(x+2)^50)", "(x + 1)^100*(x + 2)^50"),
    ("(x+1)^31*(x+2)^31", "(x + 1)^31*(x + 2)^31"),
])
def test_products_too_big_to_multiply_out_are_refused(text, piece):
    msg = _refused(text)
    assert piece in msg and f"more than {MAX_TERMS} terms" in msg


def test_the_term_bound_is_an_upper_bound_of_the_real_count():
    x, y = sp.symbols("x y")
    for text in ["(x+1)^30*(x+2)^30", "(x+y+1)^12", "(x^2+x+1)^10*(x-y)", "sin(x)*(x+1)^5 + (y-2)^7"]:
        e = parse_expression(text, XY)
        n, worst = expanded_terms(e)
        assert worst is None and len(sp.Add.make_args(sp.expand(e))) <= n <= MAX_TERMS


def _nested_abs(n: int) -> str:
    s = "x"
    for i in range(n):
        s = f"abs({s}-{i % 3 + 1}*y)"
    return s


def test_nested_kinks_are_refused_naming_the_depth():
    parse_expression(_nested_abs(MAX_KINKS), XY)
    msg = _refused(_nested_abs(MAX_KINKS + 1), XY)
    assert f"nested {MAX_KINKS + 1} deep" in msg and "abs" in msg
    msg = _refused(_nested_abs(20), XY)       # refused at the 7th level, before building the rest
    assert f"nested {MAX_KINKS + 1} deep" in msg


# ---------------------------------------------------------------------------------------------
# 3. Through the entry points the pages call
ATTACKS_X = ["exp(-exp(exp(exp(100))))", "sign(exp(exp(exp(100)))-1)", "exp(-exp(1e12))",
             "10^100*10^100*10^100*10^100", "(x+1)^100*(x+2)^100*(x+3)^100",
             "(x+1)^100*(x+2)^100*(x+3)^100*(x+4)^100", "((x+1)^100)^100"]
ATTACKS_XY = ATTACKS_X + [_nested_abs(20)]


def _fast_refusal(fn, *args):
    t = time.perf_counter()
    with pytest.raises(ExpressionError) as err:
        fn(*args)
    assert time.perf_counter() - t <= LIMIT
    assert str(err.value).strip()


@pytest.mark.parametrize("text", ATTACKS_X)
def test_derivatives_page_entry_points_refuse_fast(text):
    _fast_refusal(D.gradient_data, text, -4.0, 4.0)
    _fast_refusal(D.secant, text, 1.0, 1e-3, ())
    _fast_refusal(D.derivative_steps_cached, text)
    _fast_refusal(D.curve, text, -4.0, 4.0)
    assert D.try_difference_quotient(text).result is None


@pytest.mark.parametrize("text", ATTACKS_XY)
def test_multivariate_chain_rule_and_taylor_entry_points_refuse_fast(text):
    _fast_refusal(mv.surface, text, (-2.0, 2.0), (-2.0, 2.0))
    _fast_refusal(cr.chain_rule_symbolic, text, "cos(t)", "sin(t)")
    _fast_refusal(cr.contour_grid, text)
    _fast_refusal(tx.local_2d, text, (0.5, 0.5))
    if "y" not in text:
        _fast_refusal(tx.expand_1d, text, 0.0, 4)


def test_the_largest_accepted_product_keeps_the_server_quick():
    """(x+1)^30*(x+2)^30 is at the term budget: the page's in-process work stays small (the slow
    symbolic parts run in the worker under its deadline)."""
    text = "(x+1)^30*(x+2)^30"
    cpu = time.process_time()
    g = D.gradient_data(text, -4.0, 4.0)
    der = D.derivative_steps_cached(text)
    D.equals_sympy_diff(der)
    assert time.process_time() - cpu <= LIMIT
    i = int(np.argmin(np.abs(g.x + 1.5)))        # where f' is small enough to be drawn
    xi = g.x[i]
    want = 30 * (xi + 1) ** 29 * (xi + 2) ** 30 + 30 * (xi + 1) ** 30 * (xi + 2) ** 29
    assert g.df[i] == pytest.approx(want, rel=1e-9)


# Taylor's g: kinks and steps give a correct expansion away from the kink, a message at it
@pytest.mark.parametrize("text, point, J", [
    ("abs(x)+abs(y)", (0.5, -1.0), (1.0, -1.0)),
    ("sign(x)", (0.5, 0.5), (0.0, 0.0)),
    ("max(x,y)", (1.0, 0.5), (1.0, 0.0)),
    ("sign(sin(1/(x^2+y^2)))", (0.5, 0.5), (0.0, 0.0)),
    ("heaviside(x)*y", (1.0, 2.0), (0.0, 1.0)),
])
def test_taylor_2d_of_kinks_away_from_the_kink(text, point, J):
    t = time.perf_counter()
    loc = tx.local_2d(text, point)
    assert time.perf_counter() - t <= LIMIT
    assert loc.ok and np.allclose(loc.J_f, J) and np.allclose(loc.H_f, 0)
    f = compile_expression(text, XY)
    assert loc.value_f == pytest.approx(float(f(*point)))
    loc.formulas()
    s = tx.surfaces_2d(text, loc, 0.2)
    assert np.isfinite(s["T2"]).all()


@pytest.mark.parametrize("text, point", [
    ("abs(x)+abs(y)", (0.0, 0.5)), ("sign(x)", (0.0, 1.0)), ("max(x,y)", (0.5, 0.5)),
    ("heaviside(x)*y", (0.0, 1.0)),
])
def test_taylor_2d_at_a_kink_says_so(text, point):
    loc = tx.local_2d(text, point)
    assert not loc.ok and "corner or a jump" in loc.message and np.isnan(loc.J_f).all()


def test_taylor_2d_where_f_is_undefined_says_so():
    loc = tx.local_2d("sign(sin(1/(x^2+y^2)))", (0.0, 0.0))
    assert not loc.ok and "not defined" in loc.message


def test_chain_rule_with_heaviside_is_drawn_correctly():
    f, xt, yt = "heaviside(x)*y", "cos(t)", "sin(t)"
    sym = cr.chain_rule_symbolic(f, xt, yt)
    at = cr.chain_rule_at(sym, f, xt, yt, 1.0)   # x = cos 1 > 0: f = y, df/dt = cos t
    assert at.f_x == 0 and at.f_y == 1 and at.df_dt == pytest.approx(math.cos(1.0))
    assert at.df_dt == pytest.approx(at.slope_numeric, abs=1e-8)
    at2 = cr.chain_rule_at(sym, f, xt, yt, 2.0)  # x < 0: f = 0
    assert at2.df_dt == 0 and at2.slope_numeric == 0
    # the delta itself: 0 off the jump, undefined on it
    d = compile_expression(sp.DiracDelta(sp.Symbol("x")))(np.array([-1.0, 0.0, 2.0]))
    assert d[0] == 0 and np.isnan(d[1]) and d[2] == 0


# ---------------------------------------------------------------------------------------------
# 7. KaTeX: typed text cannot become a link, an image or HTML in the formulas the pages show
# (st.latex, and "$…$" in a caption in presenter mode). KaTeX renders these commands as links,
# images or HTML attributes when ``trust`` is on; none of them may come out of a typed expression.
KATEX_UNSAFE = ("href", "url", "includegraphics", "htmlClass", "htmlId", "htmlStyle", "htmlData")


def katex_unsafe(tex: str) -> list[str]:
    """The problems of LaTeX shown from typed text: a link/image/HTML command, a ``$`` (it would
    close the caption's inline maths and the rest would render as markdown), a line break."""
    found = [c for c in re.findall(r"\\([A-Za-z]+)", tex) if c in KATEX_UNSAFE]
    return found + (["$"] if "$" in tex else []) + (["newline"] if "\n" in tex or "\r" in tex else [])


def test_the_katex_check_can_fail():
    assert katex_unsafe(r"\href{javascript:alert(1)}{x}") == ["href"]
    assert katex_unsafe(r"x + \url{http://evil.example} + \includegraphics{i.png}") == ["url", "includegraphics"]
    assert katex_unsafe(r"\htmlClass{a}{x}\htmlId{b}{y}\htmlStyle{c}{z}\htmlData{d=1}{w}") == list(KATEX_UNSAFE[3:])
    assert katex_unsafe(r"x$ ![i](http://evil.example/x.png) $") == ["$"]
    assert katex_unsafe(r"\frac{\sin{\left(x \right)}}{\dot{href}} + href + url") == []


# names a typed model may use as parameters, built from the commands and sympy's own name rules
# (greek letters and suffixes such as "dot", "hat", "bold" become LaTeX commands)
_UNSAFE_NAMES = list(KATEX_UNSAFE) + [n.lower() for n in KATEX_UNSAFE] + [n.upper() for n in KATEX_UNSAFE] \
    + [n.capitalize() for n in KATEX_UNSAFE] + ["textcolor", "mathrm", "text", "operatorname", "lambda", "alpha"]
_SUFFIXES = ["", "dot", "hat", "bar", "vec", "bold", "cal", "scr", "frak", "prime", "norm", "abs", "_1", "_url", "__href"]


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(_UNSAFE_NAMES), st.sampled_from(_SUFFIXES)).map("".join),
                min_size=1, max_size=3, unique=True),
       st.sampled_from(["{0}*x", "{0}*exp(-x/{0})", "{0}*sin(x)+{0}^2", "sqrt({0}*x)", "x/({0}+x)", "{0}*abs(x)"]))
def test_typed_models_with_command_names_give_safe_latex(names, form):
    """A typed model on the regression page may name its parameters anything: the formula shown
    (``model_latex``) and the preview of a typed function (``ui.expression_input``) stay plain."""
    from explorer.regression.models import check_model, model_latex
    from ui.expression_input import _latex_of
    text = " + ".join(form.format(n) for n in names)
    try:
        params = check_model(text)
    except ExpressionError as err:
        assert str(err).strip()
        return
    tex = model_latex(text, params)
    assert katex_unsafe(tex) == [], (text, tex)
    assert katex_unsafe(_latex_of(text, ("x", *params))) == [], text
    for p in params:     # derivatives with respect to each parameter (the fit's Jacobian, shown in reports)
        assert katex_unsafe(to_latex(sp.diff(parse_expression(text, ("x", *params)), sp.Symbol(p)))) == []


@pytest.mark.parametrize("text", ["href(x)", "url(x)", "\\href{javascript:alert(1)}{x}", "x\\url{a}",
                                  "includegraphics(x)", "htmlClass(x)", "$x$", "x$", "`x`", "x\ny"])
def test_command_like_functions_and_backslashes_are_refused(text):
    """Names followed by "(" must be known functions, and a backslash or "$" is no part of a formula."""
    message = _refused(text)
    assert message.strip()


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.recursive(st.sampled_from(["x", "y", "2", "pi", "e", "0.5", "x²", "1e-5"]),
                    lambda c: st.one_of(
                        st.tuples(c, st.sampled_from(["+", "-", "*", "/", "^"]), c).map("".join),
                        st.tuples(st.sampled_from(sorted(FUNCTIONS)), c).map(lambda t: f"{t[0]}({t[1]})")),
                    max_leaves=6))
def test_every_function_prints_safe_latex(text):
    """Every function the parser knows, and its derivatives, print without a link or a "$"."""
    try:
        expr = parse_expression(text, XY)
    except ExpressionError:
        return
    assert katex_unsafe(to_latex(expr)) == [], text
    assert katex_unsafe(to_latex(sp.diff(expr, sp.Symbol("x")))) == [], text


def test_command_names_are_parameters_shown_as_plain_letters():
    """The fuzz above reaches accepted models: these names are parameters, printed without a backslash."""
    from explorer.regression.models import check_model, model_latex
    text = "href*x + url*exp(-x/includegraphics) + htmlClassdot"
    params = check_model(text)
    assert sorted(params) == ["href", "htmlClassdot", "includegraphics", "url"]
    tex = model_latex(text, params)
    assert "href" in tex and "url" in tex and r"\dot{htmlClass}" in tex and katex_unsafe(tex) == []
