"""The page's self-check: "differentiate this" and "match the graph" questions, how an answer
is marked, and a "what to notice" line for a candidate graph of f′."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from explorer.derivatives.breaks import zeros
from explorer.derivatives.core import VARS, X, derivative_expression
from explorer.derivatives.presets import MATCH_POOL
from explorer.derivatives.random_expressions import random_expression
from explorer.derivatives.steps import derivative_steps
from explorer.expressions import ExpressionError, compile_expression, parse_expression, to_latex
from explorer.numbers import nice


@dataclass
class DiffQuestion:
    text: str            # f as parser text
    latex: str
    answer: str          # f' as parser text (simplified)
    answer_latex: str


def _nice_enough(e: sp.Expr) -> bool:
    return e.has(X) and 2 <= sp.count_ops(e) <= 9 and not e.has(sp.zoo, sp.nan)


def differentiate_question(seed: int, previous: str | None = None) -> DiffQuestion:
    """A "differentiate this" question from ``seed``; never the same f as ``previous``."""
    rng = np.random.default_rng(seed)
    for _ in range(200):
        e = random_expression(rng, depth=2)
        text = sp.sstr(e)
        if not _nice_enough(e) or text == previous:
            continue
        der = derivative_steps(text)
        ans = sp.sstr(der.result)
        try:
            parse_expression(ans, VARS)
        except ExpressionError:
            continue
        return DiffQuestion(text, to_latex(e), ans, to_latex(der.result))
    fallback = "x^3" if previous != "x**3" else "sin(x^2)"
    e = parse_expression(fallback, VARS)
    d = derivative_steps(fallback).result
    return DiffQuestion(sp.sstr(e), to_latex(e), sp.sstr(d), to_latex(d))


def check_derivative_answer(question: DiffQuestion, answer: str) -> bool:
    """Is the typed ``answer`` equal to the question's f′ (False for text that does not parse)?"""
    from explorer.practice import check_answer      # on first use: the practice module is large
    return check_answer(question.answer, answer, VARS)


@dataclass
class MatchQuestion:
    f_text: str
    options: list[str]     # candidate f' texts
    correct: int           # index of the true f'
    labels: list[str]      # "A", "B", ...

    @property
    def answer_latex(self) -> str:
        """f and its derivative, for the reveal after a check."""
        f, d = (to_latex(parse_expression(t, VARS)) for t in (self.f_text, self.options[self.correct]))
        return rf"f(x) = {f} \quad\Rightarrow\quad f'(x) = {d}"


def _distinct(a: str, b: str) -> bool:
    xs = np.linspace(-2.9, 2.9, 59)
    ya, yb = compile_expression(a, VARS)(xs), compile_expression(b, VARS)(xs)
    ok = np.isfinite(ya) & np.isfinite(yb)
    return ok.sum() < 10 or float(np.max(np.abs(ya[ok] - yb[ok]))) > 0.3


def match_question(seed: int, previous: str | None = None, n_options: int = 4) -> MatchQuestion:
    """Pick f from ``MATCH_POOL`` (never ``previous``) and ``n_options`` candidate graphs of f'."""
    rng = np.random.default_rng(seed)
    pool = [p for p in MATCH_POOL if p != previous]
    f_text = str(rng.choice(pool))
    right = sp.sstr(derivative_expression(f_text))
    distractors = [f_text, sp.sstr(-parse_expression(right, VARS))]
    distractors += [sp.sstr(derivative_expression(p)) for p in rng.permutation(MATCH_POOL) if p != f_text]
    chosen = [right]
    for cand in distractors:
        if len(chosen) == n_options:
            break
        if all(_distinct(cand, c) for c in chosen):
            chosen.append(cand)
    order = rng.permutation(len(chosen))
    options = [chosen[i] for i in order]
    return MatchQuestion(f_text, options, int(np.nonzero(order == 0)[0][0]),
                         [chr(ord("A") + i) for i in range(len(options))])


def candidate_note(text: str, lo: float = -3.0, hi: float = 3.0) -> str:
    """A "what to notice" line for a candidate f′ graph: where it is zero (f flat) and its sign."""
    zs = [z for z in zeros(compile_expression(text, VARS), lo, hi) if lo < z < hi]
    if not zs:
        x = np.linspace(lo, hi, 61)
        y = compile_expression(text, VARS)(x)
        sign = "positive" if np.nanmin(y) > 0 else "negative" if np.nanmax(y) < 0 else "never zero"
        return f"never zero here ({sign}): f would have no flat spot on this window."
    shown = ", ".join(nice(z, 3) for z in zs[:4]) + (" …" if len(zs) > 4 else "")
    return f"zero at x ≈ {shown}: f would be flat exactly there."



@dataclass
class Verdict:
    kind: str               # "right", "wrong" or "unreadable"
    message: str            # what the learner reads


def mark_derivative_answer(question: DiffQuestion, answer: str) -> Verdict | None:
    """Mark a typed f′ (None for an empty answer): right, wrong, or unreadable with the parser's reason."""
    if not answer.strip():
        return None
    try:
        parse_expression(answer, VARS)
    except ExpressionError as err:
        return Verdict("unreadable", f"**Cannot read that answer:** {err}")
    if check_derivative_answer(question, answer):
        return Verdict("right", "Correct!")
    return Verdict("wrong", "Not equal to f′ — compare with the worked steps below.")


def mark_match(question: MatchQuestion, pick: str) -> Verdict:
    """Mark the label picked in a match-the-graph question."""
    right = question.labels[question.correct]
    if pick == right:
        return Verdict("right", f"Right: {right} is f′.")
    return Verdict("wrong", f"Not quite: {pick} is not f′, {right} is.")
