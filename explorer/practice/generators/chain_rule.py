"""Module 3 drills: the multivariate chain rule along a path, and a one-neuron network's derivative."""
from __future__ import annotations

import random

import sympy as sp

from explorer.expressions import to_latex as tex
from explorer.practice.generators.common import (CHAIN, SIGN, T, X, Y, approx, number_part, nz, question, steps,
                                                 txt)
from explorer.practice.questions import Question

ONE_PATH = ("only one path of the chain rule", "f depends on t through BOTH x and y: add both contributions.")


def total_derivative(rng: random.Random, difficulty: int) -> Question:
    f = nz(rng, -3, 3) * X ** rng.randint(1, 2) * Y + nz(rng, -3, 3) * Y ** rng.randint(1, 2)
    if difficulty >= 2:
        f += nz(rng, -2, 2) * X ** 2
    xt = nz(rng, -3, 3) * T ** rng.randint(1, 2) + rng.randint(-2, 2)
    yt = rng.choice([nz(rng, -3, 3) * T + rng.randint(-2, 2), T ** 2, sp.sin(T), sp.exp(T)][: 2 + difficulty])
    t0 = rng.randint(-2, 2) if difficulty < 3 else rng.choice([0, 1])
    fx, fy = sp.diff(f, X), sp.diff(f, Y)
    dxt, dyt = sp.diff(xt, T), sp.diff(yt, T)
    at = {T: t0}
    xv, yv = xt.subs(at), yt.subs(at)
    pt = {X: xv, Y: yv}
    total = fx.subs(pt) * dxt.subs(at) + fy.subs(pt) * dyt.subs(at)
    worked = steps(
        ("Multivariate chain rule: df/dt = ∂f/∂x · dx/dt + ∂f/∂y · dy/dt",
         r"\frac{df}{dt} = f_x\,\dot x + f_y\,\dot y"),
        ("Partial derivatives of f", r"f_x = " + tex(fx) + r",\quad f_y = " + tex(fy)),
        ("Derivatives of the path", r"\dot x = " + tex(dxt) + r",\quad \dot y = " + tex(dyt)),
        (f"At t = {t0} the path is at (x, y) = ({txt(xv)}, {txt(yv)})",
         r"\frac{df}{dt}\Big|_{t=" + str(t0) + r"} = " + tex(fx.subs(pt)) + r"\cdot " + tex(dxt.subs(at)) + " + "
         + tex(fy.subs(pt)) + r"\cdot " + tex(dyt.subs(at)) + " = " + tex(total)),
    )
    return question("chain-rule", "multivariate chain rule",
                    f"f depends on t through x(t) and y(t). Find df/dt at t = {t0}:",
                    r"f(x, y) = " + tex(f) + r",\quad x(t) = " + tex(xt) + r",\quad y(t) = " + tex(yt),
                    [number_part(f"df/dt at t = {t0} =", total)], worked, [
                        (*ONE_PATH, [fx.subs(pt) * dxt.subs(at)]),
                        (*ONE_PATH, [fy.subs(pt) * dyt.subs(at)]),
                        (*CHAIN, [fx.subs(pt) + fy.subs(pt)]),
                        (*SIGN, [-total]),
                    ])


def _bracketed(v) -> str:
    """A value to put after ·, + or −: negative ones in brackets (2·(−2), not 2·-2)."""
    return tex(v) if v >= 0 else r"\left(" + tex(v) + r"\right)"


def neuron(rng: random.Random, difficulty: int) -> Question:
    w, b, a0 = nz(rng, -3, 3), rng.randint(-2, 2), nz(rng, -2, 2)
    if difficulty >= 3:
        w, b = sp.Rational(nz(rng, -6, 6), 2), sp.Rational(rng.randint(-4, 4), 2)
    z = w * a0 + b
    wrt = rng.choice(["w", "b"])
    dz = a0 if wrt == "w" else 1
    grad = (1 - sp.tanh(z) ** 2) * dz
    d_dwrt = r"\frac{\partial a}{\partial " + wrt + "}"
    worked = steps(
        ("Chain rule through the neuron: a = tanh(z), z = w·a₀ + b",
         d_dwrt + r" = \frac{da}{dz}\cdot\frac{\partial z}{\partial " + wrt + "}"),
        ("Derivative of tanh", r"\frac{da}{dz} = 1 - \tanh^2 z,\quad z = " + tex(w) + r"\cdot " +
         _bracketed(a0) + " + " + _bracketed(b) + " = " + tex(z)),
        (f"∂z/∂{wrt} = {'a₀' if wrt == 'w' else '1'}", r"\frac{\partial z}{\partial " + wrt + "} = " + tex(dz)),
        ("Multiply", d_dwrt + " = " + tex(grad) + approx(grad)),
    )
    cands = [(*SIGN, [-grad]), ("using tanh instead of its derivative", "The derivative of tanh z is "
             "1 − tanh² z, not tanh z.", [sp.tanh(z) * dz])]
    if wrt == "w":
        cands.insert(0, (*CHAIN, [1 - sp.tanh(z) ** 2]))
    return question("chain-rule", "a neuron's derivative",
                    f"A one-neuron network: a = tanh(w·a₀ + b) with w = {w}, b = {b}, a₀ = {a0}. "
                    f"Find ∂a/∂{wrt}:", r"a = \tanh(w\,a_0 + b)", [number_part(f"∂a/∂{wrt} =", grad)], worked, cands)


def make(rng: random.Random, difficulty: int) -> Question:
    return rng.choice([total_derivative, total_derivative, neuron] if difficulty > 1
                      else [total_derivative])(rng, difficulty)
