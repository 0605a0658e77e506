"""What a mutant is: one realistic, single-behaviour bug applied to a family's reference.

A mutant is data plus a patch. The patch is applied only by the family's *mutant adapter*, inside a
worker process, never to the kit's own oracle; the kit then runs the requirements the mutant
concerns against that worker and the mutant is *killed* when one of them does not pass. The
direct example is the evidence that the patch really changes behaviour (a test runs every one).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: mutant statuses: killed / survived count in the score; allowed mutants (the spec does not forbid
#: the behaviour) do not; error (the mutant's worker could not run) counts as not killed
STATUSES = ("killed", "survived", "allowed", "error", "not-run")


@dataclass(frozen=True)
class Mutant:
    """One bug a real engine could have, written from the spec text it violates.

    ``id`` is ``<family>.<document>.<what>``; the document named there (and those in ``documents``)
    select the requirements run against it, ``select`` adds requirement globs. ``group`` is the
    capability group (a manifest capability id) the score is counted in. ``patch`` and ``example``
    are the family's: what its mutant adapter applies and a direct input on which the mutant's answer
    differs from the reference's. ``allowed`` is the spec's own words when the standard does not forbid
    the behaviour: the mutant still runs (a kill would show the suite is stricter than the standard)
    but leaves the score.
    """

    id: str
    group: str
    description: str
    patch: Callable[[Any], dict[str, Callable[..., Any]]]
    example: Any
    documents: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    allowed: str = ""

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def document(self) -> str:
        """The document the id names (``tensor.argmax.last-tie`` -> ``argmax``)."""
        return self.id.split(".")[1]

    def globs(self) -> list[str]:
        """Requirement id globs the mutant runs: every requirement of its documents, plus ``select``."""
        docs = dict.fromkeys((self.document, *self.documents))
        return [f"{self.family}.{doc}.*" for doc in docs] + list(self.select)


@dataclass(frozen=True)
class MutantSet:
    """A family's mutants and how to run them.

    ``adapter`` is the ``module:attribute`` of the family's mutant adapter: a worker-side adapter that
    wraps the family's reference and applies the mutant named in its adapter option ``mutant``, looked
    up in the set at ``location`` (``module:attribute``, adapter option ``set``); with no option it is
    the plain reference (the control run). ``difference`` runs a mutant's direct
    example on the unmutated reference and on the mutant, without touching the kit's oracle, and says
    how the answers differ (None: they agree, the mutant is no mutant).
    """

    family: str
    adapter: str
    mutants: tuple[Mutant, ...]
    difference: Callable[[Mutant], str | None]
    location: str

    def options(self, mutant: Mutant | None) -> dict[str, str]:
        """The mutant adapter's options for one mutant (none: the unmutated control)."""
        return {"mutant": mutant.id, "set": self.location} if mutant else {}

    def get(self, mutant_id: str) -> Mutant:
        for mutant in self.mutants:
            if mutant.id == mutant_id:
                return mutant
        raise LookupError(f"no {self.family} mutant {mutant_id!r}")

    def selected(self, patterns: list[str]) -> list[Mutant]:
        """The mutants whose id matches one of ``patterns`` (all when there is none), in set order."""
        if not patterns:
            return list(self.mutants)
        return [m for m in self.mutants if any(fnmatch.fnmatchcase(m.id, p) for p in patterns)]


def load_set(location: str) -> MutantSet:
    """The mutant set at ``module:attribute`` (in a worker: the adapter option ``set``)."""
    import importlib

    module, _, attribute = location.partition(":")
    found = getattr(importlib.import_module(module), attribute)
    if not isinstance(found, MutantSet):
        raise TypeError(f"{location} is a {type(found).__name__}, not a MutantSet")
    return found


def check_set(mutants: tuple[Mutant, ...], family: str) -> list[str]:
    """Problems of a mutant set's own data (duplicate ids, a foreign family, no description)."""
    problems, seen = [], set()
    for mutant in mutants:
        if mutant.id in seen:
            problems.append(f"{mutant.id}: duplicate mutant id")
        seen.add(mutant.id)
        if mutant.family != family or mutant.id.count(".") < 2:
            problems.append(f"{mutant.id}: a {family} mutant id is {family}.<document>.<what>")
        if len(mutant.description.split()) < 8:
            problems.append(f"{mutant.id}: the description must say what the bug is and cite the spec text")
    return problems
