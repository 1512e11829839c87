"""Page shell: Taylor series and linearisation."""
import numpy as np
import plotly.graph_objects as go

import ui
from explorer.expressions import evaluate

ui.page_header('Taylor series and linearisation', 'Approximations and how wrong they are.')
text, expr = ui.function_input("f", {'eˣ': 'exp(x)', 'sin x': 'sin(x)'}, key="f", variables=('x',))
x = np.linspace(-3, 3, 301)
y = evaluate(expr, ("x",), x)
ui.chart(go.Figure(go.Scatter(x=x, y=y, name="f")), key="f_plot")
ui.notice("this page is a shell: the full module is on its way.")
