"""The kit's side of the worker protocol: start, call, time out, kill, restart.

A hang, a dead worker or garbage on the wire raise BaseException subclasses so
that hypothesis stops at once instead of shrinking against a dead process; the
runner turns them into ``timeout`` / ``crashed`` / ``error`` results.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from accord.adapters.procs import (
    close_pipes,
    descendants,
    how_it_ended,
    kill_cookie_holders,
    shared_log_tail,
    with_cookie,
)

from . import protocol


class BackendRaised(Exception):
    """The backend raised an exception: a legitimate answer a check may expect.

    ``origin`` says whose code raised, as the worker read the traceback: ``"backend"`` (the
    engine's code), ``"adapter"`` (Accord's adapter, shim or wire codec) or None (unknown).
    """

    def __init__(self, type_name: str, message: str, origin: str | None = None) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type = type_name
        self.type_name = type_name  # the older spelling of ``type``
        self.message = message
        self.origin = origin

    def to_json(self) -> dict[str, Any]:
        """``{"type", "message", "origin"}``, as a report's ``raised`` field records it."""
        return {"type": self.type, "message": self.message, "origin": self.origin}


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


_LIVE_COOKIES: set[str] = set()  # cookies of workers not closed yet


@atexit.register
def _kill_what_is_left() -> None:
    """A kit that exits without closing its workers (an unexpected exception) still takes them with it."""
    for cookie in list(_LIVE_COOKIES):
        kill_cookie_holders(cookie)
        _LIVE_COOKIES.discard(cookie)


class _Oversized:
    """A line from the worker longer than the protocol allows, skipped; only its size is kept."""

    def __init__(self, size: int) -> None:
        self.size = size


