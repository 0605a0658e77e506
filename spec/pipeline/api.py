"""Accord's pipeline API: write a pipeline once, run it on any pipeline adapter.

The vocabulary is Beam's, so a Beam user reads it without a manual::

    from accord.spec.pipeline.api import *

    p = Pipeline()
    words = p | Create(["a b", "b c"]) | FlatMap("split_words")
    counts = words | Count.per_element()
    result = run(p, "reference", outputs=[counts])
    result.values(counts)          # [("a", 1), ("b", 2), ("c", 1)] in some order

Functions are names from the vetted registry (``functions.py``) plus their
parameters: ``Map("key_by_mod", m=3)``. Since spec 1.1, ``ParDo("buffer_until_window_end")``
runs a vetted stateful DoFn (``stateful.py``) and ``result.metrics()`` returns what
metered functions such as ``Map("counted_identity")`` reported (``metrics.py``). Times and durations are integer
microseconds. ``p.to_graph(outputs)`` gives the JSON graph (``graph.py``);
:func:`render` (``render.py``) turns a graph back into this code (used for counterexamples).
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .graph import FORMAT, GLOBAL, decode_value, decode_window, encode_value, validate_graph
from .render import py, render

__all__ = [
    "ACCUMULATING", "DISCARDING", "AfterCount", "AfterProcessingTime", "AfterWatermark", "AsDict", "AsIter",
    "AsSingleton", "CoGroupByKey", "CombineGlobally", "CombinePerKey", "Count", "Create", "DefaultTrigger",
    "Distinct", "Filter", "FixedWindows", "FlatMap", "Flatten", "GlobalWindows", "GroupByKey",
    "Keys", "Map", "MetricResult", "PCollection", "ParDo", "Partition", "Pipeline", "ReadFromText", "Repeatedly",
    "Result",
    "Sessions", "SlidingWindows", "TestStream", "TimestampedValue", "Top", "Values", "WindowInto",
    "WithKeys", "WithTimestamps", "render", "run",
]

ACCUMULATING = "accumulating"
DISCARDING = "discarding"


# ------------------------------------------------------------------ pipeline and collections


class Pipeline:
    """A growing graph of transforms."""

    def __init__(self) -> None:
        self.nodes: list[dict] = []
        self._count = 0

    def add(self, transform: str, inputs: list[str], params: dict, side_inputs: list[dict] | None = None,
            label: str | None = None) -> str:
        node_id = label or f"{transform}_{self._count}"
        self._count += 1
        node: dict[str, Any] = {"id": node_id, "transform": transform, "inputs": inputs, "params": params}
        if side_inputs:
            node["side_inputs"] = side_inputs
        self.nodes.append(node)
        return node_id

    def __or__(self, transform: PTransform) -> Any:
        return transform.apply(self, [])

    def to_graph(self, outputs: Iterable[PCollection] | None = None) -> dict:
        """The JSON graph; ``outputs`` default to every collection nothing else consumes."""
        if outputs is None:
            used = {ref.split("#")[0] for n in self.nodes for ref in n["inputs"]}
            used |= {s["input"].split("#")[0] for n in self.nodes for s in n.get("side_inputs", [])}
            refs = [n["id"] for n in self.nodes if n["id"] not in used and n["transform"] != "partition"]
        else:
            refs = [pc.ref for pc in outputs]
        graph = {"format": FORMAT, "nodes": [dict(n) for n in self.nodes], "outputs": refs}
        validate_graph(graph)
        return graph


@dataclass(frozen=True)
class PCollection:
    pipeline: Pipeline
    ref: str

    def __or__(self, transform: PTransform) -> Any:
        return transform.apply(self.pipeline, [self.ref])


def _inputs(source: Any) -> tuple[Pipeline, list[str]]:
    items = list(source.values()) if isinstance(source, dict) else list(source)
    if not items or not all(isinstance(pc, PCollection) for pc in items):
        raise TypeError("expected PCollections")
    return items[0].pipeline, [pc.ref for pc in items]


# ------------------------------------------------------------------ transforms


@dataclass
class PTransform:
    transform: str
    params: dict = field(default_factory=dict)
    side_inputs: list[dict] = field(default_factory=list)
    label: str | None = None

    def __rrshift__(self, label: str) -> PTransform:
        """``"name" >> Map(...)`` names the node."""
        self.label = label
        return self

    def __ror__(self, source: Any) -> Any:
        """``(a, b) | Flatten()`` and ``{"x": a, "y": b} | CoGroupByKey()``."""
        pipeline, refs = _inputs(source)
        return self.apply(pipeline, refs)

    def apply(self, pipeline: Pipeline, inputs: list[str]) -> Any:
        node_id = pipeline.add(self.transform, inputs, self.params, self.side_inputs, self.label)
        return PCollection(pipeline, node_id)


def _fn(name: str, params: dict) -> dict:
    return {"name": name, "params": params} if params else {"name": name}


@dataclass(frozen=True)
class _View:
    view: str
    pcoll: PCollection
    default: Any = ()  # () = no default

    def to_json(self) -> dict:
        out = {"input": self.pcoll.ref, "view": self.view}
        if self.default != ():
            out["default"] = encode_value(self.default)
        return out


def AsSingleton(pcoll: PCollection, default: Any = ()) -> _View:  # noqa: N802 - Beam's spelling
    return _View("singleton", pcoll, default)


def AsIter(pcoll: PCollection) -> _View:  # noqa: N802
    return _View("iter", pcoll)


def AsDict(pcoll: PCollection) -> _View:  # noqa: N802
    return _View("dict", pcoll)


def _with_fn(transform: str, name: str, args: tuple, params: dict) -> PTransform:
    views = [a for a in args if isinstance(a, _View)]
    if len(views) != len(args):
        raise TypeError(f"{transform}: positional arguments after the function name must be side-input views")
    return PTransform(transform, {"fn": _fn(name, params)}, [v.to_json() for v in views])


def Map(name: str, *side: _View, **params: Any) -> PTransform:  # noqa: N802
    return _with_fn("map", name, side, params)


def FlatMap(name: str, *side: _View, **params: Any) -> PTransform:  # noqa: N802
    return _with_fn("flat_map", name, side, params)


def Filter(name: str, *side: _View, **params: Any) -> PTransform:  # noqa: N802
    return _with_fn("filter", name, side, params)


def WithTimestamps(name: str, **params: Any) -> PTransform:  # noqa: N802
    return PTransform("with_timestamps", {"fn": _fn(name, params)})


def WithKeys(name: str, **params: Any) -> PTransform:  # noqa: N802
    return PTransform("with_keys", {"fn": _fn(name, params)})


def Keys() -> PTransform:  # noqa: N802
    return PTransform("keys")


def Values() -> PTransform:  # noqa: N802
    return PTransform("values")


def GroupByKey() -> PTransform:  # noqa: N802
    return PTransform("group_by_key")


def CombineGlobally(name: str, **params: Any) -> PTransform:  # noqa: N802
    return PTransform("combine_globally", {"fn": _fn(name, params)})


def CombinePerKey(name: str, **params: Any) -> PTransform:  # noqa: N802
    return PTransform("combine_per_key", {"fn": _fn(name, params)})


def Distinct() -> PTransform:  # noqa: N802
    return PTransform("distinct")


def Flatten() -> PTransform:  # noqa: N802
    return PTransform("flatten")


def ParDo(name: str) -> PTransform:  # noqa: N802
    """A vetted stateful DoFn (``stateful.py``) over (key, value) elements: state and timers per key and window."""
    return PTransform("stateful_par_do", {"fn": {"name": name}})


def ReadFromText(path: str) -> PTransform:  # noqa: N802
    return PTransform("read_text", {"path": str(path)})


class CoGroupByKey(PTransform):
    """``{"tag": pcoll, ...} | CoGroupByKey()`` → (key, {tag: [values]})."""

    def __init__(self) -> None:
        super().__init__("co_group_by_key")

    def __ror__(self, source: Any) -> Any:
        if not isinstance(source, dict):
            raise TypeError("CoGroupByKey takes a dict {tag: PCollection}")
        self.params = {"tags": list(source)}
        return super().__ror__(source)


class Partition(PTransform):
    """``pcoll | Partition("mod_n", 3)`` → a tuple of 3 PCollections."""

    def __init__(self, name: str, n: int, **params: Any) -> None:
        super().__init__("partition", {"fn": _fn(name, params), "n": n})

    def apply(self, pipeline: Pipeline, inputs: list[str]) -> tuple[PCollection, ...]:
        node_id = super().apply(pipeline, inputs).ref
        return tuple(PCollection(pipeline, f"{node_id}#{i}") for i in range(self.params["n"]))


class Count:
    @staticmethod
    def globally() -> PTransform:
        return PTransform("count_globally")

    @staticmethod
    def per_key() -> PTransform:
        return PTransform("count_per_key")

    @staticmethod
    def per_element() -> PTransform:
        return PTransform("count_per_element")


class Top:
    @staticmethod
    def largest_per_key(n: int) -> PTransform:
        return PTransform("top_per_key", {"n": n, "largest": True})

    @staticmethod
    def smallest_per_key(n: int) -> PTransform:
        return PTransform("top_per_key", {"n": n, "largest": False})


@dataclass(frozen=True)
class TimestampedValue:
    value: Any
    timestamp: int  # µs


class Create(PTransform):
    """``p | Create([1, 2])`` or ``Create([TimestampedValue(1, 5_000_000), ...])``."""

    def __init__(self, values: Iterable[Any]) -> None:
        elements = []
        for v in values:
            if isinstance(v, TimestampedValue):
                elements.append({"value": encode_value(v.value), "timestamp": v.timestamp})
            else:
                elements.append({"value": encode_value(v)})
        super().__init__("create", {"elements": elements})


class TestStream(PTransform):
    """A deterministic stream: ``TestStream().add_elements([...]).advance_watermark_to(t)``."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        super().__init__("test_stream", {"events": []})

    def add_elements(self, elements: Iterable[TimestampedValue]) -> TestStream:
        self.params["events"].append({"kind": "elements", "elements": [
            {"value": encode_value(e.value), "timestamp": e.timestamp} for e in elements]})
        return self

    def advance_watermark_to(self, timestamp: int) -> TestStream:
        self.params["events"].append({"kind": "watermark", "to": timestamp})
        return self

    def advance_processing_time(self, duration: int) -> TestStream:
        self.params["events"].append({"kind": "processing_time", "advance": duration})
        return self


