"""The question set: a seed (the "set" number a class shares through the link) and a question
number decide each question; moving on and starting a new set."""
from __future__ import annotations

import random

from explorer.practice.generators import MAKERS
from explorer.practice.questions import Question

MAX_SET = 9999
MAX_NUMBER = 999


def generate(module: str, difficulty: int = 2, seed: int = 0, number: int = 1) -> Question:
    """The ``number``-th question of the set ``seed`` for ``module`` ("mixed": any module) and
    ``difficulty`` (1–3).  Deterministic: the same arguments always give the same question."""
    difficulty = min(3, max(1, int(difficulty)))
    rng = random.Random(f"{module}|{difficulty}|{int(seed)}|{int(number)}")
    if module not in MAKERS:
        if module != "mixed":
            raise ValueError(f"unknown module {module!r}")
        module = rng.choice(list(MAKERS))
    return MAKERS[module](rng, difficulty)


def next_number(number: int) -> int:
    """The question after ``number`` (the last one stays the last)."""
    return min(int(number) + 1, MAX_NUMBER)


def new_set() -> int:
    """A fresh random set number."""
    return random.randint(1, MAX_SET)
