"""Start a function host as a child process on 127.0.0.1, wait until it answers, stop it for sure.

Every host runs under a small supervisor (``python -m accord.adapters.faas.hostproc -- ARGV``)
that leads its own process group and holds a pipe from the adapter. When the
adapter stops the host, dies, is killed (even with SIGKILL) or Ctrl-C ends
the run, the pipe closes and the supervisor kills the whole group: no host
process, nor any grandchild it spawned (gunicorn workers, node → python), is
left behind. Readiness is polled with a growing back-off, never a fixed sleep.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

LOOPBACK = "127.0.0.1"


class HostStartError(RuntimeError):
    """The host exited or did not become ready in time; the message ends with its log tail."""


DEFAULT_STARTUP_TIMEOUT = 60.0
_startup_budget: float | None = None  # the current deploy's readiness budget (the run's --timeout)


@contextlib.contextmanager
def startup_budget(seconds: float | None) -> Iterator[None]:
    """Hosts started inside get ``seconds`` to become ready (the kit's ``--timeout``) instead of a fixed
    default; a host known to start slowly (``startup_timeout=``) keeps its longer allowance."""
    global _startup_budget
    before, _startup_budget = _startup_budget, seconds
    try:
        yield
    finally:
        _startup_budget = before


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def http_ready(port: int, path: str = "/", method: str = "GET") -> Callable[[], bool]:
    """A readiness probe: true once the host answers ``method path`` with any HTTP status."""

    def probe() -> bool:
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
        try:
            conn.request(method, path)
            conn.getresponse().read()
            return True
        except OSError:
            return False
        finally:
            conn.close()

    return probe


_LIVE: set[HostProcess] = set()


class HostProcess:
    """One supervised host process.

    ``ready`` is polled until it returns true; the process dying first, or
    ``startup_timeout`` passing, raises :class:`HostStartError` with the log tail.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        ready: Callable[[], bool],
        name: str = "host",
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
        startup_timeout: float | None = None,
    ) -> None:
        self.argv = list(argv)
        self.ready = ready
        self.name = name
        self.cwd = cwd
        self.env = env
        # the run's budget, or the adapter's longer allowance for a slow host; 60 s outside a deploy
        budgets = [t for t in (startup_timeout, _startup_budget) if t is not None]
        self.startup_timeout = max(budgets) if budgets else DEFAULT_STARTUP_TIMEOUT
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self.startup_seconds: float | None = None

    def start(self) -> HostProcess:
        log = tempfile.NamedTemporaryFile(prefix=f"accord-{self.name}-", suffix=".log", delete=False)
        self.log_path = Path(log.name)
        began = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.adapters.faas.hostproc", "--", *self.argv],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.cwd,
            env=self.env,
            start_new_session=True,  # the supervisor leads a fresh process group
        )
        log.close()
        _LIVE.add(self)
        try:
            self._wait_ready(began)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _wait_ready(self, began: float) -> None:
        assert self.process is not None
        pause = 0.02
        while True:
            if self.process.poll() is not None:
                raise HostStartError(
                    f"{self.name} exited with status {self.process.returncode} before it was ready: "
                    f"{self.log_tail()}"
                )
            if self.ready():
                return
            if time.monotonic() - began > self.startup_timeout:
                raise HostStartError(
                    f"{self.name} was not ready after {self.startup_timeout:g}s: {self.log_tail()}"
                )
            time.sleep(pause)
            pause = min(pause * 1.5, 0.5)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, limit: int = 2000) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_bytes()[-limit:].decode("utf-8", "replace").strip()
        return text or "(empty log)"

    def stop(self, grace: float = 5.0) -> None:
        """Stop the supervisor and its whole process group; safe to call twice."""
        _LIVE.discard(self)
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                assert proc.stdin is not None
                proc.stdin.close()  # the supervisor's cue to terminate the group
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(grace)
        # the group may outlive its leader for a moment; make sure nobody is left
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ValueError):
            if proc.stdin is not None:
                proc.stdin.close()
        # nothing stays in the temp dir: a start failure has quoted the log's tail by now
        if self.log_path is not None:
            with contextlib.suppress(OSError):
                self.log_path.unlink()
            self.log_path = None

    def __enter__(self) -> HostProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for host in list(_LIVE):
        host.stop(grace=2.0)


def _supervise(argv: list[str]) -> int:
    """Run ``argv`` in this process group; kill the group when stdin closes or a signal arrives."""
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL)  # inherits our process group
    done = threading.Event()

    def terminate_group(*_: object) -> None:
        if done.is_set():
            return
        done.set()  # our own SIGTERM below re-enters this handler and returns here
        with contextlib.suppress(ProcessLookupError):
            os.killpg(0, signal.SIGTERM)
        deadline = time.monotonic() + 3.0
        while child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(0, signal.SIGKILL)  # also ends this supervisor

    def watch_stdin() -> None:
        with contextlib.suppress(OSError):
            sys.stdin.buffer.read()  # returns at EOF: the adapter is gone or stopping us
        terminate_group()

    signal.signal(signal.SIGTERM, terminate_group)
    signal.signal(signal.SIGINT, terminate_group)
    threading.Thread(target=watch_stdin, daemon=True).start()
    code = child.wait()
    terminate_group()  # the host died on its own: take its children with it
    return code


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python -m accord.adapters.faas.hostproc -- COMMAND [ARG...]", file=sys.stderr)
        sys.exit(2)
    sys.exit(_supervise(args))
