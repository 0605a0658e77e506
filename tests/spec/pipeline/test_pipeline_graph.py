"""The graph format: value encoding, the key rule, the total order, validation messages."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.conformance.families.pipeline import data
from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import (
    FORMAT,
    GraphError,
    canonical,
    decode_value,
    encode_value,
    order_key,
    validate_graph,
)

values = st.recursive(st.one_of(data.keys, st.binary(max_size=4)),
                      lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                                              st.dictionaries(data.keys, inner, max_size=2)), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(values)
def test_encoding_round_trips_through_strict_json(value: object) -> None:
    wire = json.loads(json.dumps(encode_value(value), allow_nan=False))
    assert canonical(decode_value(wire)) == canonical(value)


def test_encoding_examples() -> None:
    assert encode_value(2**53) == {"$int": str(2**53)}
    assert encode_value(2**53 - 1) == 2**53 - 1
    assert encode_value(math.nan) == {"$float": "nan"}
    assert math.copysign(1, decode_value(json.loads(json.dumps(encode_value(-0.0))))) == -1
    assert encode_value((1, b"\x00")) == {"$tuple": [1, {"$bytes": "AA=="}]}
    assert decode_value({"$dict": [[1, "a"]]}) == {1: "a"}
    with pytest.raises(GraphError):
        encode_value({1, 2})
    with pytest.raises(GraphError):
        decode_value({"$nope": 1})


def test_key_rule() -> None:
    assert len({canonical(v) for v in (1, 1.0, True)}) == 3
    assert canonical(0.0) != canonical(-0.0)
    assert canonical(math.nan) == canonical(float("nan")) == canonical(-math.nan)
    assert canonical("é") != canonical(b"\xc3\xa9")
    assert canonical((1,)) != canonical((1.0,))
    assert canonical(2**64) == canonical(int("18446744073709551616"))


@pytest.mark.parametrize("value", [None, 0, -7, 2**53 - 1, -(2**53) + 1, 2**53, -(2**53), True, False])
def test_scalar_keys_encode_as_the_tagged_json_does(value: object) -> None:
    # canonical() skips json's encoder for None and ints: it must give the general path's string
    assert canonical(value) == json.dumps(encode_value(value), separators=(",", ":"))


@settings(max_examples=200, deadline=None)
@given(st.lists(data.keys, max_size=6))
def test_order_is_total_and_consistent(items: list) -> None:
    keys = [order_key(v) for v in items]
    sorted(items, key=order_key)  # comparable across all types, no TypeError
    for a, ka in zip(items, keys, strict=True):
        for b, kb in zip(items, keys, strict=True):
            if ka == kb:
                assert canonical(a) == canonical(b) or math.isnan(a) and math.isnan(b)


def node(id_: str, transform: str, inputs: list | None = None, **params: object) -> dict:
    return {"id": id_, "transform": transform, "inputs": inputs or [], "params": params}


@pytest.mark.parametrize(("nodes", "outputs", "message"), [
    ([node("a", "create", elements=[])], ["b"], "does not name an earlier node"),
    ([node("a", "nope")], ["a"], "unknown transform 'nope'"),
    ([node("a", "create", elements=[]), node("b", "map", ["a"], fn={"name": "no_such"})], ["b"],
     "no vetted function named 'no_such'"),
    ([node("a", "create", elements=[]), node("b", "map", ["a"], fn={"name": "sum"})], ["b"],
     "'sum' is a combine function"),
    ([node("a", "create", elements=[]), node("b", "partition", ["a"], fn={"name": "mod_n"}, n=2)], ["b"],
     "partition output must be addressed"),
    ([node("a", "create", elements=[]), node("b", "map", ["a"], fn={"name": "add_side"})], ["b"],
     "reads side inputs ['singleton']"),
    ([node("a", "create", elements=[]), node("b", "window_into", ["a"], windowfn={"type": "fixed"})], ["b"],
     "needs 'size'"),
    ([node("a", "create", elements=[]), node("b", "map", ["a"], fn={"name": "key_by_mod", "params": {"m": 0}})],
     ["b"], "must be a positive int"),
])
def test_validation_names_the_problem(nodes: list, outputs: list, message: str) -> None:
    with pytest.raises(GraphError) as info:
        validate_graph({"format": FORMAT, "nodes": nodes, "outputs": outputs})
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_registry_functions_are_documented_and_typed() -> None:
    for entry in functions.REGISTRY.values():
        assert entry.doc, entry.name
        assert entry.kind in functions.KINDS


@settings(max_examples=200, deadline=None)
@given(values)
def test_fast_loads_agrees_with_decode(value: object) -> None:
    from accord.spec.pipeline.graph import loads_value

    text = json.dumps(encode_value(value), allow_nan=False)
    assert canonical(loads_value(text)) == canonical(decode_value(json.loads(text)))
