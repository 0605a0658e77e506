"""The pipeline mutant set: bugs a Beam-style runner could have, applied to the pipeline reference.

Mutants are grouped by module (what is computed: :mod:`.batch`; where in event time and when in
processing time: :mod:`.windows`, :mod:`.streaming`; stateful processing: :mod:`.state`). The mutant
adapter (:mod:`.adapter`) applies one of them inside a worker; :func:`.tools.difference` runs a direct
example there and on the kit's unpatched reference.
"""

from __future__ import annotations

from ..model import Mutant, MutantSet
from . import batch, state, streaming, tools, windows


def _difference(mutant: Mutant) -> str | None:
    return tools.difference(MUTANTS, mutant)


MUTANTS = MutantSet(
    family="pipeline",
    adapter="accord.conformance.mutate.pipeline.adapter:adapter",
    mutants=batch.MUTANTS + windows.MUTANTS + streaming.MUTANTS + state.MUTANTS,
    difference=_difference,
    location="accord.conformance.mutate.pipeline:MUTANTS",
)
