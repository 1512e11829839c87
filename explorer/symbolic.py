"""Symbolic work that may run long (simplify, limit, series, solve, ...), behind a deadline.

API: ``call(func, *args, timeout=2.0)`` -> ``func(*args)``, or raises ``SymbolicTimeout``; ``func``
must be module-level and its arguments and result picklable (strings, numbers, sympy expressions).
An exception raised by ``func`` is re-raised with its type (or as a ``RuntimeError`` naming it).

The work runs in a small pool of warm worker processes (sympy already imported): a normal call costs
a few ms.  A call past its deadline gets its worker killed (SIGKILL: sympy cannot be interrupted
politely), a fresh worker takes its place and the caller gets ``SymbolicTimeout``.  A worker that
dies during a call (killed, crashed) is replaced and the call retried once in a newly started worker
within what is left of the deadline; a second death raises ``SymbolicWorkerDied`` (a ``SymbolicTimeout``,
so a page's "took too long" fallback covers it).  An idle worker found dead is replaced before use.

- Workers come from a ``forkserver`` (or ``spawn``) context, never ``fork`` (the server is
  multi-threaded: a fork could copy a held lock); the fork server preloads sympy, so replacing a
  killed worker takes milliseconds.
- Thread-safe (every Streamlit session runs in its own thread).  Each call takes an idle worker; when
  all are busy, the pool grows up to ``MAX_WORKERS``, so one user's slow request never makes
  another's normal request wait.  The deadline counts the work, not the start of a worker.
- Workers are daemonic, ignore Ctrl-C, die with their parent, and are shut down at interpreter exit
  (``shutdown()``); nothing is started at import time.  (Not ``pebble``: see README, "Libraries".)
"""
from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from typing import Any, Callable

WARM_WORKERS = 2        # kept ready
MAX_WORKERS = 4         # at most this many at once (extra ones are started only under contention)
MAX_CALLS_PER_WORKER = 2000   # recycle a worker after this many calls (bounds sympy cache growth)
START_TIMEOUT = 120.0   # seconds for a new worker to report ready (cold start on a busy machine)
PRELOAD = ["sympy"]


class SymbolicTimeout(TimeoutError):
    """The symbolic computation did not finish within its deadline."""


class SymbolicWorkerDied(SymbolicTimeout):
    """The worker process died during the call, and again (or with no time left) on the retry."""


# ---------------------------------------------------------------------------------------------
# The worker process
def _die_with_parent() -> None:
    """Linux: get SIGKILL when the parent (the fork server / spawning process) dies."""
    with contextlib.suppress(Exception):  # not Linux: nothing to do
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _worker_main(conn, path: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    sys.path[:] = path
    for mod in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(mod)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            raw = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            job = pickle.loads(raw)
            if job[0] == "import":   # a module the next calls need, imported before any deadline
                sys.path[:] = job[1]
                __import__(job[2])
                out = ("ok", None)
            else:
                out = ("ok", job[1](*job[2]))
        except MemoryError:
            out = ("memory", None)
        except Exception as exc:  # noqa: BLE001 - every error goes back to the caller
            out = ("err", exc, traceback.format_exc())
        try:
            data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # result or exception does not pickle
            err = (TypeError(f"the result of the symbolic call cannot be pickled: {exc}") if out[0] == "ok"
                   else RuntimeError(f"{type(out[1]).__name__}: {out[1]}"))
            data = pickle.dumps(("err", err, "" if out[0] == "ok" else out[2]))
        try:
            conn.send_bytes(data)
        except (EOFError, OSError):
            return


# ---------------------------------------------------------------------------------------------
# The pool (in the caller's process)
_WORKER_NAME = "symbolic-worker"


def _no_main_reimport() -> None:
    """Make worker start-up skip multiprocessing's re-import of ``__main__``: under Streamlit (and
    AppTest) ``__main__`` is the page script being run, which must not run in a worker (it would
    draw a page and call us again).  Only processes named ``symbolic-worker`` are affected."""
    from multiprocessing import spawn
    if getattr(spawn.get_preparation_data, "_symbolic_patched", False):
        return
    original = spawn.get_preparation_data

    def get_preparation_data(name):
        data = original(name)
        if name == _WORKER_NAME:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    get_preparation_data._symbolic_patched = True
    spawn.get_preparation_data = get_preparation_data


def _context():
    _no_main_reimport()
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        with contextlib.suppress(Exception):
            ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


class _Worker:
    def __init__(self, ctx) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, list(sys.path)), daemon=True,
                                name=_WORKER_NAME)
        self.proc.start()
        child.close()
        self.calls = 0
        self.ready = False
        self.modules: set[tuple[str, tuple[str, ...]]] = set()

    def has(self, module: str) -> bool:
        return (module, tuple(sys.path)) in self.modules

    def prepare(self, module: str, timeout: float) -> None:
        """Import ``module`` in the worker (with the caller's sys.path), outside any deadline."""
        path = tuple(sys.path)
        self.conn.send_bytes(pickle.dumps(("import", list(path), module)))
        if not self.conn.poll(timeout):
            raise SymbolicTimeout(f"the symbolic worker could not import {module}")
        out = pickle.loads(self.conn.recv_bytes())
        if out[0] != "ok":
            raise out[1]
        self.modules.add((module, path))

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.conn.poll(timeout):
            try:
                self.ready = self.conn.recv()[0] == "ready"
            except (EOFError, OSError):
                self.ready = False
        return self.ready

    def kill(self) -> None:
        for stop in (self.proc.kill, lambda: self.proc.join(5), self.conn.close):
            with contextlib.suppress(Exception):
                stop()


