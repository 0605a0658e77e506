"""Running one cell: its environment, then ``accord run`` with the worker in that environment.

A cell runs anywhere (a local pool thread, a Ray task on another machine): it writes only in its own
temporary folder, removed when it ends however it ends, and returns its report as text. Whoever
collects the results writes the report into the output folder (:mod:`.state`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import envs
from .model import Cell
from .procs import Children

# cell statuses; the first four come with a report, the others without
PASSED, FAILED, ABORTED, INTERRUPTED = "passed", "failed", "aborted", "interrupted"
ENVIRONMENT_FAILED, ERROR, SKIPPED = "environment-failed", "error", "finished-before"
FINISHED = (PASSED, FAILED, ABORTED)
MESSAGE_LINES = 12


@dataclass
class CellResult:
    id: str
    status: str
    duration: float
    env_key: str | None = None
    env_built: bool | None = None
    env_seconds: float | None = None
    exit_code: int | None = None
    message: str | None = None
    summary: dict[str, int] | None = None
    report: str | None = None  # the report's JSON text; not kept in the plan state
    host: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("report")
        return {k: v for k, v in data.items() if v is not None}


def run_command(cell: Cell, python: Path, report: Path) -> list[str]:
    """``accord run`` for ``cell``, driven by this interpreter, its worker in ``python``."""
    command = [sys.executable, "-c", "import sys; from accord.conformance.cli import main; sys.exit(main())",
               "run", "--family", cell.family, "--adapter", cell.adapter, "--spec-version", cell.spec_version,
               "--seed", str(cell.seed), "--max-examples", str(cell.max_examples), "--timeout", str(cell.timeout),
               "--python", str(python), "--report", str(report), "--jobs", "1", "--quiet"]
    if cell.select:
        command += ["--select", ",".join(cell.select)]
    return command


def run_cell(cell: Cell, cache: Path, children: Children) -> CellResult:
    """Build (or reuse) the cell's environment and run it; Stopped propagates when the plan run is stopped."""
    import platform

    started = time.monotonic()
    host = platform.node()
    try:
        env = envs.ensure(cell.requirements, cache, children)
    except envs.EnvironmentFailed as exc:
        return CellResult(cell.id, ENVIRONMENT_FAILED, round(time.monotonic() - started, 3),
                          env_key=envs.env_key(cell.requirements), message=str(exc), host=host)
    _remove_orphaned_work_folders()
    work = Path(tempfile.mkdtemp(prefix=f"accord-cell-{os.getpid()}-{cell.id}-"))
    try:
        report_path = work / "report.json"
        # no overall limit: `accord run` bounds every backend call by the cell's timeout option
        code, stdout, stderr = children.run(run_command(cell, env.python, report_path))
        result = CellResult(cell.id, ERROR, 0.0, env_key=env.key, env_built=env.built,
                            env_seconds=round(env.seconds, 3), exit_code=code, host=host)
        data = _read(report_path)
        if data is None or data.get("state") not in ("complete", "aborted"):
            lines = [line for line in (stderr or stdout).splitlines() if line.strip()]
            result.status = INTERRUPTED if data is not None and data.get("state") == "interrupted" else ERROR
            result.message = "\n".join(lines[-MESSAGE_LINES:]) or f"accord run exited {code} without a report"
        else:
            result.status = ABORTED if data["state"] == "aborted" else (PASSED if code == 0 else FAILED)
            result.summary = data.get("summary")
            result.message = data.get("error")
            result.report = report_path.read_text(encoding="utf-8")
        result.duration = round(time.monotonic() - started, 3)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _remove_orphaned_work_folders() -> None:
    """Work folders of cells whose process died without cleaning up (a Ray node killed under them)."""
    for folder in Path(tempfile.gettempdir()).glob("accord-cell-*"):
        pid = folder.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
