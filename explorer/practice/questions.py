"""What a drill question is: a prompt, answer ``Part`` s, a worked solution (``Step`` s, each naming
the rule used) and the answers common mistakes produce (``Mistake`` s); the course modules and
difficulty levels the drills cover."""
from __future__ import annotations

from dataclasses import dataclass

from explorer.expressions import parse_expression, to_latex

MODULES: dict[str, str] = {
    "derivatives": "1 · Derivatives (sum, power, product, chain rules)",
    "multivariate": "2 · Partial derivatives, gradient, Jacobian, Hessian",
    "chain-rule": "3 · Multivariate chain rule & a neuron",
    "taylor": "4 · Taylor coefficients",
    "optimisation": "5 · Newton-Raphson & gradient descent steps",
    "regression": "6 · Least-squares line",
}
DIFFICULTIES = {1: "Warm-up", 2: "Standard", 3: "Challenge"}

ANSWER_HINT = ("Type ^ for powers; * may be left out (2x, x sin(x), xe^x, 2πx), but put a space or * "
               "between two variables (x y) and brackets round a function's argument (sin(x)). "
               "exp, ln, sqrt, sin, cos, tan … are available.")


def number_hint(sig_figs: int) -> str:
    """What a number box asks for: the exact value, or a decimal to ``sig_figs`` s.f."""
    return (f"An exact value (3/7, e^2/2) or a decimal to {sig_figs} significant figures: it is "
            f"right when it rounds to the same {sig_figs} figures as the exact answer.")


NUMBER_HINT = number_hint(3)


@dataclass(frozen=True)
class Step:
    """One line of a worked solution: the rule used, and the LaTeX of what it gives."""
    rule: str
    latex: str


@dataclass(frozen=True)
class Part:
    """One answer box.  ``answer`` is text the safe parser reads; ``kind`` is "expression" or "number"."""
    label: str
    answer: str
    kind: str = "expression"
    variables: tuple[str, ...] = ("x",)
    sig_figs: int = 3                # a number part: the significant figures a decimal is marked to

    @property
    def parse_variables(self) -> tuple[str, ...]:
        """The variables an answer to this part may use (none for a number)."""
        return self.variables if self.kind == "expression" else ()

    @property
    def latex(self) -> str:
        return to_latex(parse_expression(self.answer, self.parse_variables))

    @property
    def name(self) -> str:
        """The label without its trailing " =" ("f′(x)", "slope m")."""
        return self.label.rstrip(" =")

    @property
    def hint(self) -> str:
        return number_hint(self.sig_figs) if self.kind == "number" else ANSWER_HINT

    @property
    def placeholder(self) -> str:
        return "a number" if self.kind == "number" else "an expression in " + ", ".join(self.variables)


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a common mistake produces, per part (None: that part is not affected)."""
    name: str
    explanation: str
    answers: tuple["str | None", ...]


@dataclass(frozen=True)
class Question:
    module: str
    kind: str            # e.g. "chain rule", "Newton-Raphson step"
    prompt: str          # markdown (generated text only)
    latex: str           # the formula the question is about
    parts: tuple[Part, ...]
    steps: tuple[Step, ...]
    mistakes: tuple[Mistake, ...] = ()
    points: tuple[tuple[int, int], ...] = ()     # data points (least-squares questions)
    function: str = ""                           # f as parser text, where there is one f(x)

    @property
    def answer_latex(self) -> str:
        """Every part's label and answer on one line of LaTeX."""
        return r",\qquad ".join(f"\\text{{{_label_tex(p.label)}}}\\ {p.latex}" for p in self.parts)


def _label_tex(label: str) -> str:
    # labels are our own short texts (e.g. "f′(x) =", "slope m ="); keep them literal in \text{}
    return "".join(ch for ch in label if ch not in "{}\\$^_%&#~")
