"""``matrix.json``: the published, versioned matrix format (``spec/meta/matrix.schema.json``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from accord.spec import SPEC_ROOT

from ..report import load_checked, schema_errors
from .load import InputError


@cache
def matrix_schema() -> dict[str, Any]:
    from accord.spec.loader import bundled_meta_schema

    return bundled_meta_schema("matrix", SPEC_ROOT / "meta")


def validate_matrix(data: Any) -> list[str]:
    """Problems of a matrix document, each one line with its JSON path."""
    return [f"{where}: {message[:200]}" for where, message in schema_errors(matrix_schema(), data)]


def dumps(matrix: dict[str, Any]) -> str:
    return json.dumps(matrix, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(matrix: dict[str, Any], out_dir: Path) -> Path:
    """Write ``matrix.json``; a model that does not match its own schema is a bug, so it is checked first."""
    problems = validate_matrix(matrix)
    if problems:
        raise AssertionError(f"matrix model does not match matrix.schema.json: {problems[0]}")
    path = out_dir / "matrix.json"
    path.write_text(dumps(matrix), encoding="utf-8")
    return path


def load_matrix(path: Path) -> dict[str, Any]:
    """Read and validate a published ``matrix.json``; InputError (one line) on any problem."""
    return load_checked(path, validate_matrix, "Accord matrix", InputError)
