"""The tensor mutant set: bugs a real array library could have, applied to the pure-Python reference.

Mutants are grouped by module (element-wise functions; array creation, manipulation, indexing,
operators and promotion; reductions, searching, sorting, sets, linear algebra). The mutant adapter
(:mod:`.adapter`) applies one of them inside a worker; :func:`.tools.difference` runs a direct example.
"""

from __future__ import annotations

from ..model import Mutant, MutantSet
from . import arrays, elementwise, reductions, tools


def _difference(mutant: Mutant) -> str | None:
    return tools.difference(mutant.patch, mutant.example)


MUTANTS = MutantSet(
    family="tensor",
    adapter="accord.conformance.mutate.tensor.adapter:adapter",
    mutants=elementwise.MUTANTS + arrays.MUTANTS + reductions.MUTANTS,
    difference=_difference,
    location="accord.conformance.mutate.tensor:MUTANTS",
)
