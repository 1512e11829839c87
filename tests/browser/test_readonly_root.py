"""The app on a read-only root file system (issue 22: deploy/k8s/deployment.yaml sets
``readOnlyRootFilesystem`` with an emptyDir at /tmp), proved offline: the server runs in a private
mount namespace (``unshare --mount``) where every mount holding /, the checkout, HOME and Python is
read-only and /tmp is a fresh tmpfs, the only place it can write. HOME stays the user's own (read-only
here), stricter than the deployment's ``HOME=/tmp``. Two pages and a CSV upload must work without an
exception box, a chart must be drawn, and the server must not report a read-only file system.

Skipped, with the reason, where mount namespaces or read-only remounts are not permitted."""
from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from helpers import ROOT, free_port, wait_for_app, wait_healthy

pytestmark = pytest.mark.browser

HOME = Path(os.environ.get("HOME") or "/root")
CHART = ".js-plotly-plot svg.main-svg"


def _mount_points() -> list[str]:
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4].replace("\\040", " ") for line in f]


def _mount_of(path: Path, points: list[str]) -> str:
    """The mount point that holds ``path`` (the longest mount point above it)."""
    path = str(path.resolve())
    return max((p for p in points if path == p or path.startswith(p.rstrip("/") + "/")), key=len)


def _held() -> list[Path]:
    return [Path("/"), ROOT, HOME, Path(sys.prefix), Path(sys.base_prefix), Path(os.__file__).parent]


def _namespace_command(then: str) -> list[str]:
    """Run the shell command ``then`` in a private mount namespace with the mounts holding /, the
    checkout, HOME and Python read-only and a new tmpfs on /tmp, after checking that it is so."""
    points = _mount_points()
    mounts = sorted({_mount_of(p, points) for p in _held()}, key=len)
    remount = " && ".join(f"mount -o remount,bind,ro {shlex.quote(m)}" for m in mounts)
    check = " && ".join(f"[ ! -w {shlex.quote(str(p))} ]" for p in _held())
    script = (f"{remount} && mount -t tmpfs -o size=256m,mode=1777 tmpfs /tmp && {check} && [ -w /tmp ] "
              f"&& cd {shlex.quote(str(ROOT))} && {then}")
    user = [] if os.geteuid() == 0 else ["--map-root-user"]
    return ["unshare", "--mount", "--fork", *user, "--", "sh", "-c", script]


def _namespace_problem() -> str | None:
    """Why a read-only namespace cannot be made here (None: it can), found by trying."""
    if not sys.platform.startswith("linux"):
        return "mount namespaces are Linux only"
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare or mount is not installed"
    under_tmp = [str(p) for p in _held() if str(p.resolve()).startswith("/tmp/")]
    if under_tmp:
        return f"{under_tmp[0]} is under /tmp, which the test replaces by an empty tmpfs"
    try:
        done = subprocess.run(_namespace_command("touch /tmp/probe && echo ok"), capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"unshare failed: {err}"
    if done.returncode != 0 or done.stdout.strip() != "ok":
        return (f"cannot make a read-only mount namespace here (unshare --mount / mount -o remount,ro exited "
                f"{done.returncode}: {(done.stderr or done.stdout).strip()[:200] or 'a path stayed writable'})")
    return None


@contextlib.contextmanager
def _readonly_server(log: Path):
    port = free_port()
    serve = (f"exec {shlex.quote(sys.executable)} -m streamlit run streamlit_app.py --server.headless true "
             f"--server.port {port} --server.address 127.0.0.1 --browser.gatherUsageStats false")
    with open(log, "wb") as out:
        proc = subprocess.Popen(_namespace_command(serve), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_healthy(url, 240, proc):
            raise AssertionError(f"the app did not start on a read-only root: {log.read_text()[-3000:]}")
        yield url, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _server_mounts(proc) -> dict[str, tuple[str, str]]:
    """Mount point -> (its options, its file system type) as the streamlit process sees them."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert children, "the namespace has no server process"
    mounts = {}
    for line in Path(f"/proc/{children[0]}/mountinfo").read_text().splitlines():
        fields = line.split()
        mounts[fields[4]] = (fields[5], fields[fields.index("-") + 1])
    return mounts


@pytest.fixture(scope="module")
def readonly_app(tmp_path_factory):
    problem = _namespace_problem()
    if problem:
        pytest.skip(problem)
    log = tmp_path_factory.mktemp("readonly_root") / "server.log"
    with _readonly_server(log) as (url, proc):
        yield url, proc, log


def _chart_drawn(page) -> None:
    page.wait_for_selector(CHART, state="visible", timeout=120_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_app_runs_on_a_read_only_root(readonly_app, page, tmp_path):
    url, proc, log = readonly_app
    mounts = _server_mounts(proc)
    assert mounts["/"][0].split(",")[0] == "ro", mounts["/"]
    assert mounts["/tmp"][1] == "tmpfs" and mounts["/tmp"][0].split(",")[0] == "rw", mounts["/tmp"]

    for path in ("derivatives", "multivariate"):
        page.goto(url + path)
        wait_for_app(page)
        _chart_drawn(page)

    page.goto(url + "regression?view=" + quote("Nonlinear models and your own") + "&data=" + quote("Upload a CSV"))
    wait_for_app(page)
    csv = tmp_path / "readonly_upload.csv"
    csv.write_text("t,y\n" + "".join(f"{i},{2 * i + 1 + i % 3}\n" for i in range(30)))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
    page.get_by_text("Loaded readonly_upload.csv").wait_for(timeout=120_000)
    wait_for_app(page)
    _chart_drawn(page)

    text = log.read_text(errors="replace")
    for sign in ("Read-only file system", "Errno 30", "Traceback", "PermissionError"):
        assert sign not in text, f"the server reported {sign!r}:\n{text[-3000:]}"
    assert proc.poll() is None, "the server stopped"
