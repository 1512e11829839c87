"""Import the heavy parts of the core ahead of need, so a page's first visit is not a cold start.

``streamlit_app.py`` calls ``warm_up`` once per server process, in a background thread, while the
first page is drawn: scipy, pandas and sympy's deeper modules are then already loaded when a learner
opens a module page, and the symbolic worker pool is running.
"""
from __future__ import annotations

import gc
import importlib

MODULES = (
    "explorer.derivatives", "explorer.multivariate", "explorer.sandpit", "explorer.network",
    "explorer.chain_rule", "explorer.taylor", "explorer.optimise", "explorer.regression",
    "explorer.practice", "explorer.lessons",
    "explorer.figures.derivatives", "explorer.figures.multivariate", "explorer.figures.chain_rule",
    "explorer.figures.taylor", "explorer.figures.optimise", "explorer.figures.regression",
)


def warm_up() -> list[str]:
    """Import every core module (and start the symbolic workers), then settle the garbage collector
    for a long-lived server (``settle_garbage_collector``); return the modules loaded."""
    done = []
    for name in MODULES:
        try:
            importlib.import_module(name)
            done.append(name)
        except ImportError:      # a module not present in this checkout: nothing to warm
            continue
    from explorer import symbolic
    symbolic.warm_up()
    settle_garbage_collector()
    return done


# gc thresholds for the server: (generation 0, 1, 2); CPython's defaults are (700, 10, 10)
GC_THRESHOLDS = (10_000, 20, 20)


def settle_garbage_collector() -> None:
    """Tune CPython's garbage collector for a server process that lives for days.

    - ``gc.freeze()``: every object alive now (the imported modules: sympy, scipy, plotly, pandas,
      Streamlit, ~250 MB) leaves the collector's sight. They live as long as the process, yet each
      full collection walked all of them: 140-200 ms with the GIL held, every ~15 s under 20
      users, stalling every session's slider step at once (now 10-55 ms, every ~13 s).
    - ``gc.set_threshold(*GC_THRESHOLDS)``: a young-generation collection every 10,000 new
      container objects instead of every 700. A slider step allocates thousands (figure dicts,
      protobuf messages), so with the defaults several collections ran inside every step. Measured
      under 20 users on one process: 10.7-11.8 ms CPU a step instead of 11.6-14.4, p95 round trip
      32-38 ms instead of 39-51; memory +3 MB.

    Both are what CPython's ``gc`` documentation describes for this case; cyclic garbage is still
    collected, only in fewer, larger batches."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