class _Pool:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._count = 0          # live workers, busy or idle, plus ones being started
        self._starting = 0       # workers being started or importing a caller's module
        self._ctx = None
        self._closed = False

    def _new_worker(self) -> _Worker:
        """Start a worker (outside the lock) and wait until it is ready."""
        if self._ctx is None:
            self._ctx = _context()
        w = _Worker(self._ctx)
        if not w.wait_ready(START_TIMEOUT):
            w.kill()
            raise SymbolicTimeout("the symbolic worker did not start")
        return w

    def acquire(self, deadline: float, fresh: bool = False) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError("explorer.symbolic was shut down")
                if self._idle and not (fresh and self._count < MAX_WORKERS):   # fresh: a retry
                    w = self._idle.pop()
                    if w.proc.is_alive() and not w.conn.poll(0):   # a dead worker's end of the pipe
                        return w          # closes at once; is_alive waits for the fork server's reaping
                    w.kill()              # died while idle (killed from outside): start another
                    self._count -= 1
                    continue
                if self._count < MAX_WORKERS:
                    self._count += 1
                    self._starting += 1
                    break
                if self._starting:     # a worker is starting or importing: not anybody's work,
                    t0 = time.monotonic()  # so waiting for it does not count against the deadline
                    self._cond.wait(0.5)
                    deadline += time.monotonic() - t0
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SymbolicTimeout("every symbolic worker is busy; try again")
                self._cond.wait(remaining)
        return self._start_counted()

    def _start_counted(self) -> _Worker:
        """Start a worker whose place was already counted in ``_count`` and ``_starting``."""
        try:
            w = self._new_worker()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._starting -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._starting -= 1
        return w

    def release(self, w: _Worker) -> None:
        with self._cond:
            retire = self._closed or w.calls >= MAX_CALLS_PER_WORKER or len(self._idle) >= WARM_WORKERS
            if retire:
                self._count -= 1
            else:
                self._idle.append(w)
            self._cond.notify()
        if retire:
            w.kill()

    def discard(self, w: _Worker, replace: bool = True) -> None:
        """Kill a worker (deadline passed or it died); start a replacement to stay warm."""
        w.kill()
        with self._cond:
            self._count -= 1
            need = replace and not self._closed and self._count < WARM_WORKERS
            if need:
                self._count += 1
            self._cond.notify()
        if need:   # in the background: the caller gets its SymbolicTimeout at the deadline
            with self._cond:
                self._starting += 1
            threading.Thread(target=self._replace, name="symbolic-respawn", daemon=True).start()

    def _replace(self) -> None:
        try:
            self.release(self._start_counted())
        except BaseException:
            pass

    def preparing(self, delta: int) -> None:
        with self._cond:
            self._starting += delta
            if delta < 0:
                self._cond.notify_all()

    def warm(self) -> None:
        """Start the warm workers now (optional; the first call does it otherwise)."""
        started = []
        with self._cond:
            n = max(0, WARM_WORKERS - self._count)
            self._count += n
        try:
            for _ in range(n):
                started.append(self._new_worker())
        finally:
            with self._cond:
                self._count -= n - len(started)
            for w in started:
                self.release(w)

    def shutdown(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for w in idle:
            w.kill()

    def size(self) -> int:
        with self._cond:
            return self._count


_pool = _Pool()
_pool_lock = threading.Lock()


def _get_pool() -> _Pool:
    global _pool
    with _pool_lock:
        if _pool._closed:
            _pool = _Pool()
        return _pool


def warm_up() -> None:
    """Start the worker processes ahead of the first call (optional)."""
    _get_pool().warm()


def shutdown() -> None:
    """Stop every idle worker and refuse new calls on this pool (at interpreter exit); a later
    ``call`` starts a new pool."""
    _pool.shutdown()


atexit.register(shutdown)


class _Died(Exception):  # the worker died during one attempt; args[0] = seconds of work spent
    pass


def call(func: Callable[..., Any], *args: Any, timeout: float = 2.0) -> Any:
    """Run ``func(*args)`` in a worker process; raise ``SymbolicTimeout`` after ``timeout`` s
    (``SymbolicWorkerDied`` if the worker dies, is replaced, and dies again on the one retry)."""
    pool = _get_pool()
    try:
        raw = pickle.dumps(("call", func, args), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        raise TypeError(f"symbolic.call needs a module-level function and picklable arguments: {exc}") from exc
    budget = max(timeout, 0.05)
    for attempt in (1, 2):
        try:
            return _attempt(pool, func, raw, budget, timeout, fresh=attempt == 2)
        except _Died as died:
            budget -= died.args[0]          # the work time spent in the dead worker
            if attempt == 2 or budget <= 0.01:
                raise SymbolicWorkerDied(
                    "the symbolic worker stopped unexpectedly (it was killed or crashed)"
                    + (" twice" if attempt == 2 else "") + "; the computation was not finished"
                ) from died.__cause__


def _attempt(pool: _Pool, func, raw: bytes, budget: float, timeout: float, fresh: bool) -> Any:
    """One try in one worker (a new one if ``fresh``); raises ``_Died(seconds of work spent)`` if it dies.
    Waiting for a busy worker (only when MAX_WORKERS calls run already) is bounded by ``budget`` too."""
    w = pool.acquire(time.monotonic() + budget, fresh)
    module = getattr(func, "__module__", None)
    try:
        if module and not w.has(module):
            # the first call of a function in a fresh worker imports its module: not part of the work
            pool.preparing(+1)
            try:
                w.prepare(module, START_TIMEOUT)
            finally:
                pool.preparing(-1)
    except SymbolicTimeout:
        pool.discard(w)
        raise
    except (EOFError, OSError) as exc:
        pool.discard(w)
        raise _Died(0.0) from exc
    except Exception:
        pool.release(w)
        raise
    start = time.monotonic()
    deadline = start + budget
    try:
        w.conn.send_bytes(raw)
        w.calls += 1
        done = w.conn.poll(max(0.0, deadline - time.monotonic()))
        out = pickle.loads(w.conn.recv_bytes()) if done else None
    except (EOFError, OSError) as exc:
        pool.discard(w)
        raise _Died(time.monotonic() - start) from exc
    except pickle.UnpicklingError as exc:
        pool.discard(w)
        raise SymbolicTimeout("the result of the symbolic worker could not be read") from exc
    except BaseException:
        # e.g. KeyboardInterrupt while waiting: the worker's state is unknown
        pool.discard(w)
        raise
    if not done:
        pool.discard(w)
        raise SymbolicTimeout(f"the symbolic computation took longer than {timeout:g} s")
    pool.release(w)
    kind = out[0]
    if kind == "ok":
        return out[1]
    if kind == "memory":
        raise SymbolicTimeout("the symbolic computation ran out of memory")
    exc, tb = out[1], out[2]
    if tb and hasattr(exc, "add_note"):
        exc.add_note("Raised in the symbolic worker process:\n" + tb.rstrip())
    raise exc
