"""Building blocks of FaaS mutants: patch targets, direct examples, and running an example.

A FaaS patch is ``patch(ref) -> {target: value}`` over :class:`Ref`, the unpatched modules of the reference
host: ``host`` (``accord.reference.faas.host``), ``cloudevents`` (``accord.reference.faas.cloudevents``) and
``contract`` (``accord.spec.faas.contract``). A target is ``<module>.<name>``, a name the host looks up
when it serves (``host.ReferenceHost``, ``host.to_response``, ``cloudevents._binary`` …).

The patch is applied in the host process only: the mutant adapter launches
``python -m accord.conformance.mutate.faas.host --mutant ID --set LOC -- <host arguments>``, which
installs it and then runs the reference host's ``main``. The kit's own reference host (in the kit's
process) never sees one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from accord.conformance.families.faas.wire import HttpRequest, HttpResponse, connect, send, send_on

Patch = Callable[["Ref"], dict[str, Any]]
IGNORED_HEADERS = ("date", "server", "connection", "keep-alive", "content-length")


class Ref:
    """The reference host's modules, as a patch reads them (never changed by building a patch)."""

    def __init__(self) -> None:
        from accord.reference.faas import cloudevents, host
        from accord.spec.faas import contract

        self.host, self.cloudevents, self.contract = host, cloudevents, contract


def install(overrides: dict[str, Any]) -> None:
    """Put a mutant's overrides in place in this process (the mutant host wrapper calls it, nothing else)."""
    ref = Ref()
    for target, value in overrides.items():
        module, name = target.split(".", 1)
        setattr(getattr(ref, module), name, value)


# ------------------------------------------------------------------ writing patches


def attribute(target: str, body: Callable[..., Any]) -> Patch:
    """Replace ``<module>.<name>`` by ``body(orig, *args, **kwargs)``."""
    def patch(ref: Ref) -> dict[str, Any]:
        module, name = target.split(".", 1)
        orig = getattr(getattr(ref, module), name)
        return {target: lambda *args, **kwargs: body(orig, *args, **kwargs)}
    return patch


def host_class(make: Callable[[type], type]) -> Patch:
    """Replace the host class by ``make(ReferenceHost)`` (a subclass changing one behaviour)."""
    return lambda ref: {"host.ReferenceHost": make(ref.host.ReferenceHost)}


def handler_class(make: Callable[[type, Any], type]) -> Patch:
    """Replace the HTTP request handler by ``make(Handler, host)`` (a subclass changing one behaviour)."""
    def patch(ref: Ref) -> dict[str, Any]:
        base = ref.host.ReferenceHost

        class Host(base):  # type: ignore[misc, valid-type]
            def _handler_class(self) -> type:
                return make(super()._handler_class(), self)
        return {"host.ReferenceHost": Host}
    return patch


def responses(change: Callable[[Any, Any], Any]) -> Patch:
    """Every handler result's Response goes through ``change(response, result)`` (``host.to_response`` wrapped)."""
    return attribute("host.to_response", lambda orig, result: change(orig(result), result))


def errors(change: Callable[[str, Any], Any]) -> Patch:
    """The host's own error answers go through ``change(code, response)`` (``host.error_response`` wrapped)."""
    return attribute("host.error_response", lambda orig, code: change(code, orig(code)))


def events(body: Callable[..., Any]) -> Patch:
    """Reading a CloudEvent from a request: ``body(orig, headers, body)`` (``host.read_event`` replaced)."""
    return attribute("host.read_event", body)


# ------------------------------------------------------------------ direct examples


@dataclass(frozen=True)
class Example:
    """Requests sent to a fresh deployment of the mutant and to the kit's reference host, answers compared.

    ``parallel``: sent all at once, and the wall time compared too (a mutant taking over 1.5 times the
    reference's, and 0.5 s more, differs). Otherwise sent one after another, in order, each on a connection
    of its own, or with ``one_connection`` all on one (what a host does to a kept connection)."""

    requests: tuple[HttpRequest, ...]
    parallel: bool = False
    one_connection: bool = False


def example(*requests: HttpRequest, parallel: bool = False, one_connection: bool = False) -> Example:
    return Example(tuple(requests), parallel, one_connection)


def get(function: str, **query: str) -> HttpRequest:
    return HttpRequest(function, "GET", query=tuple(query.items()))


def post(function: str, body: bytes = b"", headers: tuple[tuple[str, str], ...] = (), subpath: str = "",
         method: str = "POST", query: tuple[tuple[str, str], ...] = ()) -> HttpRequest:
    return HttpRequest(function, method, subpath=subpath, query=query, headers=headers, body=body)


# ------------------------------------------------------------------ running a direct example


def _view(response: HttpResponse) -> Any:
    if response.error is not None:
        return ("no answer", response.error.split(":")[0])
    headers = [(k.lower(), v) for k, v in response.headers if k.lower() not in IGNORED_HEADERS]
    return (response.status, headers, response.body)


def _comparable(request: HttpRequest, response: HttpResponse) -> Any:
    """The answer as compared; the inspect probe's JSON without the Host header (each host has its own port)."""
    view = _view(response)
    if view[0] == "no answer" or request.function != "inspect":
        return view
    status, headers, body = view
    try:
        data = json.loads(body)
        data["headers"] = [p for p in data["headers"] if p[0].lower() != "host"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return view
    return (status, headers, json.dumps(data, sort_keys=True))


def _exchange(urls: dict[str, str], example_: Example, timeout: float) -> tuple[list[Any], float]:
    began = time.monotonic()
    if example_.parallel:
        with ThreadPoolExecutor(max_workers=len(example_.requests)) as pool:
            answers = list(pool.map(lambda r: send(urls[r.function], r, timeout), example_.requests))
    elif example_.one_connection:
        conn = connect(urls[example_.requests[0].function], timeout)
        try:
            answers = [send_on(conn, urls[r.function], r) for r in example_.requests]
        finally:
            conn.close()
    else:
        answers = [send(urls[r.function], r, timeout) for r in example_.requests]
    wall = time.monotonic() - began
    return [_comparable(r, a) for r, a in zip(example_.requests, answers, strict=True)], wall


def difference(mutant_set: Any, mutant: Any) -> str | None:
    """Deploy the mutant in a worker of its adapter, send the direct example to it and to a reference host."""
    from accord.conformance.client import BackendClient
    from accord.conformance.families.faas.deployment import deploy_args
    from accord.reference.faas import ReferenceHost
    from accord.spec import load_spec

    args = deploy_args(load_spec("faas", "draft"))
    timeout = args["deadline_seconds"] * 3 + 5
    reference = ReferenceHost(deadline_seconds=args["deadline_seconds"], max_body_bytes=args["max_body_bytes"]).start()
    client = BackendClient(mutant_set.adapter, family="faas", options=mutant_set.options(mutant))
    try:
        client.start()
        deployed = client.invoke("deploy", args, timeout=120)
        got, got_wall = _exchange(deployed["functions"], mutant.example, timeout)
        want, want_wall = _exchange(reference.functions(), mutant.example, timeout)
    finally:
        client.close()
        reference.stop()
    if want != got:
        return f"reference {_short(want)}; mutant {_short(got)}"
    if mutant.example.parallel and got_wall > 1.5 * want_wall + 0.5:
        return f"reference answered all in {want_wall:.2f}s; mutant in {got_wall:.2f}s"
    return None


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
