"""A mutant set for the framework tests, importable in a worker (this folder on ``PYTHONPATH``).

``tensor.argmax.same-answer`` changes nothing (its override calls the reference), so no requirement can
kill it; ``tensor.argmax.last-tie`` is the real tensor set's mutant, which the suite kills.
"""

from __future__ import annotations

from accord.conformance.mutate.model import Mutant, MutantSet
from accord.conformance.mutate.tensor import MUTANTS as TENSOR
from accord.conformance.mutate.tensor.tools import A, call, difference, wrap

SAME = Mutant("tensor.argmax.same-answer", "searching",
              "argmax recomputed by the reference's own argmax: no behaviour change, so nothing can kill it.",
              lambda xp: wrap(xp, "argmax", lambda orig, *a, **k: orig(*a, **k)), call("argmax", A([1, 3, 3])))

MUTANTS = MutantSet(family="tensor", adapter=TENSOR.adapter, mutants=(SAME, TENSOR.get("tensor.argmax.last-tie")),
                    difference=lambda m: difference(m.patch, m.example), location="noop_mutants:MUTANTS")
