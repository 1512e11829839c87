"""The views of a surface: the grid for the 3D surface and the contour map, the gradient field,
the slices through the point, the tangent plane and the directional derivative.

Grid coordinates are rounded to 4 decimals and values with ``round_to_scale`` (4 significant
figures of the largest), so the charts stay small on the wire.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer.expressions import compile_expression
from explorer.multivariate.derivatives import Derivatives, as_function
from explorer.multivariate.point import PointAnalysis
from explorer.multivariate.presets import VARS
from explorer.numbers import round_to_scale, tex_number


@dataclass(frozen=True)
class Grid:
    x: np.ndarray          # (n,)
    y: np.ndarray          # (m,)
    z: np.ndarray          # (m, n), rounded, NaN where undefined

    @property
    def zrange(self) -> tuple[float, float]:
        finite = self.z[np.isfinite(self.z)]
        if finite.size == 0:
            return (-1.0, 1.0)
        lo, hi = float(finite.min()), float(finite.max())
        if finite.size > 50:
            # robust: a tail reaching far beyond the 1st–99th percentiles (a pole's spike) is cut off
            p1, p99 = (float(v) for v in np.percentile(finite, [1, 99]))
            fence = 0.5 * (p99 - p1)
            lo, hi = (lo if lo >= p1 - fence else p1), (hi if hi <= p99 + fence else p99)
        return (lo, hi) if hi > lo else (lo - 1, hi + 1)


def surface(text: str, xr, yr, n: int = 50) -> Grid:
    """f on an n×n grid over xr × yr, rounded so the chart stays small."""
    f = compile_expression(text, VARS)
    x = np.linspace(xr[0], xr[1], n)
    y = np.linspace(yr[0], yr[1], n)
    Xg, Yg = np.meshgrid(x, y)
    return Grid(np.round(x, 4), np.round(y, 4), round_to_scale(f(Xg, Yg), 4))


def gradient_arrows(derivs: Derivatives, xr, yr, n: int = 15, frac: float = 0.85,
                    negative: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The gradient field on an n×n grid as ONE polyline (tail, tip, wing, tip, wing, NaN per arrow).

    Arrow lengths are scaled so the longest is ``frac`` of a grid cell (a readable field; the
    direction is exact, the length is relative). Returns ``(xs, ys, gx, gy)``: the polyline and the
    raw gradient components at the arrow tails. The contour map is drawn with equal axes, so the
    arrows' directions on screen are the true directions.
    """
    fx, fy = as_function(derivs.grad[0]), as_function(derivs.grad[1])
    gxs = np.linspace(xr[0], xr[1], n + 2)[1:-1]
    gys = np.linspace(yr[0], yr[1], n + 2)[1:-1]
    Xg, Yg = np.meshgrid(gxs, gys)
    px, py = Xg.ravel(), Yg.ravel()
    gx, gy = fx(px, py), fy(px, py)
    sign = -1.0 if negative else 1.0
    cell = min(gxs[1] - gxs[0], gys[1] - gys[0]) if n > 1 else 1.0
    norm = np.hypot(gx, gy)
    big = np.nanmax(norm) if np.any(np.isfinite(norm)) and np.nanmax(norm) > 0 else 1.0
    # compress the range a little (sqrt) so small arrows stay visible next to huge ones
    lengths = np.sqrt(norm / big) * frac * cell
    with np.errstate(all="ignore"):
        ux, uy = np.where(norm > 0, gx / norm, 0.0), np.where(norm > 0, gy / norm, 0.0)
    dx, dy = sign * ux * lengths, sign * uy * lengths
    xs, ys = arrows_xy(px, py, dx, dy, head=0.35)
    ok = np.repeat(np.isfinite(norm) & (norm > 0), 6)
    xs, ys = np.where(ok, xs, np.nan), np.where(ok, ys, np.nan)
    return np.round(xs, 4), np.round(ys, 4), gx, gy


def arrows_xy(x0, y0, dx, dy, head: float = 0.28, angle: float = 25.0):
    """Several arrows (arrays x0, y0, dx, dy) as ONE NaN-separated polyline: tail, tip, wing, tip,
    wing, NaN per arrow; the wings are the reversed arrow, ``head`` as long, turned by ±``angle``°."""
    x0, y0, dx, dy = (np.atleast_1d(np.asarray(a, float)) for a in (x0, y0, dx, dy))
    tx, ty = x0 + dx, y0 + dy
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    bx, by = -dx * head, -dy * head
    nan = np.full_like(x0, np.nan)
    xs = np.stack([x0, tx, tx + c * bx - s * by, tx, tx + c * bx + s * by, nan], axis=1).ravel()
    ys = np.stack([y0, ty, ty + s * bx + c * by, ty, ty - s * bx + c * by, nan], axis=1).ravel()
    return xs, ys


@dataclass(frozen=True)
class Slices:
    x: np.ndarray           # the x axis of f(x, y0)
    fx_curve: np.ndarray    # f(x, y0)
    tangent_x: np.ndarray   # f0 + fx (x - x0)
    y: np.ndarray
    fy_curve: np.ndarray    # f(x0, y)
    tangent_y: np.ndarray


def slices(text: str, pa: PointAnalysis, xr, yr, n: int = 61) -> Slices:
    """The slices through the point, ``n`` samples across the window (61: a tenth of a unit on a
    6-wide window, smooth on screen; every slider step re-sends them, and every drag frame)."""
    f = compile_expression(text, VARS)
    x = np.linspace(xr[0], xr[1], n)
    y = np.linspace(yr[0], yr[1], n)
    cx = f(x, np.full_like(x, pa.y0))
    cy = f(np.full_like(y, pa.x0), y)
    tx = pa.f + pa.grad[0] * (x - pa.x0)
    ty = pa.f + pa.grad[1] * (y - pa.y0)
    return Slices(np.round(x, 4), round_to_scale(cx), round_to_scale(tx),
                  np.round(y, 4), round_to_scale(cy), round_to_scale(ty))


def tangent_plane(pa: PointAnalysis, half_x: float, half_y: float):
    """Corners of the tangent plane z = f0 + fx (x − x0) + fy (y − y0) over a small window."""
    xs = np.array([pa.x0 - half_x, pa.x0 + half_x])
    ys = np.array([pa.y0 - half_y, pa.y0 + half_y])
    Xg, Yg = np.meshgrid(xs, ys)
    z = pa.f + pa.grad[0] * (Xg - pa.x0) + pa.grad[1] * (Yg - pa.y0)
    return xs, ys, z


def directional_derivative(grad, theta: float) -> float:
    """D_u f = ∇f · u with u = (cos θ, sin θ)."""
    return float(grad[0] * math.cos(theta) + grad[1] * math.sin(theta))


def steepest_angle(grad) -> float:
    """The angle θ in [0, 2π) of ∇f: where D_u f is largest (= |∇f|)."""
    return float(math.atan2(grad[1], grad[0]) % (2 * math.pi))


def directional_latex(pa: PointAnalysis, theta_deg: float) -> str:
    """D_u f = ∇f · u at the point for this θ (in degrees), and the largest slope and its angle."""
    n = tex_number
    theta = math.radians(theta_deg)
    d = directional_derivative(pa.grad, theta)
    best = math.degrees(steepest_angle(pa.grad))
    return (rf"D_{{\mathbf u}} f = \nabla f \cdot \mathbf u = ({n(pa.grad[0])})\cos\theta + "
            rf"({n(pa.grad[1])})\sin\theta = {n(d)}\qquad \text{{largest}} = |\nabla f| = "
            rf"{n(pa.grad_norm)} \text{{ at }} \theta = {best:.1f}^\circ")
