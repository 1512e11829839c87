"""The radius of convergence: exact from the singularities of f (the distance from a to the nearest
one, located in the complex plane), R = ∞ for entire functions and polynomials, and a labelled
estimate only where the structure of f is beyond the analysis. Checked against closed forms and
against the root and ratio tests of the exact Taylor coefficients."""
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from explorer import taylor as tx
from explorer.symbolic import SymbolicTimeout
from explorer.taylor import radius as radius_module
from explorer.taylor.singularities import analyse

PI = math.pi
# sin z = −2 at z = −π/2 ± i·acosh 2 (nearest to 0); tanh has poles at ±iπ/2
SIN_PLUS_2 = math.hypot(PI / 2, math.acosh(2))

ENTIRE = ["exp(2*x)", "cosh(x)", "sin(x)^2", "exp(-x^2/2)", "exp(sin(x))", "cos(x^2 + 1)", "sin(x)/x",
          "(1 - cos(x))/x^2", "erf(x)", "2^x", "sqrt(x^2 + 2*x + 1)"]


@pytest.mark.parametrize("text", ENTIRE)
@pytest.mark.parametrize("a", [0.0, 0.7, -1.3])
def test_entire_functions_have_infinite_radius(text, a):
    r = tx.radius_of_convergence(text, a)
    assert r.kind == "entire" and r.known and math.isinf(r.radius), (text, a, r)
    assert r.latex() == r"R = \infty" and "entire" in r.reason and not r.singularities


@pytest.mark.parametrize("text", ["2*x", "x^2", "x^3 - 3*x + 7", "(x - 1)^5"])
def test_polynomials_have_infinite_radius(text):
    r = tx.radius_of_convergence(text, 0.5)
    assert r.kind == "entire" and math.isinf(r.radius) and r.latex() == r"R = \infty"
    assert "polynomial" in r.reason


@pytest.mark.parametrize("text,a,radius,points", [
    ("ln(x)", 0.4, 0.4, [0]),
    ("ln(x)", 2.5, 2.5, [0]),
    ("sqrt(x)", 1.5, 1.5, [0]),
    ("sqrt(x)", 0.3, 0.3, [0]),
    ("1/x", -2.0, 2.0, [0]),
    ("1/x", 0.7, 0.7, [0]),
    ("x^x", 0.7, 0.7, [0]),                              # e^(x ln x): the branch point of ln at 0
    ("x^x", 2.0, 2.0, [0]),
    ("1/(1+x^2)", 0.0, 1.0, [1j, -1j]),
    ("1/(1+x^2)", 1.0, math.sqrt(2), [1j, -1j]),
    ("tan(x)", 0.0, PI / 2, [PI / 2, -PI / 2]),
    ("tan(x)", 1.0, PI / 2 - 1, [PI / 2]),
    ("ln(cos(x))", 0.3, PI / 2 - 0.3, [PI / 2]),
    ("atan(x)", 1.0, math.sqrt(2), [1j, -1j]),
    ("atan(x/2)", 1.0, math.sqrt(5), [2j, -2j]),
    ("asin(x)", 0.5, 0.5, [1]),
    ("x/sin(x)", 0.3, PI - 0.3, [PI]),                   # 0 cancels; the poles at ±π remain
    ("sec(x)", 1.0, PI / 2 - 1, [PI / 2]),
    ("cot(x)", 1.0, 1.0, [0]),
    ("tanh(x)", 0.5, math.hypot(0.5, PI / 2), [PI / 2 * 1j, -PI / 2 * 1j]),
    ("1/(2+sin(x))", 0.0, SIN_PLUS_2, [complex(-PI / 2, math.acosh(2)), complex(-PI / 2, -math.acosh(2))]),
    ("exp(-1/x^2)", 0.5, 0.5, [0]),                      # the essential singularity at 0
    ("ln(1 + x^2)", 0.0, 1.0, [1j, -1j]),
    ("1/(x^2 - 5*x + 6)", 0.0, 2.0, [2]),
    ("abs(x - 2)/(x - 1)", 0.0, 1.0, [1]),               # the piece -(x - 2)/(x - 1) near 0
    ("x^(1/3)", -1.0, 1.0, [0]),                          # the real cube root: a branch point at 0
    ("(x^2 - 1)^(1/3)", 0.5, 0.5, [1]),
    ("x^(4/3) + 1/(x - 3)", 1.0, 1.0, [0]),
    ("1/((x - 2)^3*(x^2 + 1))", 1.5, 0.5, [2]),           # a triple pole
])
def test_exact_radius_is_the_distance_to_the_nearest_singularity(text, a, radius, points):
    r = tx.radius_of_convergence(text, a)
    assert r.kind == "exact" and r.known, (text, a, r)
    assert r.radius == pytest.approx(radius, rel=1e-9)
    assert sorted(r.singularities, key=lambda z: (z.real, z.imag)) == pytest.approx(
        sorted(points, key=lambda z: (complex(z).real, complex(z).imag)), abs=1e-9)
    # the sentence on the page: "R = …" with an equals sign, and the reason names the point
    assert r.latex().startswith("R = ") and r.latex() != r"R = \infty"
    assert "nearest singularit" in r.reason or "singularity" in r.reason


