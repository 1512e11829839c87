"""The network: one activation σ on every layer, backpropagation written out by hand.

    forward    z⁽ˡ⁾ = a⁽ˡ⁻¹⁾ W⁽ˡ⁾ᵀ + b⁽ˡ⁾,     a⁽ˡ⁾ = σ(z⁽ˡ⁾),     a⁽⁰⁾ = x
    cost       C = Σₖ |a⁽ᴸ⁾ₖ − yₖ|² / N                     (sum over outputs, mean over examples)
    backward   ∂C/∂a⁽ᴸ⁾ = 2 (a⁽ᴸ⁾ − y) / N
               ∂C/∂z⁽ˡ⁾ = ∂C/∂a⁽ˡ⁾ ⊙ σ′(z⁽ˡ⁾)
               ∂C/∂W⁽ˡ⁾ = (∂C/∂z⁽ˡ⁾)ᵀ a⁽ˡ⁻¹⁾,   ∂C/∂b⁽ˡ⁾ = Σₖ ∂C/∂z⁽ˡ⁾ₖ
               ∂C/∂a⁽ˡ⁻¹⁾ = ∂C/∂z⁽ˡ⁾ W⁽ˡ⁾

Rows of ``x``, ``a``, ``z`` are examples (vectorised over the batch); ``weights[l]`` is shaped
(n_out, n_in), as in the course.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


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

    def sigma_prime(self, a: np.ndarray) -> np.ndarray:
        """σ′(z) from the activation a = σ(z)."""
        return self._sigma_prime(a)

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

    @property
    def n_parameters(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))
