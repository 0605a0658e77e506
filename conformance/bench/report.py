"""The bench report: JSON, ``"format": "accord-bench/1"``, schema ``spec/meta/bench-report.schema.json``.

Written atomically (a reader or a kill never meets half a file) and read back checked, as the run and
mutation reports are.
"""

from __future__ import annotations

import datetime as _dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from accord.spec.loader import META_DIR

from ..report import load_checked, schema_errors, write_atomically
from .estimates import paired_median
from .measure import Cell
from .workloads import Estimator, Workload

FORMAT = "accord-bench/1"
SCHEMA = META_DIR / "bench-report.schema.json"


class BenchReportError(ValueError):
    """An unreadable or invalid bench report (one line naming the file)."""


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text())


def problems(data: Any) -> list[str]:
    return [f"{where}: {message}" for where, message in schema_errors(_schema(), data)]


def build(family: str, spec: Any, seed: int, rounds: int, baseline: str, timing: str, clock: dict[str, Any],
          machine: dict[str, Any],
          backends: list[dict[str, Any]], workloads: list[Workload],
          results: dict[str, dict[str, Cell]], ratio: Estimator = paired_median) -> dict[str, Any]:
    entries = []
    for w in workloads:
        cells = results.get(w.id, {})
        base = cells.get(baseline)
        entries.append({**w.to_json(), "results": {name: c.to_json(base, ratio) for name, c in cells.items()}})
    return {
        "format": FORMAT, "family": family, "spec": {"version": spec.version, "digest": spec.digest},
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"), "seed": seed, "rounds": rounds,
        "baseline": baseline, "timing": timing, **clock, "machine": machine, "backends": backends, "workloads": entries,
    }


def clock(data: dict[str, Any]) -> str:
    """The clock a report was timed with (reports from before ``clock`` was written used wall time)."""
    return str(data.get("clock", "wall"))


def write(path: Path, data: dict[str, Any]) -> None:
    write_atomically(Path(path), json.dumps(data, indent=1, ensure_ascii=False) + "\n", "bench report")


def load(path: Path) -> dict[str, Any]:
    """A bench report, checked against its schema; BenchReportError (one line) otherwise."""
    return load_checked(Path(path), problems, "bench report", BenchReportError)
