"""A class arrives at once (issue 22, "Faults"): N sessions open the app at the same moment on a
server just started, and every one must load without an exception box.

Starts ``streamlit run`` on a free port (headless; its log kept to count server tracebacks), waits
for ``/_stcore/health``, then opens ``--sessions`` websocket sessions at once (``wsclient.py``,
Streamlit's own protocol, no browser), spread round-robin over the home page and every module page,
each loading its page. Per session: page, load time (websocket connect -> ``script_finished``), run
status, and the text of any exception element. Reported: loads that failed or showed an exception,
the slowest / median / p95 load, and tracebacks in the server log.

    python benchmarks/crowd_probe.py [--sessions 30] [--timeout 180] [--json benchmarks/crowd.json]

Exit status 1 when any session failed, showed an exception, or the server logged a traceback.
Loopback only; the server is stopped by its own process id.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from load_test import free_port, wait_health  # noqa: E402
from wsclient import Session  # noqa: E402


def crowd_pages() -> list[str]:
    """The home page ("") and every module page, in the order of the course."""
    from explorer import course
    return [""] + [p.url_path for p in course.MODULES]


class CrowdSession(Session):
    """A ``wsclient.Session`` that also keeps the text of exception elements (for the report)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exception_texts: list[str] = []

    def _delta(self, d) -> int:
        if d.WhichOneof("type") == "new_element" and d.new_element.WhichOneof("type") == "exception":
            e = d.new_element.exception
            self.exception_texts.append(f"{e.type}: {e.message}"[:300])
        return super()._delta(d)


async def visit(base: str, page: str, timeout: float) -> dict:
    t0 = time.perf_counter()
    s = CrowdSession(base, timeout=timeout)
    try:
        await s.open()
        r = await s.load(page)
        out = {"status": r.status, "ok": r.ok, "exceptions": r.exceptions, "kb": round(r.bytes / 1024, 1)}
    except Exception as exc:  # noqa: BLE001 - a dropped or refused connection is a result too
        out = {"status": f"{type(exc).__name__}: {exc}"[:200], "ok": False, "exceptions": 0, "kb": 0}
    finally:
        await s.close()
    out.update(page=page or "home", ms=round((time.perf_counter() - t0) * 1000),
               exception_texts=s.exception_texts)
    return out


async def crowd(base: str, sessions: int, timeout: float = 180.0, pages: list[str] | None = None) -> list[dict]:
    """Open ``sessions`` sessions at once (round-robin over ``pages``); one result dict each."""
    pages = pages or crowd_pages()
    return list(await asyncio.gather(*[visit(base, pages[i % len(pages)], timeout) for i in range(sessions)]))


def summarise(results: list[dict]) -> dict:
    ms = sorted(r["ms"] for r in results)
    bad = [r for r in results if not r["ok"] or r["exceptions"]]
    slowest = max(results, key=lambda r: r["ms"])
    return {
        "sessions": len(results), "loaded_ok": len(results) - len(bad),
        "with_exception_box": sum(1 for r in results if r["exceptions"]),
        "failed": [{k: r[k] for k in ("page", "status", "exceptions", "exception_texts", "ms")} for r in bad],
        "slowest_ms": slowest["ms"], "slowest_page": slowest["page"],
        "median_ms": round(statistics.median(ms)), "p95_ms": ms[int(0.95 * (len(ms) - 1))],
        "per_page_max_ms": {p: max(r["ms"] for r in results if r["page"] == p)
                            for p in dict.fromkeys(r["page"] for r in results)},
    }


def run_on_fresh_server(sessions: int, timeout: float = 180.0) -> dict:
    """Start a server, send the crowd the moment it is healthy, stop it; the summary plus the
    server's log traceback count."""
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+b", prefix="crowd_", suffix=".log", delete=False)
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        t_start = time.perf_counter()
        wait_health(port, 180)
        ready_s = time.perf_counter() - t_start
        t0 = time.perf_counter()
        results = asyncio.run(crowd(f"ws://127.0.0.1:{port}", sessions, timeout))
        wall = time.perf_counter() - t0
    finally:
        try:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(10)
        log.seek(0)
        text = log.read().decode(errors="replace")
        log.close()
        os.unlink(log.name)
    summary = summarise(results)
    summary.update(server_ready_s=round(ready_s, 1), crowd_wall_s=round(wall, 1),
                   server_tracebacks=text.count("Traceback (most recent call last)"),
                   server_log_tail=text[-1500:] if "Traceback" in text else "")
    return summary


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds allowed for one session's load")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    res = run_on_fresh_server(args.sessions, args.timeout)
    text = json.dumps(res, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return res


if __name__ == "__main__":
    r = main()
    sys.exit(0 if r["loaded_ok"] == r["sessions"] and not r["server_tracebacks"] else 1)
