"""Deliberately broken pipeline adapters: the reference with one rule of the spec broken each.

Loaded by the kit as ``pipeline_broken_adapters:<name>`` (this folder on
PYTHONPATH), they prove that each family of checks can fail. Each breaks the
reference's behaviour the way a real engine plausibly would.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any
from unittest import mock

from accord.adapters.base import AdapterMeta
from accord.adapters.pipeline.reference_adapter import ReferencePipelineAdapter
from accord.reference.pipeline import evaluate, triggers, windowing
from accord.spec.pipeline.graph import GLOBAL, Window, decode_value, encode_value

_CANONICAL = evaluate.canonical


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=f"broken-{name}", family="pipeline", backend_package="accord",
                       spec_versions=("1.0", "1.1"), claims=("streaming",),
                       description=f"reference with a deliberate defect: {name}")


class Broken(ReferencePipelineAdapter):
    """The reference run under some patches, then an optional rewrite of the result."""

    def patches(self) -> list:
        return []

    def rewrite(self, result: dict) -> Any:
        return result

    def invoke(self, op: str, args: Any) -> Any:
        with ExitStack() as stack:
            for patch in self.patches():
                stack.enter_context(patch)
            return self.rewrite(super().invoke(op, args))


class PythonKeyEquality(Broken):
    """Groups with Python's == (1 == 1.0 == True, 0.0 == -0.0), like a dict-based engine."""

    meta = _meta("python-key-equality")

    def patches(self) -> list:
        def python_equality(value: Any) -> str:
            if isinstance(value, bool | int | float) and value == value:
                return repr(float(value)) if value != 0 else "0.0"
            return _CANONICAL(value)
        return [mock.patch.object(evaluate, "canonical", python_equality)]


class TouchingSessionsMerge(Broken):
    """Merges sessions that merely touch ([a, b) and [b, c)): elements exactly gap apart join."""

    meta = _meta("touching-sessions-merge")

    def patches(self) -> list:
        def merge(windows: set) -> dict:
            result, current, end = {}, [], None
            for w in sorted(windows, key=lambda w: (w.start, w.end)):
                if current and w.start <= end:
                    current.append(w)
                    end = max(end, w.end)
                    continue
                if current:
                    result.update({c: Window(current[0].start, end) for c in current})
                current, end = [w], w.end
            if current:
                result.update({c: Window(current[0].start, end) for c in current})
            return result
        return [mock.patch.object(windowing, "merge_sessions", merge)]


class ClosedFixedWindows(Broken):
    """Treats fixed windows as (start, end]: an element at a window's end stays in that window."""

    meta = _meta("closed-fixed-windows")

    def patches(self) -> list:
        real = windowing.assign

        def assign(windowfn: dict, timestamp: int) -> list:
            if windowfn["type"] == "fixed":
                size, offset = windowfn["size"], windowfn.get("offset", 0)
                start = timestamp - 1 - (timestamp - 1 - offset) % size
                return [Window(start, start + size)]
            return real(windowfn, timestamp)
        return [mock.patch.object(windowing, "assign", assign)]


class NoEmptyDefault(Broken):
    """combine_globally over an empty input emits nothing (as engines without defaults do)."""

    meta = _meta("no-empty-default")

    def patches(self) -> list:
        real = evaluate._combine_globally

        def combine_globally(params: dict, inputs: list, sides: list, stream: Any) -> Any:
            out = real(params, inputs, sides, stream)
            if not inputs[0].elements:
                out.elements = []
            return out
        return [mock.patch.dict(evaluate.TRANSFORMS, {"combine_globally": combine_globally}),
                mock.patch.object(evaluate, "_combine_globally", combine_globally)]


class DeduplicatingFlatten(Broken):
    """Flatten as a set union: an element present in two inputs comes out once."""

    meta = _meta("deduplicating-flatten")

    def patches(self) -> list:
        real = evaluate._flatten

        def flatten(params: dict, inputs: list, sides: list, stream: Any) -> Any:
            out = real(params, inputs, sides, stream)
            seen, kept = set(), []
            for e in out.elements:
                key = (evaluate.canonical(e.value), str(e.window))
                if key not in seen:
                    seen.add(key)
                    kept.append(e)
            out.elements = kept
            return out
        return [mock.patch.dict(evaluate.TRANSFORMS, {"flatten": flatten})]


