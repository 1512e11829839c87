"""explorer.practice: the answer checker, the drill generators (well-posed over thousands of seeds)
and the marking that names common mistakes."""
import math

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from explorer import practice as P
from explorer.expressions import ExpressionError, parse_expression


# ---------------------------------------------------------------------------------------------
# check_answer (the contract)
@pytest.mark.parametrize("expected, answer", [
    ("2*x*cos(x^2)", "cos(x**2)*2x"),
    ("2*x*cos(x^2)", "2 x cos(x²)"),
    ("sin(x)^2", "1 - cos(x)^2"),
    ("exp(2x)", "exp(x)^2"),
    ("1/(1+x)", "1/(x+1)"),
    ("ln(x^2+1)", "log(x^2 + 1)"),
    ("tanh(x)", "(exp(x) - exp(-x))/(exp(x) + exp(-x))"),
])
def test_equivalent_forms_are_accepted(expected, answer):
    assert P.check_answer(expected, answer)


@pytest.mark.parametrize("expected, answer", [
    ("2*x*cos(x^2)", "cos(x^2)"),            # dropped chain-rule factor
    ("2*x*cos(x^2)", "-2*x*cos(x^2)"),       # sign
    ("2*x*cos(x^2)", "2*x*sin(x^2)"),
    ("x^2", "x^2 + 1e-6"),                   # close is not equal
    ("exp(x)", "1 + x + x^2/2 + x^3/6"),
])
def test_wrong_answers_are_rejected(expected, answer):
    assert not P.check_answer(expected, answer)


@pytest.mark.parametrize("bad", ["", "x^^2", "__import__('os')", "sin", "2x +", "y", "x = 2", "(" * 60,
                                 "é", "\u202e x", "9" * 20, None, 42])
def test_bad_answer_text_never_raises(bad):
    assert P.check_answer("2x", bad) is False


def test_several_variables():
    assert P.check_answer("2*x*y + y^2", "y(2x + y)", ("x", "y"))
    assert not P.check_answer("2*x*y + y^2", "y(2x + y)", ("x",))      # y is not a variable here


def test_numbers_within_three_significant_figures():
    assert P.check_number("1/7", "0.143")
    assert P.check_number("1/7", "1/7")
    assert not P.check_number("1/7", "0.15")
    assert not P.check_number("1/720", "0")
    assert P.check_number("exp(2)/2", "e^2/2")
    with pytest.raises(ExpressionError):
        P.check_number("1/7", "x")


# ---------------------------------------------------------------------------------------------
# Generators: deterministic, and always well-posed
def test_generation_is_deterministic_and_seeded():
    a, b = P.generate("taylor", 2, 11, 3), P.generate("taylor", 2, 11, 3)
    assert a == b
    latexes = {P.generate("derivatives", 2, s, 1).latex for s in range(30)}
    assert len(latexes) > 20, "different sets give different questions"


def _finite_somewhere(expr, variables) -> bool:
    from explorer.expressions import compile_expression
    rng = np.random.default_rng(1)
    pts = [rng.uniform(-2, 2, 50) for _ in variables]
    vals = compile_expression(expr, variables)(*pts)
    return np.isfinite(vals).mean() > 0.5


def test_thousands_of_questions_are_well_posed():
    count = 0
    for module in P.MODULES:
        for level in P.DIFFICULTIES:
            for seed in range(120):
                q = P.generate(module, level, seed, 1 + seed % 7)
                count += 1
                assert q.module == module and q.steps and q.parts and q.prompt and q.latex
                for part in q.parts:
                    if part.kind == "number":
                        v = parse_expression(part.answer, ())
                        assert not v.free_symbols
                        assert math.isfinite(float(v)), (module, level, seed, part)
                    else:
                        e = parse_expression(part.answer, part.variables)   # answer text round-trips
                        assert not e.has(sp.zoo, sp.nan, sp.oo)
                        assert _finite_somewhere(e, part.variables), (module, level, seed, part)
                for m in q.mistakes:
                    assert len(m.answers) == len(q.parts) and m.name and m.explanation
    assert count >= 2000


