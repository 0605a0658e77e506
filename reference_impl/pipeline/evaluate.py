"""The reference runner: evaluates an ``accord.pipeline/1`` graph node by node, in memory.

Written for clarity, not speed. Every transform is a small function over a
:class:`Collection` (its elements plus its windowing strategy); the rules they
follow are the ones in ``spec/pipeline/1.0`` and each function names the spec
document it implements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from accord.spec.pipeline import functions, metrics
from accord.spec.pipeline.graph import (
    GLOBAL,
    RESOLUTION,
    Window,
    canonical,
    decode_value,
    normalise_graph,
    order_key,
    parse_ref,
    validate_graph,
)

from . import stateful, triggers, windowing
from .errors import PipelineError, UnportablePipeline
from .windowing import GLOBAL_WINDOWING


class Element(NamedTuple):
    """One element of a collection. (A named tuple, not a frozen dataclass: the dataclass's field-by-field
    ``__init__`` was the largest single cost of a 10^5-event run, and an element is made per transform.)"""

    value: Any
    timestamp: int | None  # µs; None = no defined event time
    window: Window | str
    pane: dict | None = None  # pane metadata of a triggered aggregation's output
    arrival: int = 0  # streaming only: index of the test-stream event that produced it

    # The same element with one field changed (``_replace`` says the same, but takes keywords: slower).

    def with_value(self, value: Any) -> Element:
        return Element(value, self.timestamp, self.window, self.pane, self.arrival)

    def with_timestamp(self, timestamp: int) -> Element:
        return Element(self.value, timestamp, self.window, self.pane, self.arrival)

    def with_window(self, window: Window | str) -> Element:
        return Element(self.value, self.timestamp, window, self.pane, self.arrival)


@dataclass
class Collection:
    elements: list[Element]
    windowing: dict[str, Any] = field(default_factory=lambda: dict(GLOBAL_WINDOWING))
    streaming: bool = False


@dataclass(frozen=True)
class Group:
    """All values of one key in one window (or one pane of it)."""

    key: Any
    window: Window | str
    values: list
    pane: dict | None = None
    arrival: int = 0


def run_graph(graph: dict, metrics_out: list | None = None) -> dict[str, list[Element]]:
    """Evaluate the graph; returns the elements of every output reference.

    The metrics the vetted functions report (contracts/metrics.yaml) are recorded per
    step - each element's updates once - and appended to ``metrics_out`` in wire form.
    """
    validate_graph(graph)
    graph = normalise_graph(graph)
    check_resolution(graph)
    results: dict[str, Any] = {}  # node id -> Collection, or list of Collections for partition
    stream = None
    for node in graph["nodes"]:
        if node["transform"] == "test_stream":
            if stream is not None:
                raise UnportablePipeline("a 1.0 pipeline has at most one test_stream")
            stream = node["params"]["events"]
        inputs = [_resolve(results, ref) for ref in node.get("inputs", [])]
        sides = [(_resolve(results, side["input"]), side) for side in node.get("side_inputs", [])]
        recorder = metrics.Recorder()
        with metrics.reporting_to(recorder):
            results[node["id"]] = TRANSFORMS[node["transform"]](node["params"], inputs, sides, stream)
        if metrics_out is not None:
            metrics_out += recorder.wire(node["id"])
    return {ref: _resolve(results, ref).elements for ref in graph["outputs"]}


def check_resolution(graph: dict) -> None:
    """Every time in a 1.0 pipeline is a whole millisecond (graph.RESOLUTION); others are not portable."""
    def times(value: Any, name: str = "") -> list[tuple[str, int]]:
        if isinstance(value, dict):
            return [t for key, v in value.items() for t in times(v, key)]
        if isinstance(value, list):
            return [t for v in value for t in times(v, name)]
        timed = {"timestamp", "size", "period", "offset", "gap", "allowed_lateness", "delay", "to", "advance"}
        return [(name, value)] if name in timed and isinstance(value, int) and not isinstance(value, bool) else []
    for node in graph["nodes"]:
        for name, value in times(node["params"]):
            if value % RESOLUTION:
                raise UnportablePipeline(f"node {node['id']!r}: {name} {value} µs is not a whole millisecond")


def _resolve(results: dict, ref: str) -> Collection:
    node_id, index = parse_ref(ref)
    found = results[node_id]
    return found[index] if index is not None else found


def _like(source: Collection, elements: list[Element]) -> Collection:
    """A new collection with the same windowing (element-wise transforms keep it)."""
    return Collection(elements, source.windowing, source.streaming)


# ------------------------------------------------------------------ sources  (transforms/create.yaml …)


def _create(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    elements = [Element(decode_value(e["value"]), e.get("timestamp"), GLOBAL) for e in params["elements"]]
    return Collection(elements)


def _read_text(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    with open(params["path"], encoding="utf-8") as handle:
        return Collection([Element(line.rstrip("\n"), None, GLOBAL) for line in handle])


def _test_stream(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    """Elements arrive at the position of their ``elements`` event (streaming/test_stream.yaml)."""
    elements = []
    for position, event in enumerate(params["events"]):
        if event["kind"] == "elements":
            elements += [Element(decode_value(e["value"]), e["timestamp"], GLOBAL, arrival=position)
                         for e in event["elements"]]
    return Collection(elements, streaming=True)


# ------------------------------------------------------------------ element-wise  (transforms/map.yaml …)


def _side_values(sides: list) -> list:
    """The value each side input's view presents (transforms/side_inputs.yaml)."""
    values = []
    for collection, side in sides:
        if any(e.window != GLOBAL for e in collection.elements):
            raise UnportablePipeline("1.0 side inputs must be in the global window")
        items = [e.value for e in collection.elements]
        if side["view"] == "singleton":
            if len(items) == 1:
                values.append(items[0])
            elif not items and "default" in side:
                values.append(decode_value(side["default"]))
            else:
                raise PipelineError(f"a singleton side input holds {len(items)} elements, not exactly 1")
        elif side["view"] == "iter":
            values.append(items)
        else:
            keys = [canonical(_pair(item)[0]) for item in items]
            if len(set(keys)) != len(keys):
                raise UnportablePipeline("a dict side input has duplicate keys")
            values.append(dict(_pair(item) for item in items))
    return values


