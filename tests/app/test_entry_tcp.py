"""The entry script switches Nagle's algorithm off for the server's sockets (ui/tcp.py), on the
first run in a process: a listening socket made the way Streamlit's server makes it gets TCP_NODELAY."""
from __future__ import annotations

import socket
import sys

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_TIMEOUT, ROOT
from ui import tcp


@pytest.mark.skipif(not sys.platform.startswith(("linux", "darwin")), reason="reads /proc/self/fd or /dev/fd")
def test_first_run_sets_nodelay_on_the_listener(monkeypatch):
    monkeypatch.setattr(tcp, "_done", False)
    with socket.socket(family=socket.AF_INET) as lst:      # proto 0, like starlette_server._bind_socket
        lst.bind(("127.0.0.1", 0))
        lst.listen()
        assert lst.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APP_TIMEOUT).run()
        assert not at.exception, [e.value for e in at.exception]
        assert lst.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert tcp._done
