"""Which standard revision(s) the spec versions an adapter declares follow (``accord adapters``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from accord.spec import versions
from accord.spec.loader import SPEC_ROOT
from accord.spec.standards import of_folder


@cache
def _by_version(family: str) -> dict[str, tuple[dict[str, str], ...] | None]:
    """``{spec version: standards}`` for every version of a family; the draft under its declared version too.

    A version whose manifest or family map cannot be read maps to ``None`` (``accord spec validate`` says why).
    """
    table: dict[str, tuple[dict[str, str], ...] | None] = {}
    for folder in versions(family):
        found = of_folder(SPEC_ROOT / family / folder)
        if found is None:
            table.setdefault(folder, None)
            continue
        version, standards = found
        table.setdefault(version, tuple(s.to_json() for s in standards))
    return table


def follows(family: str, spec_versions: tuple[str, ...] | list[str]) -> dict[str, list[dict[str, str]] | None]:
    """``{declared spec version: [{name, revision, url[, note]}]}``; ``None`` for a version Accord does not have."""
    table = _by_version(family)
    return {v: (list(table[v]) if table.get(v) is not None else None) for v in spec_versions}


def follows_text(standards: dict[str, Any]) -> str:
    """``1.0, 1.1: Python array API standard 2024.12`` — versions that follow the same standards share a line."""
    lines: dict[str, list[str]] = {}
    for version, named in standards.items():
        text = ", ".join(f"{s['name']} {s['revision']}" for s in named) if named else "unknown spec version"
        lines.setdefault(text, []).append(version)
    return "\n".join(f"{', '.join(vs)}: {text}" for text, vs in lines.items())
