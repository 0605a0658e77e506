"""Beam's own state, timers and metrics behind Accord's stateful_par_do and metered functions (imports Beam).

- ``stateful_par_do`` → ``beam.ParDo`` of a DoFn with Beam's ``ReadModifyWriteStateSpec`` (value),
  ``BagStateSpec`` (bag), ``CombiningValueStateSpec`` (combining, through the vetted CombineFn) and
  one ``TimerSpec(..., TimeDomain.WATERMARK)`` event-time timer with its ``@on_timer`` callback. Beam
  binds state by declaration, so each vetted :class:`~accord.spec.pipeline.stateful.StatefulDoFn`
  gets one DoFn class with a slot per state kind. Times cross as µs; a timer set to None is set to the
  window's ``max_timestamp()`` (the global window's end).

  Workaround - timer order. Beam 2.77's FnApiRunner fires the timers of *different* timer specs of a
  key in the iteration order of a hash-based collection, not in timestamp order (the Beam model, Beam
  Java and the BundleBasedDirectRunner fire by time): a DoFn whose ``process`` sets timer ``second``
  to t + 2 and then ``first`` to t + 1 runs ``on_second`` first under some ``PYTHONHASHSEED`` values
  (0 and 4 of 0..5) and ``on_first`` first under others. So the adapter multiplexes a DoFn's Accord
  timers on one Beam timer ("wake"): the pending Accord timers are kept in a value cell and "wake" is
  set to the earliest; each firing runs the due Accord timer, and re-setting "wake" brings the next.
  Setting, moving and clearing timers, and firing at the window's end, stay Beam's.
  Keys cross as their canonical encoding (a str: Beam keys state by the key coder's bytes, and these
  bytes are equal exactly when the spec's key rule says the keys are), and the DoFn sees the original key.
- Metered functions report through ``apache_beam.metrics.Metrics`` (namespace ``accord``), which
  attributes each update to the running step; :func:`metrics_of` reads the run's ``MetricResults``
  (committed and attempted) back into the wire form of ``metrics.py``.
"""

from __future__ import annotations

import functools
from typing import Any

import apache_beam as beam
from apache_beam.coders import PickleCoder
from apache_beam.metrics import Metrics
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import (
    BagStateSpec,
    CombiningValueStateSpec,
    ReadModifyWriteStateSpec,
    TimerSpec,
    on_timer,
)
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import Timestamp

from accord.spec.pipeline import functions, metrics
from accord.spec.pipeline.graph import RESOLUTION, canonical, loads_value

from ._beam_combine import CombineVia


class BeamMetricsSink:
    """Forwards metric updates to Beam's Metrics API (the step is whichever DoFn is running)."""

    def counter(self, name: str, n: int) -> None:
        Metrics.counter(metrics.NAMESPACE, name).inc(n)

    def distribution(self, name: str, value: int) -> None:
        Metrics.distribution(metrics.NAMESPACE, name).update(value)


def install_metrics() -> None:
    metrics.set_default_sink(BeamMetricsSink())


def metrics_of(result: Any, steps: set[str]) -> list[dict]:
    """The run's Accord metrics (namespace ``accord``) per graph step, committed and attempted."""
    from apache_beam.metrics.metric import MetricsFilter

    found = result.metrics().query(MetricsFilter().with_namespace(metrics.NAMESPACE))
    out = []
    for kind, key in (("counter", "counters"), ("distribution", "distributions")):
        for r in found.get(key, []):
            step = r.key.step.split("/")[0]
            if step not in steps:
                continue
            out.append({"step": step, "name": r.key.metric.name, "kind": kind,
                        "committed": _wire(r.committed), "attempted": _wire(r.attempted)})
    return out


def _wire(value: Any) -> Any:
    if isinstance(value, int):
        return value
    return {"count": value.count, "sum": value.sum, "min": value.min, "max": value.max}


class _Timers:
    """Accord's timers of one key and window, multiplexed on one Beam event-time timer ("wake").

    The pending Accord timers live in a value cell ``{name: µs}``; "wake" is always set to
    the earliest of them, so Beam fires one timer family and the adapter picks which Accord
    timer is due (module docstring: why).
    """

    def __init__(self, pending_cell: Any, wake: Any, window: Any) -> None:
        self.cell, self.wake, self.window = pending_cell, wake, window
        self.pending: dict[str, int] = dict(pending_cell.read() or {})

    def set(self, name: str, timestamp: int | None) -> None:
        self.pending[name] = self.window.max_timestamp().micros if timestamp is None else timestamp
        self._save()

    def clear(self, name: str) -> None:
        self.pending.pop(name, None)
        self._save()

    def pop_due(self, declared: tuple[str, ...]) -> tuple[str, int]:
        """The earliest pending timer (ties: the one declared first), removed."""
        name = min(self.pending, key=lambda n: (self.pending[n], declared.index(n)))
        when = self.pending.pop(name)
        self._save()
        return name, when

    def _save(self) -> None:
        if self.pending:
            self.cell.write(self.pending)
            self.wake.set(Timestamp(micros=min(self.pending.values())))
        else:
            self.cell.clear()
            self.wake.clear()


