"""Glue shared by the Beam, Spark and Dask adapters that involves no engine.

Walking the graph in order, binding vetted functions, building side-input views
from already-gathered values, and declaring observed deviations. Each adapter keeps
its own translation of every transform to its engine's primitives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.adapters.base import ExpectedFailure

from . import functions
from .graph import FN_KIND, decode_value, normalise_graph, parse_ref, validate_graph


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


def expected(reason: str, link: str, *ids: str) -> tuple[ExpectedFailure, ...]:
    """One observed deviation that makes several requirements fail (``ids`` without the ``pipeline.`` prefix)."""
    return tuple(ExpectedFailure(f"pipeline.{short}", reason, link) for short in ids)
