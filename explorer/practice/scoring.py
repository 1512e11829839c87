"""A learner's progress through a set: the score, the streak, and what each question showed.

Only the first attempt at a question counts (checking again after seeing the solution does not
raise the score), and a right answer after a wrong first try says so; an unreadable answer does
not count at all; showing the solution counts as wrong. ``Progress`` is plain data kept in the
session; the page only calls its methods and shows the markdown they give (``verdict``,
``read_errors``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from explorer.practice.marking import Feedback

_MARKDOWN = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>$~|#"})

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
    shown: set[str] = field(default_factory=set)               # solution shown before any try
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
        if key not in self.done:
            self.shown.add(key)
        self.record(key, False)
        self.outcomes[key] = Outcome()

    def outcome(self, key: str) -> Outcome | None:
        return self.outcomes.get(key)

    def verdict(self, key: str, names: Sequence[str]) -> str | None:
        """Markdown for what a readable check at question ``key`` gave (None before a check or after
        an unreadable answer): right, and whether it scored (only first tries score), or not quite
        and which parts; then how each decimal was rounded.  ``names``: the parts' names."""
        outcome = self.outcomes.get(key)
        fb = outcome.feedback if outcome is not None else None
        if fb is None or fb.unreadable:
            return None
        score = f"Score: {self.right} / {self.tried}."
        if not fb.correct:
            wrong = [n for n, r in zip(names, fb.parts) if not r.correct]
            head = f"**Not quite** ({', '.join(wrong)}). Compare with the worked solution below."
        elif self.done.get(key):
            head = "**Right!** " + (f"{self.streak} in a row." if self.hot else "That is the answer.")
        elif key in self.shown:
            head = ("**Right** — but only first tries score, and the solution was shown before any "
                    f"try, so this question counts as wrong. {score}")
        else:
            head = ("**Right** — but only first tries score, and your first try at this question was "
                    f"wrong, so it still counts as wrong. {score}")
        return " ".join([head, *fb.notes(names)])

    def read_errors(self, key: str, names: Sequence[str]) -> list[str]:
        """Markdown for each part of question ``key`` whose text could not be read: the parser's
        message, escaped (it quotes typed text such as '**', which markdown would take as bold)."""
        outcome = self.outcomes.get(key)
        fb = outcome.feedback if outcome is not None else None
        if fb is None:
            return []
        return [f"**Cannot read the answer for {name}:** {r.error.translate(_MARKDOWN)}"
                for name, r in zip(names, fb.parts) if r.error]
