"""The Sandpit: find the deepest point of a hidden surface on a 6 × 6 square by dipping a stick.

A pit is f(x, y) = bowl + wells (+ ripples), all with analytic gradients:

    f = a·((x − cx)² + (y − cy)²) − Σ dᵢ·exp(−((x − xᵢ)² + (y − yᵢ)²)/wᵢ) + Σ rⱼ·sin(kⱼx + φⱼ)·sin(lⱼy + ψⱼ)

The depth a dip reads is −f (bigger is deeper); the "bottom" is the global minimum of f on the
square, found on a fine grid and polished with scipy (L-BFGS-B, bounded). A dip within
``WIN_RADIUS`` of it wins. Games are plain dataclasses; ``dip`` returns a new game and a message.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

SIZE = 6.0
MAX_DIPS = 25
WARN_AT = 5            # warn when this many dips (or fewer) remain
WIN_RADIUS = 0.15
LOCAL_RADIUS = 0.25    # "you are at the bottom of a dip" radius around a local minimum

KINDS = {                     # kind -> the label a learner sees (and the URL holds)
    "intro": "course intro",
    "smooth": "smooth",
    "several": "several minima",
    "rocks": "rocks",
    "well": "narrow well",
}
MODES = {"gradient": "with gradient", "depth": "depth only"}


@dataclass(frozen=True)
class Pit:
    kind: str
    seed: int
    a: float
    centre: tuple[float, float]
    wells: tuple[tuple[float, float, float, float], ...]      # (x, y, depth, width)
    ripples: tuple[tuple[float, float, float, float, float], ...] = ()   # (r, k, phi, l, psi)

    def value(self, x, y):
        x, y = np.asarray(x, float), np.asarray(y, float)
        f = self.a * ((x - self.centre[0]) ** 2 + (y - self.centre[1]) ** 2)
        for xi, yi, d, w in self.wells:
            f = f - d * np.exp(-((x - xi) ** 2 + (y - yi) ** 2) / w)
        for r, k, p, l, q in self.ripples:
            f = f + r * np.sin(k * x + p) * np.sin(l * y + q)
        return f

    def gradient(self, x, y):
        x, y = np.asarray(x, float), np.asarray(y, float)
        gx = 2 * self.a * (x - self.centre[0])
        gy = 2 * self.a * (y - self.centre[1])
        for xi, yi, d, w in self.wells:
            e = d * np.exp(-((x - xi) ** 2 + (y - yi) ** 2) / w)
            gx = gx + e * 2 * (x - xi) / w
            gy = gy + e * 2 * (y - yi) / w
        for r, k, p, l, q in self.ripples:
            gx = gx + r * k * np.cos(k * x + p) * np.sin(l * y + q)
            gy = gy + r * l * np.sin(k * x + p) * np.cos(l * y + q)
        return gx, gy

    def depth(self, x, y) -> float:
        return float(-self.value(x, y))


def make_pit(kind: str = "intro", seed: int = 0) -> Pit:
    """A pit of the given kind; random kinds are reproducible from ``seed``."""
    if kind not in KINDS:
        raise ValueError(f"unknown pit kind {kind!r}")
    if kind == "intro":
        # −((x−4.1)² + (y−0.9)²) − 30·exp(−((x−1.5)² + (y−3.7)²)/2.8): the course's first pit
        return Pit("intro", int(seed), -1.0, (4.1, 0.9), ((1.5, 3.7, 30.0, 2.8),))
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, list(KINDS).index(kind)])

    def spot(margin=0.7):
        return tuple(float(v) for v in rng.uniform(margin, SIZE - margin, 2))

    centre = spot(1.5)
    a = float(rng.uniform(0.25, 0.6))
    if kind == "smooth":
        wells = [(*spot(), float(rng.uniform(4, 8)), float(rng.uniform(1.5, 3.0)))]
        wells += [(*spot(), float(rng.uniform(1, 3)), float(rng.uniform(0.5, 1.5))) for _ in range(2)]
        return Pit(kind, int(seed), a, centre, tuple(wells))
    if kind == "several":
        depths = rng.uniform(5, 9, 4)
        depths[rng.integers(4)] += 1.5           # one is clearly the deepest
        wells = tuple((*_spread_spot(rng, i), float(d), float(rng.uniform(0.5, 1.0)))
                      for i, d in enumerate(depths))
        return Pit(kind, int(seed), 0.15, centre, wells)
    if kind == "rocks":
        wells = ((*spot(), float(rng.uniform(5, 8)), float(rng.uniform(1.5, 3.0))),)
        ripples = tuple((float(rng.uniform(0.5, 0.8)), float(rng.uniform(3.5, 6)), float(rng.uniform(0, 6.28)),
                         float(rng.uniform(3.5, 6)), float(rng.uniform(0, 6.28))) for _ in range(3))
        return Pit(kind, int(seed), a, centre, wells, ripples)
    # well: a shallow bowl with a deep narrow well away from the bowl's centre
    wx, wy = spot(0.8)
    while math.hypot(wx - centre[0], wy - centre[1]) < 1.8:
        wx, wy = spot(0.8)
    return Pit(kind, int(seed), 0.2, centre, ((wx, wy, float(rng.uniform(6, 9)), 0.08),))


def _spread_spot(rng, i: int):
    """Wells in different quarters of the square so they are distinct minima."""
    qx, qy = i % 2, i // 2
    return (float(rng.uniform(0.6 + 3 * qx, 2.4 + 3 * qx)), float(rng.uniform(0.6 + 3 * qy, 2.4 + 3 * qy)))


@dataclass(frozen=True)
class Minima:
    global_min: tuple[float, float]
    global_value: float
    local: tuple[tuple[float, float, float], ...]     # every minimum found (x, y, f), deepest first


def find_minima(pit: Pit, n: int = 241) -> Minima:
    """All minima on the square: grid local minima (boundary included), polished by L-BFGS-B."""
    from scipy.optimize import minimize
    g = np.linspace(0, SIZE, n)
    Xg, Yg = np.meshgrid(g, g)
    Z = pit.value(Xg, Yg)
    pad = np.pad(Z, 1, constant_values=np.inf)
    core = pad[1:-1, 1:-1]
    is_min = np.ones_like(Z, bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_min &= core <= pad[1 + di:n + 1 + di, 1 + dj:n + 1 + dj]
    found: list[tuple[float, float, float]] = []
    bounds = [(0, SIZE), (0, SIZE)]
    for i, j in zip(*np.nonzero(is_min)):
        res = minimize(lambda p: float(pit.value(*p)), [Xg[i, j], Yg[i, j]],
                       jac=lambda p: np.array(pit.gradient(*p), float), method="L-BFGS-B", bounds=bounds)
        x, y = (float(v) for v in res.x)
        fv = float(pit.value(x, y))
        if fv > Z[i, j]:          # polishing never makes a minimum worse
            x, y, fv = float(Xg[i, j]), float(Yg[i, j]), float(Z[i, j])
        if all(math.hypot(x - a, y - b) > 0.1 for a, b, _ in found):
            found.append((x, y, fv))
    found.sort(key=lambda t: t[2])
    gx, gy, gv = found[0]
    return Minima((gx, gy), gv, tuple(found))


@dataclass(frozen=True)
class Dip:
    x: float
    y: float
    depth: float
    grad: tuple[float, float]     # ∇f at the dip (the arrow drawn is −∇f)


@dataclass(frozen=True)
class Game:
    kind: str
    seed: int
    mode: str
    dips: tuple[Dip, ...] = ()
    won: bool = False
    revealed: bool = False

    @property
    def remaining(self) -> int:
        return MAX_DIPS - len(self.dips)

    @property
    def over(self) -> bool:
        return self.won or self.remaining <= 0

    @property
    def best(self) -> Dip | None:
        return max(self.dips, key=lambda d: d.depth) if self.dips else None


def new_game(kind: str, seed: int, mode: str = "gradient") -> Game:
    return Game(kind, int(seed), mode if mode in MODES else "gradient")


def with_mode(game: Game, mode: str) -> Game:
    """The same game seen in another mode (the dips stay)."""
    return replace(game, mode=mode if mode in MODES else "gradient")


def reveal(game: Game) -> Game:
    return replace(game, revealed=True)


@dataclass(frozen=True)
class DipResult:
    game: Game
    status: str      # "win" | "local" | "miss" | "over" | "outside"
    message: str


def dip(game: Game, pit: Pit, minima: Minima, x: float, y: float) -> DipResult:
    """Dip the stick at (x, y): record depth (and ∇f), then score."""
    if game.over:
        return DipResult(game, "over", "The game is over: start a new pit to play again.")
    if not (0 <= x <= SIZE and 0 <= y <= SIZE) or not (math.isfinite(x) and math.isfinite(y)):
        return DipResult(game, "outside", f"({x:g}, {y:g}) is outside the pit: both coordinates lie in [0, 6].")
    gx, gy = pit.gradient(x, y)
    d = Dip(round(float(x), 4), round(float(y), 4), pit.depth(x, y), (float(gx), float(gy)))
    dips = game.dips + (d,)
    gxm, gym = minima.global_min
    if math.hypot(x - gxm, y - gym) <= WIN_RADIUS:
        g = replace(game, dips=dips, won=True, revealed=True)
        return DipResult(g, "win", f"🎉 You found the bottom in {len(dips)} dips! Depth {d.depth:.3f} "
                                   f"(the deepest point is at ({gxm:.2f}, {gym:.2f})).")
    left = MAX_DIPS - len(dips)
    g = replace(game, dips=dips, revealed=game.revealed or left <= 0)
    for lx, ly, lv in minima.local[1:]:
        if math.hypot(x - lx, y - ly) <= LOCAL_RADIUS:
            msg = (f"Depth {d.depth:.3f}. You are at the bottom of a dip: every direction goes up "
                   "from here — but it is a *local* minimum, and somewhere else is deeper.")
            return DipResult(g, "local", _with_count(msg, left))
    return DipResult(g, "miss", _with_count(f"Depth {d.depth:.3f}.", left))


def _with_count(msg: str, left: int) -> str:
    if left <= 0:
        return msg + " That was your last dip: the pit is revealed."
    if left <= WARN_AT:
        return msg + f" ⚠️ Only {left} dip{'s' if left != 1 else ''} left!"
    return msg
