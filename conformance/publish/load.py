"""Read and validate conformance reports given as files or folders.

Every problem is one line naming the file, so ``accord matrix`` can either stop
(exit 2) or, with ``--skip-invalid``, publish the rest and list what it skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.conformance.report import load_report


class InputError(ValueError):
    """Bad input for publishing: the message is one line and names the file(s)."""


@dataclass(frozen=True)
class LoadedReport:
    """A validated report and the path it was read from (used for ``accord repro``)."""

    path: Path
    data: dict[str, Any]


@dataclass
class Loaded:
    reports: list[LoadedReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: "<file>: <problem>"


def _is_other_accord_output(path: Path) -> bool:
    """A matrix.json, shields endpoint or mutation report (``--mutation``'s input) found while scanning a
    folder is not a conformance report."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and (data.get("format") in ("accord-matrix", "accord-mutation")
                                       or "schemaVersion" in data)


def expand(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files given directly, plus every ``*.json`` report found under given folders (sorted)."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file() and not _is_other_accord_output(p))
            if not found:
                problems.append(f"{path}: folder holds no report (*.json)")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return files, problems


def load_reports(paths: list[Path]) -> Loaded:
    """Validate every report; invalid ones become problem lines instead of reports."""
    files, problems = expand(paths)
    loaded = Loaded(problems=problems)
    seen: set[Path] = set()
    for file in files:
        if file.resolve() in seen:
            continue
        seen.add(file.resolve())
        try:
            data = load_report(file)
        except ValueError as exc:
            loaded.problems.append(str(exc))
            continue
        except UnicodeDecodeError:
            loaded.problems.append(f"{file}: not a text file")
            continue
        if data["adapter"].get("family") not in (None, data["spec"]["family"]):
            loaded.problems.append(f"{file}: adapter family {data['adapter']['family']!r} does not match "
                                   f"spec family {data['spec']['family']!r}")
            continue
        loaded.reports.append(LoadedReport(file, data))
    return loaded


def load_each(paths: list[Path], load: Callable[[Path], dict[str, Any]]) -> list[dict[str, Any]]:
    """Side reports (mutation, bench) read with their own checked ``load``; InputError (one line naming the
    file) on the first bad one."""
    reports = []
    for path in paths:
        try:
            reports.append(load(path))
        except ValueError as exc:
            raise InputError(str(exc)) from None
    return reports
