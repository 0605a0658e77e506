"""Pipeline mutants of stateful processing: state cells per key and window, and event-time timers.

They replace classes of the reference's ``stateful`` module (``BagState``, ``CombiningState``, ``Timer``,
``KeyWindow``), which ``stateful_par_do`` looks up when it runs. Every description names the bug and
quotes the requirement of ``spec/pipeline/draft/transforms/stateful_par_do.yaml`` it violates.
"""

from __future__ import annotations

from typing import Any

from accord.spec.pipeline.graph import canonical

from ..model import Mutant
from .tools import Ref, chain

S = 1_000_000  # µs
_FIXED = {"windowfn": {"type": "fixed", "size": 10 * S}}


def _subclass(name: str, make: Any) -> Any:
    """Replace ``stateful.<name>`` by ``make(original class)``."""
    def patch(ref: Ref) -> dict:
        return {f"stateful.{name}": make(getattr(ref.stateful, name))}
    return patch


def _bag_set(base: type) -> type:
    class SetBag(base):  # type: ignore[misc, valid-type]
        def add(self, value: Any) -> None:
            if canonical(value) not in {canonical(v) for v in self.items}:
                super().add(value)
    return SetBag


def _combining_last(base: type) -> type:
    class LastOnly(base):  # type: ignore[misc, valid-type]
        def add(self, value: Any) -> None:
            self.accumulator = self.fn.add_input(self.fn.create_accumulator(), value)
    return LastOnly


def _timer_first_set_wins(base: type) -> type:
    class FirstWins(base):  # type: ignore[misc, valid-type]
        def set(self, timestamp: int | None) -> None:
            if self.name not in self.owner.pending:
                super().set(timestamp)
    return FirstWins


def _firing(base: type, set_order: bool = False) -> type:
    """KeyWindow that knows which timer is firing (and, with ``set_order``, fires in the order timers were set)."""
    class Firing(base):  # type: ignore[misc, valid-type]
        firing: str | None = None

        def next_timer(self, declared: tuple[str, ...]) -> str | None:
            name = next(iter(self.pending), None) if set_order else super().next_timer(declared)
            self.firing = name
            return name
    return Firing


def _no_loop(ref: Ref) -> dict:
    """A timer set again inside its own callback is dropped."""
    sf = ref.stateful

    class NoLoop(sf.Timer):  # type: ignore[misc, name-defined]
        def set(self, timestamp: int | None) -> None:
            if getattr(self.owner, "firing", None) != self.name:
                super().set(timestamp)
    return {"stateful.Timer": NoLoop, "stateful.KeyWindow": _firing(sf.KeyWindow)}


def _element_timestamps(ref: Ref) -> dict:
    """A timer callback's outputs carry the last element's timestamp, not the timer's time."""
    base = _firing(ref.stateful.KeyWindow)

    class StaleTime(base):  # type: ignore[misc, valid-type]
        @property
        def timestamp(self) -> int | None:
            return self.__dict__.get("_timestamp")

        @timestamp.setter
        def timestamp(self, value: int | None) -> None:
            if self.firing is None:
                self.__dict__["_timestamp"] = value
    return {"stateful.KeyWindow": StaleTime}


def _state_per_key(ref: Ref) -> dict:
    """State cells shared by every window of a key (a state table keyed by key alone)."""
    sf = ref.stateful
    shared: dict = {}

    def run(fn: Any, elements: list, make_element: Any) -> list:
        shared.clear()
        orig_process = fn.process

        def process(ctx: Any, key: Any, value: Any) -> Any:
            ctx.cells = shared.setdefault(canonical(key), ctx.cells)
            return orig_process(ctx, key, value)
        fn_ = _Proxy(fn, process)
        return orig(fn_, elements, make_element)
    orig = sf.stateful_par_do
    return {"stateful.stateful_par_do": run}


class _Proxy:
    """A stateful DoFn with its ``process`` replaced (everything else read from the original)."""

    def __init__(self, fn: Any, process: Any) -> None:
        self._fn, self.process = fn, process

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fn, name)


def _key_rule(ref: Ref) -> dict:
    def python_key(value: Any) -> Any:
        try:
            hash(value)
        except TypeError:
            return canonical(value)
        return ("py", value)
    return {"stateful.canonical": python_key}


def _stateful(name: str, values: list, stamps: list[int] | None = None, fixed: bool = True) -> dict:
    steps = [("window_into", _FIXED)] if fixed else []
    return chain(values, *steps, ("stateful_par_do", {"fn": {"name": name}}), stamps=stamps)


MUTANTS = (
    Mutant("pipeline.stateful_par_do.state-per-key-only", "state",
           "State cells are kept per key alone, so a key's state carries over from one window to the next; the "
           "spec says 'A value cell is per key (by the key rule, so 1, 1.0 and True are three keys) and per "
           "window.'",
           _state_per_key, _stateful("distinct_keys", [(1, "a"), (1, "b")], [S, 12 * S])),
    Mutant("pipeline.stateful_par_do.keys-by-python-equality", "state",
           "State is keyed by Python equality, so 1, 1.0 and True share one cell; the spec says 'A value cell is "
           "per key (by the key rule, so 1, 1.0 and True are three keys) and per window.'",
           _key_rule, _stateful("distinct_keys", [(1, "a"), (1.0, "b"), (True, "c")], [S, 2 * S, 3 * S])),
    Mutant("pipeline.stateful_par_do.bag-deduplicates", "state",
           "A bag cell keeps each distinct value once (a set); the spec says 'A bag cell collects every value of "
           "its key; a timer at the end of the global window reads it once.'",
           _subclass("BagState", _bag_set), _stateful("buffer_until_window_end", [("a", 3), ("a", 3)], fixed=False)),
    Mutant("pipeline.stateful_par_do.combining-keeps-last", "state",
           "A combining cell keeps only the last value added (add overwrites the accumulator); the spec says 'A "
           "combining cell adds its key's values with the vetted combine function, per key and window.'",
           _subclass("CombiningState", _combining_last),
           _stateful("sum_until_window_end", [("k", 1), ("k", 2)], [S, 2 * S])),
    Mutant("pipeline.stateful_par_do.timer-reset-ignored", "timers",
           "Setting a timer that is already set leaves it at its first time; the spec says 'Setting a set timer "
           "moves it - it fires once, at the time it was set to last.'",
           _subclass("Timer", _timer_first_set_wins),
           _stateful("count_after_quiet", [("k", 1), ("k", 2)], [S, 2 * S], fixed=False)),
    Mutant("pipeline.stateful_par_do.timers-in-set-order", "timers",
           "The timers of a key and window fire in the order they were set, not in the order of their times; "
           "the spec says 'The timers of a key and window fire in the order of their times, not in the order "
           "they were set.'",
           _subclass("KeyWindow", lambda base: _firing(base, set_order=True)),
           _stateful("timer_order", [("k", 1)], [S], fixed=False)),
    Mutant("pipeline.stateful_par_do.timer-loop-dropped", "timers",
           "A timer set again from its own callback never fires again; the spec says 'A timer callback may set "
           "its timer again; it fires again at the new time, with the state the earlier firings left.'",
           _no_loop, _stateful("tick_three", [("k", 1)], [S], fixed=False)),
    Mutant("pipeline.stateful_par_do.timer-output-element-time", "timers",
           "A timer callback's outputs carry the timestamp of the key's last element instead of the timer's "
           "time; the spec says 'A timer set to the window's last instant fires once per key and window, its "
           "outputs at that instant, with the window's state only.'",
           _element_timestamps, _stateful("sum_until_window_end", [("k", 1)], [S])),
)
