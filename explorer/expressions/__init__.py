"""The safe expression engine: typed text -> checked sympy expression -> fast numpy function.

User text is never given to ``eval``, ``exec``, ``sympify`` or ``parse_expr`` (sympy's parser runs
arbitrary code).  Instead:

1. ``text.normalise`` maps what learners paste (``π``, ``x²``, ``·``, ``−``, fullwidth letters) to
   ASCII and refuses control and bidi characters;
2. ``text.tokenise`` splits the text with one regular expression, inserts the ``*`` of implicit
   multiplication (``2x``, ``3(x+1)``, ``(x-1)(x+1)``, ``x sin(y)``) and checks brackets;
3. Python's ``ast`` module parses the token string (expression mode only), and ``builder.Builder``
   walks the tree, accepting only numbers, the allowed names, + - * / ** and calls of whitelisted
   functions, and builds the sympy expression itself, node by node, with size limits on the way.

Everything is bounded (length, nodes, depth, literal size, exponents; ``vocabulary``), so a hostile
input fails fast with an ``ExpressionError`` whose message a learner can act on. ``parse`` puts the
steps together, ``evaluation`` compiles an expression to a numpy function that never raises, and
``latex`` writes it as the course does.
"""
from explorer.expressions.evaluation import _compile_expr_cached, _compile_text, compile_expression
from explorer.expressions.latex import to_latex
from explorer.expressions.parse import _parse_cached, parse_expression
from explorer.expressions.vocabulary import CONSTANTS, FUNCTIONS, MAX_LENGTH, ExpressionError

__all__ = [
    "ExpressionError", "parse_expression", "compile_expression", "to_latex",
    "FUNCTIONS", "CONSTANTS", "MAX_LENGTH",
    # the caches, for benchmarks/bench_compute.py (cold timings) and the cache test
    "_parse_cached", "_compile_text", "_compile_expr_cached",
]