def _elementwise(apply: Callable[[Element, Callable, list], list[Element]]) -> Callable:
    def transform(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
        (source,) = inputs
        fn = functions.bind(params["fn"]) if "fn" in params else None
        side_values = _side_values(sides)
        out = []
        for element in source.elements:
            out += apply(element, fn, side_values)
        return _like(source, out)
    return transform


def _map(element: Element, fn: Callable, side: list) -> list[Element]:
    return [element.with_value(fn(element.value, *side))]


def _flat_map(element: Element, fn: Callable, side: list) -> list[Element]:
    return [element.with_value(v) for v in fn(element.value, *side)]


def _filter(element: Element, fn: Callable, side: list) -> list[Element]:
    return [element] if fn(element.value, *side) else []


def _with_timestamps(element: Element, fn: Callable, side: list) -> list[Element]:
    timestamp = fn(element.value)
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        raise PipelineError(f"a timestamp function returned {timestamp!r}, not an integer of µs")
    if timestamp % RESOLUTION:
        raise UnportablePipeline(f"timestamp {timestamp} µs is not a whole millisecond")
    return [element.with_timestamp(timestamp)]


def _pair(value: Any) -> tuple:
    if not isinstance(value, tuple) or len(value) != 2:
        raise PipelineError(f"expected a (key, value) pair, got {value!r}")
    return value


def _keys(element: Element, fn: Callable, side: list) -> list[Element]:
    return [element.with_value(_pair(element.value)[0])]


def _values(element: Element, fn: Callable, side: list) -> list[Element]:
    return [element.with_value(_pair(element.value)[1])]


def _with_keys(element: Element, fn: Callable, side: list) -> list[Element]:
    return [element.with_value((fn(element.value), element.value))]


def _flatten(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    """transforms/flatten.yaml: the union; every input must have the same windowing."""
    if any(c.windowing != inputs[0].windowing for c in inputs):
        raise PipelineError("flatten inputs have different windowing strategies")
    return Collection([e for c in inputs for e in c.elements], inputs[0].windowing,
                      any(c.streaming for c in inputs))


def _partition(params: dict, inputs: list, sides: list, stream: Any) -> list[Collection]:
    (source,) = inputs
    fn, n = functions.bind(params["fn"]), params["n"]
    parts: list[list[Element]] = [[] for _ in range(n)]
    for element in source.elements:
        index = fn(element.value, n)
        if not isinstance(index, int) or not 0 <= index < n:
            raise PipelineError(f"partition function returned {index!r}, not an index in [0, {n})")
        parts[index].append(element)
    return [_like(source, part) for part in parts]


def _window_into(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    """windowing/*.yaml: re-assign every element's windows; timestamps are kept."""
    (source,) = inputs
    strategy = {"windowfn": params["windowfn"], "trigger": params.get("trigger", {"type": "default"}),
                "accumulation": params.get("accumulation", "discarding"),
                "allowed_lateness": params.get("allowed_lateness", 0)}
    if strategy["trigger"] == {"type": "default"} and strategy["accumulation"] == "discarding" \
            and strategy["allowed_lateness"] == 0:
        strategy = {"windowfn": params["windowfn"]}  # the default strategy, written one way
    out = []
    for element in source.elements:
        if params["windowfn"]["type"] == "global":
            out.append(element.with_window(GLOBAL))
            continue
        if element.timestamp is None:
            raise UnportablePipeline("window_into needs event times, but an element has none")
        out += [element.with_window(w) for w in windowing.assign(params["windowfn"], element.timestamp)]
    return Collection(out, strategy, source.streaming)


# ------------------------------------------------------------------ grouping  (transforms/group_by_key.yaml)


def group(source: Collection, stream: Any, key_of: Callable[[Any], Any],
          value_of: Callable[[Any], Any]) -> list[Group]:
    """Gather values per (window, key) — keys are equal iff their canonical encodings are.

    Session windows merge per key first. In a streaming pipeline the trigger
    machinery cuts each (window, key) into panes instead.
    """
    if source.streaming and any(e.pane is not None for e in source.elements):
        raise UnportablePipeline("aggregating the panes of a triggered aggregation again is outside spec 1.0")
    per_key: dict[str, list[Element]] = {}
    for element in source.elements:
        per_key.setdefault(canonical(key_of(element.value)), []).append(element)
    groups: list[Group] = []
    for elements in per_key.values():
        key = key_of(elements[0].value)
        if windowing.is_merging(source.windowing):
            merged = windowing.merge_sessions({e.window for e in elements})
            elements = [e.with_window(merged[e.window]) for e in elements]
        if source.streaming:
            groups += triggers.panes(key, [(e.window, value_of(e.value), e.timestamp, e.arrival) for e in elements],
                                     source.windowing, stream, Group)
            continue
        per_window: dict[Window | str, list] = {}
        for e in elements:
            per_window.setdefault(e.window, []).append(value_of(e.value))
        groups += [Group(key, window, values) for window, values in per_window.items()]
    return groups


def _grouped_output(source: Collection, groups: list[Group], make_value: Callable[[Group], Any]) -> Collection:
    out = [Element(make_value(g), windowing.output_timestamp(g.window), g.window, g.pane, g.arrival)
           for g in groups]
    return Collection(out, source.windowing, source.streaming)


def _key(value: Any) -> Any:
    return _pair(value)[0]


def _value(value: Any) -> Any:
    return _pair(value)[1]


def _group_by_key(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    (source,) = inputs
    return _grouped_output(source, group(source, stream, _key, _value), lambda g: (g.key, list(g.values)))


def _co_group_by_key(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    """(key, {tag: [values from that input]}) for every key seen in any input (transforms/co_group_by_key.yaml)."""
    if any(c.windowing != inputs[0].windowing for c in inputs):
        raise PipelineError("co_group_by_key inputs have different windowing strategies")
    tags = params["tags"]
    tagged = [e.with_value((_key(e.value), (tag, _value(e.value))))
              for tag, c in zip(tags, inputs, strict=True) for e in c.elements]
    union = Collection(tagged, inputs[0].windowing, any(c.streaming for c in inputs))

    def by_tag(g: Group) -> tuple:
        return (g.key, {tag: [v for t, v in g.values if t == tag] for tag in tags})
    return _grouped_output(union, group(union, stream, _key, _value), by_tag)


def _combine_per_key(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    (source,) = inputs
    fn = functions.bind(params["fn"], "combine")
    return _grouped_output(source, group(source, stream, _key, _value), lambda g: (g.key, fn.apply(g.values)))


def _combine_globally(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    """transforms/combine_globally.yaml: one result per non-empty window; the global window always has one."""
    (source,) = inputs
    fn = functions.bind(params["fn"], "combine")
    groups = group(source, stream, lambda v: None, lambda v: v)
    if not groups and source.windowing["windowfn"]["type"] == "global" and not source.streaming:
        groups = [Group(None, GLOBAL, [])]
    return _grouped_output(source, groups, lambda g: fn.apply(g.values))


def _count_globally(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    return _combine_globally({"fn": {"name": "count"}}, inputs, sides, stream)


def _count_per_key(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    return _combine_per_key({"fn": {"name": "count"}}, inputs, sides, stream)


def _count_per_element(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    (source,) = inputs
    groups = group(source, stream, lambda v: v, lambda v: v)
    return _grouped_output(source, groups, lambda g: (g.key, len(g.values)))


def _distinct(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    (source,) = inputs
    return _grouped_output(source, group(source, stream, lambda v: v, lambda v: v), lambda g: g.key)


def _top_per_key(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    (source,) = inputs
    n, largest = params["n"], params["largest"]
    return _grouped_output(source, group(source, stream, _key, _value),
                           lambda g: (g.key, sorted(g.values, key=order_key, reverse=largest)[:n]))


def _stateful_par_do(params: dict, inputs: list, sides: list, stream: Any) -> Collection:
    """transforms/stateful_par_do.yaml (1.1): state and timers per key and window (stateful.py)."""
    (source,) = inputs
    if source.streaming:
        raise UnportablePipeline("stateful_par_do in a streaming pipeline is outside spec 1.1")
    if windowing.is_merging(source.windowing):
        raise UnportablePipeline("stateful_par_do over merging (session) windows is outside spec 1.1")
    fn = functions.bind(params["fn"], "stateful")
    out = stateful.stateful_par_do(fn, source.elements, lambda v, t, w: Element(v, t, w))
    return _like(source, out)


TRANSFORMS: dict[str, Callable] = {
    "create": _create,
    "read_text": _read_text,
    "test_stream": _test_stream,
    "map": _elementwise(_map),
    "flat_map": _elementwise(_flat_map),
    "filter": _elementwise(_filter),
    "with_timestamps": _elementwise(_with_timestamps),
    "keys": _elementwise(_keys),
    "values": _elementwise(_values),
    "with_keys": _elementwise(_with_keys),
    "group_by_key": _group_by_key,
    "co_group_by_key": _co_group_by_key,
    "combine_globally": _combine_globally,
    "combine_per_key": _combine_per_key,
    "count_globally": _count_globally,
    "count_per_key": _count_per_key,
    "count_per_element": _count_per_element,
    "distinct": _distinct,
    "flatten": _flatten,
    "partition": _partition,
    "top_per_key": _top_per_key,
    "window_into": _window_into,
    "stateful_par_do": _stateful_par_do,
}
