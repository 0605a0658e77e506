"""The Accord pipeline graph: a pipeline as plain JSON data.

Pipelines are data so that they cross the worker protocol unchanged; every
adapter translates this one format to its engine. Format ``accord.pipeline/1``::

    {"format": "accord.pipeline/1",
     "nodes": [                              # in topological order: inputs name earlier nodes
       {"id": "create_0", "transform": "create", "inputs": [],
        "params": {"elements": [{"value": 1}, {"value": 2, "timestamp": 5000000}]}},
       {"id": "map_1", "transform": "map", "inputs": ["create_0"],
        "params": {"fn": {"name": "key_by_mod", "params": {"m": 3}}}},
       {"id": "map_2", "transform": "map", "inputs": ["map_1"],
        "params": {"fn": {"name": "add_side"}},
        "side_inputs": [{"input": "other_7", "view": "singleton", "default": 0}]},
       {"id": "part_3", "transform": "partition", "inputs": ["map_1"],
        "params": {"fn": {"name": "mod_n"}, "n": 2}}
     ],
     "outputs": ["map_2", "part_3#1"]}

``inputs``, ``params`` and ``side_inputs`` may be omitted (empty);
:func:`normalise_graph` fills them in. Node ids match ``[A-Za-z_][A-Za-z0-9_]*``. A reference to a node is its id, or
``id#i`` for output ``i`` of a multi-output node (only ``partition``). Fan-out is
several nodes naming the same input; fan-in is ``flatten`` / ``co_group_by_key``
(several ``inputs``) and side inputs. ``outputs`` lists the references whose
contents a run returns. The transforms and their parameters are in
:data:`TRANSFORMS` (semantics: ``spec/pipeline/1.0/transforms/*.yaml``).

User functions are never code: ``{"name": ..., "params": {...}}`` names an entry
of the vetted registry :mod:`accord.spec.pipeline.functions`, so every
engine runs the identical Python function.

Values, windows and elements on the wire are :mod:`accord.spec.pipeline.values`
(re-exported here).

An aggregate in an interval window reports a timestamp in the window's last
millisecond: ``end - 1000`` (the reference; Beam's portable runners) up to
``end - 1`` (Beam's Python direct runner) both conform.

Run result (``invoke("run", {"graph": g})``)::

    {"outputs": {"map_2": [{"value": <encoded>, "timestamp": int | null,
                            "window": "global" | [start, end],
                            "pane": {"index": 0, "timing": "ON_TIME", "is_first": true,
                                     "is_last": true}}, ...],      # pane: optional, streaming only
                 "part_3#1": [...]}}

Order inside an output list is meaningless: outputs compare as multisets.
Since spec 1.1 a run whose ``map`` / ``flat_map`` / ``filter`` functions report
metrics also returns ``"metrics"`` (wire form: :mod:`accord.spec.pipeline.metrics`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import functions
from .values import (
    GLOBAL,
    RESOLUTION,
    SAFE_INT,
    GraphError,
    Window,
    canonical,
    decode_value,
    decode_window,
    encode_element,
    encode_value,
    encode_window,
    loads_value,
    order_key,
)

__all__ = [  # the codec, re-exported: the graph's users import one module
    "GLOBAL", "RESOLUTION", "SAFE_INT", "GraphError", "Window", "canonical", "decode_value", "decode_window",
    "encode_element", "encode_value", "encode_window", "loads_value", "order_key",
    "FORMAT", "PARAM_TYPES", "Param", "Transform", "TRANSFORMS", "FN_KIND", "VIEWS", "WINDOWFNS", "TRIGGERS", "ACCUMULATION", "STREAM_EVENTS",
    "parse_ref", "validate_graph", "normalise_graph", "upstream",
]

FORMAT = "accord.pipeline/1"

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REF = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:#(0|[1-9][0-9]*))?$")


# ------------------------------------------------------------------ the transforms

PARAM_TYPES = ("int", "bool", "str", "object", "list[str]", "list[element]", "list[event]")  # and "fn:<kind>"


@dataclass(frozen=True)
class Param:
    """One transform parameter: its type (PARAM_TYPES, or ``fn:<registry kind>``) and whether it is required.

    The types are the transform documents' (``parameters[].type``) and the graph
    schema's (``spec/meta/pipeline.graph.schema.json``); tests/spec/pipeline compares all three.
    """

    type: str
    required: bool = True


class Transform(NamedTuple):
    inputs: tuple[int, int | None]  # number of main inputs: (min, max or None)
    params: dict[str, Param]
    side_inputs: bool  # may take side inputs


def _t(low: int, high: int | None, side: bool = False, **params: Param) -> Transform:
    return Transform((low, high), params, side)


def _fn(kind: str) -> Param:
    return Param(f"fn:{kind}")


TRANSFORMS: dict[str, Transform] = {
    "create": _t(0, 0, elements=Param("list[element]")),
    "read_text": _t(0, 0, path=Param("str")),
    "test_stream": _t(0, 0, events=Param("list[event]")),
    "map": _t(1, 1, True, fn=_fn("map")),
    "flat_map": _t(1, 1, True, fn=_fn("flat_map")),
    "filter": _t(1, 1, True, fn=_fn("filter")),
    "with_timestamps": _t(1, 1, fn=_fn("timestamp")),
    "keys": _t(1, 1),
    "values": _t(1, 1),
    "with_keys": _t(1, 1, fn=_fn("map")),
    "group_by_key": _t(1, 1),
    "co_group_by_key": _t(1, None, tags=Param("list[str]")),
    "combine_globally": _t(1, 1, fn=_fn("combine")),
    "combine_per_key": _t(1, 1, fn=_fn("combine")),
    "count_globally": _t(1, 1),
    "count_per_key": _t(1, 1),
    "count_per_element": _t(1, 1),
    "distinct": _t(1, 1),
    "flatten": _t(1, None),
    "partition": _t(1, 1, fn=_fn("partition"), n=Param("int")),
    "top_per_key": _t(1, 1, n=Param("int"), largest=Param("bool")),
    "window_into": _t(1, 1, windowfn=Param("object"), trigger=Param("object", False),
                      accumulation=Param("str", False), allowed_lateness=Param("int", False)),
    "stateful_par_do": _t(1, 1, fn=_fn("stateful")),  # spec 1.1: a vetted StatefulDoFn over (key, value)
}

# which registry kind a transform's ``fn`` must name (read off TRANSFORMS)
FN_KIND = {name: t.params["fn"].type.removeprefix("fn:") for name, t in TRANSFORMS.items() if "fn" in t.params}
_CHECK_TYPE = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "list[str]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "list[element]": lambda v: isinstance(v, list) and all(isinstance(x, dict) and "value" in x for x in v),
    "list[event]": lambda v: isinstance(v, list),
}
VIEWS = ("singleton", "iter", "dict")
WINDOWFNS = {"global": (), "fixed": ("size", "offset"), "sliding": ("size", "period", "offset"),
             "sessions": ("gap",)}
TRIGGERS = {"default": (), "after_watermark": ("early", "late"), "after_count": ("count",),
            "after_processing_time": ("delay",), "repeatedly": ("trigger",), "never": ()}
ACCUMULATION = ("discarding", "accumulating")
STREAM_EVENTS = {"elements": ("elements",), "watermark": ("to",), "processing_time": ("advance",)}


def parse_ref(ref: str) -> tuple[str, int | None]:
    """``"node"`` → ("node", None); ``"node#2"`` → ("node", 2)."""
    match = _REF.match(ref) if isinstance(ref, str) else None
    if not match:
        raise GraphError(f"bad node reference {ref!r} (expected 'id' or 'id#index')")
    return match.group(1), None if match.group(2) is None else int(match.group(2))


def validate_graph(graph: Any) -> None:
    """Raise :class:`GraphError` naming the node and field of the first problem."""
    if not isinstance(graph, dict) or graph.get("format") != FORMAT:
        raise GraphError(f"graph: 'format' must be {FORMAT!r}")
    if set(graph) - {"format", "nodes", "outputs"}:
        raise GraphError(f"graph: unknown fields {sorted(set(graph) - {'format', 'nodes', 'outputs'})}")
    nodes = graph.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise GraphError("graph: 'nodes' must be a non-empty list")
    seen: dict[str, dict] = {}

    def check_ref(where: str, ref: Any) -> None:
        node_id, index = parse_ref(ref)
        if node_id not in seen:
            raise GraphError(f"{where}: {ref!r} does not name an earlier node")
        is_partition = seen[node_id]["transform"] == "partition"
        if is_partition and (index is None or index >= seen[node_id]["params"]["n"]):
            raise GraphError(f"{where}: partition output must be addressed as '{node_id}#i', 0 <= i < n")
        if not is_partition and index is not None:
            raise GraphError(f"{where}: node {node_id!r} has a single output, write {node_id!r}")

    for position, node in enumerate(nodes):
        where = f"nodes[{position}]"
        if not isinstance(node, dict):
            raise GraphError(f"{where}: must be an object")
        extra = set(node) - {"id", "transform", "inputs", "params", "side_inputs"}
        if extra:
            raise GraphError(f"{where}: unknown fields {sorted(extra)}")
        node_id = node.get("id")
        if not isinstance(node_id, str) or not _ID.match(node_id) or node_id in seen:
            raise GraphError(f"{where}: 'id' must be a new identifier, got {node_id!r}")
        where = f"node {node_id!r}"
        transform = node.get("transform")
        if transform not in TRANSFORMS:
            raise GraphError(f"{where}: unknown transform {transform!r}")
        (low, high), param_spec, takes_side = TRANSFORMS[transform]
        inputs = node.get("inputs", [])
        if not isinstance(inputs, list) or len(inputs) < low or (high is not None and len(inputs) > high):
            raise GraphError(f"{where}: {transform} takes {low}..{high or 'n'} inputs, got {inputs!r}")
        for ref in inputs:
            check_ref(where, ref)
        params = node.get("params", {})
        if not isinstance(params, dict):
            raise GraphError(f"{where}: 'params' must be an object")
        for name, param in param_spec.items():
            if param.required and name not in params:
                raise GraphError(f"{where}: {transform} needs parameter {name!r}")
            if name in params and param.type in _CHECK_TYPE and not _CHECK_TYPE[param.type](params[name]):
                raise GraphError(f"{where}: {transform} parameter {name!r} must be {param.type}, "
                                 f"got {params[name]!r:.60}")
        unknown = set(params) - set(param_spec)
        if unknown:
            raise GraphError(f"{where}: {transform} has no parameters {sorted(unknown)}")
        side_inputs = node.get("side_inputs", [])
        if transform in FN_KIND:
            entry = functions.lookup(params["fn"], FN_KIND[transform], where=f"{where}.params.fn")
            views = tuple(side.get("view") for side in side_inputs if isinstance(side, dict))
            if views != entry.side:
                raise GraphError(f"{where}: function {entry.name!r} reads side inputs {list(entry.side)}, "
                                 f"the node gives {list(views)}")
        if side_inputs and not takes_side:
            raise GraphError(f"{where}: {transform} takes no side inputs")
        for side in side_inputs:
            if not isinstance(side, dict) or side.get("view") not in VIEWS or set(side) - {"input", "view", "default"}:
                raise GraphError(f"{where}: side input must be {{input, view: {'|'.join(VIEWS)}, default?}}")
            check_ref(f"{where}.side_inputs", side.get("input"))
        if transform == "partition" and (not isinstance(params["n"], int) or params["n"] < 1):
            raise GraphError(f"{where}: partition 'n' must be a positive integer")
        if transform == "co_group_by_key":
            tags = params["tags"]
            if not isinstance(tags, list) or len(tags) != len(inputs) or len(set(tags)) != len(tags):
                raise GraphError(f"{where}: 'tags' must name each input once")
        if transform == "window_into":
            _validate_windowing(where, params)
        if transform == "test_stream":
            _validate_events(where, params["events"])
        seen[node_id] = {"transform": transform, "params": params}
    outputs = graph.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        raise GraphError("graph: 'outputs' must be a non-empty list of node references")
    for ref in outputs:
        check_ref("graph.outputs", ref)


def _validate_windowing(where: str, params: dict) -> None:
    windowfn = params["windowfn"]
    if not isinstance(windowfn, dict) or windowfn.get("type") not in WINDOWFNS:
        raise GraphError(f"{where}: windowfn.type must be one of {sorted(WINDOWFNS)}")
    allowed = set(WINDOWFNS[windowfn["type"]]) | {"type"}
    if set(windowfn) - allowed:
        raise GraphError(f"{where}: windowfn {windowfn['type']} has no fields {sorted(set(windowfn) - allowed)}")
    for name in set(windowfn) - {"type", "offset"}:
        if not isinstance(windowfn[name], int) or windowfn[name] <= 0:
            raise GraphError(f"{where}: windowfn.{name} must be a positive integer (µs)")
    for name in {"size", "period", "gap"} & set(WINDOWFNS[windowfn["type"]]):
        if name not in windowfn:
            raise GraphError(f"{where}: windowfn {windowfn['type']} needs {name!r}")
    if "trigger" in params:
        _validate_trigger(f"{where}.trigger", params["trigger"])
    if params.get("accumulation", "discarding") not in ACCUMULATION:
        raise GraphError(f"{where}: accumulation must be one of {ACCUMULATION}")
    lateness = params.get("allowed_lateness", 0)
    if not isinstance(lateness, int) or lateness < 0:
        raise GraphError(f"{where}: allowed_lateness must be a non-negative integer (µs)")


def _validate_trigger(where: str, trigger: Any) -> None:
    if not isinstance(trigger, dict) or trigger.get("type") not in TRIGGERS:
        raise GraphError(f"{where}: type must be one of {sorted(TRIGGERS)}")
    extra = set(trigger) - set(TRIGGERS[trigger["type"]]) - {"type"}
    if extra:
        raise GraphError(f"{where}: {trigger['type']} has no fields {sorted(extra)}")
    for name in ("early", "late", "trigger"):
        if name in trigger:
            _validate_trigger(f"{where}.{name}", trigger[name])
    for name in ("count", "delay"):
        if trigger["type"] in ("after_count", "after_processing_time") and name in TRIGGERS[trigger["type"]]:
            if not isinstance(trigger.get(name), int) or trigger[name] <= 0:
                raise GraphError(f"{where}: {name} must be a positive integer")


def _validate_events(where: str, events: Any) -> None:
    if not isinstance(events, list):
        raise GraphError(f"{where}: events must be a list")
    for i, event in enumerate(events):
        kind = event.get("kind") if isinstance(event, dict) else None
        if kind not in STREAM_EVENTS or set(event) != {"kind", *STREAM_EVENTS[kind]}:
            raise GraphError(f"{where}: events[{i}] must be one of "
                             "{kind: elements, elements}, {kind: watermark, to}, {kind: processing_time, advance}")
        if kind == "elements":
            for element in event["elements"]:
                if not isinstance(element, dict) or not isinstance(element.get("timestamp"), int):
                    raise GraphError(f"{where}: events[{i}]: stream elements need {{value, timestamp}}")


def normalise_graph(graph: dict) -> dict:
    """A copy in which every node has ``inputs``, ``params`` and ``side_inputs`` (they may be omitted)."""
    nodes = [{"id": n["id"], "transform": n["transform"], "inputs": list(n.get("inputs", [])),
              "params": dict(n.get("params", {})), "side_inputs": list(n.get("side_inputs", []))}
             for n in graph["nodes"]]
    return {"format": graph["format"], "nodes": nodes, "outputs": list(graph["outputs"])}


def upstream(graph: dict, ref: str) -> list[str]:
    """Every node id the reference depends on (inputs and side inputs), itself included."""
    nodes = {node["id"]: node for node in graph["nodes"]}
    todo, found = [parse_ref(ref)[0]], []
    while todo:
        node_id = todo.pop()
        if node_id in found:
            continue
        found.append(node_id)
        node = nodes[node_id]
        todo += [parse_ref(r)[0] for r in node.get("inputs", [])]
        todo += [parse_ref(s["input"])[0] for s in node.get("side_inputs", [])]
    return found
