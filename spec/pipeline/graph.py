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

Time: timestamps and durations travel as **integer microseconds** since the
epoch, but the portable resolution of pipeline spec 1.0 is the millisecond
(Beam's model; Beam's portable runners carry milliseconds): every event time,
window size, period, offset, gap, lateness, delay and watermark in a 1.0
pipeline is a multiple of :data:`RESOLUTION` (1000 µs). A timestamp may be ``null``: the element has no
defined event time (``create`` without timestamps, ``read_text``, and results
of aggregations in the global window); the suite never compares a timestamp the
reference reports as ``null``.

Windows on the wire: ``"global"`` or ``[start, end]`` (half-open, µs).

Values use a small tagged JSON encoding (:func:`encode_value`). JSON null,
booleans and strings stand for themselves; an int is a JSON integer when
``|i| < 2**53`` else ``{"$int": "<decimal>"}``; a finite float is a JSON number
that always has a ``.``/exponent (Python's ``repr``, so ``-0.0`` stays
``-0.0``) — never use an integral JSON number for a float; NaN and infinities are
``{"$float": "nan" | "inf" | "-inf"}``; bytes ``{"$bytes": "<base64>"}``; a
tuple ``{"$tuple": [...]}``; a list is a JSON array; a dict is
``{"$dict": [[key, value], ...]}``. A JSON object is always exactly one tag.

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

import base64
import json
import math
import re
from dataclasses import dataclass
from typing import Any

FORMAT = "accord.pipeline/1"
RESOLUTION = 1000  # µs: the event-time resolution of pipeline spec 1.0 (one millisecond)
SAFE_INT = 2**53
GLOBAL = "global"  # the global window on the wire and in the reference

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REF = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:#(0|[1-9][0-9]*))?$")


class GraphError(ValueError):
    """The graph is not a valid ``accord.pipeline/1`` document (message names the node/field)."""


# ------------------------------------------------------------------ values


def encode_value(value: Any) -> Any:
    """Encode a Python value as tagged JSON (see module docstring)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if -SAFE_INT < value < SAFE_INT else {"$int": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"$float": "nan"}
        if math.isinf(value):
            return {"$float": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v) for v in value]}
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    raise GraphError(f"value of type {type(value).__name__} cannot be encoded: {value!r}")


def decode_value(data: Any) -> Any:
    """Inverse of :func:`encode_value`."""
    if data is None or isinstance(data, bool | str | int | float):
        return data
    if isinstance(data, list):
        return [decode_value(v) for v in data]
    if isinstance(data, dict) and len(data) == 1:
        (tag, body), = data.items()
        if tag == "$int":
            return int(body)
        if tag == "$float":
            return float(body)
        if tag == "$bytes":
            return base64.b64decode(body)
        if tag == "$tuple":
            return tuple(decode_value(v) for v in body)
        if tag == "$dict":
            return {decode_value(k): decode_value(v) for k, v in body}
    raise GraphError(f"not a tagged value: {json.dumps(data)[:80]}")


def _tagged(obj: dict) -> Any:
    """json object hook: one tag, whose body was already decoded (the hook runs bottom-up)."""
    if len(obj) != 1:
        raise GraphError(f"not a tagged value: {json.dumps(obj)[:80]}")
    (tag, body), = obj.items()
    if tag == "$tuple":
        return tuple(body)
    if tag == "$int":
        return int(body)
    if tag == "$float":
        return float(body)
    if tag == "$bytes":
        return base64.b64decode(body)
    if tag == "$dict":
        return {k: v for k, v in body}
    raise GraphError(f"not a tagged value: {json.dumps(obj)[:80]}")


_DECODER = json.JSONDecoder(object_hook=_tagged)


def loads_value(text: str) -> Any:
    """``decode_value(json.loads(text))`` in one pass of json's C parser (fast for large inputs).

    One module-level decoder: ``json.loads`` with an ``object_hook`` would build a new
    decoder on every call, which dominates per-line parsing of large files.
    """
    return _DECODER.decode(text)


def canonical(value: Any) -> str:
    """The canonical encoding: keys (and distinct elements) are equal iff these strings are equal.

    So ``1``, ``1.0`` and ``True`` are three keys, ``0.0`` and ``-0.0`` two, and
    every NaN is one key. A dict's entries are sorted by the canonical
    encoding of their keys.
    """
    return json.dumps(_canonical_tree(value), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _canonical_tree(value: Any) -> Any:
    if isinstance(value, dict):
        items = sorted(((canonical(k), _canonical_tree(v)) for k, v in value.items()), key=lambda kv: kv[0])
        return {"$dict": [[json.loads(k), v] for k, v in items]}
    if isinstance(value, list):
        return [_canonical_tree(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_canonical_tree(v) for v in value]}
    return encode_value(value)


_RANKS = {type(None): 0, bool: 1, int: 2, float: 2, str: 3, bytes: 4, tuple: 5, list: 6, dict: 7}


def order_key(value: Any) -> tuple:
    """A total order over values, used by min/max/top/sorted functions.

    Types order None < bool < numbers < str < bytes < tuple < list < dict.
    Numbers order numerically with NaN above +inf; numerically equal numbers
    order int before float and -0.0 before 0.0, so the order is total.
    """
    rank = _RANKS.get(type(value))
    if rank is None:
        raise GraphError(f"value of type {type(value).__name__} has no order")
    if rank == 2:
        if isinstance(value, float) and math.isnan(value):
            return (2, 1, 0, 0, 0)
        is_float = isinstance(value, float)
        sign = math.copysign(1.0, value) if is_float else 0
        return (2, 0, value, int(is_float), sign)
    if rank in (5, 6):
        return (rank, tuple(order_key(v) for v in value))
    if rank == 7:
        return (7, tuple(sorted((order_key(k), order_key(v)) for k, v in value.items())))
    return (rank, value)


# ------------------------------------------------------------------ elements, windows, time


@dataclass(frozen=True)
class Window:
    """A half-open interval window ``[start, end)`` in microseconds."""

    start: int
    end: int

    def max_timestamp(self) -> int:
        """The window's last instant at 1.0 resolution (end - 1 ms): the timestamp of its aggregated results."""
        return self.end - RESOLUTION


