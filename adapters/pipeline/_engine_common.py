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
    GLOBAL,
    canonical,
    decode_value,
    encode_element,
    loads_value,
    normalise_graph,
    parse_ref,
    validate_graph,
)

from . import _windowing_native as win


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


def encode(coll: Coll, rows: list) -> list[dict]:
    """The wire elements of a collection's gathered rows (bare values are in the global window)."""
    if not coll.full:
        return [encode_element(v, None, GLOBAL) for v in rows]
    return [encode_element(v, ts, win.wire_window(w)) for v, ts, w in rows]


def lift_map(fn: Any, full: bool) -> Any:
    """``fn`` of a value as a function of an element (a triple keeps its timestamp and window)."""
    return (lambda e: (fn(e[0]), e[1], e[2])) if full else fn


def keyed_pairs(src: Coll, key_of: Any, value_of: Any) -> Any | None:
    """``(grouping key, value)`` pairs: the key alone in the global window, else ``(window, key)``.

    None for session windows, which each engine merges its own way before pairing.
    """
    if not src.full:
        return src.data.map(lambda v: (key_of(v), value_of(v)))
    if not src.windowed:
        return src.data.map(lambda e: (key_of(e[0]), value_of(e[0])))
    if not src.sessions:
        return src.data.map(lambda e: ((e[2], key_of(e[0])), value_of(e[0])))
    return None


def keyed_unwrap(windowed: bool, make: Any) -> Any:
    """((window, key), result) → triple, or (key, result) → bare value in the global window."""
    if windowed:
        return lambda kv: (make(kv[0][1], kv[1]), win.result_timestamp(kv[0][0]), kv[0][0])
    return lambda kv: make(kv[0], kv[1])


class KeylessSteps:
    """The element-wise translations that read no side input, flatten, partition and distinct: alike on
    a Spark RDD and a dask bag.

    Both have ``map`` and ``filter``; a translator supplies ``flat_map(data, fn)`` (``flatMap`` /
    ``map(...).flatten()``) and ``union(datas)`` (``SparkContext.union`` / ``dask.bag.concat``).
    """

    def flat_map(self, data: Any, fn: Callable[[Any], list]) -> Any:
        raise NotImplementedError

    def union(self, datas: list) -> Any:
        """One engine collection holding the elements of all of ``datas``."""
        raise NotImplementedError

    def distinct_keys(self, src: Coll) -> Any:
        """The distinct canonical stand-ins (``(window, stand-in)`` when windowed) of a triples collection."""
        raise NotImplementedError

    def t_keys(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.data.map(lift_map(first, src.full)), src.full, src.windowing)

    def t_values(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.data.map(lift_map(second, src.full)), src.full, src.windowing)

    def t_with_keys(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        return Coll(src.data.map(lift_map(lambda x: (fn(x), x), src.full)), src.full, src.windowing)

    def t_with_timestamps(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        if src.full:
            return Coll(src.data.map(lambda e: (e[0], fn(e[0]), e[2])), True, src.windowing)
        return Coll(src.data.map(lambda v: (v, fn(v), GLOBAL)), True, src.windowing)

    def t_window_into(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        windowing = {"windowfn": params["windowfn"]}
        is_global = params["windowfn"]["type"] == "global"
        assign = win.assigner(params["windowfn"])
        if not src.full and is_global:
            return Coll(src.data, False, windowing)

        def rewindow(e: tuple) -> list:
            if e[1] is None:
                if is_global:
                    return [(e[0], None, GLOBAL)]
                raise ValueError("window_into needs event times; an element has none")
            return [(e[0], e[1], w) for w in assign(e[1])]
        rows = src.data if src.full else src.data.map(lambda v: (v, None, GLOBAL))  # fails per element, if any
        return Coll(self.flat_map(rows, rewindow), True, windowing)

    def t_flatten(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        if any(c.windowing != inputs[0].windowing for c in inputs):
            raise ValueError(f"node {node['id']!r}: flatten inputs have different windowing")
        if all(not c.full for c in inputs):
            return Coll(self.union([c.data for c in inputs]), False, inputs[0].windowing)
        datas = [c.data if c.full else c.data.map(lambda v: (v, None, GLOBAL)) for c in inputs]
        return Coll(self.union(datas), True, inputs[0].windowing)

    def t_distinct(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        if not src.full:
            return Coll(src.data.map(canonical_key).distinct().map(original_key), False, src.windowing)
        unique = self.distinct_keys(src)
        if not src.windowed:
            return Coll(unique.map(original_key), False, src.windowing)
        return Coll(unique.map(lambda wk: (original_key(wk[1]), win.result_timestamp(wk[0]), wk[0])), True,
                    src.windowing)

    def t_partition(self, node: dict, params: dict, inputs: list, sides: list) -> list[Coll]:
        (src,) = inputs
        fn, n = bound_fn(node), params["n"]

        def index_of(x: Any) -> int:
            index = fn(x, n)
            if not isinstance(index, int) or not 0 <= index < n:
                raise ValueError(f"partition function returned {index!r}, not an index in [0, {n})")
            return index

        def output(i: int) -> Coll:
            test = (lambda e: index_of(e[0]) == i) if src.full else (lambda v: index_of(v) == i)
            return Coll(src.data.filter(test), src.full, src.windowing)
        return [output(i) for i in range(n)]


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


def canonical_key_of(key_of: Any) -> Any:
    """``key_of`` followed by ``canonical_key``; the constant key of a global aggregate needs none."""
    if key_of is nothing:
        return nothing
    return lambda v: canonical_key(key_of(v))


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
