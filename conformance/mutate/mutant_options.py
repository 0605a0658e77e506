"""What every family's mutant adapter shares: the ``mutant`` / ``set`` options, its reported name, and the
refusal to start anywhere but in a worker (the kit's oracle, in the kit's process, never sees a patch)."""

from __future__ import annotations

import sys
from typing import Any, ClassVar


def in_worker() -> bool:
    """Whether this process is a worker (``python -m accord.conformance.worker``)."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == "accord.conformance.worker"


class MutantOptions:
    """Mixed in before a family's reference adapter: ``mutant`` is the mutant's id (none: the control run),
    ``set`` where its MutantSet is (``module:attribute``, default the family's)."""

    accepted_options: ClassVar[frozenset[str]] = frozenset({"mutant", "set"})
    options: dict[str, Any]

    @property
    def mutant(self) -> str | None:
        return self.options.get("mutant")

    def meta_json(self) -> dict[str, Any]:
        data = super().meta_json()  # type: ignore[misc]
        data["name"] = f"reference mutant {self.mutant}" if self.mutant else "reference (control, unmutated)"
        return data

    def require_worker(self) -> None:
        if not in_worker():
            raise RuntimeError(f"the {type(self).__name__} runs only inside a worker process, never beside the oracle")
