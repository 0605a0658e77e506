"""Reading CloudEvents 1.0 from an HTTP request, exactly as spec ``faas.contract:cloudevents`` says.

No CloudEvents SDK: SDK versions disagree on decoding and validation, and this
module is the oracle they are held to. Structured events are validated with the
spec's own JSON Schema (``spec/faas/1.0/schemas/cloudevent.schema.json``).
"""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from urllib.parse import unquote_to_bytes

import jsonschema
from referencing import Registry, Resource

from accord.spec.faas.contract import REQUIRED_ATTRIBUTES, CloudEvent, Headers, attribute_text

SCHEMAS = Path(__file__).resolve().parents[2] / "spec" / "faas" / "1.0" / "schemas"
STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"


class InvalidEvent(ValueError):
    """The request is not a valid CloudEvent (answered 400)."""


class UnsupportedMode(ValueError):
    """The request uses a content mode the contract does not accept: batch (answered 415)."""


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schemas = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.schema.json")}
    reg = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return jsonschema.Draft202012Validator(schemas[name], registry=reg)


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type value, lower-cased, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def read_event(headers: Headers, body: bytes) -> CloudEvent:
    """The CloudEvent a request carries, in structured or binary mode."""
    kind = media_type(headers.get("content-type"))
    if kind == BATCH:
        raise UnsupportedMode("batch mode is not accepted")
    if kind == STRUCTURED:
        return _structured(body)
    return _binary(headers, body)


def _structured(body: bytes) -> CloudEvent:
    try:
        envelope = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidEvent("the structured event is not JSON") from exc
    error = jsonschema.exceptions.best_match(_validator("cloudevent.schema.json").iter_errors(envelope))
    if error is not None:
        raise InvalidEvent(f"invalid structured event: {error.message}")
    attributes = {}
    for name, value in envelope.items():
        if name in ("data", "data_base64"):
            continue
        attributes[name] = attribute_text(value)  # CloudEvents type system → canonical string
    if "data_base64" in envelope:
        data: object = base64.b64decode(envelope["data_base64"], validate=True)
    else:
        data = envelope.get("data")
    return CloudEvent(attributes, data)


def _binary(headers: Headers, body: bytes) -> CloudEvent:
    attributes: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        if not lower.startswith("ce-"):
            continue
        attribute = lower[3:]
        if attribute in attributes:
            raise InvalidEvent(f"attribute {attribute!r} is given twice")
        try:
            attributes[attribute] = unquote_to_bytes(value.strip()).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidEvent(f"ce-{attribute} is not percent-encoded UTF-8") from exc
    if headers.get("content-type") is not None:
        attributes["datacontenttype"] = headers["content-type"]
    missing = [name for name in REQUIRED_ATTRIBUTES if name not in attributes]
    if missing:
        raise InvalidEvent(f"missing required attribute(s): {', '.join(missing)}")
    error = jsonschema.exceptions.best_match(_validator("binary-attributes.schema.json").iter_errors(attributes))
    if error is not None:
        raise InvalidEvent(f"invalid binary-mode attributes: {error.message}")
    return CloudEvent(attributes, body if body else None)
