"""A pipeline graph rendered back as Accord API code (``accord.spec.pipeline.api``): counterexamples a user runs.

The inverse of ``Pipeline.to_graph``: every node becomes one assignment in the
API's Beam vocabulary, then a ``run`` on the named adapter and a print per output.
"""

from __future__ import annotations

import math
from typing import Any

from . import functions
from .graph import decode_value, normalise_graph


def py(value: Any) -> str:
    """Python source for a value (NaN and infinities included)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "float('nan')"
        if math.isinf(value):
            return "float('inf')" if value > 0 else "float('-inf')"
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(py(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _call(name: str, args: list[str], kwargs: dict | None = None) -> str:
    parts = args + [f"{k}={py(v)}" for k, v in (kwargs or {}).items()]
    return f"{name}({', '.join(parts)})"


def _fn_args(node: dict, var: dict) -> tuple[list[str], dict]:
    fn = node["params"]["fn"]
    args = [repr(fn["name"])]
    for side in node.get("side_inputs", []):
        view = {"singleton": "AsSingleton", "iter": "AsIter", "dict": "AsDict"}[side["view"]]
        extra = f", default={py(decode_value(side['default']))}" if "default" in side else ""
        args.append(f"{view}({var[side['input']]}{extra})")
    return args, dict(fn.get("params", {}))


def _trigger_code(trigger: dict) -> str:
    kind = trigger["type"]
    if kind == "default":
        return "DefaultTrigger()"
    if kind == "after_watermark":
        parts = [f"{k}={_trigger_code(trigger[k])}" for k in ("early", "late") if k in trigger]
        return f"AfterWatermark({', '.join(parts)})"
    if kind == "after_count":
        return f"AfterCount({trigger['count']})"
    if kind == "after_processing_time":
        return f"AfterProcessingTime({trigger['delay']})"
    if kind == "repeatedly":
        return f"Repeatedly({_trigger_code(trigger['trigger'])})"
    return repr(trigger)


def _windowfn_code(windowfn: dict) -> str:
    name = {"global": "GlobalWindows", "fixed": "FixedWindows", "sliding": "SlidingWindows",
            "sessions": "Sessions"}[windowfn["type"]]
    return _call(name, [], {k: v for k, v in windowfn.items() if k != "type"})


def _expression(node: dict, var: dict) -> str:
    t, params = node["transform"], node["params"]
    simple = {"keys": "Keys()", "values": "Values()", "group_by_key": "GroupByKey()", "distinct": "Distinct()",
              "count_globally": "Count.globally()", "count_per_key": "Count.per_key()",
              "count_per_element": "Count.per_element()"}
    if t == "create":
        items = []
        for e in params["elements"]:
            value = py(decode_value(e["value"]))
            items.append(f"TimestampedValue({value}, {e['timestamp']})" if "timestamp" in e else value)
        return f"p | Create([{', '.join(items)}])"
    if t == "read_text":
        return f"p | ReadFromText({params['path']!r})"
    if t == "test_stream":
        chain = "TestStream()"
        for event in params["events"]:
            if event["kind"] == "elements":
                items = ", ".join(f"TimestampedValue({py(decode_value(e['value']))}, {e['timestamp']})"
                                  for e in event["elements"])
                chain += f"\n    .add_elements([{items}])"
            elif event["kind"] == "watermark":
                chain += f"\n    .advance_watermark_to({event['to']})"
            else:
                chain += f"\n    .advance_processing_time({event['advance']})"
        return f"p | ({chain})"
    source = var[node["inputs"][0]] if node["inputs"] else "p"
    if t == "flatten":
        return f"({', '.join(var[r] for r in node['inputs'])},) | Flatten()"
    if t == "co_group_by_key":
        pairs = ", ".join(f"{tag!r}: {var[r]}" for tag, r in zip(params["tags"], node["inputs"], strict=True))
        return f"{{{pairs}}} | CoGroupByKey()"
    if t in simple:
        return f"{source} | {simple[t]}"
    if t in ("map", "flat_map", "filter", "with_timestamps", "with_keys", "combine_globally", "combine_per_key"):
        name = {"map": "Map", "flat_map": "FlatMap", "filter": "Filter", "with_timestamps": "WithTimestamps",
                "with_keys": "WithKeys", "combine_globally": "CombineGlobally",
                "combine_per_key": "CombinePerKey"}[t]
        args, kwargs = _fn_args(node, var)
        return f"{source} | {_call(name, args, kwargs)}"
    if t == "partition":
        args, kwargs = _fn_args(node, var)
        return f"{source} | {_call('Partition', [*args, str(params['n'])], kwargs)}"
    if t == "stateful_par_do":
        return f"{source} | ParDo({params['fn']['name']!r})"
    if t == "top_per_key":
        which = "largest_per_key" if params["largest"] else "smallest_per_key"
        return f"{source} | Top.{which}({params['n']})"
    if t == "window_into":
        kwargs = []
        if "trigger" in params:
            kwargs.append(f"trigger={_trigger_code(params['trigger'])}")
        if "accumulation" in params:
            kwargs.append(f"accumulation_mode={params['accumulation'].upper()}")
        if "allowed_lateness" in params:
            kwargs.append(f"allowed_lateness={params['allowed_lateness']}")
        return f"{source} | WindowInto({', '.join([_windowfn_code(params['windowfn']), *kwargs])})"
    raise ValueError(f"cannot render transform {t!r}")


def render(graph: dict, adapter: str = "reference") -> str:
    """The graph as Accord API code that rebuilds and runs it."""
    graph = normalise_graph(graph)
    lines = ["from accord.spec.pipeline.api import *", "", "p = Pipeline()"]
    var: dict[str, str] = {}
    for node in graph["nodes"]:
        name = node["id"]
        expression = _expression(node, var)
        if node["transform"] == "partition":
            n = node["params"]["n"]
            for i in range(n):
                var[f"{name}#{i}"] = f"{name}[{i}]"
        var[name] = name
        lines.append(f"{name} = {expression}")
    outputs = ", ".join(var[ref] for ref in graph["outputs"])
    lines += ["", f"result = run(p, {adapter!r}, outputs=[{outputs}])"]
    lines += [f"print({var[ref]!r}, result.values({var[ref]}))" for ref in graph["outputs"]]
    if any(functions.lookup(n["params"]["fn"]).metrics for n in graph["nodes"]
           if n["transform"] in ("map", "flat_map", "filter")):
        lines.append("print(result.metrics())")
    return "\n".join(lines)
