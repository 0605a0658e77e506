"""What a bench family provides, and the concrete workloads it expands its spec data into.

A family module (``accord.conformance.bench.tensor``; pipeline and FaaS next) implements
:class:`BenchFamily`: it expands its spec version's bench document into :class:`Workload` s with
stable ids, says which worker op times them and with which arguments, checks a sample of each
against its reference, and reads a worker's thread pools. Everything else (interleaved rounds,
statistics, reports, diffs) is generic and lives beside this module.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .estimates import paired_median

#: rounds of a backend, the baseline's rounds -> the backend's ratio to the baseline (:mod:`.estimates`)
Estimator = Callable[[list[float], list[float]], float]


@dataclass(frozen=True)
class Workload:
    """One timed unit: an id like ``tensor.bench.add.1e6``, and the family's own op arguments."""

    id: str
    function: str  # the spec function (or the composite's name)
    size: str  # the size label in the id: 1e6, 1000x1000
    shape: tuple[int, ...] | None
    composite: bool
    group: str  # workloads of one group share one check (the sample: the group's first workload)
    args: dict[str, Any] = field(default_factory=dict)  # the family's op arguments, without the timing fields

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "function": self.function, "size": self.size,
                               "composite": self.composite}
        if self.shape is not None:
            out["shape"] = list(self.shape)
        return out


@dataclass(frozen=True)
class Checked:
    """A backend's answer on a group's sample: ``ok`` (then timed), or a status with its finding."""

    status: str  # ok | wrong | error | unsupported | timeout | crashed
    finding: str | None = None
    note: str | None = None  # e.g. "not compared: the reference could not compute the sample"


class BenchFamily:
    """The family-specific part of ``accord bench``: a family module subclasses it, sets the attributes
    without a default and implements the methods that raise; the rest are defaults a family may replace."""

    name: str
    default_baseline: str
    timing: str  # one sentence for the report: where and on what the time is measured
    clocks: tuple[str, ...]  # the clocks it can be timed with (:mod:`.clocks`), its default first
    workers: int  # worker processes per backend by default (:mod:`.measure`)
    host_cpus: list[int] | None = None  # the CPUs engines outside the worker run on, as auto_affinity chose them
    #: rounds per workload at most, unless ``--rounds`` says otherwise
    default_rounds: int = 5
    #: workloads whose rounds interleave (:meth:`~.measure.Runner.run`); 1: each workload's rounds run together
    spread: int = 1
    #: the longest single call a backend is timed with (dask's unique_all takes 12 s at 10⁴ elements and would
    #: spend minutes at 10⁶); None: the worker's timeout only (a pipeline run takes seconds by design)
    call_limit_ns: float | None = 2_000_000_000
    #: how a cell's rounds and the baseline's become its ratio (a function of :mod:`.estimates`)
    ratio: Estimator = staticmethod(paired_median)

    def auto_affinity(self, allowed: frozenset[int], threads: int | None) -> frozenset[int] | None:
        """``--affinity auto``: the CPUs each worker is pinned to (None: unpinned), of those the kit may use."""
        return None

    def workloads(self, spec: Any, seed: int) -> list[Workload]:
        """Every workload of the spec version, in a stable order (each group's smallest size first)."""
        raise NotImplementedError

    def timing_args(self, workload: Workload, number: int, repeat: int, target_ns: int) -> tuple[str, Any]:
        """The worker op and its arguments timing ``repeat`` batches of ``number`` calls (0: calibrate)."""
        raise NotImplementedError

    def check(self, sample: Workload, client: Any) -> Checked:
        """The backend's answer on the sample compared with the reference's."""
        raise NotImplementedError

    def probe(self, client: Any) -> list[dict[str, Any]]:
        """The worker's native thread pools (threadpoolctl), or [] when it cannot say."""
        return []

    def least_rounds(self, workload: Workload) -> int | None:
        """The rounds a workload gets at least, whatever its calls cost (None: the runner's least)."""
        return None

    def rounds(self, workload: Workload, default: int) -> int:
        """The rounds a workload gets at most (a family may spend fewer on its longest workloads)."""
        return default


class BenchSpecError(ValueError):
    """A bench document that is missing or cannot be expanded (one line naming what)."""


def bench_document(spec: Any, family: str) -> dict[str, Any]:
    """The spec version's ``<family>.bench`` document, as plain data."""
    from accord.spec.model import thaw

    found = [d for d in spec.documents if d.kind == f"{family}.bench"]
    if not found:
        raise BenchSpecError(f"spec {family} {spec.version} has no bench document (kind {family}.bench)")
    return thaw(found[0].data)


def unanswered(exc: BaseException) -> Checked:
    """What a call the backend did not answer says, checking or timing: a hang, a crash, an op the adapter lacks,
    what the backend raised (an AttributeError: a missing function or method), or an error of the client."""
    from ..client import BackendFailure, BackendRaised, BackendTimeout, BackendUnsupported

    if isinstance(exc, BackendTimeout):
        return Checked("timeout", str(exc)[:400])
    if isinstance(exc, BackendFailure):  # crashed, or a protocol it could not keep
        return Checked("crashed", str(exc)[:400])
    if isinstance(exc, BackendUnsupported):
        return Checked("unsupported", str(exc)[:400])
    if isinstance(exc, BackendRaised):
        return Checked("unsupported" if exc.type == "AttributeError" else "error", f"{exc.type}: {exc.message}"[:400])
    return Checked("error", f"{type(exc).__name__}: {exc}"[:400])


def select(workloads: Iterable[Workload], patterns: Iterable[str] | None) -> list[Workload]:
    """Workloads whose id matches any shell-style glob (all without patterns)."""
    patterns = [p for p in (patterns or ()) if p]
    return [w for w in workloads if not patterns or any(fnmatch.fnmatchcase(w.id, p) for p in patterns)]


def first_of_each_group(workloads: Iterable[Workload]) -> dict[str, Workload]:
    """Group -> its first workload (a family expands each group smallest first): the check's sample."""
    first: dict[str, Workload] = {}
    for w in workloads:
        first.setdefault(w.group, w)
    return first


def size_label(shape: tuple[int, ...]) -> str:
    """``1e6`` for a 1-D power of ten, else the dimensions joined by ``x`` (``1000x1000``, ``300``)."""
    if len(shape) == 1:
        n = shape[0]
        k = len(str(n)) - 1
        return f"1e{k}" if n == 10**k else str(n)
    return "x".join(map(str, shape))
