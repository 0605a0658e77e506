"""The generic bench runner: check, warm up, calibrate, then interleaved rounds across backends.

For each group of workloads every backend first answers the group's sample, compared with the reference
(:meth:`BenchFamily.check`): a wrong answer, an error or a hang is that backend's result for the whole group
and it is not timed. Then for each workload: every backend calibrates its calls per batch once (one
warm-up call, then batches of at least ``target_ns``), and ``rounds`` rounds follow, each visiting every
backend in a fresh random order (seeded), so drift of the machine (another process, a thermal state)
spreads over all backends instead of landing on one. A family's ``spread`` interleaves the rounds of that
many workloads (round i of each before round i + 1 of any), so that a spell of a slow machine, which lasts
longer than one workload's rounds, reaches a few of a workload's rounds instead of all of them. A backend
may be timed in several worker processes (``replicas``): its rounds alternate between them, so a speed that
differs from one process to the next (the memory layout a process happens to get) shows in the rounds'
spread instead of moving a whole run's median, as pyperf spreads its values over processes. A round's
number is the time per call of its fastest batch (up to :data:`BATCHES_PER_ROUND` per clock); a result is
the median and the interquartile range across rounds, and the ratio to the baseline: the median of each
round's time over the baseline's in the same round (:func:`~.estimates.paired_median`), or the family's
own estimator (:attr:`~.workloads.BenchFamily.ratio`).
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
from .estimates import paired_median
from .workloads import BenchFamily, Checked, Estimator, Workload, unanswered

#: one batch lasts at least this long (perf_counter_ns resolution and scheduler noise become small)
TARGET_NS = 5_000_000
#: the rounds of one cell stop at this much batch time (but never below MIN_ROUNDS): a 300 ms call is timed
#: 3 times, not 5, which keeps the tensor family on five backends within minutes
CELL_BUDGET_NS = 1_000_000_000
MIN_ROUNDS = 3
#: a larger size is not tried when a smaller one's time, scaled linearly by the element count, is this many
#: times over the family's call limit (:attr:`~.workloads.BenchFamily.call_limit_ns`); only from a call of
#: PREDICT_FROM_NS or more, where the work (not a fixed per-call overhead, like dask's graph) is what takes
#: the time, and linear is the least touching every element costs
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

    def to_json(self, baseline: Cell | None, ratio: Estimator = paired_median) -> dict[str, Any]:
        """The cell as the report writes it; ``ratio`` turns its rounds and the baseline's into their ratio."""
        out: dict[str, Any] = {"status": self.status}
        if self.rounds_ns:
            out.update(median_ns=self.median_ns, iqr_ns=self.iqr_ns, rounds_ns=list(self.rounds_ns))
            if baseline is not None and baseline.rounds_ns:
                out["ratio"] = ratio(self.rounds_ns, baseline.rounds_ns)
            if self.extras:  # e.g. FaaS p50 / p99 / requests per second: the median over rounds of each
                out["extra"] = {k: statistics.median(e[k] for e in self.extras) for k in self.extras[0]}
        if self.finding:
            out["finding"] = self.finding
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class _Plan:
    """One workload between its calibration and its last round."""

    workload: Workload
    cells: dict[str, Cell] = field(default_factory=dict)
    number: dict[str, int] = field(default_factory=dict)  # calls per batch
    capped: dict[str, int] = field(default_factory=dict)  # rounds within the cell budget (slow calls get fewer)
    repeats: dict[str, int] = field(default_factory=dict)  # batches per round
    rounds: int = 0  # the family's rounds for the workload


def _failed(exc: BaseException) -> Cell:
    """A cell for an exception of the client while timing."""
    outcome = unanswered(exc)
    return Cell(outcome.status, finding=outcome.finding)


