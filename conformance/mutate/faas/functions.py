"""FaaS mutants of HTTP functions, failures and operation: requests, responses, return values, errors, the
body size limit, deadlines, coroutine handlers, concurrency, cold start and kept connections.

Every description names the bug and quotes the requirement of ``spec/faas/draft/contract`` it violates.
"""

from __future__ import annotations

import json
import os
import threading
import time
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote

from accord.conformance.families.faas.wire import HttpRequest
from accord.spec.faas.contract import Headers, Query, Request, Response

from ..model import Mutant
from .tools import Ref, attribute, errors, example, get, handler_class, host_class, post, responses

# ------------------------------------------------------------------ requests


def _query(regroup: bool = False, last_wins: bool = False) -> Any:
    class Parsed(Query):
        @classmethod
        def parse(cls, raw: str) -> Query:
            pairs = parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="surrogateescape")
            if last_wins:
                pairs = list(dict(pairs).items())
            if regroup:
                names = list(dict.fromkeys(k for k, _ in pairs))
                pairs = [(n, v) for n in names for k, v in pairs if k == n]
            return cls(pairs)
    return lambda ref: {"host.Query": Parsed}


def _headers(joined: bool = False, last_wins: bool = False) -> Any:
    class Folded(Headers):
        def __init__(self, pairs: Any = ()) -> None:
            super().__init__(pairs)
            by_name: dict[str, list[tuple[str, str]]] = {}
            for k, v in self._pairs:
                by_name.setdefault(k.lower(), []).append((k, v))
            if last_wins:
                self._pairs = [found[-1] for found in by_name.values()]
            elif joined:
                self._pairs = [(found[0][0], ", ".join(v for _, v in found)) for found in by_name.values()]
    return lambda ref: {"host.Headers": Folded}


def _request(change: Any) -> Any:
    """Every Request the host builds goes through ``change(fields) -> fields``."""
    return lambda ref: {"host.Request": lambda **fields: Request(**change(fields))}


def _method_override(fields: dict) -> dict:
    return {**fields, "method": "POST" if fields["method"] == "PATCH" else fields["method"]}


def _query_dropped_with_body(fields: dict) -> dict:
    return {**fields, "query": Query()} if fields["body"] else fields


def _cut_at_nul(fields: dict) -> dict:
    return {**fields, "body": fields["body"].split(b"\x00", 1)[0]}


def _utf8_replaced(fields: dict) -> dict:
    return {**fields, "body": fields["body"].decode("utf-8", "replace").encode("utf-8")}


