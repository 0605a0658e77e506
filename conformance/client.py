"""The kit's side of the worker protocol: start, call, time out, kill, restart.

A hang, a dead worker or garbage on the wire raise BaseException subclasses so
that hypothesis stops at once instead of shrinking against a dead process; the
runner turns them into ``timeout`` / ``crashed`` / ``error`` results.
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
import time
from pathlib import Path
from typing import Any

from accord.adapters.procs import descendants

from . import protocol


class BackendRaised(Exception):
    """The backend raised an exception: a legitimate answer a check may expect."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
        self.message = message


class BackendUnsupported(Exception):
    """The adapter does not implement the requested op."""


class BackendFailure(BaseException):  # noqa: N818 — a control-flow signal, deliberately not an Exception
    """Base of the conditions that end a requirement and need a fresh worker."""


class BackendTimeout(BackendFailure):
    pass


class BackendCrashed(BackendFailure):
    pass


class BackendProtocolError(BackendFailure):
    pass


class BackendStartError(Exception):
    pass


class BackendClient:
    """One worker process hosting one adapter; restartable."""

    def __init__(
        self,
        adapter: str,
        family: str | None = None,
        python: str | None = None,
        timeout: float = 30.0,
        start_timeout: float = 600.0,
        env: dict[str, str] | None = None,
    ) -> None:
        self.adapter = adapter
        self.family = family
        self.python = python or sys.executable
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.env = env
        self.hello: dict[str, Any] | None = None
        self._proc: subprocess.Popen | None = None
        self._lines: queue.Queue = queue.Queue()
        self._next_id = 0
        self._log = tempfile.NamedTemporaryFile(prefix="accord-worker-", suffix=".log", delete=False)
        self.log_path = self._log.name

    # ------------------------------------------------------------ lifecycle

    def start(self) -> dict[str, Any]:
        """Start the worker and say hello; returns the hello result (adapter metadata)."""
        command = [self.python, "-m", protocol.WORKER_MODULE, self.adapter]
        if self.family:
            command += ["--family", self.family]
        try:
            self._proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                start_new_session=True, env=self.env,
            )
        except OSError as exc:
            raise BackendStartError(f"cannot start worker with {self.python}: {exc.strerror or exc}") from None
        self._lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self._proc, self._lines), daemon=True).start()
        try:
            hello = self._request("hello", {"protocol": protocol.PROTOCOL_VERSION}, self.start_timeout)
        except BackendRaised as exc:
            self.close()
            raise BackendStartError(f"adapter {self.adapter!r} could not start: {exc.message}") from None
        except BackendFailure as exc:
            self.close()
            raise BackendStartError(f"adapter {self.adapter!r} could not start: {exc}") from None
        if not isinstance(hello, dict) or hello.get("protocol") != protocol.PROTOCOL_VERSION:
            self.close()
            raise BackendStartError(f"worker for {self.adapter!r} speaks an unknown protocol: {hello!r:.200}")
        self.hello = hello
        return hello

    def restart(self) -> None:
        self.close()
        self.start()

    def close(self) -> None:
        """Stop the worker politely, then by force; never leaves its process tree behind."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        tree = descendants(proc.pid)
        if proc.poll() is None:
            try:
                proc.stdin.write(protocol.request(self._take_id(), "shutdown"))
                proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
        for pid in [proc.pid, *tree, *descendants(proc.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def __enter__(self) -> BackendClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ calls

    def invoke(self, op: str, args: Any = None, timeout: float | None = None) -> Any:
        return self._request("invoke", {"op": op, "args": args}, timeout or self.timeout)

    def stderr_tail(self, lines: int = 8) -> str:
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""
        return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])

    def _take_id(self) -> int:
        self._next_id += 1
        return self._next_id

    @staticmethod
    def _pump(proc: subprocess.Popen, lines: queue.Queue) -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def _request(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        proc = self._proc
        if proc is None:
            raise BackendCrashed("the worker is not running")
        msg_id = self._take_id()
        try:
            proc.stdin.write(protocol.request(msg_id, method, params))
            proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise BackendCrashed(self._death_note(proc)) from None
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise BackendTimeout(f"no answer within {timeout:g} s to {method} {params.get('op', '')}".strip())
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                note = self._death_note(proc)
                self.close()
                raise BackendCrashed(note)
            try:
                message = json.loads(line)
            except ValueError:
                self.close()
                raise BackendProtocolError(f"worker wrote a line that is not JSON: {line[:200]!r}") from None
            if not isinstance(message, dict) or message.get("id") not in (msg_id, None):
                if isinstance(message, dict) and isinstance(message.get("id"), int) and message["id"] < msg_id:
                    continue  # a late answer to a request that already timed out
                self.close()
                raise BackendProtocolError(f"worker answered out of protocol: {line[:200]!r}")
            if "error" in message:
                err = message["error"] if isinstance(message["error"], dict) else {}
                kind = err.get("kind")
                text = str(err.get("message", ""))
                if kind == "raised" or kind == "start-failed":
                    raise BackendRaised(str(err.get("type", "Exception")), text)
                if kind == "unsupported":
                    raise BackendUnsupported(text)
                self.close()
                raise BackendProtocolError(f"worker error ({kind}): {text}")
            if "result" not in message:
                self.close()
                raise BackendProtocolError(f"worker answer has neither result nor error: {line[:200]!r}")
            return message["result"]

    def _death_note(self, proc: subprocess.Popen) -> str:
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            how = "closed its output"
        elif code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with status {code}"
        tail = self.stderr_tail()
        return f"worker {how}" + (f"; last stderr: {tail[-400:]}" if tail else "")
