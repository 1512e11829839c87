"""Multivariate calculus: surfaces f(x, y), their gradient, Jacobian and Hessian, and maps R² → R².

Plain numpy/sympy/scipy: the page draws what these functions return and the tests check them
against sympy and finite differences.

- ``presets``: the surfaces offered, their windows and starting points; the typed window checked.
- ``derivatives``: f, ∇f and H symbolically (``derivatives(text)``, through ``explorer.symbolic.call``).
- ``point``: one point: f, ∇f, H, H's eigen-pairs, the min/max/saddle/inconclusive test, the
  nearest stationary point, the point's numbers as LaTeX.
- ``views``: the surface grid, the gradient field as one polyline, slices, tangent plane and the
  directional derivative.
- ``maps``: a map R² → R²: its Jacobian, the grid it bends, a small square's image, det J.
- ``clicks``: slider steps, clicks snapped to them, values kept inside a window, arrow buttons.
- ``camera``: 3D views turned by buttons (standard views, 15° steps), as plotly cameras.
- ``state``: what the page remembers between reruns (``PointState``, ``follow_map_preset``).
- ``sweep``: the point at every position of one slider at once (the drag frames of issue #19).
"""
from explorer.multivariate.clicks import (MOVES, keep_in_window, nice_step, nudge, pad_label, pad_step,
                                          point_from_click, snap)
from explorer.multivariate.derivatives import X, Y, Derivatives, as_function, d, derivative_exprs, derivatives
from explorer.multivariate.maps import (CUSTOM_START, ORIENTATION_TEXT, MAP_POINTS, MAP_PRESETS, MAP_RANGES, MapGrid,
                                        MapJacobian, SquareImage, det_samples, map_grid, map_jacobian,
                                        map_jacobian_exprs, map_window, square_image, square_latex)
from explorer.multivariate.point import (Classification, PointAnalysis, analyse_point, classify,
                                         nearest_stationary_point, partials_latex, point_latex,
                                         stationary_point_for_sliders)
from explorer.multivariate.presets import (DEFAULT_RANGE, PRESET_POINTS, PRESET_RANGES, PRESETS,
                                           SANDPIT_INTRO, VARS, PresetView, Window, default_range,
                                           preset_name, preset_view, start_point, window,
                                           window_message)
from explorer.multivariate.state import PointState, follow_map_preset
from explorer.multivariate.views import (Grid, Slices, arrows_xy, directional_derivative, directional_latex,
                                         gradient_arrows, slices, steepest_angle, surface, tangent_plane)

__all__ = [
    "MOVES", "keep_in_window", "nice_step", "nudge", "pad_label", "pad_step", "point_from_click", "snap",
    "X", "Y", "Derivatives", "as_function", "d", "derivative_exprs", "derivatives",
    "CUSTOM_START", "ORIENTATION_TEXT", "MAP_POINTS", "MAP_PRESETS", "MAP_RANGES", "MapGrid", "MapJacobian", "SquareImage",
    "det_samples", "map_grid", "map_jacobian", "map_jacobian_exprs", "map_window", "square_image",
    "square_latex",
    "Classification", "PointAnalysis", "analyse_point", "classify", "nearest_stationary_point",
    "partials_latex", "point_latex", "stationary_point_for_sliders",
    "DEFAULT_RANGE", "PRESET_POINTS", "PRESET_RANGES", "PRESETS", "SANDPIT_INTRO", "VARS", "PresetView",
    "Window", "default_range", "preset_name", "preset_view", "start_point", "window", "window_message",
    "PointState", "follow_map_preset",
    "Grid", "Slices", "arrows_xy", "directional_derivative", "directional_latex", "gradient_arrows", "slices",
    "steepest_angle", "surface", "tangent_plane",
]
