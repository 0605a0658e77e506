"""The tensor family's conformance suite: check kinds for every tensor spec document kind.

``tensor.function`` documents: ``signature``, ``dtype``, ``shape``, ``values`` (against the
pure-Python reference, called in-process), ``special-cases``, ``complex-special-cases``, ``property``
(laws), ``values-at-magnitude`` (inputs moved to where a naive kernel over- or underflows) and
``result-container`` (the list or tuple a several-array result comes in). The data
documents: ``dtypes``, ``promotion``, ``promotion-scalars``, ``broadcasting``, ``operators`` and
``indexing``; ``tensor.dtypes`` also ``namespace-defaults`` (what the info object says about default and
supported dtypes). Any document: ``raises`` (inputs the standard says should be refused), ``stated-call``
(one call whose result the text states) and ``raises-drawn`` (a drawn kind of call that must raise). Values
travel in the tensor wire format (``accord.spec.tensor.wire``).
"""

from __future__ import annotations

from accord.conformance.families import FamilySuite

from . import (
    applicability,
    checks,
    containers,
    coverage,
    default_dtypes,
    dlpack,
    isolation,
    laws,
    magnitudes,
    objects,
    result_type,
    should_raise,
    stated_calls,
    strata,
)

SUITE = FamilySuite(
    family="tensor",
    checks={
        "signature": checks.signature,
        "dtype": checks.dtype,
        "shape": checks.shape,
        "values": checks.values,
        "special-cases": checks.special_cases,
        "complex-special-cases": checks.complex_special_cases,
        "property": laws.check,
        "dtypes": objects.dtypes,
        "dtype-support": coverage.dtype_support,
        "promotion": objects.promotion,
        "promotion-scalars": objects.promotion_scalars,
        "broadcasting": objects.broadcasting,
        "operators": objects.operators,
        "indexing": objects.indexing,
        "result-type": result_type.result_type,
        "raises": should_raise.raises,
        "namespace-defaults": default_dtypes.namespace_defaults,
        "values-at-magnitude": magnitudes.values_at_magnitude,
        "result-container": containers.result_container,
        "stated-call": stated_calls.stated_call,
        "raises-drawn": stated_calls.raises_drawn,
        "dlpack": dlpack.dlpack,
    },
    conditions=strata.KINDS,  # how each stated condition is recognised and drawn
)
# each failure classified (no masking), each function's checks kept to the dtypes the backend supports for it
SUITE.checks.update({kind: isolation.isolated(kind, check) for kind, check in SUITE.checks.items()})
# a requirement with applies_if is not applicable where the backend declares that capability False
SUITE.checks.update({kind: applicability.gate(check) for kind, check in SUITE.checks.items()})
