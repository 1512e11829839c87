"""A learner's progress through a set: the score, the streak, and what each question showed.

Only the first attempt at a question counts (checking again after seeing the solution does not
raise the score); an unreadable answer does not count at all; showing the solution counts as
wrong. ``Progress`` is plain data kept in the session; the page only calls its methods."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from explorer.practice.marking import Feedback

HOT_STREAK = 3          # from this many right in a row, the streak is celebrated


def blank(answers: Sequence[str]) -> bool:
    """Whether nothing at all was typed."""
    return not any(isinstance(a, str) and a.strip() for a in answers)


@dataclass(frozen=True)
class Outcome:
    """What a question shows after Check or Show the solution."""
    feedback: Feedback | None = None        # None: the solution was shown without a check

    @property
    def shows_solution(self) -> bool:
        """The worked solution is shown, except after an unreadable answer (fix the text first)."""
        return self.feedback is None or not self.feedback.unreadable


@dataclass
class Progress:
    tried: int = 0
    right: int = 0
    streak: int = 0
    best: int = 0
    done: dict[str, bool] = field(default_factory=dict)        # question key -> first attempt right
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    @property
    def hot(self) -> bool:
        return self.streak >= HOT_STREAK

    def record(self, key: str, correct: bool) -> None:
        """Count the first attempt at question ``key``; later attempts change nothing."""
        if key in self.done:
            return
        self.done[key] = correct
        self.tried += 1
        if correct:
            self.right += 1
            self.streak += 1
            self.best = max(self.best, self.streak)
        else:
            self.streak = 0

    def checked(self, key: str, feedback: Feedback) -> None:
        """An answer was marked: count it (unless unreadable) and show its feedback."""
        if not feedback.unreadable:
            self.record(key, feedback.correct)
        self.outcomes[key] = Outcome(feedback)

    def revealed(self, key: str) -> None:
        """The solution was asked for: a wrong first attempt, and the solution shows."""
        self.record(key, False)
        self.outcomes[key] = Outcome()

    def outcome(self, key: str) -> Outcome | None:
        return self.outcomes.get(key)
