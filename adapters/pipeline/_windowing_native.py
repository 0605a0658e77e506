"""Event-time windows for engines that have none (Spark RDDs, dask.bag).

Spark and Dask know nothing about event time, so their adapters carry each
element as a ``(value, timestamp, window)`` triple and make the window part of
the grouping key. This module holds the two pieces of arithmetic that needs:
assigning windows to a timestamp, and merging one key's session windows (done
inside a per-key group, the only place an engine sees all of a key's windows).

Windows are ``(start, end)`` tuples of integer microseconds (half-open), or
:data:`GLOBAL`. Tuples, not objects, because they are hashed and pickled once
per element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from accord.spec.pipeline.graph import GLOBAL, RESOLUTION, Window

WindowT = tuple[int, int] | str


def assigner(windowfn: dict) -> Callable[[int], list[WindowT]]:
    """A function from an event time (µs) to the windows that contain it."""
    kind = windowfn["type"]
    if kind == "global":
        return lambda ts: [GLOBAL]
    if kind == "fixed":
        size, offset = windowfn["size"], windowfn.get("offset", 0)

        def fixed(ts: int) -> list[WindowT]:
            start = ts - (ts - offset) % size
            return [(start, start + size)]
        return fixed
    if kind == "sliding":
        size, period, offset = windowfn["size"], windowfn["period"], windowfn.get("offset", 0)

        def sliding(ts: int) -> list[WindowT]:
            newest = ts - (ts - offset) % period  # the latest window start at or before ts
            return [(start, start + size) for start in range(newest, ts - size, -period)]
        return sliding
    if kind == "sessions":
        gap = windowfn["gap"]
        return lambda ts: [(ts, ts + gap)]  # a proto-session; grouping merges them
    raise ValueError(f"unknown window function {kind!r}")


def merge_sessions(items: Iterable[tuple[Any, tuple[int, int]]]) -> list[tuple[Any, tuple[int, int]]]:
    """Re-label ``(payload, proto_session)`` pairs of one key with their merged session.

    Sorted by start, a proto-session belongs to the running session while it
    starts strictly before the running session's end; merely touching windows
    stay apart.
    """
    ordered = sorted(items, key=lambda item: item[1])
    out: list[tuple[Any, tuple[int, int]]] = []
    run: list[Any] = []
    run_start = run_end = 0
    for payload, (start, end) in ordered:
        if run and start >= run_end:
            out += [(p, (run_start, run_end)) for p in run]
            run = []
        if not run:
            run_start, run_end = start, end
        run.append(payload)
        run_end = max(run_end, end)
    out += [(p, (run_start, run_end)) for p in run]
    return out


def wire_window(window: WindowT) -> Window | str:
    """The graph module's window object for an engine-side window."""
    return GLOBAL if window == GLOBAL else Window(window[0], window[1])


def result_timestamp(window: WindowT) -> int | None:
    """Timestamp of an aggregate's result: the window's last instant at the spec's resolution (1 ms).

    None in the global window.
    """
    return None if window == GLOBAL else window[1] - RESOLUTION
