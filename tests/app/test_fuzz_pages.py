"""Fuzz every page: random (often extreme) values on random widgets, many times, never an exception.

The default run makes FUZZ_ITER (default 30) widget changes a page; the long run (marked ``slow``,
``python3 -m pytest -m slow``) makes FUZZ_LONG_ITER (default 300). Each change is one rerun.
"""
import os
import random
import zlib

import pytest

from helpers import run_page
from helpers import HOSTILE
from explorer import course

PAGES = [p.file for p in course.PAGES]
ITERATIONS = int(os.environ.get("FUZZ_ITER", "30"))
LONG_ITERATIONS = int(os.environ.get("FUZZ_LONG_ITER", "300"))
SEED = int(os.environ.get("FUZZ_SEED", "0"))   # a failure names its step; rerun with the same seed
# pages whose views are tabs bound to "view" (only the open tab runs): the fuzz switches tabs too
VIEWS = {"pages/multivariate.py": ["Surface", "Map", "Sandpit"],
         "pages/regression.py": ["Straight line: χ² by hand", "Nonlinear models and your own"]}

TEXTS = [t for t in HOSTILE if len(t) < 2000] + [
    "x^2", "sin(x)*y", "exp(-x^2-y^2)", "1/x", "1/(x-y)", "log(x)", "x^100", "b1*(1-exp(-b2*x))",
    "0", "", "1e308*x", "sqrt(-x^2-1)", "abs(x)^0.5", "tan(x)", "x/0.0000001",
]


def _random_value(widget, rng: random.Random):
    kind = widget.type
    if kind == "slider":
        lo, hi = widget.min, widget.max
        if isinstance(widget.value, (tuple, list)):
            a, b = sorted(rng.uniform(lo, hi) for _ in range(2))
            return (type(lo)(a), type(lo)(b))
        choice = rng.random()
        if choice < 0.2:
            return lo
        if choice < 0.4:
            return hi
        step = widget.step or (hi - lo) / 100
        k = rng.randint(0, max(0, int(round((hi - lo) / step))))
        v = lo + k * step
        return type(lo)(min(max(v, lo), hi)) if not isinstance(lo, float) else min(max(v, lo), hi)
    if kind in ("selectbox", "radio", "button_group"):
        return rng.choice(list(widget.options)) if widget.options else None
    if kind in ("toggle", "checkbox"):
        return not widget.value
    if kind == "number_input":
        lo = widget.min if widget.min is not None else -1e9
        hi = widget.max if widget.max is not None else 1e9
        v = rng.choice([lo, hi, 0, rng.uniform(lo, hi), rng.uniform(-10, 10)])
        v = min(max(v, lo), hi)
        return int(v) if isinstance(widget.value, int) and float(v).is_integer() else v
    if kind in ("text_input", "text_area"):
        return rng.choice(TEXTS)
    return None


def _widgets(at):
    out = []
    for name in ("slider", "selectbox", "radio", "toggle", "checkbox", "number_input", "text_input",
                 "text_area", "button_group"):
        try:
            out.extend(w for w in at.get(name) if not getattr(w, "disabled", False))
        except Exception:
            pass
    return out


@pytest.mark.parametrize("path", PAGES)
def test_fuzz_page(path):
    _fuzz(path, ITERATIONS, SEED)


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_fuzz_page_long(path):
    _fuzz(path, LONG_ITERATIONS, SEED + 1)


def _fuzz(path: str, iterations: int, seed: int) -> None:
    rng = random.Random(zlib.crc32(path.encode()) + seed)
    at = run_page(path)
    assert not at.exception
    changes = 0
    for i in range(iterations):
        widgets = _widgets(at)
        if not widgets:      # the last step reran only some fragments (st.rerun with fragment keys):
            at.run()         # AppTest then holds just their elements; a plain run shows the page
            widgets = _widgets(at)
        buttons = [b for b in at.button if not b.disabled] if hasattr(at, "button") else []
        if path in VIEWS and rng.random() < 0.08:
            view = rng.choice(VIEWS[path])
            desc = f"tab {view!r}"
            at.session_state["view"] = view
        elif buttons and rng.random() < 0.1:
            target = rng.choice(buttons)
            desc = f"click {target.label!r}"
            target.click()
        elif widgets:
            target = rng.choice(widgets)
            value = _random_value(target, rng)
            if value is None:
                continue
            desc = f"{target.type} {getattr(target, 'label', '')!r} = {value!r}"
            try:
                target.set_value(value)
            except Exception:
                continue  # a value AppTest itself refuses to set is not the page's failure
        else:
            break
        at.run()
        changes += 1
        assert not at.exception, f"{path} after step {i} ({desc}): {[e.value for e in at.exception]}"
    assert changes >= 1
