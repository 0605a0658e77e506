"""Run Accord functions as AWS Lambda handlers behind an API Gateway HTTP API (payload format 2.0).

``make_handler(probe_name)`` returns ``handler(event, context)``. Types only are
converted: the v2 event becomes a :class:`~accord.spec.faas.contract.Request`
(``rawQueryString`` parsed, ``cookies`` put back into a ``Cookie`` header the way
API Gateway took them out, a base64 body decoded) and the handler's result becomes
the v2 response object (repeated header values joined with ``,`` as the v2 format
requires, ``Set-Cookie`` moved to ``cookies``, non-UTF-8 bodies base64-encoded).
Exceptions are not caught: what an unhandled error looks like is the host's business.
The Lambda Python runtime has no event loop and calls handlers synchronously, so a
coroutine handler (``faas.contract:async-handlers``) is run to completion on the
invoking thread (:func:`~accord.spec.faas.contract.call_to_completion`).
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import unquote

from accord.adapters.faas.hosts.events import EventRejected, decode_event, rejection_response
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
from accord.spec.faas.probes import PROBES

LambdaEvent = dict[str, Any]


def request_from_event(event: LambdaEvent, mount: str) -> Request:
    """The portable request of an HTTP API v2 event; ``mount`` is the function's route prefix."""
    http = event.get("requestContext", {}).get("http", {})
    raw_path = event.get("rawPath") or http.get("path") or "/"
    below = raw_path[len(mount) :] if raw_path.startswith(mount) else raw_path
    pairs = [(k, v) for k, v in (event.get("headers") or {}).items()]
    cookies = event.get("cookies") or []
    if cookies and not any(k.lower() == "cookie" for k, _ in pairs):
        pairs.append(("cookie", "; ".join(cookies)))
    raw_body = event.get("body") or ""
    body = base64.b64decode(raw_body) if event.get("isBase64Encoded") else raw_body.encode("utf-8")
    return Request(
        method=http.get("method", "GET"),
        path="/" + unquote(below.lstrip("/"), errors="surrogateescape"),
        query=Query.parse(event.get("rawQueryString") or ""),
        headers=Headers(pairs),
        body=body,
    )


def lambda_response(response: Response) -> dict[str, Any]:
    """The HTTP API v2 response object for a portable response."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in response.header_pairs():
        if name.lower() == "set-cookie":
            cookies.append(value)
        elif name in headers:
            headers[name] = f"{headers[name]},{value}"
        else:
            headers[name] = value
    body = response_body(response)
    result: dict[str, Any] = {"statusCode": response.status, "headers": headers}
    if cookies:
        result["cookies"] = cookies
    try:
        result["body"] = body.decode("utf-8")
        result["isBase64Encoded"] = False
    except UnicodeDecodeError:
        result["body"] = base64.b64encode(body).decode("ascii")
        result["isBase64Encoded"] = True
    return result


def make_handler(probe_name: str, mount: str | None = None):  # noqa: ANN201 - a Lambda handler
    """A Lambda handler ``(event, context) -> dict`` running the named probe."""
    probe = PROBES[probe_name]
    prefix = mount if mount is not None else f"/{probe_name}"

    if probe.kind == "http":

        def handler(event: LambdaEvent, context: Any) -> dict[str, Any]:
            return lambda_response(to_response(call_to_completion(probe.function, request_from_event(event, prefix))))

    else:

        def handler(event: LambdaEvent, context: Any) -> dict[str, Any]:
            request = request_from_event(event, prefix)
            try:
                cloud_event = decode_event(request.headers, request.body)
            except EventRejected as exc:
                return lambda_response(rejection_response(exc))
            return lambda_response(event_to_response(call_to_completion(probe.function, cloud_event)))

    handler.__name__ = f"accord_{probe_name.replace('-', '_')}"
    return handler
