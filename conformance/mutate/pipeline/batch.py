"""Pipeline mutants of what is computed: element-wise transforms, grouping, key equality, aggregations,
composition, side inputs, empty inputs and metrics.

Every description names the bug and quotes the requirement of ``spec/pipeline/draft`` it violates.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from accord.reference.pipeline import PipelineError
from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import canonical, order_key

from ..model import Mutant
from .tools import TEXT_PATH, Ref, chain, el, elements, graph, node, outputs, transform


def _dedup(values: list, key: Any = canonical) -> list:
    seen, kept = set(), []
    for value in values:
        k = key(value)
        if k not in seen:
            seen.add(k)
            kept.append(value)
    return kept


def _python_key(value: Any) -> Any:
    """Python's own equality, as a dict of keys has it (1 == 1.0 == True; every NaN object apart)."""
    try:
        hash(value)
    except TypeError:
        return canonical(value)
    return ("py", value)


# ------------------------------------------------------------------ grouping and keys


def _gbk_dedup(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    out = orig(params, inputs, sides, stream)
    return elements(out, lambda e: replace(e, value=(e.value[0], _dedup(e.value[1]))))


def _key_rule(rule: Any) -> Any:
    """Grouping keyed by ``rule(key)`` instead of the canonical encoding (evaluate.canonical replaced)."""
    def patch(ref: Ref) -> dict:
        return {"evaluate.canonical": rule}
    return patch


def _signed_zero(value: Any) -> Any:
    return canonical(0.0 if isinstance(value, float) and value == 0 else value)


def _cogbk(drop: Any) -> Any:
    """co_group_by_key whose results go through ``drop(key, {tag: values}) -> {tag: values} | None``."""
    def body(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
        out = orig(params, inputs, sides, stream)
        kept = []
        for e in out.elements:
            joined = drop(e.value[1])
            if joined is not None:
                kept.append(replace(e, value=(e.value[0], joined)))
        return replace(out, elements=kept)
    return transform("co_group_by_key", body)


_COGBK = graph(node("l", "create", params={"elements": [el(("a", 1)), el(("b", 2))]}),
               node("r", "create", params={"elements": [el(("a", 3))]}),
               node("j", "co_group_by_key", ("l", "r"), {"tags": ["left", "right"]}))

GROUPING = (
    Mutant("pipeline.group_by_key.duplicate-values-dropped", "grouping",
           "group_by_key keeps each distinct value once per key (a set of values, not a list); the spec says "
           "'Every key appears once per window, with all of its values (duplicates included).'",
           transform("group_by_key", _gbk_dedup), chain([("a", 1), ("a", 1), ("a", 2)], ("group_by_key", {}))),
    Mutant("pipeline.key_equality.str-keys", "keys",
           "Keys are shuffled as their str() (a JSON object's keys), so 1 and '1' are one key; the spec says "
           "'None, unicode str, bytes, huge ints and nested tuples are keys; str and bytes never collide' and "
           "keys are equal only by the canonical encoding.",
           _key_rule(lambda v: canonical(str(v))), chain([(1, "x"), ("1", "y")], ("group_by_key", {})),
           documents=("group_by_key",)),
    Mutant("pipeline.key_equality.python-equality", "keys",
           "Keys compare with Python's == (a dict of keys): 1, 1.0 and True are one key and every NaN a key of its "
           "own; the spec says '1, 1.0 and True are three keys' and 'All NaN keys are one key.'",
           _key_rule(_python_key), chain([(1, "a"), (1.0, "b"), (True, "c")], ("count_per_key", {}))),
    Mutant("pipeline.key_equality.signed-zero-merged", "keys",
           "The key encoder normalises -0.0 to 0.0, so the two are one key; the spec says '0.0 and -0.0 are two "
           "keys, and neither is 0 or False.'",
           _key_rule(_signed_zero), chain([(0.0, "a"), (-0.0, "b")], ("count_per_key", {}))),
    Mutant("pipeline.co_group_by_key.empty-sides-dropped", "grouping",
           "co_group_by_key leaves out the tags of inputs that have no value for a key; the spec says 'Every key "
           "of any input appears once, with every tag, and missing sides as empty lists.'",
           _cogbk(lambda joined: {t: v for t, v in joined.items() if v}), _COGBK),
    Mutant("pipeline.co_group_by_key.inner-join", "grouping",
           "co_group_by_key emits only the keys present in every input (an inner join); the spec says 'Every key "
           "of any input appears once, with every tag, and missing sides as empty lists.'",
           _cogbk(lambda joined: joined if all(joined.values()) else None), _COGBK),
)


# ------------------------------------------------------------------ aggregations


def _empty_gives_nothing(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    out = orig(params, inputs, sides, stream)
    return out if inputs[0].elements else replace(out, elements=[])


def _deduplicated_input(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    seen: set = set()

    def first(e: Any) -> bool:
        k = canonical(e.value)
        if k in seen:
            return False
        seen.add(k)
        return True
    source = inputs[0]
    return orig(params, [replace(source, elements=[e for e in source.elements if first(e)])], sides, stream)


def _top(select: Any) -> Any:
    """top_per_key whose list for one key is ``select(values, n, largest)`` (None: no output for the key)."""
    def patch(ref: Ref) -> dict:
        ev = ref.evaluate

        def run(params: dict, inputs: list, sides: list, stream: Any) -> Any:
            (source,) = inputs
            n, largest = params["n"], params["largest"]
            out = ev._grouped_output(source, ev.group(source, stream, ev._key, ev._value),
                                     lambda g: (g.key, select(g.values, n, largest)))
            return replace(out, elements=[e for e in out.elements if e.value[1] is not None])
        return {"transform:top_per_key": run}
    return patch


def _top_ties(values: list, n: int, largest: bool) -> list:
    return sorted(_dedup(values), key=order_key, reverse=largest)[:n]


def _top_short(values: list, n: int, largest: bool) -> list | None:
    return sorted(values, key=order_key, reverse=largest)[:n] if len(values) >= n else None


def _top_unsorted(values: list, n: int, largest: bool) -> list:
    chosen = sorted(range(len(values)), key=lambda i: order_key(values[i]), reverse=largest)[:n]
    return [values[i] for i in sorted(chosen)]


def _distinct_python(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    out = orig(params, inputs, sides, stream)
    by_window: dict = {}
    for e in out.elements:
        by_window.setdefault(e.window, []).append(e)
    kept = [e for group in by_window.values() for e in _dedup(group, lambda e: _python_key(e.value))]
    return replace(out, elements=kept)


AGGREGATION = (
    Mutant("pipeline.combine_globally.no-empty-identity", "empty-inputs",
           "combine_globally over an empty input emits nothing instead of the combine function's empty result; "
           "the spec says 'Over an empty input in the global window, every combine function yields exactly its "
           "documented empty_result.'",
           transform("combine_globally", _empty_gives_nothing),
           chain([], ("combine_globally", {"fn": {"name": "sum"}}))),
    Mutant("pipeline.count_globally.empty-no-zero", "empty-inputs",
           "count_globally over an empty collection emits no element; the spec says 'Counting an empty "
           "collection gives one element, 0.'",
           transform("count_globally", _empty_gives_nothing), chain([], ("count_globally", {}))),
    Mutant("pipeline.count_globally.distinct-count", "aggregation",
           "count_globally counts distinct elements (an approximate-distinct counter used as Count); the spec "
           "says 'The count equals the number of elements, duplicates included.'",
           transform("count_globally", _deduplicated_input), chain([1, 1, 2], ("count_globally", {}))),
    Mutant("pipeline.count_per_key.distinct-values", "aggregation",
           "count_per_key counts each key's distinct values; the spec says 'Every key is counted once per window "
           "with the number of its values.'",
           transform("count_per_key", _deduplicated_input), chain([("a", 1), ("a", 1)], ("count_per_key", {}))),
    Mutant("pipeline.top_per_key.ties-merged", "aggregation",
           "top_per_key keeps the greatest values in a set, so tied values count once; the spec says 'Each "
           "key's list holds its n greatest (or least) values in order'.",
           _top(_top_ties), chain([("a", 5), ("a", 5), ("a", 3)], ("top_per_key", {"n": 2, "largest": True}))),
    Mutant("pipeline.top_per_key.largest-always", "aggregation",
           "top_per_key ignores largest=False and returns the greatest values; the spec says 'Each key's list "
           "holds its n greatest (or least) values in order'.",
           _top(lambda values, n, largest: sorted(values, key=order_key, reverse=True)[:n]),
           chain([("a", 5), ("a", 1), ("a", 3)], ("top_per_key", {"n": 1, "largest": False}))),
    Mutant("pipeline.top_per_key.short-key-dropped", "aggregation",
           "top_per_key emits a key only once its heap holds n values, so a key with fewer than n values is "
           "lost; the spec says 'Each key's list holds its n greatest (or least) values'.",
           _top(_top_short), chain([("a", 5), ("b", 1), ("b", 2)], ("top_per_key", {"n": 2, "largest": True}))),
    Mutant("pipeline.top_per_key.unordered", "aggregation",
           "top_per_key returns the right values in arrival order instead of sorted; the spec says 'Each key's "
           "list holds its n greatest (or least) values in order'.",
           _top(_top_unsorted), chain([("a", 1), ("a", 3), ("a", 2)], ("top_per_key", {"n": 3, "largest": True}))),
    Mutant("pipeline.distinct.python-set", "aggregation",
           "distinct deduplicates with a Python set: 1, 1.0 and True collapse and NaNs stay apart; the spec says "
           "'Distinct follows the same rule: 1, 1.0, True, 0.0, -0.0 and NaN are six elements; repeats and the "
           "second NaN collapse.'",
           transform("distinct", _distinct_python), chain([1, 1.0, True, math.nan, math.nan], ("distinct", {})),
           documents=("key_equality",)),
)


# ------------------------------------------------------------------ element-wise and composition


def _read_lines(path: str, strip: bool, terminated_only: bool) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines(keepends=True)
    if terminated_only:
        lines = [line for line in lines if line.endswith("\n")]
    return [line.strip() if strip else line.rstrip("\n") for line in lines]


def _read_text(strip: bool = False, terminated_only: bool = False) -> Any:
    def body(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
        out = orig(params, inputs, sides, stream)
        values = _read_lines(params["path"], strip, terminated_only)
        return replace(out, elements=[replace(out.elements[0], value=v) for v in values] if out.elements else [])
    return transform("read_text", body)


def _negative_zero(value: Any) -> Any:
    return 0.0 if isinstance(value, float) and value == 0 else value


def _flatten_empty(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    if any(not c.elements for c in inputs):
        raise PipelineError("cannot infer the element type of an empty input to flatten")
    return orig(params, inputs, sides, stream)


def _flatten_once(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    return orig(params, list({id(c): c for c in inputs}.values()), sides, stream)


def _partition_last(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    parts = orig(params, inputs, sides, stream)
    return [*parts[:-1], replace(parts[-1], elements=[])]


def _flat_map_none(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    out = orig(params, inputs, sides, stream)
    return replace(out, elements=[e for e in out.elements if e.value is not None])


# the direct examples of read_text read tools.TEXT ("first line \nlast line"), written while they run
_READ = graph(node("r", "read_text", params={"path": TEXT_PATH}))

ELEMENTWISE = (
    Mutant("pipeline.read_text.whitespace-stripped", "elementwise",
           "read_text strips every line of leading and trailing whitespace; the spec says 'Every line of the "
           "file becomes one element, in full, with unicode intact.'",
           _read_text(strip=True), _READ),
    Mutant("pipeline.read_text.unterminated-last-line-dropped", "elementwise",
           "read_text drops a last line that has no line terminator; the spec says 'Every line of the file "
           "becomes one element, in full' (read_text: 'One string element per line of a UTF-8 text file, "
           "without its line terminator').",
           _read_text(terminated_only=True), _READ),
    Mutant("pipeline.create.negative-zero-lost", "elementwise",
           "create's element coder writes -0.0 as 0.0; the spec says 'Every value survives the trip through the "
           "engine unchanged (None, bools, huge ints, NaN, -0.0, unicode, bytes, tuples).'",
           transform("create", lambda orig, *a: elements(orig(*a), lambda e: replace(e, value=_negative_zero(e.value)))),
           chain([-0.0])),
    Mutant("pipeline.flat_map.none-items-dropped", "elementwise",
           "flat_map skips None items of the returned lists (as if None meant 'no output'); the spec says "
           "'FlatMap emits every item of every returned list (zero, one or many per input).'",
           transform("flat_map", _flat_map_none), chain([None, 1], ("flat_map", {"fn": {"name": "repeat_n",
                                                                                       "params": {"n": 2}}}))),
    Mutant("pipeline.map.window-reset", "elementwise",
           "map emits its results into the global window (a DoFn output without the input's windowed value); the "
           "spec says 'Map applies the function to every element exactly once and keeps timestamp and window.'",
           transform("map", lambda orig, *a: elements(orig(*a), lambda e: replace(e, window="global"))),
           chain([1], ("window_into", {"windowfn": {"type": "fixed", "size": 10_000_000}}),
                 ("map", {"fn": {"name": "increment"}}), stamps=[1_000_000])),
    Mutant("pipeline.flatten.empty-input-fails", "composition",
           "flatten fails when one of its inputs is empty (it infers the element type from the first element); "
           "the spec says 'Flatten is the multiset union of its inputs.'",
           transform("flatten", _flatten_empty),
           graph(node("a", "create", params={"elements": [el(1)]}), node("b", "create", params={"elements": []}),
                 node("f", "flatten", ("a", "b")))),
    Mutant("pipeline.flatten.same-input-once", "composition",
           "flatten reads a collection named twice among its inputs once; the spec says 'Flattening a collection "
           "with itself doubles every element.'",
           transform("flatten", _flatten_once),
           graph(node("a", "create", params={"elements": [el(1)]}), node("f", "flatten", ("a", "a")))),
    Mutant("pipeline.partition.last-partition-lost", "composition",
           "partition never fills its last output; the spec says 'Every element lands in exactly the partition "
           "its function names; every partition is observable.'",
           transform("partition", _partition_last),
           graph(node("a", "create", params={"elements": [el(1), el(2)]}),
                 node("p", "partition", ("a",), {"fn": {"name": "mod_n"}, "n": 2}), outputs_=["p#0", "p#1"])),
)


# ------------------------------------------------------------------ side inputs


def _side_values(empty_zero: bool = False, many_first: bool = False, default_ignored: bool = False,
                 iter_dedup: bool = False) -> Any:
    """evaluate._side_values with one of four bugs (a copy of the reference's view rules)."""
    def patch(ref: Ref) -> dict:
        orig = ref.evaluate._side_values

        def views(sides: list) -> list:
            values = []
            for collection, side in sides:
                items = [e.value for e in collection.elements]
                if side["view"] == "singleton" and len(items) != 1:
                    if many_first and items:
                        values.append(items[0])
                        continue
                    if not items and empty_zero and "default" not in side:
                        values.append(0)
                        continue
                    if not items and default_ignored and "default" in side:
                        values.append(None)
                        continue
                if side["view"] == "iter" and iter_dedup:
                    values.append(_dedup(items))
                    continue
                values += orig([(collection, side)])
            return values
        return {"evaluate._side_values": views}
    return patch


def _side_graph(side_values: list, view: dict, fn: str = "count_in_side", main: list | None = None) -> dict:
    return graph(node("side", "create", params={"elements": [el(v) for v in side_values]}),
                 node("main", "create", params={"elements": [el(v) for v in (main or [1])]}),
                 node("m", "filter" if fn == "in_side" else "map", ("main",), {"fn": {"name": fn}},
                      [{"input": "side", **view}]))


SIDE_INPUTS = (
    Mutant("pipeline.side_inputs.empty-singleton-zero", "empty-inputs",
           "An empty singleton side input without a default reads as the zero of its type (0) instead of failing "
           "the run; the spec says 'An empty singleton side input without a default makes the run fail.'",
           _side_values(empty_zero=True), _side_graph([], {"view": "singleton"}, "add_side")),
    Mutant("pipeline.side_inputs.singleton-takes-first", "side-inputs",
           "A singleton side input of several elements reads as its first element; the spec says 'A singleton "
           "side input of two elements makes the run fail.'",
           _side_values(many_first=True), _side_graph([1, 2], {"view": "singleton"}, "add_side")),
    Mutant("pipeline.side_inputs.default-ignored", "empty-inputs",
           "An empty singleton side input reads as None even when a default is given; the spec says 'An empty "
           "singleton side input with a default gives the default.'",
           _side_values(default_ignored=True), _side_graph([], {"view": "singleton", "default": 5}, "add_side")),
    Mutant("pipeline.side_inputs.iter-deduplicated", "side-inputs",
           "An iterable side input view holds each distinct element once (materialised as a set); the spec says "
           "'Map and filter read singleton, iter and dict views of random collections correctly.'",
           _side_values(iter_dedup=True), _side_graph([1, 1, 2], {"view": "iter"})),
)


# ------------------------------------------------------------------ metrics


def _counters_plus_one(graph_: dict, result: dict) -> dict:
    for m in result.get("metrics", ()):
        if m["kind"] == "counter":
            m["committed"] += 1
            if "attempted" in m:
                m["attempted"] += 1
    return result


def _steps_merged(graph_: dict, result: dict) -> dict:
    merged: dict = {}
    for m in result.get("metrics", ()):
        key = (m["name"], m["kind"])
        if key not in merged:
            merged[key] = m
        elif m["kind"] == "counter":
            merged[key]["committed"] += m["committed"]
            merged[key].pop("attempted", None)
        else:
            a, b = merged[key]["committed"], m["committed"]
            merged[key]["committed"] = {"count": a["count"] + b["count"], "sum": a["sum"] + b["sum"],
                                        "min": min(a["min"], b["min"]), "max": max(a["max"], b["max"])}
            merged[key].pop("attempted", None)
    if merged:
        result["metrics"] = list(merged.values())
    return result


def _zeros_reported(graph_: dict, result: dict) -> dict:
    reported = {(m["step"], m["name"]) for m in result.get("metrics", ())}
    for n in graph_["nodes"]:
        entry = functions.REGISTRY.get(n["params"].get("fn", {}).get("name", ""))
        for declared in entry.metrics if entry else ():
            kind, name = declared.split(":", 1)
            if (n["id"], name) not in reported:
                zero = 0 if kind == "counter" else {"count": 0, "sum": 0, "min": 0, "max": 0}
                result.setdefault("metrics", []).append({"step": n["id"], "name": name, "kind": kind,
                                                         "committed": zero})
    return result


_METERED = chain([1, 2, 3], ("map", {"fn": {"name": "counted_identity"}}))

METRICS = (
    Mutant("pipeline.metrics.counter-off-by-one", "metrics",
           "Counters start at 1 instead of 0, so every committed count is one too many; the spec says 'A "
           "counter incremented once per element of a map step reports the number of elements.'",
           outputs(_counters_plus_one), _METERED),
    Mutant("pipeline.metrics.steps-merged", "metrics",
           "Metrics are keyed by name only, so the same metered function in two steps reports one summed metric; "
           "the spec says 'The same metered function in two steps reports two separate metrics.'",
           outputs(_steps_merged),
           graph(node("src", "create", params={"elements": [el(1)]}),
                 node("a", "map", ("src",), {"fn": {"name": "counted_identity"}}),
                 node("b", "map", ("a",), {"fn": {"name": "counted_identity"}}))),
    Mutant("pipeline.metrics.zero-reported", "empty-inputs",
           "Every declared metric is reported, with 0 when nothing updated it; the spec says 'A metric that "
           "nothing updated is not reported (an empty input, a filter that drops nothing).'",
           outputs(_zeros_reported), chain([], ("map", {"fn": {"name": "counted_identity"}}))),
)

MUTANTS = GROUPING + AGGREGATION + ELEMENTWISE + SIDE_INPUTS + METRICS
