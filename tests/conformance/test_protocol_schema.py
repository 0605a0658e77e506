"""The worker protocol's message classes and its schema cannot drift apart, in either direction.

For every message class of ``accord.conformance.protocol``: the JSON paths it writes equal the
properties its schema definition declares (and the required ones equal its fields without a
default); instances generated from the schema validate, parse and serialise back to something the
schema accepts; instances built from the classes serialise to something the schema accepts. The
enums (error kinds, statuses) equal the schemas' enums.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, ClassVar

import pytest
from accord_testing.schema_bundle import bundle, resolve, schemas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from accord.conformance import protocol
from accord.conformance.protocol import ErrorKind, Message
from accord.conformance.report import Status

PROTOCOL = "urn:accord:meta:worker-protocol"
ENVELOPES = [cls for cls in protocol.MESSAGES]
FAST = settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def definition(name: str) -> dict[str, Any]:
    return resolve(f"#/$defs/{name}", PROTOCOL)[1]


def schema_paths(schema: dict[str, Any], prefix: tuple[str, ...] = ()) -> tuple[set, set]:
    """(every property path, the required ones) of a closed object schema, through closed sub-objects.

    A property whose schema is a closed object (``additionalProperties: false``), inline or by a
    local reference to something that is not a message of its own, is walked into; anything else
    (a payload, a nested message, an open object) is a leaf.
    """
    paths, required = set(), set()
    for key, sub in schema.get("properties", {}).items():
        path = (*prefix, key)
        target = sub
        ref = sub.get("$ref", "") if isinstance(sub, dict) else ""
        if ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            is_message = any(cls.SCHEMA == name for cls in protocol.MESSAGES)
            target = {} if is_message else definition(name)
        if isinstance(target, dict) and target.get("additionalProperties") is False and "properties" in target:
            inner, inner_required = schema_paths(target, path)
            paths |= inner
            if key in schema.get("required", []):
                required |= inner_required
        else:
            paths.add(path)
            if key in schema.get("required", []):
                required.add(path)
    return paths, required


def class_paths(cls: type[Message]) -> tuple[set, set]:
    """(every JSON path of the class, the required ones: constants and fields without a default)."""
    required = {tuple(p.split(".")) for p in cls.CONSTANTS}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.add(f.metadata["path"])
    return cls.paths(), required


def drift(cls: type[Message], schema: dict[str, Any]) -> list[str]:
    """What one side has and the other lacks (empty: they agree)."""
    (s_all, s_req), (c_all, c_req) = schema_paths(schema), class_paths(cls)
    out = [f"only in the schema: {'.'.join(p)}" for p in sorted(s_all - c_all)]
    out += [f"only in {cls.__name__}: {'.'.join(p)}" for p in sorted(c_all - s_all)]
    out += [f"required by the schema only: {'.'.join(p)}" for p in sorted(s_req - c_req)]
    out += [f"required by {cls.__name__} only: {'.'.join(p)}" for p in sorted(c_req - s_req)]
    return out


@pytest.mark.parametrize("cls", ENVELOPES, ids=lambda c: c.__name__)
def test_class_fields_equal_schema_properties(cls: type[Message]) -> None:
    assert drift(cls, definition(cls.SCHEMA)) == []


def test_every_message_of_the_schema_has_a_class() -> None:
    request, response = definition("request"), definition("response")
    named = {branch["$ref"].removeprefix("#/$defs/") for branch in request["oneOf"] + response["oneOf"]}
    assert named == {cls.SCHEMA for cls in (*protocol.REQUESTS.values(), protocol.ResultResponse,
                                             protocol.ErrorResponse)}
    methods = {definition(name)["properties"]["method"]["const"] for name in
               (c.SCHEMA for c in protocol.REQUESTS.values())}
    assert methods == set(protocol.REQUESTS)


def test_a_field_on_one_side_only_is_caught() -> None:
    """The drift check itself: an extra dataclass field, an extra schema property, a new requirement."""
    @dataclasses.dataclass(frozen=True)
    class Wider(protocol.ShutdownRequest):
        SCHEMA: ClassVar[str] = "shutdown-request"
        reason: str | None = protocol.wire("params.reason", default=None)

    schema = definition("shutdown-request")
    assert drift(protocol.ShutdownRequest, schema) == []
    assert drift(Wider, schema) == ["only in Wider: params.reason"]
    wider_schema = json.loads(json.dumps(schema))
    wider_schema["properties"]["deadline"] = {"type": "number"}
    assert drift(protocol.ShutdownRequest, wider_schema) == ["only in the schema: deadline"]
    wider_schema["required"].append("deadline")
    assert "required by the schema only: deadline" in drift(protocol.ShutdownRequest, wider_schema)
    with pytest.raises(protocol.ProtocolError, match="'params' was unexpected"):
        protocol.check("shutdown-request", Wider(1, "bored").to_json())
    with pytest.raises(protocol.ProtocolError, match="unknown field 'deadline'"):
        protocol.ShutdownRequest.from_json({"id": 1, "method": "shutdown", "deadline": 2.0})


# ------------------------------------------------------------------ schema -> class -> schema

# The tensor and pipeline payload schemas are too large for hypothesis-jsonschema: invoke requests are
# generated with FaaS payloads (the payloads have their own tests in test_protocol_payloads.py).
NARROW = {f"{PROTOCOL}#/$defs/invoke-params": bundle("params", base="urn:accord:meta:faas.deploy")}


@pytest.mark.parametrize("cls", ENVELOPES, ids=lambda c: c.__name__)
def test_schema_instances_parse_and_serialise_back(cls: type[Message]) -> None:
    @FAST
    @given(from_schema(bundle(cls.SCHEMA, depth=2, narrow=NARROW)))
    def round_trip(data: dict[str, Any]) -> None:
        protocol.check(cls.SCHEMA, data)  # the generator obeyed the real schema
        message = cls.from_json(data)
        again = message.to_json()
        protocol.check(cls.SCHEMA, again)
        assert cls.from_json(again) == message
        assert json.loads(protocol.encode(message)) == again

    round_trip()


# ------------------------------------------------------------------ class -> schema

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                    max_leaves=6)
IDS = st.integers(min_value=1, max_value=2**40)
ADAPTER = st.fixed_dictionaries({
    "name": st.text(min_size=1, max_size=8), "family": st.sampled_from(["tensor", "pipeline", "faas"]),
    "backend": st.fixed_dictionaries({"package": st.text(max_size=8), "version": st.none() | st.text(max_size=8)}),
    "spec_versions": st.lists(st.sampled_from(["1.0", "1.1"]), min_size=1), "claims": st.lists(st.text(max_size=5)),
    "is_reference": st.booleans()})
BUILT: dict[type[Message], st.SearchStrategy[Message]] = {
    protocol.HelloRequest: st.builds(protocol.HelloRequest, IDS, st.just(protocol.PROTOCOL_VERSION),
                                     st.none() | st.dictionaries(st.text(max_size=5), JSON, max_size=2)),
    protocol.InvokeRequest: st.builds(protocol.InvokeRequest, IDS, st.just("undeploy"), st.just({})),
    protocol.ShutdownRequest: st.builds(protocol.ShutdownRequest, IDS),
    protocol.ErrorBody: st.builds(protocol.ErrorBody, st.sampled_from(ErrorKind), st.text(max_size=20),
                                  st.none() | st.text(min_size=1, max_size=10), st.sampled_from([None, *protocol.ORIGINS])),
    protocol.ResultResponse: st.builds(protocol.ResultResponse, IDS, JSON),
    protocol.HelloResult: st.builds(protocol.HelloResult, st.just(protocol.PROTOCOL_VERSION), ADAPTER,
                                    st.none() | st.just("3.11.7")),
}
BUILT[protocol.ErrorResponse] = st.builds(protocol.ErrorResponse, st.none() | IDS, BUILT[protocol.ErrorBody])


@pytest.mark.parametrize("cls", ENVELOPES, ids=lambda c: c.__name__)
def test_class_instances_serialise_to_the_schema(cls: type[Message]) -> None:
    @FAST
    @given(BUILT[cls])
    def serialise(message: Message) -> None:
        data = json.loads(protocol.encode(message))
        protocol.check(cls.SCHEMA, data)
        assert cls.from_json(data) == message

    serialise()


def test_parse_rejects_what_the_schema_rejects() -> None:
    bad = [
        ({"id": 1, "method": "hello", "params": {}}, "params.protocol"),
        ({"id": 1, "method": "invoke", "params": {"op": "run"}}, "params.args"),
        ({"id": 1, "method": "launch"}, "unknown method"),
        ({"id": 1, "method": "shutdown", "params": {}}, "unknown field 'params'"),
    ]
    for data, expected in bad:
        with pytest.raises(protocol.ProtocolError):
            protocol.check("request", data)
        with pytest.raises(protocol.ProtocolError, match=expected):
            protocol.parse_request(data)
    with pytest.raises(protocol.ProtocolError, match="error.kind"):
        protocol.parse_response({"id": 1, "error": {"kind": "exploded", "message": ""}})
    with pytest.raises(protocol.ProtocolError):
        protocol.check("error-response", {"id": 1, "error": {"kind": "exploded", "message": ""}})


# ------------------------------------------------------------------ the enums


def test_error_kinds_are_the_schemas() -> None:
    assert list(ErrorKind) == definition("error-kind")["enum"]


def test_statuses_are_the_schemas() -> None:
    for name in ("urn:accord:meta:report", "urn:accord:meta:matrix"):
        assert list(Status) == schemas()[name]["$defs"]["status"]["enum"], name


def test_architecture_doc_lists_the_real_error_kinds() -> None:
    text = (protocol.schema_path().parents[2] / "docs" / "architecture.md").read_text()
    section = text[text.index("## Worker protocol"):text.index("## Conformance engine")]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert [line.split("`")[1] for line in rows[: len(ErrorKind)]] == list(ErrorKind)
