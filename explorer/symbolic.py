"""Symbolic work that may run long (simplify, limit, series, solve, ...), behind a deadline.

API (pages and explorer modules call only this):

    call(func, *args, timeout=2.0)   -> func(*args), or raises SymbolicTimeout

``func`` must be a module-level function (picklable) and its arguments and result picklable
(strings, numbers, sympy expressions).  An exception raised by ``func`` is re-raised in the caller
with the same type (when it pickles; otherwise as a ``RuntimeError`` naming it).

How it works: the work runs in a small pool of warm worker processes (sympy already imported), so
a normal call costs a few milliseconds of inter-process overhead.  A call that passes its deadline
gets its worker killed (SIGKILL: sympy cannot be interrupted politely) and a fresh worker takes its
place; the caller gets ``SymbolicTimeout``.  A worker that dies (e.g. out of memory) is reported as
``SymbolicTimeout`` too, so a page's "took too long" fallback covers it.

- Workers come from a ``forkserver`` (or ``spawn``) multiprocessing context, never ``fork``: the
  Streamlit server is multi-threaded and forking it could copy a held lock into the child.  The
  fork server preloads sympy, so replacing a killed worker takes milliseconds.
- Thread-safe: every Streamlit session runs in its own thread.  Each call takes an idle worker for
  itself; when all are busy (someone else's slow request), the pool grows up to ``MAX_WORKERS``, so
  one user's slow request never makes another user's normal request wait for it.
- The deadline counts the work, not the one-off start of the first worker.
- Workers are daemonic, ignore Ctrl-C (the parent handles it), die with their parent, and are shut
  down at interpreter exit (``shutdown()``); nothing is started at import time.

Why not ``pebble.ProcessPool`` (measured): a trivial call took 0.24-0.33 ms against 0.05 ms here
(its tasks pass through two threads and a shared channel), and work stuck in C code outlived a 0.5 s
deadline by 3 s (pebble sends SIGTERM, which Python handles only between bytecodes, and waits 3 s
before SIGKILL); it also keeps every worker running, not two warm ones growing to four.
"""
from __future__ import annotations

import atexit
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


# ---------------------------------------------------------------------------------------------
# The worker process
def _die_with_parent() -> None:
    """Linux: get SIGKILL when the parent (the fork server / spawning process) dies."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # pragma: no cover - not Linux
        pass


def _worker_main(conn, path: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    sys.path[:] = path
    for mod in PRELOAD:
        try:
            __import__(mod)
        except ImportError:  # pragma: no cover
            pass
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
            if out[0] == "ok":
                msg = f"the result of the symbolic call cannot be pickled: {exc}"
                data = pickle.dumps(("err", TypeError(msg), ""))
            else:
                err = out[1]
                data = pickle.dumps(("err", RuntimeError(f"{type(err).__name__}: {err}"), out[2]))
        try:
            conn.send_bytes(data)
        except (EOFError, OSError):
            return


# ---------------------------------------------------------------------------------------------
# The pool (in the caller's process)
_WORKER_NAME = "symbolic-worker"


def _no_main_reimport() -> None:
    """Make worker start-up skip multiprocessing's re-import of ``__main__``.

    A spawned or fork-server child normally re-runs the parent's ``__main__`` file; under Streamlit
    (and AppTest) ``__main__`` is the page script being run, which must not run in a worker (it
    would draw a page and call us again).  Only processes named ``symbolic-worker`` are affected.
    """
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
        try:
            ctx.set_forkserver_preload(PRELOAD)
        except Exception:  # pragma: no cover
            pass
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
        if (module, path) in self.modules:
            return
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
            try:
                stop()
            except Exception:  # pragma: no cover
                pass


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

    def acquire(self, deadline: float) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError("explorer.symbolic was shut down")
                if self._idle:
                    return self._idle.pop()
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
            if self._closed or w.calls >= MAX_CALLS_PER_WORKER or (
                    len(self._idle) >= WARM_WORKERS):
                self._count -= 1
                retire = True
            else:
                self._idle.append(w)
                retire = False
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
            fresh = self._start_counted()
        except BaseException:
            return
        self.release(fresh)

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
    """Stop every idle worker and refuse new calls on this pool (called at interpreter exit).

    A later ``call`` starts a new pool."""
    _pool.shutdown()


atexit.register(shutdown)


def call(func: Callable[..., Any], *args: Any, timeout: float = 2.0) -> Any:
    """Run ``func(*args)`` in a worker process; raise ``SymbolicTimeout`` after ``timeout`` s."""
    pool = _get_pool()
    try:
        raw = pickle.dumps(("call", func, args), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        raise TypeError(f"symbolic.call needs a module-level function and picklable arguments: {exc}") \
            from exc
    # Waiting for a busy worker is bounded by ``timeout`` too (the pool grows first, so this only
    # happens when MAX_WORKERS calls are already running); the work itself then gets ``timeout``.
    w = pool.acquire(time.monotonic() + max(timeout, 0.05))
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
        raise SymbolicTimeout("the symbolic worker stopped unexpectedly") from exc
    except Exception:
        pool.release(w)
        raise
    deadline = time.monotonic() + timeout
    try:
        w.conn.send_bytes(raw)
        w.calls += 1
        if not w.conn.poll(max(0.0, deadline - time.monotonic())):
            pool.discard(w)
            raise SymbolicTimeout(f"the symbolic computation took longer than {timeout:g} s")
        out = pickle.loads(w.conn.recv_bytes())
    except SymbolicTimeout:
        raise
    except (EOFError, OSError, pickle.UnpicklingError) as exc:
        pool.discard(w)
        raise SymbolicTimeout("the symbolic worker stopped unexpectedly") from exc
    except BaseException:
        # e.g. KeyboardInterrupt while waiting: the worker's state is unknown
        pool.discard(w)
        raise
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
