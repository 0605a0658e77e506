"""Glue shared by the Beam, Spark and Dask adapters that involves no engine.

Walking the graph in order, binding vetted functions, building side-input views
from already-gathered values, the translated-collection record of the engines without
event time, canonical stand-ins for keys, and declaring observed deviations. Each
adapter keeps its own translation of every transform to its engine's primitives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.adapters.base import ExpectedFailure
from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import (
    FN_KIND,
    canonical,
    decode_value,
    loads_value,
    normalise_graph,
    parse_ref,
    validate_graph,
)


def walk(graph: dict, translate: Callable[[dict, list, list], Any]) -> dict[str, Any]:
    """Translate every node in order; returns ``{node id: engine collection (or list for partition)}``.

    ``translate(node, inputs, sides)`` gets the translated main inputs and the
    translated side-input collections (in ``side_inputs`` order).
    """
    validate_graph(graph)
    done: dict[str, Any] = {}
    for node in normalise_graph(graph)["nodes"]:  # every node now has inputs, params, side_inputs
        inputs = [resolve(done, ref) for ref in node.get("inputs", [])]
        sides = [resolve(done, side["input"]) for side in node.get("side_inputs", [])]
        done[node["id"]] = translate(node, inputs, sides)
    return done


def resolve(done: dict[str, Any], ref: str) -> Any:
    node_id, index = parse_ref(ref)
    return done[node_id] if index is None else done[node_id][index]


def bound_fn(node: dict) -> Any:
    """The vetted callable / CombineFn a node's ``fn`` parameter names."""
    return functions.bind(node["params"]["fn"], FN_KIND[node["transform"]])


def is_streaming(graph: dict) -> bool:
    return any(node["transform"] == "test_stream" for node in graph["nodes"])


def side_value(side: dict, items: list) -> Any:
    """The value a side-input view presents, from the side collection's gathered values.

    Used by the engines without a side-input primitive (Spark broadcasts it,
    Dask passes it as a computed argument). A dict view is a plain Python dict,
    as in Beam's ``AsDict``.
    """
    view = side["view"]
    if view == "singleton":
        if len(items) == 1:
            return items[0]
        if not items and "default" in side:
            return decode_value(side["default"])
        raise ValueError(f"singleton side input {side['input']!r} holds {len(items)} elements, not exactly one")
    if view == "iter":
        return list(items)
    return dict(items)


GLOBAL_WINDOWING = {"windowfn": {"type": "global"}}


@dataclass(frozen=True)
class Coll:
    """A translated collection of an engine without event time (a Spark RDD, a dask bag).

    ``data`` is the engine's collection; ``full`` says whether its elements are
    ``(value, timestamp, window)`` triples (True) or bare values with no
    timestamp in the global window (False: the common batch case costs nothing).
    """

    data: Any
    full: bool
    windowing: dict

    @property
    def windowed(self) -> bool:
        return self.windowing["windowfn"]["type"] != "global"

    @property
    def sessions(self) -> bool:
        return self.windowing["windowfn"]["type"] == "sessions"


# ------------------------------------------------------------------ keys under the spec's equality rule


def canonical_key(key: Any) -> Any:
    """A stand-in for ``key`` whose Python equality is the spec's key equality (contracts/key_equality.yaml).

    A str stands for itself (str equality is code-point equality, as the rule
    says, and strings are the common key); any other key becomes the 1-tuple of
    its canonical encoding. The two shapes never compare equal, so the mapping is
    injective, and both hash, pickle and encode deterministically. Engines that
    group by Python equality (dict-based pre-combining) or by an int coder of
    fixed width then group exactly as the rule says.
    """
    return key if type(key) is str else (canonical(key),)


def original_key(stand_in: Any) -> Any:
    """A key equal (under the rule) to the one :func:`canonical_key` replaced."""
    return stand_in if type(stand_in) is str else loads_value(stand_in[0])


def canonical_pair(kv: Any) -> tuple:
    """``(key, value)`` → ``(canonical_key(key), value)``; anything else is an error, as in the reference.

    Runs once per element before every keyed aggregation, so ``canonical_key`` is
    inlined and a pair with a str key is returned as it is (no new tuple).
    """
    if type(kv) is tuple and len(kv) == 2:
        return kv if type(kv[0]) is str else ((canonical(kv[0]),), kv[1])
    raise ValueError(f"expected a (key, value) pair, got {kv!r}")


# Small named functions the Spark and Dask translations pass to their engines (picklable, and comparable by
# identity: a global aggregate's key function is ``nothing``).
def first(kv: Any) -> Any:
    return kv[0]


def second(kv: Any) -> Any:
    return kv[1]


def identity(x: Any) -> Any:
    return x


def nothing(_x: Any) -> None:
    return None


def expected(reason: str, link: str, *ids: str) -> tuple[ExpectedFailure, ...]:
    """One observed deviation that makes several requirements fail (``ids`` without the ``pipeline.`` prefix)."""
    return tuple(ExpectedFailure(f"pipeline.{short}", reason, link) for short in ids)
