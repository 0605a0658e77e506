"""Deliberately broken adapters for the spec 1.1 capabilities (stateful processing, metrics).

Loaded as ``pipeline_broken_stateful:<name>`` (this folder on PYTHONPATH). Each is the
reference with one rule of pipeline.contract:state_and_timers or pipeline.contract:metrics
broken the way a real engine was seen to break it.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from pipeline_broken_adapters import Broken

from accord.adapters.base import AdapterMeta
from accord.reference.pipeline import stateful


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=f"broken-{name}", family="pipeline", backend_package="accord",
                       spec_versions=("1.1",), claims=("stateful", "metrics"),
                       description=f"reference with a deliberate defect: {name}")


class TimersInSetOrder(Broken):
    """Fires a key's timers in the order they were set, not by time (Beam 2.77's FnApiRunner)."""

    meta = _meta("timers-in-set-order")

    def patches(self) -> list:
        def in_set_order(self: stateful.KeyWindow, declared: tuple) -> str | None:
            return next(iter(self.pending), None)
        return [mock.patch.object(stateful.KeyWindow, "next_timer", in_set_order)]


class FirstSettingWins(Broken):
    """Setting a set timer again is ignored instead of moving it."""

    meta = _meta("first-setting-wins")

    def patches(self) -> list:
        original = stateful.Timer.set

        def keep_first(self: stateful.Timer, timestamp: int | None) -> None:
            if self.name not in self.owner.pending:
                original(self, timestamp)
        return [mock.patch.object(stateful.Timer, "set", keep_first)]


class CountsPerConsumer(Broken):
    """Counts a metered step once per consumer of its output (Spark's recomputed lineage, uncached)."""

    meta = _meta("counts-per-consumer")

    def invoke(self, op: str, args: Any) -> Any:
        self.graph = args["graph"]
        return super().invoke(op, args)

    def rewrite(self, result: dict) -> Any:
        nodes = self.graph["nodes"]
        for metric in result.get("metrics", []):
            consumers = max(1, sum(metric["step"] in n.get("inputs", []) for n in nodes)
                            + self.graph["outputs"].count(metric["step"]))
            if metric["kind"] == "counter":
                metric["committed"] = metric["attempted"] = metric["committed"] * consumers
            else:
                value = metric["committed"]
                metric["committed"] = metric["attempted"] = {**value, "count": value["count"] * consumers,
                                                             "sum": value["sum"] * consumers}
        return result


class AttemptedBelowCommitted(Broken):
    """Reports attempted values smaller than the committed ones (impossible for positive increments)."""

    meta = _meta("attempted-below-committed")

    def rewrite(self, result: dict) -> Any:
        for metric in result.get("metrics", []):
            if metric["kind"] == "counter":
                metric["attempted"] = metric["committed"] - 1
        return result


timers_in_set_order = TimersInSetOrder()
first_setting_wins = FirstSettingWins()
counts_per_consumer = CountsPerConsumer()
attempted_below_committed = AttemptedBelowCommitted()
