"""Accord's CloudEvents HTTP binding for hosts that have none (AWS Lambda, Ray Serve).

Functions-framework and func-python parse CloudEvents themselves, and their
shims use that. Lambda behind API Gateway and Ray Serve only see HTTP
requests, so a user who deploys an Accord event function there needs this
small binding (structured and binary mode, CloudEvents HTTP binding 1.0). It is
deliberately independent of the reference host's parser, which is the oracle.
"""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import unquote_to_bytes

from accord.spec.faas.contract import REQUIRED_ATTRIBUTES, CloudEvent, Headers, Response

STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"


class EventRejected(ValueError):
    """The request cannot be read as one CloudEvent; ``code`` is the spec's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


ERROR_STATUS = {"invalid-event": 400, "unsupported-event-mode": 415}
ERROR_MESSAGE = {
    "invalid-event": "The request is not a valid CloudEvents 1.0 event.",
    "unsupported-event-mode": "CloudEvents batch mode is not accepted.",
}


def rejection_response(exc: EventRejected) -> Response:
    """The spec's JSON error body for an event the binding refused."""
    body = json.dumps({"error": {"code": exc.code, "message": ERROR_MESSAGE[exc.code]}}).encode()
    return Response(ERROR_STATUS[exc.code], [("Content-Type", "application/json")], body)


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _as_string(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_required(attributes: dict[str, str]) -> None:
    missing = [name for name in REQUIRED_ATTRIBUTES if not attributes.get(name)]
    if missing:
        raise EventRejected("invalid-event", f"missing required attribute(s): {', '.join(missing)}")
    if attributes["specversion"] != "1.0":
        raise EventRejected("invalid-event", f"unsupported specversion {attributes['specversion']!r}")


def decode_event(headers: Headers, body: bytes) -> CloudEvent:
    """Read one CloudEvent from an HTTP request in structured or binary content mode."""
    kind = _media_type(headers.get("content-type"))
    if kind == BATCH:
        raise EventRejected("unsupported-event-mode", "batch mode")
    if kind == STRUCTURED:
        try:
            envelope = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise EventRejected("invalid-event", "structured event is not JSON") from exc
        if not isinstance(envelope, dict):
            raise EventRejected("invalid-event", "structured event is not a JSON object")
        if "data" in envelope and "data_base64" in envelope:
            raise EventRejected("invalid-event", "both data and data_base64")
        attributes = {k: _as_string(v) for k, v in envelope.items() if k not in ("data", "data_base64")}
        _check_required(attributes)
        if "data_base64" in envelope:
            try:
                data: object = base64.b64decode(str(envelope["data_base64"]), validate=True)
            except (binascii.Error, ValueError) as exc:
                raise EventRejected("invalid-event", "data_base64 is not base64") from exc
        else:
            data = envelope.get("data")
        return CloudEvent(attributes, data)
    attributes = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower.startswith("ce-"):
            try:
                attributes[lower[3:]] = unquote_to_bytes(value.strip()).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise EventRejected("invalid-event", f"{name} is not percent-encoded UTF-8") from exc
    if headers.get("content-type") is not None:
        attributes["datacontenttype"] = headers["content-type"]
    _check_required(attributes)
    return CloudEvent(attributes, body if body else None)