class _Timer:
    def __init__(self, timers: _Timers, name: str) -> None:
        self.timers, self.name = timers, name

    def set(self, timestamp: int | None) -> None:
        self.timers.set(self.name, timestamp)

    def clear(self) -> None:
        self.timers.clear(self.name)


class _Context:
    def __init__(self, cells: dict, timers: _Timers, timestamp: int | None, window: Any) -> None:
        self._cells, self._timers, self.window = cells, timers, window
        self.timestamp = timestamp
        # the window's last millisecond (as the reference's windows end), None in the global window
        self.window_end = None if isinstance(window, GlobalWindow) else window.end.micros - RESOLUTION

    def state(self, name: str) -> Any:
        return self._cells[name]

    def timer(self, name: str) -> _Timer:
        return _Timer(self._timers, name)


def _micros(timestamp: Any, window: Any) -> int | None:
    """µs, or None where the spec has no defined time (Beam's minimum; the end of the global window)."""
    from apache_beam.utils.timestamp import MIN_TIMESTAMP

    if timestamp is None or timestamp <= MIN_TIMESTAMP:
        return None
    if isinstance(window, GlobalWindow) and timestamp >= window.max_timestamp():
        return None
    return timestamp.micros


def _canonical_pair(kv: Any) -> tuple:
    if type(kv) is not tuple or len(kv) != 2:
        raise ValueError(f"stateful_par_do expects (key, value) pairs, got {kv!r}")
    return (canonical(kv[0]), kv[1])


@functools.cache
def dofn_class(name: str, label: str) -> type:
    """The Beam DoFn class for the vetted stateful DoFn ``name`` at step ``label`` (made once).

    State and timer ids carry the step's label. Beam 2.77's FnApiRunner confuses stateful steps
    of one fused stage whose DoFns use the same ids: two ParDos on one input, each declaring a
    value cell "v" and a timer "t", where only the first sets its timer - the firing runs the
    *second* DoFn's callback, and the first never fires (with different timer ids both behave).
    """
    fn = functions.bind({"name": name}, "stateful")
    by_kind = {spec.kind: spec for spec in fn.state}
    value_spec = ReadModifyWriteStateSpec(f"{label}_value", PickleCoder())
    bag_spec = BagStateSpec(f"{label}_bag", PickleCoder())
    combine = by_kind["combining"].combine if "combining" in by_kind else "count"
    combining_spec = CombiningValueStateSpec(f"{label}_combining", PickleCoder(), CombineVia({"name": combine}))
    pending_spec = ReadModifyWriteStateSpec(f"{label}_pending_timers", PickleCoder())
    wake_spec = TimerSpec(f"{label}_wake", TimeDomain.WATERMARK)
    slots = {"value": 0, "bag": 1, "combining": 2}

    def context(runtime: tuple, pending: Any, wake: Any, timestamp: int | None, window: Any) -> _Context:
        cells = {spec.name: runtime[slots[spec.kind]] for spec in fn.state}
        return _Context(cells, _Timers(pending, wake, window), timestamp, window)

    class StatefulVia(beam.DoFn):
        def process(self, element: Any, timestamp: Any = beam.DoFn.TimestampParam,
                    window: Any = beam.DoFn.WindowParam,
                    value: Any = beam.DoFn.StateParam(value_spec), bag: Any = beam.DoFn.StateParam(bag_spec),
                    combining: Any = beam.DoFn.StateParam(combining_spec),
                    pending: Any = beam.DoFn.StateParam(pending_spec),
                    wake: Any = beam.DoFn.TimerParam(wake_spec)) -> Any:
            key, item = element
            ctx = context((value, bag, combining), pending, wake, _micros(timestamp, window), window)
            yield from fn.process(ctx, loads_value(key), item)

        @on_timer(wake_spec)
        def fire(self, key: Any = beam.DoFn.KeyParam, window: Any = beam.DoFn.WindowParam,
                 value: Any = beam.DoFn.StateParam(value_spec), bag: Any = beam.DoFn.StateParam(bag_spec),
                 combining: Any = beam.DoFn.StateParam(combining_spec),
                 pending: Any = beam.DoFn.StateParam(pending_spec),
                 wake: Any = beam.DoFn.TimerParam(wake_spec)) -> Any:
            timers = _Timers(pending, wake, window)
            if not timers.pending:
                return
            due, when = timers.pop_due(fn.timers)  # "wake" was set to this time; outputs carry it
            cells = {spec.name: (value, bag, combining)[slots[spec.kind]] for spec in fn.state}
            ctx = _Context(cells, timers, _micros(Timestamp(micros=when), window), window)
            yield from fn.on_timer[due](ctx, loads_value(key))

    StatefulVia.__name__ = StatefulVia.__qualname__ = f"StatefulVia_{name}_{label}"
    return StatefulVia


def stateful_par_do(main: Any, label: str, name: str) -> Any:
    """``beam.ParDo`` of the vetted stateful DoFn ``name`` over ``main``.

    Beam keys state by the key coder's bytes; keys cross as canonical strings (module docstring).
    """
    from apache_beam.typehints import typehints

    keyed = main | f"{label}/canonical_key" >> beam.Map(_canonical_pair).with_output_types(
        typehints.KV[str, typehints.Any])
    return keyed | label >> beam.ParDo(dofn_class(name, label)()).with_output_types(typehints.Any)
