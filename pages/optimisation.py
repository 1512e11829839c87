"""Page shell: Optimisation."""
import numpy as np
import plotly.graph_objects as go

import ui
from explorer.expressions import evaluate

ui.page_header('Optimisation', 'Newton-Raphson, gradient descent and Lagrange multipliers.')
text, expr = ui.function_input("f", {'bowl': 'x^2 + y^2'}, key="f", variables=('x', 'y'))
g = np.linspace(-3, 3, 61)
X, Y = np.meshgrid(g, g)
ui.chart(go.Figure(go.Contour(x=g, y=g, z=evaluate(expr, ("x", "y"), X, Y))), key="f_plot")
ui.notice("this page is a shell: the full module is on its way.")
