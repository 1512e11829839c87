"""3D views turned by buttons instead of a drag (WCAG 2.5.7): a plotly scene camera from angles,
and the standard views and steps the page's buttons offer.

A camera is described by its eye's azimuth (degrees, anticlockwise from +x, seen from above),
elevation (degrees above the x-y plane, −90 … 90) and distance from the centre. Plotly's own
default eye (1.25, 1.25, 1.25) is azimuth 45°, elevation 35.26°, distance 2.165. Turning keeps the
distance; tilting stops at straight down or straight up. Looking straight down (or up) the
camera's ``up`` vector says which way the map is turned, so "Top" then "Rotate" turns the map.
"""
from __future__ import annotations

import math

DEFAULT_EYE = (1.25, 1.25, 1.25)          # plotly's default camera eye
STEP = 15.0                               # degrees a Rotate or Tilt button turns

# the buttons, in order: (label, action); an action is a standard view or a step
VIEWS = {"Top": (-90.0, 90.0), "Front": (-90.0, 0.0), "Side": (0.0, 0.0)}
BUTTONS = ("Default", "Top", "Front", "Side", "Rotate ⟲ 15°", "Rotate ⟳ 15°", "Tilt up 15°", "Tilt down 15°")
HELP = ("Default: the chart's own view. Top: straight down onto the x-y plane (x to the right, y up). "
        "Front: from the −y side at eye level (f against x). Side: from the +x side at eye level "
        "(f against y). Rotate ⟲ / ⟳ turns the surface 15° anticlockwise / clockwise "
        "(seen from above); Tilt raises or lowers the eye by 15°.")


def angles(eye) -> tuple[float, float, float]:
    """(azimuth°, elevation°, distance) of an eye given as a dict or an (x, y, z) triple."""
    x, y, z = (float(eye[k]) for k in "xyz") if isinstance(eye, dict) else (float(v) for v in eye)
    r = math.sqrt(x * x + y * y + z * z)
    if r == 0:
        raise ValueError("the camera's eye is at the centre")
    return math.degrees(math.atan2(y, x)), math.degrees(math.asin(max(-1.0, min(1.0, z / r)))), r


def camera(azimuth: float, elevation: float, distance: float) -> dict:
    """The plotly scene camera whose eye sits at these angles, looking at the centre. Straight
    down (or up) ``up`` points away from (towards) the azimuth, so the picture is the one the eye
    saw just before it reached the pole; elsewhere ``up`` is +z."""
    el = max(-90.0, min(90.0, float(elevation)))
    a, e = math.radians(azimuth), math.radians(el)
    eye = dict(x=_clean(distance * math.cos(e) * math.cos(a)), y=_clean(distance * math.cos(e) * math.sin(a)),
               z=_clean(distance * math.sin(e)))
    if abs(el) >= 90.0 - 1e-9:
        sign = -1.0 if el > 0 else 1.0
        up = dict(x=_clean(sign * math.cos(a)), y=_clean(sign * math.sin(a)), z=0.0)
    else:
        up = dict(x=0.0, y=0.0, z=1.0)
    return dict(eye=eye, up=up, center=dict(x=0.0, y=0.0, z=0.0))


def _clean(v: float) -> float:
    """Rounded to 12 decimals, so cos 90° is 0 and not 6e-17."""
    return round(float(v), 12) + 0.0


def _pose(cam: dict) -> tuple[float, float, float]:
    """The angles of a camera, reading the azimuth from ``up`` at a pole (where the eye has none)."""
    az, el, r = angles(cam["eye"])
    if abs(el) >= 90.0 - 1e-9:
        up = cam.get("up") or dict(x=0.0, y=1.0, z=0.0)
        sign = -1.0 if el > 0 else 1.0
        if abs(up["x"]) + abs(up["y"]) > 1e-12:
            az = math.degrees(math.atan2(sign * up["y"], sign * up["x"]))
    return az, el, r


def rotate(cam: dict, degrees: float) -> dict:
    """The camera turned ``degrees`` anticlockwise (seen from above) about the vertical axis."""
    az, el, r = _pose(cam)
    return camera(az + degrees, el, r)


def tilt(cam: dict, degrees: float) -> dict:
    """The eye raised by ``degrees`` (lowered for negative), stopping straight above or below."""
    az, el, r = _pose(cam)
    return camera(az, max(-90.0, min(90.0, el + degrees)), r)


def default_camera(fig_camera: dict | None = None) -> dict:
    """The chart's own view: its figure's camera if it sets an eye, else plotly's default."""
    eye = (fig_camera or {}).get("eye") or dict(zip("xyz", DEFAULT_EYE))
    return camera(*angles(eye))


def apply(action: str, current: dict | None, fig_camera: dict | None = None) -> dict:
    """The camera after pressing the button ``action`` (one of ``BUTTONS``) from ``current`` (None:
    the chart's own view). Standard views keep the current eye distance."""
    base = default_camera(fig_camera)
    cur = current or base
    if action == "Default":
        return base
    if action in VIEWS:
        return camera(*VIEWS[action], _pose(cur)[2])
    if action.startswith("Rotate"):
        # ⟲ turns the SURFACE anticlockwise as seen from above: the eye goes the other way
        return rotate(cur, -STEP if "⟲" in action else STEP)
    if action.startswith("Tilt"):
        return tilt(cur, STEP if "up" in action else -STEP)
    raise ValueError(f"unknown 3D view button {action!r}")
