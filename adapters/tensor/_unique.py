"""The standard's four ``unique_*`` functions over a backend's numpy-style ``unique`` (torch and dask shims).

Both backends spell the four as one ``unique(x, return_inverse=, return_counts=)`` returning a plain
tuple; the shim names the tuple's fields as the standard does and gives ``inverse_indices`` the shape
of ``x`` (dask returns it flattened) the same way whatever the backend.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

from accord.adapters.base import Shim

UniqueAll = collections.namedtuple("UniqueAllResult", "values indices inverse_indices counts")
UniqueCounts = collections.namedtuple("UniqueCountsResult", "values counts")
UniqueInverse = collections.namedtuple("UniqueInverseResult", "values inverse_indices")

FirstIndices = Callable[[Any, Any, Any], Any]  # (x, values, inverse) -> index of each value's first occurrence


def unique_shim(reason: str) -> Shim:
    """The declaration of what ``unique_functions`` replaces, with the backend's ``reason``."""
    return Shim("unique", ("unique_values", "unique_counts", "unique_inverse", "unique_all"), "replace", reason)


def unique_functions(
    unique: Callable[..., Any], spelled: str, first_indices: FirstIndices | None = None
) -> tuple[Callable[..., Any], ...]:
    """``(unique_values, unique_counts, unique_inverse, unique_all)`` over ``unique`` (written ``spelled``
    in their docstrings, which the snippets show); a backend whose ``unique`` has no ``return_index``
    passes ``first_indices``."""

    def unique_values(x: Any, /) -> Any:
        return unique(x)

    def unique_counts(x: Any, /) -> Any:
        return UniqueCounts(*unique(x, return_counts=True))

    def unique_inverse(x: Any, /) -> Any:
        values, inverse = unique(x, return_inverse=True)
        return UniqueInverse(values, inverse.reshape(x.shape))

    def unique_all(x: Any, /) -> Any:
        if first_indices is None:
            values, index, inverse, counts = unique(
                x, return_index=True, return_inverse=True, return_counts=True
            )
        else:
            values, inverse, counts = unique(x, return_inverse=True, return_counts=True)
            index = first_indices(x, values, inverse)
        return UniqueAll(values, index, inverse.reshape(x.shape), counts)

    unique_values.__doc__ = f"{spelled}(x)"
    unique_counts.__doc__ = f"{spelled}(x, return_counts=True)"
    unique_inverse.__doc__ = f"{spelled}(x, return_inverse=True), the inverse shaped like x"
    unique_all.__doc__ = (
        f"{spelled}(x, return_index=True, return_inverse=True, return_counts=True)"
        if first_indices is None
        else f"{spelled}(x, return_inverse=True, return_counts=True); indices by {first_indices.__doc__}"
    )
    return unique_values, unique_counts, unique_inverse, unique_all
