"""The family payload schemas against the code that builds and reads the payloads.

Tensor: everything the wire codec encodes is a schema value, and the schema's small tagged values
decode. Pipeline: every graph in the spec (examples and transcripts) and random graphs of the
suite's generator are valid under the schema exactly when ``validate_graph`` accepts them, and the
reference's run results match the result schema. FaaS: the kit's deploy arguments match. The
schemas' tables (dtypes, tags, attributes, transforms and their parameters) equal the code's.
"""

from __future__ import annotations

import collections
import json
from typing import Any

import numpy as np
import pytest
from accord_testing.schema_bundle import bundle, deref, schemas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis_jsonschema import from_schema

from accord.adapters.tensor.namespace_adapter import ATTRIBUTES
from accord.conformance import protocol
from accord.conformance.families.faas.deployment import deploy_args
from accord.conformance.families.pipeline.checks import transcript_graph
from accord.conformance.families.pipeline.generate import random_pipeline
from accord.spec import load_spec
from accord.spec.model import thaw
from accord.spec.pipeline import graph as graphs
from accord.spec.tensor import wire

TENSOR = "urn:accord:meta:tensor.wire"
GRAPH = "urn:accord:meta:pipeline.graph"
FAAS = "urn:accord:meta:faas.deploy"
FAST = settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def valid(ref: str, instance: Any) -> bool:
    try:
        protocol.check(ref, instance)
    except protocol.ProtocolError:
        return False
    return True


# ------------------------------------------------------------------ tensor

DTYPES = st.sampled_from(wire.DTYPE_NAMES).map(np.dtype)
ARRAYS = DTYPES.flatmap(lambda d: hnp.arrays(d, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)))
FLOATS = st.floats(allow_nan=True, allow_infinity=True)
SCALARS = st.none() | st.booleans() | st.integers() | FLOATS | st.complex_numbers() | st.text(max_size=4)
KEYS = st.none() | st.integers(-3, 3)
LEAVES = (SCALARS | ARRAYS | DTYPES | st.just(Ellipsis) | st.builds(slice, KEYS, KEYS, KEYS)
          | st.sampled_from([np.finfo(np.float32), np.finfo(np.float64), np.iinfo(np.int8), np.iinfo(np.uint64)]))
Pair = collections.namedtuple("Pair", "left right")
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
                      | st.builds(Pair, inner, inner)
                      | st.dictionaries(st.text(max_size=3) | st.just("$array"), inner, max_size=2), max_leaves=5)


@FAST
@given(VALUES)
def test_everything_the_codec_encodes_is_a_schema_value(value: Any) -> None:
    encoded = wire.encode(value, wire.NumpyCodec())
    protocol.check(f"{TENSOR}#/$defs/value", json.loads(json.dumps(encoded, allow_nan=False)))


@FAST
@given(ARRAYS, st.sampled_from([slice(None, None, -1), slice(None, None, 2), (slice(None), 0)]))
def test_views_are_schema_values(base: Any, key: Any) -> None:
    protocol.check(f"{TENSOR}#/$defs/value", wire.view(base, key, wire.NumpyCodec()))


@pytest.mark.parametrize("tag", ["float", "complex", "dtype", "slice", "ellipsis", "info", "tuple"])
def test_small_tagged_schema_values_decode(tag: str) -> None:
    """Schema -> code for the tags whose schema says everything the decoder checks.

    ($array is not here: a schema cannot tie the byte count of ``data`` to ``shape``; the decoder
    checks it and the codec direction above covers arrays.)
    """
    narrow = {f"{TENSOR}#/$defs/value": {"type": ["null", "boolean", "integer", "string"]}}

    @FAST
    @given(from_schema(bundle(tag, depth=1, base=TENSOR, narrow=narrow)))
    def decodes(data: Any) -> None:
        protocol.check(f"{TENSOR}#/$defs/value", data)
        # a namedtuple's fields must be as many as its items, which a schema cannot say: the decoder
        # says so in a WireError
        if len(data.get("fields", data.get("$tuple", ()))) != len(data.get("$tuple", ())):
            with pytest.raises(wire.WireError, match="fields must name"):
                wire.decode(data, wire.NumpyCodec())
            return
        wire.decode(data, wire.NumpyCodec())

    decodes()


def test_tensor_tables_are_the_codes() -> None:
    defs = schemas()[TENSOR]["$defs"]
    assert defs["dtype-name"]["enum"] == list(wire.DTYPE_NAMES)
    assert {branch["if"]["required"][0] for branch in defs["object"]["allOf"][:-1]} == set(wire._TAGS)
    assert set(defs["args-attribute"]["properties"]["name"]["enum"]) == ATTRIBUTES


