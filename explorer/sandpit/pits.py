"""The Sandpit's hidden surfaces: a bowl, Gaussian wells and (for "rocks") ripples, with analytic
gradients, the formula as text and as LaTeX, and every minimum on the 6 × 6 square.

    f = a·((x − cx)² + (y − cy)²) − Σ dᵢ·exp(−((x − xᵢ)² + (y − yᵢ)²)/wᵢ) + Σ rⱼ·sin(kⱼx + φⱼ)·sin(lⱼy + ψⱼ)

``INTRO`` is the course's first pit, written ONCE here: the multivariate page's preset
``SANDPIT_INTRO`` is its text (``pit_text``) and the revealed formula its LaTeX (``pit_latex``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from explorer.numbers import tex_number

SIZE = 6.0

KINDS = {                     # kind -> the label a learner sees (and the URL holds)
    "intro": "course intro",
    "smooth": "smooth",
    "several": "several minima",
    "rocks": "rocks",
    "well": "narrow well",
}


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


# −((x−4.1)² + (y−0.9)²) − 30·exp(−((x−1.5)² + (y−3.7)²)/2.8): the course's first pit
INTRO = Pit("intro", 0, -1.0, (4.1, 0.9), ((1.5, 3.7, 30.0, 2.8),))


def _num(v: float) -> str:
    """A parameter as typed text to 10 significant figures (4.1, 30, 0.4235082914)."""
    return f"{float(v):.10g}"


def _factor(a: float, num) -> str:
    return "-" if a == -1 else "" if a == 1 else num(a)


def pit_text(pit: Pit) -> str:
    """The pit's formula as text the expression parser reads (exact for the course's pit)."""
    c = pit.centre
    s = f"{_factor(pit.a, _num)}((x - {_num(c[0])})^2 + (y - {_num(c[1])})^2)"
    for xi, yi, d, w in pit.wells:
        s += f" - {_num(d)} exp(-((x - {_num(xi)})^2 + (y - {_num(yi)})^2)/{_num(w)})"
    for r, k, p, l, q in pit.ripples:
        s += f" + {_num(r)} sin({_num(k)}x + {_num(p)}) sin({_num(l)}y + {_num(q)})"
    return s


def pit_latex(pit: Pit) -> str:
    """``f = …``: the pit's formula as LaTeX (parameters to 4 significant figures)."""
    def n(v):
        return tex_number(v, 4)
    c = pit.centre
    s = rf"f = {_factor(pit.a, n)}\left((x-{n(c[0])})^2 + (y-{n(c[1])})^2\right)"
    for xi, yi, d, w in pit.wells:
        s += rf" - {n(d)}\,e^{{-\frac{{(x-{n(xi)})^2 + (y-{n(yi)})^2}}{{{n(w)}}}}}"
    for r, k, p, l, q in pit.ripples:
        s += rf" + {n(r)}\sin({n(k)}x + {n(p)})\sin({n(l)}y + {n(q)})"
    return s


INTRO_TEXT = pit_text(INTRO)


def make_pit(kind: str = "intro", seed: int = 0) -> Pit:
    """A pit of the given kind; random kinds are reproducible from ``seed``."""
    if kind not in KINDS:
        raise ValueError(f"unknown pit kind {kind!r}")
    if kind == "intro":
        return replace(INTRO, seed=int(seed))
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
    """Where the pit is lowest. ``global_min`` is the deepest point of the closed square (the game's
    target; it may lie on a wall). ``local`` holds only true local minima: interior points where
    ∇f = 0 and the Hessian is positive definite, deepest first. ``wall`` holds the points on a wall
    that are lower than every nearby point of the square although the ground still falls beyond the
    wall (a corner of an upside-down bowl): they are NOT local minima of f, only the lowest points
    along the wall there, deepest first."""
    global_min: tuple[float, float]
    global_value: float
    local: tuple[tuple[float, float, float], ...]
    wall: tuple[tuple[float, float, float], ...] = ()

    @property
    def bottom_on_wall(self) -> bool:
        return _on_wall(*self.global_min)

    @property
    def traps(self) -> tuple[tuple[float, float, float], ...]:
        """The local minima that are not the bottom: they look like the bottom from nearby."""
        gx, gy = self.global_min
        return tuple(m for m in self.local if math.hypot(m[0] - gx, m[1] - gy) > SAME)

    @property
    def wall_lows(self) -> tuple[tuple[float, float, float], ...]:
        """The lowest points along a wall, other than the bottom."""
        gx, gy = self.global_min
        return tuple(m for m in self.wall if math.hypot(m[0] - gx, m[1] - gy) > SAME)


