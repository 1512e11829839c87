"""ui.tcp: TCP_NODELAY on the server's sockets, so a rerun's messages are not held back by Nagle's
algorithm (every message after the first used to wait for the browser's delayed ACK, ~40 ms)."""
from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import sys

import pytest

from ui import tcp

pytestmark = pytest.mark.skipif(not sys.platform.startswith(("linux", "darwin")), reason="reads /proc/self/fd or /dev/fd")


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def listener_like_streamlits() -> socket.socket:
    """Made the way Streamlit's server makes its listening socket (starlette_server._bind_socket):
    family only, so its protocol number is 0 and asyncio leaves Nagle on for what it accepts."""
    s = socket.socket(family=socket.AF_INET)
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s


def test_listener_and_its_connections_get_nodelay():
    with listener_like_streamlits() as lst:
        early = socket.create_connection(lst.getsockname())
        accepted_early, _ = lst.accept()
        assert lst.proto == 0 and nodelay(accepted_early) == 0, "the starting point: Nagle on"
        assert tcp.no_delay_everywhere() >= 3        # listener, accepted connection, client end
        assert nodelay(lst) == 1
        assert nodelay(accepted_early) == 1, "a connection already open is switched too"
        late = socket.create_connection(lst.getsockname())
        accepted_late, _ = lst.accept()
        assert nodelay(accepted_late) == 1, "a connection accepted later inherits it from the listener"
        for s in (early, accepted_early, late, accepted_late):
            s.close()


def test_asyncio_server_on_such_a_listener_sends_without_delay():
    """The path the app's server takes: asyncio accepts on the pre-bound socket (uvicorn)."""
    async def main():
        lst = listener_like_streamlits()
        seen = []

        async def handle(reader, writer):
            seen.append(nodelay(writer.get_extra_info("socket")))
            writer.close()

        tcp.no_delay_everywhere()
        server = await asyncio.start_server(handle, sock=lst)
        async with server:
            r, w = await asyncio.open_connection(*lst.getsockname())
            await r.read()
            w.close()
        return seen

    # in a thread of its own: a browser test's Playwright may have left an event loop running here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, main()).result(timeout=30) == [1]


def test_other_descriptors_are_left_alone_and_nothing_leaks():
    r, w = os.pipe()
    a, b = socket.socketpair(socket.AF_UNIX)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    path = os.path.abspath(__file__)
    with open(path, "rb") as f:
        before = sorted(os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"))
        tcp.no_delay_everywhere()
        after = sorted(os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"))
        assert before == after, "every duplicate descriptor is closed again"
        assert f.read(3), "the file is still open and readable"
    os.write(w, b"x")
    assert os.read(r, 1) == b"x"
    a.sendall(b"y")
    assert b.recv(1) == b"y"
    assert udp.fileno() >= 0
    for x in (a, b, udp):
        x.close()
    os.close(r)
    os.close(w)


def test_send_at_once_runs_once(monkeypatch):
    calls = []
    monkeypatch.setattr(tcp, "_done", False)
    monkeypatch.setattr(tcp, "no_delay_everywhere", lambda: calls.append(1) or 0)
    tcp.send_at_once()
    tcp.send_at_once()
    assert calls == [1]
