"""Drag frames of the chain-rule page's t slider (issue #19): at every position of t, only what
moves — the point and the velocity arrow on the contour map, the point and the dashed tangent on
the composed curve g(t) — never the contour grid, the path or the curve. The same trace builders as
the figures (``explorer.figures.chain_rule``), fed by ``explorer.chain_rule.chain_rule_along``."""
from __future__ import annotations

from typing import Sequence

from explorer.chain_rule import ChainSymbolic, chain_rule_along
from explorer.figures.chain_rule import path_point, tangent_and_point, velocity_arrow
from explorer.figures.frames import spec_frames

__all__ = ["t_frames"]


def t_frames(sym: ChainSymbolic | None, f_text: str, x_text: str, y_text: str,
             values: Sequence[float]) -> dict:
    """``{"cr_contour": frames, "cr_curve": frames}`` for the t slider at ``values`` (its
    positions), with f and the path fixed. Traces by index as the figures draw them: the contour
    map's (f, path, point) with the arrow as its annotation; the curve's (g, tangent, point), where
    an undefined tangent leaves a frame of other trace count (its moving traces then hidden)."""
    ats = chain_rule_along(sym, f_text, x_text, y_text, values)
    contour = [dict(data=[{}, {}, path_point(at)], layout=dict(annotations=velocity_arrow(at))) for at in ats]
    curve = [dict(data=[{}, *tangent_and_point(at)]) for at in ats]
    return {"cr_contour": spec_frames(contour, values), "cr_curve": spec_frames(curve, values)}
