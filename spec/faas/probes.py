"""The probe functions every FaaS adapter deploys (spec ``faas.probe:*``).

Each probe is written once against the portable contract
(:mod:`accord.spec.faas.contract`); adapters translate them to their
host's native signature. A probe's behaviour is fixed by the spec document of
the same name, and the reference host is the oracle for its answers.

Some probes are coroutine functions (``async def``, spec ``faas.contract:async-handlers``,
FaaS 1.1): hosts await them instead of calling them, and the spec judges the
answers exactly as it judges their sync twins'.

Standard library only: shims import this module inside host processes.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.spec.faas.contract import CloudEvent, HandlerResult, Request, Response, is_coroutine_handler

SECRET = "accord-probe-secret-9c1e"
"""Text the ``raise`` probe puts in its exception: it must never reach the caller."""

NON_UTF8 = bytes(range(256))
"""The ``bytes`` probe's body: every octet, most of it invalid as UTF-8."""

TEXT = "h\u00e9llo \u2713 \u4e16\u754c"
JSON_VALUE = {"ok": True, "unicode": "\u00e9\u2713", "numbers": [1, 2.5, None]}
MAX_SLEEP_MS = 60_000
MAX_LARGE_BYTES = 32 * 1024 * 1024


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        value = default
    return min(max(value, low), high)


def echo(request: Request) -> HandlerResult:
    """The request body, byte for byte."""
    return request.body


async def echo_async(request: Request) -> HandlerResult:
    """``echo`` as a coroutine, and nothing more: the latency benchmark compares it with a native async echo,
    so it does not yield to the loop where a native handler would not (``event-echo-async`` does yield)."""
    return request.body


def inspect(request: Request) -> HandlerResult:
    """What the handler saw: method, path, query and header pairs, body digest."""
    return {
        "method": request.method,
        "path": request.path,
        "query": [[k, v] for k, v in request.query.items()],
        "headers": [[k.lower(), v] for k, v in request.headers.items()],
        "body": {"length": len(request.body), "sha256": hashlib.sha256(request.body).hexdigest()},
    }


def status(request: Request) -> HandlerResult:
    """Answers with the status given as ``?code=``; the body is the code unless the status forbids one."""
    code = _int_param(request, "code", 200, 200, 599)
    body = b"" if code in (204, 304) else str(code).encode()
    return Response(code, [("Content-Type", "text/plain; charset=utf-8"), ("X-Probe-Status", str(code))], body)


def raise_(request: Request) -> HandlerResult:
    """Raises an unhandled exception whose message must not leak."""
    raise RuntimeError(f"probe failure {SECRET}")


def sleep(request: Request) -> HandlerResult:
    """Sleeps ``?ms=`` milliseconds, then answers ``slept <ms>``."""
    ms = _int_param(request, "ms", 0, 0, MAX_SLEEP_MS)
    time.sleep(ms / 1000)
    return f"slept {ms}"


async def sleep_async(request: Request) -> HandlerResult:
    """Awaits ``?ms=`` milliseconds without blocking its thread, then answers ``slept <ms>``."""
    ms = _int_param(request, "ms", 0, 0, MAX_SLEEP_MS)
    await asyncio.sleep(ms / 1000)
    return f"slept {ms}"


def large(request: Request) -> HandlerResult:
    """``?n=`` bytes of the repeating pattern 0, 1, …, 250."""
    n = _int_param(request, "n", 0, 0, MAX_LARGE_BYTES)
    return (bytes(range(251)) * (n // 251 + 1))[:n]


def empty(request: Request) -> HandlerResult:
    """An empty bytes body (200, not 204)."""
    return b""


def bytes_(request: Request) -> HandlerResult:
    """Returns ``bytes``: all 256 octets."""
    return NON_UTF8


def none(request: Request) -> HandlerResult:
    """Returns nothing (the spec maps this to 204)."""
    return None


def text(request: Request) -> HandlerResult:
    """Returns a non-ASCII ``str``."""
    return TEXT


def json_(request: Request) -> HandlerResult:
    """Returns a JSON-able dict."""
    return dict(JSON_VALUE)


def headers(request: Request) -> HandlerResult:
    """A response with a repeated header and a mixed-case header name."""
    return Response(200, [("X-Probe-Multi", "a"), ("X-Probe-Multi", "b"), ("X-Probe-MiXeD", "Value")], b"ok")


def describe_data(data: Any) -> dict[str, Any]:
    """A JSON description of CloudEvent data that keeps bytes and JSON apart."""
    if data is None:
        return {"kind": "none"}
    if isinstance(data, bytes | bytearray):
        return {"kind": "bytes", "base64": base64.b64encode(bytes(data)).decode("ascii")}
    return {"kind": "json", "value": data}


def event_echo(event: CloudEvent) -> CloudEvent:
    """Replies with an event whose JSON data describes the received event exactly."""
    return CloudEvent(
        attributes={
            "specversion": "1.0",
            "id": f"reply-{event.attributes.get('id', '')}",
            "source": "urn:accord:probe:event-echo",
            "type": "dev.accord.probe.reply",
            "datacontenttype": "application/json",
        },
        data={"attributes": dict(event.attributes), "data": describe_data(event.data)},
    )


async def event_echo_async(event: CloudEvent) -> CloudEvent:
    """``event-echo`` as a coroutine that suspends once (``asyncio.sleep(0)``) before replying, so only a
    host that drives the coroutine to its end, not merely starts it, gets the reply."""
    await asyncio.sleep(0)
    return event_echo(event)


@dataclass(frozen=True)
class Probe:
    name: str
    kind: str  # "http" (Request -> HandlerResult) or "event" (CloudEvent -> CloudEvent | None)
    function: Callable[..., Any]

    @property
    def is_async(self) -> bool:
        """Whether hosts must await this probe (an ``async def`` handler) rather than call it."""
        return is_coroutine_handler(self.function)


PROBES: dict[str, Probe] = {
    p.name: p
    for p in (
        Probe("echo", "http", echo),
        Probe("echo-async", "http", echo_async),
        Probe("inspect", "http", inspect),
        Probe("status", "http", status),
        Probe("raise", "http", raise_),
        Probe("sleep", "http", sleep),
        Probe("sleep-async", "http", sleep_async),
        Probe("large", "http", large),
        Probe("empty", "http", empty),
        Probe("bytes", "http", bytes_),
        Probe("none", "http", none),
        Probe("text", "http", text),
        Probe("json", "http", json_),
        Probe("headers", "http", headers),
        Probe("event-echo", "event", event_echo),
        Probe("event-echo-async", "event", event_echo_async),
    )
}
"""Every probe by its spec name."""

HTTP_PROBES = tuple(name for name, p in PROBES.items() if p.kind == "http")
EVENT_PROBES = tuple(name for name, p in PROBES.items() if p.kind == "event")
