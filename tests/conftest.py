"""Shared fixtures: a real streamlit server on a free port, and a Playwright browser on it."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
APP_TIMEOUT = 90  # generous: cold sympy/scipy/plotly imports on a small machine


@contextlib.contextmanager
def streamlit_server(script: str = "streamlit_app.py", cwd: Path = ROOT):
    """Run `streamlit run SCRIPT` on a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_healthy(url, 60, proc):
            raise RuntimeError("streamlit did not start: " + proc.stdout.read1(4000).decode())
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url():
    """One real server of the app for the whole test session."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(APP_TIMEOUT * 1000)
    yield pg
    ctx.close()


BROWSER_FIXTURES = {"app_url", "browser", "page", "tiny_app"}


def pytest_collection_modifyitems(config, items):
    """Every test that starts a server or drives Chromium is marked ``browser``: all of
    tests/browser/, and any other test that asks for one of the browser fixtures. Tests marked
    ``slow`` run only when the -m expression names them."""
    browser_dir = Path(__file__).resolve().parent / "browser"
    if "slow" not in (config.option.markexpr or ""):     # the long runs only when asked for: -m slow
        slow = [item for item in items if item.get_closest_marker("slow")]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if not item.get_closest_marker("slow")]
    for item in items:
        if browser_dir in Path(item.fspath).resolve().parents or BROWSER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.browser)