def test_reasons_say_what_the_singularity_is():
    assert "pole at x = 0" in tx.radius_of_convergence("1/x", 1).reason
    assert "branch point at x = 0" in tx.radius_of_convergence("sqrt(x)", 1).reason
    assert "logarithm" in tx.radius_of_convergence("ln(x)", 0.4).reason
    assert "R = the distance from a = 0.4 to it = 0.4" in tx.radius_of_convergence("ln(x)", 0.4).reason
    off = tx.radius_of_convergence("1/(2+sin(x))", 0).reason
    assert "off the real line" in off and "poles" in off and "1.317i" in off
    for text, a in (("abs(x)", 1), ("sqrt((x - 1)^2)", 3), ("max(x, 1)*exp(x)", 0)):
        piece = tx.radius_of_convergence(text, a)     # the series of x, x − 1, eˣ: R = ∞, but not f's
        assert piece.kind == "entire" and piece.reason.startswith("The piece of f at a")
        assert "only as far as f keeps to that piece" in piece.reason
    assert tx.radius_of_convergence("sqrt((x - 1)^2)", 1).kind == "unknown"   # a corner at a
    assert tx.radius_of_convergence("exp(x)*x", 1).reason.startswith("f has no singularity")


def test_polynomial_denominators_against_numpy_roots():
    # 1/(x⁵ + x + 1) and 1/(x⁴ − 2x + 5): R = the distance from a to the nearest root (numpy)
    for text, coeffs, a in (("1/(x^5 + x + 1)", [1, 0, 0, 0, 1, 1], 0.0), ("1/(x^4 - 2*x + 5)", [1, 0, 0, -2, 5], 0.8)):
        roots = np.roots(coeffs)
        r = tx.radius_of_convergence(text, a)
        assert r.kind == "exact" and r.radius == pytest.approx(np.min(np.abs(roots - a)), rel=1e-9)


def test_removable_and_branch_free_points_are_not_singularities():
    # sin x / x and (1 − cos x)/x²: the zero of the denominator cancels; √(x²) is x near a > 0
    for text in ("sin(x)/x", "(1 - cos(x))/x^2", "sqrt(x^2)", "(x^3)^(1/3)", "sqrt((x - 1)^2)"):
        assert analyse(text, 2.5).entire, text
    # √(1/x) and ln(1/x): a zero of a denominator that does not cancel (no limit at 0)
    for text in ("sqrt(1/x)", "ln(1/x)"):
        f = analyse(text, 2.0)
        assert f.radius == pytest.approx(2.0) and f.points == (0j,), text


def test_structure_beyond_the_analysis_falls_back_to_a_labelled_estimate():
    # e^x = x + 2: sympy cannot list the zeros, so the radius is estimated from the coefficients.
    # Its zeros are x = −2 − W_k(−e⁻²) (Lambert W, every branch): the nearest is 1.146…
    zeros = [-2 - complex(mpmath.lambertw(-mpmath.e ** -2, k)) for k in range(-4, 5)]
    true_r = min(abs(z) for z in zeros)
    assert true_r == pytest.approx(1.1462, abs=1e-4)
    e = tx.expand_1d("1/(exp(x)-x-2)", 0, 20)
    r = tx.radius_of_convergence("1/(exp(x)-x-2)", 0, e.coeffs)
    assert r.kind == "estimate" and not r.known and r.latex().startswith(r"R \approx ")
    assert r.radius == pytest.approx(true_r, rel=0.02)
    assert "estimate" in r.reason and "could not be located" in r.reason
    # without coefficients there is nothing to estimate from: not known, no formula
    r = tx.radius_of_convergence("1/(exp(x)-x-2)", 0)
    assert r.kind == "unknown" and r.latex() is None and math.isnan(r.radius)