SAME = 0.1          # two minima closer than this are one
WALL = 1e-6         # a point this close to an edge of the square is on the wall


def _on_wall(x: float, y: float) -> bool:
    return min(x, y, SIZE - x, SIZE - y) <= WALL


def hessian(pit: Pit, x: float, y: float, h: float = 1e-5) -> np.ndarray:
    """The Hessian of f at (x, y): central differences of the analytic gradient, symmetrised."""
    gxp, gyp = pit.gradient(x + h, y)
    gxm, gym = pit.gradient(x - h, y)
    hxp, hyp = pit.gradient(x, y + h)
    hxm, hym = pit.gradient(x, y - h)
    H = np.array([[gxp - gxm, gyp - gym], [hxp - hxm, hyp - hym]], float) / (2 * h)
    return 0.5 * (H + H.T)


def _stationary(pit: Pit, x: float, y: float, steps: int = 30) -> tuple[float, float] | None:
    """Newton's method on ∇f = 0 from (x, y): the interior point near (x, y) where the gradient
    vanishes (to 1e-9 relative), or None when Newton's steps leave the neighbourhood or the square."""
    p = np.array([x, y], float)
    tol = 1e-9 * (1 + abs(float(pit.value(x, y))))
    for _ in range(steps):
        g = np.array(pit.gradient(*p), float)
        if np.hypot(*g) <= tol:
            break
        try:
            p = p - np.linalg.solve(hessian(pit, *p), g)
        except np.linalg.LinAlgError:
            return None
    px, py = float(p[0]), float(p[1])
    if (math.hypot(px - x, py - y) > SAME or _on_wall(px, py) or not (0 < px < SIZE and 0 < py < SIZE)
            or np.hypot(*pit.gradient(px, py)) > tol):
        return None
    return px, py


def find_minima(pit: Pit, n: int = 241) -> Minima:
    """The minima on the square: the grid's lowest-among-neighbours points (walls included), each
    polished by L-BFGS-B within the walls. A polished point inside the square is kept as a local
    minimum only where ∇f = 0 (refined by Newton's method) and H is positive definite; one on a wall
    is a wall low, not a local minimum. The deepest of all is the bottom."""
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
    local: list[tuple[float, float, float]] = []
    wall: list[tuple[float, float, float]] = []
    bounds = [(0, SIZE), (0, SIZE)]
    for i, j in zip(*np.nonzero(is_min)):
        res = minimize(lambda p: float(pit.value(*p)), [Xg[i, j], Yg[i, j]],
                       jac=lambda p: np.array(pit.gradient(*p), float), method="L-BFGS-B", bounds=bounds)
        x, y = (float(v) for v in res.x)
        fv = float(pit.value(x, y))
        if fv > Z[i, j]:          # polishing never makes a minimum worse
            x, y, fv = float(Xg[i, j]), float(Yg[i, j]), float(Z[i, j])
        if _on_wall(x, y):
            found, point = wall, (x, y, fv)
        else:
            xy = _stationary(pit, x, y)
            if xy is None or np.any(np.linalg.eigvalsh(hessian(pit, *xy)) <= 0):
                continue          # not a point where ∇f = 0 with H positive definite
            found, point = local, (*xy, float(pit.value(*xy)))
        if all(math.hypot(point[0] - a, point[1] - b) > SAME for a, b, _ in local + wall):
            found.append(point)
    local.sort(key=lambda t: t[2])
    wall.sort(key=lambda t: t[2])
    gx, gy, gv = min(local + wall, key=lambda t: t[2])
    return Minima((gx, gy), gv, tuple(local), tuple(wall))
