"""Event time and triggers: how one key's elements become panes (spec/pipeline/1.0/streaming).

The test stream is a list of events played in order:

- ``elements``: the elements arrive, all together (one bundle);
- ``watermark``: the input watermark moves to ``to`` (µs);
- ``processing_time``: the processing-time clock moves forward by ``advance``.

After the last event the watermark moves to +infinity. After every event, every
(key, window) is asked whether its trigger is ready, and fires a pane if so.

Every supported trigger is first normalised to a :class:`Plan`::

    default                          early: -        on_time: yes   late: count 1   finishes: never
    after_watermark(early?, late?)   early: E        on_time: yes   late: L         finishes: after on-time if no L
    after_count(n)                   main: count n                                  finishes: after first pane
    after_processing_time(d)         main: delay d                                  finishes: after first pane
    repeatedly(after_count | after_processing_time)   main: X, again and again       finishes: never

Rules (each a sentence of the spec):

1. A window is *expired* when the watermark is past ``end - 1 ms + allowed_lateness``;
   an element for an expired window is dropped, and so are elements for a
   window whose trigger has finished.
2. ``count n`` is ready when at least n elements arrived since the last pane of
   that window; ``delay d`` is ready when processing time reached the arrival
   time of the first element since the last pane plus d.
3. The on-time pane fires once, when the watermark reaches the window's end, even
   if it is empty. Early sub-triggers only apply before it, late ones only after.
4. A pane is EARLY when the watermark is before the window's end at firing;
   the on-time firing is ON_TIME; any later pane is LATE.
5. Discarding mode: a pane holds the elements since the previous pane;
   accumulating mode: every element of the window so far.
6. ``index`` counts the panes of the window from 0; ``is_first`` is index 0;
   ``is_last`` is true on the pane after which the trigger is finished.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.spec.pipeline.graph import GLOBAL, RESOLUTION, Window

from .errors import UnportablePipeline

INFINITY = math.inf


@dataclass(frozen=True)
class Plan:
    main: dict | None = None  # one-shot or repeated sub-trigger, no on-time pane
    repeat: bool = False
    on_time: bool = False
    early: dict | None = None
    late: dict | None = None


def plan(trigger: dict) -> Plan:
    kind = trigger["type"]
    if kind == "default":
        return Plan(on_time=True, late={"type": "after_count", "count": 1})
    if kind == "after_watermark":
        return Plan(on_time=True, early=trigger.get("early"), late=trigger.get("late"))
    if kind in ("after_count", "after_processing_time"):
        return Plan(main=trigger)
    if kind == "repeatedly" and trigger["trigger"]["type"] in ("after_count", "after_processing_time"):
        return Plan(main=trigger["trigger"], repeat=True)
    raise UnportablePipeline(f"trigger {trigger!r} is outside pipeline spec 1.0")


@dataclass
class WindowState:
    window: Any
    all_values: list = field(default_factory=list)  # everything kept for this window
    pane_values: list = field(default_factory=list)  # since the last pane
    since_fire: int = 0  # elements since the last pane
    first_arrival_pt: float | None = None  # processing time of the first element since the last pane
    index: int = 0
    on_time_done: bool = False
    finished: bool = False


def _end(window: Window | str) -> float:
    return INFINITY if window == GLOBAL else window.end


def panes(key: Any, items: list[tuple], strategy: dict, events: list, make_group: Callable) -> list:
    """All panes of one key. ``items`` are (window, value, timestamp, arrival position)."""
    for window, *_ in items:
        if isinstance(window, Window) and strategy["windowfn"]["type"] == "sessions":
            raise UnportablePipeline("session windows under a test stream are outside pipeline spec 1.0")
    trigger_plan = plan(strategy.get("trigger", {"type": "default"}))
    accumulating = strategy.get("accumulation", "discarding") == "accumulating"
    lateness = strategy.get("allowed_lateness", 0)
    states: dict[Any, WindowState] = {}
    out: list = []
    watermark: float = -INFINITY
    now = 0  # processing time

    def expired(window: Window | str) -> bool:
        return watermark > _end(window) - RESOLUTION + lateness  # rule 1

    def sub_ready(sub: dict | None, state: WindowState) -> bool:  # rule 2
        if sub is None or state.since_fire == 0:
            return False
        if sub["type"] == "after_count":
            return state.since_fire >= sub["count"]
        return now >= state.first_arrival_pt + sub["delay"]

    def fire(state: WindowState, position: int, on_time: bool = False) -> None:
        if watermark < _end(state.window):  # rule 4
            timing = "EARLY"
        else:
            timing = "ON_TIME" if on_time else "LATE"
        if trigger_plan.main is not None:
            state.finished = not trigger_plan.repeat
        elif on_time:
            state.on_time_done = True
            state.finished = trigger_plan.late is None
        values = list(state.all_values if accumulating else state.pane_values)  # rule 5
        pane = {"index": state.index, "timing": timing, "is_first": state.index == 0,
                "is_last": state.finished}  # rule 6
        out.append(make_group(key, state.window, values, pane, position))
        state.index += 1
        state.pane_values, state.since_fire, state.first_arrival_pt = [], 0, None

    def check(state: WindowState, position: int) -> None:
        if state.finished:
            return
        if trigger_plan.main is not None:
            if sub_ready(trigger_plan.main, state):
                fire(state, position)
            return
        if not state.on_time_done and watermark >= _end(state.window):  # rule 3
            fire(state, position, on_time=True)
        elif sub_ready(trigger_plan.late if state.on_time_done else trigger_plan.early, state):
            fire(state, position)

    final = [{"kind": "watermark", "to": INFINITY}]
    for position, event in enumerate([*events, *final]):
        if event["kind"] == "elements":
            for window, value, _timestamp, arrival in items:
                if arrival != position:
                    continue
                if expired(window):
                    continue  # rule 1: dropped, and no state is made for it
                state = states.setdefault(window, WindowState(window))
                if state.finished:
                    continue  # rule 1: dropped
                state.all_values.append(value)
                state.pane_values.append(value)
                state.since_fire += 1
                if state.first_arrival_pt is None:
                    state.first_arrival_pt = now
        elif event["kind"] == "watermark":
            watermark = max(watermark, event["to"])
        else:
            now += event["advance"]
        for window in sorted(states, key=lambda w: _end(w)):
            check(states[window], position)
        for window in [w for w in states if expired(w)]:
            del states[window]  # garbage collection: nothing more can happen in it
    return out
