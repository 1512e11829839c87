"""Module 1, "What is calculus?": rise over run, finite differences, the gradient function,
non-differentiable points, the derivative from its definition, the rules step by step, and drills.

Everything here works on the *text* of a function of ``x`` (parsed by the safe parser), so results
are cheap to cache by text. Nothing here imports streamlit. One concept per module:

- ``core``         symbols, f′ of a text (exact from sympy, or numeric when sympy times out)
- ``presets``      the page's presets, the match-the-graph pool, ``curve``
- ``differences``  ``secant(text, x0, h)`` -> ``Secant``; ``difference_errors(text, x0)`` ->
                   ``DifferenceErrors`` (forward/central error against h, best h)
- ``breaks``       ``break_points(text, lo, hi)`` -> ``BreakPoint``s with left/right limits of f, f′
- ``limits``       one-sided limits the samples cannot settle: sympy's limit, oscillation
- ``gradient``     ``gradient_data(text, lo, hi)`` -> ``GradientData`` (f and f′ on a grid)
- ``definition``   ``difference_quotient(text)`` -> ``QuotientResult`` (the quotient, the algebra step
                   by step, its limit)
- ``steps``        ``derivative_steps(f)`` -> ``Derivation`` (each step names its rule), ``rules_table``
- ``drills``       "differentiate this" and "match the graph" questions and their marking
- ``latex``        the page's formulas with numbers in them, the working from the definition
- ``rules_table``  the standard derivatives and ``RULES_LATEX`` (the rules in one place)
- ``random_expressions``  random functions of x (for drills and the sympy cross-check)
"""
from explorer.derivatives.breaks import BreakPoint, break_points, side_limit
from explorer.derivatives.core import (EPS, VARS, XR, X, derivative_expression,
                                       derivative_function)
from explorer.derivatives.definition import (QuotientAttempt, QuotientResult, difference_quotient,
                                             numeric_quotient, try_difference_quotient)
from explorer.derivatives.differences import (ERROR_FLOOR, DifferenceErrors, Secant, breaks_at,
                                              difference_errors, digits_for_step, secant)
from explorer.derivatives.drills import (DiffQuestion, MatchQuestion, Verdict, candidate_note,
                                         check_derivative_answer, differentiate_question,
                                         mark_derivative_answer, mark_match, match_question)
from explorer.derivatives.gradient import GradientData, gradient_data
from explorer.derivatives.latex import definition_latex, limits_latex, secant_latex, tex_value
from explorer.derivatives.presets import MATCH_POOL, PRESETS, curve
from explorer.derivatives.random_expressions import random_expression
from explorer.derivatives.rules_table import RULES_LATEX
from explorer.derivatives.steps import (Derivation, Step, derivative_steps, derivative_steps_cached,
                                        equals_sympy_diff)

__all__ = [
    "X", "XR", "EPS", "VARS", "ERROR_FLOOR", "PRESETS", "MATCH_POOL",
    "Secant", "DifferenceErrors", "GradientData", "BreakPoint", "QuotientResult", "QuotientAttempt",
    "Step", "Derivation", "DiffQuestion", "MatchQuestion", "Verdict",
    "secant", "difference_errors", "digits_for_step", "breaks_at", "gradient_data", "break_points",
    "side_limit", "difference_quotient", "try_difference_quotient", "numeric_quotient",
    "derivative_steps", "derivative_steps_cached", "equals_sympy_diff", "derivative_expression",
    "derivative_function", "random_expression", "differentiate_question", "check_derivative_answer",
    "mark_derivative_answer", "match_question", "mark_match", "candidate_note", "curve",
    "tex_value", "secant_latex", "limits_latex", "definition_latex", "RULES_LATEX",
]
