"""A small fully connected network and backpropagation written out by hand.

The lesson is the chain rule, so backpropagation is plain numpy, vectorised over the batch:

    forward    z⁽ˡ⁾ = a⁽ˡ⁻¹⁾ W⁽ˡ⁾ᵀ + b⁽ˡ⁾,     a⁽ˡ⁾ = σ(z⁽ˡ⁾),     a⁽⁰⁾ = x
    cost       C = Σₖ |a⁽ᴸ⁾ₖ − yₖ|² / N                     (sum over outputs, mean over examples)
    backward   ∂C/∂a⁽ᴸ⁾ = 2 (a⁽ᴸ⁾ − y) / N
               ∂C/∂z⁽ˡ⁾ = ∂C/∂a⁽ˡ⁾ ⊙ σ′(z⁽ˡ⁾)
               ∂C/∂W⁽ˡ⁾ = (∂C/∂z⁽ˡ⁾)ᵀ a⁽ˡ⁻¹⁾,   ∂C/∂b⁽ˡ⁾ = Σₖ ∂C/∂z⁽ˡ⁾ₖ
               ∂C/∂a⁽ˡ⁻¹⁾ = ∂C/∂z⁽ˡ⁾ W⁽ˡ⁾

Rows of ``x``, ``a``, ``z`` are examples; ``weights[l]`` is shaped (n_out, n_in), as in the course.
``gradient_check`` compares ``backprop`` with central finite differences of ``cost``;
``train`` runs steepest descent (optionally with noisy gradients) and keeps the cost history;
``ledger`` lists every chain-rule factor of one example, layer by layer, for the heatmaps.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from explorer.expressions import ExpressionError, compile_expression, parse_expression

__all__ = ["Network", "ACTIVATIONS", "TARGETS", "target_curve", "training_data", "TrainResult",
           "train", "gradient_check", "GradientCheck", "LayerLedger", "ledger"]


# ---------------------------------------------------------------------------------------------
# Activations: σ(z) and σ′ written in terms of a = σ(z) (so backprop needs no extra exp)
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime_from_a(a: np.ndarray) -> np.ndarray:
    return a * (1.0 - a)


def _tanh_prime_from_a(a: np.ndarray) -> np.ndarray:
    return 1.0 - a * a


ACTIVATIONS = {
    "sigmoid": (_sigmoid, _sigmoid_prime_from_a),
    "tanh": (np.tanh, _tanh_prime_from_a),
}
ACTIVATION_LATEX = {
    "sigmoid": r"\sigma(z) = \frac{1}{1+e^{-z}},\quad \sigma'(z) = \sigma(z)\,(1-\sigma(z))",
    "tanh": r"\sigma(z) = \tanh z,\quad \sigma'(z) = 1-\tanh^2 z",
}
#: the range of the outputs each activation can reach (targets are placed inside it)
OUTPUT_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


class Network:
    """A fully connected network with one activation σ on every layer."""

    def __init__(self, sizes: Sequence[int] = (1, 6, 7, 2), activation: str = "sigmoid",
                 seed: int = 0):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError("sizes needs at least an input and an output layer, each of size ≥ 1")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}")
        self.sizes = sizes
        self.activation = activation
        self.seed = int(seed)
        self._sigma, self._sigma_prime = ACTIVATIONS[activation]
        rng = np.random.default_rng(self.seed)
        # the course's start: standard normal weights and biases, scaled by 1/√(fan-in)
        self.weights = [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [rng.standard_normal(n_out) / np.sqrt(n_in)
                       for n_in, n_out in zip(sizes[:-1], sizes[1:])]

    # -- forward ---------------------------------------------------------------------------
    def forward(self, x: np.ndarray) -> list[np.ndarray]:
        """Activations of every layer, ``[a⁽⁰⁾ = x, a⁽¹⁾, …, a⁽ᴸ⁾]``, each shaped (N, n_l)."""
        a = [np.asarray(x, dtype=float)]
        for W, b in zip(self.weights, self.biases):
            a.append(self._sigma(a[-1] @ W.T + b))
        return a

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)[-1]

    def cost(self, x: np.ndarray, y: np.ndarray) -> float:
        """C = Σ |a⁽ᴸ⁾ − y|² / N."""
        r = self.predict(x) - y
        return float(np.sum(r * r) / len(r))

    # -- backward: the chain rule ----------------------------------------------------------
    def backprop(self, x: np.ndarray, y: np.ndarray):
        """``(dW, db)``: the exact gradient of ``cost(x, y)`` with respect to every weight and bias."""
        dW, db, _ = self._backprop(x, y)
        return dW, db

    def _backprop(self, x, y):
        a = self.forward(x)
        r = a[-1] - y
        cost = float(np.sum(r * r) / len(r))
        dC_da = (2.0 / len(r)) * r                        # ∂C/∂a⁽ᴸ⁾
        L = len(self.weights)
        dW: list = [None] * L
        db: list = [None] * L
        for l in range(L - 1, -1, -1):                    # layer l+1 in the course's numbering
            delta = dC_da * self._sigma_prime(a[l + 1])   # ∂C/∂z = ∂C/∂a · σ′(z)
            dW[l] = delta.T @ a[l]                        # ∂C/∂W = ∂C/∂z · ∂z/∂W, ∂z/∂W = a⁽ˡ⁻¹⁾
            db[l] = delta.sum(axis=0)                     # ∂C/∂b = ∂C/∂z · 1
            if l:
                dC_da = delta @ self.weights[l]           # ∂C/∂a⁽ˡ⁻¹⁾ = ∂C/∂z · W
        return dW, db, cost

    def step(self, x, y, rate: float, noise: float = 0.0, rng: np.random.Generator | None = None) -> float:
        """One steepest-descent step (in place); returns the cost *before* the step."""
        dW, db, cost = self._backprop(x, y)
        for l in range(len(self.weights)):
            gW, gb = dW[l], db[l]
            if noise:
                gW = gW * (1.0 + noise * rng.standard_normal(gW.shape))
                gb = gb * (1.0 + noise * rng.standard_normal(gb.shape))
            self.weights[l] -= rate * gW
            self.biases[l] -= rate * gb
        return cost

    # -- helpers ---------------------------------------------------------------------------
    def copy(self) -> "Network":
        new = Network.__new__(Network)
        new.__dict__.update(self.__dict__)
        new.weights = [W.copy() for W in self.weights]
        new.biases = [b.copy() for b in self.biases]
        return new

    @property
    def n_parameters(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))


# ---------------------------------------------------------------------------------------------
# Targets: curves (x(t), y(t)) for t in [0, 1] the network learns to draw from the input t
def _heart(t):
    tau = 2 * np.pi * t
    return np.stack([16 * np.sin(tau) ** 3,
                     13 * np.cos(tau) - 5 * np.cos(2 * tau) - 2 * np.cos(3 * tau) - np.cos(4 * tau)],
                    axis=1) / 20


def _circle(t):
    tau = 2 * np.pi * t
    return np.stack([0.8 * np.cos(tau), 0.8 * np.sin(tau)], axis=1)


def _figure_eight(t):
    tau = 2 * np.pi * t
    return np.stack([0.8 * np.sin(tau), 0.7 * np.sin(2 * tau)], axis=1)


TARGETS = {"heart": _heart, "circle": _circle, "figure-eight": _figure_eight}
TARGET_LATEX = {
    "heart": r"\tfrac{1}{20}\big(16\sin^3 2\pi t,\; 13\cos 2\pi t-5\cos 4\pi t-2\cos 6\pi t-\cos 8\pi t\big)",
    "circle": r"\big(0.8\cos 2\pi t,\; 0.8\sin 2\pi t\big)",
    "figure-eight": r"\big(0.8\sin 2\pi t,\; 0.7\sin 4\pi t\big)",
}


def target_curve(name: str, t: np.ndarray, x_text: str | None = None, y_text: str | None = None) -> np.ndarray:
    """The target curve, shape (len(t), 2), in the plane's own coordinates (roughly [-1, 1]²).

    ``name`` is a key of ``TARGETS`` or ``"typed"`` with ``x_text``/``y_text`` in ``t`` (parsed by
    the safe parser; ``ExpressionError`` for bad text or a curve that is undefined somewhere).
    """
    t = np.asarray(t, dtype=float)
    if name in TARGETS:
        return TARGETS[name](t)
    if name != "typed":
        raise ValueError(f"unknown target {name!r}")
    cols = []
    for label, text in (("x(t)", x_text), ("y(t)", y_text)):
        expr = parse_expression(text or "", ("t",))
        cols.append(compile_expression(expr, ("t",))(t))
    curve = np.stack(cols, axis=1)
    if not np.all(np.isfinite(curve)):
        raise ExpressionError("The curve is undefined for some t in [0, 1]; choose one defined everywhere there.")
    return curve


def training_data(name: str = "heart", n: int = 100, activation: str = "sigmoid",
                  x_text: str | None = None, y_text: str | None = None):
    """``(x, y, scaled)``: inputs t = 0, 1/n, …, (n−1)/n shaped (n, 1) and targets shaped (n, 2).

    The targets are the curve mapped into the range the output activation can reach: for the
    sigmoid (0, 1) through (c + 1)/2, as in the course; for tanh the curve itself. A curve that
    would leave the box [-0.95, 0.95]² is first shrunk to fit, and ``scaled`` says so.
    """
    t = np.arange(n) / n
    curve = target_curve(name, t, x_text, y_text)
    biggest = float(np.max(np.abs(curve)))
    scaled = biggest > 0.95
    if scaled:
        curve = curve * (0.95 / biggest)
    lo, hi = OUTPUT_RANGE[activation]
    y = lo + (curve + 1.0) * (hi - lo) / 2.0
    return t.reshape(-1, 1), y, scaled


def to_plane(y: np.ndarray, activation: str) -> np.ndarray:
    """Map network outputs back to the curve's plane (inverse of the scaling in ``training_data``)."""
    lo, hi = OUTPUT_RANGE[activation]
    return (np.asarray(y) - lo) * 2.0 / (hi - lo) - 1.0


# ---------------------------------------------------------------------------------------------
# Training
@dataclass
class TrainResult:
    costs: np.ndarray          # cost before each step, then the final cost (length iterations + 1)


def train(net: Network, x, y, iterations: int, rate: float, noise: float = 0.0,
          rng: np.random.Generator | None = None) -> TrainResult:
    """``iterations`` steps of steepest descent on ``net`` in place; the cost history."""
    if noise and rng is None:
        rng = np.random.default_rng()
    costs = np.empty(int(iterations) + 1)
    for i in range(int(iterations)):
        costs[i] = net.step(x, y, rate, noise, rng)
    costs[-1] = net.cost(x, y)
    return TrainResult(costs)


# ---------------------------------------------------------------------------------------------
# Gradient check
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


# ---------------------------------------------------------------------------------------------
# The ledger: every chain-rule factor for one example
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
        sp_ = net._sigma_prime(a[l + 1])
        delta = dC_da * sp_
        out.append(LayerLedger(l + 1, dC_da[0], sp_[0], delta[0], a[l][0], net.weights[l].copy(),
                               delta.T @ a[l], delta[0].copy()))
        dC_da = delta @ net.weights[l]
    return cost, out[::-1]
