"""A plan file: reading it (schema errors as ``file:line: field: problem``) and expanding it into cells.

A plan is YAML checked against ``spec/meta/plan.schema.json``. Each matrix entry expands into one
cell per backend version × spec version × seed; a cell is one ``accord run`` in its own environment.
A cell's id is built from those values only, so the same plan always gives the same ids: they name
the report files in the output folder, which is what lets a rerun skip finished cells.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from accord.spec.errors import SpecProblem
from accord.spec.yamlsafe import Positions, YamlProblem, line_of, load_yaml

SCHEMA = Path(__file__).resolve().parents[2] / "spec" / "meta" / "plan.schema.json"
# what a cell gets when neither its entry nor the plan's defaults say (the same as `accord run`'s defaults,
# but for the seed: a plan's cells are reproducible, so the seed is fixed, not drawn)
DEFAULT_OPTIONS: dict[str, Any] = {"max_examples": 100, "select": None, "timeout": 30.0}
DEFAULT_SEEDS = (1,)


class PlanError(Exception):
    """A plan that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Cell:
    """One run of the matrix: what `accord run` gets, and the environment its worker runs in."""

    id: str
    family: str
    adapter: str
    spec_version: str
    seed: int
    package: str | None
    version: str | None
    requirements: tuple[str, ...]
    max_examples: int
    timeout: float
    select: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["requirements"] = list(self.requirements)
        data["select"] = list(self.select) if self.select else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Cell:
        return cls(**{**data, "requirements": tuple(data["requirements"]),
                      "select": tuple(data["select"]) if data.get("select") else None})


@dataclass(frozen=True)
class Plan:
    name: str
    path: Path
    cells: list[Cell] = field(default_factory=list)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))


def _schema_problems(data: Any, file: str, positions: Positions) -> list[SpecProblem]:
    found = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            extra = sorted(k for k in error.instance if k not in allowed)
            if extra:  # point at the unknown key itself, and say what is allowed there
                path = path + (extra[0],)
                message = f"unknown key {extra[0]!r} (allowed: {', '.join(sorted(allowed))})"
        elif error.validator == "pattern" and isinstance(error.instance, str):
            message = f"{error.instance!r} is not a valid value here ({error.schema.get('description') or error.schema['pattern']})"
        elif error.validator == "type" and error.validator_value == "string" and isinstance(error.instance, float | int):
            message += " (quote it: YAML reads 1.10 as the number 1.1)"
        elif len(message) > 240:
            message = message[:237] + "..."
        found.append(SpecProblem(file, line_of(positions, path), _json_path(path), message))
    return found


def _json_path(parts: tuple) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _slug(text: str) -> str:
    """A value as it may appear in a cell id (a file name): letters, digits, '.', '_', '-'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)


def cell_id(family: str, adapter: str, version: str | None, spec_version: str, seed: int) -> str:
    """The stable id of a cell, e.g. ``tensor-numpy-1.26.4-spec1.1-seed1`` (no version: no backend pinned)."""
    parts = [family, adapter] + ([version] if version else []) + [f"spec{spec_version}", f"seed{seed}"]
    return "-".join(_slug(p) for p in parts)


def _spec_exists(family: str, version: str) -> bool:
    from accord.spec import SPEC_ROOT

    return (Path(SPEC_ROOT) / family / version / "spec.yaml").is_file()


def expand(data: dict[str, Any], file: str = "<plan>", positions: Positions | None = None) -> list[Cell]:
    """The cells of a schema-valid plan, in file order; PlanError on a missing spec version or a repeated id."""
    positions = positions or {}
    defaults = data.get("defaults", {})
    cells: list[Cell] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for i, entry in enumerate(data["matrix"]):
        options = {**DEFAULT_OPTIONS, **defaults.get("options", {}), **entry.get("options", {})}
        seeds = entry.get("seeds") or defaults.get("seeds") or list(DEFAULT_SEEDS)
        extra = tuple(defaults.get("requirements", ())) + tuple(entry.get("requirements", ()))
        backend = entry.get("backend")
        versions = backend["versions"] if backend else [None]
        for j, spec_version in enumerate(entry["spec_versions"]):
            if not _spec_exists(entry["family"], spec_version):
                at = ("matrix", i, "spec_versions", j)
                problems.append(str(SpecProblem(file, line_of(positions, at), _json_path(at),
                                                f"{entry['family']} has no spec version {spec_version!r}")))
        for version in versions:
            pinned = (f"{backend['package']}=={version}",) if backend else ()
            for spec_version in entry["spec_versions"]:
                for seed in seeds:
                    cid = cell_id(entry["family"], entry["adapter"], version, spec_version, seed)
                    line = line_of(positions, ("matrix", i))
                    if cid in first_line:
                        problems.append(f"{file}:{line}: $.matrix[{i}]: cell {cid} is already in the plan "
                                        f"(line {first_line[cid]})")
                        continue
                    first_line[cid] = line
                    cells.append(Cell(
                        id=cid, family=entry["family"], adapter=entry["adapter"], spec_version=spec_version,
                        seed=seed, package=backend["package"] if backend else None, version=version,
                        requirements=pinned + extra, max_examples=options["max_examples"],
                        timeout=float(options["timeout"]),
                        select=tuple(options["select"]) if options["select"] else None))
    if problems:
        raise PlanError(list(dict.fromkeys(problems)))
    return cells


def load_plan(path: Path) -> Plan:
    """Read, check and expand a plan file; PlanError listing every problem (``file:line: field: message``)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError([f"{file}: cannot read: {getattr(exc, 'strerror', None) or exc}"]) from None
    try:
        data, positions = load_yaml(text, file)
    except YamlProblem as exc:
        raise PlanError([str(exc.problem)]) from None
    problems = _schema_problems(data, file, positions)
    if problems:
        raise PlanError([str(p) for p in sorted(problems)])
    return Plan(name=data["plan"], path=Path(path), cells=expand(data, file, positions))
