"""Page shell: What is calculus?."""
import numpy as np
import plotly.graph_objects as go

import ui
from explorer.expressions import evaluate

ui.page_header('What is calculus?', 'Derivatives from rise over run to the four rules.')
text, expr = ui.function_input("f", {'x²': 'x^2', 'sin x': 'sin(x)'}, key="f", variables=('x',))
x = np.linspace(-3, 3, 301)
y = evaluate(expr, ("x",), x)
ui.chart(go.Figure(go.Scatter(x=x, y=y, name="f")), key="f_plot")
ui.notice("this page is a shell: the full module is on its way.")
