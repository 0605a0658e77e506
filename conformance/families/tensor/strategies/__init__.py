"""Hypothesis strategies that build calls of spec functions from their ``inputs`` data.

Every strategy returns wire-encoded calls (``{"fn", "args", "kwargs"}``) built from numpy values
with :mod:`hypothesis.extra.numpy`. The edges a document names are reached on purpose: NaN, signed
zeros, infinities and subnormals come from ``from_dtype``; integer extremes from its bounds; empty
and 0-d arrays from the shapes; non-contiguous inputs from ``$view`` (strided or reversed) args;
Python scalars for ``array-or-scalar`` parameters; negative axes and shifts from the axis draws;
negative indices for take / take_along_axis; ties, and ``stable=False`` on tie-free arrays, for sorting.

One module per section of the standard registers its builders (``@builder(name)``); ``build(inputs)``
picks the one a document's ``inputs.strategy`` names. Which dtypes a builder may draw is decided by
:class:`Inputs` alone (see :meth:`Inputs.allow`).
"""

from __future__ import annotations

from . import creation, dtype_functions, elementwise, indexing, linalg, manipulation, searching, statistics
from . import fft as fft_extension  # noqa: F401  (registers the fft extension's builders)
from . import linalg_ext as linalg_extension  # noqa: F401  (registers the linalg extension's builders)
from .base import (
    BUILDERS,
    MAX_DIMS,
    MAX_SIDE,
    TIES,
    Builder,
    Inputs,
    array,
    axis_for,
    build,
    builder,
    elements,
    scalar_of,
    shapes,
    value_of,
)

SECTIONS = (creation, dtype_functions, elementwise, indexing, linalg, manipulation, searching, statistics)
"""The modules whose import registers the builders (kept referenced so the registry is complete)."""

__all__ = ["BUILDERS", "MAX_DIMS", "MAX_SIDE", "SECTIONS", "TIES", "Builder", "Inputs", "array", "axis_for", "build",
           "builder", "elements", "scalar_of", "shapes", "value_of"]
