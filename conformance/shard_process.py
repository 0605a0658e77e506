"""The parent's handle on one shard process (:mod:`.shard`): start it, talk to it, stop it, and say how it died.

Like a worker, a shard runs in a session of its own, so Ctrl-C reaches only the parent, which
stops every shard with SIGTERM (a shard closes its worker on the way out) and, should one not
go, SIGKILLs its whole process tree. Its stderr goes to a file without a name, read only for
the death note, so nothing of it stays in the temp dir.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from typing import Any

from accord.adapters.procs import close_pipes, descendants, how_it_ended, processes, shared_log_tail

from . import shard


class ShardProcess:
    """One ``python -m accord.conformance.shard``; its messages arrive on a queue shared by all shards."""

    def __init__(self, number: int, config: dict[str, Any], events: queue.Queue) -> None:
        self.number = number
        self.config = config
        self.events = events  # (shard, message | None); None: its output ended
        self.holding: list[str] = []  # requirement ids handed out and not yet answered
        self.idle = False  # waiting for work the others may still give back
        self.said_hello = False
        self.start_error: str | None = None
        self.ended = False  # its output ended (it exited or is about to)
        self.problem: str | None = None  # what it did wrong before it was stopped, for the death note
        self._proc: subprocess.Popen | None = None
        self._log: Any = None

    def start(self) -> None:
        """Start the process and send it the run's configuration; OSError when it cannot start."""
        self._log = tempfile.TemporaryFile(prefix="accord-shard-", suffix=".log")
        try:
            self._proc = subprocess.Popen([sys.executable, "-m", shard.MODULE], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=self._log, start_new_session=True)
        except OSError:
            self._log.close()
            self._log = None
            raise
        threading.Thread(target=self._pump, daemon=True).start()
        self.send({"config": self.config})

    def send(self, message: dict[str, Any]) -> None:
        """Write one message; a shard that is gone is noticed by its end of output, not here."""
        proc = self._proc
        if proc is None or proc.stdin.closed:
            return
        try:
            proc.stdin.write(shard.encode(message))
            proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass

    def _pump(self) -> None:
        proc = self._proc
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                message = None
            if not isinstance(message, dict):
                self.events.put((self, {"garbage": line[:200].decode("utf-8", "replace")}))
                break
            self.events.put((self, message))
        self.events.put((self, None))

    # ------------------------------------------------------------ ending

    def stop(self) -> None:
        """Ask it to finish (it closes its worker and exits); it ends when its current batch is done."""
        self.send({"stop": True})
        if self._proc is not None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass

    def interrupt(self) -> None:
        """SIGTERM: the shard stops at once, closing its worker."""
        if self._proc is not None and self._proc.poll() is None:
            try:
                self._proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass

    def close(self, grace: float = 30.0) -> None:
        """Wait up to ``grace`` seconds for it to exit, then kill it and everything under it; idempotent (and
        safe to call again when a Ctrl-C cut it short: the process is forgotten only once it is gone)."""
        proc = self._proc
        if proc is not None:
            tree = descendants(proc.pid)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
            _kill_tree([proc.pid, *tree, *descendants(proc.pid)])
            proc.wait()
            close_pipes(proc)
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def death_note(self) -> str:
        """How it ended, and the last line it wrote to stderr (call before :meth:`close` frees the log)."""
        proc = self._proc
        how = how_it_ended(proc, "stopped answering") if proc is not None else "stopped answering"
        tail = (shared_log_tail(self._log, 4096) or "").strip().splitlines() if self._log is not None else []
        last = tail[-1].strip() if tail else ""
        if self.problem:
            return f"accord's shard process {self.number} {self.problem} and was stopped"
        return f"accord's shard process {self.number} {how}" + (f"; last stderr: {last[-300:]}" if last else "")


def _kill_tree(pids: list[int]) -> None:
    """SIGKILL every process listed, and the process groups those of them lead."""
    leaders = {p.pid for p in processes() if p.pid == p.pgrp}
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if pid in leaders:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
