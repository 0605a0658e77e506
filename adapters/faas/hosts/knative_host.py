"""A Knative func-python host process serving Accord probes: ``python -m accord.adapters.faas.hosts.knative_host``.

func-python (Knative's Python function runtime) serves one ASGI ``handle``
function per process with hypercorn, bound to ``LISTEN_ADDRESS``. Its
``func_python.http`` runtime passes raw ASGI (scope, receive, send); its
``func_python.cloudevent`` runtime first parses the request into a CloudEvent
with the CloudEvents 2.x SDK (``scope["event"]``) and hands ``send`` a sender
that writes events. The shim converts types only: ASGI → portable
:class:`~accord.spec.faas.contract.Request`, SDK event → portable
:class:`~accord.spec.faas.contract.CloudEvent` and back, results →
ASGI messages; exceptions and bad events are func-python's.

Coroutine handlers (``async def``, spec ``faas.contract:async-handlers``) are
awaited inline on func-python's event loop, as a native func-python function
runs. Sync handlers keep a hop to a worker thread so the event loop keeps
serving concurrent requests: func-python awaits ``handle`` on its one event
loop, so a sync handler called inline would stall every other request for as
long as it blocks (the ``sleep`` probe would serialise). That hop (two thread
wake-ups per request) is nearly all of Accord's per-request cost on this host:
measured with ``benchmarks/faas_latency.py``, about +0.2 ms of host CPU per
request and a p50 ratio of 1.3–1.6 on a loaded 2-core machine for the sync
``echo``, against about 1.1 and +5 % inline; the type conversions alone take
~7 µs. A coroutine handler gives the loop back at every await, so it needs no
hop: ``echo-async`` is the form to compare with a native ``handle``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import sys
from typing import Any
from urllib.parse import unquote

from accord.spec.faas.contract import (
    CloudEvent,
    Headers,
    Query,
    Request,
    Response,
    is_coroutine_handler,
    response_body,
    to_response,
)
from accord.spec.faas.probes import PROBES

Scope = dict[str, Any]


async def call_handler(function: Any, argument: Any) -> Any:
    """A handler's result: a coroutine handler awaited here on the loop, a sync one in a worker thread."""
    if is_coroutine_handler(function):
        return await function(argument)
    return await asyncio.to_thread(function, argument)


async def read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def split_target(scope: Scope) -> tuple[str, str]:
    """(probe name, raw sub-path) of an ASGI request addressed to ``/<probe>/<sub-path>``."""
    raw_path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")
    raw_path = raw_path.split("?", 1)[0]
    name, _, rest = raw_path.lstrip("/").partition("/")
    return unquote(name), rest


async def send_response(send: Any, response: Response) -> None:
    body = response_body(response)
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.header_pairs()
               if k.lower() != "content-length"]
    if response.status not in (204, 304):
        headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": body if response.status not in (204, 304) else b""})


def make_http_handle(enabled: set[str]) -> Any:
    async def handle(scope: Scope, receive: Any, send: Any) -> None:
        name, rest = split_target(scope)
        if name not in enabled or PROBES[name].kind != "http":
            await send_response(send, Response(404))
            return
        request = Request(
            method=scope["method"],
            path="/" + unquote(rest, errors="surrogateescape"),
            query=Query.parse(scope.get("query_string", b"").decode("latin-1")),
            headers=Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]),
            body=await read_body(receive),
        )
        result = await call_handler(PROBES[name].function, request)
        await send_response(send, to_response(result))

    return handle


def _attribute_text(value: Any) -> str:
    """The CloudEvents canonical string of an attribute value the SDK typed."""
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def make_event_handle(enabled: set[str]) -> Any:
    from cloudevents.core.v1.event import CloudEvent as SdkEvent

    async def handle(scope: Scope, receive: Any, send: Any) -> None:
        name, _ = split_target(scope)
        if name not in enabled or PROBES[name].kind != "event":
            await send.http({"type": "http.response.start", "status": 404, "headers": []})
            await send.http({"type": "http.response.body", "body": b""})
            return
        sdk_event = scope["event"]
        attributes = {k: _attribute_text(v) for k, v in sdk_event.get_attributes().items()}
        data = sdk_event.get_data()
        reply = await call_handler(PROBES[name].function, CloudEvent(attributes, data))
        if reply is None:
            await send.http({"type": "http.response.start", "status": 204, "headers": []})
            await send.http({"type": "http.response.body", "body": b""})
            return
        await send.binary(SdkEvent(attributes=dict(reply.attributes), data=reply.data))

    return handle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="accord-knative-host")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--signature", choices=("http", "cloudevent"), required=True)
    parser.add_argument("--probes", default=",".join(PROBES))
    args = parser.parse_args(argv)
    os.environ["LISTEN_ADDRESS"] = f"127.0.0.1:{args.port}"  # func-python binds only what this says
    enabled = set(args.probes.split(","))
    if args.signature == "http":
        import func_python.http as runtime

        handle = make_http_handle(enabled)
    else:
        import func_python.cloudevent as runtime

        handle = make_event_handle(enabled)
    handle.__name__ = "handle"  # func-python accepts a function named "handle" (or a constructor "new")
    runtime.serve(handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
