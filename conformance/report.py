"""The run report: JSON, schema ``spec/meta/report.schema.json``, written atomically.

Every selected requirement is present from the first write on (as ``not-run``),
and the file is replaced after every result, so a run killed at any moment leaves
a valid report.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import tempfile
from collections import Counter
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from accord.spec import SPEC_ROOT, Requirement, Spec

FORMAT_VERSION = 1


class Status(StrEnum):
    """A requirement's status in a report (report.schema.json ``$defs/status``; a test keeps them equal)."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    XFAIL = "xfail"
    XPASS = "xpass"
    SKIPPED = "skipped"
    NOT_APPLICABLE = "not-applicable"
    NOT_CLAIMED = "not-claimed"
    NOT_RUN = "not-run"


STATUSES: tuple[Status, ...] = tuple(Status)
BAD = frozenset({Status.FAIL, Status.ERROR, Status.TIMEOUT, Status.CRASHED})
#: nothing to report on the terminal: passed, or not the adapter's to pass
QUIET = frozenset({Status.PASS, Status.NOT_CLAIMED, Status.NOT_APPLICABLE})


def accord_version() -> str:
    from accord.adapters.base import backend_version

    return backend_version("accord") or "0+unknown"


@cache
def report_schema() -> dict[str, Any]:
    return json.loads((SPEC_ROOT / "meta" / "report.schema.json").read_text())


def schema_errors(schema: dict[str, Any], data: Any) -> list[tuple[str, str]]:
    """``(JSON path, message)`` of every error of ``data`` against ``schema``, in path order."""
    validator = jsonschema.Draft202012Validator(schema)
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        found.append((where, error.message))
    return found


def validate_report(data: Any) -> list[str]:
    """Problems of a report document, each one line with its JSON path."""
    problems = []
    for where, message in schema_errors(report_schema(), data):
        message = message if len(message) < 200 else message[:197] + "..."
        problems.append(f"{where}: {message}")
    return problems


class Report:
    """A report being written by a run."""

    def __init__(self, path: Path | None, spec: Spec, requirements: list[Requirement],
                 settings: dict[str, Any], adapter_spec: str) -> None:
        self.path = path
        self._started = _dt.datetime.now(_dt.UTC)
        self.data: dict[str, Any] = {
            "format": "accord-report",
            "format_version": FORMAT_VERSION,
            "accord_version": accord_version(),
            "spec": {
                "family": spec.family,
                "version": spec.version,
                "digest": spec.digest,
                "status": spec.status,
                "title": spec.title,
                "capabilities": [
                    {"id": c.id, "title": c.title, **({"section": c.section} if c.section else {})}
                    for c in spec.capabilities
                ],
            },
            "adapter": {"name": adapter_spec, "family": spec.family, "spec": adapter_spec,
                        "backend": {"package": "?", "version": None}, "claims": [], "is_reference": False},
            "platform": {"python": platform.python_version(), "system": platform.system(),
                         "machine": platform.machine(), "hostname": platform.node()},
            "settings": settings,
            "started": self._started.isoformat(timespec="seconds"),
            "duration": 0.0,
            "state": "running",
            "error": None,
            "requirements": [
                {"id": r.id, "level": r.level, "capability": r.capability, "feature": r.feature,
                 "summary": r.summary, "status": "not-run"}
                for r in requirements
            ],
            "summary": {},
        }
        self._index = {r.id: i for i, r in enumerate(requirements)}
        self.write()

    def set_adapter(self, meta: dict[str, Any], python: str | None = None) -> None:
        keep = ("name", "family", "backend", "spec_versions", "claims", "expected_failures",
                "not_applicable", "is_reference", "description", "shims")
        adapter = {k: meta[k] for k in keep if k in meta}
        adapter["spec"] = self.data["adapter"]["spec"]
        if python:
            adapter["python"] = python
        self.data["adapter"] = adapter
        self.write()

    def record(self, requirement_id: str, result: dict[str, Any]) -> None:
        entry = self.data["requirements"][self._index[requirement_id]]
        entry.update({k: v for k, v in result.items() if v is not None or k == "message"})
        self.write()

    def results(self) -> list[dict[str, Any]]:
        return self.data["requirements"]

    def finish(self, state: str, error: str | None = None) -> None:
        self.data["state"] = state
        if error:
            self.data["error"] = error
        self.write()

    def write(self) -> None:
        now = _dt.datetime.now(_dt.UTC)
        self.data["duration"] = round((now - self._started).total_seconds(), 3)
        counts = Counter(r["status"] for r in self.data["requirements"])
        self.data["summary"] = {s: counts[s] for s in STATUSES if counts[s]}
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".accord-report-", dir=self.path.parent)
        with os.fdopen(fd, "w") as handle:
            json.dump(self.data, handle, indent=1, allow_nan=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


def load_report(path: Path) -> dict[str, Any]:
    """Read and validate a report; ValueError with one line on any problem."""
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    problems = validate_report(data)
    if problems:
        raise ValueError(f"{path}: not a valid Accord report: {problems[0]}"
                         + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
    return data
