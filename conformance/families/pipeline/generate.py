"""Hypothesis strategies that build pipeline graphs: one transform in focus, or a random DAG.

Graphs are built as plain ``accord.pipeline/1`` dicts (see ``graph.py``) so that a
counterexample is the graph itself: JSON in the report, Accord API code in the
snippet (``render.render``). Element types follow the registry's vocabulary and
decide which transforms and functions may follow which (``ACCEPTS``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st

from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import FORMAT, encode_value

from . import data

# which collection element types a function's ``accepts`` admits
ACCEPTS = {
    "any": {"any", "int", "num", "str", "kv", "kv_num"},
    "num": {"int", "num"},
    "int": {"int"},
    "str": {"str"},
    "kv": {"kv", "kv_num"},
    "kv_num": {"kv_num"},
    "grouped": {"grouped", "grouped_num"},
    "grouped_num": {"grouped_num"},
}
KEYABLE = ACCEPTS["any"]
VALUE_TYPE = {"kv": "any", "kv_num": "num", "kv_opaque": "opaque", "grouped": "opaque", "grouped_num": "opaque"}
KEYED = {"kv", "kv_num", "kv_opaque", "kv_fuzzy", "grouped", "grouped_num"}
# Values computed by a function that may reassociate float additions are "fuzzy": compared with the
# spec's tolerance, so nothing may branch, key or stringify on them; they only flow to outputs.
FUZZY_FUNCTIONS = {"sum_values"}
# parse_json decodes its input: random strings are not JSON, so only targeted checks use it. Metered
# functions (spec 1.1 metrics) have their own example requirements; their outputs are plain map/filter ones.
_SCRATCH: list[tempfile.TemporaryDirectory] = []


def scratch_dir() -> str:
    """This process's folder for the files ``read_text`` pipelines read, removed when the process ends.

    A file is written when its pipeline is drawn, and the check removes it once the pipeline has run;
    but hypothesis also draws pipelines it never runs (filtered out, past a shrink budget, replaced by a
    smaller one), and those files must not stay in the temp dir either.
    """
    if not _SCRATCH:
        _SCRATCH.append(tempfile.TemporaryDirectory(prefix="accord-pipeline-"))
    return _SCRATCH[0].name


NOT_GENERATED = {"parse_json"} | {name for name, entry in functions.REGISTRY.items() if entry.metrics}


@dataclass(frozen=True)
class Coll:
    """What the generator knows about one collection of the graph being built."""

    ref: str
    type: str
    windowfn: Mapping | None = None  # None: the global window
    timestamped: bool = False  # every element has a defined event time


class Builder:
    def __init__(self) -> None:
        self.nodes: list[dict] = []

    def add(self, transform: str, inputs: list[str] | tuple = (), params: dict | None = None,
            side_inputs: list[dict] | None = None) -> str:
        node_id = f"{transform}_{len(self.nodes)}"
        node: dict[str, Any] = {"id": node_id, "transform": transform, "inputs": list(inputs),
                                "params": params or {}}
        if side_inputs:
            node["side_inputs"] = side_inputs
        self.nodes.append(node)
        return node_id

    def graph(self, outputs: list[str]) -> dict:
        return {"format": FORMAT, "nodes": self.nodes, "outputs": list(dict.fromkeys(outputs))}


def _fn_ref(draw: Any, entry: functions.Entry) -> dict:
    params = {name: draw(st.integers(1, 4)) for name in entry.params}
    return {"name": entry.name, "params": params} if params else {"name": entry.name}


def _entries(kind: str, coll_type: str, side: tuple = ()) -> list[functions.Entry]:
    return [e for e in functions.REGISTRY.values()
            if e.kind == kind and e.side == side and coll_type in ACCEPTS.get(e.accepts, ())
            and e.name not in NOT_GENERATED]


def _result_type(entry: functions.Entry, coll_type: str) -> str:
    if entry.name in FUZZY_FUNCTIONS:
        return "kv_fuzzy"
    return coll_type if entry.returns == "same" else entry.returns


def _combined_type(fn_name: str, value_type: str) -> str:
    """The element type a combine function produces from values of value_type."""
    if fn_name == "count":
        return "int"
    if fn_name == "sum":
        return "int" if value_type == "int" else "fuzzy"
    if fn_name == "mean":
        return "num" if value_type == "int" else "fuzzy"
    if fn_name in ("min", "max"):
        return value_type
    return "opaque"


def _kv_type(value_type: str) -> str:
    special = {"int": "kv_num", "num": "kv_num", "fuzzy": "kv_fuzzy"}
    return special.get(value_type, "kv" if value_type in KEYABLE else "kv_opaque")


def source(draw: Any, b: Builder, kind: str, timestamped: bool, empty: bool = False,
           keys: str = "plain", max_size: int = 8, windowfn: Mapping | None = None) -> Coll:
    """A create node of random values of one type; with timestamps when asked.

    For session windows the timestamps form a chain of steps of exactly the gap,
    the gap ± 1 ms, 0 and 2 gaps, so sessions touch, overlap and stay apart.
    """
    values = [] if empty else draw(data.lists_of(kind, max_size, keys))
    stamps: list[int | None] = [None] * len(values)
    if timestamped and windowfn is not None and windowfn["type"] == "sessions":
        gap, now, stamps = windowfn["gap"], draw(st.integers(0, 3)) * data.SECOND, []
        for _ in values:
            stamps.append(now)
            now += draw(st.sampled_from([gap, gap, gap - data.MS, gap + data.MS, 0, 2 * gap]))
    elif timestamped:
        stamps = [draw(data.timestamps) for _ in values]
    elements = []
    for value, stamp in zip(values, stamps, strict=True):
        elements.append({"value": encode_value(value)} if stamp is None else
                        {"value": encode_value(value), "timestamp": stamp})
    return Coll(b.add("create", params={"elements": elements}), kind, None, timestamped)


def window(b: Builder, coll: Coll, windowfn: Mapping) -> Coll:
    ref = b.add("window_into", [coll.ref], {"windowfn": dict(windowfn)})
    return replace(coll, ref=ref, windowfn=None if windowfn["type"] == "global" else windowfn)


# ------------------------------------------------------------------ one step of a random pipeline


def _options(coll: Coll, colls: list[Coll]) -> list[str]:
    """The transforms that may follow a collection of this type and windowing."""
    options = [kind for kind in ("map", "flat_map", "filter") if _entries(kind, coll.type)]
    if coll.type in KEYABLE:
        options += ["with_keys", "count_globally", "count_per_element", "distinct", "combine_globally",
                    "partition", "flatten"]
    if coll.type in ("kv", "kv_num"):
        options += ["values", "group_by_key", "combine_per_key", "count_per_key", "top_per_key",
                    "co_group_by_key"]
    if coll.type in KEYED:
        options += ["keys", "flatten"]
    if coll.timestamped:
        options.append("window_into")
    if coll.windowfn is None and coll.type in KEYABLE:
        options.append("side_input")
    return sorted(set(options))


def _step(draw: Any, b: Builder, colls: list[Coll]) -> list[Coll]:
    """Apply one random applicable transform to random existing collections; returns new collections."""
    candidates = [c for c in colls if _options(c, colls)]
    if not candidates:
        return []
    coll = draw(st.sampled_from(candidates))
    options = _options(coll, colls)
    same = [c for c in colls if c.type == coll.type and c.windowfn == coll.windowfn]
    op = draw(st.sampled_from(options))
    out_windowed = coll.windowfn is not None  # aggregates in interval windows carry end - 1 ms as timestamp

    if op in ("map", "flat_map", "filter"):
        entry = draw(st.sampled_from(_entries(op, coll.type)))
        ref = b.add(op, [coll.ref], {"fn": _fn_ref(draw, entry)})
        return [replace(coll, ref=ref, type=_result_type(entry, coll.type))]
    if op == "with_keys":
        entry = draw(st.sampled_from([e for e in _entries("map", coll.type)
                                      if _result_type(e, coll.type) in KEYABLE]))
        ref = b.add("with_keys", [coll.ref], {"fn": _fn_ref(draw, entry)})
        return [replace(coll, ref=ref, type="kv")]
    if op == "keys":
        return [replace(coll, ref=b.add("keys", [coll.ref]), type="any")]
    if op == "values":
        return [replace(coll, ref=b.add("values", [coll.ref]), type=VALUE_TYPE[coll.type])]
    if op in ("count_globally", "count_per_element", "distinct", "group_by_key", "count_per_key", "top_per_key"):
        params = {"n": draw(st.integers(1, 3)), "largest": draw(st.booleans())} if op == "top_per_key" else {}
        ref = b.add(op, [coll.ref], params)
        new_type = {"count_globally": "int", "count_per_element": "kv_num", "distinct": coll.type,
                    "count_per_key": "kv_num", "top_per_key": "kv_opaque",
                    "group_by_key": "grouped_num" if coll.type == "kv_num" else "grouped"}[op]
        return [Coll(ref, new_type, coll.windowfn, out_windowed)]
    if op in ("combine_globally", "combine_per_key"):
        value_type = coll.type if op == "combine_globally" else VALUE_TYPE[coll.type]
        entry = draw(st.sampled_from(_entries("combine", value_type)))
        ref = b.add(op, [coll.ref], {"fn": _fn_ref(draw, entry)})
        combined = _combined_type(entry.name, value_type)
        if op == "combine_globally":
            if entry.name in ("min", "max") and coll.windowfn is None:
                combined = "any"  # over an empty input in the global window the result is None
            new_type = combined if combined in ("int", "num", "fuzzy") else (
                "any" if combined in KEYABLE else "opaque")
            return [Coll(ref, new_type, coll.windowfn, out_windowed)]
        return [Coll(ref, _kv_type(combined), coll.windowfn, out_windowed)]
    if op == "partition":
        fn = "mod_n" if coll.type == "int" and draw(st.booleans()) else "hash_n"
        n = draw(st.integers(1, 3))
        ref = b.add("partition", [coll.ref], {"fn": {"name": fn}, "n": n})
        return [replace(coll, ref=f"{ref}#{i}") for i in range(n)]
    if op == "flatten":
        others = draw(st.lists(st.sampled_from(same), min_size=1, max_size=2))
        ref = b.add("flatten", [coll.ref] + [c.ref for c in others])
        return [replace(coll, ref=ref, timestamped=coll.timestamped and all(c.timestamped for c in others))]
    if op == "co_group_by_key":
        partners = [c for c in same if c.type in ("kv", "kv_num")]
        other = draw(st.sampled_from(partners))
        ref = b.add("co_group_by_key", [coll.ref, other.ref], {"tags": ["left", "right"]})
        return [Coll(ref, "opaque", coll.windowfn, out_windowed)]
    if op == "window_into":
        windowfn = draw(st.one_of(data.windowfns, st.just({"type": "global"})))
        return [window(b, coll, windowfn)]
    return [_side_input_step(draw, b, coll, colls)]


def _side_input_step(draw: Any, b: Builder, coll: Coll, colls: list[Coll]) -> Coll:
    """A map or filter that reads a side input built from another global-window collection."""
    global_colls = [c for c in colls if c.windowfn is None]
    choices = ["in_side", "count_in_side", "lookup_side"]
    if coll.type in ACCEPTS["num"] and any(c.type == "int" for c in global_colls):
        choices.append("add_side")
    fn = draw(st.sampled_from(choices))
    if fn == "add_side":
        # an int sum is exact, so the singleton does not depend on the engine's addition order
        nums = [c for c in global_colls if c.type == "int"]
        base = draw(st.sampled_from(nums))
        side = b.add("combine_globally", [base.ref], {"fn": {"name": "sum"}})
        view = {"input": side, "view": "singleton"}
    elif fn == "lookup_side":
        keyed = [c for c in global_colls if c.type in ("kv", "kv_num")]
        if keyed:
            base = draw(st.sampled_from(keyed))
            side = b.add("count_per_key", [base.ref])
        else:  # a dict view of pairs (x, count) with distinct keys
            base = draw(st.sampled_from([c for c in global_colls if c.type in KEYABLE]))
            side = b.add("count_per_element", [base.ref])
        view = {"input": side, "view": "dict"}
    else:
        base = draw(st.sampled_from([c for c in global_colls if c.type in KEYABLE]))
        view = {"input": base.ref, "view": "iter"}
    transform = "filter" if fn == "in_side" else "map"
    ref = b.add(transform, [coll.ref], {"fn": {"name": fn}}, side_inputs=[view])
    new_type = coll.type if fn == "in_side" else ("num" if fn == "add_side" else
                                                  "kv_num" if fn == "count_in_side" else "kv")
    return replace(coll, ref=ref, type=new_type)


@st.composite
def random_pipeline(draw: Any, windowed: bool = False, empty: bool = False, max_transforms: int = 8) -> dict:
    """A random DAG: 1-2 sources, then up to max_transforms transforms with fan-out and fan-in."""
    b = Builder()
    colls = []
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["int", "num", "str", "any", "kv", "kv_num"]))
        windowfn = draw(data.windowfns) if windowed and draw(st.integers(0, 3)) else None
        coll = source(draw, b, kind, timestamped=windowed, empty=empty or draw(st.integers(0, 9)) == 0,
                      windowfn=windowfn)
        if windowfn is not None:
            coll = window(b, coll, windowfn)
        colls.append(coll)
    produced = list(colls)
    budget = draw(st.integers(1, max_transforms))
    while len(b.nodes) - len(colls) < budget:
        new = _step(draw, b, produced)
        if not new:
            break
        produced += new
    consumed = {ref for n in b.nodes for ref in n["inputs"]} | {
        s["input"] for n in b.nodes for s in n.get("side_inputs", [])}
    leaves = [c.ref for c in produced if c.ref not in consumed and c.ref.split("#")[0] not in consumed]
    extra = draw(st.lists(st.sampled_from([c.ref for c in produced]), max_size=2))
    return b.graph(leaves + extra)


# ------------------------------------------------------------------ one transform in focus


def _keyed_source(draw: Any, b: Builder, kind: str, keys: str, windowfn: Mapping | None) -> Coll:
    """A source of this element type, windowed by windowfn when there is one."""
    coll = source(draw, b, kind, timestamped=windowfn is not None, keys=keys, windowfn=windowfn)
    return window(b, coll, windowfn) if windowfn is not None else coll


@st.composite
def transform_graph(draw: Any, params: Mapping) -> dict:
    """A small graph that exercises one transform (the requirement's ``params.transform``)."""
    t = params["transform"]
    windowed = bool(params.get("windowed")) and draw(st.booleans())
    by_type = data.WINDOWFN_BY_TYPE.get(params.get("windowfn", ""))
    windowfn = draw(by_type) if by_type is not None else (draw(data.windowfns) if windowed else None)
    keys = params.get("keys", "plain")  # plain keys unless the requirement is about keys (aspect isolation)
    b = Builder()

    def src(kind: str) -> Coll:
        return _keyed_source(draw, b, kind, keys, windowfn)

    if t == "create":
        values = draw(st.lists(st.one_of(data.keys, st.lists(data.keys, max_size=2),
                                         st.dictionaries(data.texts, data.keys, max_size=2)), max_size=8))
        values += draw(st.permutations(data.SPECIAL_VALUES))
        stamps = draw(st.booleans())
        elements = [{"value": encode_value(v), **({"timestamp": draw(data.timestamps)} if stamps else {})}
                    for v in values]
        return b.graph([b.add("create", params={"elements": elements})])
    if t == "read_text":
        lines = draw(st.lists(data.line_texts, max_size=8))
        handle, path = tempfile.mkstemp(prefix="accord-read-text-", suffix=".txt", dir=scratch_dir())
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # the last line may end the file without a terminator: it is a line all the same
            out.write("\n".join(lines) + ("\n" if lines and draw(st.booleans()) else ""))
        return b.graph([b.add("read_text", params={"path": path})])
    if t in ("map", "flat_map", "filter"):
        entry = draw(st.sampled_from([e for e in functions.REGISTRY.values()
                                      if e.kind == t and not e.side and e.name not in NOT_GENERATED and e.accepts in
                                      ("any", "num", "int", "str", "kv", "kv_num")]))
        kind = entry.accepts if entry.accepts != "any" else draw(st.sampled_from(["any", "kv", "str"]))
        coll = src(kind)
        return b.graph([b.add(t, [coll.ref], {"fn": _fn_ref(draw, entry)})])
    if t == "with_timestamps":
        values = draw(st.lists(st.integers(0, 60_000).map(lambda ms: ms * data.MS), max_size=8))
        created = b.add("create", params={"elements": [{"value": v} for v in values]})
        stamped = b.add("with_timestamps", [created], {"fn": {"name": "value_as_micros"}})
        windowed_ref = b.add("window_into", [stamped], {"windowfn": draw(data.windowfns)})
        counted = b.add("count_globally", [windowed_ref])
        return b.graph([stamped, counted])
    if t in ("keys", "values"):
        coll = src(draw(st.sampled_from(["kv", "kv_num"])))
        return b.graph([b.add(t, [coll.ref])])
    if t == "with_keys":
        entry = draw(st.sampled_from([e for e in _entries("map", "int") + _entries("map", "str")
                                      if e.returns in ("int", "str", "same", "num")]))
        coll = src("int" if "int" in ACCEPTS[entry.accepts] and entry.accepts != "str" else "str")
        return b.graph([b.add("with_keys", [coll.ref], {"fn": _fn_ref(draw, entry)})])
    if t in ("group_by_key", "count_per_key"):
        coll = src(draw(st.sampled_from(["kv", "kv_num"])))
        return b.graph([b.add(t, [coll.ref])])
    if t == "top_per_key":  # few keys now and then, so a key has several values to order
        kind = draw(st.sampled_from(["kv", "kv_num"]))
        coll = src(kind) if keys != "plain" or draw(st.booleans()) else _keyed_source(draw, b, kind, "few", windowfn)
        params_ = {"n": draw(st.integers(1, 4)), "largest": draw(st.booleans())}
        return b.graph([b.add(t, [coll.ref], params_)])
    if t == "co_group_by_key":
        n = draw(st.integers(1, 3))
        kinds = draw(st.sampled_from(["kv", "kv_num"]))
        inputs = [src(kinds) for _ in range(n)]  # one windowing for all, as co_group_by_key demands
        tags = [f"t{i}" for i in range(n)]
        return b.graph([b.add(t, [c.ref for c in inputs], {"tags": tags})])
    if t in ("combine_per_key", "combine_globally"):
        entry = draw(st.sampled_from(functions.names("combine")))
        entry = functions.REGISTRY[entry]
        value_kind = "num" if entry.accepts == "num" else draw(st.sampled_from(["any", "num", "str"]))
        kind = value_kind if t == "combine_globally" else ("kv_num" if value_kind == "num" else "kv")
        coll = src(kind)
        return b.graph([b.add(t, [coll.ref], {"fn": _fn_ref(draw, entry)})])
    if t in ("count_globally", "count_per_element", "distinct"):
        coll = src(draw(st.sampled_from(["any", "int", "str", "kv"])))
        return b.graph([b.add(t, [coll.ref])])
    if t == "flatten":
        kind = draw(st.sampled_from(["any", "kv", "num"]))
        colls = [source(draw, b, kind, timestamped=False, empty=draw(st.integers(0, 3)) == 0)
                 for _ in range(draw(st.integers(1, 3)))]
        inputs = draw(st.lists(st.sampled_from(colls), min_size=1, max_size=4))
        return b.graph([b.add("flatten", [c.ref for c in inputs])])
    if t == "partition":
        kind = draw(st.sampled_from(["int", "any", "kv"]))
        coll = src(kind)
        fn = "mod_n" if kind == "int" and draw(st.booleans()) else "hash_n"
        n = draw(st.integers(1, 4))
        ref = b.add("partition", [coll.ref], {"fn": {"name": fn}, "n": n})
        return b.graph([f"{ref}#{i}" for i in range(n)])
    if t == "window_into":
        coll = source(draw, b, draw(st.sampled_from(["any", "kv"])), timestamped=True)
        windowed_coll = window(b, coll, windowfn or draw(data.windowfns))
        outputs = [windowed_coll.ref]
        if windowed_coll.type == "kv":
            outputs.append(b.add("count_per_key", [windowed_coll.ref]))
        return b.graph(outputs)
    if t == "side_inputs":
        main = source(draw, b, draw(st.sampled_from(["int", "num", "any"])), timestamped=False)
        others = [main, source(draw, b, draw(st.sampled_from(["int", "num", "kv", "any"])), timestamped=False,
                               empty=draw(st.integers(0, 3)) == 0)]
        result = _side_input_step(draw, b, main, others)
        return b.graph([result.ref])
    if t == "stateful_par_do":
        # Vetted DoFns whose outputs (values and timestamps) are the same in every processing order;
        # distinct_keys' timestamps are not, timer_order has its own example requirement.
        name = draw(st.sampled_from(["buffer_until_window_end", "count_after_quiet", "tick_three"]))
        if functions.bind({"name": name}, "stateful").event_time:  # timers after the latest element: global window
            coll = source(draw, b, "kv", timestamped=True, keys=keys)
        else:  # sessions are not specified for stateful_par_do: fixed windows instead
            merging = windowfn is not None and windowfn["type"] == "sessions"
            coll = _keyed_source(draw, b, "kv", keys, draw(data.WINDOWFN_BY_TYPE["fixed"]) if merging else windowfn)
        return b.graph([b.add(t, [coll.ref], {"fn": {"name": name}})])
    raise ValueError(f"no generator for transform {t!r}")
