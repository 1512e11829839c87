"""Marking typed answers to a question: each part right or wrong (or unreadable, with the parser's
message), and the common mistake a wrong answer matches, if any.  A number typed as a decimal is
marked by significant figures, and its part says what the exact answer is to that many
("$\\pi$ to 3 s.f. is 3.14")."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from explorer.expressions import ExpressionError, parse_expression, to_latex
from explorer.practice.checking import check_answer, check_number, mark_number
from explorer.practice.questions import Mistake, Part, Question


@dataclass(frozen=True)
class PartResult:
    correct: bool
    error: str | None = None       # the parser's message when the text could not be read
    note: str | None = None        # markdown: a decimal's rounding ("$\\pi$ to 3 s.f. is 3.14")


@dataclass(frozen=True)
class Feedback:
    correct: bool
    parts: tuple[PartResult, ...]
    mistake: Mistake | None = None

    @property
    def unreadable(self) -> bool:
        return any(p.error for p in self.parts)

    def notes(self, names: Sequence[str]) -> list[str]:
        """The parts' notes, each after its part's name when there are several parts."""
        return [f"{name}: {r.note}" if len(self.parts) > 1 else r.note
                for name, r in zip(names, self.parts) if r.note]


def _part_ok(part: Part, expected: str, answer: str) -> bool:
    if part.kind == "number":
        return check_number(expected, answer, part.sig_figs)
    return check_answer(expected, answer, part.variables)


def _marked(part: Part, answer: str) -> PartResult:
    """One readable answer marked; a number not typed exactly says what the rounding is."""
    if part.kind != "number":
        return PartResult(check_answer(part.answer, answer, part.variables))
    m = mark_number(part.answer, answer, part.sig_figs)
    if m.exact:
        return PartResult(m.correct)
    exact = to_latex(parse_expression(part.answer, ()))
    if m.rounded == "0":
        note = "The exact answer is 0."
    else:   # (the typed text itself never goes into this markdown)
        note = f"${exact}$ to {m.sig_figs} s.f. is {m.rounded}" + (
            "." if m.correct else f"; your answer to {m.sig_figs} s.f. is {m.answer_rounded}.")
    return PartResult(m.correct, note=note)


def _safe_ok(part: Part, expected: str, answer: str) -> bool:
    try:
        return _part_ok(part, expected, answer)
    except (ExpressionError, ValueError, TypeError):
        return False


def mark(question: Question, answers: Sequence[str]) -> Feedback:
    """Mark typed ``answers`` (one per part).  Unreadable text gives the parser's message for that
    part; a wrong answer that matches a known mistake names it."""
    results = []
    for part, text in zip(question.parts, answers):
        text = text if isinstance(text, str) else ""
        try:
            parse_expression(text, part.parse_variables)
            results.append(_marked(part, text))
        except ExpressionError as err:
            results.append(PartResult(False, str(err)))
    results += [PartResult(False, "No answer given.")] * (len(question.parts) - len(results))
    correct = all(r.correct for r in results)
    mistake = None
    if not correct and not any(r.error for r in results):
        for m in question.mistakes:
            hits = [w is not None and not r.correct and _safe_ok(p, w, t)
                    for p, w, r, t in zip(question.parts, m.answers, results, answers)]
            relevant = [w is not None for w in m.answers]
            # every affected part that is wrong matches the mistake, and at least one does
            if any(hits) and all(h or not rel or r.correct
                                 for h, rel, r in zip(hits, relevant, results)):
                mistake = m
                break
    return Feedback(correct, tuple(results), mistake)
