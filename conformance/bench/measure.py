"""The generic bench runner: check, warm up, calibrate, then interleaved rounds across backends.

For each group of workloads every backend first answers the group's sample, compared with the reference
(:meth:`BenchFamily.check`): a wrong answer, an error or a hang is that backend's result for the whole group
and it is not timed. Then for each workload: every backend calibrates its calls per batch once (one
warm-up call, then batches of at least ``target_ns``), and ``rounds`` rounds follow, each visiting every
backend in a fresh random order (seeded), so drift of the machine (another process, a thermal state)
spreads over all backends instead of landing on one. A round's number is the time per call of its fastest
batch (up to :data:`BATCHES_PER_ROUND` per clock); a result is the median and the interquartile range across rounds, and the ratio to the baseline's median.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..client import (
    BackendFailure,
    BackendStartError,
)
from .workloads import BenchFamily, Checked, Workload, unanswered

#: one batch lasts at least this long (perf_counter_ns resolution and scheduler noise become small)
TARGET_NS = 5_000_000
ROUNDS = 5
#: the rounds of one cell stop at this much batch time (but never below MIN_ROUNDS): a 300 ms call is timed
#: 3 times, not 5, which keeps the tensor family on five backends within minutes
CELL_BUDGET_NS = 1_000_000_000
MIN_ROUNDS = 3
#: a backend whose single call takes longer is not timed at the group's larger sizes (status timeout):
#: dask's unique_all takes 12 s at 10⁴ elements and would spend minutes at 10⁶
CALL_LIMIT_NS = 2_000_000_000
#: a larger size is not tried when a smaller one's time, scaled linearly by the element count, is this many
#: times over CALL_LIMIT_NS; only from a call of PREDICT_FROM_NS or more, where the work (not a fixed per-call
#: overhead, like dask's graph) is what takes the time, and linear is the least touching every element costs
PREDICTED_LIMIT = 5
PREDICT_FROM_NS = 100_000_000
#: batches per round where the cell budget allows: the round's time is its fastest batch, because on a shared
#: machine a batch preempted by another process is slower by the preemption, never faster. The CPU clock does
#: not count a preemption, so it takes one batch per round
BATCHES_PER_ROUND = {"wall": 3, "cpu": 1}


@dataclass
class Cell:
    """One workload x backend result, as the report writes it."""

    status: str
    rounds_ns: list[float] = field(default_factory=list)
    finding: str | None = None
    note: str | None = None
    extras: list[dict[str, float]] = field(default_factory=list)  # each round's side numbers (the op's "extra")

    @property
    def median_ns(self) -> float | None:
        return statistics.median(self.rounds_ns) if self.rounds_ns else None

    @property
    def iqr_ns(self) -> float | None:
        if len(self.rounds_ns) < 2:
            return 0.0 if self.rounds_ns else None
        q1, _, q3 = statistics.quantiles(self.rounds_ns, n=4, method="inclusive")
        return q3 - q1

    def to_json(self, baseline: float | None) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status}
        if self.rounds_ns:
            out.update(median_ns=self.median_ns, iqr_ns=self.iqr_ns, rounds_ns=list(self.rounds_ns))
            if baseline:
                out["ratio"] = self.median_ns / baseline
            if self.extras:  # e.g. FaaS p50 / p99 / requests per second: the median over rounds of each
                out["extra"] = {k: statistics.median(e[k] for e in self.extras) for k in self.extras[0]}
        if self.finding:
            out["finding"] = self.finding
        if self.note:
            out["note"] = self.note
        return out


def _failed(exc: BaseException) -> Cell:
    """A cell for an exception of the client while timing."""
    outcome = unanswered(exc)
    return Cell(outcome.status, finding=outcome.finding)


class Runner:
    """Runs the workloads of one family on started clients (``name -> BackendClient``)."""

    def __init__(self, family: BenchFamily, clients: dict[str, Any], rounds: int = ROUNDS, seed: int = 1,
                 target_ns: int = TARGET_NS, advance: Callable[[str], None] | None = None, clock: str = "wall") -> None:
        self.family = family
        self.clients = clients
        self.rounds = rounds
        self.rng = random.Random(seed)
        self.target_ns = target_ns
        self.clock = clock
        self.advance = advance or (lambda _label: None)
        self.dead: dict[str, str] = {}  # a backend whose worker could not be restarted -> why

    def run(self, workloads: list[Workload], samples: dict[str, Workload] | None = None) -> dict[str, dict[str, Cell]]:
        """``workload id -> backend -> Cell``, in the workloads' order.

        ``samples``: group -> the workload each backend's answer is checked on (the group's smallest of the
        whole bench, so that selecting only the large sizes does not make the pure-Python reference compute
        them); by default the group's first selected workload."""
        results: dict[str, dict[str, Cell]] = {}
        groups: dict[str, list[Workload]] = {}
        for w in workloads:
            groups.setdefault(w.group, []).append(w)
        for group, members in groups.items():
            self.slow: dict[str, tuple[int, str, float]] = {}  # backend -> (elements, size, seconds) over the limit
            self.pace: dict[str, tuple[int, str, float]] = {}  # backend -> (elements, size, ns per call) last timed
            sample = (samples or {}).get(group, members[0])
            checked = {name: self._check(sample, name) for name in self.clients}
            for w in members:
                results[w.id] = self._measure(w, checked)
                self.advance(w.id)
        return results

    def _check(self, sample: Workload, name: str) -> Checked:
        if name in self.dead:
            return Checked("crashed", self.dead[name])
        try:
            outcome = self.family.check(sample, self.clients[name])
        except BaseException as exc:  # noqa: BLE001 — the kit must never crash on a backend
            if isinstance(exc, KeyboardInterrupt):
                raise
            outcome = unanswered(exc)
        if outcome.status in ("timeout", "crashed"):
            self._restart(name)
        return outcome

    def _measure(self, w: Workload, checked: dict[str, Checked]) -> dict[str, Cell]:
        cells: dict[str, Cell] = {}
        number: dict[str, int] = {}
        capped: dict[str, int] = {}  # rounds within the cell budget (slow calls get fewer)
        repeats: dict[str, int] = {}  # batches per round
        for name, outcome in checked.items():
            if outcome.status != "ok":
                cells[name] = Cell(outcome.status, finding=outcome.finding, note=outcome.note)
                continue
            elements = math.prod(w.shape) if w.shape else None
            if name in self.slow and elements is not None and elements >= self.slow[name][0]:
                _, size, seconds = self.slow[name]
                cells[name] = Cell("timeout", finding=f"not timed: one call at {size} already took {seconds:.1f} s, "
                                                      f"over the {self._call_limit_ns(name) / 1e9:g} s a bench call may take")
                continue
            if name in self.pace and elements is not None and elements > self.pace[name][0]:
                was, size, ns = self.pace[name]
                limit = self._predicted_limit_ns(name)
                if ns >= PREDICT_FROM_NS and ns * elements / was > limit:
                    cells[name] = Cell("timeout", finding=f"not timed: one call at {size} took {ns / 1e9:.2g} s, so "
                                                          f"one at {w.size} would take about {ns * elements / was / 1e9:.0f} s "
                                                          f"or more, over the {limit / 1e9:g} s a bench call may take")
                    continue
            answer = self._invoke(name, w, 0, 1, cells)
            if answer is None and cells[name].status == "timeout" and elements is not None:
                self.slow[name] = (elements, w.size, self.clients[name].timeout)
            if answer is not None:
                number[name] = int(answer["number"])
                cells[name] = Cell("timed", note=outcome.note)
                batch = max(1, int(answer["batches_ns"][0]) if answer.get("batches_ns") else 1)
                most = BATCHES_PER_ROUND[self.clock]
                repeats[name] = most if batch * most * self.rounds < CELL_BUDGET_NS else 1
                capped[name] = max(min(self.rounds, MIN_ROUNDS), CELL_BUDGET_NS // (batch * repeats[name]))
                if elements is not None:
                    self.pace[name] = (elements, w.size, batch / number[name])
                if batch / number[name] > self._call_limit_ns(name) and elements is not None:
                    self.slow[name] = (elements + 1, w.size, batch / number[name] / 1e9)
        budget = getattr(self.family, "rounds", None)  # a family may spend fewer rounds on its longest workloads
        for i in range(budget(w, self.rounds) if budget else self.rounds):
            order = [n for n in self.clients if n in number and i < capped[n]]
            self.rng.shuffle(order)
            for name in order:
                if cells[name].status != "timed":
                    continue
                answer = self._invoke(name, w, number[name], repeats[name], cells)
                if answer is not None:  # another process can only add time to a batch: a round keeps its fastest
                    cells[name].rounds_ns.append(min(answer["batches_ns"]) / answer["number"])
                    if answer.get("extra"):
                        cells[name].extras.append(answer["extra"])
        for name, cell in cells.items():  # the pace the next size is predicted from: the measured median
            if cell.rounds_ns and w.shape:
                self.pace[name] = (math.prod(w.shape), w.size, cell.median_ns)
        return cells

    def _call_limit_ns(self, name: str) -> float:
        """The longest single call a backend is timed with: the family's limit (tensor: CALL_LIMIT_NS), or the
        worker's timeout for a family without one (a pipeline run takes seconds by design)."""
        own = getattr(self.family, "call_limit_ns", CALL_LIMIT_NS)
        return own if own else self.clients[name].timeout * 1e9

    def _predicted_limit_ns(self, name: str) -> float:
        """A larger size is not tried when one call of it would take longer than this: PREDICTED_LIMIT times
        the family's limit, and never longer than the worker's timeout, where it would only time out."""
        own = getattr(self.family, "call_limit_ns", CALL_LIMIT_NS)
        timeout = self.clients[name].timeout * 1e9
        return min(PREDICTED_LIMIT * own, timeout) if own else timeout

    def _invoke(self, name: str, w: Workload, number: int, repeat: int, cells: dict[str, Cell]) -> Any:
        """The op's answer, or None after recording the failure in ``cells[name]``."""
        if name in self.dead:
            cells[name] = Cell("crashed", finding=self.dead[name])
            return None
        op, args = self.family.timing_args(w, number, repeat, self.target_ns)
        if self.clock != "wall":  # the worker's default clock is wall time; only such families accept another
            args = {**args, "clock": self.clock}
        try:
            return self.clients[name].invoke(op, args)
        except BaseException as exc:  # noqa: BLE001 — every failure becomes the cell's status
            if isinstance(exc, KeyboardInterrupt):
                raise
            cells[name] = _failed(exc)
            if isinstance(exc, BackendFailure):
                self._restart(name)
            return None

    def _restart(self, name: str) -> None:
        try:
            self.clients[name].restart()
        except (BackendStartError, OSError) as exc:
            self.dead[name] = f"the worker could not be restarted: {exc}"[:400]


def ratios(results: dict[str, dict[str, Cell]], baseline: str) -> dict[str, float | None]:
    """Each workload's baseline median (None when the baseline has no time for it)."""
    return {wid: (cells[baseline].median_ns if baseline in cells else None) for wid, cells in results.items()}
