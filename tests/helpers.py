"""Helpers the tests share (import with `from helpers import ...`)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_TIMEOUT = 90


def wait_for_app(page, quiet_ms: int = 500) -> None:
    """Wait until Streamlit has finished running the script and stayed idle for `quiet_ms`.

    The app root carries `data-test-script-state` ("initial", "running", "notRunning", ...).
    """
    idle = ("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
            " return !!a && a.getAttribute('data-test-script-state') === 'notRunning'; }")
    page.wait_for_selector('[data-testid="stApp"]')
    for _ in range(3):                      # a rerun right after the first run (e.g. st.rerun)
        page.wait_for_function(idle)
        page.wait_for_timeout(quiet_ms)
        if page.evaluate(idle):
            return


def run_page(path: str, query: dict | None = None, timeout: float = APP_TIMEOUT):
    """An AppTest that opened the app and switched to `path` (e.g. "pages/taylor.py")."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if path != "pages/home.py":
        at.switch_page(path)
        at.run()
    return at


def assert_no_exception(page) -> None:
    """No Streamlit exception box anywhere on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0
