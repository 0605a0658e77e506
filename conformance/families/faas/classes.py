"""Input classes of FaaS requests: which kind of unusual input an example carries, field by field.

A FaaS property names the class of each example (``Property.classify``), so the
core, after a failure, keeps exploring the other classes and reports each
failing class as its own case: a host that 404s a newline sub-path is still
searched for what it does to astral or percent-escaped ones. A class is read
from the request that was sent (the shrunk example's class is the class of what
really failed), and within a field the most unusual feature present names it,
in the order the tables below list them.

The alphabets of the classes live here too, so the generators that aim at a
class (``generate``) and the classifier agree on what belongs to it.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import unquote_to_bytes

from accord.conformance.families.faas.wire import HttpRequest
from accord.spec.faas.contract import percent_encode_ce

PLAIN = string.ascii_letters + string.digits
"""Characters every host passes through unchanged in a path, query, header value or attribute."""

UNRESERVED = PLAIN + "-._~"
"""RFC 3986 unreserved: sent as they are, never percent-encoded."""

PATH_CHARACTERS: dict[str, str] = {
    "path:newline": "\n",
    "path:control": "\x00\x01\x09\r\x1b\x7f\x85",
    "path:astral": "\U0001f600\U00010348\U0010fffd",
    "path:non-ascii": "\u00e9\u00a0\u2713\u4e16\ufeff",
    "path:percent-escape": " \"<>\\^`{|}!$&'()*+,;=:@",
}
"""Characters that put a sub-path in its class, most unusual first (``path:plain`` holds none of them)."""

CE_CHARACTERS: dict[str, str] = {
    "attr:astral": "\U0001f600\U0010fb11",
    "attr:non-ascii": "\u00e9\u00ac\u2713",
    "attr:ascii-escape": ' "%\x7f',
}
"""Characters a binary-mode sender percent-encodes (CloudEvents HTTP binding §3.1.3.2), by class."""

LEAP_SECOND = re.compile(r"([Tt]\d\d:\d\d:)60")
"""A ``time`` attribute at a leap second: valid RFC 3339, refused by datetime-based SDKs."""


def _first(text: str, table: dict[str, str], default: str) -> str:
    for name, characters in table.items():
        if any(c in characters or _belongs(name, c) for c in text):
            return name
    return default


def _belongs(name: str, c: str) -> bool:
    """Class membership by code point range, for characters the tables do not list."""
    o = ord(c)
    if name.endswith(":newline"):
        return c == "\n"
    if name.endswith(":control"):
        return o < 0x20 or 0x7F <= o < 0xA0
    if name.endswith(":astral"):
        return o > 0xFFFF
    if name.endswith(":non-ascii"):
        return o > 0x7F
    if name == "path:percent-escape":
        return c not in UNRESERVED
    if name == "attr:ascii-escape":
        return percent_encode_ce(c) != c
    return False


def path_class(subpath: str) -> str:
    if subpath.strip(".") == "" and subpath:
        return "path:dot-segment"  # "." and ".." are resolved away by URL normalisation
    return _first(subpath, PATH_CHARACTERS, "path:plain")


def query_class(query: Collection[tuple[str, str]]) -> str:
    """Order first (what the query requirement is about), then the characters of names and values."""
    if not query:
        return "query:none"
    names = [k for k, _ in query]
    if any(names[i] != names[i + 1] and names[i] in names[i + 2:] for i in range(len(names) - 1)):
        return "query:interleaved"
    if len(set(names)) < len(names):
        return "query:repeated"
    text = "".join(k + v for k, v in query)
    if any(o < 0x20 or 0x7F <= o < 0xA0 for o in map(ord, text)):
        return "query:control"
    if any(ord(c) > 0x7F for c in text):
        return "query:non-ascii"
    if any(c in "&=+;#% " for c in text):
        return "query:reserved"
    if any(v == "" for _, v in query):
        return "query:empty-value"
    return "query:plain"


def header_class(headers: Collection[tuple[str, str]]) -> str:
    probe = [(k, v) for k, v in headers if k.lower().startswith("x-probe-")]
    if not probe:
        return "header:none"
    names = [k.lower() for k, _ in probe]
    if len(set(names)) < len(names):
        return "header:repeated"
    if any(c not in UNRESERVED for _, v in probe for c in v):
        return "header:symbol-value"
    if any(k not in (k.lower(), k.title()) for k, _ in probe):
        return "header:odd-casing"
    return "header:plain"


def body_class(body: bytes) -> str:
    if not body:
        return "body:empty"
    if len(body) > 4096:
        return "body:large"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body:non-utf8"
    return "body:plain" if text.isascii() else "body:utf8"


FIELD_CLASSES: dict[str, Callable[[HttpRequest], str]] = {
    "method": lambda r: f"method:{r.method}",
    "path": lambda r: path_class(r.subpath),
    "query": lambda r: query_class(r.query),
    "headers": lambda r: header_class(r.headers),
    "body": lambda r: body_class(r.body),
}
"""The request fields a requirement can vary, each with its classifier (see ``generate.varied_fields``)."""


def request_classifier(varied: Collection[str], present: Collection[str]) -> Callable[[HttpRequest], str] | None:
    """The classifier of a requirement varying ``varied`` on an operation that has the fields ``present``.

    Only varied fields the operation really has count; with several, the first that is not plain names
    the class (``path:newline`` before ``body:empty``), so one class stands for one unusual feature.
    """
    fields = [f for f in FIELD_CLASSES if f in varied and f in present]
    if not fields:
        return None

    def classify(request: HttpRequest) -> str:
        classes = [FIELD_CLASSES[f](request) for f in fields]
        unusual = [c for c in classes if not c.endswith((":plain", ":none"))]
        return (unusual or classes)[0]

    return classify


# ---------------------------------------------------------------- CloudEvents


def _event_parts(request: HttpRequest) -> tuple[dict[str, Any], str, bool]:
    """(attributes as sent, before encoding; data class; binary mode) of an event request."""
    content_type = next((v for k, v in request.headers if k.lower() == "content-type"), None)
    if content_type is not None and "cloudevents+json" in content_type:
        event = json.loads(request.body)
        attributes = {k: v for k, v in event.items() if k not in ("data", "data_base64")}
        if "data_base64" in event:
            kind = "data:empty" if event["data_base64"] == "" else "data:bytes"
        else:
            kind = "data:json" if "data" in event else "data:none"
        return attributes, kind, False
    attributes = {k.lower()[3:]: unquote_to_bytes(v).decode("utf-8", "replace")
                  for k, v in request.headers if k.lower().startswith("ce-")}
    kind = (content_type or "application/json").split(";")[0].strip().lower()
    jsonish = kind == "application/json" or kind.endswith("+json")
    return attributes, "data:none" if not request.body else "data:json" if jsonish else "data:bytes", True


def event_classifier(focus: str, mode: str) -> Callable[[HttpRequest], str]:
    """The classifier of an event requirement: the classes of what its focus varies.

    ``percent-encoding`` varies the encoding class of attribute values; ``any`` varies leap-second times
    and, in structured mode, attribute values (non-ASCII, astral) and typed extension values, and data;
    the other foci vary data (an empty data_base64 is ``data-base64``'s edge).
    """

    def classify(request: HttpRequest) -> str:
        attributes, data, binary = _event_parts(request)
        if focus == "any" and LEAP_SECOND.search(str(attributes.get("time", ""))):
            return "time:leap-second"
        if focus == "percent-encoding" or (focus == "any" and not binary):
            text = "".join(v for v in attributes.values() if isinstance(v, str))
            # space, quote and percent are unusual only where they travel percent-encoded: ce-* header fields
            table = CE_CHARACTERS if binary else {k: v for k, v in CE_CHARACTERS.items() if k != "attr:ascii-escape"}
            found = _first(text, table, "")
            if found or focus == "percent-encoding":
                return found or "attr:plain"
            if any(isinstance(v, bool | int) for v in attributes.values()):
                return "ext:typed"
        return data

    return classify
