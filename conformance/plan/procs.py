"""The child processes of a plan run (pip, ``accord run``), each in its own process group so that a stop
can end it with everything it started."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence


class Stopped(Exception):
    """The plan run was asked to stop (Ctrl-C): the cell is not finished and leaves nothing behind."""


class Children:
    """Starts commands in new sessions, remembers them, and stops them all on request."""

    def __init__(self, die_with_parent: bool = False) -> None:
        # die_with_parent: each command gets SIGTERM when the process that started it dies (Linux), for a Ray
        # task whose node is killed: its commands, in sessions of their own, would otherwise run on orphaned
        self.die_with_parent = die_with_parent
        self.stopping = threading.Event()
        self._live: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def run(self, command: Sequence[str], timeout: float | None = None,
            env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Run ``command`` to its end; (exit code, stdout, stderr). Stopped when a stop was requested."""
        with self._lock:
            if self.stopping.is_set():
                raise Stopped
            proc = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True, env=env,
                                    preexec_fn=_term_when_parent_dies if self.die_with_parent else None)
            self._live.add(proc)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end_group(proc)
            stdout, stderr = proc.communicate()
            return -1, stdout, stderr + f"\n(stopped after {timeout:.0f}s)"
        except BaseException:  # KeyboardInterrupt in this thread (a cancelled Ray task): the command goes too
            _end_group(proc)
            raise
        finally:
            with self._lock:
                self._live.discard(proc)
        if self.stopping.is_set():
            raise Stopped
        return proc.returncode, stdout, stderr

    def stop_all(self) -> None:
        """No new command starts; each running one gets SIGTERM (``accord run`` then closes its worker),
        and SIGKILL for its whole group if it has not ended after a few seconds."""
        with self._lock:
            self.stopping.set()
            live = list(self._live)
        for proc in live:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in live:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(proc, signal.SIGKILL)  # whatever of the group is left


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _end_group(proc: subprocess.Popen) -> None:
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    _signal_group(proc, signal.SIGKILL)


def _term_when_parent_dies() -> None:
    """In the child before exec: PR_SET_PDEATHSIG, SIGTERM (where prctl exists)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
