"""The tensor family's conformance suite: check kinds for every tensor spec document kind.

``tensor.function`` documents: ``signature``, ``dtype``, ``shape``, ``values`` (against the
pure-Python reference, called in-process), ``special-cases``, ``complex-special-cases`` and ``property`` (laws). The data
documents: ``dtypes``, ``promotion``, ``promotion-scalars``, ``broadcasting``, ``operators`` and
``indexing``. Values travel in the tensor wire format (``accord.spec.tensor.wire``).
"""

from __future__ import annotations

from accord.conformance.families import FamilySuite

from . import applicability, checks, coverage, isolation, objects, result_type

SUITE = FamilySuite(
    family="tensor",
    checks={
        "signature": checks.signature,
        "dtype": checks.dtype,
        "shape": checks.shape,
        "values": checks.values,
        "special-cases": checks.special_cases,
        "complex-special-cases": checks.complex_special_cases,
        "property": checks.prop,
        "dtypes": objects.dtypes,
        "dtype-support": coverage.dtype_support,
        "promotion": objects.promotion,
        "promotion-scalars": objects.promotion_scalars,
        "broadcasting": objects.broadcasting,
        "operators": objects.operators,
        "indexing": objects.indexing,
        "result-type": result_type.result_type,
    },
)
# each failure classified (no masking), each function's checks kept to the dtypes the backend supports for it
SUITE.checks.update({kind: isolation.isolated(kind, check) for kind, check in SUITE.checks.items()})
# a requirement with applies_if is not applicable where the backend declares that capability False
SUITE.checks.update({kind: applicability.gate(check) for kind, check in SUITE.checks.items()})
