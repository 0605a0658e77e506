"""Hypothesis strategies read from the spec: HTTP requests from ``openapi.yaml``, events from the CloudEvent schema.

Parameter and body schemas become strategies through hypothesis-jsonschema;
the OpenAPI document's ``examples`` and Accord's ``x-accord-*`` extensions bias
them to the edges the spec names (repeated keys interleaved, repeated header
lines, odd header-name casing, empty / edge-size / non-UTF-8 bodies, unicode
sub-paths).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from accord.conformance.families.faas.classes import CE_CHARACTERS, PATH_CHARACTERS, PLAIN
from accord.conformance.families.faas.wire import BODYLESS_METHODS, HttpRequest
from accord.spec.faas.contract import percent_encode_ce

KNOWN_ATTRIBUTES = ("id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time")
CASINGS = (str.lower, str.upper, str.title, str.swapcase, lambda s: s)


@cache
def openapi(spec_root: str) -> dict[str, Any]:
    return yaml.safe_load((Path(spec_root) / "openapi.yaml").read_text(encoding="utf-8"))


@cache
def json_schema(spec_root: str, name: str) -> dict[str, Any]:
    return json.loads((Path(spec_root) / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def operation(document: dict[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any]]:
    """``(path, method, operation)`` of an operationId."""
    for path, item in document["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return path, method.upper(), op
    raise LookupError(f"openapi.yaml has no operation {operation_id!r}")


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _value(parameter: dict[str, Any]) -> st.SearchStrategy:
    """A parameter's values: its examples, or anything its schema allows."""
    strategy = from_schema(parameter["schema"])
    examples = [e["value"] for e in parameter.get("examples", {}).values()]
    return st.one_of(st.sampled_from(examples), strategy) if examples else strategy


