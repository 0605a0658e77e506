"""The pipeline condition kinds: how to recognise each in a graph (the example of a graph property).

Read from what the graph really carries: its ``create`` nodes' elements (values, keys, timestamps),
its ``window_into`` window functions and the file a ``read_text`` node reads. Drawn on purpose by
filtering the requirement's own graphs (:class:`accord.conformance.strata.Stratum`), which reach
every kind listed in the spec often: the generators aim at these edges already (``data.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from accord.conformance.check import Context
from accord.conformance.strata import Stratum, StratumKind
from accord.spec.model import Document, Requirement
from accord.spec.pipeline.graph import canonical, decode_value

from .classes import INT64, _leaves


def _nodes(graph: Any, transform: str) -> Iterator[Mapping]:
    if isinstance(graph, Mapping):
        for node in graph.get("nodes", ()):
            if node["transform"] == transform:
                yield node


def _sources(graph: Any) -> list[list[Mapping]]:
    return [list(node["params"]["elements"]) for node in _nodes(graph, "create")]


def _values(graph: Any) -> Iterator[Any]:
    for elements in _sources(graph):
        for element in elements:
            yield decode_value(element["value"])


def _key(value: Any) -> Any:
    return value[0] if isinstance(value, tuple) and len(value) == 2 else None


def _repeats(items: list[Any]) -> bool:
    seen: set[str] = set()
    for item in items:
        encoded = canonical(item)
        if encoded in seen:
            return True
        seen.add(encoded)
    return False


def _empty_input(graph: Any) -> bool:
    return any(not elements for elements in _sources(graph))


def _duplicates(graph: Any) -> bool:
    return any(_repeats([decode_value(e["value"]) for e in elements]) for elements in _sources(graph))


def _duplicate_keys(graph: Any) -> bool:
    for elements in _sources(graph):
        values = [decode_value(e["value"]) for e in elements]
        if _repeats([_key(v) for v in values if _key(v) is not None]):
            return True
    return False


def _is_nan(leaf: Any) -> bool:
    return isinstance(leaf, float) and math.isnan(leaf)


def _is_bigint(leaf: Any) -> bool:
    return isinstance(leaf, int) and not isinstance(leaf, bool) and not -INT64 <= leaf < INT64


VALUE_KINDS: dict[str, Callable[[Any], bool]] = {
    "none": lambda leaf: leaf is None,
    "bool": lambda leaf: isinstance(leaf, bool),
    "bigint": _is_bigint,
    "nan": _is_nan,
    "signed-zero": lambda leaf: isinstance(leaf, float) and leaf == 0 and math.copysign(1, leaf) < 0,
    "non-ascii": lambda leaf: isinstance(leaf, str) and not leaf.isascii(),
    "bytes": lambda leaf: isinstance(leaf, bytes),
}


def _colliding(keys: list[Any]) -> bool:
    """Two keys Python finds equal whose canonical encodings differ (1 / 1.0 / True, 0 / -0.0 / False)."""
    by_python: dict[Any, set[str]] = {}
    for key in keys:
        try:
            by_python.setdefault(key, set()).add(canonical(key))
        except TypeError:
            continue
    return any(len(encodings) > 1 for encodings in by_python.values())


KEY_KINDS: dict[str, Callable[[list[Any]], bool]] = {
    "colliding": _colliding,
    "nan": lambda keys: any(_is_nan(leaf) for key in keys for leaf in _leaves(key)),
    "bigint": lambda keys: any(_is_bigint(leaf) for key in keys for leaf in _leaves(key)),
}


def _window_edge(graph: Any) -> bool:
    """An element's timestamp is the first instant of a fixed or sliding window of the graph."""
    steps = []
    for node in _nodes(graph, "window_into"):
        fn = node["params"]["windowfn"]
        step = fn.get("period", fn.get("size")) if fn["type"] in ("fixed", "sliding") else None
        if step:
            steps.append((step, fn.get("offset", 0)))
    if not steps:
        return False
    stamps = [e.get("timestamp") for elements in _sources(graph) for e in elements]
    return any(isinstance(t, int) and (t - offset) % step == 0 for t in stamps for step, offset in steps)


def _read_lines(graph: Any) -> list[str]:
    lines: list[str] = []
    for node in _nodes(graph, "read_text"):
        try:
            text = Path(node["params"]["path"]).read_text(encoding="utf-8")
            lines += text.split("\n")[:-1] if text.endswith("\n") else text.split("\n") if text else []
        except (OSError, UnicodeDecodeError):
            continue
    return lines


def _whitespace_ended_lines(graph: Any) -> bool:
    return any(line and line[-1].isspace() for line in _read_lines(graph))


def _plain(recognise: Callable[[Any], bool]) -> StratumKind:
    def make(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum:
        return Stratum("", recognise)
    return make


def _value_kind(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum | None:
    test = VALUE_KINDS.get(argument or "")
    if test is None:
        return None

    def recognise(graph: Any) -> bool:
        leaves = [leaf for v in _values(graph) for leaf in _leaves(v)]
        leaves += [c for line in _read_lines(graph) for c in ([line] if argument == "non-ascii" else [])]
        return any(test(leaf) for leaf in leaves)
    return Stratum("", recognise)


def _key_kind(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum | None:
    test = KEY_KINDS.get(argument or "")
    if test is None:
        return None

    def recognise(graph: Any) -> bool:
        return any(test([_key(v) if _key(v) is not None else v for v in (decode_value(e["value"]) for e in elements)])
                   for elements in _sources(graph))
    return Stratum("", recognise)


KINDS: dict[str, StratumKind] = {
    "empty-input": _plain(_empty_input),
    "duplicates": _plain(_duplicates),
    "duplicate-keys": _plain(_duplicate_keys),
    "window-edge": _plain(_window_edge),
    "whitespace-ended-lines": _plain(_whitespace_ended_lines),
    "value-kind": _value_kind,
    "key-kind": _key_kind,
}