REQUESTS = (
    Mutant("faas.http-request.path-latin1", "http-request",
           "The sub-path is percent-decoded as Latin-1 (as WSGI's PATH_INFO is); the spec says 'Request.path is "
           "the sub-path below the mount point, percent-decoded as UTF-8 (non-ASCII and astral characters "
           "included).'",
           attribute("host.unquote", lambda orig, s, **k: orig(s, encoding="latin-1")),
           example(HttpRequest("inspect", "GET", subpath="é"))),
    Mutant("faas.http-request.path-not-decoded", "http-request",
           "The sub-path reaches the handler still percent-encoded; the spec says 'Request.path is the sub-path "
           "below the mount point, percent-decoded as UTF-8'.",
           attribute("host.unquote", lambda orig, s, **k: s),
           example(HttpRequest("inspect", "GET", subpath="a b"))),
    Mutant("faas.http-request.query-regrouped", "http-request",
           "Query pairs are regrouped by name (parsed into a dict of lists); the spec says 'Request.query holds "
           "every query pair, repeated names included, in the order they were sent (interleaved names not "
           "regrouped).'",
           _query(regroup=True), example(HttpRequest("inspect", query=(("a", "1"), ("b", "2"),
                                                                                     ("a", "3"))))),
    Mutant("faas.http-request.query-last-wins", "http-request",
           "A repeated query name keeps only its last value (parsed into a dict); the spec says 'Request.query "
           "holds every query pair, repeated names included'.",
           _query(last_wins=True), example(HttpRequest("inspect", query=(("a", "1"), ("a", "2"))))),
    Mutant("faas.http-request.header-last-wins", "http-request",
           "A repeated request header field keeps only its last line; the spec says 'Header fields reach the "
           "handler whatever the casing of their names; repeated fields at least as their values joined with "
           "commas (RFC 9110 §5.3).'",
           _headers(last_wins=True), example(post("inspect", headers=(("X-A", "1"), ("X-A", "2"))))),
    Mutant("faas.http-request.header-lines-joined", "http-request",
           "Repeated request header lines are joined into one comma-separated value before the handler sees "
           "them (as WSGI does); the spec says (SHOULD) 'Repeated header field lines reach the handler as "
           "separate pairs, in order, not pre-joined.'",
           _headers(joined=True), example(post("inspect", headers=(("X-A", "1"), ("X-A", "2"))))),
    Mutant("faas.http-request.query-dropped-with-body", "http-request",
           "The query string is dropped from requests that carry a body (the body taken for the form); the spec "
           "says 'Request.query holds every query pair, repeated names included, in the order they were sent'.",
           _request(_query_dropped_with_body), example(post("inspect", b"x", query=(("a", "1"),)))),
    Mutant("faas.http-request.patch-as-post", "http-request",
           "PATCH requests reach the handler as POST (a method-override layer that knows only GET, POST, PUT and "
           "DELETE); the spec says 'Request.method is the method the caller used.'",
           _request(_method_override), example(post("inspect", method="PATCH"))),
    Mutant("faas.handler.body-cut-at-nul", "http-request",
           "The request body is cut at its first NUL byte (read as a C string); the spec says 'A request body of "
           "any bytes (empty, non-UTF-8, up to 64 KiB) reaches the handler and comes back byte-exact.'",
           _request(_cut_at_nul), example(post("echo", b"a\x00b"))),
    Mutant("faas.handler.body-as-text", "http-request",
           "The request body is decoded as UTF-8 (invalid bytes replaced) and encoded again; the spec says 'A "
           "request body of any bytes (empty, non-UTF-8, up to 64 KiB) reaches the handler and comes back "
           "byte-exact.'",
           _request(_utf8_replaced), example(post("echo", b"\xff\xfe"))),
)


# ------------------------------------------------------------------ responses and return values


def _pairs(response: Response) -> list[tuple[str, str]]:
    return response.header_pairs()


def _with_headers(response: Response, pairs: list[tuple[str, str]]) -> Response:
    return Response(response.status, pairs, response.body)


def _headers_lost(response: Response, result: Any) -> Response:
    return _with_headers(response, [(k, v) for k, v in _pairs(response) if k.lower() == "content-type"])


def _last_wins(response: Response, result: Any) -> Response:
    last = {k.lower(): (k, v) for k, v in _pairs(response)}
    return _with_headers(response, list(last.values()))


def _lines_joined(response: Response, result: Any) -> Response:
    by_name: dict[str, list[tuple[str, str]]] = {}
    for k, v in _pairs(response):
        by_name.setdefault(k.lower(), []).append((k, v))
    return _with_headers(response, [(found[0][0], ", ".join(v for _, v in found)) for found in by_name.values()])


def _known_status(response: Response, result: Any) -> Response:
    if response.status in {s.value for s in HTTPStatus}:
        return response
    return Response(500, [("Content-Type", "text/plain; charset=utf-8")], b"unknown status")


def _html_default(response: Response, result: Any) -> Response:
    if any(k.lower() == "content-type" for k, _ in _pairs(response)):
        return response
    return _with_headers(response, [*_pairs(response), ("Content-Type", "text/html; charset=utf-8")])


def _typed(kind: type, change: Any) -> Any:
    return lambda response, result: change(response) if isinstance(result, kind) and not isinstance(
        result, Response) else response


