"""Grammar-based fuzz of typed expressions (issue #22): huge and tiny numbers, deep nesting, every
function with right and wrong arities, powers, unicode superscripts and look-alikes, and injection
strings, fed to the parser and to the computations the pages run on a typed function.

The only exception allowed is the parser's ``ExpressionError``, with a non-empty message; an
accepted expression compiles and evaluates to floats (NaN where undefined) without raising.
A short, reproducible run here (``derandomize``); ``benchmarks/fuzz_input.py`` runs it longer and
reports what it tried.
"""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import explorer.chain_rule as cr
import explorer.multivariate as mv
import explorer.taylor as tx
from explorer.expressions import FUNCTIONS, ExpressionError, compile_expression, parse_expression
from explorer.expressions.budget import MAX_KINKS, MAX_TERMS, expanded_terms, kink_depth
from explorer import symbolic
from explorer.symbolic import SymbolicTimeout

XY = ("x", "y")
NUMBERS = ["0", "1", "2", "0.5", "3.14159", "1e12", "1e13", "1e308", "1e-308", "1e-400", "1e400",
           "10^100", "10^-100", "999999999999", "0.000001", "7", "100", ".5", "2.", "1e+5"]
LEAVES = ["x", "y", "pi", "e", "E", "π", "ｘ", "x²", "x¹⁰", "y²³", "x⁻¹", "2x", "3xy", "x y", "√x"]
INJECTIONS = ["__import__('os')", "x.__class__", "lambda: 1", "'a'", "x; y", "x\u202e", "x\x00",
              "open('/etc/passwd')", "[x]", "x if x else y", "x == y", "x := 1", "{}", "@x", "$x",
              "x % 2", "x // 2", "∞", "\U0001F600", "zoo", "nan", "I", "oo", "x\u200b"]
NAMES = sorted(FUNCTIONS)


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


def expressions(max_leaves: int = 12) -> st.SearchStrategy[str]:
    """Typed text from a small grammar of what a visitor (or an attacker) might type."""
    leaf = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(LEAVES),
                     st.integers(-10**15, 10**15).map(str),
                     st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr))

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "^", "**", " ", ""]), children) \
            .map(lambda t: f"{t[0]}{t[1]}{t[2]}")
        power = st.tuples(children, st.sampled_from(["^100", "^-100", "^101", "^(1/3)", "^0.5", "^x",
                                                     "²", "¹⁰", "⁻²", "^^2"])).map("".join)
        call = st.tuples(st.sampled_from(NAMES + ["foo", "gamma", "sinx"]),
                         st.lists(children, min_size=1, max_size=3)).map(lambda t: _call(*t))
        nested = st.tuples(st.sampled_from(["abs", "exp", "sign", "sin", "log", "sqrt"]), children,
                           st.integers(1, 45)).map(lambda t: f"{t[0]}(" * t[2] + t[1] + ")" * t[2])
        return st.one_of(binary, power, call, nested,
                         children.map(lambda c: f"({c})"), children.map(lambda c: f"-{c}"))

    grammar = st.recursive(leaf, extend, max_leaves=max_leaves)
    others = [st.sampled_from(INJECTIONS), st.tuples(grammar, st.sampled_from(INJECTIONS)).map("".join),
              st.text(max_size=40)]
    # 7 in 10 from the grammar, the rest injections and arbitrary text
    return st.integers(0, 9).flatmap(lambda i: grammar if i < 7 else others[i - 7])


def kind_of(text: str) -> str:
    """A coarse label of a generated text (for the benchmark's report)."""
    if any(s in text for s in INJECTIONS):
        return "injection"
    if any(ch in text for ch in "²³¹⁰⁻ｘπ√"):
        return "unicode"
    if text.count("(") >= 10:
        return "deep"
    if any(n in text for n in ("1e308", "1e400", "10^100", "1e13", "^100", "^101")):
        return "huge/tiny"
    if any(f"{n}(" in text for n in NAMES):
        return "functions"
    return "plain"


def check_one(text: str, pages: bool = True) -> str:
    """Feed one text to the parser and the page computations; returns "accepted" or "refused".
    Raises AssertionError (or the unexpected exception) on a defect."""
    try:
        expr = parse_expression(text, XY)
    except ExpressionError as err:
        assert str(err).strip(), f"empty refusal message for {text!r}"
        return "refused"
    assert isinstance(expr, sp.Expr)
    # what the parser accepted is within the budget
    assert expanded_terms(expr)[1] is None and kink_depth(expr) <= MAX_KINKS
    assert all(abs(n) <= 1e300 for n in expr.atoms(sp.Number) if n.is_finite)
    f = compile_expression(text, XY)
    grid = np.linspace(-3, 3, 7)
    with np.errstate(all="ignore"):
        z = f(grid[:, None], grid[None, :])
    assert z.shape == (7, 7) and z.dtype == np.float64 and not np.isinf(z).any()
    if pages:
        g = mv.surface(text, (-2.0, 2.0), (-2.0, 2.0), n=9)
        assert g is not None
        cr.contour_grid(text, n=9)
        try:     # the multivariate page: ∇f and H in the worker, then the point analysed
            mv.analyse_point(mv.derivatives(text, timeout=1.0), 0.5, 0.5)
        except SymbolicTimeout:
            pass  # the page says so and draws what it can
        loc = tx.local_2d(text, (0.5, 0.5), timeout=1.0)    # the Taylor page's g
        assert loc.ok or loc.message
    return "accepted"


@pytest.fixture(scope="module", autouse=True)
def warm_worker():
    """Start the symbolic worker before the timed examples (its cold start is not their work)."""
    symbolic.warm_up()
    mv.derivatives("x*y + 1", timeout=60.0)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(expressions())
def test_typed_expressions_never_raise_anything_but_a_refusal(text):
    # the server's own work (CPU of this process): the symbolic parts wait for the worker, which
    # has its deadline (1 s here) and does not hold up other sessions
    cpu = time.process_time()
    check_one(text)
    assert time.process_time() - cpu <= 2.0, f"{text!r} took {time.process_time() - cpu:.2f} s CPU"


def test_the_grammar_reaches_both_outcomes_and_every_kind():
    """A fuzz that only ever produced refusals (or only one kind of text) would test little."""
    from hypothesis import find
    for kind in ("injection", "unicode", "deep", "huge/tiny", "functions"):
        find(expressions(), lambda t, k=kind: kind_of(t) == k, settings=settings(derandomize=True, database=None,
                                                                                 max_examples=2000))
    find(expressions(), lambda t: check_one(t, pages=False) == "accepted" and "(" in t,
         settings=settings(derandomize=True, database=None, max_examples=2000))
    assert MAX_TERMS >= 100
