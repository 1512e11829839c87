"""Descent in two dimensions: steepest descent, Newton, the course's hybrid, momentum and Adam,
each step written by hand (they are the lesson), every point of the path recorded."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from explorer.multivariate import nudge, pad_label, pad_step, point_from_click   # shared with that page
from explorer.optimise.compiled import X, Y, NonFinite, parse, scalar_bundle
from explorer.result import IterationResult


@functools.lru_cache(maxsize=64)
def _descent_bundle(f: str):
    """(x, y) -> (f, fx, fy, fxx, fxy, fyy), lambdified once per function text."""
    expr = parse(f)
    fx, fy = sp.diff(expr, X), sp.diff(expr, Y)
    return scalar_bundle([expr, fx, fy, sp.diff(fx, X), sp.diff(fx, Y), sp.diff(fy, Y)], [X, Y])


METHODS = {
    "gradient": "Steepest descent −γ∇f",
    "newton": "Newton −H⁻¹∇f",
    "hybrid": "Hybrid (course)",
    "momentum": "Momentum",
    "adam": "Adam",
}
# the course's sandpit code: use −γ∇f if the Newton step is longer than 2 or points uphill (its γ
# there is 0.5; here it is the page's step γ)
HYBRID_MAX_STEP = 2.0
MOMENTUM_BETA = 0.9
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
GRAD_TOL = 1e-8
BLOW_UP = 1e6             # |x| or |y| beyond this: the run has diverged


@dataclass(kw_only=True)
class DescentResult(IterationResult):
    """``history`` is the (k+1, 2) path, the start first; ``x`` its last point. ``status``:
    "converged" (a minimum: ``success``), "stationary" (converged to a maximum, saddle or
    degenerate point), "diverged", "non-finite", "max-iter", "singular" or "left-window"."""
    f: str
    method: str
    values: np.ndarray          # f at each point of the path
    used_newton: np.ndarray | None = None   # hybrid: which steps were Newton steps


def descend(f: str, start: tuple[float, float], method: str, step: float = 0.1,
            max_iter: int = 1000, bounds: tuple[float, float, float, float] | None = None
            ) -> DescentResult:
    """Minimise f(x, y) from ``start`` with one of METHODS, recording every point.

    gradient  p ← p − γ∇f
    newton    p ← p − H⁻¹∇f            (finds any stationary point: maxima and saddles too)
    hybrid    the Newton step, unless it points uphill (d·∇f ≥ 0) or is longer than
              HYBRID_MAX_STEP, then −γ∇f (the course's sandpit strategy)
    momentum  v ← βv − γ∇f, p ← p + v  (β = 0.9)
    adam      Adam with learning rate γ, β = (0.9, 0.999)
    Converged when ‖∇f‖ < 1e-8 (a success only at a minimum); stops with a message when values blow up or become undefined,
    and (when ``bounds`` = (x0, x1, y0, y1) is given, e.g. the walls of a sandpit) when it leaves them.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    bundle = _descent_bundle(f)
    gamma = float(step)
    px, py = float(start[0]), float(start[1])
    xs, ys, fs, newton_flags = [px], [py], [], []
    vx = vy = 0.0
    mx = my = sx = sy = 0.0
    b1, b2 = ADAM_BETAS
    status, message = "", ""
    k = 0
    while True:
        try:
            fv, gx, gy, hxx, hxy, hyy = bundle(px, py)
        except NonFinite:
            if fs:   # drop the point we could not evaluate
                xs.pop(), ys.pop()
            status = "non-finite"
            message = (f"Stopped after {k} steps: f or its derivatives are not defined (NaN/∞) at "
                       f"({px:.4g}, {py:.4g}) — the step left the region where f exists.")
            if len(fs) and (abs(px) > 1e3 or abs(py) > 1e3 or abs(fs[-1]) > 1e100):
                status = "diverged"
                message = (f"Diverged after {k} steps: the values exploded (f is not finite at "
                           f"({px:.3g}, {py:.3g})). Try a smaller step γ.")
            break
        fs.append(fv)
        gnorm = math.hypot(gx, gy)
        if gnorm < GRAD_TOL:
            kind = _stationary_kind(hxx, hxy, hyy)
            status = "converged" if kind == "minimum" else "stationary"
            message = f"Converged in {k} steps to ({px:.6g}, {py:.6g}), f = {fv:.6g}" + (
                "." if kind == "minimum" else f" — but this is a {kind}, not a minimum!")
            break
        if abs(px) > BLOW_UP or abs(py) > BLOW_UP or abs(fv) > 1e100:
            status = "diverged"
            message = (f"Diverged after {k} steps: the point ran off to ({px:.3g}, {py:.3g}) "
                       "(values exploding). Try a smaller step γ.")
            break
        if bounds is not None and not (bounds[0] <= px <= bounds[1] and bounds[2] <= py <= bounds[3]):
            status = "left-window"
            message = (f"Left the area after {k} steps at ({px:.3g}, {py:.3g}): outside it the surface "
                       "keeps falling, so descent would run off for ever.")
            break
        if k >= max_iter:
            status = "max-iter"
            message = f"Not converged within {max_iter} steps (‖∇f‖ = {gnorm:.3g} at the end)."
            break
        used_newton = False
        if method == "gradient":
            dx, dy = -gamma * gx, -gamma * gy
        elif method in ("newton", "hybrid"):
            det = hxx * hyy - hxy * hxy
            if det == 0.0 or not math.isfinite(det) or abs(det) < 1e-300:
                if method == "newton":
                    status = "singular"
                    message = (f"Stopped after {k} steps: the Hessian is singular at ({px:.4g}, {py:.4g}), "
                               "so the Newton step −H⁻¹∇f does not exist.")
                    break
                dx, dy = -gamma * gx, -gamma * gy
            else:
                nx = -(hyy * gx - hxy * gy) / det
                ny = -(-hxy * gx + hxx * gy) / det
                if method == "newton":
                    dx, dy, used_newton = nx, ny, True
                elif nx * gx + ny * gy >= 0 or math.hypot(nx, ny) > HYBRID_MAX_STEP:
                    dx, dy = -gamma * gx, -gamma * gy
                else:
                    dx, dy, used_newton = nx, ny, True
        elif method == "momentum":
            vx = MOMENTUM_BETA * vx - gamma * gx
            vy = MOMENTUM_BETA * vy - gamma * gy
            dx, dy = vx, vy
        else:  # adam
            t = k + 1
            mx = b1 * mx + (1 - b1) * gx
            my = b1 * my + (1 - b1) * gy
            sx = b2 * sx + (1 - b2) * gx * gx
            sy = b2 * sy + (1 - b2) * gy * gy
            c1, c2 = 1 - b1 ** t, 1 - b2 ** t
            dx = -gamma * (mx / c1) / (math.sqrt(sx / c2) + ADAM_EPS)
            dy = -gamma * (my / c1) / (math.sqrt(sy / c2) + ADAM_EPS)
        newton_flags.append(used_newton)
        px, py = px + dx, py + dy
        if not (math.isfinite(px) and math.isfinite(py)):
            status = "diverged"
            message = f"Diverged after {k + 1} steps: the step became infinite. Try a smaller step γ."
            newton_flags.pop()
            break
        xs.append(px)
        ys.append(py)
        k += 1
    n = len(fs)
    path = np.column_stack([xs[:n], ys[:n]]) if n else np.array([[float(start[0]), float(start[1])]])
    return DescentResult(x=path[-1], success=status == "converged", status=status, message=message,
                         nit=len(path) - 1, history=path, f=f, method=method, values=np.array(fs),
                         used_newton=np.array(newton_flags[: max(n - 1, 0)], bool))


def start_from_click(point, lo: float = -6.0, hi: float = 6.0, step: float = 0.05
                     ) -> tuple[float, float] | None:
    """The start (x, y) a click on the contour map picks: each coordinate snapped to the start
    sliders' ``step`` and clamped to their range [lo, hi]; None for no usable click."""
    return point_from_click(point, (lo, hi), (lo, hi), step)


def start_from_arrow(start, move: str, window, lo: float = -6.0, hi: float = 6.0, step: float = 0.05
                     ) -> tuple[float, float]:
    """The keyboard's alternative to a click on the map: the start after pressing the arrow button
    ``move`` ("left", "up", "down", "right"), one pad step of the map's ``window`` (x0, x1, y0, y1)
    that way, snapped to the sliders' ``step`` and kept in their range [lo, hi]."""
    pad = (pad_step(window[0], window[1], step), pad_step(window[2], window[3], step))
    return nudge(start, move, (lo, hi), (lo, hi), step, step, pad=pad)


def start_arrow_label(window, step: float = 0.05) -> str:
    """The label of the map's arrow buttons, saying how far a press moves the start."""
    return pad_label(window[:2], window[2:], step, what="the start")


def _stationary_kind(hxx: float, hxy: float, hyy: float) -> str:
    det = hxx * hyy - hxy * hxy
    scale = max(1e-300, abs(hxx) + abs(hyy) + abs(hxy)) ** 2
    if abs(det) <= 1e-12 * scale:
        return "degenerate stationary point"
    if det < 0:
        return "saddle point"
    return "minimum" if hxx + hyy > 0 else "maximum"
