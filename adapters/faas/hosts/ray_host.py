"""A Ray Serve host process serving Accord probes: ``python -m accord.adapters.faas.hosts.ray_host``.

Starts a private local Ray instance (node address 127.0.0.1, no dashboard) inside
the sandbox of :mod:`accord.adapters.faas.hosts.sandbox` (a network with ``lo``
only, the port relayed to the kit's 127.0.0.1), Serve's HTTP proxy on
``127.0.0.1:--port``, and one Serve application whose
ingress deployment receives every probe's requests (``/<probe>/<sub-path>``)
as Starlette requests. The shim converts types only: Starlette request →
:class:`~accord.spec.faas.contract.Request`, handler result → Starlette
response; exceptions and timeouts are Serve's (the deadline is Serve's
``request_timeout_s``). Coroutine probes (``async def``, spec
``faas.contract:async-handlers``) are awaited inline on the replica's event loop,
as a native ``async def __call__`` deployment runs. Sync probes run in Starlette's
thread pool, the way Serve itself runs sync handlers: called inline, a blocking
handler would stall the replica's loop and serialise every request in flight
(``faas.concurrency.parallel``). That hop costs the sync ``echo`` a p50 ratio of
about 1.075 against a native async deployment (``benchmarks/faas_latency.py``);
``echo-async`` has none. It shuts Serve and Ray down on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any
from urllib.parse import unquote

from accord.adapters.faas.hosts import sandbox
from accord.adapters.faas.hosts.events import EventRejected, decode_event, rejection_response
from accord.spec.faas.contract import (
    Headers,
    Query,
    Request,
    Response,
    event_to_response,
    is_coroutine_handler,
    response_body,
    to_response,
)
from accord.spec.faas.probes import PROBES

APP_NAME = "accord-probes"
RAY_ENVIRONMENT = {
    # Ray's "single machine" mode (its default on macOS and Windows): the node address is 127.0.0.1, so
    # the GCS, raylet, object manager, agents and core workers bind their servers to loopback only
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "RAY_USAGE_STATS_ENABLED": "0",
}


def contract_request(method: str, raw_path: str, raw_query: str, header_pairs: list[tuple[str, str]],
                     body: bytes) -> tuple[str, Request]:
    """(probe name, portable request) of one HTTP request addressed to ``/<probe>/<sub-path>``."""
    name, _, rest = raw_path.lstrip("/").partition("/")
    request = Request(
        method=method,
        path="/" + unquote(rest, errors="surrogateescape"),
        query=Query.parse(raw_query),
        headers=Headers(header_pairs),
        body=body,
    )
    return unquote(name), request


async def call_handler(function: Any, argument: Any) -> Any:
    """A handler's result: a coroutine handler awaited here on the replica's loop, a sync one in Starlette's
    thread pool (where Serve runs sync handlers), so it cannot stall the loop."""
    if is_coroutine_handler(function):
        return await function(argument)
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, argument)


def build_app(probe_names: list[str], max_ongoing: int) -> Any:
    """The bound Serve application (imports Ray lazily)."""
    from ray import serve
    from starlette.requests import Request as StarletteRequest
    from starlette.responses import Response as StarletteResponse

    def native(response: Response) -> StarletteResponse:
        out = StarletteResponse(content=response_body(response), status_code=response.status)
        del out.headers["content-type"]  # only the handler's own headers
        for name, value in response.header_pairs():
            if name.lower() != "content-length":
                out.headers.append(name, value)
        return out

    @serve.deployment(name="accord-ingress", num_replicas=1, max_ongoing_requests=max_ongoing,
                      ray_actor_options={"num_cpus": 0})
    class AccordIngress:
        def __init__(self, enabled: list[str]) -> None:
            self.enabled = set(enabled)

        async def __call__(self, request: StarletteRequest) -> StarletteResponse:
            scope = request.scope
            raw_path = scope.get("raw_path") or scope["path"].encode()
            # Serve mounts the app at "/", so the raw path still starts with the probe name
            name, contract = contract_request(
                request.method,
                raw_path.decode("latin-1"),
                scope.get("query_string", b"").decode("latin-1"),
                [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
                await request.body(),
            )
            if name not in self.enabled:
                return StarletteResponse(status_code=404)
            probe = PROBES[name]
            if probe.kind == "http":
                return native(to_response(await call_handler(probe.function, contract)))
            try:
                event = decode_event(contract.headers, contract.body)
            except EventRejected as exc:
                return native(rejection_response(exc))
            return native(event_to_response(await call_handler(probe.function, event)))

    return AccordIngress.bind(probe_names)


def run_serve(app: Any, port: int, deadline: float | None, route_prefix: str = "/", cpus: int = 2) -> None:
    """Start a private Ray + Serve on 127.0.0.1:``port``, run ``app``, block until SIGTERM/SIGINT, shut down.

    Outside a sandbox, this process first starts again inside one (same pid, same command line).
    """
    if os.environ.get(sandbox.INSIDE) != str(port):
        os.environ.update(RAY_ENVIRONMENT)
        os.execv(sys.executable, [sys.executable, "-m", sandbox.__name__, "--port", str(port), "--",
                                  sys.executable, *sys.orig_argv[1:]])
    import ray
    from ray import serve

    stopping = threading.Event()

    def request_stop(*_: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    ray.init(address="local", _node_ip_address="127.0.0.1", include_dashboard=False,
             num_cpus=cpus, log_to_driver=False, configure_logging=False)
    try:
        http_options: dict[str, Any] = {"host": "127.0.0.1", "port": port}
        if deadline is not None:
            http_options["request_timeout_s"] = deadline
        serve.start(http_options=http_options)
        serve.run(app, name=APP_NAME, route_prefix=route_prefix)
        print(f"accord ray host ready on 127.0.0.1:{port}", flush=True)
        while not stopping.wait(0.5):
            pass
    finally:
        try:
            serve.shutdown()
        finally:
            ray.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="accord-ray-host")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--probes", default=",".join(PROBES))
    parser.add_argument("--deadline", type=float, default=None, help="Serve's request_timeout_s")
    args = parser.parse_args(argv)
    run_serve(build_app(args.probes.split(","), max_ongoing=64), args.port, args.deadline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