# ------------------------------------------------------------------ windowing and triggers


def GlobalWindows() -> dict:  # noqa: N802
    return {"type": "global"}


def FixedWindows(size: int, offset: int = 0) -> dict:  # noqa: N802
    return {"type": "fixed", "size": size, **({"offset": offset} if offset else {})}


def SlidingWindows(size: int, period: int, offset: int = 0) -> dict:  # noqa: N802
    return {"type": "sliding", "size": size, "period": period, **({"offset": offset} if offset else {})}


def Sessions(gap: int) -> dict:  # noqa: N802
    return {"type": "sessions", "gap": gap}


def DefaultTrigger() -> dict:  # noqa: N802
    return {"type": "default"}


def AfterWatermark(early: dict | None = None, late: dict | None = None) -> dict:  # noqa: N802
    out: dict[str, Any] = {"type": "after_watermark"}
    if early:
        out["early"] = early
    if late:
        out["late"] = late
    return out


def AfterCount(count: int) -> dict:  # noqa: N802
    return {"type": "after_count", "count": count}


def AfterProcessingTime(delay: int) -> dict:  # noqa: N802
    return {"type": "after_processing_time", "delay": delay}


def Repeatedly(trigger: dict) -> dict:  # noqa: N802
    return {"type": "repeatedly", "trigger": trigger}


