"""The pipeline spec is consistent with the graph format, the registry and the suite."""

from __future__ import annotations

import pytest
from accord_testing.schema_bundle import deref, schemas

from accord.conformance.families.pipeline import SUITE
from accord.spec.loader import load_spec
from accord.spec.model import thaw
from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import (
    FORMAT,
    TRANSFORMS,
    GraphError,
    canonical,
    decode_value,
    encode_value,
    validate_graph,
)

SPEC = load_spec("pipeline", "1.2")  # the latest released version


def test_every_check_kind_has_a_check_and_back() -> None:
    used = {r.check for r in SPEC.requirements}
    assert used == set(SUITE.checks)


def test_every_graph_transform_is_documented() -> None:
    documented = {d.data["graph_name"] for d in SPEC.documents_of("pipeline.transform")}
    assert documented | {"test_stream"} == set(TRANSFORMS)
    assert any(d.name == "test_stream" for d in SPEC.documents_of("pipeline.streaming"))


def test_combine_fn_documents_match_the_registry() -> None:
    docs = {d.name: d for d in SPEC.documents_of("pipeline.combine_fn")}
    assert set(docs) == set(functions.names("combine"))
    for name, doc in docs.items():
        params = {p["name"]: 1 for p in doc.data.get("parameters", ())}
        fn = functions.bind({"name": name, "params": params} if params else {"name": name}, "combine")
        documented = decode_value(thaw(doc.data["empty_result"]))
        assert canonical(documented) == canonical(fn.apply([])), name  # the value, under the key rule (NaN == NaN)
        assert thaw(doc.data["empty_result"]) == encode_value(fn.apply([])), name  # and its wire encoding


def test_capabilities_have_sections_and_requirements() -> None:
    used = {r.capability for r in SPEC.requirements}
    for capability in SPEC.capabilities:
        assert capability.section in ("What is computed", "Where in event time", "When in processing time",
                                      "How refinements relate")
        assert capability.id in used, capability.id


def test_streaming_requirements_are_may_and_transcripts() -> None:
    for requirement in SPEC.requirements:
        if requirement.check == "transcript":
            assert requirement.level == "MAY" and requirement.feature == "streaming"


def test_draft_is_the_released_version_plus_its_manifest() -> None:
    draft = load_spec("pipeline", "draft")
    assert (draft.version, draft.status) == ("1.3", "draft")
    assert [r.to_json() for r in draft.requirements] == [r.to_json() for r in SPEC.requirements]


def test_1_2_is_1_1_plus_conditions_and_two_experimental_requirements() -> None:
    """Each requirement's conditions (its strata), which 1.1 does not list, and what accord mutate added
    (docs/architecture.md, "The pipeline and FaaS sets"): two experimental requirements and two summaries
    that now name the conditions they list."""
    previous = load_spec("pipeline", "1.1")
    added = {"pipeline.top_per_key.ties", "pipeline.side_inputs.iter_duplicates"}
    reworded = {"pipeline.count_per_key.values", "pipeline.flat_map.values"}

    def unlisted(r: object) -> dict:
        return {k: v for k, v in r.to_json().items()
                if k != "conditions" and not (k == "summary" and r.id in reworded)}
    assert [unlisted(r) for r in SPEC.requirements if r.id not in added] == \
        [unlisted(r) for r in previous.requirements]
    assert all(SPEC.requirement(rid).stability == "experimental" for rid in added)
    assert all(r.conditions is not None for r in SPEC.requirements)


def test_1_1_keeps_every_1_0_requirement() -> None:
    old = {r.id: r.to_json() for r in load_spec("pipeline", "1.0").requirements}
    new = {r.id: r.to_json() for r in load_spec("pipeline", "1.1").requirements}
    assert all(new[rid] == req for rid, req in old.items())
    assert {new[rid]["level"] for rid in set(new) - set(old)} == {"MAY"}


# The transform documents spell parameter types for readers; the graph module and the graph schema in
# their own vocabularies. One table translates, and the three must agree name by name, type by type.
DOC_TYPES = {"int": "int", "bool": "bool", "str": "str", "object": "object", "list of str": "list[str]",
             "list of {value, timestamp?}": "list[element]",
             **{f"{kind} function reference": f"fn:{kind}"
                for kind in ("map", "flat_map", "filter", "timestamp", "partition", "combine")},
             "stateful DoFn reference": "fn:stateful"}
GRAPH = "urn:accord:meta:pipeline.graph"
GRAPH_SCHEMA = schemas()[GRAPH]


def _schema_type(prop: dict) -> str:
    """A graph-schema parameter in the graph module's vocabulary (fn references without their kind)."""
    ref = prop.get("$ref", "").removeprefix(GRAPH)  # the rules live in a part file and point back by $id
    if ref == "#/$defs/fn":
        return "fn"
    if ref in ("#/$defs/windowfn", "#/$defs/trigger") or prop.get("type") == "object":
        return "object"
    if "enum" in prop and all(isinstance(v, str) for v in prop["enum"]):
        return "str"
    if prop.get("type") == "array":
        items = prop["items"]
        named = {"#/$defs/input-element": "element", "#/$defs/stream-event": "event"}
        return f"list[{named[items['$ref'].removeprefix(GRAPH)] if '$ref' in items else _schema_type(items)}]"
    return {"integer": "int", "boolean": "bool", "string": "str"}[prop["type"]]


@pytest.mark.parametrize("version", ["1.1", "draft"])
def test_transform_parameters_match_the_documents_in_type(version: str) -> None:
    spec = load_spec("pipeline", version)
    for doc in spec.documents_of("pipeline.transform"):
        documented = {p["name"]: (DOC_TYPES[p["type"]], bool(p["required"])) for p in doc.data.get("parameters", ())}
        coded = {name: (p.type, p.required) for name, p in TRANSFORMS[doc.data["graph_name"]].params.items()}
        assert coded == documented, doc.name


def test_transform_parameters_match_the_graph_schema_in_type() -> None:
    rules = {rule["if"]["properties"]["transform"]["const"]: rule["then"]["properties"]
             for rule in (deref(r, GRAPH) for r in GRAPH_SCHEMA["$defs"]["node"]["allOf"])}
    assert set(rules) == set(TRANSFORMS)
    for name, transform in TRANSFORMS.items():
        params = rules[name].get("params", {})
        schema = {p: (_schema_type(prop), p in params.get("required", ()))
                  for p, prop in params.get("properties", {}).items()}
        coded = {p: (param.type.split(":")[0], param.required) for p, param in transform.params.items()}
        assert coded == schema, name
        inputs = rules[name].get("inputs", {})
        low, high = transform.inputs
        assert (inputs.get("minItems", 0), inputs.get("maxItems")) in ((low, high), (0, None)), name


def test_a_parameter_of_the_wrong_type_is_a_graph_error() -> None:
    graph = {"format": FORMAT, "nodes": [
        {"id": "src", "transform": "create", "params": {"elements": [{"value": ["k", 1]}]}},
        {"id": "top", "transform": "top_per_key", "inputs": ["src"], "params": {"n": 1, "largest": "yes"}}],
        "outputs": ["top"]}
    with pytest.raises(GraphError, match="'largest' must be bool"):
        validate_graph(graph)
