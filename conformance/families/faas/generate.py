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
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from accord.conformance.families.faas.wire import BODYLESS_METHODS, HttpRequest

KNOWN_ATTRIBUTES = ("id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time")
MUST_ENCODE = (" ", '"', "%", "\x7f", "\u00e9", "\u2713", "\U0001f600")
"""Characters a binary-mode sender must percent-encode (CloudEvents HTTP binding 1.0.2 §3.1.3.2)."""
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
    small = st.binary(max_size=min(limit, 512))
    sizes = [n for n in media.get("x-accord-edge-sizes", ()) if n <= limit]
    if not sizes:
        return small
    # an edge-size body: a generated octet repeated (hypothesis cannot draw 64 KiB at random)
    edge = st.tuples(st.sampled_from(sizes), st.binary(min_size=1, max_size=8)).map(
        lambda t: (t[1] * (t[0] // len(t[1]) + 1))[: t[0]]
    )
    return st.one_of(small, edge)


def request_strategy(spec_root: str, operation_id: str, function: str | None = None) -> st.SearchStrategy[HttpRequest]:
    """Requests for one OpenAPI operation, sent to the probe of the same name."""
    document = openapi(spec_root)
    path, method, op = operation(document, operation_id)
    parameters = [_resolve(document, p) for p in op.get("parameters", ())]
    methods = op.get("x-accord-methods") or [method]

    @st.composite
    def build(draw: st.DrawFn) -> HttpRequest:
        chosen = draw(st.sampled_from(methods))
        subpath, query, headers = "", [], []
        for p in parameters:
            if p["in"] != "path" and not p.get("required") and draw(st.integers(0, 3)) == 0:
                continue  # optional parameters are sent three times in four: repeated keys meet
            value = draw(_value(p))
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
        if len(query) > 1:
            query = list(draw(st.permutations(query)))  # interleave repeated names
        body = b""
        content = op.get("requestBody", {}).get("content", {})
        if "application/octet-stream" in content and chosen not in BODYLESS_METHODS:
            body = draw(_body(content["application/octet-stream"]))
        return HttpRequest(function or operation_id, chosen, subpath, tuple(query), tuple(headers), body)

    return build()


# ---------------------------------------------------------------- CloudEvents


def event_strategy(spec_root: str, focus: str = "any") -> st.SearchStrategy[dict[str, Any]]:
    """Valid structured-mode events (JSON objects) built from the spec's CloudEvent schema, shaped by ``focus``.

    Each attribute comes from its own property schema (generating the whole
    object schema at once is slow under hypothesis-jsonschema's object rules);
    the kit's tests check that every event drawn validates against the full schema.
    """
    schema = json_schema(spec_root, "cloudevent")
    props = schema["properties"]
    required = {name: from_schema(props[name]) for name in ("id", "source", "specversion", "type")}
    optional = {name: from_schema(props[name]) for name in ("datacontenttype", "dataschema", "subject", "time")}
    names = from_schema({"type": "string", "maxLength": 12, **schema["propertyNames"]}).filter(
        lambda n: n not in (*KNOWN_ATTRIBUTES, "data", "data_base64")
    )
    extension_values = from_schema(schema["$defs"]["extension-value"])
    data = st.one_of(
        st.just({}),
        from_schema(props["data"]).map(lambda value: {"data": value}),
        from_schema(props["data_base64"]).map(lambda text: {"data_base64": text}),
    )

    def event(exts: st.SearchStrategy, optional_attributes: dict[str, st.SearchStrategy] = optional,
              payload: st.SearchStrategy = data) -> st.SearchStrategy[dict[str, Any]]:
        return st.tuples(st.fixed_dictionaries(required, optional=optional_attributes), exts, payload).map(
            lambda t: {**t[0], **t[1], **t[2]}
        )

    some_extensions = st.dictionaries(names, extension_values, max_size=3)
    if focus == "any":
        return event(some_extensions)
    if focus == "extensions":
        return event(st.dictionaries(names, extension_values, min_size=1, max_size=3))
    if focus == "percent-encoding":
        # values that must travel percent-encoded in binary mode: each holds one character the
        # CloudEvents HTTP binding (§3.1.3.2) says a sender encodes
        text = from_schema({"type": "string", "maxLength": 6})
        encoded = st.tuples(text, st.sampled_from(MUST_ENCODE), text).map("".join)
        return st.tuples(event(st.dictionaries(names, encoded, min_size=1, max_size=3)), encoded).map(
            lambda t: {**t[0], "source": t[1]}
        )
    if focus == "no-time":
        return event(some_extensions, {k: v for k, v in optional.items() if k != "time"})
    if focus == "no-datacontenttype":
        return event(some_extensions, {k: v for k, v in optional.items() if k != "datacontenttype"})
    if focus == "data-base64":
        return event(some_extensions, payload=st.binary(max_size=64).map(
            lambda raw: {"data_base64": base64.b64encode(raw).decode("ascii")}))
    raise ValueError(f"unknown event focus {focus!r}")
