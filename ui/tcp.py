"""Every websocket message leaves the server at once: ``TCP_NODELAY`` on the app server's sockets.

Streamlit's server (uvicorn, since Streamlit moved to Starlette) listens on a socket it creates
itself as ``socket.socket(family=...)``. Its protocol number is then 0, and asyncio only switches
Nagle's algorithm off (``TCP_NODELAY``) for sockets whose protocol is ``IPPROTO_TCP``, so every
connection the app accepts keeps Nagle on. A rerun sends many small messages (one per element);
with Nagle the first goes out, and every later one waits in the kernel until the browser
acknowledges the first, which the browser's TCP stack delays by up to 40 ms (delayed ACK). Measured
on this app: the messages of a slider step arrived in one burst 40 ms after the first, whatever the
script cost (a 6 ms step took 48 ms; see README "Speed").

``send_at_once()`` sets ``TCP_NODELAY`` on every TCP socket the process holds: the listening
sockets (Linux and macOS copy the option to each connection accepted after) and the connections
already open. It uses the operating system's socket API only, no Streamlit internals, runs once per
process, and leaves every other file descriptor (files, pipes, Unix sockets, UDP) alone.
"""
from __future__ import annotations

import os
import socket

_FD_DIRS = ("/proc/self/fd", "/dev/fd")     # Linux, then macOS/BSD; neither exists on Windows
_done = False


def _open_fds() -> list[int]:
    for d in _FD_DIRS:
        try:
            return sorted(int(n) for n in os.listdir(d) if n.isdigit())
        except OSError:
            continue
    return []


def no_delay_everywhere() -> int:
    """Set ``TCP_NODELAY`` on every TCP socket of this process; return how many were set."""
    n = 0
    for fd in _open_fds():
        try:
            dup = os.dup(fd)                 # the fd may be closed by another thread meanwhile
        except OSError:
            continue
        try:
            sock = socket.socket(fileno=dup)     # raises for anything that is not a socket
        except OSError:
            os.close(dup)
            continue
        with sock:                               # closes the duplicate, not the server's socket
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                try:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    n += 1
                except OSError:
                    pass
    return n


def send_at_once() -> None:
    """Once per process (the entry script calls it on every run): ``no_delay_everywhere()``. No lock:
    the scan is idempotent, so two first sessions at once at worst both run it."""
    global _done
    if not _done:
        no_delay_everywhere()
        _done = True
