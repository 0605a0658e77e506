"""Pipeline mutants of when in processing time and how refinements relate: triggers, lateness, accumulation
and pane metadata, applied to the reference's trigger machinery (``triggers.plan`` and ``triggers.panes``).

Every description names the bug and quotes the streaming transcript of ``spec/pipeline/draft`` it violates.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model import Mutant
from .tools import Ref, arrive, attribute, clock, stream, watermark

S = 1_000_000  # µs
_FIXED = {"type": "fixed", "size": 10 * S}


def _strategy(change: dict) -> Any:
    """triggers.panes run with the windowing strategy overridden by ``change``."""
    def panes(orig: Any, key: Any, items: list, strategy: dict, events: list, make_group: Any) -> list:
        return orig(key, items, {**strategy, **change}, events, make_group)
    return attribute("triggers.panes", panes)


def _plan(change: Any) -> Any:
    """triggers.plan whose result goes through ``change(plan, trigger) -> plan``."""
    return attribute("triggers.plan", lambda orig, trigger: change(orig(trigger), trigger))


def _count_plus_one(sub: dict | None) -> dict | None:
    if sub is not None and sub["type"] == "after_count":
        return {**sub, "count": sub["count"] + 1}
    return sub


def _panes_after(change: Any) -> Any:
    """triggers.panes whose output groups (one key's panes, in firing order) go through ``change``."""
    def patch(ref: Ref) -> dict:
        orig = ref.triggers.panes

        def panes(key: Any, items: list, strategy: dict, events: list, make_group: Any) -> list:
            return change(orig(key, items, strategy, events, make_group))
        return {"triggers.panes": panes}
    return patch


def _skip_empty_on_time(groups: list) -> list:
    return [g for g in groups if g.values or g.pane["timing"] != "ON_TIME"]


def _index_per_key(groups: list) -> list:
    return [replace(g, pane={**g.pane, "index": i, "is_first": i == 0}) for i, g in enumerate(groups)]


def _late_as_on_time(groups: list) -> list:
    return [replace(g, pane={**g.pane, "timing": "ON_TIME"}) if g.pane["timing"] == "LATE" else g for g in groups]


def _never_last(groups: list) -> list:
    return [replace(g, pane={**g.pane, "is_last": False}) for g in groups]


def _windowing(trigger: dict | None = None, **more: Any) -> dict:
    return {"windowfn": _FIXED, **({"trigger": trigger} if trigger else {}), **more}


_EARLY_LATE = {"type": "after_watermark", "early": {"type": "after_count", "count": 1},
               "late": {"type": "after_count", "count": 1}}
_LATE_STREAM = [arrive((("k", 1), S)), watermark(12 * S), arrive((("k", 2), 2 * S))]

MUTANTS = (
    Mutant("pipeline.accumulation.accumulating-ignored", "accumulation",
           "accumulation: accumulating is ignored and every pane holds only the new elements; the spec says 'With "
           "the default trigger and accumulating mode, a late pane repeats everything the window holds.'",
           _strategy({"accumulation": "discarding"}),
           stream(_LATE_STREAM, _windowing(accumulation="accumulating", allowed_lateness=20 * S))),
    Mutant("pipeline.accumulation.discarding-accumulates", "accumulation",
           "accumulation: discarding panes repeat the elements of earlier panes; the spec says 'Discarding panes "
           "hold only the new elements.'",
           _strategy({"accumulation": "accumulating"}),
           stream(_LATE_STREAM, _windowing(allowed_lateness=20 * S))),
    Mutant("pipeline.allowed_lateness.lateness-ignored", "lateness",
           "allowed_lateness is ignored (always 0), so data behind the watermark is dropped; the spec says 'A late "
           "element within the allowed lateness fires a LATE pane with index 1 (discarding - only the late "
           "element).'",
           _strategy({"allowed_lateness": 0}), stream(_LATE_STREAM, _windowing(allowed_lateness=20 * S)),
           documents=("default_trigger",)),
    Mutant("pipeline.allowed_lateness.late-data-kept", "lateness",
           "Data behind the watermark is never dropped (windows never expire); the spec says 'With no allowed "
           "lateness, data behind the watermark is dropped and fires nothing.'",
           _strategy({"allowed_lateness": 10**15}), stream(_LATE_STREAM, _windowing())),
    Mutant("pipeline.after_watermark.early-firings-ignored", "watermark-triggers",
           "after_watermark's early sub-trigger never fires; the spec says 'Early panes every 2 elements, the "
           "on-time pane, then one late pane per late element (accumulating).'",
           _plan(lambda plan, trigger: replace(plan, early=None)),
           stream([arrive((("k", 1), S)), watermark(20 * S)], _windowing(_EARLY_LATE))),
    Mutant("pipeline.default_trigger.late-firings-ignored", "lateness",
           "Late firings never happen (the trigger finishes at the watermark), so late data within the allowed "
           "lateness is dropped; the spec says 'A late element within the allowed lateness fires a LATE pane with "
           "index 1' and 'The default trigger never finishes: is_last is false on every pane.'",
           _plan(lambda plan, trigger: replace(plan, late=None)),
           stream(_LATE_STREAM, _windowing(allowed_lateness=20 * S))),
    Mutant("pipeline.after_count.repeatedly-fires-once", "count-triggers",
           "repeatedly(after_count(n)) fires once and finishes, like a bare after_count; the spec says "
           "'repeatedly(after_count(2)) fires an EARLY pane for every 2 elements and nothing at the watermark.'",
           _plan(lambda plan, trigger: replace(plan, repeat=False)),
           stream([arrive((("k", 1), S), (("k", 2), 2 * S)), arrive((("k", 3), 3 * S), (("k", 4), 4 * S))],
                  _windowing({"type": "repeatedly", "trigger": {"type": "after_count", "count": 2}}))),
    Mutant("pipeline.after_count.off-by-one", "count-triggers",
           "after_count(n) fires once more than n elements arrived; the spec says 'after_count(n) is ready once "
           "at least n elements arrived since the window's previous pane'.",
           _plan(lambda plan, trigger: replace(plan, main=_count_plus_one(plan.main),
                                               early=_count_plus_one(plan.early), late=_count_plus_one(plan.late))),
           stream([arrive((("k", 1), S)), arrive((("k", 2), 2 * S)), arrive((("k", 3), 3 * S))],
                  _windowing({"type": "after_count", "count": 2}))),
    Mutant("pipeline.after_processing_time.delay-ignored", "processing-time-triggers",
           "after_processing_time fires as soon as an element arrives, whatever the delay; the spec says 'A clock "
           "advance shorter than the delay fires nothing early; the elements wait for the on-time pane.'",
           _plan(lambda plan, trigger: replace(plan, early={"type": "after_processing_time", "delay": 0})
                 if plan.early and plan.early["type"] == "after_processing_time" else plan),
           stream([arrive((("k", 1), S)), clock(2 * S), watermark(20 * S)],
                  _windowing({"type": "after_watermark",
                              "early": {"type": "after_processing_time", "delay": 3 * S}}))),
    Mutant("pipeline.after_watermark.empty-on-time-pane-skipped", "watermark-triggers",
           "The on-time pane is not fired when the window holds no new element; the spec says 'In discarding "
           "mode the on-time pane fires even when early panes took every element, and it is the last pane.'",
           _panes_after(_skip_empty_on_time),
           stream([arrive((("k", 4), S)), watermark(20 * S)],
                  _windowing({"type": "after_watermark", "early": {"type": "after_count", "count": 1}}),
                  "combine_per_key", {"name": "sum"})),
    Mutant("pipeline.default_trigger.pane-index-per-key", "pane-metadata",
           "Pane indexes count the panes of a key across all its windows, not per window; the spec says 'index "
           "counts a window's panes from 0; is_first is index 0' (each window fires once, ON_TIME, index 0).",
           _panes_after(_index_per_key),
           stream([arrive((("k", 1), S), (("k", 5), 12 * S)), watermark(30 * S)], _windowing())),
    Mutant("pipeline.default_trigger.late-panes-on-time", "pane-metadata",
           "Every pane fired at or after the watermark passed the window's end is labelled ON_TIME, late ones "
           "too; the spec says 'A late element within the allowed lateness fires a LATE pane with index 1' and 'A "
           "pane is EARLY when the watermark is before the window's end when it fires, ON_TIME for the firing "
           "caused by the watermark reaching the end, LATE afterwards.'",
           _panes_after(_late_as_on_time), stream(_LATE_STREAM, _windowing(allowed_lateness=20 * S))),
    Mutant("pipeline.after_count.is-last-never-set", "count-triggers",
           "is_last is never set, even on the pane after which the trigger is finished; the spec says 'A "
           "top-level after_count(2) fires once, as the last pane' and 'is_last marks the pane after which the "
           "trigger is finished.'",
           _panes_after(_never_last),
           stream([arrive((("k", 1), S), (("k", 2), 2 * S))], _windowing({"type": "after_count", "count": 2}))),
)
