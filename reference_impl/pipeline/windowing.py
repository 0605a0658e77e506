"""Window assignment and session merging, exactly as ``spec/pipeline/1.0/windowing`` states them.

All times are integer microseconds. Interval windows are half-open
``[start, end)``; the global window is the string ``"global"``.
"""

from __future__ import annotations

from typing import Any

from accord.spec.pipeline.graph import GLOBAL, Window

GLOBAL_WINDOWING: dict[str, Any] = {"windowfn": {"type": "global"}}


def assign(windowfn: dict, timestamp: int) -> list[Window | str]:
    """The windows one element with this timestamp belongs to."""
    kind = windowfn["type"]
    if kind == "global":
        return [GLOBAL]
    if kind == "fixed":
        size, offset = windowfn["size"], windowfn.get("offset", 0)
        # Python's % is a floor modulo, so this also holds for negative times.
        start = timestamp - (timestamp - offset) % size
        return [Window(start, start + size)]
    if kind == "sliding":
        size, period, offset = windowfn["size"], windowfn["period"], windowfn.get("offset", 0)
        last_start = timestamp - (timestamp - offset) % period
        windows = []
        start = last_start
        while start > timestamp - size:  # every window [start, start + size) that contains timestamp
            windows.append(Window(start, start + size))
            start -= period
        return windows
    if kind == "sessions":
        # Each element opens its own proto-session; grouping merges them (merge_sessions).
        return [Window(timestamp, timestamp + windowfn["gap"])]
    raise ValueError(f"unknown window function {kind!r}")


def merge_sessions(windows: set[Window]) -> dict[Window, Window]:
    """Map every proto-session to the session it merges into.

    Sorted by start, a window joins the current session when it starts strictly
    before the session's end (windows that merely touch, ``[a, b)`` and
    ``[b, c)``, stay apart: elements exactly ``gap`` apart are two sessions).
    """
    result: dict[Window, Window] = {}
    current: list[Window] = []
    end = None
    for window in sorted(windows, key=lambda w: (w.start, w.end)):
        if current and window.start < end:
            current.append(window)
            end = max(end, window.end)
            continue
        if current:
            merged = Window(current[0].start, end)
            result.update({w: merged for w in current})
        current, end = [window], window.end
    if current:
        merged = Window(current[0].start, end)
        result.update({w: merged for w in current})
    return result


def is_merging(windowing: dict) -> bool:
    return windowing["windowfn"]["type"] == "sessions"


def output_timestamp(window: Window | str) -> int | None:
    """The timestamp of a grouped or combined result: end - 1 ms; None (undefined) in the global window."""
    return None if window == GLOBAL else window.max_timestamp()
