"""explorer.numbers: the one place numbers are rounded and printed."""
import math

import numpy as np
import pytest

from explorer.numbers import nice, nice_text, round_sig, round_to_scale, subscript, superscript, tex_number


def test_round_sig_gives_the_float_that_g_formatting_reads():
    rng = np.random.default_rng(1)
    v = rng.standard_normal(5000) * 10.0 ** rng.integers(-12, 12, 5000)
    for digits in (2, 4, 6):
        expected = np.array([float(f"{x:.{digits}g}") for x in v])
        assert np.array_equal(round_sig(v, digits), expected)


def test_round_sig_keeps_zero_nan_infinities_and_extremes():
    out = round_sig([0.0, np.nan, np.inf, -np.inf, 1e-310, 5e300], 3)
    assert out[0] == 0 and math.isnan(out[1]) and out[2] == np.inf and out[3] == -np.inf
    assert out[4] == 1e-310 and out[5] == 5e300


def test_round_to_scale_rounds_relative_to_the_largest_value():
    assert round_to_scale([123.456, 0.0123, np.nan], 4).tolist()[:2] == [123.5, 0.0]
    assert round_to_scale([0.0012345, 0.0000123], 3).tolist() == [0.00123, 0.00001]
    assert round_to_scale([0.0, 0.0], 4).tolist() == [0.0, 0.0]
    assert math.isnan(round_to_scale([np.nan], 4)[0])


@pytest.mark.parametrize("value, plain, prose, tex", [
    (1.5e-9, "1.5×10^-9", "1.5×10⁻⁹", r"1.5 \times 10^{-9}"),
    (2.5e10, "2.5×10^10", "2.5×10¹⁰", r"2.5 \times 10^{10}"),
    (-0.0, "0", "0", "0"),
    (3.14159265, "3.14159", "3.14159", "3.142"),
    (float("nan"), "undefined", "undefined", r"\text{undefined}"),
])
def test_numbers_in_text_and_latex(value, plain, prose, tex):
    assert nice(value) == plain
    assert nice_text(value) == prose
    assert tex_number(value) == tex


def test_infinities_and_scripts():
    assert nice(math.inf) == "+∞" and nice(-math.inf) == "−∞" and tex_number(math.inf) == r"\text{undefined}"
    assert subscript(12) == "₁₂" and superscript(-2) == "⁻²" and superscript("10") == "¹⁰"
