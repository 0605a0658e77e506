"""Vetted stateful DoFns: per-key-and-window state and event-time timers, written once for every engine.

Beam's model (``beam.ParDo`` of a DoFn with ``StateSpec`` / ``TimerSpec``) as plain
data plus two kinds of callback. A :class:`StatefulDoFn` declares its state
cells and timers; ``process(ctx, key, value)`` runs once per input element and
``on_timer[name](ctx, key)`` once per firing. Both return the values to output.
Through ``ctx`` (a :class:`Context`) they see exactly what Beam's DoFn sees:

- ``ctx.timestamp`` - the element's event time, or the firing timer's time (µs; None: undefined);
- ``ctx.window_end`` - the window's last millisecond (end - 1 ms), None in the global window;
- ``ctx.state(name)`` - ``value`` state: ``read()`` (None when empty) / ``write(v)`` / ``clear()``;
  ``bag`` state: ``read()`` (an iterable, order meaningless) / ``add(v)`` / ``clear()``;
  ``combining`` state: ``read()`` (the combine function's output) / ``add(v)`` / ``clear()``;
- ``ctx.timer(name)`` - ``set(t)`` (µs; ``None`` = the end of the global window) / ``clear()``.

Every DoFn here gives the same outputs whatever order its elements arrive in
(what it outputs from ``process`` never depends on earlier elements), so engines
can be compared as multisets. Engines bind cells by kind: each DoFn has at most
one cell of each kind and at most two timers (``spec/pipeline/*/stateful_fns``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .registry import register as _register
from .values import order_key

STATE_KINDS = ("value", "bag", "combining")
SECOND = 1_000_000  # µs


@dataclass(frozen=True)
class StateSpec:
    name: str
    kind: str  # one of STATE_KINDS
    combine: str | None = None  # the vetted combine function of a combining cell


@dataclass(frozen=True)
class StatefulDoFn:
    name: str
    state: tuple[StateSpec, ...]
    timers: tuple[str, ...]  # event-time (watermark) timers
    process: Callable[[Any, Any, Any], Iterable]
    on_timer: Mapping[str, Callable[[Any, Any], Iterable]] = field(default_factory=dict)
    event_time: bool = False  # computes timer times from element timestamps: elements need defined event times


class Context(Protocol):
    timestamp: int | None
    window_end: int | None

    def state(self, name: str) -> Any: ...

    def timer(self, name: str) -> Any: ...


def _latest(ctx: Context, cell: str) -> int:
    """Keep the greatest element timestamp seen in value state ``cell``; return it."""
    state = ctx.state(cell)
    seen = state.read()
    latest = ctx.timestamp if seen is None else max(seen, ctx.timestamp)
    state.write(latest)
    return latest


def _earliest(ctx: Context, cell: str) -> int:
    state = ctx.state(cell)
    seen = state.read()
    earliest = ctx.timestamp if seen is None else min(seen, ctx.timestamp)
    state.write(earliest)
    return earliest


@_register("stateful", "kv", "kv")
def _buffer_until_window_end() -> StatefulDoFn:
    """bag "buffer" + timer "flush" at the window's end: (key, all values in the total order), once"""
    def process(ctx: Context, key: Any, value: Any) -> list:
        ctx.state("buffer").add(value)
        ctx.timer("flush").set(ctx.window_end)
        return []

    def flush(ctx: Context, key: Any) -> list:
        values = sorted(ctx.state("buffer").read(), key=order_key)
        ctx.state("buffer").clear()
        return [(key, values)]
    return StatefulDoFn("buffer_until_window_end", (StateSpec("buffer", "bag"),), ("flush",), process,
                        {"flush": flush})


@_register("stateful", "kv_num", "kv_num")
def _sum_until_window_end() -> StatefulDoFn:
    """combining "total" (sum) + timer "flush" at the window's end: (key, sum of values), once"""
    def process(ctx: Context, key: Any, value: Any) -> list:
        ctx.state("total").add(value)
        ctx.timer("flush").set(ctx.window_end)
        return []

    def flush(ctx: Context, key: Any) -> list:
        return [(key, ctx.state("total").read())]
    return StatefulDoFn("sum_until_window_end", (StateSpec("total", "combining", "sum"),), ("flush",), process,
                        {"flush": flush})


@_register("stateful", "kv", "kv_num")
def _count_after_quiet() -> StatefulDoFn:
    """value "latest" + combining "seen" (count) + timer "quiet", re-set to latest + 2 s by every element:
    (key, number of elements) once, at the latest timestamp + 2 s"""
    def process(ctx: Context, key: Any, value: Any) -> list:
        ctx.state("seen").add(value)
        ctx.timer("quiet").set(_latest(ctx, "latest") + 2 * SECOND)
        return []

    def quiet(ctx: Context, key: Any) -> list:
        return [(key, ctx.state("seen").read())]
    return StatefulDoFn("count_after_quiet", (StateSpec("latest", "value"), StateSpec("seen", "combining", "count")),
                        ("quiet",), process, {"quiet": quiet}, event_time=True)


@_register("stateful", "kv", "kv_num")
def _tick_three() -> StatefulDoFn:
    """value "earliest" + combining "fired" (count) + timer "tick" at earliest + 1 s that re-sets itself
    1 s later twice: (key, 0), (key, 1), (key, 2) at earliest + 1, 2, 3 s"""
    def process(ctx: Context, key: Any, value: Any) -> list:
        ctx.timer("tick").set(_earliest(ctx, "earliest") + SECOND)
        return []

    def tick(ctx: Context, key: Any) -> list:
        fired = ctx.state("fired").read()
        ctx.state("fired").add(None)
        if fired < 2:
            ctx.timer("tick").set(ctx.timestamp + SECOND)
        return [(key, fired)]
    return StatefulDoFn("tick_three", (StateSpec("earliest", "value"), StateSpec("fired", "combining", "count")),
                        ("tick",), process, {"tick": tick}, event_time=True)


@_register("stateful", "kv", "any")
def _timer_order() -> StatefulDoFn:
    """value "latest" + combining "fired" (count) + timers "second" (latest + 2 s, set first) and "first"
    (latest + 1 s): (key, timer name, how many timers fired before it) per firing"""
    def process(ctx: Context, key: Any, value: Any) -> list:
        latest = _latest(ctx, "latest")
        ctx.timer("second").set(latest + 2 * SECOND)
        ctx.timer("first").set(latest + SECOND)
        return []

    def firing(name: str) -> Callable[[Context, Any], list]:
        def fire(ctx: Context, key: Any) -> list:
            fired = ctx.state("fired").read()
            ctx.state("fired").add(None)
            return [(key, name, fired)]
        return fire
    return StatefulDoFn("timer_order", (StateSpec("latest", "value"), StateSpec("fired", "combining", "count")),
                        ("second", "first"), process, {"second": firing("second"), "first": firing("first")}, event_time=True)


@_register("stateful", "kv", "any")
def _distinct_keys() -> StatefulDoFn:
    """value "seen": outputs the key once per key and window, when its first element is processed (no timer);
    the output carries that element's timestamp, so which one is left open"""
    def process(ctx: Context, key: Any, value: Any) -> list:
        if ctx.state("seen").read() is not None:
            return []
        ctx.state("seen").write(True)
        return [key]
    return StatefulDoFn("distinct_keys", (StateSpec("seen", "value"),), (), process, {})