def test_answers_simplify_quickly():
    # sympy can simplify a sample of answers (the marking path) in reasonable time
    for module in P.MODULES:
        for seed in range(4):
            q = P.generate(module, 3, seed, 1)
            for part in q.parts:
                e = parse_expression(part.answer, part.variables if part.kind == "expression" else ())
                assert sp.simplify(e - e) == 0


def test_mixed_module_covers_every_module():
    assert {P.generate("mixed", 2, s, 1).module for s in range(60)} == set(P.MODULES)


# ---------------------------------------------------------------------------------------------
# The mathematics of the answers, against independent references
def test_least_squares_matches_scipy():
    for seed in range(40):
        q = P.generate("regression", 1 + seed % 3, seed, 1)
        xs, ys = zip(*q.points)
        ref = stats.linregress(xs, ys)
        m = float(parse_expression(q.parts[0].answer, ()))
        c = float(parse_expression(q.parts[1].answer, ()))
        assert m == pytest.approx(ref.slope, rel=1e-12, abs=1e-12)
        assert c == pytest.approx(ref.intercept, rel=1e-12, abs=1e-12)


def test_taylor_coefficients_match_sympy_series():
    x = sp.Symbol("x")
    seen = 0
    for seed in range(45):
        q = P.generate("taylor", 1 + seed % 3, seed, 1)
        f = parse_expression(q.function, ("x",))
        k = int(q.parts[0].label.split("_")[1].split()[0])
        x0 = int(q.prompt.split("x₀ = ")[1].rstrip(":"))
        series = sp.series(f, x, x0, k + 1).removeO().subs(x, x + x0).expand()
        ref = series.coeff(x, k)
        got = parse_expression(q.parts[0].answer, ())
        assert float(got) == pytest.approx(float(ref), rel=1e-12, abs=1e-12), (seed, q.latex)
        seen += 1
    assert seen == 45


def test_newton_step_agrees_with_finite_differences():
    seen = 0
    for seed in range(60):
        q = P.generate("optimisation", 1 + seed % 3, seed, 1)
        if q.kind != "Newton-Raphson step":
            continue
        fx = sp.lambdify(sp.Symbol("x"), parse_expression(q.function, ("x",)))
        x0 = float(sp.Rational(q.prompt.split("x₀ = ")[1].rstrip(":")))
        h = 1e-6
        slope = (fx(x0 + h) - fx(x0 - h)) / (2 * h)
        assert abs(slope) > 0.1, "no division by (nearly) zero"
        x1 = float(parse_expression(q.parts[0].answer, ()))
        assert x1 == pytest.approx(x0 - fx(x0) / slope, rel=1e-6, abs=1e-6)
        seen += 1
    assert seen > 30


# ---------------------------------------------------------------------------------------------
# Marking
def test_mark_accepts_the_answer_and_names_each_mistake():
    named = set()
    for module in P.MODULES:
        for seed in range(5):
            q = P.generate(module, 2 + seed % 2, seed, 2)
            fb = P.mark(q, [p.answer for p in q.parts])
            assert fb.correct and not fb.unreadable and fb.mistake is None
            for m in q.mistakes:
                typed = [w if w is not None else p.answer for w, p in zip(m.answers, q.parts)]
                fb = P.mark(q, typed)
                assert not fb.correct
                assert fb.mistake is not None, (module, seed, m.name)
                named.add(fb.mistake.name)
    assert "a dropped chain-rule factor" in named or any("chain" in n for n in named)
    assert "a sign error" in named


def test_mark_names_forgetting_the_factorial():
    for seed in range(50):
        q = P.generate("taylor", 2, seed, 1)
        m = next((m for m in q.mistakes if m.name == "forgetting the 1/k!"), None)
        if m is not None:
            assert P.mark(q, [m.answers[0]]).mistake.name == "forgetting the 1/k!"
            return
    pytest.fail("no Taylor question with a distinguishable 1/k! mistake")


def test_mark_names_a_dropped_chain_factor():
    q = next(q for q in (P.generate("derivatives", 2, s, 1) for s in range(200)) if q.kind == "chain rule")
    m = next(m for m in q.mistakes if m.name == "a dropped chain-rule factor")
    assert P.mark(q, [m.answers[0]]).mistake is m