RESPONSES = (
    Mutant("faas.http-response.headers-lost", "http-response",
           "Response header fields the function set are dropped (only Content-Type is kept); the spec says "
           "'Response header fields the function set arrive, repeated ones at least comma-joined, mixed-case "
           "names matched case-insensitively.'",
           responses(_headers_lost), example(get("headers"))),
    Mutant("faas.http-response.repeated-last-wins", "http-response",
           "A repeated response header field keeps only its last line (headers stored in a dict); the spec says "
           "'Response header fields the function set arrive, repeated ones at least comma-joined'.",
           responses(_last_wins), example(get("headers"))),
    Mutant("faas.http-response.repeated-lines-joined", "http-response",
           "A repeated response header field is sent as one comma-joined line; the spec says (SHOULD) 'A repeated "
           "response header field arrives as separate field lines, in order.'",
           responses(_lines_joined), example(get("headers"))),
    Mutant("faas.http-response.unregistered-status-500", "http-response",
           "A status code the host does not know by name (e.g. 299, 432, 599) becomes 500; the spec says 'Any "
           "status 200–599 the function returns is passed through, with its headers and body.'",
           responses(_known_status), example(get("status", code="299"))),
    Mutant("faas.http-response.invented-content-type", "http-response",
           "A response without Content-Type gets text/html; charset=utf-8; the spec says (SHOULD) 'A response for "
           "which the function set no Content-Type carries none (the host does not invent text/html).'",
           responses(_html_default), example(get("none"))),
    Mutant("faas.returns.none-as-200", "return-values",
           "A handler returning None is answered 200 with an empty body; the spec says 'Returning None gives 204 "
           "with an empty body.'",
           responses(lambda response, result: Response(200, [], b"") if result is None else response),
           example(get("none"))),
    Mutant("faas.returns.empty-as-204", "return-values",
           "A handler returning empty bytes is answered 204 No Content; the spec says 'Returning empty bytes "
           "gives 200 (not 204) with an empty body.'",
           responses(lambda response, result: Response(204, [], b"") if result == b"" else response),
           example(get("empty"))),
    Mutant("faas.returns.str-without-charset", "return-values",
           "A returned str is sent as text/plain without a charset parameter; the spec says 'Returning a str "
           "gives 200 text/plain; charset=utf-8 with the text encoded as UTF-8.'",
           responses(_typed(str, lambda r: _with_headers(r, [("Content-Type", "text/plain")]))),
           example(get("text"))),
    Mutant("faas.returns.bytes-as-html", "return-values",
           "Returned bytes are sent with the framework's default type text/html (as Flask does); the spec says "
           "'Returning bytes (not valid UTF-8) gives 200 application/octet-stream with exactly those bytes.'",
           responses(_typed(bytes, lambda r: _with_headers(r, [("Content-Type", "text/html; charset=utf-8")]))),
           example(get("bytes"))),
    Mutant("faas.returns.dict-as-repr", "return-values",
           "A returned dict is sent as its Python repr (str(result)); the spec says 'Returning a dict gives 200 "
           "application/json whose body parses to an equal value.'",
           responses(_typed(dict, lambda r: Response(200, [("Content-Type", "application/json")],
                                                     repr(json.loads(r.body)).encode())))
           , example(get("json"))),
    Mutant("faas.returns.large-truncated", "return-values",
           "A response body is cut at 64 KiB (one buffer written, the rest lost); the spec says 'A returned body "
           "of up to 4 MiB (1 MiB favoured) arrives complete and byte-exact.'",
           responses(lambda response, result: Response(response.status, response.header_pairs(),
                                                       bytes(response.body)[:65536])
                     if isinstance(response.body, bytes) else response),
           example(get("large", n="100000"))),
)


# ------------------------------------------------------------------ errors, limits, deadlines


def _status(code: str, status: int) -> Any:
    return errors(lambda c, response: Response(status, response.headers, response.body) if c == code else response)


def _html_error(code: str) -> Any:
    page = b"<html><body><h1>Internal Server Error</h1></body></html>"
    return errors(lambda c, response: Response(response.status, [("Content-Type", "text/html")], page)
                  if c == code else response)


def _leak(orig: Any, call: Any, deadline: float) -> Any:
    outcome = orig(call, deadline)
    if isinstance(outcome, tuple) and outcome[0] == "raised":
        text = f"Traceback (most recent call last):\n{type(outcome[1]).__name__}: {outcome[1]}"
        return ("ok", Response(500, [("Content-Type", "text/plain; charset=utf-8")], text))
    return outcome


