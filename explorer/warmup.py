"""Import the heavy parts of the core ahead of need, so a page's first visit is not a cold start.

``streamlit_app.py`` calls ``warm_up`` once per server process, in a background thread, while the
first page is drawn: scipy, pandas and sympy's deeper modules are then already loaded when a learner
opens a module page, and the symbolic worker pool is running.
"""
from __future__ import annotations

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
    return done
