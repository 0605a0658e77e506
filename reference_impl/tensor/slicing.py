"""Index resolution for ``Array.__getitem__`` / ``__setitem__`` (the standard's "Indexing" page).

A key is turned into (result shape, flat positions in the source).  Supported keys:

* basic indexing: integers (negative counts from the end; out of range -> IndexError),
  slices (any step, including negative; Python's clamping rules), ``...`` and ``None``; without
  an ellipsis, one single-axis index per axis (fewer -> IndexError, as the standard says "should");
* a single boolean array (the sole index, possibly inside a 1-tuple, or with a leading
  ``...``-free form); its shape must equal the leading dimensions of ``x``;
* integer array indexing (2024.12): a tuple made only of integers and integer arrays,
  which are broadcast together; trailing axes not indexed are kept whole.

Mixing slices/ellipsis/None with integer arrays is unspecified by the standard and raises
IndexError here.
"""

from __future__ import annotations

from typing import Any

from . import _helpers as h
from .array import Array


def _as_tuple(key: Any) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def resolve_key(x: Array, key: Any) -> tuple[tuple[int, ...], list[int]]:
    items = _as_tuple(key)
    arrays = [k for k in items if isinstance(k, Array)]
    if arrays:
        if len(items) == 1 and items[0].dtype.is_bool:
            return _boolean(x, items[0])
        if all(k.dtype.is_integer for k in arrays) and all(
                isinstance(k, Array) or (isinstance(k, int) and not isinstance(k, bool)) for k in items):
            return _integer_arrays(x, items)
        raise IndexError("unsupported combination of array indices (the standard allows a single boolean "
                         "array, or a tuple of integers and integer arrays)")
    return _basic(x, items)


def _check_int(i: int, dim: int, axis: int) -> int:
    if not -dim <= i < dim:
        raise IndexError(f"index {i} is out of bounds for axis {axis} with size {dim}")
    return i % dim


def _basic(x: Array, items: tuple) -> tuple[tuple[int, ...], list[int]]:
    for k in items:
        if isinstance(k, bool) or not (isinstance(k, (int, slice)) or k is Ellipsis or k is None):
            raise IndexError(f"unsupported index {k!r}")
    if sum(k is Ellipsis for k in items) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = sum(1 for k in items if k is not None and k is not Ellipsis)
    if consumed > x.ndim:
        raise IndexError(f"too many indices for an array with {x.ndim} dimensions")
    if Ellipsis in items:
        at = next(i for i, k in enumerate(items) if k is Ellipsis)
        items = items[:at] + (slice(None),) * (x.ndim - consumed) + items[at + 1:]
    elif consumed < x.ndim:
        raise IndexError(f"{consumed} single-axis indices for an array with {x.ndim} dimensions "
                         "(give one per axis, or an ellipsis)")

    strides = h.strides_of(x.shape)
    offset, shape, out_strides, axis = 0, [], [], 0
    for k in items:
        if k is None:
            shape.append(1)
            out_strides.append(0)
            continue
        dim, stride = x.shape[axis], strides[axis]
        if isinstance(k, int):
            offset += _check_int(k, dim, axis) * stride
        else:
            start, stop, step = k.indices(dim)
            shape.append(len(range(start, stop, step)))
            out_strides.append(stride * step)
            offset += start * stride if shape[-1] else 0
        axis += 1
    return tuple(shape), h.gather_indices(offset, shape, out_strides)


def _boolean(x: Array, mask: Array) -> tuple[tuple[int, ...], list[int]]:
    k = mask.ndim
    if mask.shape != x.shape[:k]:
        raise IndexError(f"boolean index of shape {mask.shape} does not match array shape {x.shape}")
    inner = h.size_of(x.shape[k:])
    chosen = [i for i, m in enumerate(mask._data) if m]
    positions = [i * inner + j for i in chosen for j in range(inner)]
    return (len(chosen),) + x.shape[k:], positions


def _integer_arrays(x: Array, items: tuple) -> tuple[tuple[int, ...], list[int]]:
    if len(items) > x.ndim:
        raise IndexError(f"too many indices for an array with {x.ndim} dimensions")
    shapes = [k.shape if isinstance(k, Array) else () for k in items]
    bshape = h.broadcast_shapes(*shapes)
    count = h.size_of(bshape)
    strides = h.strides_of(x.shape)
    base = [0] * count
    for axis, k in enumerate(items):
        dim = x.shape[axis]
        if isinstance(k, Array):
            vals = [k._data[i] for i in h.broadcast_index_list(k.shape, bshape)]
        else:
            vals = [k] * count
        for n, v in enumerate(vals):
            base[n] += _check_int(v, dim, axis) * strides[axis]
    rest = x.shape[len(items):]
    inner = h.gather_indices(0, rest, strides[len(items):])
    return bshape + rest, [b + r for b in base for r in inner]
