"""Module 2 drills: a partial derivative, the gradient at a point, a Jacobian or Hessian entry."""
from __future__ import annotations

import random

import sympy as sp

from explorer.expressions import to_latex as tex
from explorer.practice.generators.common import (SIGN, X, Y, expression_part, number_part, nz, point, question,
                                                 steps)
from explorer.practice.questions import Question

XY = ("x", "y")


def poly_xy(rng: random.Random, difficulty: int) -> sp.Expr:
    terms = [nz(rng, -5, 5) * X ** rng.randint(1, 3) * Y ** rng.randint(1, 2),
             nz(rng, -5, 5) * X ** rng.randint(2, 3), nz(rng, -5, 5) * Y ** rng.randint(1, 3)]
    if difficulty >= 2:
        terms.append(nz(rng, -3, 3) * rng.choice([sp.sin(X * Y), sp.exp(X + Y), sp.cos(X) * Y]))
    return sp.Add(*terms)


def partial(rng: random.Random, difficulty: int) -> Question:
    f = poly_xy(rng, difficulty)
    var, other = (X, Y) if rng.random() < 0.5 else (Y, X)
    d = sp.diff(f, var)
    d_dvar = r"\frac{\partial}{\partial " + str(var) + "}"
    worked = steps(
        (f"Partial derivative: treat {other} as a constant and differentiate with respect to {var}",
         r"\frac{\partial f}{\partial " + str(var) + "} = " +
         " + ".join(d_dvar + r"\left(" + tex(t) + r"\right)" for t in sp.Add.make_args(f))),
        ("Sum, power (and chain) rules term by term; terms without " + str(var) + " give 0",
         r"\frac{\partial f}{\partial " + str(var) + "} = " + tex(d)),
    )
    return question("multivariate", "partial derivative", f"Find the partial derivative with respect to **{var}**:",
                    "f(x, y) = " + tex(f), [expression_part(f"∂f/∂{var} =", d, XY)], worked, [
                        ("differentiating with respect to the wrong variable",
                         f"The question asks for ∂f/∂{var}; you differentiated with respect to {other}.",
                         [sp.diff(f, other)]),
                        (*SIGN, [-d]),
                    ])


def gradient(rng: random.Random, difficulty: int) -> Question:
    f = poly_xy(rng, difficulty)
    x0, y0 = point(rng)
    fx, fy = sp.diff(f, X), sp.diff(f, Y)
    gx, gy = (e.subs({X: x0, Y: y0}) for e in (fx, fy))
    worked = steps(
        ("Partial derivative in x (y held constant)", r"f_x = " + tex(fx)),
        ("Partial derivative in y (x held constant)", r"f_y = " + tex(fy)),
        (f"Gradient = (f_x, f_y), evaluated at ({x0}, {y0})",
         r"\nabla f(" + f"{x0}, {y0}" + r") = \left(" + tex(gx) + ",\\ " + tex(gy) + r"\right)"),
    )
    parts = [number_part("∂f/∂x at the point =", gx), number_part("∂f/∂y at the point =", gy)]
    return question("multivariate", "gradient at a point", f"Find the gradient ∇f at the point (x, y) = ({x0}, {y0}):",
                    "f(x, y) = " + tex(f), parts, worked, [
                        ("the components swapped", "The gradient lists ∂f/∂x first, then ∂f/∂y.", [gy, gx]),
                        (*SIGN, [-gx, -gy]),
                    ])


def jacobian_entry(rng: random.Random) -> Question:
    u = nz(rng, -4, 4) * X ** rng.randint(1, 3) * Y + nz(rng, -5, 5) * Y ** 2
    v = nz(rng, -4, 4) * X * Y ** rng.randint(1, 2) + nz(rng, -3, 3) * rng.choice([sp.sin(X), sp.exp(Y), X ** 3])
    i, j = rng.randint(1, 2), rng.randint(1, 2)
    comp, var = (u, v)[i - 1], (X, Y)[j - 1]
    entry = sp.diff(comp, var)
    name = ("u", "v")[i - 1]
    worked = steps(
        ("Jacobian: row i holds the partial derivatives of the i-th component",
         r"J = \begin{pmatrix} u_x & u_y \\ v_x & v_y \end{pmatrix}"),
        (f"Entry J_{i}{j} = ∂{name}/∂{var}: differentiate {name} with the other variable constant",
         r"J_{" + f"{i}{j}" + r"} = \frac{\partial " + name + r"}{\partial " + str(var) + "} = " + tex(entry)),
    )
    transposed = sp.diff((u, v)[j - 1], (X, Y)[i - 1])
    return question("multivariate", "Jacobian entry",
                    f"For the map (u, v) below, find the Jacobian entry **J_{i}{j}** (row {i}, column {j}):",
                    r"u(x, y) = " + tex(u) + r",\qquad v(x, y) = " + tex(v),
                    [expression_part(f"J_{i}{j} =", entry, XY)], worked, [
                        ("rows and columns swapped (the transpose)", "Rows are the components (u, v); columns "
                         "the variables (x, y): J_ij = ∂(component i)/∂(variable j).", [transposed]),
                        (*SIGN, [-entry]),
                    ])


def hessian_entry(rng: random.Random, difficulty: int) -> Question:
    f = poly_xy(rng, difficulty)
    which = rng.choice(["xx", "xy", "yy"])
    v1, v2 = (X if which[0] == "x" else Y), (X if which[1] == "x" else Y)
    first = sp.diff(f, v1)
    entry = sp.diff(first, v2)
    label = {"xx": "H_11 = ∂²f/∂x²", "xy": "H_12 = ∂²f/∂x∂y", "yy": "H_22 = ∂²f/∂y²"}[which]
    worked = steps(
        ("Hessian: the matrix of second partial derivatives",
         r"H = \begin{pmatrix} f_{xx} & f_{xy} \\ f_{yx} & f_{yy} \end{pmatrix}"),
        (f"First differentiate with respect to {v1}", r"f_{" + str(v1) + "} = " + tex(first)),
        (f"Then differentiate that with respect to {v2}", r"f_{" + str(v1) + str(v2) + "} = " + tex(entry)),
    )
    return question("multivariate", "Hessian entry", f"Find the Hessian entry **{label}**:", "f(x, y) = " + tex(f),
                    [expression_part(label.split(" = ")[0] + " =", entry, XY)], worked, [
                        ("stopping after the first derivative",
                         "A Hessian entry is a SECOND derivative: differentiate twice.", [first]),
                        (*SIGN, [-entry]),
                    ])


def jacobian_or_hessian(rng: random.Random, difficulty: int) -> Question:
    return jacobian_entry(rng) if rng.random() < 0.5 else hessian_entry(rng, difficulty)


def make(rng: random.Random, difficulty: int) -> Question:
    makers = {1: [partial, partial, gradient], 2: [partial, gradient, jacobian_or_hessian],
              3: [gradient, jacobian_or_hessian, jacobian_or_hessian]}[difficulty]
    return rng.choice(makers)(rng, difficulty)
