"""Putting a generated CloudEvent on the wire in structured, binary or batch mode (no CloudEvents SDK)."""

from __future__ import annotations

import base64
import json
from typing import Any

from accord.conformance.families.faas.wire import HttpRequest
from accord.spec.faas.contract import attribute_text, percent_encode_ce

STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
# how a structured event's Content-Type is written: bare, and with the charset parameter of the HTTP binding's own
# example (§3.2.1) - a host must read the media type, not compare the whole header value
STRUCTURED_TYPES = (STRUCTURED, "application/cloudevents+json; charset=UTF-8")


def _jsonish(content_type: str | None) -> bool:
    kind = (content_type or "application/json").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def structured(event: dict[str, Any], function: str = "event-echo", content_type: str = STRUCTURED) -> HttpRequest:
    body = json.dumps(event, ensure_ascii=False).encode("utf-8")
    return HttpRequest(function, "POST", headers=(("Content-Type", content_type),), body=body)


def batch(events: list[dict[str, Any]], function: str = "event-echo") -> HttpRequest:
    body = json.dumps(events, ensure_ascii=False).encode("utf-8")
    return HttpRequest(function, "POST", headers=(("Content-Type", BATCH),), body=body)


def binary(event: dict[str, Any], function: str = "event-echo") -> HttpRequest:
    """The same event in binary mode: ce-* fields percent-encoded, datacontenttype as Content-Type, data as body."""
    headers = []
    for name, value in event.items():
        if name in ("data", "data_base64", "datacontenttype"):
            continue
        headers.append((f"ce-{name}", percent_encode_ce(attribute_text(value))))
    content_type = event.get("datacontenttype")
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    if "data_base64" in event:
        body = base64.b64decode(event["data_base64"])
    elif "data" in event:
        data = event["data"]
        if isinstance(data, str) and not _jsonish(content_type):
            body = data.encode("utf-8")  # JSON format §3.1: a string under a non-JSON type is the data itself
        else:
            body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    else:
        body = b""
    return HttpRequest(function, "POST", headers=tuple(headers), body=body)


def encode(event: dict[str, Any], mode: str, function: str = "event-echo",
           content_type: str = STRUCTURED) -> HttpRequest:
    """``event`` in binary or structured mode (``content_type``: the structured one), addressed to ``function``."""
    return binary(event, function) if mode == "binary" else structured(event, function, content_type)
