"""Training: ``train`` runs steepest descent (optionally with noisy gradients) and answers with a
``TrainResult``; ``TrainingSession`` is the bookkeeping of one training run that the page drives
(the network and its data, the iteration count, the cost history, play/pause, step, reset).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.network.model import Network
from explorer.network.targets import training_data
from explorer.numbers import nice_text
from explorer.result import IterationResult


@dataclass(kw_only=True)
class TrainResult(IterationResult):
    """``x`` is the trained network (trained in place), ``nit`` the number of steps, ``history`` the
    cost before each step and then the final cost (length ``nit + 1``). ``status`` is
    ``"completed"`` (every step taken, the cost finite) or ``"diverged"`` (the cost overflowed)."""


def train(net: Network, x, y, iterations: int, rate: float, noise: float = 0.0,
          rng: np.random.Generator | None = None) -> TrainResult:
    """``iterations`` steps of steepest descent on ``net`` in place; the cost history."""
    if noise and rng is None:
        rng = np.random.default_rng()
    n = int(iterations)
    costs = np.empty(n + 1)
    for i in range(n):
        costs[i] = net.step(x, y, rate, noise, rng)
    costs[-1] = net.cost(x, y)
    if np.isfinite(costs[-1]):
        return TrainResult(x=net, success=True, status="completed", nit=n, history=costs,
                           message=f"{n:,} steps of steepest descent took the cost from "
                                   f"{nice_text(costs[0], 4)} to {nice_text(costs[-1], 4)}.")
    return TrainResult(x=net, success=False, status="diverged", nit=n, history=costs,
                       message="The cost overflowed: the learning rate is too large.")


def hidden_sizes(hidden: str, n_in: int = 1, n_out: int = 2) -> tuple[int, ...]:
    """Layer sizes from the hidden layers written as text: ``"6, 7"`` → ``(1, 6, 7, 2)``."""
    return (n_in, *[int(h) for h in hidden.split(",")], n_out)


@dataclass(frozen=True)
class TrainingConfig:
    """What makes a new network: a new config starts a new training run."""
    target: str = "heart"
    x_text: str | None = None        # the typed target (target == "typed")
    y_text: str | None = None
    hidden: str = "6, 7"             # hidden layers' sizes, as in ``hidden_sizes``
    activation: str = "sigmoid"
    seed: int = 0


class TrainingSession:
    """One training run: play/pause, step, reset, and the history of the cost.

    The page keeps one in its session state and calls ``tick`` on every timer tick (it trains only
    while playing), ``step`` for the Step button, ``toggle_play`` and ``reset``.
    """

    def __init__(self, config: TrainingConfig, n_points: int = 100, max_iterations: int = 200_000):
        self.config = config
        self.n_points = int(n_points)
        self.max_iterations = int(max_iterations)
        self.reset()

    def reset(self) -> None:
        """A fresh network from the config's seed, iteration 0, paused."""
        c = self.config
        self.x, self.y, self.scaled = training_data(c.target, self.n_points, c.activation, c.x_text, c.y_text)
        self.net = Network(hidden_sizes(c.hidden), c.activation, c.seed)
        self.iteration = 0
        self.playing = False
        self.rng = np.random.default_rng(c.seed + 1)
        self._costs = [np.array([self.net.cost(self.x, self.y)])]

    def step(self, n: int, rate: float, noise: float = 0.0) -> TrainResult | None:
        """Train ``n`` iterations (fewer at the iteration limit, where playing stops)."""
        n = int(min(n, self.max_iterations - self.iteration))
        if n <= 0:
            self.playing = False
            return None
        res = train(self.net, self.x, self.y, n, rate, noise, self.rng)
        self._costs.append(res.history[1:])
        self.iteration += n
        return res

    def tick(self, n: int, rate: float, noise: float = 0.0) -> TrainResult | None:
        """A timer tick: ``step`` while playing, nothing while paused."""
        return self.step(n, rate, noise) if self.playing else None

    def toggle_play(self) -> None:
        self.playing = not self.playing

    @property
    def history(self) -> np.ndarray:
        """The cost at every iteration so far, from the start (length ``iteration + 1``)."""
        if len(self._costs) > 1:
            self._costs = [np.concatenate(self._costs)]
        return self._costs[0]

    @property
    def cost(self) -> float:
        return float(self._costs[-1][-1])