def _dies_after_error(handler: type, host: Any) -> type:
    class Dying(handler):  # type: ignore[misc, valid-type]
        def send_response(self, *args: Any, **kwargs: Any) -> None:
            if getattr(threading.current_thread(), "raised", False):
                # no new connection is accepted from here on: a caller quick enough to connect between
                # this answer and the exit below would otherwise still be served
                self.server.socket.close()
            super().send_response(*args, **kwargs)

        def _serve(self) -> None:
            super()._serve()
            if getattr(threading.current_thread(), "raised", False):
                self.wfile.flush()
                os._exit(70)  # the process crashes on an unhandled exception, as a bare Node process does

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve
    return Dying


def _mark_raised(orig: Any, call: Any, deadline: float) -> Any:
    outcome = orig(call, deadline)
    if isinstance(outcome, tuple) and outcome[0] == "raised":
        threading.current_thread().raised = True  # type: ignore[attr-defined]
    return outcome


def _dies(ref: Ref) -> dict:
    return {**attribute("host.run_with_deadline", _mark_raised)(ref), **handler_class(_dies_after_error)(ref)}


def _limit(change: Any) -> Any:
    def make(base: type) -> type:
        class Limited(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.max_body_bytes = change(self.max_body_bytes)
        return Limited
    return host_class(make)


_LIMIT = 1024 * 1024  # faas.contract:limits max_body_bytes

FAILURES = (
    Mutant("faas.errors.status-502", "errors",
           "An unhandled exception is answered 502 Bad Gateway (the proxy's view of a crashed function); the "
           "spec says 'An unhandled exception is answered with 500 (not 502, not 200 after a timeout).'",
           _status("function-error", 502), example(get("raise"))),
    Mutant("faas.errors.traceback-leaked", "errors",
           "The answer to an unhandled exception carries the traceback and the exception's message; the spec "
           "says 'Neither the exception's message nor a stack trace reaches the caller.'",
           attribute("host.run_with_deadline", _leak), example(get("raise"))),
    Mutant("faas.errors.html-page", "errors",
           "An unhandled exception is answered with an HTML error page; the spec says (SHOULD) 'The answer to an "
           "unhandled exception carries the JSON error body with code function-error.'",
           _html_error("function-error"), example(get("raise"))),
    Mutant("faas.errors.host-dies", "errors",
           "The host process exits after answering an unhandled exception; the spec says 'After an unhandled "
           "exception the host keeps serving (the next request is answered correctly).'",
           _dies, example(get("raise"), get("text"))),
    Mutant("faas.limits.limit-exclusive", "limits",
           "A body of exactly max_body_bytes is refused (the limit checked with >=); the spec says 'A body of "
           "exactly max_body_bytes (1 MiB) is accepted and echoed byte-exact.'",
           _limit(lambda n: n - 1), example(post("echo", bytes(_LIMIT)))),
    Mutant("faas.limits.oversize-500", "limits",
           "A body beyond the limit is answered 500; the spec says 'A body of twice the limit is either echoed "
           "correctly or refused with a 4xx — never a 5xx, a reset connection or a dead host.'",
           _status("payload-too-large", 500), example(post("echo", bytes(2 * _LIMIT)))),
    Mutant("faas.limits.no-limit", "limits",
           "Bodies of any size are accepted; the spec says (SHOULD) 'A body beyond the limit is refused with 413 "
           "and the JSON error body.'",
           _limit(lambda n: 1 << 40), example(post("echo", bytes(2 * _LIMIT)))),
    Mutant("faas.deadlines.not-enforced", "deadlines",
           "The deadline is not enforced: the host waits for the handler however long it runs; the spec says 'A "
           "function still running at its deadline is answered with a 5xx status no later than deadline + "
           "slack.'",
           attribute("host.run_with_deadline", lambda orig, call, deadline: orig(call, 3600.0)),
           example(get("sleep", ms="4000"))),
    Mutant("faas.deadlines.status-500", "deadlines",
           "A function past its deadline is answered 500 function-error; the spec says (SHOULD) 'That answer is "
           "504 with the JSON error body (code deadline-exceeded).'",
           errors(lambda c, response: Response(500, response.headers, json.dumps(
               {"error": {"code": "function-error", "message": "timeout"}}).encode()) if c == "deadline-exceeded"
               else response), example(get("sleep", ms="4000"))),
    Mutant("faas.deadlines.platform-default", "deadlines",
           "The host applies its own default timeout of 0.3 s instead of the deployed deadline_seconds; the spec "
           "says 'A function that finishes well within its deadline (a quarter of it) is answered normally.'",
           attribute("host.run_with_deadline", lambda orig, call, deadline: orig(call, 0.3)),
           example(get("sleep", ms="500"))),
)


# ------------------------------------------------------------------ coroutines, concurrency, lifecycle

_LOCK = threading.Lock()


def _serialised(orig: Any, function: Any, argument: Any) -> Any:
    with _LOCK:
        return orig(function, argument)


def _coroutines_serialised(orig: Any, function: Any, argument: Any) -> Any:
    from accord.spec.faas.contract import is_coroutine_handler

    if not is_coroutine_handler(function):
        return orig(function, argument)
    return _serialised(orig, function, argument)


def _warming_up(base: type) -> type:
    class WarmingUp(base):  # type: ignore[misc, valid-type]
        started = time.monotonic()

        def answer(self, method: str, target: str, headers: Any, read_body: Any) -> Response:
            if time.monotonic() - self.started < 3.0 and unquote(target).startswith("/text"):
                return Response(503, [("Content-Type", "text/plain")], b"function is loading")
            return super().answer(method, target, headers, read_body)
    return WarmingUp


def one_answer_per_connection(base: type, host: Any = None, announced: bool = False) -> type:
    """The reference host's handler ``base`` closing every connection after one answer, which says
    'Connection: close' only when ``announced`` (the tests' broken host uses it too)."""
    class OneAnswer(base):  # type: ignore[misc, valid-type]
        def _serve(self) -> None:
            self.close_connection = announced  # the reference host then adds 'Connection: close'
            super()._serve()
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve
    return OneAnswer


OPERATION = (
    Mutant("faas.async-handlers.not-awaited", "async-handlers",
           "A coroutine handler is called but never awaited, so its result is a coroutine object (a function "
           "error); the spec says 'A coroutine HTTP function is awaited and its result sent like a sync "
           "handler's'.",
           attribute("host.call_to_completion", lambda orig, function, argument: function(argument)),
           example(post("echo-async", b"x"))),
    Mutant("faas.async-handlers.one-at-a-time", "async-handlers",
           "Coroutine handlers run one at a time (one event loop run to completion per call, under a lock); the "
           "spec says (SHOULD) 'Four simultaneous calls of a coroutine that awaits 600 ms overlap'.",
           attribute("host.call_to_completion", _coroutines_serialised),
           example(*[get("sleep-async", ms="600")] * 4, parallel=True)),
    Mutant("faas.concurrency.one-at-a-time", "concurrency",
           "The host runs one invocation at a time (a single worker); the spec says (SHOULD) 'Four simultaneous "
           "600 ms invocations overlap — all done in under 75 % of the time they would take one after another.'",
           attribute("host.call_to_completion", _serialised),
           example(*[get("sleep", ms="600")] * 4, parallel=True)),
    Mutant("faas.lifecycle.warming-up-503", "lifecycle",
           "For its first 3 s the host answers 503 while it loads the function; the spec says 'The first request "
           "to a freshly deployed function is answered correctly (no error while the host warms up).'",
           host_class(_warming_up), example(get("text"))),
    Mutant("faas.connections.one-answer-per-connection", "connections",
           "The host closes every connection after one answer that did not say 'Connection: close' (a worker "
           "that drops its keep-alive decision); the spec says (SHOULD) 'Three POSTs sent one after another on "
           "one HTTP/1.1 connection, each once the last is answered, are all answered on it'.",
           handler_class(one_answer_per_connection), example(*[post("echo", b"x")] * 3, one_connection=True)),
)

MUTANTS = REQUESTS + RESPONSES + FAILURES + OPERATION
