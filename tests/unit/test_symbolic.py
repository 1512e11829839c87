"""explorer.symbolic.call: a real deadline on slow sympy work, in warm worker processes."""
from __future__ import annotations

import os
import statistics
import threading
import time

import pytest
import sympy as sp

from explorer import symbolic
from explorer.expressions import parse_expression
from explorer.symbolic import SymbolicTimeout, call

x, y = sp.symbols("x y")


# module-level, so they pickle by reference into the worker
def diff_text(text: str):
    return sp.diff(parse_expression(text, ("x",)), sp.Symbol("x"))


def expand_power(n: int) -> int:
    return len(sp.expand((x + y + 1) ** n).args)


def worker_pid() -> int:
    return os.getpid()


def sleep_then(seconds: float, value):
    time.sleep(seconds)
    return value


def raise_value_error(msg: str):
    raise ValueError(msg)


class Unpicklable(Exception):
    def __init__(self, msg, handle):
        super().__init__(msg)
        self.handle = handle

    def __reduce__(self):
        raise TypeError("no pickling")


def raise_unpicklable():
    raise Unpicklable("odd error", object())


def return_lambda():
    return lambda: 1


@pytest.fixture(scope="module", autouse=True)
def warm():
    symbolic.warm_up()
    yield


def test_result_is_the_same_as_a_direct_call():
    assert call(diff_text, "sin(x)*x**2") == sp.diff(sp.sin(x) * x ** 2, x)
    assert call(expand_power, 3) == len(sp.expand((x + y + 1) ** 3).args) == 10


def test_work_runs_in_another_process():
    assert call(worker_pid) != os.getpid()


def test_normal_call_is_fast_once_warm():
    call(diff_text, "x**3")
    times = []
    for i in range(15):
        t0 = time.perf_counter()
        call(diff_text, f"x**{i + 2}")
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"median warm call: {med * 1000:.1f} ms")
    assert med < 0.5  # typically a few ms; loose because the machine is shared


def test_slow_work_times_out_near_the_deadline_and_the_next_call_works():
    pid_before = call(worker_pid)
    t0 = time.perf_counter()
    with pytest.raises(SymbolicTimeout):
        call(expand_power, 1000, timeout=1.0)
    elapsed = time.perf_counter() - t0
    print(f"timed out after {elapsed:.2f} s (deadline 1 s)")
    assert 0.9 < elapsed < 2.5, elapsed   # the deadline, plus killing the worker (SIGKILL)
    t1 = time.perf_counter()
    assert call(expand_power, 2) == 6
    assert time.perf_counter() - t1 < 2.0  # a warm worker or a fresh one (~0.1 s when idle)
    assert symbolic._get_pool().size() <= symbolic.MAX_WORKERS
    assert call(worker_pid) != pid_before or pid_before is None


def _worker_pids():
    import multiprocessing
    return {p.pid for p in multiprocessing.active_children() if p.name == "symbolic-worker"}


def _alive(pid: int) -> bool:
    from pathlib import Path
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "zombie" not in status.lower()


def test_the_killed_worker_is_dead_and_replaced():
    pool = symbolic._get_pool()
    before = _worker_pids()
    with pytest.raises(SymbolicTimeout):
        call(sleep_then, 30, None, timeout=0.3)
    for _ in range(100):                      # the replacement starts in the background
        now = _worker_pids()
        if pool.size() == len(now) and len(now) >= symbolic.WARM_WORKERS:
            break
        time.sleep(0.1)
    killed = before - now
    assert len(killed) == 1 and not any(_alive(p) for p in killed), (before, now)
    assert all(_alive(p) for p in now)
    assert len(now) <= symbolic.MAX_WORKERS


def test_timeout_is_a_timeout_error():
    assert issubclass(SymbolicTimeout, TimeoutError)


def test_exception_keeps_its_type_and_message():
    with pytest.raises(ValueError, match="bad input 42"):
        call(raise_value_error, "bad input 42")
    assert call(expand_power, 1) == 3  # the worker survived


def test_unpicklable_exception_becomes_runtime_error():
    with pytest.raises(RuntimeError, match="Unpicklable: odd error"):
        call(raise_unpicklable)


def test_unpicklable_result_and_arguments_are_type_errors():
    with pytest.raises(TypeError):
        call(return_lambda)
    with pytest.raises(TypeError):
        call(sleep_then, 0, lambda: 1)   # arguments must pickle
    assert call(expand_power, 1) == 3


def test_concurrent_calls_from_threads():
    results, errors = {}, []

    def run(i):
        try:
            results[i] = call(diff_text, f"x**{i + 2}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert all(results[i] == (i + 2) * x ** (i + 1) for i in range(8))


def test_a_slow_call_does_not_hold_up_a_fast_one():
    slow_done = {}

    def slow():
        t0 = time.perf_counter()
        try:
            call(expand_power, 1000, timeout=2.0)
            slow_done["outcome"] = "finished"
        except SymbolicTimeout:
            slow_done["outcome"] = "timeout"
        slow_done["t"] = time.perf_counter() - t0

    th = threading.Thread(target=slow)
    th.start()
    time.sleep(0.3)        # the slow one is now computing
    fast = []
    for i in range(3):
        t0 = time.perf_counter()
        assert call(diff_text, f"x**{i + 2}") == (i + 2) * x ** (i + 1)
        fast.append(time.perf_counter() - t0)
    th.join(10)
    assert slow_done["outcome"] == "timeout" and slow_done["t"] >= 1.9
    assert max(fast) < 1.0, fast        # not waiting for the slow call's 2 s
    print(f"fast calls during a slow one: {[round(t * 1000, 1) for t in fast]} ms")


def test_pool_grows_under_contention_but_stays_bounded():
    out = []

    def slow():
        try:
            call(sleep_then, 0.6, "done", timeout=5)
            out.append("done")
        except SymbolicTimeout:
            out.append("busy")

    threads = [threading.Thread(target=slow) for _ in range(symbolic.MAX_WORKERS + 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert out.count("done") == len(threads)   # the extra ones waited for a free worker
    assert symbolic._get_pool().size() <= symbolic.MAX_WORKERS


def test_works_under_streamlit_apptest():
    from streamlit.testing.v1 import AppTest

    # AppTest runs a script string in this process; the function it sends must be importable
    script = (
        "import streamlit as st\n"
        "from explorer.symbolic import call, SymbolicTimeout\n"
        "from test_symbolic import expand_power\n"
        "st.write('terms', call(expand_power, 2))\n"
        "try:\n"
        "    call(expand_power, 1000, timeout=0.5)\n"
        "    st.write('no timeout')\n"
        "except SymbolicTimeout:\n"
        "    st.write('timed out')\n"
    )
    symbolic.shutdown()   # so the workers start during the script run, where __main__ is the script
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("timed out" in t for t in texts), texts
    assert any("6" in t for t in texts), texts


def test_workers_are_gone_after_the_interpreter_exits(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    code = ("import os, sys\n"
            "from explorer.symbolic import call\n"
            "print(call(os.getpid), flush=True)\n"
            "try:\n"
            "    call(sum, range(10**12), timeout=0.2)\n"   # a builtin: busy until killed
            "except Exception as e:\n"
            "    print(type(e).__name__, flush=True)\n"
            "print(call(os.getpid), flush=True)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split()
    assert lines[1] == "SymbolicTimeout"
    pids = [int(lines[0]), int(lines[2])]
    time.sleep(0.5)
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
