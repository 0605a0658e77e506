"""Values, windows and elements of the pipeline graph on the wire (format ``accord.pipeline/1``).

The codec every side of a run shares: the graph's ``create`` elements, a run's
outputs, the canonical encoding that decides key equality, and the total order
used by min/max/top. It imports nothing from the rest of the model, so the
function registry, the stateful DoFns and the graph validator all build on it.

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
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from typing import Any

RESOLUTION = 1000  # µs: the event-time resolution of pipeline spec 1.0 (one millisecond)
SAFE_INT = 2**53
GLOBAL = "global"  # the global window on the wire and in the reference


class GraphError(ValueError):
    """The graph, or a value in it, is not valid ``accord.pipeline/1`` (message names the node/field)."""


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


_SCALAR_TAGS = {"$int": int, "$float": float, "$bytes": base64.b64decode}
"""The tags whose body decodes alone (no nested values): the same in a parsed value and in the json hook."""


def decode_value(data: Any) -> Any:
    """Inverse of :func:`encode_value`."""
    if data is None or isinstance(data, bool | str | int | float):
        return data
    if isinstance(data, list):
        return [decode_value(v) for v in data]
    if isinstance(data, dict) and len(data) == 1:
        (tag, body), = data.items()
        if tag in _SCALAR_TAGS:
            return _SCALAR_TAGS[tag](body)
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
    if tag in _SCALAR_TAGS:
        return _SCALAR_TAGS[tag](body)
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
    # the commonest keys without json's encoder: the same strings, made per element of a grouping
    if value is None:
        return "null"
    if type(value) is int and -SAFE_INT < value < SAFE_INT:
        return str(value)
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