class LateDataKept(Broken):
    """Never expires a window: late data beyond the allowed lateness still fires panes."""

    meta = _meta("late-data-kept")

    def patches(self) -> list:
        real = triggers.panes

        def panes(key: Any, items: list, strategy: dict, events: list, make_group: Any) -> list:
            return real(key, items, {**strategy, "allowed_lateness": 10**15}, events, make_group)
        return [mock.patch.object(triggers, "panes", panes)]


class AlwaysDiscarding(Broken):
    """Ignores accumulating mode: every pane holds only new elements."""

    meta = _meta("always-discarding")

    def patches(self) -> list:
        real = triggers.panes

        def panes(key: Any, items: list, strategy: dict, events: list, make_group: Any) -> list:
            return real(key, items, {**strategy, "accumulation": "discarding"}, events, make_group)
        return [mock.patch.object(triggers, "panes", panes)]


class LostSignedZero(Broken):
    """Turns -0.0 into 0.0 on the way out (a lossy value conversion)."""

    meta = _meta("lost-signed-zero")

    def rewrite(self, result: dict) -> Any:
        def fix(value: Any) -> Any:
            if isinstance(value, float) and value == 0.0:
                return 0.0
            if isinstance(value, tuple):
                return tuple(fix(v) for v in value)
            if isinstance(value, list):
                return [fix(v) for v in value]
            return value
        for elements in result["outputs"].values():
            for element in elements:
                element["value"] = encode_value(fix(decode_value(element["value"])))
        return result


class SloppyFloatSum(Broken):
    """Float sums off by one part in a million: beyond the spec's tolerance."""

    meta = _meta("sloppy-float-sum")

    def rewrite(self, result: dict) -> Any:
        def fix(value: Any) -> Any:
            if isinstance(value, float) and value == value and abs(value) not in (0.0, float("inf")):
                return value * (1 + 1e-6)
            if isinstance(value, tuple):
                return tuple(fix(v) for v in value)
            return value
        for elements in result["outputs"].values():
            for element in elements:
                element["value"] = encode_value(fix(decode_value(element["value"])))
        return result


class WrongPaneTiming(Broken):
    """Reports every pane as ON_TIME (pane metadata lost)."""

    meta = _meta("wrong-pane-timing")

    def rewrite(self, result: dict) -> Any:
        for elements in result["outputs"].values():
            for element in elements:
                if "pane" in element:
                    element["pane"]["timing"] = "ON_TIME"
        return result


class Garbage(Broken):
    """Returns something that is not a result at all."""

    meta = _meta("garbage")

    def rewrite(self, result: dict) -> Any:
        return {"outputs": {ref: "no elements" for ref in result["outputs"]}}


class NeverFails(Broken):
    """Swallows pipeline failures: a bad singleton side input gives an empty output instead of an error."""

    meta = _meta("never-fails")

    def invoke(self, op: str, args: Any) -> Any:
        try:
            return super().invoke(op, args)
        except Exception:
            return {"outputs": {ref: [] for ref in args["graph"]["outputs"]}}


class GlobalWindowLabel(Broken):
    """Reports interval windows as the global window (windows lost on output)."""

    meta = _meta("global-window-label")

    def rewrite(self, result: dict) -> Any:
        for elements in result["outputs"].values():
            for element in elements:
                element["window"] = GLOBAL
        return result


class TwoDefects(Broken):
    """No empty default and a deduplicating flatten at once: two deviations in different transform kinds."""

    meta = _meta("two-defects")

    def patches(self) -> list:
        return NoEmptyDefault().patches() + DeduplicatingFlatten().patches()


python_key_equality = PythonKeyEquality()
two_defects = TwoDefects()
touching_sessions_merge = TouchingSessionsMerge()
closed_fixed_windows = ClosedFixedWindows()
no_empty_default = NoEmptyDefault()
deduplicating_flatten = DeduplicatingFlatten()
late_data_kept = LateDataKept()
always_discarding = AlwaysDiscarding()
lost_signed_zero = LostSignedZero()
sloppy_float_sum = SloppyFloatSum()
wrong_pane_timing = WrongPaneTiming()
garbage = Garbage()
never_fails = NeverFails()
global_window_label = GlobalWindowLabel()
