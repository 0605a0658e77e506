"""Input classes of pipeline examples, so a failure in one class does not mask the others.

The core (``conformance.check.run_property``) excludes a failing example's class
and searches again; each class that fails is one case of the requirement's outcome.

- A targeted graph (one transform in focus) is classed by the vetted function it
  runs (``fn:mean``), its windowing (``window:sessions``) and, for the requirements
  about keys, the class of its keys (``key:nan``, ``key:bigint``, ``key:colliding``,
  ``key:plain``).
- A random pipeline is classed by its most specific transform kind, in the order
  of :data:`PRECEDENCE` (``transform:combine_globally``): aggregations before
  restructuring before element-wise steps, so a broken aggregation stays one class
  whichever element-wise steps surround it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from accord.spec.pipeline.graph import canonical, decode_value

PRECEDENCE = (
    "stateful_par_do", "co_group_by_key", "combine_globally", "combine_per_key", "top_per_key", "count_globally",
    "count_per_key", "count_per_element", "distinct", "group_by_key", "side_input", "partition", "flatten",
    "window_into", "with_timestamps", "with_keys", "keys", "values", "flat_map", "filter", "map", "read_text",
    "test_stream", "create",
)
_RANK = {kind: i for i, kind in enumerate(PRECEDENCE)}
INT64 = 2**63


def _kinds(graph: Mapping) -> set[str]:
    kinds = {node["transform"] for node in graph["nodes"]}
    if any(node.get("side_inputs") for node in graph["nodes"]):
        kinds.add("side_input")
    return kinds


def pipeline_class(graph: Mapping) -> str:
    """``transform:<kind>``: the graph's most specific transform kind."""
    kinds = _kinds(graph)
    return "transform:" + min(kinds, key=lambda kind: _RANK.get(kind, len(PRECEDENCE)))


def _keys(graph: Mapping) -> list[Any]:
    """The keys a graph's sources carry: the first item of a pair, else the element itself."""
    found = []
    for node in graph["nodes"]:
        if node["transform"] != "create":
            continue
        for element in node["params"]["elements"]:
            value = decode_value(element["value"])
            found.append(value[0] if isinstance(value, tuple) and len(value) == 2 else value)
    return found


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, tuple | list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def key_class(graph: Mapping) -> str:
    """``key:colliding`` | ``key:nan`` | ``key:bigint`` | ``key:plain``, the first that applies.

    Colliding: two keys Python finds equal whose canonical encodings differ (1 / 1.0 /
    True, 0 / 0.0 / -0.0 / False): an engine grouping by Python equality merges them.
    It comes first because it is the commonest deviation: once its class is excluded,
    no example left has such a pair, so what fails next is another deviation.
    """
    keys = _keys(graph)
    by_python: dict[Any, set[str]] = {}
    for key in keys:
        try:
            by_python.setdefault(key, set()).add(canonical(key))
        except TypeError:  # an unhashable key cannot collide under dict equality
            continue
    if any(len(encodings) > 1 for encodings in by_python.values()):
        return "key:colliding"
    leaves = [leaf for key in keys for leaf in _leaves(key)]
    if any(isinstance(leaf, float) and math.isnan(leaf) for leaf in leaves):
        return "key:nan"
    if any(isinstance(leaf, int) and not isinstance(leaf, bool) and not -INT64 <= leaf < INT64 for leaf in leaves):
        return "key:bigint"
    return "key:plain"


def _windowing(graph: Mapping) -> str:
    types = sorted({node["params"]["windowfn"]["type"] for node in graph["nodes"]
                    if node["transform"] == "window_into"})
    return "window:" + ("+".join(types) if types else "global")


def _functions(graph: Mapping) -> str | None:
    names = sorted({node["params"]["fn"]["name"] if isinstance(node["params"]["fn"], dict) else node["params"]["fn"]
                    for node in graph["nodes"] if "fn" in node.get("params", {})})
    return "fn:" + "+".join(names) if names else None


def targeted(params: Mapping) -> Callable[[Mapping], str]:
    """The classifier of a ``transform_property`` requirement with these params."""
    about_keys = params.get("keys") in ("adversarial", "hostile")

    def classify(graph: Mapping) -> str:
        parts = [_functions(graph), _windowing(graph), key_class(graph) if about_keys else None]
        return ",".join(part for part in parts if part)
    return classify