def encode_window(window: Window | str) -> Any:
    return GLOBAL if window == GLOBAL else [window.start, window.end]


def decode_window(data: Any) -> Window | str:
    if data == GLOBAL:
        return GLOBAL
    if isinstance(data, list) and len(data) == 2 and all(isinstance(v, int) for v in data):
        return Window(data[0], data[1])
    raise GraphError(f"not a window: {data!r} (expected \"global\" or [start, end])")


def encode_element(value: Any, timestamp: int | None, window: Window | str, pane: dict | None = None) -> dict:
    out: dict[str, Any] = {"value": encode_value(value), "timestamp": timestamp, "window": encode_window(window)}
    if pane is not None:
        out["pane"] = pane
    return out


# ------------------------------------------------------------------ the transforms

# name -> (number of main inputs: (min, max or None), parameters: {name: required?}, may take side inputs)
TRANSFORMS: dict[str, tuple[tuple[int, int | None], dict[str, bool], bool]] = {
    "create": ((0, 0), {"elements": True}, False),
    "read_text": ((0, 0), {"path": True}, False),
    "test_stream": ((0, 0), {"events": True}, False),
    "map": ((1, 1), {"fn": True}, True),
    "flat_map": ((1, 1), {"fn": True}, True),
    "filter": ((1, 1), {"fn": True}, True),
    "with_timestamps": ((1, 1), {"fn": True}, False),
    "keys": ((1, 1), {}, False),
    "values": ((1, 1), {}, False),
    "with_keys": ((1, 1), {"fn": True}, False),
    "group_by_key": ((1, 1), {}, False),
    "co_group_by_key": ((1, None), {"tags": True}, False),
    "combine_globally": ((1, 1), {"fn": True}, False),
    "combine_per_key": ((1, 1), {"fn": True}, False),
    "count_globally": ((1, 1), {}, False),
    "count_per_key": ((1, 1), {}, False),
    "count_per_element": ((1, 1), {}, False),
    "distinct": ((1, 1), {}, False),
    "flatten": ((1, None), {}, False),
    "partition": ((1, 1), {"fn": True, "n": True}, False),
    "top_per_key": ((1, 1), {"n": True, "largest": True}, False),
    "window_into": ((1, 1), {"windowfn": True, "trigger": False, "accumulation": False,
                             "allowed_lateness": False}, False),
    "stateful_par_do": ((1, 1), {"fn": True}, False),  # spec 1.1: a vetted StatefulDoFn over (key, value)
}

# which registry kind a transform's ``fn`` must name
FN_KIND = {
    "map": "map", "flat_map": "flat_map", "filter": "filter", "with_timestamps": "timestamp",
    "with_keys": "map", "combine_globally": "combine", "combine_per_key": "combine", "partition": "partition",
    "stateful_par_do": "stateful",
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
    from . import functions  # the registry imports nothing from here at import time

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
        for name, required in param_spec.items():
            if required and name not in params:
                raise GraphError(f"{where}: {transform} needs parameter {name!r}")
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
