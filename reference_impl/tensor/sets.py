"""Set functions: isin, unique_all, unique_counts, unique_inverse, unique_values.

Per the standard, signed zeros are one value (counts aggregate) and every NaN is a
distinct value (count 1).  The order of the unique values is unspecified; this
implementation returns them sorted, NaNs last (numpy's order), and for a group of
equal values reports the first occurrence (its value and its flat index).
``inverse_indices`` has the shape of ``x`` (2023.12 and later).
``isin`` (2025.12) tests membership by value equality, as ``equal`` compares.
"""

from __future__ import annotations

from typing import NamedTuple

from . import dtypes as dt
from .array import Array
from .elementwise.core import operands
from .sorting import sort_key

__all__ = ["UniqueAllResult", "UniqueCountsResult", "UniqueInverseResult", "isin",
           "unique_all", "unique_counts", "unique_inverse", "unique_values"]


class UniqueAllResult(NamedTuple):
    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class UniqueCountsResult(NamedTuple):
    values: Array
    counts: Array


class UniqueInverseResult(NamedTuple):
    values: Array
    inverse_indices: Array


def _groups(x: Array) -> list[list[int]]:
    """Flat positions of each distinct value, groups ordered by value (NaNs last, each alone)."""
    order = sorted(range(x.size), key=lambda i: sort_key(x._data[i]))
    groups: list[list[int]] = []
    for i in order:
        v = x._data[i]
        if groups and v == v and x._data[groups[-1][0]] == v:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _parts(x: Array) -> tuple[Array, Array, Array, Array]:
    if x.dtype.is_complex:
        raise TypeError("unique functions: complex inputs are not supported by the reference")
    groups = _groups(x)
    n = len(groups)
    values = Array([x._data[g[0]] for g in groups], (n,), x.dtype)
    indices = Array([g[0] for g in groups], (n,), dt.default_int)
    counts = Array([len(g) for g in groups], (n,), dt.default_int)
    inverse = [0] * x.size
    for k, g in enumerate(groups):
        for i in g:
            inverse[i] = k
    return values, indices, Array(inverse, x.shape, dt.default_int), counts


def unique_all(x: Array, /) -> UniqueAllResult:
    values, indices, inverse, counts = _parts(x)
    return UniqueAllResult(values, indices, inverse, counts)


def unique_counts(x: Array, /) -> UniqueCountsResult:
    values, _, _, counts = _parts(x)
    return UniqueCountsResult(values, counts)


def unique_inverse(x: Array, /) -> UniqueInverseResult:
    values, _, inverse, _ = _parts(x)
    return UniqueInverseResult(values, inverse)


def unique_values(x: Array, /) -> Array:
    return _parts(x)[0]


def isin(x1: Array | int, x2: Array | int, /, *, invert: bool = False) -> Array:
    """For each element of ``x1``, whether it is in ``x2`` (with ``invert``: whether it is not).

    "Value equality (see equal)": the two dtypes must promote, as for ``equal`` (TypeError otherwise,
    as for two Python scalars: at least one operand must be an array); a Python int stands for its
    value; NaN equals nothing, not even a NaN, and -0.0 equals +0.0.  ``x1`` and ``x2`` are not
    broadcast: the result has the shape of ``x1`` (0-d when ``x1`` is a Python int).
    """
    a, b, _ = operands(x1, x2, "isin")
    out = []
    for u in a._data:
        found = False
        for v in b._data:
            if u == v:  # ``==``, never ``in``: ``in`` also matches a NaN by identity
                found = True
                break
        out.append(not found if invert else found)
    return Array(out, a.shape, dt.bool_)
