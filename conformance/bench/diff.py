"""``accord bench diff OLD NEW``: did a backend get slower between two bench reports?

Per workload x backend timed in both runs it compares the ratio to the baseline when both runs have one
(the baseline, measured in the same rounds, cancels the machine's drift), else the absolute median. A
regression is a slowdown beyond the noise band (the relative IQRs of the two runs' rounds, for a ratio its
per-round ratios to the baseline, added, plus :data:`FLOOR`) whose rounds are also apart: the new run's
fastest round is slower than the old run's slowest by more than the floor. The second test is for what one
run's IQR cannot see: a speed that differs between runs as a whole (another worker process, the machine's
state that hour), where the medians of two unchanged runs can lie apart while their rounds still overlap.
A cell timed once in either run has no noise band of its own: a change beyond the floor there is
``unsure``, never a regression (as pyperf calls two single values not significant). A cell timed before and
now wrong, failing or missing its time is a regression. It also prints how well the two runs agree (the
share of ratios within ±15 %), the repeatability measure of the issue.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from .estimates import paired_ratios

#: added to the noise band, and the least gap between two runs' rounds: the IQR of one run misses the
#: run-to-run spread (a new worker process, its memory's placement, CPU frequency); two unchanged full tensor
#: runs here (cpu clock, under load) agree within 15 % on nine ratios in ten
FLOOR = 0.15
#: the agreement measure: ratios of two runs within this relative distance agree
AGREEMENT = 0.15


@dataclass(frozen=True)
class Delta:
    workload: str
    backend: str
    measure: str  # ratio | median
    old: float | None
    new: float | None
    change: float | None  # new / old - 1 (positive: slower)
    band: float | None
    verdict: str  # regression | improvement | same | unsure | lost | new

    @property
    def regression(self) -> bool:
        return self.verdict in ("regression", "lost")


def _spread(rounds: list[float]) -> float:
    """The interquartile range of a cell's rounds (times, or paired ratios) over their median."""
    if len(rounds) < 2:
        return 0.0
    q1, median, q3 = statistics.quantiles(rounds, n=4, method="inclusive")
    return (q3 - q1) / median if median else 0.0


def compare(old: dict[str, Any], new: dict[str, Any], floor: float = FLOOR) -> list[Delta]:
    """Every workload x backend present in both reports, with its verdict."""
    before = {w["id"]: w["results"] for w in old["workloads"]}
    deltas: list[Delta] = []
    for w in new["workloads"]:
        if w["id"] not in before:
            continue
        for backend, b in w["results"].items():
            a = before[w["id"]].get(backend)
            if a is None:
                continue
            if a["status"] != "timed" or b["status"] != "timed":
                verdict = "lost" if a["status"] == "timed" else "new" if b["status"] == "timed" else "same"
                deltas.append(Delta(w["id"], backend, b["status"], None, None, None, None, verdict))
                continue
            by_ratio = "ratio" in a and "ratio" in b and backend not in (old["baseline"],) and backend != new["baseline"]
            measure = "ratio" if by_ratio else "median"
            x, y = (a["ratio"], b["ratio"]) if by_ratio else (a["median_ns"], b["median_ns"])
            change = y / x - 1 if x else None
            before_rounds = _rounds(a, _baseline_cell(old, w["id"]) if by_ratio else None)
            after_rounds = _rounds(b, _baseline_cell(new, w["id"]) if by_ratio else None)
            band = _spread(before_rounds) + _spread(after_rounds) + floor
            if change is None or abs(change) <= band:
                verdict = "same"
            elif 1 in (len(before_rounds), len(after_rounds)):
                verdict = "unsure"  # one round: nothing in either run says how far it strays from run to run
            elif change > band and _apart(before_rounds, after_rounds, floor):
                verdict = "regression"
            elif change < -band and _apart(after_rounds, before_rounds, floor):
                verdict = "improvement"
            else:
                verdict = "same"
            deltas.append(Delta(w["id"], backend, measure, x, y, change, band, verdict))
    return deltas


def _rounds(cell: dict[str, Any], baseline: dict[str, Any] | None) -> list[float]:
    """A cell's rounds: per-call times, or (with the baseline's cell) each round's ratio to the baseline's
    same round, which the interleaving measured moments apart (their spread is the band, whichever estimator
    gave the report's ratio)."""
    mine = list(cell.get("rounds_ns") or [])
    if baseline is None:
        return mine
    return paired_ratios(mine, list(baseline.get("rounds_ns") or []))


def _apart(fast: list[float], slow: list[float], floor: float) -> bool:
    """Whether every round of ``slow`` is slower than every round of ``fast`` by more than ``floor`` (True when
    a report has no rounds to tell: the medians alone decide then)."""
    if not fast or not slow:
        return True
    return min(slow) > max(fast) * (1 + floor)


def _baseline_cell(report: dict[str, Any], workload: str) -> dict[str, Any]:
    for w in report["workloads"]:
        if w["id"] == workload:
            return w["results"].get(report["baseline"], {})
    return {}


def agreement(deltas: list[Delta], within: float = AGREEMENT) -> tuple[int, int]:
    """(agreeing, compared): ratios (the baseline's own medians excluded) within ``within`` of each other."""
    ratios = [d for d in deltas if d.measure == "ratio" and d.change is not None]
    return sum(abs(d.change) <= within for d in ratios), len(ratios)
