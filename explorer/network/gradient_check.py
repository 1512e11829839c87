"""The gradient check: backpropagation's gradient against central finite differences of the cost,
for every weight and bias (the page shows it passing; the tests use it on several architectures)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from explorer.network.model import Network
from explorer.numbers import tex_number


@dataclass
class GradientCheck:
    layer_errors: list[float]           # relative error ‖g − g_fd‖ / (‖g‖ + ‖g_fd‖), per layer (W and b together)
    max_error: float
    numeric: tuple = field(repr=False, default=())   # (dW, db) by central differences


def numeric_gradient(net: Network, x, y, eps: float = 1e-6):
    """Central finite differences of ``net.cost`` for every parameter: ``(dW, db)``."""
    out = []
    for params in (net.weights, net.biases):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + eps
                c_plus = net.cost(x, y)
                flat[i] = old - eps
                c_minus = net.cost(x, y)
                flat[i] = old
                gflat[i] = (c_plus - c_minus) / (2 * eps)
            grads.append(g)
        out.append(grads)
    return tuple(out)


def gradient_check(net: Network, x, y, eps: float = 1e-6) -> GradientCheck:
    dW, db = net.backprop(x, y)
    nW, nb = numeric_gradient(net, x, y, eps)
    errs = []
    for gw, gb, fw, fb in zip(dW, db, nW, nb):
        g = np.concatenate([gw.ravel(), gb.ravel()])
        f = np.concatenate([fw.ravel(), fb.ravel()])
        denom = np.linalg.norm(g) + np.linalg.norm(f)
        errs.append(float(np.linalg.norm(g - f) / denom) if denom > 0 else 0.0)
    return GradientCheck(errs, max(errs), (nW, nb))


def errors_tex(check: GradientCheck) -> str:
    """The relative error's definition, then each layer's e⁽ˡ⁾ two a line (g_b backpropagation's
    gradient, g_n the finite differences'): every line fits a phone's column."""
    errors = check.layer_errors
    pairs = [r",\quad ".join(f"e^{{({i + 1})}} = {tex_number(e, 2)}" for i, e in enumerate(errors[j:j + 2], j))
             for j in range(0, len(errors), 2)]
    return (r"\begin{gathered}e^{(l)} = \frac{\lVert g_b - g_n\rVert}{\lVert g_b\rVert + \lVert g_n\rVert}\\[4pt] "
            + r"\\ ".join(pairs) + r"\end{gathered}")
