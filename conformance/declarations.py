"""An adapter's declarations (expected failures, not-applicable) checked against the spec it runs.

A declared id or glob that matches no requirement is almost always a typo or a renamed
requirement, and it silently declares nothing: the run would report the deviation as a plain
failure, or the author would believe a requirement is excluded when it is not. So it is an
error naming the declaration. An id that matches a requirement of another spec version the
adapter declares is a version-specific declaration and is fine.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from accord.spec import Spec, load_spec

KINDS = (("expected_failures", "expected failure"), ("not_applicable", "not-applicable declaration"))


def for_version(adapter: dict[str, Any], version: str) -> dict[str, Any]:
    """The adapter metadata with only the expected failures that hold for spec ``version`` (a declaration
    naming ``spec_versions`` holds for those alone: numpy's tuples deviate from 2024.12, not from 2025.12)."""
    declared = adapter.get("expected_failures") or []
    kept = [e for e in declared if not e.get("spec_versions") or version in e["spec_versions"]]
    return adapter if len(kept) == len(declared) else {**adapter, "expected_failures": kept}


def _matches_any(pattern: str, spec: Spec) -> bool:
    return any(fnmatch.fnmatchcase(r.id, pattern) for r in spec.requirements)


def unmatched_declarations(adapter: dict[str, Any], spec: Spec) -> list[str]:
    """One line per declaration (by requirement id or glob) matching no requirement of ``spec`` nor of any
    other released version the adapter declares."""
    others: list[Spec] | None = None
    lines = []
    for key, kind in KINDS:
        for declared in adapter.get(key) or []:
            pattern = declared.get("id")
            if not pattern or _matches_any(pattern, spec):
                continue
            if others is None:
                others = [_load(spec.family, v) for v in adapter.get("spec_versions", []) if v != spec.version]
            if any(other is not None and _matches_any(pattern, other) for other in others):
                continue
            versions = ", ".join(adapter.get("spec_versions", [])) or spec.version
            lines.append(f"{kind} {pattern!r} of adapter {adapter.get('name', '?')!r} matches no requirement "
                         f"of {spec.family} {versions}")
    return lines


def _load(family: str, version: str) -> Spec | None:
    try:
        return load_spec(family, version)
    except Exception:  # a version this Accord does not ship: nothing to match against there
        return None