def _body(media: dict[str, Any]) -> st.SearchStrategy[bytes]:
    limit = int(media.get("schema", {}).get("maxLength", 512))
    # octets at random (mostly not UTF-8), and text (ASCII or not): each body class is drawn often
    small = st.one_of(st.binary(max_size=min(limit, 512)),
                      st.text(max_size=min(limit, 512) // 4).map(lambda t: t.encode("utf-8")))
    sizes = [n for n in media.get("x-accord-edge-sizes", ()) if n <= limit]
    if not sizes:
        return small
    # an edge-size body: a generated octet repeated (hypothesis cannot draw 64 KiB at random)
    edge = st.tuples(st.sampled_from(sizes), st.binary(min_size=1, max_size=8)).map(
        lambda t: (t[1] * (t[0] // len(t[1]) + 1))[: t[0]]
    )
    return st.one_of(small, edge)


ASPECTS = ("method", "path", "query", "headers", "body")
"""The request fields a requirement can vary (see :func:`varied_fields`)."""

PARAMETER_FIELD = {"path": "path", "query": "query", "header": "headers"}


def varied_fields(rule: Mapping[str, Any]) -> frozenset[str]:
    """Which request fields a requirement varies; every other field is sent plain.

    A requirement on the inspect probe (``compare.inspect``) is about the fields it compares and varies
    exactly those: ``faas.http-request.method`` draws methods with a plain sub-path, plain query, ordinary
    header fields and a plain body; ``.path`` draws hostile sub-paths (newlines, percent-escapes, astral
    characters) with everything else plain; and so on. A requirement judged on the answer itself (echo,
    status, large …) varies the operation's method, path, query and body — that is what its answer depends
    on — and sends header fields plain: their casing, repetition and odd values belong to the header
    requirements. So a host that mishandles one kind of input fails the requirement about that input only.
    """
    inspected = rule.get("inspect")
    if inspected:
        return frozenset(inspected)
    return frozenset(ASPECTS) - {"headers"}


def operation_fields(spec_root: str, operation_id: str) -> frozenset[str]:
    """The request fields an operation's requests carry (method only if the generator picks among several)."""
    document = openapi(spec_root)
    _, _, op = operation(document, operation_id)
    fields = {PARAMETER_FIELD[_resolve(document, p)["in"]] for p in op.get("parameters", ())}
    if "application/octet-stream" in op.get("requestBody", {}).get("content", {}):
        fields.add("body")
    if len(op.get("x-accord-methods") or ()) > 1:
        fields.add("method")
    return frozenset(fields)


def _plain_text(min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[str]:
    return st.text(alphabet=PLAIN, min_size=min_size, max_size=max_size)


def _aimed_path(schema: Mapping[str, Any], spec_values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Sub-paths from the spec or aimed at one path class, the source picked uniformly per example.

    Each class is then drawn in about one example of nine, and still after the core has excluded the
    classes that already failed; schema strings alone are mostly control and non-ASCII characters.
    """
    limit = int(schema.get("maxLength", 12))
    around = _plain_text(0, max(0, (limit - 1) // 2))
    sources = {"spec": spec_values, "path:plain": _plain_text(1, limit),
               "path:dot-segment": st.sampled_from([".", ".."]),
               **{name: st.tuples(around, st.sampled_from(chars), around).map("".join)
                  for name, chars in PATH_CHARACTERS.items()}}
    return st.sampled_from(list(sources)).flatmap(sources.__getitem__)


def _varied_value(parameter: dict[str, Any]) -> st.SearchStrategy:
    """A varied parameter's values: its examples, anything its schema allows, and values aimed at each class.

    Schema strings are mostly control and non-ASCII characters; the aimed values (a sub-path per path
    class, query items of letters and digits) keep every class drawn often, also after the core has
    excluded the classes that already failed.
    """
    strategy = _value(parameter)
    schema = parameter["schema"]
    if parameter["in"] == "path":
        strategy = _aimed_path(schema, strategy)
    elif parameter["in"] == "query" and schema.get("type") == "array":
        size = {"min_size": int(schema.get("minItems", 0)), "max_size": int(schema.get("maxItems", 4))}
        strategy = st.one_of(strategy, st.lists(_plain_text(0, int(schema["items"].get("maxLength", 6))), **size))
    return strategy


PLAIN_BODY = b"plain body 1"


def _plain_value(parameter: dict[str, Any]) -> str:
    """The fixed plain value of a parameter the requirement does not vary.

    Its ``plain`` example if the spec gives one, else letters and digits (the minimum if numeric). Fixed,
    not drawn: fields that do not vary give hypothesis nothing to mutate, so the varied field's classes
    are spread over the examples instead of repeated in runs.
    """
    examples = parameter.get("examples", {})
    if "plain" in examples:
        return str(examples["plain"]["value"])
    schema = parameter["schema"]
    kind = schema.get("items", schema).get("type") if schema.get("type") == "array" else schema.get("type")
    if kind == "integer":
        return str(schema.get("minimum", 0))
    return "v1" if parameter["in"] == "query" else "a1"


def request_strategy(spec_root: str, operation_id: str, function: str | None = None,
                     vary: Collection[str] = ASPECTS) -> st.SearchStrategy[HttpRequest]:
    """Requests for one OpenAPI operation, sent to the probe of the same name.

    Fields in ``vary`` come from the spec (schemas, examples, Accord's edge extensions) and aim at the
    unusual; the others are plain: the operation's own method, a sub-path and query values of ASCII letters
    and digits, each header field once in the spec's casing with such a value, a short non-empty ASCII body.
    """
    document = openapi(spec_root)
    path, method, op = operation(document, operation_id)
    parameters = [_resolve(document, p) for p in op.get("parameters", ())]
    methods = (op.get("x-accord-methods") or [method]) if "method" in vary else [method]

    @st.composite
    def build(draw: st.DrawFn) -> HttpRequest:
        chosen = draw(st.sampled_from(methods))
        subpath, query, headers = "", [], []
        for p in parameters:
            if PARAMETER_FIELD[p["in"]] not in vary:
                value = _plain_value(p)  # sent once, as the spec writes it: nothing unusual
                if p["in"] == "path":
                    subpath = value
                elif p["in"] == "query":
                    query.append((p["name"], value))
                else:
                    headers.append((p["name"], value))
                continue
            if p["in"] != "path" and not p.get("required") and (
                    draw(st.booleans()) if p["in"] == "header" else draw(st.integers(0, 3)) == 0):
                continue  # optional query parameters are sent three times in four (repeated keys meet), headers half
            value = draw(_varied_value(p))
            if p["in"] == "path":
                subpath = str(value)
            elif p["in"] == "query":
                values = value if isinstance(value, list) else [value]
                query += [(p["name"], str(v)) for v in values]
            elif p["in"] == "header":
                casing = draw(st.sampled_from(CASINGS))
                if isinstance(value, list) and p.get("x-accord-repeat"):
                    headers += [(casing(p["name"]), str(v)) for v in value]
                else:
                    headers.append((casing(p["name"]), ",".join(map(str, value)) if isinstance(value, list) else str(value)))
        if len(query) > 1 and "query" in vary:
            query = list(draw(st.permutations(query)))  # interleave repeated names
        body = b""
        content = op.get("requestBody", {}).get("content", {})
        if "application/octet-stream" in content and chosen not in BODYLESS_METHODS:
            if "body" in vary:
                body = draw(_body(content["application/octet-stream"]))
            else:
                body = PLAIN_BODY
        return HttpRequest(function or operation_id, chosen, subpath, tuple(query), tuple(headers), body)

    return build()


# ---------------------------------------------------------------- CloudEvents


def _unencoded(value: Any) -> Any:
    """A string attribute value with every character the binary binding percent-encodes replaced by ``x``."""
    if isinstance(value, str):
        return "".join(c if percent_encode_ce(c) == c else "x" for c in value)
    return value


def _timestamps(leap_seconds: bool) -> st.SearchStrategy[str]:
    """RFC 3339 timestamps of real dates (the schema's pattern alone also admits February 31 and year 0000,
    which no CloudEvent carries); with ``leap_seconds``, sometimes at a leap second (``…:60``, valid RFC 3339)."""
    moments = st.datetimes(datetime(1970, 1, 1), datetime(2099, 12, 31))
    text = st.tuples(moments, st.booleans()).map(
        lambda t: t[0].strftime("%Y-%m-%dT%H:%M:%S") + (f".{t[0].microsecond:06d}" if t[1] else "") + "Z")
    if not leap_seconds:
        return text
    return st.one_of(text, text.map(lambda value: value[:17] + "60" + value[19:]))


#: body bytes of a ``size-64k`` event (a JSON object in binary mode), with well under 1 KB of header fields
SIZE_64K = (60_000, 63_000)


def event_strategy(spec_root: str, focus: str = "any", mode: str = "structured") -> st.SearchStrategy[dict[str, Any]]:
    """Valid events (JSON objects) built from the spec's CloudEvent schema, shaped by ``focus``, for ``mode``.

    Each attribute comes from its own property schema (generating the whole
    object schema at once is slow under hypothesis-jsonschema's object rules);
    the kit's tests check that every event drawn validates against the full schema.

    What each focus varies (and what it leaves plain): ``any`` in structured mode draws attribute values
    from their schemas (any Unicode), data as JSON, as non-empty data_base64 or absent; ``any`` and
    ``extensions`` in binary mode draw attribute values that travel unencoded (no space, quote, percent,
    nothing outside printable ASCII), because percent-decoding is ``percent-encoding``'s aspect alone;
    ``percent-encoding`` puts one character of one encoding class (ASCII escape, non-ASCII, astral) in
    every extension value and the source; ``data-base64`` draws any octets, the empty string included;
    ``no-time`` and ``no-datacontenttype`` draw unencoded attribute values and leave their attribute out.
    ``time`` is a real date; a leap-second ``time`` (``…:60``, valid RFC 3339) is sent only by ``any`` events.
    ``size-64k`` draws plain required attributes and a JSON object of ``SIZE_64K`` bytes: the event stays under
    64 KByte on the wire, the size CloudEvents says consumers should accept.
    """
    schema = json_schema(spec_root, "cloudevent")
    props = schema["properties"]
    hostile_values = focus == "any" and mode == "structured"

    def attribute(name: str) -> st.SearchStrategy:
        strategy = from_schema(props[name])
        if name == "time":
            return _timestamps(leap_seconds=focus == "any")
        if hostile_values or name == "datacontenttype":
            return strategy
        return strategy.map(_unencoded)

    required = {name: attribute(name) for name in ("id", "source", "specversion", "type")}
    optional = {name: attribute(name) for name in ("datacontenttype", "dataschema", "subject", "time")}
    names = from_schema({"type": "string", "maxLength": 12, **schema["propertyNames"]}).filter(
        lambda n: n not in (*KNOWN_ATTRIBUTES, "data", "data_base64")
    )
    extension_values = from_schema(schema["$defs"]["extension-value"])
    if not hostile_values:
        extension_values = extension_values.map(_unencoded)
    data = st.one_of(
        st.just({}),
        from_schema(props["data"]).map(lambda value: {"data": value}),
        # empty data_base64 is data-base64's own edge
        from_schema(props["data_base64"]).filter(bool).map(lambda text: {"data_base64": text}),
    )

    def event(exts: st.SearchStrategy, optional_attributes: dict[str, st.SearchStrategy] = optional,
              payload: st.SearchStrategy = data) -> st.SearchStrategy[dict[str, Any]]:
        return st.tuples(st.fixed_dictionaries(required, optional=optional_attributes), exts, payload).map(
            lambda t: {**t[0], **t[1], **t[2]}
        )

    some_extensions = st.dictionaries(names, extension_values, max_size=3)
    if focus == "any" and hostile_values:
        # schema strings are mostly astral: unencoded ones half the time keep every other class drawn
        return st.one_of(event(some_extensions), event(some_extensions).map(
            lambda e: {k: v if k == "datacontenttype" or k.startswith("data") else _unencoded(v) for k, v in e.items()}))
    if focus == "any":
        return event(some_extensions)
    if focus == "extensions":
        return event(st.dictionaries(names, extension_values, min_size=1, max_size=3))
    if focus == "percent-encoding":
        # values that must travel percent-encoded in binary mode: one encoding class per event, its
        # characters in every extension value and the source (CloudEvents HTTP binding §3.1.3.2)
        @st.composite
        def encoded_event(draw: st.DrawFn) -> dict[str, Any]:
            characters = draw(st.sampled_from(list(CE_CHARACTERS.values())))
            encoded = st.tuples(_plain_text(0, 4), st.sampled_from(characters), _plain_text(0, 4)).map("".join)
            base = draw(event(st.dictionaries(names, encoded, min_size=1, max_size=3)))
            return {**base, "source": draw(encoded)}

        return encoded_event()
    if focus == "no-time":
        return event(some_extensions, {k: v for k, v in optional.items() if k != "time"})
    if focus == "no-datacontenttype":
        return event(some_extensions, {k: v for k, v in optional.items() if k != "datacontenttype"})
    if focus == "data-base64":
        return event(some_extensions, payload=st.binary(max_size=64).map(
            lambda raw: {"data_base64": base64.b64encode(raw).decode("ascii")}))
    if focus == "size-64k":  # "Consumers SHOULD accept events of a size of at least 64 KByte": data near it, under it on the wire
        sized = st.tuples(_plain_text(1, 16), st.integers(SIZE_64K[0], SIZE_64K[1]))
        # a JSON object holding plain text: the data kind every host handles, so only the size is judged
        return event(st.just({}), {}, payload=sized.map(
            lambda t: {"datacontenttype": "application/json",
                       "data": {"text": (t[0] * (t[1] // len(t[0]) + 1))[: t[1] - 12]}}))
    raise ValueError(f"unknown event focus {focus!r}")