def test_timeout_falls_back_to_the_estimate(monkeypatch):
    def too_slow(*args, **kwargs):
        raise SymbolicTimeout("the symbolic computation took longer than 2 s")
    monkeypatch.setattr(radius_module, "call", too_slow)
    e = tx.expand_1d("1/(4-x)", 0, 20)
    r = tx.radius_of_convergence("1/(4-x)", 0, e.coeffs)
    assert r.kind == "estimate" and r.radius == pytest.approx(4, rel=1e-6) and "took too long" in r.reason
    assert r.latex() == r"R \approx 4"


def test_estimator_on_known_series():
    # 1/(4 − x): c_k = 4^-(k+1) exactly, so the fit is exact; ln(1 + x/3): R = 3 (c_k ~ 1/k)
    assert tx.estimate_radius([4.0 ** -(k + 1) for k in range(21)]).radius == pytest.approx(4, rel=1e-9)
    log_cs = [0.0] + [(-1) ** (k + 1) / (k * 3.0 ** k) for k in range(1, 41)]
    assert tx.estimate_radius(log_cs).radius == pytest.approx(3, rel=0.1)
    # growing coefficients mean a radius below 1 (not ∞)
    assert tx.estimate_radius([0.5 ** -k for k in range(21)]).radius == pytest.approx(0.5, rel=1e-9)
    assert tx.estimate_radius([1.0, 2.0]).kind == "unknown"


def test_radius_kinds():
    assert tx.Radius(math.nan, [], "", False).kind == "unknown"
    assert tx.Radius(3.0, [], "", False).kind == "estimate"
    assert tx.Radius(math.inf, [], "", True).kind == "entire"
    assert tx.Radius(2.0, [2], "", True).kind == "exact"
    flat = tx.radius_of_convergence("exp(-1/x^2)", 0)        # R = ∞ but not entire: the zero series
    assert flat.kind == "exact" and math.isinf(flat.radius)
    with pytest.raises(ValueError):
        tx.Radius(1.0, [], "", True, "guess")
    assert tx.radius_of_convergence("2*x +", 0).kind == "unknown"   # bad input: no traceback


def _exact_coefficients(text, a, order=40):
    return [abs(float(sp.N(c, 30))) for c in tx.taylor_coefficients(text, a, order, budget=20)]


@pytest.mark.parametrize("text,a,step", [("ln(x)", sp.Rational(2, 5), 1), ("sqrt(x)", 1, 1), ("x^x", 1, 1),
                                         ("ln(cos(x))", 0, 2), ("x/sin(x)", 0, 2)])
def test_ratio_test_of_the_exact_coefficients(text, a, step):
    """One nearest real singularity (or a ± pair, every other coefficient 0): |c_n / c_(n+s)|^(1/s)
    tends to R; at n = 30–38 within 10 %."""
    cs = _exact_coefficients(text, a)
    r = tx.radius_of_convergence(text, float(a)).radius
    ratios = [(cs[n] / cs[n + step]) ** (1 / step) for n in range(30, 39) if cs[n] and cs[n + step]]
    assert len(ratios) >= 4
    assert np.median(ratios) == pytest.approx(r, rel=0.1), (text, ratios, r)


@pytest.mark.parametrize("text,a,derivative", [("1/(1+x^2)", sp.Rational(1, 2), False),
                                               ("1/(2+sin(x))", 0, False), ("atan(x)", 1, True),
                                               ("1/(x^2 - 5*x + 6)", 0, False)])
def test_root_test_of_the_exact_coefficients(text, a, derivative):
    """Cauchy–Hadamard: 1/R = limsup |c_n|^(1/n); over n = 30–40 the largest |c_n|^(1/n) (a complex
    pair makes the coefficients oscillate) gives R within 10 %. For atan the series of its
    derivative (n·c_n: simple poles at ±i) has the same radius."""
    cs = _exact_coefficients(text, a)
    if derivative:
        cs = [n * c for n, c in enumerate(cs)]
    r = tx.radius_of_convergence(text, float(a)).radius
    root = 1 / max(cs[n] ** (1 / n) for n in range(30, 41))
    assert root == pytest.approx(r, rel=0.1), (text, root, r)