def test_mark_reports_unreadable_text_with_the_parser_message():
    q = P.generate("derivatives", 1, 0, 1)
    fb = P.mark(q, ["x^2 + ("])
    assert not fb.correct and fb.unreadable
    assert "never closed" in fb.parts[0].error
    q2 = P.generate("regression", 1, 0, 1)
    fb = P.mark(q2, ["1/2"])                 # a missing part is wrong, not an exception
    assert not fb.correct and len(fb.parts) == 2


# ---------------------------------------------------------------------------------------------
# Progress through a set (the page's score and what each question shows)
def _feedback(correct: bool, error: str | None = None) -> P.Feedback:
    return P.Feedback(correct, (P.PartResult(correct, error),))


def test_only_the_first_attempt_at_a_question_counts():
    s = P.Progress()
    s.checked("q1", _feedback(False))
    s.checked("q1", _feedback(True))              # right on the second try: still wrong
    assert (s.tried, s.right, s.streak) == (1, 0, 0)
    assert s.outcome("q1").feedback.correct, "the latest feedback is what the question shows"
    s.checked("q2", _feedback(True))
    assert (s.tried, s.right, s.streak, s.best) == (2, 1, 1, 1)


def test_streak_best_and_hot():
    s = P.Progress()
    for i in range(4):
        s.checked(f"q{i}", _feedback(True))
    assert (s.streak, s.best) == (4, 4) and s.hot
    s.revealed("q9")                               # showing the solution first counts as wrong
    assert (s.tried, s.right, s.streak, s.best) == (5, 4, 0, 4) and not s.hot
    assert s.outcome("q9").feedback is None and s.outcome("q9").shows_solution
    s.revealed("q0")                               # after a right first attempt: nothing changes
    assert (s.tried, s.right) == (5, 4)


def test_an_unreadable_answer_does_not_count_and_hides_the_solution():
    s = P.Progress()
    s.checked("q1", _feedback(False, "never closed"))
    assert (s.tried, s.right) == (0, 0) and "q1" not in s.done
    assert not s.outcome("q1").shows_solution
    assert s.outcome("other") is None


def test_blank_answers():
    assert P.blank(["", "  "]) and P.blank([])
    assert not P.blank(["", "0"])


def test_moving_through_sets():
    assert P.next_number(1) == 2 and P.next_number(P.MAX_NUMBER) == P.MAX_NUMBER
    assert all(1 <= P.new_set() <= P.MAX_SET for _ in range(50))


def test_answer_line_and_part_texts():
    q = P.generate("regression", 1, 0, 1)
    assert q.answer_latex.startswith(r"\text{slope m =}\ ") and r",\qquad \text{intercept c =}\ " in q.answer_latex
    assert q.parts[0].name == "slope m" and q.parts[0].placeholder == "a number"
    assert q.parts[0].hint == P.NUMBER_HINT and q.parts[0].parse_variables == ()
    part = P.Part("f′(x) =", "2*x*y", variables=("x", "y"))
    assert part.placeholder == "an expression in x, y" and part.hint == P.ANSWER_HINT
    assert P.Part("{weird}$ =", "1").name == "{weird}$"
    assert P.Question("m", "k", "p", "l", (P.Part("a_b^{c} =", "1"),), ()).answer_latex == r"\text{abc =}\ 1"


def test_points_figure_is_valid_and_shows_only_the_points():
    from explorer.figures import fastfig
    from explorer.figures.practice import points_figure
    q = P.generate("regression", 2, 5, 1)
    fig = fastfig.validate(points_figure(q))
    assert len(fig.data) == 1 and fig.data[0].mode == "markers"
    assert list(zip(fig.data[0].x, fig.data[0].y)) == list(q.points)


def test_least_squares_line_by_hand_matches_scipy():
    from fractions import Fraction
    from explorer.practice.generators.regression import least_squares_line
    xs, ys = [0, 1, 3, 4, 7], [2, -1, 5, 4, 9]
    m, c = least_squares_line(xs, ys)
    ref = stats.linregress(xs, ys)
    assert isinstance(m, Fraction) and float(m) == pytest.approx(ref.slope) and float(c) == pytest.approx(ref.intercept)
    with pytest.raises(ValueError):
        least_squares_line([2, 2], [1, 3])


