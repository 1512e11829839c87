"""The course's gradient descent on the straight line's χ²(m, c), with a fixed step γ = rate / L."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer.regression.line import LineFit, chi2_from_stats
from explorer.result import IterationResult


@dataclass(kw_only=True)
class LineDescent(IterationResult):
    """A descent on χ²(m, c): ``history`` is the (nit + 1, 2) array of (m, c), ``chi2`` χ² at
    each. ``status``: "converged", "max-iter", "diverged" or "not-finite"."""
    chi2: np.ndarray
    step: float          # the actual step size γ used (rate / L)

    @property
    def m(self) -> np.ndarray:
        """The slopes m along the path."""
        return self.history[:, 0]

    @property
    def c(self) -> np.ndarray:
        """The intercepts c along the path."""
        return self.history[:, 1]


def line_descent(fit: LineFit, m0: float, c0: float, rate: float = 0.9, steps: int = 100,
                 tol: float = 1e-10) -> LineDescent:
    """The course's gradient descent on χ²(m, c): (m, c) ← (m, c) − γ ∇χ².

    γ = rate / L with L the largest eigenvalue of the Hessian of χ², so ``rate`` < 2 converges and
    ``rate`` > 2 runs away — both worth seeing.  Says why it stopped (``status``, ``message``).
    """
    st = fit.stats
    # gradient in (m, c): write c = c' - m x̄ with c' the intercept at the centre
    H = 2 * np.array([[st["Sxx"] + st["S"] * st["xm"] ** 2, st["S"] * st["xm"]],
                      [st["S"] * st["xm"], st["S"]]])
    L = float(np.linalg.eigvalsh(H).max())
    gamma = rate / L
    ms, cs, zs = [float(m0)], [float(c0)], [float(chi2_from_stats(st, m0, c0))]
    status, message = "max-iter", f"stopped after the limit of {steps} steps"
    start_scale = abs(zs[0]) + 1.0
    for _ in range(int(steps)):
        m, c = ms[-1], cs[-1]
        cc = c + m * st["xm"] - st["ym"]
        g_m = 2 * (m * st["Sxx"] - st["Sxy"]) + 2 * st["S"] * cc * st["xm"]
        g_c = 2 * st["S"] * cc
        m_new, c_new = m - gamma * g_m, c - gamma * g_c
        z = float(chi2_from_stats(st, m_new, c_new))
        if not (math.isfinite(m_new) and math.isfinite(c_new) and math.isfinite(z)):
            status, message = "not-finite", "stopped: the values became infinite or undefined"
            break
        ms.append(m_new); cs.append(c_new); zs.append(z)
        if z > 1e6 * start_scale:
            status = "diverged"
            message = "stopped: the steps grow without bound (the step size is too large — diverging)"
            break
        if math.hypot(g_m, g_c) * gamma < tol * (1 + abs(m_new) + abs(c_new)):
            status, message = "converged", f"converged after {len(ms) - 1} steps (the gradient vanished)"
            break
    history = np.column_stack([ms, cs])
    return LineDescent(x=history[-1], success=status == "converged", status=status, message=message,
                       nit=len(history) - 1, history=history, chi2=np.array(zs), step=gamma)



def describe_line_descent(d: LineDescent) -> str:
    """How the descent stopped and where it ended, in one sentence (without its full stop)."""
    return f"{d.message}; ends at m = {d.x[0]:.5g}, c = {d.x[1]:.5g}, χ² = {d.chi2[-1]:.5g}"