DEATH_POLL = 0.5  # seconds between looks at whether a worker that has not answered is still alive
QUEUED_LINES = 4  # lines read ahead of the kit: a worker writing faster than the kit reads waits
STALE_ANSWERS = 16  # answers to earlier requests tolerated while waiting for one: more is a flood


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
        options: dict[str, Any] | None = None,
        validate: bool | None = None,
        standards: list[dict[str, Any]] | None = None,
        cpus: frozenset[int] | None = None,
    ) -> None:
        self.adapter = adapter
        self.cpus = cpus  # the CPUs the worker and all its threads may run on (None: the kit's own)
        # the standard revisions the run's spec version follows, sent with hello (Adapter.follow)
        self.standards = [{"name": s["name"], "revision": s["revision"]} for s in standards or ()]
        # check every message against spec/meta/worker-protocol.schema.json (default: $ACCORD_VALIDATE_PROTOCOL)
        self.validate = protocol.validation_enabled() if validate is None else validate
        self.options = dict(options or {})  # adapter options sent with hello (e.g. {"raw": True})
        self.family = family
        self.python = python or sys.executable
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.env = env
        self.hello: dict[str, Any] | None = None
        self._proc: subprocess.Popen | None = None
        self._lines: queue.Queue = queue.Queue()
        self._stop = threading.Event()  # tells the current worker's reader thread to give up
        self._next_id = 0
        self._log: Any = None  # the worker's stderr while it runs (a nameless temp file); closed by close()
        self._cookie: str | None = None  # in the environment of the worker and of all it starts
        self._pending = False  # a request is unanswered: the worker is busy with it (or hung)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> dict[str, Any]:
        """Start the worker and say hello; returns the hello result (adapter metadata)."""
        self._remove_log()  # a restart starts a fresh log
        # the worker's stderr goes to a file without a name (unlinked at once where O_TMPFILE is missing):
        # however the kit ends — closed, crashed, SIGKILLed — nothing of it stays in the temp dir
        self._log = tempfile.TemporaryFile(prefix="accord-worker-", suffix=".log")
        command = [self.python, "-m", protocol.WORKER_MODULE, self.adapter]
        if self.family:
            command += ["--family", self.family]
        if self.cpus:
            command += ["--cpus", ",".join(map(str, sorted(self.cpus)))]
        # a fresh cookie per worker: whatever it starts carries it, however it detaches (new session, double
        # fork), and close() kills every process that does; at exit, those of workers never closed
        cookie, env = with_cookie(self.env)
        try:
            self._proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                start_new_session=True, env=env,
            )
        except OSError as exc:
            self._remove_log()
            raise BackendStartError(f"cannot start worker with {self.python}: {exc.strerror or exc}") from None
        self._cookie = cookie
        _LIVE_COOKIES.add(cookie)
        self._lines, self._stop = queue.Queue(maxsize=QUEUED_LINES), threading.Event()
        threading.Thread(target=self._pump, args=(self._proc, self._lines, self._stop), daemon=True).start()
        try:
            request = protocol.HelloRequest(self._take_id(), protocol.PROTOCOL_VERSION, self.options or None,
                                            self.standards or None)
            hello = self._request(request, self.start_timeout)
        except BackendRaised as exc:
            self.close()
            raise BackendStartError(f"adapter {self.adapter!r} could not start: {exc.message}") from None
        except BackendFailure as exc:
            self.close()
            raise BackendStartError(f"adapter {self.adapter!r} could not start: {exc}") from None
        try:
            protocol.HelloResult.from_json(hello)
        except protocol.ProtocolError:
            self.close()
            raise BackendStartError(f"worker for {self.adapter!r} speaks an unknown protocol: {hello!r:.200}") from None
        self.hello = hello
        return hello

    def restart(self) -> None:
        self.close()
        self.start()

    def close(self) -> None:
        """Stop the worker — asked to shut down (unless it is still busy with a request: it would not read
        that), then SIGTERM, then SIGKILL —; never leaves its process tree behind, nor anything it started
        that detached (every process holding the worker's cookie)."""
        proc, self._proc = self._proc, None
        cookie, self._cookie = self._cookie, None
        polite, self._pending = not self._pending, False
        self._stop.set()
        if proc is None:
            self._remove_log()
            return
        tree = descendants(proc.pid)
        if proc.poll() is None:
            try:
                if polite:
                    proc.stdin.write(protocol.encode(protocol.ShutdownRequest(self._take_id())))
                    proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass
            try:
                proc.wait(timeout=10 if polite else 0)
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
        kill_cookie_holders(cookie)
        if cookie is not None:
            _LIVE_COOKIES.discard(cookie)
        proc.wait()
        close_pipes(proc)
        self._remove_log()

    def _remove_log(self) -> None:
        """Close the worker's stderr file (it has no name, so closing frees it): the crash note has read it by now."""
        log, self._log = self._log, None
        if log is not None:
            log.close()

    def __enter__(self) -> BackendClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ calls

    def invoke(self, op: str, args: Any = None, timeout: float | None = None) -> Any:
        return self._request(protocol.InvokeRequest(self._take_id(), op, args), timeout or self.timeout)

    def stderr_tail(self, lines: int = 8) -> str:
        if self._log is None:
            return ""
        text = shared_log_tail(self._log, 16384) or ""
        return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])

    def _take_id(self) -> int:
        self._next_id += 1
        return self._next_id

    @staticmethod
    def _pump(proc: subprocess.Popen, lines: queue.Queue, stop: threading.Event | None = None) -> None:
        """Lines from the worker, each read up to ``MAX_LINE_BYTES``: a longer one is skipped unread
        and stands as :class:`_Oversized`, so no answer can fill the kit's memory; nor can many, as
        ``lines`` holds a few (the worker waits on a full pipe meanwhile). Gives up once ``stop`` is set."""
        limit = protocol.MAX_LINE_BYTES

        def put(item: Any) -> bool:
            while True:
                try:
                    lines.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    if stop is not None and stop.is_set():
                        return False

        while True:
            line = proc.stdout.readline(limit + 1)
            if not line:
                break
            if len(line) > limit:
                size = len(line)
                del line
                while True:  # drop the rest of the line in bounded chunks
                    chunk = proc.stdout.readline(1 << 20)
                    size += len(chunk)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                if not put(_Oversized(size)):
                    return
                continue
            if not put(line):
                return
        put(None)

    def _request(self, request: protocol.Request, timeout: float) -> Any:
        proc = self._proc
        if proc is None:
            raise BackendCrashed("the worker is not running")
        msg_id = request.id
        data = request.to_json()
        what = f"{data['method']} {getattr(request, 'op', '')}".strip()
        if self.validate:
            self._checked(request.SCHEMA, data, "the kit's request")
        try:
            proc.stdin.write(protocol.encode(data))
            proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise BackendCrashed(self._death_note(proc)) from None
        self._pending = True
        deadline = time.monotonic() + timeout
        died: float | None = None  # when the worker was first seen dead while its output stayed open
        stale = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise BackendTimeout(f"no answer within {timeout:g} s to {what}")
            try:
                line = self._lines.get(timeout=min(remaining, DEATH_POLL))
            except queue.Empty:
                # a child the worker forked may hold its stdout open: no end of output tells of its death
                if proc.poll() is not None:
                    died = died or time.monotonic()
                    if time.monotonic() - died >= DEATH_POLL:  # time for a last answer to arrive
                        note = self._death_note(proc, " (a process it started kept its output open)")
                        self.close()
                        raise BackendCrashed(note) from None
                continue
            if line is None:
                note = self._death_note(proc)
                self.close()
                raise BackendCrashed(note)
            if isinstance(line, _Oversized):
                self.close()
                raise BackendProtocolError(f"worker answered {what} with a line of {line.size} bytes, over the "
                                           f"protocol's limit of {protocol.MAX_LINE_BYTES} bytes (not read)")
            try:
                message = json.loads(line)
            except ValueError:
                self.close()
                raise BackendProtocolError(f"worker wrote a line that is not JSON: {line[:200]!r}") from None
            if not isinstance(message, dict) or message.get("id") not in (msg_id, None):
                if isinstance(message, dict) and isinstance(message.get("id"), int) and message["id"] < msg_id:
                    stale += 1
                    if stale <= STALE_ANSWERS:
                        continue  # a late answer to a request that already timed out
                    self.close()
                    raise BackendProtocolError(f"worker answered {stale} earlier requests while the kit waited "
                                               f"for {what}: {line[:200]!r}")
                self.close()
                raise BackendProtocolError(f"worker answered out of protocol: {line[:200]!r}")
            try:
                response = protocol.parse_response(message)
            except protocol.ProtocolError as exc:
                self.close()
                raise BackendProtocolError(f"worker answered out of protocol ({exc}): {line[:200]!r}") from None
            self._pending = False
            if self.validate:
                self._checked(response.SCHEMA, message, "the worker's answer")
            if isinstance(response, protocol.ErrorResponse):
                err = response.error
                if err.kind in (protocol.ErrorKind.RAISED, protocol.ErrorKind.START_FAILED):
                    raise BackendRaised(err.type or "Exception", err.message, err.origin)
                if err.kind == protocol.ErrorKind.UNSUPPORTED:
                    raise BackendUnsupported(err.message)
                self.close()
                raise BackendProtocolError(f"worker error ({err.kind}): {err.message}")
            if self.validate:
                self._checked(protocol.result_definition(request), response.result, f"the result of {what}")
            return response.result

    def _checked(self, definition: str, instance: Any, what: str) -> None:
        """Schema validation of one message (switched on by ``validate``): drift is a protocol error."""
        try:
            protocol.check(definition, instance)
        except protocol.ProtocolError as exc:
            self.close()
            raise BackendProtocolError(f"{what} does not match the protocol schema: {exc}") from None

    def _death_note(self, proc: subprocess.Popen, aside: str = "") -> str:
        how = how_it_ended(proc, "closed its output")
        tail = self.stderr_tail()
        return f"worker {how}{aside}" + (f"; last stderr: {tail[-400:]}" if tail else "")