def WindowInto(windowfn: dict, trigger: dict | None = None, accumulation_mode: str | None = None,  # noqa: N802
               allowed_lateness: int | None = None) -> PTransform:
    params: dict[str, Any] = {"windowfn": windowfn}
    if trigger is not None:
        params["trigger"] = trigger
    if accumulation_mode is not None:
        params["accumulation"] = accumulation_mode
    if allowed_lateness is not None:
        params["allowed_lateness"] = allowed_lateness
    return PTransform("window_into", params)


# ------------------------------------------------------------------ running


@dataclass(frozen=True)
class OutputElement:
    value: Any
    timestamp: int | None
    window: Any  # "global" or graph.Window
    pane: dict | None = None


@dataclass(frozen=True)
class MetricResult:
    """One metric of a run, as Beam's ``MetricResult``: ``committed`` is an int (counter) or
    ``{count, sum, min, max}`` (distribution); ``attempted`` is None where the engine does not say."""

    step: str
    name: str
    kind: str
    committed: Any
    attempted: Any = None


class Result:
    """What a run produced, per output collection (order is meaningless), and the metrics it reported."""

    def __init__(self, raw: dict) -> None:
        self.raw = raw

    def elements(self, pcoll: PCollection | str) -> list[OutputElement]:
        ref = pcoll.ref if isinstance(pcoll, PCollection) else pcoll
        return [OutputElement(decode_value(e["value"]), e.get("timestamp"), decode_window(e["window"]),
                              e.get("pane")) for e in self.raw["outputs"][ref]]

    def values(self, pcoll: PCollection | str) -> list:
        return [e.value for e in self.elements(pcoll)]

    def metrics(self, step: PCollection | str | None = None, name: str | None = None) -> list[MetricResult]:
        """The reported metrics, optionally only those of one step (a PCollection or node id) and name."""
        wanted = step.ref if isinstance(step, PCollection) else step
        return [MetricResult(m["step"], m["name"], m["kind"], m["committed"], m.get("attempted"))
                for m in self.raw.get("metrics", [])
                if (wanted is None or m["step"] == wanted) and (name is None or m["name"] == name)]


def load_adapter(name: str) -> Any:
    """``"reference"`` / ``"beam"`` (entry point ``pipeline.<name>``) or ``"module:attribute"``."""
    if ":" in name:
        module, attribute = name.split(":", 1)
        return getattr(importlib.import_module(module), attribute)
    for entry in importlib.metadata.entry_points(group="accord.adapters"):
        if entry.name == f"pipeline.{name}":
            return entry.load()
    raise LookupError(f"no pipeline adapter named {name!r}")


def run(pipeline: Pipeline, adapter: Any, outputs: Iterable[PCollection] | None = None) -> Result:
    """Run on an adapter object (or client) with ``invoke``, or an adapter name (started and stopped here)."""
    graph = pipeline.to_graph(outputs)
    if isinstance(adapter, str):
        adapter = load_adapter(adapter)
        adapter.start()
        try:
            return Result(adapter.invoke("run", {"graph": graph}))
        finally:
            adapter.stop()
    return Result(adapter.invoke("run", {"graph": graph}))


__all__ += ["GLOBAL", "OutputElement", "load_adapter", "py"]
