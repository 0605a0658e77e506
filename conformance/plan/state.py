"""The output folder of a plan run: finished reports in ``cells/<cell-id>.json`` and ``plan-state.json``.

A report is written there only when its cell has finished, through a temporary file in the same folder
and a rename, so a report file in ``cells/`` is always whole: that is what a rerun trusts to skip a cell.
``plan-state.json`` records each cell's status, duration and environment (rewritten atomically after
every cell); it is a record for people and tools, not what resume relies on.
"""

from __future__ import annotations

import datetime as _dt
import json
import threading
from pathlib import Path
from typing import Any

from ..report import BAD, load_report, write_atomically
from .cell import FINISHED, CellResult
from .model import Cell, Plan

FORMAT = "accord-plan-state/1"
STATE_FILE = "plan-state.json"


class OutputFolder:
    """Reads what a previous run finished, and records this run's results; safe to call from several threads."""

    def __init__(self, out: Path, plan: Plan) -> None:
        self.out = Path(out)
        self.cells_dir = self.out / "cells"
        self.plan = plan
        self._lock = threading.Lock()
        self._state: dict[str, Any] = {"format": FORMAT, "plan": plan.name, "file": str(plan.path), "cells": {}}
        old = _read_json(self.out / STATE_FILE)
        if isinstance(old, dict) and old.get("format") == FORMAT and isinstance(old.get("cells"), dict):
            self._state["cells"] = {k: v for k, v in old["cells"].items() if k in {c.id for c in plan.cells}}

    def report_path(self, cell: Cell) -> Path:
        return self.cells_dir / f"{cell.id}.json"

    def finished(self, cell: Cell) -> bool:
        """Whether a valid, final report of the cell is already in the folder."""
        path = self.report_path(cell)
        if not path.is_file():
            return False
        try:
            data = load_report(path)
        except ValueError:
            return False
        return data.get("state") in ("complete", "aborted")

    def record(self, cell: Cell, result: CellResult) -> None:
        """The cell's report (if it finished) into ``cells/``, then its entry in ``plan-state.json``."""
        with self._lock:
            if result.report is not None and result.status in FINISHED:
                write_atomically(self.report_path(cell), result.report, "cell report")
            entry = {**result.to_json(), "cell": cell.to_json(),
                     "ended": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")}
            if result.report is not None and result.status in FINISHED:
                entry["report"] = f"cells/{cell.id}.json"
            self._state["cells"][cell.id] = entry
            self._write()

    def mark_skipped(self, cell: Cell) -> None:
        """A cell finished by an earlier run: its state entry stays (or is rebuilt from its report)."""
        with self._lock:
            if cell.id not in self._state["cells"]:
                data = _read_json(self.report_path(cell)) or {}
                self._state["cells"][cell.id] = {"id": cell.id, "status": _status_of(data), "cell": cell.to_json(),
                                                 "report": f"cells/{cell.id}.json",
                                                 "summary": data.get("summary")}

    def statuses(self) -> dict[str, str]:
        return {k: v.get("status", "?") for k, v in self._state["cells"].items()}

    def save(self) -> None:
        with self._lock:
            self._write()

    def _write(self) -> None:
        self._state["updated"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        write_atomically(self.out / STATE_FILE, json.dumps(self._state, indent=1) + "\n", "plan state")


def _status_of(report: dict[str, Any]) -> str:
    if report.get("state") == "aborted":
        return "aborted"
    failed = any(r.get("status") in BAD for r in report.get("requirements", []) if r.get("level") == "MUST")
    return "failed" if failed else "passed"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
