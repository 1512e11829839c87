"""Import the heavy parts of the core ahead of need, so a page's first visit is not a cold start.

``streamlit_app.py`` calls ``warm_up`` once per server process, in a background thread, while the
first page is drawn: scipy, pandas and sympy's deeper modules are then already loaded when a learner
opens a module page, and the symbolic worker pool is running.
"""
from __future__ import annotations

import gc
import importlib

MODULES = (
    "explorer.derivatives", "explorer.derivatives_figures", "explorer.multivariate",
    "explorer.multivariate_figures", "explorer.sandpit", "explorer.network", "explorer.chain_rule",
    "explorer.chain_rule_plots", "explorer.taylor", "explorer.taylor_plots", "explorer.optimise",
    "explorer.optimise_figures", "explorer.regression", "explorer.regression_figures",
    "explorer.practice", "explorer.lessons",
)


def warm_up() -> list[str]:
    """Import every core module (and start the symbolic workers); return the modules loaded."""
    done = []
    for name in MODULES:
        try:
            importlib.import_module(name)
            done.append(name)
        except ImportError:      # a module not present in this checkout: nothing to warm
            continue
    from explorer import symbolic
    symbolic.warm_up()
    freeze_imported_objects()
    return done


def freeze_imported_objects() -> None:
    """Move every object alive now (the imported modules: sympy, scipy, plotly, pandas, Streamlit,
    ~250 MB) out of the garbage collector's sight.

    They live as long as the process, yet each full collection walked all of them: 140-200 ms with
    the GIL held, every 15 s or so under 20 users, stalling every session's slider step at once.
    After the freeze a full collection walks only what sessions created since. This is
    ``gc.freeze()`` as CPython's documentation recommends for a long-lived server process."""
    gc.collect()
    gc.freeze()
