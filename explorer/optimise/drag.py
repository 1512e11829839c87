"""The Optimisation page's moving pictures, computed here and played by plotly.js (issues #18, #19).

- ``newton_frames``, ``basin_frames``: Newton-Raphson's tangent steps and the basin strip's x₀ marker at every position
  of the x₀ slider, for the chart to swap in while x₀ is dragged (``explorer.figures.frames``).
  Only the tangents, the iterates, the current point, the view and the arrows move: the curve f is
  drawn once over the whole range the view can take (``figures.optimise.newton_figure``).
- ``step_frames``: the descent paths (map, surface, f against k) at positions of the step-size
  slider γ; the contour map and the surface never travel.
- ``play_frames``, ``newton_play``: the Newton chart with one plotly frame per step and ▶ Play / ‖ Pause buttons,
  so Play runs in the browser (no rerun, no sleeping server) like the Taylor chart's.

Frames for a slider depend on the OTHER controls only; the page caches them keyed by those.
"""
from __future__ import annotations

import functools
from typing import Sequence

from explorer.figures import fastfig
from explorer.figures import frames as F
from explorer.figures import optimise as figs
from explorer.numbers import subscript as _sub
from explorer.optimise.descent import descend
from explorer.optimise.newton import Basins, NewtonResult, newton_raphson

X0_RANGE = (-10.0, 10.0)     # the x₀ slider (its step 0.01 is far finer than a drag needs)
X0_INSIDE = 50               # at most this many frames across the window, every 1 outside it
# γ from 0.001 to 1 (slider step 0.001): finer where small steps differ most
STEP_VALUES = sorted({0.001, 0.003, 0.01} | set(F.slider_values(0.02, 1.0, 0.04)))
FRAME_PATH = 120             # points of a descent path in a drag frame (the released chart keeps more)
PLAY_MS = 600                # a Play step, in milliseconds
PLAY_MAX = 20                # Play draws x₀ … x₂₀ at most (frame k holds k tangents: the bytes grow as k²)
PLAY_TOP = 84                # px above the plot: the title's row, then the ▶/‖ buttons' row


def x0_values(window: tuple[float, float]) -> list[float]:
    """The x₀ values with a frame: a round step (0.05, 0.1, 0.2, …) giving at most ``X0_INSIDE``
    frames across ``window`` (where the basin strip and the tangents are drawn), 1 apart outside it."""
    lo, hi = max(window[0], X0_RANGE[0]), min(window[1], X0_RANGE[1])
    step = next(s for s in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0) if (hi - lo) / s <= X0_INSIDE)
    inside = F.slider_values(lo, hi, step)
    outside = [v for v in F.slider_values(*X0_RANGE, 1.0) if v < lo or v > hi]
    return sorted({v for v in inside + outside if X0_RANGE[0] <= v <= X0_RANGE[1]})


def newton_frames(text: str, n: int, window: tuple[float, float], max_iter: int,
                  values: Sequence[float] | None = None) -> dict:
    """The Newton chart's frames for the x₀ slider: Newton from each value (``x0_values(window)``
    unless given) with ``n`` steps drawn (at most the steps taken) in ``window``."""
    def build(v):
        res = _newton(text, v, max_iter)
        return figs.newton_figure(res, min(n, res.nit), window, curve=False)
    return F.slider_frames(build, x0_values(window) if values is None else values)


@functools.lru_cache(maxsize=2048)
def _newton(text: str, x0: float, max_iter: int) -> NewtonResult:
    """The runs behind a frame set, kept for the next one (a new n or w runs the same starts)."""
    return newton_raphson(text, x0, max_iter)


def basin_frames(basins: Basins, window: tuple[float, float], values: Sequence[float] | None = None) -> dict:
    """The basin strip's frames for the x₀ slider: only the "your x₀" marker moves."""
    return F.slider_frames(lambda v: figs.basin_figure(basins, v), x0_values(window) if values is None else values)


def step_frames(text: str, start: tuple[float, float], methods: Sequence[str], iters: int, bounds,
                grid, window, values: Sequence[float] | None = None) -> dict:
    """{"dmap", "dsurf", "dvals": frames} for the step slider γ: each method's path from ``start``
    run at every γ of ``values`` (paths thinned to ``FRAME_PATH`` points). By default
    ``STEP_VALUES``, every other one in a race of several methods (the bytes grow with the paths)."""
    values = (STEP_VALUES if len(methods) == 1 else STEP_VALUES[::2]) if values is None else values
    runs = {v: [descend(text, start, m, float(v), int(iters), bounds=bounds) for m in methods] for v in values}
    return {"dmap": F.slider_frames(lambda v: figs.descent_contour(grid, runs[v], window, keep=FRAME_PATH), values),
            "dsurf": F.slider_frames(lambda v: figs.descent_surface(grid, runs[v], window, keep=FRAME_PATH), values),
            "dvals": F.slider_frames(lambda v: figs.descent_values(runs[v], keep=FRAME_PATH), values)}


def play_frames(res: NewtonResult, window: tuple[float, float]) -> list[dict]:
    """One plotly frame per step k = 0…(the steps taken, at most ``PLAY_MAX``): the tangents, iterates and point of
    ``newton_figure(res, k, window)`` and its view (they do not depend on the steps drawn now)."""
    frames = []
    for k in range(max(0, min(res.nit, len(res.fx), PLAY_MAX)) + 1):
        s = fastfig._spec(figs.newton_figure(res, k, window, curve=False))
        lay = s["layout"]
        frames.append(dict(name=str(k), data=[_moving(t) for t in s["data"][1:]], traces=list(range(1, len(s["data"]))),
                           layout=dict(xaxis=dict(range=lay["xaxis"]["range"]),
                                       yaxis=dict(range=lay["yaxis"]["range"]),
                                       annotations=lay.get("annotations", []))))
    return frames


def _moving(trace: dict) -> dict:
    """What a Play frame changes in a trace (animate merges it into the trace; styles stay)."""
    return {k: v for k, v in trace.items() if k in ("type", "x", "y", "text", "name")}


def newton_play(res: NewtonResult, shown: int, window: tuple[float, float], frames: list[dict]):
    """The Newton chart with ``shown`` steps drawn, and ▶ Play / ‖ Pause buttons above the plot that
    play ``frames`` (``play_frames``) in the browser: the steps one by one, ``PLAY_MS`` each."""
    spec = fastfig._spec(figs.newton_figure(res, shown, window))
    if not frames or any(len(f["data"]) != len(spec["data"]) - 1 for f in frames):
        return fastfig.figure(spec["data"], spec["layout"])      # a step without its point: no Play
    anim = dict(frame=dict(duration=PLAY_MS, redraw=True), transition=dict(duration=0), fromcurrent=False,
                mode="immediate")
    pause = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    # the buttons in a row of their own between the title and the plot, at the right: below the
    # chart's toolbar (which would take their clicks) and clear of the title at any width
    layout = dict(spec["layout"], margin=dict(t=PLAY_TOP))
    layout["updatemenus"] = [dict(
        type="buttons", direction="left", x=1.0, xanchor="right", y=1.0, yanchor="bottom",
        showactive=False, pad=dict(b=6),
        buttons=[dict(label=f"▶ Play x₀ … x{_sub(len(frames) - 1)}", method="animate", args=[None, anim]),
                 dict(label="‖ Pause", method="animate", args=[[None], pause])])]
    return fastfig.figure(spec["data"], layout, frames)