def test_plain_objects_cannot_pass_for_tagged_ones() -> None:
    assert not valid(f"{TENSOR}#/$defs/value", {"$array": {"dtype": "int8", "shape": [1], "data": "AQ=="}, "x": 1})
    assert not valid(f"{TENSOR}#/$defs/value", {"$repr": "<no value>"})
    assert not valid(f"{TENSOR}#/$defs/value", {"$float": "nan", "$dtype": "int8"})
    assert valid(f"{TENSOR}#/$defs/value", {"$dict": {"$array": 1}})


# ------------------------------------------------------------------ pipeline


def spec_graphs() -> list[tuple[str, dict]]:
    found = []
    for version in ("1.0", "1.1"):
        for req in load_spec("pipeline", version).requirements:
            params = thaw(req.params) if req.params else {}
            if req.check == "example":
                found.append((f"{version}:{req.id}", {"format": graphs.FORMAT, "nodes": params["nodes"],
                                                       "outputs": params["outputs"]}))
            elif req.check == "transcript":
                found.append((f"{version}:{req.id}", transcript_graph(params)))
    return found


def accepted_by_code(graph: dict) -> bool:
    try:
        graphs.validate_graph(graph)
    except graphs.GraphError:
        return False
    return True


@pytest.mark.parametrize(("name", "graph"), spec_graphs(), ids=lambda v: v if isinstance(v, str) else "")
def test_spec_graphs_schema_and_validate_graph_agree(name: str, graph: dict) -> None:
    assert valid(f"{GRAPH}#/$defs/graph", graph) == accepted_by_code(graph), name


def test_reference_results_match_the_result_schema() -> None:
    from accord.reference.pipeline import run_wire

    ran = 0
    for _name, graph in spec_graphs():
        if not accepted_by_code(graph):
            continue
        try:
            result = run_wire(graph)
        except Exception:  # examples that expect the run to fail
            continue
        protocol.check(f"{GRAPH}#/$defs/result-run", result)
        ran += 1
    assert ran > 40


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(random_pipeline(windowed=True) | random_pipeline())
def test_generated_graphs_match_the_schema(graph: dict) -> None:
    protocol.check(f"{GRAPH}#/$defs/args-run", {"graph": graph})


def test_graph_tables_are_the_codes() -> None:
    defs = schemas()[GRAPH]["$defs"]
    rules = [deref(rule, GRAPH) for rule in defs["node"]["allOf"]]  # one rule per transform, in a part file
    table = {}
    for rule in rules:
        params, inputs = rule["then"]["properties"]["params"], rule["then"]["properties"]["inputs"]
        table[rule["if"]["properties"]["transform"]["const"]] = (
            set(params["properties"]), set(params["required"]), (inputs["minItems"], inputs.get("maxItems")))
    assert table == {name: (set(t.params), {p for p, param in t.params.items() if param.required}, t.inputs)
                     for name, t in graphs.TRANSFORMS.items()}
    assert defs["node"]["properties"]["transform"]["enum"] == list(graphs.TRANSFORMS)
    assert tuple(defs["side-input"]["properties"]["view"]["enum"]) == graphs.VIEWS
    assert set(defs["windowfn"]["properties"]["type"]["enum"]) == set(graphs.WINDOWFNS)
    assert set(defs["trigger"]["properties"]["type"]["enum"]) == set(graphs.TRIGGERS)
    side = {r["if"]["properties"]["transform"]["const"] for r in rules
            if "side_inputs" not in r["then"]["properties"]}
    assert side == {name for name, t in graphs.TRANSFORMS.items() if t.side_inputs}


# ------------------------------------------------------------------ FaaS


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_the_kits_deploy_arguments_match(version: str) -> None:
    args = deploy_args(load_spec("faas", version))
    protocol.check(f"{FAAS}#/$defs/args-deploy", args)
    protocol.check("invoke-request", {"id": 1, "method": "invoke", "params": {"op": "deploy", "args": args}})
    assert not valid(f"{FAAS}#/$defs/args-deploy", {**args, "region": "local"})


def test_schema_deploy_arguments_and_answers_are_accepted_by_the_code() -> None:
    from accord.adapters.faas.hosted import deploy_config
    from accord.conformance.families.faas.deployment import _validated
    from accord.spec.faas.probes import PROBES

    known = {f"{FAAS}#/$defs/probe-name": {"enum": sorted(PROBES)}}

    @FAST
    @given(from_schema(bundle("args-deploy", base=FAAS, narrow=known)),
           from_schema(bundle("result-deploy", base=FAAS, narrow=known)))
    def accepted(args: dict, answer: dict) -> None:
        protocol.check(f"{FAAS}#/$defs/args-deploy", args)
        protocol.check(f"{FAAS}#/$defs/result-deploy", answer)
        assert set(deploy_config(args)["probes"]) == set(args.get("probes") or PROBES)
        assert set(_validated(answer, sorted(PROBES))) == set(answer["functions"])

    accepted()
