"""Echo functions written natively for each host, without Accord: the benchmark's baseline.

Each does what the ``echo`` probe does (answer the request body with
``application/octet-stream``) in the host's own idiom, so the latency
benchmark can show what Accord's translation costs. ``python -m
accord.adapters.faas.hosts.native_echo ray|knative --port P`` runs the Ray Serve
and func-python versions as host processes.
"""

from __future__ import annotations

import argparse
import os
import sys

LAMBDA_SOURCE = '''\
"""A native AWS Lambda echo handler (API Gateway HTTP API, payload 2.0)."""


def fn_echo(event, context):
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/octet-stream"},
        "body": event.get("body") or "",
        "isBase64Encoded": bool(event.get("isBase64Encoded")),
    }
'''

FUNCTIONS_FRAMEWORK_SOURCE = '''\
"""A native Functions Framework echo function."""
import flask


def echo(request):
    return flask.Response(request.get_data(), status=200, content_type="application/octet-stream")
'''


def ray_app():  # noqa: ANN201 - a Ray Serve application
    from ray import serve
    from starlette.requests import Request
    from starlette.responses import Response

    @serve.deployment(name="native-echo", num_replicas=1, max_ongoing_requests=64,
                      ray_actor_options={"num_cpus": 0})
    class Echo:
        async def __call__(self, request: Request) -> Response:
            return Response(await request.body(), media_type="application/octet-stream")

    return Echo.bind()


async def handle(scope, receive, send):  # noqa: ANN001, ANN201 - the func-python ASGI signature
    """A native func-python (ASGI) echo function."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/octet-stream"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="accord-native-echo")
    parser.add_argument("host", choices=("ray", "knative"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deadline", type=float, default=None, help="Ray Serve's request_timeout_s")
    args = parser.parse_args(argv)
    if args.host == "ray":
        from accord.adapters.faas.hosts.ray_host import run_serve

        run_serve(ray_app(), args.port, args.deadline, route_prefix="/echo")
    else:
        import func_python.http

        os.environ["LISTEN_ADDRESS"] = f"127.0.0.1:{args.port}"
        func_python.http.serve(handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
