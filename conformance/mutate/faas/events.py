"""FaaS mutants of event functions: reading CloudEvents 1.0 in binary and structured mode (HTTP binding).

They replace ``host.read_event`` (what the host calls for every event function) or a part of
``accord.reference.faas.cloudevents``. Every description names the bug and quotes the requirement of
``spec/faas/draft/contract/cloudevents.yaml`` it violates.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from accord.conformance.families.faas import events as wire_events
from accord.reference.faas.cloudevents import STRUCTURED, InvalidEvent, UnsupportedMode, media_type
from accord.spec.faas.contract import CloudEvent, Headers

from ..model import Mutant
from .tools import Ref, errors, events, example

KNOWN = ("id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time")
_EVENT = {"specversion": "1.0", "id": "e-1", "source": "urn:accord:mutant", "type": "dev.accord.mutant"}


def _binary(event: dict) -> Any:
    return wire_events.binary(event)


def _structured(event: dict) -> Any:
    return wire_events.structured(event)


def _after(change: Any) -> Any:
    """The event the host read goes through ``change(event, headers, body) -> event``."""
    return events(lambda orig, headers, body: change(orig(headers, body), headers, body))


def _missing_accepted(orig: Any, headers: Headers, body: bytes) -> CloudEvent:
    try:
        return orig(headers, body)
    except InvalidEvent:
        if media_type(headers.get("content-type")) == STRUCTURED:
            raise
        attributes = {k.lower()[3:]: v for k, v in headers.items() if k.lower().startswith("ce-")}
        return CloudEvent(attributes, body or None)


def _unvalidated_structured(orig: Any, headers: Headers, body: bytes) -> CloudEvent:
    if media_type(headers.get("content-type")) != STRUCTURED:
        return orig(headers, body)
    try:
        envelope = json.loads(body)
    except ValueError as exc:
        raise InvalidEvent("not JSON") from exc
    attributes = {k: str(v) for k, v in envelope.items() if k not in ("data", "data_base64")}
    return CloudEvent(attributes, envelope.get("data"))


def _exact_structured_type(ref: Ref) -> dict:
    """Structured mode recognised only by the exact Content-Type 'application/cloudevents+json' (no parameters)."""
    cloudevents = ref.cloudevents

    def read_event(headers: Headers, body: bytes) -> CloudEvent:
        kind = (headers.get("content-type") or "").strip().lower()
        if media_type(kind) == cloudevents.BATCH:
            raise UnsupportedMode("batch mode is not accepted")
        return cloudevents._structured(body) if kind == STRUCTURED else cloudevents._binary(headers, body)
    return {"host.read_event": read_event}


def _any_specversion(orig: Any, headers: Headers, body: bytes) -> CloudEvent:
    try:
        return orig(headers, body)
    except InvalidEvent:
        pairs = [(k, "1.0" if k.lower() == "ce-specversion" else v) for k, v in headers.items()]
        event = orig(Headers(pairs), body)
        event.attributes["specversion"] = headers.get("ce-specversion") or "1.0"
        return event


def _title_case_only(ref: Ref) -> dict:
    """Binary-mode attributes looked up as Ce-<Name> exactly (Go's canonical header form), not case-insensitively."""
    orig = ref.cloudevents._binary

    def binary(headers: Headers, body: bytes) -> CloudEvent:
        canonical = [(k, v) for k, v in headers.items() if not k.lower().startswith("ce-") or k.startswith("Ce-")]
        return orig(Headers(canonical), body)
    return {"cloudevents._binary": binary}


def _not_percent_decoded(ref: Ref) -> dict:
    orig = ref.cloudevents._binary

    def binary(headers: Headers, body: bytes) -> CloudEvent:
        event = orig(headers, body)
        for k, v in headers.items():
            if k.lower().startswith("ce-"):
                event.attributes[k.lower()[3:]] = v.strip()
        return event
    return {"cloudevents._binary": binary}


def _no_content_type(ref: Ref) -> dict:
    orig = ref.cloudevents._binary

    def binary(headers: Headers, body: bytes) -> CloudEvent:
        event = orig(headers, body)
        event.attributes.pop("datacontenttype", None)
        return event
    return {"cloudevents._binary": binary}


def _invent(name: str, value: str) -> Any:
    def change(event: CloudEvent, headers: Headers, body: bytes) -> CloudEvent:
        event.attributes.setdefault(name, value)
        return event
    return _after(change)


def _drop_extensions(event: CloudEvent, headers: Headers, body: bytes) -> CloudEvent:
    return CloudEvent({k: v for k, v in event.attributes.items() if k in KNOWN}, event.data)


def _base64_text(event: CloudEvent, headers: Headers, body: bytes) -> CloudEvent:
    if media_type(headers.get("content-type")) == STRUCTURED:
        envelope = json.loads(body)
        if "data_base64" in envelope:
            return CloudEvent(event.attributes, envelope["data_base64"])
    return event


def _batch_first(orig: Any, headers: Headers, body: bytes) -> CloudEvent:
    try:
        return orig(headers, body)
    except UnsupportedMode:
        first = json.loads(body)[0]
        return orig(Headers([("Content-Type", STRUCTURED)]), json.dumps(first).encode())


def _batch_400(orig: Any, headers: Headers, body: bytes) -> CloudEvent:
    try:
        return orig(headers, body)
    except UnsupportedMode as exc:
        raise InvalidEvent("batch") from exc


def _size_refused(orig: Any, headers: Headers, body: bytes) -> CloudEvent:
    if len(body) > 60_000:
        raise InvalidEvent("event too large")
    return orig(headers, body)


_HTML = b"<html><body>Bad Request</body></html>"

MUTANTS = (
    Mutant("faas.cloudevents.missing-attributes-accepted", "cloudevents",
           "A binary-mode request missing required attributes is delivered anyway; the spec says 'A binary-mode "
           "request missing any of id, source, specversion, type is refused with 400.'",
           events(_missing_accepted), example(_binary({k: v for k, v in _EVENT.items() if k != "type"}))),
    Mutant("faas.cloudevents.structured-unvalidated", "cloudevents",
           "Structured-mode events are not validated against the CloudEvents schema; the spec says 'A "
           "structured-mode event missing any of id, source, specversion, type is refused with 400.'",
           events(_unvalidated_structured), example(_structured({k: v for k, v in _EVENT.items() if k != "id"}))),
    Mutant("faas.cloudevents.structured-with-parameters-as-binary", "cloudevents",
           "Structured mode is recognised only by the exact Content-Type application/cloudevents+json, so "
           "'application/cloudevents+json; charset=UTF-8' (the HTTP binding's own example, §3.2.1) is read as a "
           "binary-mode request and refused; the spec says 'A valid structured-mode event reaches the function "
           "with its required attributes, extensions and data intact.'",
           _exact_structured_type,
           example(_structured(_EVENT).__class__("event-echo", "POST", headers=(
               ("Content-Type", "application/cloudevents+json; charset=UTF-8"),),
               body=json.dumps({**_EVENT, "data": 1}).encode()))),
    Mutant("faas.cloudevents.any-specversion", "cloudevents",
           "Events of any specversion are accepted; the spec says 'An event whose specversion is not 1.0 is "
           "refused with 400.'",
           events(_any_specversion), example(_binary({**_EVENT, "specversion": "0.3"}))),
    Mutant("faas.cloudevents.ce-headers-title-case-only", "cloudevents",
           "Binary-mode attributes are looked up as 'Ce-Id', 'Ce-Source' … exactly (HTTP header names compared "
           "case-sensitively), so lower-case ce-* fields are missed; the spec says 'A valid binary-mode event "
           "reaches the function with its required attributes, extensions and data intact.'",
           _title_case_only, example(_binary(_EVENT))),
    Mutant("faas.cloudevents.not-percent-decoded", "cloudevents",
           "Binary-mode attribute values reach the function still percent-encoded; the spec says 'Binary-mode "
           "attribute values are percent-decoded as UTF-8 (space, quote, percent and non-ASCII travel encoded).'",
           _not_percent_decoded, example(_binary({**_EVENT, "source": "urn:a b"}))),
    Mutant("faas.cloudevents.content-type-not-mapped", "cloudevents",
           "In binary mode the Content-Type header is not mapped to datacontenttype (HTTP binding §3.1.1); the "
           "spec says 'A valid binary-mode event reaches the function with its required attributes, extensions "
           "and data intact.'",
           _no_content_type, example(_binary({**_EVENT, "datacontenttype": "text/plain", "data": "12"}))),
    Mutant("faas.cloudevents.invented-time", "cloudevents",
           "The host stamps events that have no time with the time of arrival; the spec says 'An event sent "
           "without time reaches the function without time (the host does not invent one).'",
           _invent("time", "2024-01-01T00:00:00Z"), example(_binary(_EVENT))),
    Mutant("faas.cloudevents.invented-datacontenttype", "cloudevents",
           "The host writes datacontenttype application/json into events that have none; the spec says (SHOULD) "
           "'An event sent without datacontenttype reaches the function without one (JSON is implied, not "
           "written in).'",
           _invent("datacontenttype", "application/json"), example(_structured({**_EVENT, "data": {"a": 1}}))),
    Mutant("faas.cloudevents.extensions-dropped", "cloudevents",
           "Extension attributes are dropped (only the attributes the core spec names are kept); the spec says "
           "'Extension attributes (ce-<name> fields beyond the known attributes) are passed through to the "
           "function.'",
           _after(_drop_extensions), example(_binary({**_EVENT, "traceparent": "00-1-2-01"}))),
    Mutant("faas.cloudevents.data-base64-undecoded", "cloudevents",
           "A structured event's data_base64 reaches the function as the base64 text; the spec says 'A "
           "structured event's data_base64 reaches the function as the decoded bytes.'",
           _after(_base64_text),
           example(_structured({**_EVENT, "data_base64": base64.b64encode(b"\x00\x01").decode()}))),
    Mutant("faas.cloudevents.batch-first-event", "cloudevents",
           "A batch-mode request is taken as its first event; the spec says 'A batch-mode request is refused with "
           "a 4xx status and the host keeps serving — not a crash, not a 2xx.'",
           events(_batch_first), example(wire_events.batch([_EVENT]))),
    Mutant("faas.cloudevents.batch-400", "cloudevents",
           "A batch-mode request is refused as an invalid event (400); the spec says (SHOULD) 'A batch-mode "
           "request is refused with 415 and the JSON error body.'",
           events(_batch_400), example(wire_events.batch([_EVENT]))),
    Mutant("faas.cloudevents.error-page", "cloudevents",
           "An invalid event is refused with an HTML page; the spec says (SHOULD) 'An invalid event is refused "
           "with the JSON error body (code invalid-event), not an HTML page echoing the request.'",
           errors(lambda code, response: type(response)(400, [("Content-Type", "text/html")], _HTML)
                  if code == "invalid-event" else response),
           example(_binary({k: v for k, v in _EVENT.items() if k != "type"}))),
    Mutant("faas.cloudevents.size-60k-refused", "cloudevents",
           "Events carrying more than 60 000 bytes of data are refused; the spec says (SHOULD) 'A binary-mode "
           "event carrying 60 000–63 000 bytes of JSON data (under 64 KByte on the wire) is accepted'.",
           events(_size_refused), example(_binary({**_EVENT, "data": "x" * 61_000}))),
)
