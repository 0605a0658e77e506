"""Compare pipeline outputs as the spec says: per output, per window, as multisets.

- Values compare by canonical encoding (so -0.0 differs from 0.0 and NaN
  matches NaN); with a tolerance only for outputs computed by a function that
  pipeline.contract:floats lists.
- The value lists a group_by_key / co_group_by_key produces are bags: their
  order is not compared (:func:`bag_shape` follows them through the graph).
- A timestamp the expected side leaves ``null`` is not compared; an
  end-of-window timestamp (end - 1 ms) matches anything in the range
  pipeline.contract:model's ``aggregate_timestamp`` allows; panes are
  compared only when asked (streaming transcripts).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.conformance.check import Mismatch
from accord.spec.pipeline.graph import (
    RESOLUTION,
    GraphError,
    canonical,
    decode_value,
    order_key,
    parse_ref,
)
from accord.spec.pipeline.render import py

# shapes: None (compare as is) | "bag" (a list whose order is meaningless) | ("tuple", [shapes]) | ("dict", shape)
Shape = Any
KEEPS_SHAPE = {"filter", "partition", "window_into", "with_timestamps", "flatten"}


def bag_shape(graph: Mapping, ref: str) -> Shape:
    """Where the output of ``ref`` holds unordered lists."""
    nodes = {node["id"]: node for node in graph["nodes"]}
    node = nodes[parse_ref(ref)[0]]
    transform = node["transform"]
    if transform == "group_by_key":
        return ("tuple", [None, "bag"])
    if transform == "co_group_by_key":
        return ("tuple", [None, ("dict", "bag")])
    keeps = transform in KEEPS_SHAPE or (transform == "map" and node["params"]["fn"]["name"] == "identity")
    if keeps:
        shapes = [bag_shape(graph, r) for r in node["inputs"]]
        return next((s for s in shapes if s is not None), None)
    return None


def normalise(value: Any, shape: Shape) -> Any:
    if shape is None:
        return value
    if shape == "bag" and isinstance(value, list):
        return sorted(value, key=order_key)
    if isinstance(shape, tuple) and shape[0] == "tuple" and isinstance(value, tuple) and len(value) == len(shape[1]):
        return tuple(normalise(v, s) for v, s in zip(value, shape[1], strict=True))
    if isinstance(shape, tuple) and shape[0] == "dict" and isinstance(value, dict):
        return {k: normalise(v, shape[1]) for k, v in value.items()}
    return value


def close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    """Equal up to the float tolerance (NaN matches NaN, infinities only themselves)."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if math.isinf(a) or math.isinf(b):
            return a == b
        return abs(a - b) <= atol + rtol * abs(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(close(x, y, rtol, atol) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        bk = {canonical(k): v for k, v in b.items()}
        ak = {canonical(k): v for k, v in a.items()}
        return ak.keys() == bk.keys() and all(close(ak[k], bk[k], rtol, atol) for k in ak)
    return canonical(a) == canonical(b)


@dataclass
class Item:
    value: Any
    window: Any
    timestamp: Any
    pane: Any
    raw: Any

    def show(self) -> str:
        window = self.window if self.window == "global" else tuple(self.window)
        text = f"{py(self.value)} @ {window}"
        if self.timestamp is not None:
            text += f" t={self.timestamp}"
        if self.pane:
            text += f" pane={self.pane['index']}/{self.pane['timing']}"
            text += "".join(f" {flag}" for flag in ("is_first", "is_last") if self.pane.get(flag))
        return text


def decode_items(elements: Any, shape: Shape, who: str, ref: str) -> list[Item]:
    if not isinstance(elements, list):
        raise Mismatch(f"{who} returned no element list for output {ref!r}", actual=elements)
    items = []
    for element in elements:
        try:
            value = normalise(decode_value(element["value"]), shape)
            window = element.get("window", "global")
            items.append(Item(value, window, element.get("timestamp"), element.get("pane"), element))
        except (GraphError, KeyError, TypeError, ValueError) as exc:
            raise Mismatch(f"{who} returned a malformed element for {ref!r}: {exc}", actual=element) from None
    return items


def _same_time(expected: Item, actual: Any, aggregate: tuple[int, int]) -> bool:
    """Exact, except that an end-of-window timestamp (end - 1 ms) may lie anywhere the spec's range allows."""
    if expected.timestamp == actual:
        return True
    window = expected.window
    if isinstance(window, list) and expected.timestamp == window[1] - RESOLUTION and isinstance(actual, int):
        return window[1] + aggregate[0] <= actual <= window[1] + aggregate[1]
    return False


def _match(expected: Item, actual: Item, panes: bool, tolerance: tuple[float, float] | None,
           aggregate: tuple[int, int] = (-RESOLUTION, -RESOLUTION)) -> bool:
    if expected.window != actual.window:
        return False
    if expected.timestamp is not None and not _same_time(expected, actual.timestamp, aggregate):
        return False
    if panes and expected.pane is not None and expected.pane != actual.pane:
        return False
    if tolerance is None:
        return canonical(expected.value) == canonical(actual.value)
    return close(actual.value, expected.value, *tolerance)


def compare_output(ref: str, expected: list[Item], actual: list[Item], panes: bool = False,
                   tolerance: tuple[float, float] | None = None,
                   aggregate: tuple[int, int] = (-RESOLUTION, -RESOLUTION)) -> str | None:
    """None when the multisets match; else a one-paragraph description of the difference."""
    left = list(actual)

    def take(items: list[Item], rule: tuple[float, float] | None) -> list[Item]:
        unmatched = []
        for item in items:
            hit = next((i for i, a in enumerate(left) if _match(item, a, panes, rule, aggregate)), None)
            if hit is None:
                unmatched.append(item)
            else:
                left.pop(hit)
        return unmatched

    # Exact matches first, so tolerance cannot steal them; items with a defined timestamp before those
    # without (which match any timestamp), so a wildcard cannot steal a constrained match.
    missing = take(sorted(expected, key=lambda item: item.timestamp is None), None)
    if tolerance is not None:
        missing = take(missing, tolerance)
    if not missing and not left:
        return None
    lines = [f"output {ref!r}: expected {len(expected)} elements, got {len(actual)}"]
    if len(expected) <= 10 and len(actual) <= 10:  # small outputs: show both in full
        lines.append("  reference:  " + ("; ".join(i.show() for i in expected) or "(nothing)"))
        lines.append("  backend:    " + ("; ".join(i.show() for i in actual) or "(nothing)"))
    if missing:
        lines.append("  missing:    " + "; ".join(i.show() for i in missing[:6]) + (" …" if len(missing) > 6 else ""))
    if left:
        lines.append("  unexpected: " + "; ".join(i.show() for i in left[:6]) + (" …" if len(left) > 6 else ""))
    return "\n".join(lines)


def fuzzy_outputs(graph: Mapping, functions_: set[str]) -> set[str]:
    """Output references that depend on a node using one of the float-reassociating functions."""
    from accord.spec.pipeline.graph import upstream

    nodes = {node["id"]: node for node in graph["nodes"]}
    out = set()
    for ref in graph["outputs"]:
        for node_id in upstream(dict(graph), ref):
            fn = nodes[node_id].get("params", {}).get("fn")
            if isinstance(fn, Mapping) and fn.get("name") in functions_:
                out.add(ref)
    return out


def compare_runs(graph: Mapping, expected: Mapping, actual: Any, *, panes: bool = False,
                 tolerance: tuple[float, float] | None = None, fuzzy: set[str] = frozenset(),
                 aggregate: tuple[int, int] = (-RESOLUTION, -RESOLUTION), who: str = "the backend") -> None:
    """Raise :class:`Mismatch` unless every output matches."""
    if not isinstance(actual, Mapping) or not isinstance(actual.get("outputs"), Mapping):
        raise Mismatch(f"{who} returned a malformed result (expected {{'outputs': {{ref: [elements]}}}})",
                       actual=actual)
    problems = []
    for ref in graph["outputs"]:
        shape = bag_shape(graph, ref)
        exp = decode_items(expected.get(ref, []), shape, "the reference", ref)
        if ref not in actual["outputs"]:
            problems.append(f"output {ref!r} is missing from the result")
            continue
        act = decode_items(actual["outputs"][ref], shape, who, ref)
        problem = compare_output(ref, exp, act, panes, tolerance if ref in fuzzy else None, aggregate)
        if problem:
            problems.append(problem)
    if problems:
        raise Mismatch("\n".join(problems), expected={"outputs": dict(expected)}, actual=actual)


def _metric_text(key: tuple, committed: Any) -> str:
    step, name, kind = key
    return f"{kind} {step}/{name} = {committed}"


def compare_metrics(expected: list, actual: Any, who: str = "the backend") -> None:
    """pipeline.contract:metrics - exactly the expected metrics, committed values equal, attempted >= committed."""
    reported = actual.get("metrics", []) if isinstance(actual, Mapping) else None
    if not isinstance(reported, list):
        raise Mismatch(f"{who} returned a malformed 'metrics' (expected a list)", actual=reported)
    want = {(m["step"], m["name"], m["kind"]): m["committed"] for m in expected}
    got: dict[tuple, Any] = {}
    problems = []
    for metric in reported:
        try:
            key = (metric["step"], metric["name"], metric["kind"])
            committed = metric["committed"]
        except (KeyError, TypeError):
            raise Mismatch(f"{who} returned a malformed metric (needs step, name, kind, committed)",
                           actual=metric) from None
        if key in got:
            problems.append(f"{_metric_text(key, committed)} is reported twice")
        got[key] = committed
        attempted = metric.get("attempted")
        if attempted is not None:
            low = committed["count"] if key[2] == "distribution" else committed
            high = attempted["count"] if key[2] == "distribution" and isinstance(attempted, Mapping) else attempted
            if not isinstance(high, int) or high < low:
                problems.append(f"{_metric_text(key, committed)}: attempted {attempted} is less than committed")
    for key in sorted(set(want) | set(got)):
        if key not in got:
            problems.append(f"missing:    {_metric_text(key, want[key])}")
        elif key not in want:
            problems.append(f"unexpected: {_metric_text(key, got[key])}")
        elif want[key] != got[key]:
            problems.append(f"wrong:      {_metric_text(key, got[key])}, expected {want[key]}")
    if problems:
        raise Mismatch("metrics:\n  " + "\n  ".join(problems),
                       expected={"metrics": list(expected)}, actual={"metrics": reported})
