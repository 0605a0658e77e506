"""The FaaS spec folder: valid, self-consistent, and in step with the probes and the suite."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from accord.conformance.families.faas import SUITE
from accord.conformance.families.faas.generate import event_strategy, request_strategy
from accord.spec import load_spec
from accord.spec.faas.probes import PROBES

SPEC = load_spec("faas", "1.0")
ROOT = SPEC.root
OPENAPI = yaml.safe_load((ROOT / "openapi.yaml").read_text())
CLOUDEVENT = json.loads((ROOT / "schemas" / "cloudevent.schema.json").read_text())
VALID = {"specversion": "1.0", "id": "1", "source": "urn:x", "type": "t"}


def test_openapi_document_validates() -> None:
    validate(OPENAPI)


@pytest.mark.parametrize("component,file", [("CloudEvent", "cloudevent"), ("BinaryAttributes", "binary-attributes"),
                                            ("ErrorBody", "error")])
def test_openapi_components_are_the_json_schemas(component: str, file: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{file}.schema.json").read_text())
    expected = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    expected = json.loads(json.dumps(expected).replace('"#/$defs/', f'"#/components/schemas/{component}/$defs/'))
    assert OPENAPI["components"]["schemas"][component] == expected


@pytest.mark.parametrize("event", [
    {**VALID, "data": {"a": 1}, "data_base64": "AA=="},   # data together with data_base64
    {**VALID, "MyExt": "x"},                              # upper-case extension name
    {**VALID, "ext": {"nested": True}},                  # object-valued extension
    {**VALID, "ext": 1.5},                                # not an integer
    {**VALID, "specversion": "0.3"},
    {k: v for k, v in VALID.items() if k != "source"},
    {**VALID, "time": "yesterday"},
    {**VALID, "datacontenttype": "application/json; x=\u00e9"},
])
def test_strict_cloudevent_schema_rejects(event: dict) -> None:
    assert not jsonschema.Draft202012Validator(CLOUDEVENT).is_valid(event)


@pytest.mark.parametrize("event", [
    VALID,
    {**VALID, "data": None, "ext1": True, "ext2": -7, "time": "2024-02-29T23:59:60.5+01:00"},
    {**VALID, "data_base64": "AAE=", "datacontenttype": "application/octet-stream"},
])
def test_strict_cloudevent_schema_accepts(event: dict) -> None:
    assert jsonschema.Draft202012Validator(CLOUDEVENT).is_valid(event)


@pytest.mark.parametrize("focus", ["any", "extensions", "percent-encoding", "no-time", "no-datacontenttype", "data-base64"])
def test_generated_events_satisfy_the_schema(focus: str) -> None:
    validator = jsonschema.Draft202012Validator(CLOUDEVENT)

    @settings(max_examples=15, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(event_strategy(str(ROOT), focus))
    def check(event: dict) -> None:
        assert validator.is_valid(event), list(validator.iter_errors(event))
        if focus == "no-time":
            assert "time" not in event
        if focus == "extensions":
            assert set(event) - {"id", "source", "specversion", "type", "datacontenttype", "dataschema",
                                 "subject", "time", "data", "data_base64"}

    check()


def test_generated_inspect_requests_hit_the_edges() -> None:
    seen = {"repeat_lines": False, "interleaved": False, "odd_case": False, "non_ascii_path": False}

    @settings(max_examples=60, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(request_strategy(str(ROOT), "inspect"))
    def collect(request) -> None:
        names = [k for k, _ in request.query]
        seen["interleaved"] |= any(names[i] != names[i + 1] for i in range(len(names) - 1)) and len(set(names)) < len(names)
        seen["repeat_lines"] |= sum(1 for k, _ in request.headers if k.lower() == "x-probe-repeat") > 1
        seen["odd_case"] |= any(k not in ("X-Probe-Token", "X-Probe-Repeat") for k, _ in request.headers)
        seen["non_ascii_path"] |= any(ord(c) > 127 for c in request.subpath)

    collect()
    assert all(seen.values()), seen


DRAFT = load_spec("faas", "draft")
DRAFT_OPENAPI = yaml.safe_load((DRAFT.root / "openapi.yaml").read_text())


def _operations(document: dict) -> dict[str, dict]:
    return {op["operationId"]: op for item in document["paths"].values() for op in item.values()
            if isinstance(op, dict) and "operationId" in op}


@pytest.mark.parametrize("spec,openapi", [(SPEC, OPENAPI), (DRAFT, DRAFT_OPENAPI)], ids=["1.0", "draft"])
def test_every_probe_has_a_document_an_operation_and_an_implementation(spec, openapi) -> None:
    documents = {d.name: d for d in spec.documents_of("faas.probe")}
    operations = _operations(openapi)
    # the kit implements the draft's probes; a released version's probes are a subset of them
    assert set(documents) == set(PROBES) if spec is DRAFT else set(documents) <= set(PROBES)
    for name, doc in documents.items():
        assert doc.data["operation"] in operations
        assert doc.data["function_kind"] == PROBES[name].kind


def test_draft_openapi_validates() -> None:
    validate(DRAFT_OPENAPI)


def test_coroutine_probes_are_the_sync_probes_awaited() -> None:
    """Each async probe is requested exactly like its sync twin, and the async contract selects all of them."""
    operations = _operations(DRAFT_OPENAPI)
    coroutine_probes = {name for name, probe in PROBES.items() if probe.is_async}
    assert coroutine_probes == {"echo-async", "event-echo-async", "sleep-async"}
    for name in coroutine_probes:
        twin = name.removesuffix("-async")
        assert not PROBES[twin].is_async and PROBES[twin].kind == PROBES[name].kind
        same = ("parameters", "requestBody", "responses")
        assert {k: operations[name].get(k) for k in same} == {k: operations[twin].get(k) for k in same}
    contract = DRAFT.document("faas.contract", "async-handlers")
    assert {r.params["operation"] for r in contract.requirements} == coroutine_probes
    assert {r.since for r in contract.requirements} == {"1.1"}
    assert any(r.level == "MUST" for r in contract.requirements)
    assert not {r.id for r in contract.requirements} & {r.id for r in SPEC.requirements}


def test_every_check_kind_is_implemented_and_used() -> None:
    meta = json.loads((ROOT.parents[1] / "meta" / "faas.contract.schema.json").read_text())
    kinds = set(meta["$defs"]["requirement"]["allOf"][1]["properties"]["check"]["enum"])
    used = {r.check for r in load_spec("faas", "draft").requirements}  # the draft holds every version's kinds
    assert kinds == set(SUITE.checks) == used


def test_levels_are_honest_about_what_hosts_disagree_on() -> None:
    levels = {r.id: r.level for r in SPEC.requirements}
    assert len(levels) >= 40
    # recommendations where real hosts legitimately differ, obligations where any host can conform
    for rid in ("faas.http-request.header-lines", "faas.limits.status", "faas.deadlines.status", "faas.errors.body"):
        assert levels[rid] == "SHOULD"
    for rid in ("faas.errors.no-leak", "faas.cloudevents.no-invented-time", "faas.http-request.query-order"):
        assert levels[rid] == "MUST"
