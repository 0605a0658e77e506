"""The reference host, broken on purpose in one named way: proves each category of checks can fail.

``python broken_host.py BREAKAGE PORT DEADLINE MAX_BODY`` serves the probes like
the reference host, except for the one behaviour BREAKAGE names.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from urllib.parse import parse_qsl, quote, unquote, urlencode

from accord.conformance.mutate.faas.functions import one_answer_per_connection
from accord.reference.faas.host import ReferenceHost
from accord.spec.faas.contract import Headers, Response
from accord.spec.faas.probes import PROBES, Probe, event_echo

BREAKAGES = (
    "query-regrouped", "body-as-text", "status-flattened", "none-as-200", "traceback-leaked",
    "no-size-limit", "no-deadline", "time-invented", "ce-not-decoded", "missing-attributes-filled",
    "batch-crashes", "serialised", "probe-missing", "coroutine-unawaited", "async-serialised",
    "newline-path-404", "paths-mangled", "header-dropped", "small-size-limit", "closes-silently",
    "closes-announced",
)


def _invent_time(event):
    if "time" not in event.attributes:
        event.attributes["time"] = "2026-01-01T00:00:00Z"
    return event_echo(event)


class BrokenHost(ReferenceHost):
    def __init__(self, breakage: str, **kwargs) -> None:
        probes = dict(PROBES)
        if breakage == "time-invented":
            probes["event-echo"] = replace(PROBES["event-echo"], function=_invent_time)
        if breakage == "serialised":
            lock = threading.Lock()

            def serial(fn):
                def run(arg):
                    with lock:
                        return fn(arg)
                return run

            probes = {n: Probe(p.name, p.kind, serial(p.function)) for n, p in probes.items()}
        if breakage == "coroutine-unawaited":
            # a shim that calls an async def handler like a sync one: the coroutine object is its "result"
            probes = {n: Probe(p.name, p.kind, (lambda fn: lambda arg: fn(arg))(p.function)) if p.is_async else p
                      for n, p in probes.items()}
        if breakage == "async-serialised":
            # a shim that runs every coroutine on one dedicated thread: awaits no longer overlap
            one_thread = ThreadPoolExecutor(max_workers=1)

            def on_one_thread(fn):
                def run(arg):
                    return one_thread.submit(asyncio.run, fn(arg)).result()
                return run

            probes = {n: Probe(p.name, p.kind, on_one_thread(p.function)) if p.is_async else p
                      for n, p in probes.items()}
        if breakage == "probe-missing":
            probes.pop("inspect")
        if breakage == "no-size-limit":
            kwargs["max_body_bytes"] = 1 << 40
        if breakage == "small-size-limit":  # refuses events CloudEvents says consumers should accept
            kwargs["max_body_bytes"] = 32 * 1024
        if breakage == "no-deadline":
            kwargs["deadline_seconds"] = 3600.0
        self.breakage = breakage  # before the server starts: _handler_class reads it
        super().__init__(probes, **kwargs)

    def _handler_class(self):
        handler = super()._handler_class()
        if self.breakage not in ("closes-silently", "closes-announced"):
            return handler
        return one_answer_per_connection(handler, announced=self.breakage == "closes-announced")

    def answer(self, method, target, headers, read_body):
        b = self.breakage
        if b == "query-regrouped" and "?" in target:
            path, query = target.split("?", 1)
            pairs = sorted(parse_qsl(query, keep_blank_values=True), key=lambda kv: kv[0])
            target = path + "?" + urlencode(pairs)
        if b == "body-as-text":
            original = read_body

            def read_body():
                body = original()
                return None if body is None else body.decode("utf-8", "replace").encode("utf-8")
        if b == "paths-mangled" and "%F0" in target.partition("?")[0].upper():
            # a second, independent path deviation: astral characters decoded as Latin-1
            path, mark, query = target.partition("?")
            name, _, rest = path.lstrip("/").partition("/")
            target = "/" + name + "/" + quote(unquote(rest, encoding="latin-1")) + mark + query
        if b in ("newline-path-404", "paths-mangled") and "%0A" in target.partition("?")[0].upper():
            # Werkzeug's path rule does not match a sub-path holding a newline: no function answers
            return Response(404, [("Content-Type", "text/html; charset=utf-8")], b"<h1>Not Found</h1>")
        if b == "header-dropped":
            # a host that loses one header field on its way to the handler
            headers = Headers([(k, v) for k, v in headers.items() if k.lower() != "x-probe-token"])
        if b == "ce-not-decoded":
            headers = Headers([(k, v.replace("%", "%25") if k.lower().startswith("ce-") else v) for k, v in headers.items()])
        if b == "missing-attributes-filled" and any(k.lower().startswith("ce-") for k in headers):
            for name in ("id", "source", "specversion", "type"):
                if "ce-" + name not in headers:
                    headers.add("ce-" + name, "1.0" if name == "specversion" else "filled-in")
        if b == "batch-crashes" and "batch" in (headers.get("content-type") or ""):
            return Response(500, [("Content-Type", "text/plain")], b"Internal Server Error")
        response = super().answer(method, target, headers, read_body)
        if b == "status-flattened" and target.startswith("/status"):
            response.status = 200
        if b == "none-as-200" and response.status == 204:
            response.status = 200
        if b == "traceback-leaked" and response.status == 500:
            response.body = b'Traceback (most recent call last):\n  File "probes.py"\nRuntimeError: probe failure accord-probe-secret-9c1e'
        return response


if __name__ == "__main__":
    breakage, port, deadline, max_body = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    BrokenHost(breakage, deadline_seconds=deadline, max_body_bytes=max_body, port=port).serve_forever()
