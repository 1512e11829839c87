"""Self-check drills: questions generated from templates with seeded random coefficients, and marking.

- ``checking``: ``check_answer(expected, answer, variables=("x",))`` is True exactly when the two
  expressions are mathematically equal (symbolically when sympy decides quickly, otherwise
  numerically at many random points) and never raises on bad ``answer`` text;
  ``check_number`` / ``mark_number`` accept the exact number, or a decimal that rounds to the same
  value at the stated significant figures (3 by default: 3.14 for π, not 3.16).
- ``questions``: what a ``Question`` is (prompt, answer ``Part`` s, worked ``Step`` s, ``Mistake`` s).
- ``generators``: one module per course module (derivatives, multivariate, chain_rule, taylor,
  optimisation, regression) and ``common``, what they share.
- ``question_set``: ``generate(module, difficulty, seed, number)``, always the same question for
  the same arguments, so a class sharing a seed shares a set.
- ``marking``: ``mark(question, answers)`` marks typed answers and names a recognised mistake.
- ``scoring``: ``Progress``, the score, streak and what each question shows.

Everything here is pure python/sympy.
"""
from explorer.practice.checking import SIG_FIGS, NumberMark, check_answer, check_number, mark_number
from explorer.practice.marking import Feedback, PartResult, mark
from explorer.practice.question_set import MAX_NUMBER, MAX_SET, generate, new_set, next_number
from explorer.practice.questions import (ANSWER_HINT, DIFFICULTIES, MODULES, NUMBER_HINT, Mistake, Part, Question,
                                         Step)
from explorer.practice.scoring import Outcome, Progress, blank

__all__ = ["check_answer", "check_number", "mark_number", "NumberMark", "SIG_FIGS", "generate", "mark", "Question", "Part", "Step", "Mistake",
           "Feedback", "PartResult", "MODULES", "DIFFICULTIES", "ANSWER_HINT", "NUMBER_HINT",
           "MAX_SET", "MAX_NUMBER", "next_number", "new_set", "Progress", "Outcome", "blank"]
