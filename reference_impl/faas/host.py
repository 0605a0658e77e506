"""The reference function host: the FaaS contract implemented literally (standard library HTTP server).

Routing: ``/<function>/<sub-path>?<query>`` calls the probe ``<function>`` with
``Request.path = "/<sub-path>"``. What the host itself answers (spec
``faas.contract:errors``), each with the JSON error body:

* unknown function → 404 ``not-found``
* body larger than ``max_body_bytes`` → 413 ``payload-too-large`` (the body is not read)
* unhandled exception → 500 ``function-error`` (the traceback goes to the log, never to the caller)
* handler still running after ``deadline_seconds`` → 504 ``deadline-exceeded``
* event function: invalid CloudEvent → 400 ``invalid-event``; batch mode → 415 ``unsupported-event-mode``

A coroutine handler (``async def``, ``faas.contract:async-handlers``) is run to completion on the
thread that serves its request (this host has no event loop), and its awaited value is answered
like a sync handler's; concurrent requests have threads of their own, so they overlap.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from accord.reference.faas.cloudevents import InvalidEvent, UnsupportedMode, read_event
from accord.spec.faas.contract import (
    Headers,
    Query,
    Request,
    Response,
    call_to_completion,
    event_to_response,
    response_body,
    to_response,
)
from accord.spec.faas.probes import PROBES, Probe

ERRORS = {
    "not-found": (404, "No function is deployed at this path."),
    "payload-too-large": (413, "The request body is larger than the host accepts."),
    "function-error": (500, "The function raised an unhandled exception."),
    "deadline-exceeded": (504, "The function did not finish before its deadline."),
    "invalid-event": (400, "The request is not a valid CloudEvents 1.0 event."),
    "unsupported-event-mode": (415, "CloudEvents batch mode is not accepted."),
}
NO_BODY_STATUSES = (204, 304)


def error_response(code: str) -> Response:
    status, message = ERRORS[code]
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    return Response(status, [("Content-Type", "application/json")], body)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default backlog of 5 resets simultaneous callers
    daemon_threads = True


class _Abandoned:
    """Marker: the handler did not finish in time."""


def run_with_deadline(call: Callable[[], Any], deadline: float) -> Any:
    """Run ``call`` in its own thread; its result, the exception it raised, or :class:`_Abandoned`.

    A Python thread cannot be killed: a handler past its deadline keeps running
    in the background, but its answer is discarded.
    """
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(("ok", call()))
        except Exception as exc:  # the function's own failure, reported as 500
            outcome.append(("raised", exc))

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(deadline)
    if thread.is_alive() or not outcome:
        return _Abandoned()
    return outcome[0]


class ReferenceHost:
    """Serves the given probes on 127.0.0.1 until :meth:`stop`."""

    def __init__(
        self,
        probes: dict[str, Probe] | None = None,
        *,
        deadline_seconds: float = 2.0,
        max_body_bytes: int = 1024 * 1024,
        port: int = 0,
    ) -> None:
        self.probes = dict(PROBES if probes is None else probes)
        self.deadline_seconds = deadline_seconds
        self.max_body_bytes = max_body_bytes
        self.server = _Server(("127.0.0.1", port), self._handler_class())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def functions(self) -> dict[str, str]:
        return {name: f"{self.base_url}/{name}" for name in self.probes}

    def start(self) -> ReferenceHost:
        self._thread = threading.Thread(target=self.server.serve_forever, name="accord-faas-reference", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join()
            self._thread = None
        self.server.server_close()

    # -- one request ---------------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: Headers, read_body: Callable[[], bytes | None]) -> Response:
        """The response to one request; ``read_body`` returns None when the body is too large."""
        raw_path, _, raw_query = target.partition("?")
        name, _, rest = raw_path.lstrip("/").partition("/")
        probe = self.probes.get(unquote(name))
        if probe is None:
            return error_response("not-found")
        body = read_body()
        if body is None:
            return error_response("payload-too-large")
        if probe.kind == "event":
            try:
                event = read_event(headers, body)
            except InvalidEvent:
                return error_response("invalid-event")
            except UnsupportedMode:
                return error_response("unsupported-event-mode")
            outcome = run_with_deadline(lambda: call_to_completion(probe.function, event), self.deadline_seconds)
            convert: Callable[[Any], Response] = event_to_response
        else:
            request = Request(
                method=method,
                path="/" + unquote(rest, errors="surrogateescape"),
                query=Query.parse(raw_query),
                headers=headers,
                body=body,
            )
            outcome = run_with_deadline(lambda: call_to_completion(probe.function, request), self.deadline_seconds)
            convert = to_response
        if isinstance(outcome, _Abandoned):
            return error_response("deadline-exceeded")
        kind, value = outcome
        if kind == "raised":
            traceback.print_exception(value, file=sys.stderr)
            return error_response("function-error")
        try:
            return convert(value)
        except TypeError:  # the function returned something the contract does not allow
            traceback.print_exc(file=sys.stderr)
            return error_response("function-error")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "accord-reference-host"

            def log_message(self, format: str, *args: Any) -> None:  # quiet: the suite sends many requests
                pass

            def _read_body(self) -> bytes | None:
                if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                    body = self._read_chunked()
                else:
                    length = int(self.headers.get("Content-Length") or 0)
                    if length > host.max_body_bytes:
                        self._discard(length)  # read, never kept: the connection stays usable
                        return None
                    body = self.rfile.read(length)
                if body is not None and len(body) > host.max_body_bytes:
                    return None
                return body

            def _discard(self, length: int) -> None:
                while length > 0:
                    got = len(self.rfile.read(min(length, 65536)))
                    if got == 0:
                        break
                    length -= got

            def _read_chunked(self) -> bytes | None:
                chunks = []
                total = 0
                while True:
                    size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailer fields are ignored
                        return b"".join(chunks)
                    total += size
                    if total > host.max_body_bytes:
                        self.close_connection = True
                        return None
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()

            def _serve(self) -> None:
                headers = Headers(self.headers.items())
                consumed = []

                def read_body() -> bytes | None:
                    consumed.append(True)
                    return self._read_body()

                response = host.answer(self.command, self.path, headers, read_body)
                if not consumed:
                    self.close_connection = True  # an unread body must not be parsed as the next request
                body = response_body(response)
                no_body = response.status in NO_BODY_STATUSES
                self.send_response(response.status)
                for name, value in response.header_pairs():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                if not no_body:
                    self.send_header("Content-Length", str(len(body)))
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                if not no_body and self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

        return Handler


def main(argv: list[str] | None = None) -> int:
    """``python -m accord.reference.faas --port P [--deadline S] [--max-body N]``: serve all probes."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m accord.reference.faas", description=main.__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deadline", type=float, default=2.0)
    parser.add_argument("--max-body", type=int, default=1024 * 1024)
    args = parser.parse_args(argv)
    host = ReferenceHost(deadline_seconds=args.deadline, max_body_bytes=args.max_body, port=args.port)
    print(f"accord reference host on {host.base_url}", flush=True)
    try:
        host.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
