"""The Practice page's one picture: the data points of a least-squares question."""
from __future__ import annotations

import plotly.graph_objects as go

from explorer.figures import fastfig
from explorer.practice import Question


def points_figure(question: Question) -> go.Figure:
    """A scatter of a least-squares question's points (no fitted line: that is the answer)."""
    xs, ys = zip(*question.points)
    return fastfig.figure([dict(type="scatter", x=list(xs), y=list(ys), mode="markers", marker=dict(size=11),
                                name="data")],
                          dict(height=300, xaxis=dict(title=dict(text="x")), yaxis=dict(title=dict(text="y")),
                               showlegend=False))
