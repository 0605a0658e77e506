"""Where each family's mutant set lives: one module (or package) exposing ``MUTANTS``, a ``MutantSet``.

Adding a family's set is writing that module and naming it here.
"""

from __future__ import annotations

import importlib

from .model import MutantSet

MODULES = {
    "tensor": "accord.conformance.mutate.tensor",
    "pipeline": "accord.conformance.mutate.pipeline",
    "faas": "accord.conformance.mutate.faas",
}


def families() -> list[str]:
    return sorted(MODULES)


def mutant_set(family: str) -> MutantSet:
    """The family's mutants; LookupError (one line) for a family without a set."""
    if family not in MODULES:
        raise LookupError(f"no mutant set for family {family!r} (sets exist for: {', '.join(families())})")
    return importlib.import_module(MODULES[family]).MUTANTS
