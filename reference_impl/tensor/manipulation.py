"""Manipulation functions of the standard: broadcasting, joining, reshaping, reordering."""

from __future__ import annotations

from . import _helpers as h
from . import dtypes as dt
from . import revision
from .array import Array

__all__ = ["broadcast_arrays", "broadcast_shapes", "broadcast_to", "concat", "expand_dims", "flip",
           "moveaxis", "permute_dims", "repeat", "reshape", "roll", "squeeze", "stack", "tile", "unstack"]


def _take_positions(x: Array, positions: list[int], shape: tuple[int, ...], dtype: dt.DType | None = None) -> Array:
    data = x._data
    return Array([data[i] for i in positions], shape, dtype or x.dtype)


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape the given shapes broadcast to (new in 2025.12), by the standard's broadcasting algorithm.

    No shapes give ``()`` (the standard's Notes: "must return an empty tuple"); shapes that do not
    broadcast raise ValueError (its Raises: "should"). Dimensions of unknown size (None) are not accepted:
    the standard allows them only to libraries that build computation graphs.
    """
    return h.broadcast_shapes(*(h.normalize_shape(s) for s in shapes))


def broadcast_to(x: Array, /, shape: tuple[int, ...]) -> Array:
    shape = h.normalize_shape(shape)
    return _take_positions(x, h.broadcast_index_list(x.shape, shape), shape)


def broadcast_arrays(*arrays: Array) -> list[Array] | tuple[Array, ...]:
    shape = h.broadcast_shapes(*(a.shape for a in arrays))
    return revision.several(broadcast_to(a, shape) for a in arrays)


def _result_dtype(arrays: list[Array], name: str) -> dt.DType:
    if not arrays:
        raise ValueError(f"{name}: need at least one array")
    dtype = arrays[0].dtype
    for a in arrays[1:]:
        dtype = dt.promote_types(dtype, a.dtype)
    return dtype


def concat(arrays: tuple[Array, ...] | list[Array], /, *, axis: int | None = 0) -> Array:
    """Join along an existing axis (axis=None flattens first); dtypes promote."""
    arrays = list(arrays)
    dtype = _result_dtype(arrays, "concat")
    if axis is None:
        data = [dt.cast_scalar(v, dtype) for a in arrays for v in a._data]
        return Array(data, (len(data),), dtype)
    ndim = arrays[0].ndim
    if ndim == 0:
        raise ValueError("concat: zero-dimensional arrays cannot be concatenated")
    ax = h.normalize_axis(axis, ndim)
    for a in arrays:
        if a.ndim != ndim or a.shape[:ax] + a.shape[ax + 1:] != arrays[0].shape[:ax] + arrays[0].shape[ax + 1:]:
            raise ValueError("concat: shapes differ outside the concatenation axis")
    outer = h.size_of(arrays[0].shape[:ax])
    data: list = []
    for o in range(outer):
        for a in arrays:
            block = h.size_of(a.shape[ax:])
            data.extend(dt.cast_scalar(v, dtype) for v in a._data[o * block:(o + 1) * block])
    shape = arrays[0].shape[:ax] + (sum(a.shape[ax] for a in arrays),) + arrays[0].shape[ax + 1:]
    return Array(data, shape, dtype)


def stack(arrays: tuple[Array, ...] | list[Array], /, *, axis: int = 0) -> Array:
    """Join along a new axis; all arrays must have the same shape."""
    arrays = list(arrays)
    _result_dtype(arrays, "stack")
    shape = arrays[0].shape
    if any(a.shape != shape for a in arrays):
        raise ValueError("stack: arrays must have the same shape")
    ax = h.normalize_axis(axis, len(shape) + 1)
    return concat([expand_dims(a, axis=ax) for a in arrays], axis=ax)


def unstack(x: Array, /, *, axis: int = 0) -> tuple[Array, ...]:
    ax = h.normalize_axis(axis, x.ndim)
    return tuple(x[(slice(None),) * ax + (i, ...)] for i in range(x.shape[ax]))


def expand_dims(x: Array, /, axis: int) -> Array:
    """Insert a size-1 axis at ``axis`` in [-N-1, N] (IndexError otherwise).

    The signature is that of the 2024.12 stubs as corrected upstream (``axis`` required and
    not keyword-only; the published 2024.12 page still shows ``*, axis=0``).
    """
    n = x.ndim
    if not isinstance(axis, int) or not -n - 1 <= axis <= n:
        raise IndexError(f"expand_dims: axis {axis} out of range for {n} dimensions")
    pos = axis if axis >= 0 else n + axis + 1
    return Array(list(x._data), x.shape[:pos] + (1,) + x.shape[pos:], x.dtype)


def squeeze(x: Array, /, axis: int | tuple[int, ...]) -> Array:
    """Remove the given size-1 axes (ValueError if one of them is not size 1)."""
    axes = h.normalize_axes(axis, x.ndim)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has size {x.shape[a]}, not 1")
    return Array(list(x._data), tuple(d for a, d in enumerate(x.shape) if a not in axes), x.dtype)


def reshape(x: Array, /, shape: tuple[int, ...], *, copy: bool | None = None) -> Array:
    """Same data in row-major order, new shape (one -1 entry is inferred)."""
    shape = tuple(shape)
    if shape.count(-1) > 1:
        raise ValueError("reshape: only one dimension may be -1")
    if -1 in shape:
        known = h.size_of([d for d in shape if d != -1])
        if known == 0 or x.size % known:
            raise ValueError(f"reshape: cannot reshape size {x.size} into {shape}")
        shape = tuple(x.size // known if d == -1 else d for d in shape)
    if any(d < 0 for d in shape) or h.size_of(shape) != x.size:
        raise ValueError(f"reshape: cannot reshape array of shape {x.shape} into {shape}")
    return Array(list(x._data), shape, x.dtype)


def permute_dims(x: Array, /, axes: tuple[int, ...]) -> Array:
    axes = tuple(h.normalize_axis(a, x.ndim) for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"permute_dims: {axes} is not a permutation of the axes")
    return _take_positions(x, h.permuted_index_list(x.shape, axes), tuple(x.shape[a] for a in axes))


def moveaxis(x: Array, source: int | tuple[int, ...], destination: int | tuple[int, ...], /) -> Array:
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of axes")
    src = [h.normalize_axis(a, x.ndim) for a in src]
    dst = [h.normalize_axis(a, x.ndim) for a in dst]
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError("moveaxis: repeated axis")
    order = [a for a in range(x.ndim) if a not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return permute_dims(x, tuple(order))


def flip(x: Array, /, *, axis: int | tuple[int, ...] | None = None) -> Array:
    axes = h.normalize_axes(axis, x.ndim)
    return x[tuple(slice(None, None, -1) if a in axes else slice(None) for a in range(x.ndim))]


def roll(x: Array, /, shift: int | tuple[int, ...], *, axis: int | tuple[int, ...] | None = None) -> Array:
    """Shift elements along axes with wraparound; axis=None rolls the flattened array."""
    if axis is None:
        if not isinstance(shift, int):
            raise ValueError("roll: shift must be an int when axis is None")
        n = x.size
        k = shift % n if n else 0
        data = x._data[n - k:] + x._data[:n - k]
        return Array(data, x.shape, x.dtype)
    shifts = [shift] if isinstance(shift, int) else list(shift)
    axes = [axis] if isinstance(axis, int) else list(axis)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise ValueError("roll: shift and axis must have the same length")
    total = [0] * x.ndim
    for s, a in zip(shifts, axes, strict=True):
        total[h.normalize_axis(a, x.ndim)] += s
    strides = h.strides_of(x.shape)
    positions = [0]
    for dim, st, s in zip(x.shape, strides, total, strict=True):
        positions = [p + ((i - s) % dim) * st for p in positions for i in range(dim)]
    return _take_positions(x, positions if x.size else [], x.shape)


def repeat(x: Array, repeats: int | Array, /, *, axis: int | None = None) -> Array:
    """Repeat each element (of the flattened array when axis is None) ``repeats`` times."""
    if axis is None:
        x = reshape(x, (-1,)) if x.size else Array([], (0,), x.dtype)
        axis = 0
    ax = h.normalize_axis(axis, x.ndim)
    n = x.shape[ax]
    counts = [repeats] * n if isinstance(repeats, int) else list(repeats._data)
    if len(counts) == 1 and n != 1:
        counts = counts * n
    if len(counts) != n or any(c < 0 for c in counts):
        raise ValueError("repeat: repeats must be non-negative and match the axis length")
    picks = [i for i, c in enumerate(counts) for _ in range(c)]
    key = (slice(None),) * ax
    parts = [x[key + (slice(i, i + 1), ...)] for i in picks]
    if not parts:
        shape = x.shape[:ax] + (0,) + x.shape[ax + 1:]
        return Array([], shape, x.dtype)
    return concat(parts, axis=ax)


def tile(x: Array, repetitions: tuple[int, ...], /) -> Array:
    """Repeat the whole array along each axis; shorter of shape/repetitions is padded with 1s."""
    reps = tuple(repetitions)
    nd = max(x.ndim, len(reps))
    shape = (1,) * (nd - x.ndim) + x.shape
    reps = (1,) * (nd - len(reps)) + reps
    out_shape = tuple(d * r for d, r in zip(shape, reps, strict=True))
    strides = h.strides_of(shape)
    positions = [0]
    for dim, out_dim, st in zip(shape, out_shape, strides, strict=True):
        positions = [p + (i % dim) * st for p in positions for i in range(out_dim)]
    return _take_positions(x, positions if h.size_of(out_shape) else [], out_shape)


