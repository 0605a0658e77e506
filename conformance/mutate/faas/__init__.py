"""The FaaS mutant set: bugs a function host could have, applied to the reference host in its own process.

Mutants are grouped by module (HTTP functions, failures and operation: :mod:`.functions`; CloudEvents:
:mod:`.events`). The mutant adapter (:mod:`.adapter`) launches the host wrapper (:mod:`.host`), which
installs one mutant before it serves; :func:`.tools.difference` deploys it and sends a direct example to
it and to an unpatched reference host.
"""

from __future__ import annotations

from ..model import Mutant, MutantSet
from . import events, functions, tools


def _difference(mutant: Mutant) -> str | None:
    return tools.difference(MUTANTS, mutant)


MUTANTS = MutantSet(
    family="faas",
    adapter="accord.conformance.mutate.faas.adapter:adapter",
    mutants=functions.MUTANTS + events.MUTANTS,
    difference=_difference,
    location="accord.conformance.mutate.faas:MUTANTS",
)
