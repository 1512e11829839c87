"""A lecture starts: many students open the app at the same moment, on a server just started.

Every page imports ``ui``; on a fresh server the first run leaves Streamlit's legacy pages mode
from inside that import (``st.rerun``). Sessions importing ``ui`` at that moment could be handed
the half-built module and show an exception box ("module 'ui' has no attribute 'page_header'").
Here 18 websocket sessions (Streamlit's own protocol, ``benchmarks/wsclient.py``) load the six
module pages at once, right after the server starts, and every run must end without an exception.
"""
import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import streamlit_server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from wsclient import Session  # noqa: E402
from explorer import course

PAGES = sorted(p.url_path for p in course.MODULES)


async def _load(base: str, page: str):
    s = await Session(base, timeout=90).open()
    try:
        return await s.load(page)
    finally:
        await s.close()


@pytest.mark.parametrize("attempt", range(2))
def test_first_visitors_at_once_see_no_exception(attempt):
    with streamlit_server() as url:
        base = "ws://" + url.split("//", 1)[1].rstrip("/")
        pages = PAGES * 3

        async def crowd():
            return await asyncio.gather(*[_load(base, p) for p in pages])

        # a thread of its own: in the full suite Playwright's sync API already runs an event loop here
        with ThreadPoolExecutor(1) as pool:
            results = pool.submit(lambda: asyncio.run(crowd())).result(timeout=300)
    bad = [(p, r.status, r.exceptions) for p, r in zip(pages, results) if r.exceptions or not r.ok]
    assert not bad, bad
