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
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from accord.spec import SPEC_ROOT, Requirement, Spec

FORMAT_VERSION = 1
_UMASK = os.umask(0o22)
os.umask(_UMASK)  # read once: the mode new files get in this process


class ReportWriteError(Exception):
    """The report cannot be written where it was asked for; the message is one line naming the path."""


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
    from accord.spec.loader import bundled_meta_schema

    return bundled_meta_schema("report", SPEC_ROOT / "meta")


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


#: a stored value (counterexample, expected, actual) longer than this as JSON is kept as a
#: ``{"$truncated": {"bytes", "head"}}`` note: its size and its first characters
MAX_VALUE_BYTES = 64 * 1024
MAX_TEXT_CHARS = 16 * 1024  # a message or snippet
_VALUES = ("counterexample", "expected", "actual")


def truncated(value: Any, limit: int = MAX_VALUE_BYTES) -> Any:
    """``value`` itself when its JSON fits in ``limit`` bytes, else a note of its size and head."""
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError):
        return value  # not JSON: write() says so, as before
    size = len(text.encode())
    if size <= limit:
        return value
    return {"$truncated": {"bytes": size, "head": text[:1024]}}


def _short_text(text: Any) -> Any:
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        return text[:MAX_TEXT_CHARS] + f"… (truncated from {len(text)} characters)"
    return text


def bounded(result: dict[str, Any]) -> dict[str, Any]:
    """A result as the report stores it: every value and text of it, and of its cases, size-bounded,
    so one enormous answer cannot make a report of hundreds of megabytes."""
    out = {k: truncated(v) if k in _VALUES else _short_text(v) if k in ("message", "snippet") else v
           for k, v in result.items()}
    if isinstance(out.get("findings"), list):
        out["findings"] = [bounded(case) if isinstance(case, dict) else case for case in out["findings"]]
    if isinstance(out.get("replay"), dict):
        out["replay"] = bounded(out["replay"])
    return out


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
                "standards": [s.to_json() for s in spec.standards],
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
        self._compact: list[str | None] = [None] * len(requirements)  # each entry's JSON while running
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
        index = self._index[requirement_id]
        entry = self.data["requirements"][index]
        entry.update({k: v for k, v in bounded(result).items() if v is not None or k == "message"})
        self._compact[index] = None
        self.write()

    def results(self) -> list[dict[str, Any]]:
        return self.data["requirements"]

    def finish(self, state: str, error: str | None = None) -> None:
        from .strata import warnings

        self.data["state"] = state
        if error:
            self.data["error"] = error
        found = warnings(self.data)
        if found:
            self.data["warnings"] = found
        self.write(final=True)

    def write(self, final: bool = False) -> None:
        """Replace the file with the report as it stands: compact while running (written after every
        result, so it must be cheap), indented for a reader once the run is over."""
        now = _dt.datetime.now(_dt.UTC)
        self.data["duration"] = round((now - self._started).total_seconds(), 3)
        counts = Counter(r["status"] for r in self.data["requirements"])
        self.data["summary"] = {s: counts[s] for s in STATUSES if counts[s]}
        if self.path is None:
            return
        text = json.dumps(self.data, indent=1, allow_nan=False) if final else self._running_text()
        write_atomically(self.path, text + "\n", "report", durable=final)

    def _running_text(self) -> str:
        """``json.dumps(self.data, separators=(",", ":"))``, re-encoding only the entries recorded since
        the last write: encoding every entry after every result made a run's writes grow with the square of
        its requirements (a tenth of a short tensor run's CPU). Only :meth:`record` changes an entry while
        the run goes on; what a finished run adds to them is written by the final, whole encoding."""
        entries = self.data["requirements"]
        for i, text in enumerate(self._compact):
            if text is None:
                self._compact[i] = json.dumps(entries[i], separators=(",", ":"), allow_nan=False)
        parts = [json.dumps(key) + ":" + ("[" + ",".join(self._compact) + "]" if key == "requirements" else
                                          json.dumps(value, separators=(",", ":"), allow_nan=False))
                 for key, value in self.data.items()]
        return "{" + ",".join(parts) + "}"


def write_atomically(path: Path, text: str, what: str, durable: bool = True) -> None:
    """Replace ``path`` with ``text`` through a temp file and a rename, so a reader (or a kill) never meets a
    half-written file; a path that cannot be written is a one-line ReportWriteError naming ``what``.
    ``durable``: the text reaches the disk before the rename (fsync), so that it survives a crash of the
    machine too; a running report's snapshot, replaced a moment later, skips that."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".accord-report-", dir=path.parent)
    except OSError as exc:  # under a file, no permission, disk full: one line, not a traceback
        blocker = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
        why = f"{blocker} is a file, not a folder" if blocker else exc.strerror or str(exc)
        raise ReportWriteError(f"cannot write the {what} {path}: {why}") from None
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # an output file like any other, not mkstemp's private 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:  # an interrupt mid-write leaves the previous file, and no temp file beside it
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # the path is a folder, the disk is full
            raise ReportWriteError(f"cannot write the {what} {path}: {exc.strerror or exc}") from None
        raise


def load_checked(path: Path, problems_of: Callable[[Any], list[str]], what: str,
                 error: type[ValueError] = ValueError) -> dict[str, Any]:
    """Read a JSON document and check it with ``problems_of`` (a report, a matrix); ``error`` with one line
    naming the file on any problem."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise error(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not JSON: {exc}") from None
    problems = problems_of(data)
    if problems:
        raise error(f"{path}: not a valid {what}: {problems[0]}"
                    + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
    return data


def load_report(path: Path) -> dict[str, Any]:
    """Read and validate a report; ValueError with one line on any problem."""
    return load_checked(path, validate_report, "Accord report")
