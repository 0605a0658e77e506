"""A crafted mutation report (valid against mutation.schema.json) for the suite-strength tests of the matrix."""

from __future__ import annotations

from typing import Any

from accord.conformance.mutate.report import problems
from accord_testing.matrix_fixtures import HOSTILE

SURVIVOR = "tensor.sum.<b>" + HOSTILE


def _score(killed: int, survived: int, allowed: int = 0) -> dict[str, Any]:
    total = killed + survived
    return {"killed": killed, "survived": survived, "errors": 0, "allowed": allowed, "total": total,
            "score": round(killed / total, 4) if total else None}


def mutation_report(family: str = "tensor") -> dict[str, Any]:
    def mutant(mid: str, group: str, status: str, killed_by: list[str]) -> dict[str, Any]:
        return {"id": mid, "group": group, "status": status, "description": "a bug the standard forbids, quoted.",
                "requirements": [f"{family}.x.values"], "killed_by": killed_by, "duration": 1.0}

    data = {
        "format": "accord-mutation", "format_version": 1, "accord_version": "0.1.0",
        "spec": {"family": family, "version": "2.2", "status": "draft", "digest": "sha256:" + "d" * 64},
        "settings": {"seed": 7, "max_examples": 100, "timeout": 30.0, "min_score": 0.95},
        "started": "2026-12-01T00:00:00+00:00", "duration": 12.5, "state": "complete",
        "control": {"requirements": 3, "unstable": []},
        "mutants": [mutant(f"{family}.add.negative-zero", "arithmetic", "killed", [f"{family}.add.values"]),
                    mutant(SURVIVOR if family == "tensor" else f"{family}.sum.x", "reductions", "survived", []),
                    mutant(f"{family}.mean.empty", "reductions", "killed", [f"{family}.mean.values"])],
        "groups": [{"id": "arithmetic", "title": "Element-wise arithmetic", **_score(1, 0)},
                   {"id": "reductions", "title": "Reductions", **_score(1, 1)}],
        "score": _score(2, 1),
    }
    assert problems(data) == []
    return data
