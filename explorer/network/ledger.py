"""The backprop ledger: every chain-rule factor of one training example, layer by layer (the page
draws it as heatmaps)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.network.model import ACTIVATION_LATEX, Network


@dataclass
class LayerLedger:
    layer: int                 # 1 … L (the course's superscript)
    dC_da: np.ndarray          # ∂Cₖ/∂a⁽ˡ⁾            (n_l,)
    sigma_prime: np.ndarray    # σ′(z⁽ˡ⁾)              (n_l,)
    dC_dz: np.ndarray          # ∂Cₖ/∂z⁽ˡ⁾ = product    (n_l,)
    a_prev: np.ndarray         # a⁽ˡ⁻¹⁾                 (n_{l-1},)
    W: np.ndarray              # W⁽ˡ⁾                   (n_l, n_{l-1})
    dC_dW: np.ndarray          # ∂Cₖ/∂W⁽ˡ⁾ = ∂Cₖ/∂z⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ
    dC_db: np.ndarray          # ∂Cₖ/∂b⁽ˡ⁾ = ∂Cₖ/∂z⁽ˡ⁾


def ledger(net: Network, x, y, index: int) -> tuple[float, list[LayerLedger]]:
    """``(C_k, layers)`` for example ``index``: Cₖ = |a⁽ᴸ⁾ₖ − yₖ|² and each layer's factors.

    The batch gradient is the mean of these per-example gradients (tests check it).
    """
    xk = np.asarray(x, dtype=float)[index:index + 1]
    yk = np.asarray(y, dtype=float)[index:index + 1]
    a = net.forward(xk)
    r = a[-1] - yk
    cost = float(np.sum(r * r))
    dC_da = 2.0 * r
    out = []
    for l in range(len(net.weights) - 1, -1, -1):
        sp_ = net.sigma_prime(a[l + 1])
        delta = dC_da * sp_
        out.append(LayerLedger(l + 1, dC_da[0], sp_[0], delta[0], a[l][0], net.weights[l].copy(),
                               delta.T @ a[l], delta[0].copy()))
        dC_da = delta @ net.weights[l]
    return cost, out[::-1]


def ledger_rules_tex(n_layers: int, activation: str) -> str:
    """The ledger's general formulas (the chain rule layer by layer, from the output backwards) and
    the activation's σ and σ′: one formula block, every line short enough for a 1024 px window."""
    L = n_layers
    return (r"\begin{gathered}"
            rf"\frac{{\partial C_k}}{{\partial a^{{({L})}}}} = 2\,(a^{{({L})}}_k - y_k),\qquad "
            r"\frac{\partial C_k}{\partial a^{(l-1)}} = \big(W^{(l)}\big)^{\!\top}"
            r"\frac{\partial C_k}{\partial z^{(l)}}\\[6pt] "
            r"\frac{\partial C_k}{\partial z^{(l)}} = \frac{\partial C_k}{\partial a^{(l)}} \odot "
            r"\sigma'(z^{(l)}),\qquad "
            r"\frac{\partial C_k}{\partial b^{(l)}} = \frac{\partial C_k}{\partial z^{(l)}}\\[6pt] "
            r"\frac{\partial C_k}{\partial W^{(l)}} = \frac{\partial C_k}{\partial z^{(l)}}\,"
            r"\big(a^{(l-1)}\big)^{\!\top}\\[6pt] "
            + ACTIVATION_LATEX[activation] + r"\end{gathered}")
