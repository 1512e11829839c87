"""Fractional powers on the real branch (as Desmos): odd roots of negatives are real, even roots of
negatives undefined, the same in the parsed expression, its derivatives, the compiled function,
LaTeX and the Taylor jets. The references are numpy's real cube root, plain |x|^(p/q) arithmetic
and central finite differences."""
import pickle

import numpy as np
import pytest
import sympy as sp

from explorer.expressions import ExpressionError, compile_expression, parse_expression, to_latex

X = sp.Symbol("x")
NEG_POS = np.array([-27.0, -8.0, -2.5, -0.3, 0.4, 1.0, 8.0, 30.0])


@pytest.mark.parametrize("text, value", [("(-8)^(1/3)", -2), ("(-8)^(2/3)", 4), ("(-27)^(4/3)", 81),
                                         ("(-32)^(1/5)", -2), ("(-32)^0.2", -2), ("(-8)^(-1/3)", sp.Rational(-1, 2))])
def test_odd_roots_of_negative_numbers_are_real(text, value):
    e = parse_expression(text)
    assert e == value                               # exact, not 1 + i√3
    assert compile_expression(text)(0.0) == pytest.approx(float(value), rel=1e-15)


@pytest.mark.parametrize("text, reference", [
    ("x^(1/3)", np.cbrt),
    ("x^(2/3)", lambda x: np.cbrt(x) ** 2),
    ("x^(4/3)", lambda x: np.cbrt(x) ** 4),
    ("x^(-1/3)", lambda x: 1 / np.cbrt(x)),
    ("x^(5/3) + x", lambda x: np.cbrt(x) ** 5 + x),
    ("x^0.2", lambda x: np.sign(x) * np.abs(x) ** 0.2),
    ("(x - 1)^(1/3)", lambda x: np.cbrt(x - 1)),
])
def test_compiled_values_follow_the_real_branch(text, reference):
    got = compile_expression(text)(NEG_POS)
    np.testing.assert_allclose(got, reference(NEG_POS), rtol=1e-13)
    assert compile_expression(text)(-8.0) == pytest.approx(float(reference(-8.0)), rel=1e-13)
    # the symbolic expression agrees with the compiled one (sympy's exact value at −8)
    assert float(parse_expression(text).subs(X, -8)) == pytest.approx(float(reference(-8.0)), rel=1e-13)


@pytest.mark.parametrize("text", ["x^(1/3)", "x^(2/3)", "x^(4/3)", "x^(-1/3)", "x^(5/3)*sin(x)",
                                  "(x^2 - 3)^(1/3)", "exp(x^(1/3))"])
@pytest.mark.parametrize("x0", [-8.0, -2.5, -0.7, 1.3, 6.0])
def test_derivatives_match_finite_differences(text, x0):
    e = parse_expression(text)
    f = compile_expression(text)
    h = 1e-5 * max(1.0, abs(x0))
    for order in (1, 2):
        d = compile_expression(sp.diff(e, X, order))(x0)
        if order == 1:
            fd = (f(x0 + h) - f(x0 - h)) / (2 * h)
        else:
            h = 1e-3 * max(1.0, abs(x0))
            fd = (f(x0 + h) - 2 * f(x0) + f(x0 - h)) / h ** 2
        assert np.isfinite(d)
        assert d == pytest.approx(fd, rel=1e-5, abs=1e-8), (text, x0, order)


def test_the_cube_root_derivative_at_minus_eight_is_one_twelfth():
    d = sp.diff(parse_expression("x^(1/3)"), X)
    assert d.subs(X, -8) == sp.Rational(1, 12)       # (1/3)·(−8)^(−2/3) on the real branch
    f = compile_expression("x^(1/3)")
    h = 1e-6
    assert (f(-8 + h) - f(-8 - h)) / (2 * h) == pytest.approx(1 / 12, rel=1e-8)
    # at 0 the tangent is vertical: the derivative is undefined, not a made-up number
    assert np.isnan(compile_expression(d)(0.0))
    assert compile_expression("x^(1/3)")(0.0) == 0.0


@pytest.mark.parametrize("text", ["sqrt(-1)", "(-8)^(1/2)", "(-1)^(1/4)", "(-2)^0.5"])
def test_even_roots_of_negative_numbers_are_refused_with_a_reason(text):
    with pytest.raises(ExpressionError) as err:
        parse_expression(text)
    msg = str(err.value)
    assert "negative number is not a real number" in msg and "Traceback" not in msg


@pytest.mark.parametrize("text", ["x^(1/2)", "sqrt(x)", "x^(3/4)", "x^0.5 + 1"])
def test_even_roots_of_negative_values_are_undefined(text):
    v = compile_expression(text)(np.array([-4.0, -0.1, 0.0, 4.0]))
    assert np.isnan(v[0]) and np.isnan(v[1])
    assert np.isfinite(v[2]) and np.isfinite(v[3])


def test_latex_prints_the_power_as_written():
    assert to_latex(parse_expression("x^(1/3)")) == r"\sqrt[3]{x}"
    assert to_latex(parse_expression("x^(4/3)")) == r"x^{\frac{4}{3}}"
    assert to_latex(parse_expression("2x^(2/3) + 1")) == r"2 x^{\frac{2}{3}} + 1"
    assert to_latex(sp.diff(parse_expression("x^(1/3)"), X)) == r"\frac{1}{3 x^{\frac{2}{3}}}"
    assert to_latex(parse_expression("x^(-1/3)")) == r"\frac{1}{\sqrt[3]{x}}"


def test_simplifications_stay_on_the_real_branch():
    assert parse_expression("(x^(1/3))^3") == X
    assert parse_expression("(x^(1/3))^2") == parse_expression("x^(2/3)")
    assert parse_expression("(x^(1/3))^(1/3)") == parse_expression("x^(1/9)")
    # a base that cannot be negative keeps sympy's plain power (nothing to choose)
    for text in ("(x^2 + 1)^(1/3)", "exp(x)^(1/3)", "abs(x)^(1/3)"):
        assert isinstance(parse_expression(text), sp.Pow)
    assert not isinstance(parse_expression("x^(1/3)"), sp.Pow)


def test_expressions_survive_pickling_and_evalf():
    e = parse_expression("x^(1/3) + x^(4/3)")
    for obj in (e, sp.diff(e, X)):
        assert pickle.loads(pickle.dumps(obj)) == obj
    assert e.subs(X, -8) == 14                      # −2 + 16
    assert float(e.evalf(subs={X: -27})) == pytest.approx(78.0)


def test_taylor_coefficients_use_the_same_branch():
    from explorer.taylor.series import taylor_coefficients
    # ∛x at −8: −2, 1/12, f''/2 = (−2/9)(−8)^(−5/3)/2 = 1/288
    assert taylor_coefficients("x^(1/3)", -8, 2) == [-2, sp.Rational(1, 12), sp.Rational(1, 288)]


def test_expressions_sympy_built_itself_are_compiled_on_the_same_branch():
    # sp.root(x, 3) is sympy's principal branch; compiled, it follows the course's real branch too
    f = compile_expression(sp.root(X, 3) + X ** sp.Rational(2, 3))
    np.testing.assert_allclose(f(np.array([-8.0, 8.0])), [-2 + 4, 2 + 4], rtol=1e-14)
    assert np.isnan(compile_expression(sp.sqrt(X))(-1.0))
