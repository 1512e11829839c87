"""Page: Taylor series and linearisation — approximations and how wrong they are."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

import ui
from explorer import taylor as tx
from explorer import taylor_plots as tp

NPLAY = 20          # the ▶ button plays n = 0 .. max(NPLAY, n)
NMAX = 30


@st.cache_data(max_entries=64, show_spinner=False)
def expansion(text: str, a: float, order: int) -> tx.Expansion:
    return tx.expand_1d(text, a, order)


@st.cache_data(max_entries=64, show_spinner=False)
def curves(text: str, a: float, order: int, lo: float, hi: float) -> tx.Curves:
    return tx.curves_1d(text, expansion(text, a, order), (lo, hi), npts=121)


@st.cache_data(max_entries=64, show_spinner=False)
def radius(text: str, a: float, order: int) -> tx.Radius:
    return tx.radius_of_convergence(text, a, expansion(text, a, order).coeffs)


@st.cache_data(max_entries=64, show_spinner=False)
def terms_latex(text: str, a: float, order: int, n: int) -> tuple[str, list[str]]:
    """Tₙ in LaTeX and the coefficient blocks (the first six rows, then the rest)."""
    exp = expansion(text, a, order)
    rows = exp.latex_terms(max_terms=n + 1)
    return _poly(exp, n), [_coef_block(rows[:6])] + ([_coef_block(rows[6:])] if len(rows) > 6 else [])


@st.cache_data(max_entries=64, show_spinner=False)
def local2d(text: str, x0: float, y0: float) -> tx.Local2D:
    return tx.local_2d(text, (x0, y0))


@st.cache_data(max_entries=64, show_spinner=False)
def local2d_latex(text: str, x0: float, y0: float) -> dict[str, str]:
    """The formulas beside the surfaces (J, H, T₀, T₁, T₂), so that a step of r or ε reuses them."""
    loc = local2d(text, x0, y0)
    return dict(loc.latex(), Hmat=tx._mat_latex(loc.H))


@st.cache_data(max_entries=64, show_spinner=False)
def surfaces(text: str, x0: float, y0: float, r: float) -> dict:
    return tx.surfaces_2d(text, local2d(text, x0, y0), r, n=40)


ui.page_header(
    "Taylor series and linearisation",
    "Build a function from its derivatives at **one point**: "
    r"$T_n(x) = \sum_{k=0}^{n} \frac{f^{(k)}(a)}{k!}(x-a)^k$. "
    "See where the approximation holds, where it fails, and carry the idea to two variables "
    "with the Jacobian $J$ and the Hessian $H$.")


# =============================================================================================
@st.fragment
def one_variable(text: str) -> None:
    """The sliders and what they change. The function box sits outside the fragment: typing a new
    function reruns the page, while a slider step reruns only this (no re-parsing, no re-sent box)."""
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        a = ui.slider("expansion point a", -3.0, 3.0, 0.0, 0.1, key="a")
    with c2:
        n = ui.slider("order n", 0, NMAX, 3, 1, key="n")
    with c3:
        le = ui.slider("tolerance ε = 10^k, k =", -8.0, 0.0, -2.0, 0.5, key="eps")
    with c4:
        w = ui.slider("window half-width", 1.0, 8.0, 4.0, 0.5, key="w")
    a, n, eps = round(float(a), 4), int(n), 10.0 ** float(le)
    order = max(NPLAY, n)
    exp = expansion(text, a, order)
    if not exp.ok:
        st.warning(f"**No Taylor polynomial at a = {a:g}:** {exp.message} Move a, or pick another function.",
                   icon="🚧")
        return
    if exp.message:
        st.info(exp.message, icon="⏱️")
    lo, hi = round(a - w, 4), round(a + w, 4)
    cv = curves(text, a, order, lo, hi)
    rad = radius(text, a, order)
    fig = tp.figure_1d(cv, a, n, eps, rad, nplay=order)
    left, right = st.columns([11, 9])
    with left:
        ui.chart_live(fig, key="t1d")
        ui.notice("near a the red Tₙ hugs f, and each extra order widens the green band where the error is "
                  "below ε. Press ▶ to watch n grow (it runs in your browser). Below, the error on a log "
                  "scale falls like |x − a|ⁿ⁺¹ near a and stays under the grey Lagrange bound; outside the "
                  "purple radius of convergence more terms make it *worse*.")
    with right:
        st.subheader(f"The terms of T{_sub(n)}")
        poly, blocks = terms_latex(text, a, order, n)
        st.latex(rf"T_{{{n}}}(x) = {poly}")
        if exp.exact is not None:
            st.caption("Exact coefficients (sympy), f⁽ᵏ⁾(a)/k!:")
        else:
            st.caption("Numeric coefficients (mpmath), f⁽ᵏ⁾(a)/k!:")
        st.latex(blocks[0])
        if len(blocks) > 1:
            with st.expander(f"all {n + 1} coefficients"):
                st.latex(blocks[1])
        st.subheader("Radius of convergence")
        if math.isnan(rad.radius):
            st.caption("Not known for this function.")
        else:
            rtxt = r"\infty" if math.isinf(rad.radius) else f"{rad.radius:.4g}"
            rel = "=" if rad.known else r"\approx"
            st.latex(f"R {rel} {rtxt}")
            st.caption(rad.reason)
        st.subheader("Largest error on the window")
        table = pd.DataFrame({
            "order n": list(range(order + 1)),
            "max |f − Tₙ|": [f"{v:.3g}" for v in cv.max_err],
            "Lagrange bound (max)": [("—" if not math.isfinite(v) else f"{v:.3g}")
                                     for v in _nanmax_rows(cv.bound)],
        })
        st.dataframe(table, hide_index=True, height=260)
        ui.notice("inside the radius the largest error shrinks as n grows; when the window reaches past a "
                  "singularity it grows instead.")
        st.latex(r"|f(x)-T_n(x)| \le \frac{\max_{\xi\in[a,x]}|f^{(n+1)}(\xi)|}{(n+1)!}\,|x-a|^{n+1}"
                 r"\quad\text{(Lagrange)}")


def _sub(n: int) -> str:
    return "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in str(n))


def _poly(exp: tx.Expansion, n: int) -> str:
    part = tx.Expansion(exp.text, exp.a, n, exp.coeffs[: n + 1],
                        exp.exact[: n + 1] if exp.exact is not None else None)
    return part.polynomial_latex(max_terms=8)


def _coef_block(rows) -> str:
    lines = []
    for k, dk, ck, c in rows:
        if len(dk) > 60:
            dk = tx._fmt(c * math.factorial(k))
        if len(ck) > 60:
            ck = tx._fmt(c)
        approx = "" if ck == tx._fmt(c) or ck in ("0", "1", "-1") else rf"\approx {tx._fmt(c)}"
        lines.append(rf"\frac{{f^{{({k})}}(a)}}{{{k}!}} &= \frac{{{dk}}}{{{k}!}} = {ck} {approx}")
    return r"\begin{aligned}" + r"\\[2pt] ".join(lines) + r"\end{aligned}"


def _nanmax_rows(arr):
    out = []
    for row in arr:
        fin = row[~(row != row)]
        out.append(float(fin.max()) if fin.size else math.nan)
    return out


# =============================================================================================
@st.fragment
def two_variables(text: str) -> None:
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        x0 = ui.slider("x₀", -2.0, 2.0, 0.5, 0.1, key="x0")
    with c2:
        y0 = ui.slider("y₀", -2.0, 2.0, 0.5, 0.1, key="y0")
    with c3:
        r = ui.slider("window half-width", 0.5, 3.0, 1.5, 0.25, key="r")
    with c4:
        le = ui.slider("tolerance ε = 10^k, k =", -6.0, 0.0, -2.0, 0.5, key="eps2")
    t1, t2, t3, t4 = st.columns(4)
    with t1:
        s0 = ui.toggle("show T₀", False, key="s0")
    with t2:
        s1 = ui.toggle("show T₁ (plane)", True, key="s1")
    with t3:
        s2 = ui.toggle("show T₂ (quadric)", True, key="s2")
    with t4:
        which = ui.select("error of", ["T1", "T2"], 1, key="hm", widget=st.segmented_control,
                          format_func=lambda s: {"T1": "T₁", "T2": "T₂"}[s])
    which = which or "T2"
    x0, y0, r = round(float(x0), 4), round(float(y0), 4), round(float(r), 4)
    loc = local2d(text, x0, y0)
    if not loc.ok:
        st.warning(f"**No expansion at ({x0:g}, {y0:g}):** {loc.message} Move the point.", icon="🚧")
        return
    sf = surfaces(text, x0, y0, r)
    lx = local2d_latex(text, x0, y0)
    left, right = st.columns([3, 2])
    with left:
        ui.chart3d(tp.figure_2d_surfaces(sf, loc, {"T0": s0, "T1": s1, "T2": s2}), key="t3d")
        ui.notice("the plane T₁ touches f at the black point and tilts with it (that is J); the quadric T₂ "
                  "also bends like f (that is H), so it stays close over a wider patch.")
    with right:
        st.latex(lx["J"])
        st.latex(rf"H = \begin{{pmatrix}}f_{{xx}} & f_{{xy}}\\ f_{{yx}} & f_{{yy}}\end{{pmatrix}} = "
                 + lx["Hmat"])
        st.latex(lx["T0"])
        st.latex(lx["T1"])
        st.latex(lx["T2"])
        st.latex(r"\Delta\mathbf{x} = \begin{pmatrix}x-x_0\\ y-y_0\end{pmatrix}")
    e1, e2 = st.columns([3, 2])
    with e1:
        ui.chart_live(tp.figure_2d_error(sf, loc, which, 10.0 ** float(le)), key="t2err")
        ui.notice("the dashed white curve encloses where |f − T₁| < ε, the solid cyan one where |f − T₂| < ε: "
                  "the quadratic approximation holds much further out from (x₀, y₀).")
    with e2:
        area = tx.share_below(sf, 10.0 ** float(le))
        st.metric("share of the window with |f − T₁| < ε", f"{100 * area['E1']:.0f} %")
        st.metric("share of the window with |f − T₂| < ε", f"{100 * area['E2']:.0f} %")
        st.caption("Near (x₀, y₀) the error of T₁ shrinks like |Δx|², that of T₂ like |Δx|³.")


st.header("One variable: f(x) ≈ Tₙ(x)")
one_variable(ui.function_input("f", tx.PRESETS_1D, key="f", variables=("x",))[0])
st.divider()
st.header("Two variables: the tangent plane and the quadratic")
two_variables(ui.function_input("g", tx.PRESETS_2D, key="g", variables=("x", "y"))[0])
