"""Helpers the tests share (import with `from helpers import ...`)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_TIMEOUT = 90


def wait_for_app(page, quiet_ms: int = 800) -> None:
    """Wait until the page has rendered and Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=\"stStatusWidget\"]');"
        " return !s || !s.innerText.includes('Running'); }")
    page.wait_for_timeout(quiet_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stApp\"][data-test-script-state=\"running\"]')")


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
