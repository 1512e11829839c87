"""The Regression page's formulas as LaTeX, each broken over lines (``aligned``) so that none is
wider than a half-page column at 1024 px or in presenter mode: the straight line's χ², its
closed-form optimum and uncertainties, the live χ² reading, and the nonlinear tab's descent rule
and the solver's standard errors."""
from __future__ import annotations

from explorer.numbers import tex_number

LINE_CHI2 = r"\chi^2(m,c)=\sum_i\left(\frac{y_i-(m\,x_i+c)}{\sigma_i}\right)^2"

CLOSED_FORM = (r"\begin{aligned}m&=\frac{\sum_i w_i(x_i-\bar x)(y_i-\bar y)}{\sum_i w_i (x_i-\bar x)^2},"
               r"\qquad c=\bar y-m\,\bar x,\\"
               r"\bar x&=\frac{\sum_i w_i x_i}{\sum_i w_i},\qquad \bar y=\frac{\sum_i w_i y_i}{\sum_i w_i}"
               r"\end{aligned}")

LINE_UNCERTAINTIES = (r"\begin{aligned}\sigma_m^2&=\frac{1}{\sum_i w_i(x_i-\bar x)^2},\\"
                      r"\sigma_c^2&=\frac{1}{\sum_i w_i}+\frac{\bar x^2}{\sum_i w_i(x_i-\bar x)^2},\\"
                      r"R^2&=1-\frac{\chi^2}{\sum_i w_i (y_i-\bar y)^2}\end{aligned}")

DESCENT_RULE = (r"\begin{aligned}\mathbf p&\leftarrow \mathbf p-\gamma\,\nabla_{\mathbf p}\chi^2,\\"
                r"\nabla\chi^2&=-2\sum_i\frac{y_i-f(x_i;\mathbf p)}{\sigma_i^2}\,\nabla_{\mathbf p}f"
                r"\end{aligned}")

SOLVER_UNCERTAINTY = (r"\begin{aligned}&\min_{\mathbf p}\ \chi^2(\mathbf p),\\"
                      r"&\sigma_{p_k}=\sqrt{\big[(J^\top W J)^{-1}\big]_{kk}}\end{aligned}")


def chi2_reading(m: float, c: float, chi2: float, chi2_min: float) -> str:
    """χ² at the hand-picked (m, c) over the least-squares minimum, one under the other (the
    point on a line of its own when its numbers are long)."""
    tm, tc, tv = tex_number(m), tex_number(c), tex_number(chi2)
    long = sum(len(t.replace(r"\times", "x")) for t in (tm, tc, tv)) > 18
    head = (rf"\chi^2(m,\,c)&={tv}\\ (m,\,c)&=({tm},\,{tc})" if long
            else rf"\chi^2({tm},\,{tc})&={tv}")
    return rf"\begin{{aligned}}{head}\\ \chi^2_{{\min}}&={tex_number(chi2_min)}\end{{aligned}}"


ALL = {"LINE_CHI2": LINE_CHI2, "CLOSED_FORM": CLOSED_FORM, "LINE_UNCERTAINTIES": LINE_UNCERTAINTIES,
       "DESCENT_RULE": DESCENT_RULE, "SOLVER_UNCERTAINTY": SOLVER_UNCERTAINTY}
