"""stateful_par_do in the reference, as ``spec/pipeline/1.1/transforms/stateful_par_do.yaml`` states it.

Batch only. For every (key, window) - keys equal by the canonical rule - in turn:

1. fresh state cells and no timers;
2. ``process`` once per element, in input order (the vetted DoFns give the same
   outputs in any order); its outputs carry the element's timestamp and window;
3. the input ends, so the watermark passes every time: the pending timer with the
   least time fires (ties: the timer declared first), its outputs carry the timer's
   time; a timer a callback sets is pending from then on, and setting a set timer
   moves it; repeat until no timer is pending;
4. the window has expired: its state is dropped.

A timer set after the window's last instant, or on an element without an event
time, is outside the spec (UnportablePipeline).
"""

from __future__ import annotations

from typing import Any

from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import GLOBAL, Window, canonical
from accord.spec.pipeline.stateful import StatefulDoFn

from .errors import PipelineError, UnportablePipeline

END_OF_GLOBAL_WINDOW = None  # a timer set to None fires at the end of the global window


class ValueState:
    def __init__(self) -> None:
        self.value: Any = None

    def read(self) -> Any:
        return self.value

    def write(self, value: Any) -> None:
        self.value = value

    def clear(self) -> None:
        self.value = None


class BagState:
    def __init__(self) -> None:
        self.items: list = []

    def read(self) -> list:
        return list(self.items)

    def add(self, value: Any) -> None:
        self.items.append(value)

    def clear(self) -> None:
        self.items = []


class CombiningState:
    def __init__(self, combine: str) -> None:
        self.fn = functions.bind({"name": combine}, "combine")
        self.accumulator = self.fn.create_accumulator()

    def read(self) -> Any:
        return self.fn.extract_output(self.accumulator)

    def add(self, value: Any) -> None:
        self.accumulator = self.fn.add_input(self.accumulator, value)

    def clear(self) -> None:
        self.accumulator = self.fn.create_accumulator()


class Timer:
    def __init__(self, name: str, owner: KeyWindow) -> None:
        self.name, self.owner = name, owner

    def set(self, timestamp: int | None) -> None:
        window = self.owner.window
        if timestamp is None and window != GLOBAL:
            raise UnportablePipeline(f"timer {self.name!r}: None (end of the global window) in an interval window")
        if isinstance(window, Window) and timestamp is not None and timestamp > window.max_timestamp():
            raise UnportablePipeline(f"timer {self.name!r} set after the window's last instant")
        self.owner.pending[self.name] = timestamp  # setting a set timer moves it

    def clear(self) -> None:
        self.owner.pending.pop(self.name, None)


class KeyWindow:
    """The state cells, timers and DoFn context of one key in one window."""

    def __init__(self, fn: StatefulDoFn, window: Window | str) -> None:
        self.window = window
        self.window_end = None if window == GLOBAL else window.max_timestamp()
        self.timestamp: int | None = None
        self.cells = {spec.name: (CombiningState(spec.combine) if spec.kind == "combining"
                                  else BagState() if spec.kind == "bag" else ValueState()) for spec in fn.state}
        self.timers = {name: Timer(name, self) for name in fn.timers}
        self.pending: dict[str, int | None] = {}

    # the Context the DoFn sees (stateful.py)
    def state(self, name: str) -> Any:
        return self.cells[name]

    def timer(self, name: str) -> Timer:
        return self.timers[name]

    def next_timer(self, declared: tuple[str, ...]) -> str | None:
        """The pending timer that fires next: least time (None = end of the global window, last)."""
        if not self.pending:
            return None
        def when(name: str) -> tuple:
            t = self.pending[name]
            return (t is None, t if t is not None else 0, declared.index(name))
        return min(self.pending, key=when)


def stateful_par_do(fn: StatefulDoFn, elements: list, make_element: Any) -> list:
    """Run ``fn`` over ``elements`` ((key, value) Elements); ``make_element(value, timestamp, window)``."""
    per_key_window: dict[tuple[str, Any], list] = {}
    for element in elements:
        if not isinstance(element.value, tuple) or len(element.value) != 2:
            raise PipelineError(f"stateful_par_do expects (key, value) pairs, got {element.value!r}")
        if fn.event_time and element.timestamp is None:
            raise UnportablePipeline(f"{fn.name} sets timers from event times, but an element has none")
        per_key_window.setdefault((canonical(element.value[0]), element.window), []).append(element)
    out = []
    for (_, window), group in per_key_window.items():
        key = group[0].value[0]
        ctx = KeyWindow(fn, window)
        for element in group:
            ctx.timestamp = element.timestamp
            out += [make_element(v, element.timestamp, window) for v in fn.process(ctx, key, element.value[1])]
        while (name := ctx.next_timer(fn.timers)) is not None:
            ctx.timestamp = ctx.pending.pop(name)
            out += [make_element(v, ctx.timestamp, window) for v in fn.on_timer[name](ctx, key)]
    return out
