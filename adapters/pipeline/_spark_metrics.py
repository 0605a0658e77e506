"""Spark accumulators behind Accord's metered functions (spec 1.1 ``metrics``).

Spark's native way to add up values that executors produce is an accumulator.
Each step whose vetted function reports metrics gets one accumulator (a dict
``{(kind, name): value}`` merged by :class:`MetricsParam`); on the executors the
function runs inside ``metrics.reporting_to`` with a per-element recorder whose
updates are added to the step's accumulator. The driver reads the accumulators
after the run's action.

Deviation and workaround - committed values. Spark applies accumulator updates
made inside *transformations* once per task execution: a recomputed stage or a
retried task counts again (Spark's programming guide, "Accumulators"); only
updates inside actions are applied once. Every consumer of an RDD recomputes it
(each output, and every action the translation runs, such as ``rdd.aggregate``),
so a metered step feeding four consumers counted each element four times.
Minimal: ``Create([1, 2, 3, 4]) | Map('counted_identity')`` consumed by a Map
and a CombineGlobally reported ``elements = 8`` (pipeline.metrics.once_per_element,
before the workaround: 16 for its four consumers). The adapter therefore persists
the RDD of every metered step (MEMORY_AND_DISK, so eviction spills rather than
recomputes): each element passes the step once per run. What remains is Spark's
own caveat: a retried task (none in ``local[n]``, whose maxFailures is 1) or a lost
executor would count again - the value is Spark's, reported as both committed
and attempted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.spec.pipeline import functions, metrics


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for key, value in b.items():
        old = out.get(key)
        if old is None:
            out[key] = value
        elif key[0] == "counter":
            out[key] = old + value
        else:
            out[key] = {"count": old["count"] + value["count"], "sum": old["sum"] + value["sum"],
                        "min": min(old["min"], value["min"]), "max": max(old["max"], value["max"])}
    return out


class MetricsParam:
    """Accumulates ``{(kind, name): counter int | distribution dict}`` (PySpark's AccumulatorParam protocol;
    duck-typed, so that importing this module - when adapters are listed - does not import PySpark)."""

    def zero(self, value: dict) -> dict:
        return {}

    def addInPlace(self, value1: dict, value2: dict) -> dict:  # noqa: N802 - PySpark's name
        return _merge(value1, value2)


def _updates(recorder: metrics.Recorder) -> dict:
    out: dict = {("counter", name): n for name, n in recorder.counters.items()}
    out.update({("distribution", name): d for name, d in recorder.distributions.items()})
    return out


def metered(sc: Any, node: dict, fn: Callable, accumulators: dict) -> Callable:
    """``fn`` reporting into a new accumulator for this step, when its vetted function reports metrics."""
    if not functions.lookup(node["params"]["fn"]).metrics:
        return fn
    accumulator = sc.accumulator({}, MetricsParam())
    accumulators[node["id"]] = accumulator

    def run(*args: Any) -> Any:
        recorder = metrics.Recorder()
        with metrics.reporting_to(recorder):
            result = fn(*args)
        if recorder.counters or recorder.distributions:
            accumulator.add(_updates(recorder))
        return result
    return run


def wire(accumulators: dict) -> list[dict]:
    """The accumulators' values in the wire form of ``metrics.py`` (committed = Spark's value)."""
    out = []
    for step, accumulator in accumulators.items():
        for (kind, name), value in sorted(accumulator.value.items()):
            out.append({"step": step, "name": name, "kind": kind, "committed": value, "attempted": value})
    return out


def storage_level() -> Any:
    from pyspark import StorageLevel

    return StorageLevel.MEMORY_AND_DISK
