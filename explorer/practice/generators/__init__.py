"""Question generators, one module per course module. Each ``make(rng, difficulty)`` draws every
random choice from ``rng``, so the same seed always gives the same question; ``common`` holds what
they share (answer parts, worked steps, the mistakes filter)."""
from __future__ import annotations

import random
from typing import Callable

from explorer.practice.generators import chain_rule, derivatives, multivariate, optimisation, regression, taylor
from explorer.practice.questions import Question

MAKERS: dict[str, Callable[[random.Random, int], Question]] = {
    "derivatives": derivatives.make, "multivariate": multivariate.make, "chain-rule": chain_rule.make,
    "taylor": taylor.make, "optimisation": optimisation.make, "regression": regression.make,
}
