"""The tensor family's conformance suite: check kinds for every tensor spec document kind.

``tensor.function`` documents: ``signature``, ``dtype``, ``shape``, ``values`` (against the
pure-Python reference, called in-process), ``special-cases``, ``complex-special-cases`` and ``property`` (laws). The data
documents: ``dtypes``, ``promotion``, ``promotion-scalars``, ``broadcasting``, ``operators`` and
``indexing``. Values travel in the tensor wire format (``accord.spec.tensor.wire``).
"""

from __future__ import annotations

from accord.conformance.families import FamilySuite

from . import checks, objects

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
        "promotion": objects.promotion,
        "promotion-scalars": objects.promotion_scalars,
        "broadcasting": objects.broadcasting,
        "operators": objects.operators,
        "indexing": objects.indexing,
    },
)
