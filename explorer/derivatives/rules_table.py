"""The standard derivatives the step-by-step rules use: f′(u) for each function, and the line a
learner reads for it; and the rules themselves in one block (``RULES_LATEX``)."""
from __future__ import annotations

from typing import Callable

import sympy as sp

# standard derivatives: name -> (rule title, f'(u) as a function of u)
TABLE: dict[type, tuple[str, Callable[[sp.Expr], sp.Expr]]] = {
    sp.sin: ("sin", lambda u: sp.cos(u)),
    sp.cos: ("cos", lambda u: -sp.sin(u)),
    sp.tan: ("tan", lambda u: 1 + sp.tan(u) ** 2),
    sp.sec: ("sec", lambda u: sp.sec(u) * sp.tan(u)),
    sp.csc: ("csc", lambda u: -sp.csc(u) * sp.cot(u)),
    sp.cot: ("cot", lambda u: -1 - sp.cot(u) ** 2),
    sp.exp: ("exp", lambda u: sp.exp(u)),
    sp.log: ("ln", lambda u: 1 / u),
    sp.asin: ("arcsin", lambda u: 1 / sp.sqrt(1 - u ** 2)),
    sp.acos: ("arccos", lambda u: -1 / sp.sqrt(1 - u ** 2)),
    sp.atan: ("arctan", lambda u: 1 / (1 + u ** 2)),
    sp.sinh: ("sinh", lambda u: sp.cosh(u)),
    sp.cosh: ("cosh", lambda u: sp.sinh(u)),
    sp.tanh: ("tanh", lambda u: 1 - sp.tanh(u) ** 2),
    sp.asinh: ("arsinh", lambda u: 1 / sp.sqrt(u ** 2 + 1)),
    sp.acosh: ("arcosh", lambda u: 1 / (sp.sqrt(u - 1) * sp.sqrt(u + 1))),
    sp.atanh: ("artanh", lambda u: 1 / (1 - u ** 2)),
    sp.erf: ("erf", lambda u: 2 / sp.sqrt(sp.pi) * sp.exp(-u ** 2)),
    sp.Abs: ("abs", lambda u: sp.sign(u)),
    sp.sign: ("sign", lambda u: sp.S.Zero),
    sp.Heaviside: ("heaviside", lambda u: sp.S.Zero),
}

TABLE_TEXT: dict[str, str] = {
    "sin": r"\frac{d}{du}\sin u = \cos u", "cos": r"\frac{d}{du}\cos u = -\sin u",
    "tan": r"\frac{d}{du}\tan u = 1 + \tan^2 u = \sec^2 u", "sec": r"\frac{d}{du}\sec u = \sec u\tan u",
    "csc": r"\frac{d}{du}\csc u = -\csc u\cot u", "cot": r"\frac{d}{du}\cot u = -1-\cot^2 u",
    "exp": r"\frac{d}{du}e^u = e^u", "ln": r"\frac{d}{du}\ln u = \frac{1}{u}",
    "arcsin": r"\frac{d}{du}\arcsin u = \frac{1}{\sqrt{1-u^2}}",
    "arccos": r"\frac{d}{du}\arccos u = -\frac{1}{\sqrt{1-u^2}}",
    "arctan": r"\frac{d}{du}\arctan u = \frac{1}{1+u^2}", "sinh": r"\frac{d}{du}\sinh u = \cosh u",
    "cosh": r"\frac{d}{du}\cosh u = \sinh u", "tanh": r"\frac{d}{du}\tanh u = 1-\tanh^2 u",
    "arsinh": r"\frac{d}{du}\operatorname{arsinh} u = \frac{1}{\sqrt{u^2+1}}",
    "arcosh": r"\frac{d}{du}\operatorname{arcosh} u = \frac{1}{\sqrt{u-1}\sqrt{u+1}}",
    "artanh": r"\frac{d}{du}\operatorname{artanh} u = \frac{1}{1-u^2}",
    "erf": r"\frac{d}{du}\operatorname{erf} u = \frac{2}{\sqrt\pi}e^{-u^2}",
    "abs": r"\frac{d}{du}|u| = \operatorname{sign} u \quad (u \ne 0)",
    "sign": r"\frac{d}{du}\operatorname{sign} u = 0 \quad (u \ne 0)",
    "heaviside": r"\frac{d}{du}H(u) = 0 \quad (u \ne 0)",
}


# the rules in one place: one rule a line, aligned at "=", so the block fits a narrow column
# (1024 px in presenter mode) instead of running off sideways as one long line
RULES_LATEX = (
    r"\begin{aligned}"
    r"(u+v)' &= u' + v' && \text{sum} \\[2pt]"
    r"(c\,u)' &= c\,u' && \text{constant factor} \\[2pt]"
    r"(x^n)' &= n\,x^{n-1} && \text{power} \\[2pt]"
    r"(uv)' &= u'v + uv' && \text{product} \\[2pt]"
    r"\left(\frac{u}{v}\right)' &= \frac{u'v-uv'}{v^2} && \text{quotient} \\[2pt]"
    r"\big(g(u)\big)' &= g'(u)\,u' && \text{chain}"
    r"\end{aligned}")