def test_worked_steps_print_small_decimals_as_powers_of_ten():
    # a neuron deep in tanh's flat tail: the decimal beside the exact value is LaTeX, not 2.458e-05
    q = P.generate("chain-rule", 2, 4, 2)
    assert q.kind == "a neuron's derivative"
    assert q.steps[-1].latex.endswith(r"\approx 2.458 \times 10^{-5}")
    # and a negative value after · or + is bracketed: 2·(−2) + (−2), not 2·-2 + -2
    q = P.generate("chain-rule", 2, 22, 3)
    assert r"z = 2\cdot \left(-2\right) + \left(-2\right) = -6" in q.steps[1].latex


# ---------------------------------------------------------------------------------------------
# Numbers are marked by significant figures (explorer.practice.checking)
@pytest.mark.parametrize("expected, answer, right", [
    ("pi", "3.14", True), ("pi", "3.16", False),       # a flat 0.6 % tolerance let 3.16 pass
    ("pi", "3.15", False), ("pi", "3.1", False),       # 3.1 is 3.10 to 3 s.f.
    ("pi", "3.1416", True), ("pi", "pi", True), ("pi", "π", True),
    ("E", "2.72", True), ("E", "2.71", False), ("E", "2.718", True), ("E", "e", True),
    ("123/1000000", "0.000123", True), ("123/1000000", "1.23e-4", True), ("123/1000000", "1.23E-4", True),
    ("123/1000000", "1.24e-4", False), ("0.000123", "1.23e-4", True), ("1.23e-4", "0.000123", True),
    ("247/2000", "0.124", True), ("247/2000", "0.123", False),    # 0.1235: halves away from zero
    ("-247/2000", "-0.124", True), ("-247/2000", "-0.123", False),
    ("9996/1000", "10.0", True), ("9996/1000", "9.99", False),    # rounding up to a new digit
    ("exp(2)/2", "e^2/2", True), ("exp(2)/2", "3.69", True), ("exp(2)/2", "3.70", False),
    ("1/720", "0", False), ("0", "0", True), ("0", "0.0001", False),
])
def test_numbers_are_marked_by_significant_figures(expected, answer, right):
    assert P.check_number(expected, answer) is right


def test_significant_figures_against_mpmath_on_random_values():
    import mpmath
    from fractions import Fraction
    rng = np.random.default_rng(18)
    for _ in range(300):
        exact = sp.Rational(int(rng.integers(1, 10**9)) * int(rng.choice([-1, 1])),
                            int(rng.integers(1, 10**9))) * sp.Rational(10) ** int(rng.integers(-6, 6))
        with mpmath.workdps(40):
            v = mpmath.mpf(exact.p) / exact.q
        # the reference: mpmath's 3 significant digits of the exact value (not at a half: random)
        three = mpmath.nstr(v, 3, strip_zeros=False, min_fixed=-mpmath.inf, max_fixed=mpmath.inf)
        ulp = Fraction(10) ** (int(mpmath.floor(mpmath.log10(abs(v)))) - 2)
        assert P.check_number(exact, three), (exact, three)
        assert not P.check_number(exact, str(Fraction(three) + ulp)), (exact, three)
        assert not P.check_number(exact, str(Fraction(three) - ulp)), (exact, three)
    # the exact value in another form is right at any figures
    assert P.check_number(sp.Rational(1, 3), "2/6", sig_figs=10)


def test_more_significant_figures_are_asked_when_a_part_says_so():
    assert P.check_number("pi", "3.14") and not P.check_number("pi", "3.14", sig_figs=4)
    assert P.check_number("pi", "3.142", sig_figs=4)
    m = P.mark_number("pi", "3.1", sig_figs=2)
    assert m.correct and not m.exact and m.rounded == "3.1"


def test_rounded_values_are_written_with_their_figures():
    assert [P.mark_number(e, "1").rounded for e in ("pi", "13/10", "2", "1/7", "12345", "0.0000123456")] == \
        ["3.14", "1.30", "2.00", "0.143", "1.23×10⁴", "1.23×10⁻⁵"]
    assert P.mark_number("pi", "3.155").answer_rounded == "3.16"


def _number_question(answer: str, sig_figs: int = 3) -> P.Question:
    return P.Question("taylor", "k", "p", "l", (P.Part("c =", answer, "number", (), sig_figs),), ())


