"""Course map: every module with a one-line description, its key picture and a link."""
import streamlit as st

import ui
from explorer import previews

MODULES = [
    ("pages/derivatives.py", "1 · What is calculus?", previews.derivatives,
     "Rise over run, the secant becoming the tangent, and the sum, power, product and chain rules."),
    ("pages/multivariate.py", "2 · Multivariate calculus", previews.multivariate,
     "Surfaces, partial derivatives, the gradient, Jacobian and Hessian, and the Sandpit game."),
    ("pages/chain-rule.py", "3 · Chain rule & neural networks", previews.chain_rule,
     "The multivariate chain rule on a path, then backpropagation training a network to draw a heart."),
    ("pages/taylor.py", "4 · Taylor series & linearisation", previews.taylor,
     "Build a function from its derivatives at a point, and see where the approximation holds."),
    ("pages/optimisation.py", "5 · Optimisation", previews.optimisation,
     "Newton-Raphson, gradient descent and friends, and Lagrange multipliers, one step at a time."),
    ("pages/regression.py", "6 · Regression", previews.regression,
     "χ², least squares by formula and by descent, nonlinear fits, and fitting your own CSV."),
]

ui.page_header("Calculus Explorer",
               "The multivariate calculus behind machine learning, one module a page. "
               "Move the sliders and watch: every picture says what to notice, every formula sits "
               "next to the picture it explains. Turn on **presenter mode** in the sidebar for a projector.")

cols = st.columns(3)
for i, (path, title, preview, blurb) in enumerate(MODULES):
    with cols[i % 3].container(border=True):
        st.page_link(path, label=f"**{title}**")
        st.plotly_chart(ui.style(preview()), config={"staticPlot": True}, key=f"preview_{i}")
        st.caption(blurb)
