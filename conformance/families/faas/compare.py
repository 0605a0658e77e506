"""The ``http`` comparison rule: a backend's answer against the reference host's, after the spec's normalisation.

The compare mapping of a requirement (see ``spec/meta/faas.contract.schema.json``)
says which parts count: status, body (bytes or JSON), Content-Type, named
header fields (repeated lines joined or kept), fields of the inspect probe's
answer, parts of the event-echo reply. Everything not named is ignored: hosts
add Date, Server, execution ids and the like, and that is their right.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from accord.conformance.check import Mismatch
from accord.conformance.families.faas.wire import HttpRequest, HttpResponse

KNOWN_ATTRIBUTES = ("id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time")
REQUIRED_ATTRIBUTES = ("id", "source", "specversion", "type")


def media_type(value: str | None) -> str | None:
    """``Text/Plain; Charset=UTF-8`` → ``text/plain;charset=utf-8`` (parameters sorted)."""
    if value is None:
        return None
    kind, *params = [p.strip() for p in value.split(";")]
    params = sorted(p.replace(" ", "").lower() for p in params if p)
    return ";".join([kind.lower(), *params])


def joined(values: list[str]) -> list[str]:
    """Repeated field values as RFC 9110 §5.3 allows a host to combine them: one comma-separated list."""
    return [item.strip() for value in values for item in value.split(",")] if values else []


def _lines(values: list[str], mode: str) -> list[str]:
    return joined(values) if mode == "joined" else list(values)


def _answered(label: str, response: HttpResponse) -> None:
    if response.error is not None:
        raise Mismatch(f"the {label} gave no HTTP answer: {response.error}", actual=response.summary())


def compare(rule: Mapping[str, Any], request: HttpRequest, expected: HttpResponse, actual: HttpResponse) -> None:
    """Raise :class:`Mismatch` when ``actual`` differs from the reference's ``expected`` under ``rule``."""
    _answered("reference host", expected)
    _answered("backend", actual)
    want, got = expected.summary(), actual.summary()

    def fail(message: str) -> None:
        raise Mismatch(message, expected=want, actual=got)

    if rule.get("status", "exact") == "exact" and expected.status != actual.status:
        fail(f"status {actual.status}, expected {expected.status}")

    # the inspect and event-echo answers carry host-specific details (Host port, reply ids): their
    # named fields are compared below, the raw body only when the rule asks for it
    body_rule = rule.get("body", "ignore" if rule.get("inspect") or rule.get("event") else "bytes")
    if body_rule == "bytes" and expected.body != actual.body:
        fail(f"body differs ({len(actual.body)} bytes, expected {len(expected.body)})")
    if body_rule == "json":
        try:
            if json.loads(expected.body) != json.loads(actual.body):
                fail("JSON body differs")
        except ValueError:
            fail("body is not JSON")

    content_type = rule.get("content_type")
    mine, theirs = media_type(expected.header("content-type")), media_type(actual.header("content-type"))
    if content_type == "media-type" and mine != theirs:
        fail(f"Content-Type {theirs!r}, expected {mine!r}")
    if content_type == "absent-if-reference-absent" and mine is None and theirs is not None:
        fail(f"Content-Type {actual.header('content-type')!r} although the function set none")

    mode = rule.get("header_lines", "joined")
    for name in rule.get("headers", ()):
        a, b = _lines(expected.values(name), mode), _lines(actual.values(name), mode)
        if a != b:
            fail(f"header {name}: {b!r}, expected {a!r} (repeated lines {mode})")

    if rule.get("inspect"):
        _compare_inspect(rule["inspect"], mode, request, expected, actual, fail)
    if rule.get("event"):
        compare_event(rule["event"], expected, actual, fail)


def _json(response: HttpResponse, fail: Any) -> Any:
    try:
        return json.loads(response.body)
    except ValueError:
        fail(f"status {response.status}: the answer is not JSON")


def _compare_inspect(fields: Any, mode: str, request: HttpRequest, expected: HttpResponse,
                     actual: HttpResponse, fail: Any) -> None:
    if actual.status != 200:
        fail(f"status {actual.status}: the inspect probe did not answer")
    ref, got = _json(expected, fail), _json(actual, fail)
    for field in fields:
        if field == "headers":
            sent = {name.lower() for name, _ in request.headers}
            for name in sorted(sent):
                a = _lines([v for k, v in ref["headers"] if k == name], mode)
                b = _lines([v for k, v in got["headers"] if k.lower() == name], mode)
                if a != b:
                    fail(f"the handler saw header {name} as {b!r}, expected {a!r} (repeated lines {mode})")
        elif ref.get(field) != got.get(field):
            fail(f"the handler saw {field} = {got.get(field)!r}, expected {ref.get(field)!r}")


def _jsonish(content_type: str | None) -> bool:
    kind = (media_type(content_type) or "application/json").split(";")[0]
    return kind == "application/json" or kind.endswith("+json")


def _data(description: Mapping[str, Any], content_type: str | None) -> tuple[str, Any]:
    """Event data normalised: bytes that are the JSON text of a value equal that value under a JSON type."""
    kind = description.get("kind")
    if kind == "none":
        return ("none", None)
    if kind == "json":
        return ("json", description.get("value"))
    raw = base64.b64decode(description.get("base64", ""))
    if _jsonish(content_type):
        try:
            return ("json", json.loads(raw))
        except ValueError:
            pass
    return ("bytes", raw)


def compare_event(parts: Any, expected: HttpResponse, actual: HttpResponse, fail: Any) -> None:
    """Compare the event-echo replies: what the function received, part by part."""
    if expected.status != actual.status:
        fail(f"status {actual.status}, expected {expected.status}")
    if expected.status != 200:
        return
    ref, got = _json(expected, fail), _json(actual, fail)
    if not isinstance(got, dict) or "attributes" not in got:
        fail("the reply does not describe a received event")
    a, b = ref["attributes"], got["attributes"]
    for part in parts:
        if part == "required":
            for name in REQUIRED_ATTRIBUTES:
                if a.get(name) != b.get(name):
                    fail(f"attribute {name} arrived as {b.get(name)!r}, sent {a.get(name)!r}")
        elif part == "extensions":
            ext_a = {k: v for k, v in a.items() if k not in KNOWN_ATTRIBUTES}
            ext_b = {k: v for k, v in b.items() if k not in KNOWN_ATTRIBUTES}
            if ext_a != ext_b:
                fail(f"extension attributes arrived as {ext_b!r}, sent {ext_a!r}")
        elif part in ("time", "datacontenttype"):
            if a.get(part) != b.get(part):
                shown = "absent" if part not in a else repr(a[part])
                fail(f"attribute {part} arrived as {b.get(part)!r}, sent {shown}")
        elif part == "data":
            da = _data(ref["data"], a.get("datacontenttype"))
            db = _data(got.get("data", {}), b.get("datacontenttype"))
            if da != db:
                fail(f"data arrived as {db!r}, sent {da!r}")
