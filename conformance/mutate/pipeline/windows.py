"""Pipeline mutants of where in event time: timestamps, and fixed, sliding, session and global windows.

Every description names the bug and quotes the requirement of ``spec/pipeline/draft`` it violates.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from accord.spec.pipeline.graph import Window

from ..model import Mutant
from .tools import Ref, attribute, chain, elements, interval, transform

S = 1_000_000  # µs


def _fixed(end_inclusive: bool = False, no_offset: bool = False) -> Any:
    def assign(orig: Any, windowfn: dict, timestamp: int) -> list:
        if windowfn["type"] != "fixed":
            return orig(windowfn, timestamp)
        size, offset = windowfn["size"], 0 if no_offset else windowfn.get("offset", 0)
        if end_inclusive:  # windows (start, end]: an element on an edge belongs to the window before it
            start = (timestamp - 1) - (timestamp - 1 - offset) % size
        else:
            start = timestamp - (timestamp - offset) % size
        return [Window(start, start + size)]
    return attribute("windowing.assign", assign)


def _sliding(drop_oldest: bool = False, no_negative: bool = False) -> Any:
    def assign(orig: Any, windowfn: dict, timestamp: int) -> list:
        windows = orig(windowfn, timestamp)
        if windowfn["type"] != "sliding":
            return windows
        if drop_oldest and len(windows) > 1:
            windows = windows[:-1]  # the reference lists them newest first
        if no_negative:
            windows = [w for w in windows if w.start >= 0]
        return windows
    return attribute("windowing.assign", assign)


def _merge_touching(orig: Any, windows: set) -> dict:
    """Sessions that merely touch ([a, b) and [b, c)) merge: each proto-session is widened by 1 µs first."""
    widened = {Window(w.start, w.end + 1): w for w in windows}
    merged = orig(set(widened))
    return {widened[w]: Window(m.start, m.end - 1) for w, m in merged.items()}


def _sessions_across_keys(ref: Ref) -> dict:
    ev, orig = ref.evaluate, ref.evaluate.group

    def group(source: Any, stream: Any, key_of: Any, value_of: Any) -> Any:
        if ref.windowing.is_merging(source.windowing):
            merged = ref.windowing.merge_sessions({e.window for e in source.elements})
            source = ev.Collection([replace(e, window=merged[e.window]) for e in source.elements],
                                   source.windowing, source.streaming)
        return orig(source, stream, key_of, value_of)
    return {"evaluate.group": group}


def _global_keeps_windows(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    out = orig(params, inputs, sides, stream)
    if params["windowfn"]["type"] != "global":
        return out
    return replace(out, elements=list(inputs[0].elements))


def _timestamps_to_start(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    out = orig(params, inputs, sides, stream)
    return elements(out, lambda e: replace(e, timestamp=e.window.start) if interval(e.window) else e)


def _combine_ignoring_windows(orig: Any, params: dict, inputs: list, sides: list, stream: Any) -> Any:
    (source,) = inputs
    if not any(interval(e.window) for e in source.elements):
        return orig(params, inputs, sides, stream)
    first = min((e.window for e in source.elements), key=lambda w: w.start)
    flat = replace(source, elements=[replace(e, window=first) for e in source.elements])
    return orig(params, [flat], sides, stream)


_FIXED = {"windowfn": {"type": "fixed", "size": 10 * S}}

MUTANTS = (
    Mutant("pipeline.create.timestamps-dropped", "event-time",
           "create ignores the timestamps given with the elements (no event time); the spec says 'A timestamp "
           "given at creation is the element's event timestamp.'",
           transform("create", lambda orig, *a: elements(orig(*a), lambda e: replace(e, timestamp=None))),
           chain([1], stamps=[5 * S])),
    Mutant("pipeline.fixed.output-timestamp-at-end", "event-time",
           "A per-window aggregate carries the window's end (its first instant after the window) as timestamp; "
           "the spec says 'A per-window aggregate carries its window and a timestamp in its last millisecond.'",
           attribute("windowing.output_timestamp", lambda orig, w: w.end if interval(w) else orig(w)),
           chain([1], ("window_into", _FIXED), ("count_globally", {}), stamps=[S]), documents=("fixed",)),
    Mutant("pipeline.window_into.timestamps-to-window-start", "event-time",
           "window_into moves every element's timestamp to the start of its window; the spec says 'After "
           "window_into every element is in the windows its window function assigns, timestamps unchanged.'",
           transform("window_into", _timestamps_to_start), chain([1], ("window_into", _FIXED), stamps=[3 * S])),
    Mutant("pipeline.with_timestamps.whole-seconds", "event-time",
           "with_timestamps keeps event times at a resolution of whole seconds; the spec says 'Every element "
           "carries the timestamp the function gives it, to the microsecond.'",
           transform("with_timestamps", lambda orig, *a: elements(
               orig(*a), lambda e: replace(e, timestamp=e.timestamp - e.timestamp % S))),
           chain([1_500_000], ("with_timestamps", {"fn": {"name": "value_as_micros"}}))),
    Mutant("pipeline.fixed.end-inclusive", "fixed-windows",
           "Fixed windows are (start, end]: an element exactly on an edge lands in the window that ends there; "
           "the spec says 'Elements at 0, end - 1 ms and end land in [0, end), [0, end) and [end, 2 end).'",
           _fixed(end_inclusive=True), chain([1], ("window_into", _FIXED), stamps=[10 * S])),
    Mutant("pipeline.fixed.offset-ignored", "fixed-windows",
           "Fixed windows ignore their offset; the spec says 'An offset shifts the window grid.'",
           _fixed(no_offset=True),
           chain([1], ("window_into", {"windowfn": {"type": "fixed", "size": 10 * S, "offset": 3 * S}}),
                 stamps=[S])),
    Mutant("pipeline.combine_per_key.windows-ignored", "fixed-windows",
           "combine_per_key combines a key's values across all windows (keyed by key alone); the spec says "
           "'Combining happens per key and window.'",
           transform("combine_per_key", _combine_ignoring_windows),
           chain([("a", 1), ("a", 2)], ("window_into", _FIXED), ("combine_per_key", {"fn": {"name": "sum"}}),
                 stamps=[S, 12 * S])),
    Mutant("pipeline.sliding.last-window-missing", "sliding-windows",
           "Sliding-window assignment stops one window short: the oldest window that still contains the "
           "element is missing; the spec says 'Random timestamps land in every sliding window that contains "
           "them' (an element at 7 s is in [0 s, 10 s) and [5 s, 15 s)).",
           _sliding(drop_oldest=True),
           chain([1], ("window_into", {"windowfn": {"type": "sliding", "size": 10 * S, "period": 5 * S}}),
                 stamps=[7 * S])),
    Mutant("pipeline.sliding.no-negative-starts", "sliding-windows",
           "Sliding windows that start before time 0 are never assigned (window starts are unsigned); the spec "
           "says 'Random timestamps land in every sliding window that contains them.'",
           _sliding(no_negative=True),
           chain([1], ("window_into", {"windowfn": {"type": "sliding", "size": 10 * S, "period": 5 * S}}),
                 stamps=[2 * S])),
    Mutant("pipeline.sessions.merge-at-gap", "session-windows",
           "Session windows that merely touch merge, so elements exactly gap apart form one session; the spec "
           "says 'Elements exactly gap apart are two sessions.'",
           attribute("windowing.merge_sessions", _merge_touching),
           chain([("k", 1), ("k", 2)], ("window_into", {"windowfn": {"type": "sessions", "gap": 5 * S}}),
                 ("group_by_key", {}), stamps=[0, 5 * S])),
    Mutant("pipeline.sessions.merged-across-keys", "session-windows",
           "Sessions are merged over all elements before grouping by key, so one key's element extends another "
           "key's session; the spec says 'Sessions of different keys do not merge.'",
           _sessions_across_keys,
           chain([("a", 1), ("b", 2)], ("window_into", {"windowfn": {"type": "sessions", "gap": 5 * S}}),
                 ("group_by_key", {}), stamps=[0, 3 * S])),
    Mutant("pipeline.global.rewindow-keeps-windows", "global-window",
           "window_into the global window leaves elements in the windows they had; the spec says 'Re-windowing "
           "fixed-windowed elements into the global window gathers them into one group again.'",
           transform("window_into", _global_keeps_windows),
           chain([("a", 1), ("a", 2)], ("window_into", _FIXED), ("window_into", {"windowfn": {"type": "global"}}),
                 ("group_by_key", {}), stamps=[S, 12 * S])),
)
