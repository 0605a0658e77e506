"""The mutation report: JSON, schema ``spec/meta/mutation.schema.json``, format version 1.

It says which mutants the suite killed (and by which requirements), which survived, and the score per
capability group; ``accord matrix --mutation`` reads it for the page's "suite strength".
"""

from __future__ import annotations

import datetime as _dt
import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from accord.spec.loader import META_DIR

from ..report import ReportWriteError, accord_version, load_checked, schema_errors, write_atomically
from .runner import GroupScore, MutationRun, group_scores, total_score

FORMAT = "accord-mutation"
FORMAT_VERSION = 1
SCHEMA = META_DIR / "mutation.schema.json"


def _score(g: GroupScore) -> dict[str, Any]:
    return {"killed": g.killed, "survived": g.survived, "errors": g.errors, "allowed": g.allowed,
            "total": g.total, "score": None if g.score is None else round(g.score, 4)}


def to_json(outcome: MutationRun) -> dict[str, Any]:
    """The report document of a mutation run."""
    config, spec = outcome.config, outcome.spec
    settings: dict[str, Any] = {"seed": config.settings.seed, "max_examples": config.settings.max_examples,
                                "timeout": config.settings.timeout, "min_score": config.min_score}
    if config.select:
        settings["select"] = list(config.select)
    mutants = []
    for r in outcome.results:
        entry: dict[str, Any] = {"id": r.mutant.id, "group": r.mutant.group, "status": r.status,
                                 "description": r.mutant.description, "requirements": r.requirements,
                                 "killed_by": r.killed_by, "duration": r.duration}
        if r.mutant.allowed:
            entry["allowed"] = r.mutant.allowed
        if r.message:
            entry["message"] = r.message
        mutants.append(entry)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "accord_version": accord_version(),
        "spec": {"family": spec.family, "version": spec.version, "status": spec.status, "digest": spec.digest},
        "settings": settings,
        "started": _dt.datetime.fromtimestamp(outcome.started, _dt.UTC).isoformat(timespec="seconds"),
        "duration": outcome.duration,
        "state": outcome.state,
        "control": {"requirements": len(outcome.control),
                    "unstable": [{"id": rid, "status": r["status"], "message": r.get("message") or ""}
                                 for rid, r in outcome.unstable.items()]},
        "mutants": mutants,
        "groups": [{"id": g.id, "title": g.title, **_score(g)} for g in group_scores(outcome)],
        "score": _score(total_score(outcome)),
    }


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def problems(data: Any) -> list[str]:
    """Schema problems of a mutation report, one line each with its JSON path."""
    return [f"{where}: {message}" for where, message in schema_errors(_schema(), data)]


def write(data: dict[str, Any], path: Path) -> None:
    """Write atomically (temp file + rename); a path that cannot be written is a one-line ReportWriteError."""
    write_atomically(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n", "mutation report")


def check_writable(path: Path) -> None:
    """Refuse at once (one-line ReportWriteError) a report path that the end of a long run could not write."""
    if path.is_dir():
        raise ReportWriteError(f"cannot write the mutation report {path}: it is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise ReportWriteError(f"cannot write the mutation report {path}: {exc.strerror or exc}") from None


def load(path: Path) -> dict[str, Any]:
    """A mutation report read and checked; ValueError (one line naming the file) when it is not one."""
    return load_checked(path, problems, "mutation report")