def test_marking_a_decimal_says_what_the_answer_is_to_those_figures():
    q = _number_question("pi")
    fb = P.mark(q, ["3.16"])
    assert not fb.correct and not fb.unreadable
    assert fb.parts[0].note == r"$\pi$ to 3 s.f. is 3.14; your answer to 3 s.f. is 3.16."
    fb = P.mark(q, ["3.14"])
    assert fb.correct and fb.parts[0].note == r"$\pi$ to 3 s.f. is 3.14."
    fb = P.mark(q, ["pi"])
    assert fb.correct and fb.parts[0].note is None, "an exact answer needs no note"
    fb = P.mark(_number_question("E"), ["2.72"])
    assert fb.correct and fb.parts[0].note == "$e$ to 3 s.f. is 2.72."
    assert P.mark(_number_question("pi", 4), ["3.14"]).parts[0].note.startswith(r"$\pi$ to 4 s.f. is 3.142;")
    assert P.Part("c =", "pi", "number", (), 4).hint.startswith("An exact value") and "4 significant" in \
        P.Part("c =", "pi", "number", (), 4).hint


# ---------------------------------------------------------------------------------------------
# What a check says (explorer.practice.scoring: the page shows this text)
def test_right_after_a_wrong_first_try_says_it_does_not_score():
    q = _number_question("1/7")
    s = P.Progress()
    s.checked("q1", P.mark(q, ["0.15"]))
    wrong = s.verdict("q1", ["c"])
    assert wrong.startswith("**Not quite** (c).") and r"$\frac{1}{7}$ to 3 s.f. is 0.143" in wrong
    s.checked("q1", P.mark(q, ["1/7"]))
    text = s.verdict("q1", ["c"])
    assert "Right!" not in text
    assert text.startswith("**Right** — but only first tries score") and "first try at this question was wrong" in text
    assert "Score: 0 / 1." in text and (s.right, s.tried) == (0, 1)


def test_right_on_the_first_try_and_after_showing_the_solution():
    q = _number_question("1/7")
    s = P.Progress()
    s.checked("q1", P.mark(q, ["0.143"]))
    assert s.verdict("q1", ["c"]) == r"**Right!** That is the answer. $\frac{1}{7}$ to 3 s.f. is 0.143."
    s.revealed("q2")
    s.checked("q2", P.mark(q, ["1/7"]))
    text = s.verdict("q2", ["c"])
    assert "only first tries score" in text and "solution was shown" in text and "Score: 1 / 2." in text
    s.revealed("q1")                      # showing the solution after a right first try: still right
    s.checked("q1", P.mark(q, ["1/7"]))
    assert s.verdict("q1", ["c"]).startswith("**Right!**")


def test_several_parts_name_the_part_of_each_note():
    q = P.Question("regression", "k", "p", "l",
                   (P.Part("slope m =", "13/7", "number", ()), P.Part("intercept c =", "2", "number", ())), ())
    s = P.Progress()
    s.checked("q", P.mark(q, ["1.86", "2"]))
    assert s.verdict("q", ["slope m", "intercept c"]) == \
        r"**Right!** That is the answer. slope m: $\frac{13}{7}$ to 3 s.f. is 1.86."


def test_unreadable_answers_are_shown_escaped_and_without_a_verdict():
    q = P.generate("derivatives", 1, 0, 1)
    s = P.Progress()
    s.checked("q", P.mark(q, ["x**^2"]))
    assert s.verdict("q", ["f′(x)"]) is None
    assert s.read_errors("q", ["f′(x)"]) == [
        r"**Cannot read the answer for f′(x):** '^' cannot follow '\*\*' (position 4): one power sign is "
        "enough, e.g. x^2."]
    assert s.read_errors("nothing", ["f′(x)"]) == [] and s.verdict("nothing", ["f′(x)"]) is None


def test_the_answer_hint_promises_only_what_the_parser_reads():
    for typed in ("2x", "x sin(x)", "xe^x", "2πx", "x y", "sin(x)"):
        parse_expression(typed, ("x", "y"))
    for refused in ("xy", "sinx"):
        with pytest.raises(ExpressionError):
            parse_expression(refused, ("x", "y"))
    assert all(s in P.ANSWER_HINT for s in ("xe^x", "2πx", "(x y)", "sin(x)"))