class Runner:
    """Runs the workloads of one family on started clients (``name -> BackendClient``)."""

    def __init__(self, family: BenchFamily, clients: dict[str, Any], rounds: int | None = None, seed: int = 1,
                 target_ns: int = TARGET_NS, advance: Callable[[str, float], None] | None = None, clock: str = "wall",
                 replicas: dict[str, list[Any]] | None = None) -> None:
        """``clients``: backend -> its started worker (checks, calibration, the even rounds); ``replicas``:
        backend -> further started workers of the same backend, which take their turns at the rounds."""
        self.family = family
        self.clients = clients
        self.workers = {name: [client, *(replicas or {}).get(name, ())] for name, client in clients.items()}
        self.rounds = rounds or family.default_rounds
        self.rng = random.Random(seed)
        self.target_ns = target_ns
        self.clock = clock
        self.advance = advance or (lambda _label, _share: None)  # (workload id, the share of it just done)
        self.dead: dict[str, str] = {}  # a backend whose worker could not be restarted -> why
        # per group, what the larger sizes are judged by: backend -> (elements, size, seconds) over the call
        # limit, and backend -> (elements, size, ns per call) last timed
        self.slow: dict[str, dict[str, tuple[int, str, float]]] = {}
        self.pace: dict[str, dict[str, tuple[int, str, float]]] = {}

    def run(self, workloads: list[Workload], samples: dict[str, Workload] | None = None) -> dict[str, dict[str, Cell]]:
        """``workload id -> backend -> Cell``, in the workloads' order.

        ``samples``: group -> the workload each backend's answer is checked on (the group's smallest of the
        whole bench, so that selecting only the large sizes does not make the pure-Python reference compute
        them); by default the group's first selected workload. The workloads run in blocks of the family's
        ``spread`` (default 1): each workload of a block is calibrated, then round i of every workload of the
        block runs before round i + 1 of any, so a cell's rounds lie apart in time."""
        results: dict[str, dict[str, Cell]] = {}
        checked: dict[str, dict[str, Checked]] = {}  # group -> backend -> its check
        spread = max(1, self.family.spread)
        for start in range(0, len(workloads), spread):
            block = workloads[start:start + spread]
            plans = []
            for w in block:
                if w.group not in checked:
                    sample = (samples or {}).get(w.group, w)
                    checked[w.group] = {name: self._check(sample, name) for name in self.clients}
                plans.append(self._calibrate(w, checked[w.group]))
                self.advance(w.id, 1 / (1 + plans[-1].rounds))
            for i in range(max((p.rounds for p in plans), default=0)):
                for plan in plans:
                    if i < plan.rounds:
                        self._round(plan, i)
                        self.advance(plan.workload.id, 1 / (1 + plan.rounds))
            for w, plan in zip(block, plans, strict=True):
                pace = self.pace.setdefault(w.group, {})
                for name, cell in plan.cells.items():  # the pace the next size is predicted from: the median
                    if cell.rounds_ns and w.shape:
                        pace[name] = (math.prod(w.shape), w.size, cell.median_ns)
                results[w.id] = plan.cells
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

    def _calibrate(self, w: Workload, checked: dict[str, Checked]) -> _Plan:
        """Each checked backend's calls per batch on ``w`` (or the cell saying why it is not timed)."""
        plan = _Plan(w)
        slow, pace = self.slow.setdefault(w.group, {}), self.pace.setdefault(w.group, {})
        least = self.family.least_rounds(w) or MIN_ROUNDS  # a family may time a slow workload longer
        cells = plan.cells
        for name, outcome in checked.items():
            if outcome.status != "ok":
                cells[name] = Cell(outcome.status, finding=outcome.finding, note=outcome.note)
                continue
            elements = math.prod(w.shape) if w.shape else None
            if name in slow and elements is not None and elements >= slow[name][0]:
                _, size, seconds = slow[name]
                cells[name] = Cell("timeout", finding=f"not timed: one call at {size} already took {seconds:.1f} s, "
                                                      f"over the {self._call_limit_ns(name) / 1e9:g} s a bench call may take")
                continue
            if name in pace and elements is not None and elements > pace[name][0]:
                was, size, ns = pace[name]
                limit = self._predicted_limit_ns(name)
                if ns >= PREDICT_FROM_NS and ns * elements / was > limit:
                    cells[name] = Cell("timeout", finding=f"not timed: one call at {size} took {ns / 1e9:.2g} s, so "
                                                          f"one at {w.size} would take about {ns * elements / was / 1e9:.0f} s "
                                                          f"or more, over the {limit / 1e9:g} s a bench call may take")
                    continue
            answer = self._invoke(name, w, 0, 1, cells)
            if answer is None and cells[name].status == "timeout" and elements is not None:
                slow[name] = (elements, w.size, self.clients[name].timeout)
            if answer is not None:
                plan.number[name] = int(answer["number"])
                cells[name] = Cell("timed", note=outcome.note)
                batch = max(1, int(answer["batches_ns"][0]) if answer.get("batches_ns") else 1)
                most = BATCHES_PER_ROUND[self.clock]
                plan.repeats[name] = most if batch * most * self.rounds < CELL_BUDGET_NS else 1
                plan.capped[name] = max(min(self.rounds, least), CELL_BUDGET_NS // (batch * plan.repeats[name]))
                if elements is not None:
                    pace[name] = (elements, w.size, batch / plan.number[name])
                if batch / plan.number[name] > self._call_limit_ns(name) and elements is not None:
                    slow[name] = (elements + 1, w.size, batch / plan.number[name] / 1e9)
                for k in range(1, len(self.workers[name])):  # each replica builds its inputs and compiles with a
                    if cells[name].status == "timed":  # call before it times (the calls per batch are the first's)
                        self._invoke(name, w, 1, 1, cells, worker=k)
        plan.rounds = self.family.rounds(w, self.rounds)
        return plan

    def _round(self, plan: _Plan, i: int) -> None:
        """Round ``i`` of a calibrated workload: every backend still timed, in a fresh random order."""
        cells = plan.cells
        order = [n for n in self.clients if n in plan.number and i < plan.capped[n]]
        self.rng.shuffle(order)
        for name in order:
            if cells[name].status != "timed":
                continue
            worker = i % len(self.workers[name])
            answer = self._invoke(name, plan.workload, plan.number[name], plan.repeats[name], cells, worker)
            if answer is not None:  # another process can only add time to a batch: a round keeps its fastest
                cells[name].rounds_ns.append(min(answer["batches_ns"]) / answer["number"])
                if answer.get("extra"):
                    cells[name].extras.append(answer["extra"])

    def _call_limit_ns(self, name: str) -> float:
        """The longest single call a backend is timed with: the family's limit (tensor: 2 s), or the
        worker's timeout for a family without one (a pipeline run takes seconds by design)."""
        own = self.family.call_limit_ns
        return own if own else self.clients[name].timeout * 1e9

    def _predicted_limit_ns(self, name: str) -> float:
        """A larger size is not tried when one call of it would take longer than this: PREDICTED_LIMIT times
        the family's limit, and never longer than the worker's timeout, where it would only time out."""
        own = self.family.call_limit_ns
        timeout = self.clients[name].timeout * 1e9
        return min(PREDICTED_LIMIT * own, timeout) if own else timeout

    def _invoke(self, name: str, w: Workload, number: int, repeat: int, cells: dict[str, Cell],
                worker: int = 0) -> Any:
        """The op's answer from the backend's ``worker``-th process, or None after recording the failure in
        ``cells[name]``."""
        if name in self.dead:
            cells[name] = Cell("crashed", finding=self.dead[name])
            return None
        op, args = self.family.timing_args(w, number, repeat, self.target_ns)
        if self.clock != "wall":  # the worker's default clock is wall time; only such families accept another
            args = {**args, "clock": self.clock}
        try:
            return self.workers[name][worker].invoke(op, args)
        except BaseException as exc:  # noqa: BLE001 — every failure becomes the cell's status
            if isinstance(exc, KeyboardInterrupt):
                raise
            cells[name] = _failed(exc)
            if isinstance(exc, BackendFailure):
                self._restart(name, worker)
            return None

    def _restart(self, name: str, worker: int = 0) -> None:
        try:
            self.workers[name][worker].restart()
        except (BackendStartError, OSError) as exc:
            self.dead[name] = f"the worker could not be restarted: {exc}"[:400]


def ratios(results: dict[str, dict[str, Cell]], baseline: str) -> dict[str, float | None]:
    """Each workload's baseline median (None when the baseline has no time for it)."""
    return {wid: (cells[baseline].median_ns if baseline in cells else None) for wid, cells in results.items()}
