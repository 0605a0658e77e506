"""Metrics as user code reports them: counters and distributions, sent to whatever sink the engine installs.

A vetted function (``functions.py``) reports through :func:`counter` and
:func:`distribution`, as a Beam DoFn calls ``Metrics.counter(namespace, name).inc()``;
it never knows the engine. The engine decides where the updates go:

- the reference wraps each step's calls in :func:`reporting_to` with a recorder;
- Beam installs a process default (:func:`set_default_sink`) that forwards to
  ``apache_beam.metrics.Metrics``, which attributes updates to the running step;
- Spark wraps each call on the executors in :func:`reporting_to` with accumulators.

Without a sink, updates are dropped (an engine that does not claim ``metrics``
still computes the right outputs). Every metric lives in :data:`NAMESPACE`.

Wire form of a run's metrics (``invoke("run")`` result, key ``"metrics"``)::

    [{"step": "map_1", "name": "elements", "kind": "counter", "committed": 3, "attempted": 3},
     {"step": "map_2", "name": "values", "kind": "distribution",
      "committed": {"count": 3, "sum": 12, "min": -1, "max": 10}}]

``attempted`` is optional; a metric no element updated is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

NAMESPACE = "accord"
KINDS = ("counter", "distribution")
INT64 = (-(2**63), 2**63 - 1)  # Beam's metric cells (and the spec) hold 64-bit integers


class Sink(Protocol):
    def counter(self, name: str, n: int) -> None: ...

    def distribution(self, name: str, value: int) -> None: ...


class _Drop:
    def counter(self, name: str, n: int) -> None:
        pass

    def distribution(self, name: str, value: int) -> None:
        pass


_default: list[Sink] = [_Drop()]
_current: ContextVar[Sink | None] = ContextVar("accord_metrics_sink", default=None)


def set_default_sink(sink: Sink | None) -> None:
    """The sink used where no :func:`reporting_to` is active (None: drop updates)."""
    _default[0] = sink if sink is not None else _Drop()


@contextmanager
def reporting_to(sink: Sink) -> Iterator[None]:
    """Send the updates made inside the block to ``sink``."""
    token = _current.set(sink)
    try:
        yield
    finally:
        _current.reset(token)


def _sink() -> Sink:
    return _current.get() or _default[0]


def _check(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not INT64[0] <= value <= INT64[1]:
        raise ValueError(f"metric {name!r}: {value!r} is not a 64-bit integer")
    return value


def counter(name: str, n: int = 1) -> None:
    """Add ``n`` to the counter ``name`` of the running step."""
    _sink().counter(name, _check(name, n))


def distribution(name: str, value: int) -> None:
    """Record ``value`` in the distribution ``name`` (count, sum, min, max) of the running step."""
    _sink().distribution(name, _check(name, value))


class Recorder:
    """A plain sink that adds up one step's updates (the reference, and Spark's accumulator values)."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}
        self.distributions: dict[str, dict[str, int]] = {}

    def counter(self, name: str, n: int) -> None:
        self.counters[name] = self.counters.get(name, 0) + n

    def distribution(self, name: str, value: int) -> None:
        old = self.distributions.get(name)
        if old is None:
            self.distributions[name] = {"count": 1, "sum": value, "min": value, "max": value}
        else:
            self.distributions[name] = {"count": old["count"] + 1, "sum": old["sum"] + value,
                                        "min": min(old["min"], value), "max": max(old["max"], value)}

    def wire(self, step: str, attempted: bool = True) -> list[dict]:
        """This recorder's metrics in the wire form, committed (= attempted when asked)."""
        out: list[dict] = []
        for kind, table in (("counter", self.counters), ("distribution", self.distributions)):
            for name, value in sorted(table.items()):
                entry: dict[str, Any] = {"step": step, "name": name, "kind": kind, "committed": value}
                if attempted:
                    entry["attempted"] = value
                out.append(entry)
        return out
