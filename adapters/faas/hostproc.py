"""Start a function host as a child process on 127.0.0.1, wait until it answers, stop it for sure.

Every host runs under a small supervisor (``python -m accord.adapters.faas.hostproc -- ARGV``)
that leads its own process group and holds a pipe from the adapter. When the
adapter stops the host, dies, is killed (even with SIGKILL) or Ctrl-C ends
the run, the pipe closes and the supervisor kills the whole group: no host
process, nor any grandchild it spawned (gunicorn workers, node → python), is
left behind; one that left the group (a new session, a double fork) still carries the
host's cookie (``procs.with_cookie``), and whoever ends the host kills its holders.
Nor is any file: the host's log has no name in the temp dir, and the folders it was
given as ``scratch`` (a generated service, a sandbox's mount point) are removed by
whoever ends it, :meth:`HostProcess.stop` or the supervisor.
Readiness is polled with a growing back-off, never a fixed sleep.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from accord.adapters.procs import group_members, kill_cookie_holders, own_cookie, shared_log_tail, with_cookie

LOOPBACK = "127.0.0.1"


class HostStartError(RuntimeError):
    """The host exited or did not become ready in time; the message ends with its log tail."""


DEFAULT_STARTUP_TIMEOUT = 60.0
_startup_budget: float | None = None  # the current deploy's readiness budget (the run's --timeout)
#: the longest pause between two readiness polls of a starting host (see HostProcess._wait_ready)
READY_POLL_MAX = 0.02


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
    ``scratch`` names folders that belong to this host alone: they are removed once it is
    stopped, whoever stops it (:meth:`stop`, or the supervisor when the owner dies).
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
        scratch: Sequence[str | os.PathLike[str]] = (),
    ) -> None:
        self.argv = list(argv)
        self.scratch = [Path(folder) for folder in scratch]
        self.ready = ready
        self.name = name
        self.cwd = cwd
        self.env = env
        # the run's budget, or the adapter's longer allowance for a slow host; 60 s outside a deploy
        budgets = [t for t in (startup_timeout, _startup_budget) if t is not None]
        self.startup_timeout = max(budgets) if budgets else DEFAULT_STARTUP_TIMEOUT
        self.process: subprocess.Popen[bytes] | None = None
        self.log: Any = None  # the host's output: a temp file without a name, closed by stop()
        self.startup_seconds: float | None = None
        self.cookie: str | None = None  # in the environment of the supervisor and all it starts

    def start(self) -> HostProcess:
        # no name in the temp dir (O_TMPFILE, or unlinked at once): nothing to leave behind, even on SIGKILL
        self.log = tempfile.TemporaryFile(prefix=f"accord-{self.name}-", suffix=".log")
        began = time.monotonic()
        scratch = [arg for folder in self.scratch for arg in ("--scratch", str(folder))]
        self.cookie, env = with_cookie(self.env)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "accord.adapters.faas.hostproc", *scratch, "--", *self.argv],
                stdin=subprocess.PIPE,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                cwd=self.cwd,
                env=env,
                start_new_session=True,  # the supervisor leads a fresh process group
            )
        except BaseException:
            self.stop()
            raise
        _LIVE.add(self)
        try:
            self._wait_ready(began)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _wait_ready(self, began: float) -> None:
        """Poll readiness until the host answers. The pauses grow to :data:`READY_POLL_MAX` only: a deploy
        returns at the first poll after the host was ready, so the pause is also how far a measured start
        (the bench's cold start) can lie past the real one; with pauses of up to 0.5 s one host's start read
        550, 710 or 860 ms from one deploy to the next."""
        assert self.process is not None
        pause = 0.005
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
            pause = min(pause * 1.5, READY_POLL_MAX)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, limit: int = 2000) -> str:
        if self.log is None:
            return "(no log)"
        text = shared_log_tail(self.log, limit)
        if text is None:
            return "(no log)"
        return text.strip() or "(empty log)"

    def stop(self, grace: float = 5.0) -> None:
        """Stop the supervisor, its whole process group and whatever holds its cookie; safe to call twice."""
        _LIVE.discard(self)
        proc = self.process
        if proc is None:
            self._release_files()
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
        # the group may outlive its leader for a moment; make sure nobody is left, nor anyone who left it
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        kill_cookie_holders(self.cookie)
        with contextlib.suppress(OSError, ValueError):
            if proc.stdin is not None:
                proc.stdin.close()
        self._release_files()

    def _release_files(self) -> None:
        """Nothing stays in the temp dir: a start failure has quoted the log's tail by now."""
        log, self.log = self.log, None
        if log is not None:
            log.close()
        remove_scratch(self.scratch)

    def __enter__(self) -> HostProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for host in list(_LIVE):
        host.stop(grace=2.0)


def remove_scratch(folders: Sequence[Path]) -> None:
    """Remove a host's scratch folders (gone already is fine)."""
    for folder in folders:
        if folder.is_symlink() or folder.is_file():
            with contextlib.suppress(OSError):
                folder.unlink()
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _supervise(argv: list[str], scratch: Sequence[Path] = ()) -> int:
    """Run ``argv`` in this process group; end the group when stdin closes, a signal arrives or the host
    exits, then remove ``scratch``."""
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL)  # inherits our process group
    ending = threading.Lock()  # taken once, by whoever ends the group: never released, the end kills us

    def end_group() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(0, signal.SIGTERM)  # our own handler sees the lock taken and returns
        deadline = time.monotonic() + 3.0
        while child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        me = os.getpid()
        for pid in group_members(me):  # everyone but us, so nobody writes into scratch any more
            if pid != me:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        kill_cookie_holders(own_cookie())  # and those that left the group (it spares us)
        remove_scratch(scratch)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(0, signal.SIGKILL)  # also ends this supervisor

    def on_signal(*_: object) -> None:
        if ending.acquire(blocking=False):
            end_group()

    def watch_stdin() -> None:
        with contextlib.suppress(OSError):
            sys.stdin.buffer.read()  # returns at EOF: the adapter is gone or stopping us
        if ending.acquire(blocking=False):
            end_group()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    threading.Thread(target=watch_stdin, daemon=True).start()
    code = child.wait()
    if ending.acquire(blocking=False):
        end_group()  # the host died on its own: take its children (and its files) with it
    else:
        ending.acquire()  # another thread is ending the group, and us with it: wait for that
    return code


def _main(args: list[str]) -> int:
    scratch: list[Path] = []
    while args[:1] == ["--scratch"] and len(args) > 1:
        scratch.append(Path(args[1]))
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python -m accord.adapters.faas.hostproc [--scratch FOLDER]... -- COMMAND [ARG...]",
              file=sys.stderr)
        return 2
    return _supervise(args, scratch)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
