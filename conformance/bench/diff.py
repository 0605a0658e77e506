"""``accord bench diff OLD NEW``: did a backend get slower between two bench reports?

Per workload x backend timed in both runs it compares the ratio to the baseline when both runs have one
(the baseline, measured in the same rounds, cancels the machine's drift), else the absolute median. A
regression is a slowdown beyond the noise band: the two runs' relative IQRs added, plus :data:`FLOOR`.
A cell timed before and now wrong, failing or missing its time is a regression too. It also prints how
well the two runs agree (the share of ratios within ±15 %), the repeatability measure of the issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: added to the noise band: with 5 rounds the IQR of one run misses part of the run-to-run spread
#: (CPU frequency and cache state change between runs, not within one); two back-to-back runs on this
#: machine differ by a few per cent in their medians, so 10 % keeps them apart from a real slowdown
FLOOR = 0.10
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
    verdict: str  # regression | improvement | same | lost | new

    @property
    def regression(self) -> bool:
        return self.verdict in ("regression", "lost")


def _relative_iqr(cell: dict[str, Any]) -> float:
    median = cell.get("median_ns") or 0.0
    return (cell.get("iqr_ns") or 0.0) / median if median else 0.0


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
            band = _relative_iqr(a) + _relative_iqr(b) + floor
            if by_ratio:  # a ratio carries the baseline's noise as well as the backend's
                band += sum(_relative_iqr(_baseline_cell(r, w["id"])) for r in (old, new))
            if change is None:
                verdict = "same"
            elif change > band:
                verdict = "regression"
            elif change < -band:
                verdict = "improvement"
            else:
                verdict = "same"
            deltas.append(Delta(w["id"], backend, measure, x, y, change, band, verdict))
    return deltas


def _baseline_cell(report: dict[str, Any], workload: str) -> dict[str, Any]:
    for w in report["workloads"]:
        if w["id"] == workload:
            return w["results"].get(report["baseline"], {})
    return {}


def agreement(deltas: list[Delta], within: float = AGREEMENT) -> tuple[int, int]:
    """(agreeing, compared): ratios (the baseline's own medians excluded) within ``within`` of each other."""
    ratios = [d for d in deltas if d.measure == "ratio" and d.change is not None]
    return sum(abs(d.change) <= within for d in ratios), len(ratios)
