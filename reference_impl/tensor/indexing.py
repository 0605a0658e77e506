"""Indexing functions: take and take_along_axis (negative indices count from the end)."""

from __future__ import annotations

from . import _helpers as h
from .array import Array

__all__ = ["take", "take_along_axis"]


def _index_values(indices: Array, dim: int) -> list[int]:
    if not indices.dtype.is_integer:
        raise TypeError(f"indices must have an integer dtype, got {indices.dtype.name}")
    out = []
    for i in indices._data:
        if not -dim <= i < dim:
            raise IndexError(f"index {i} is out of bounds for size {dim}")
        out.append(i % dim)
    return out


def take(x: Array, indices: Array, /, *, axis: int | None = None) -> Array:
    """Elements of ``x`` at 1-D ``indices`` along ``axis`` (optional only for 1-D ``x``)."""
    if axis is None:
        if x.ndim != 1:
            raise ValueError("take: axis is required unless x is one-dimensional")
        axis = 0
    if indices.ndim != 1:
        raise ValueError("take: indices must be one-dimensional")
    ax = h.normalize_axis(axis, x.ndim)
    picks = _index_values(indices, x.shape[ax])
    outer = h.size_of(x.shape[:ax])
    inner = h.size_of(x.shape[ax + 1:])
    dim = x.shape[ax]
    data = [x._data[(o * dim + p) * inner + j] for o in range(outer) for p in picks for j in range(inner)]
    return Array(data, x.shape[:ax] + (len(picks),) + x.shape[ax + 1:], x.dtype)


def take_along_axis(x: Array, indices: Array, /, *, axis: int = -1) -> Array:
    """out[..., i, ...] = x[..., indices[..., i, ...], ...] along ``axis``; other axes broadcast."""
    if indices.ndim != x.ndim:
        raise ValueError("take_along_axis: x and indices must have the same number of dimensions")
    ax = h.normalize_axis(axis, x.ndim)
    shape_x = list(x.shape)
    shape_i = list(indices.shape)
    shape_x[ax] = shape_i[ax] = 1
    others = h.broadcast_shapes(tuple(shape_x), tuple(shape_i))
    out_shape = others[:ax] + (indices.shape[ax],) + others[ax + 1:]
    idx_target = out_shape
    idx_vals = [indices._data[p] for p in h.broadcast_index_list(indices.shape, idx_target)]
    picks = _index_values(Array(idx_vals, idx_target, indices.dtype), x.shape[ax])
    x_strides = h.strides_of(x.shape)
    out_strides = h.strides_of(out_shape)
    data = []
    for p, k in enumerate(picks):
        src = 0
        for a, (dim, st) in enumerate(zip(out_shape, out_strides, strict=True)):
            coord = (p // st) % dim
            if a == ax:
                coord = k
            elif x.shape[a] == 1:
                coord = 0
            src += coord * x_strides[a]
        data.append(x._data[src])
    return Array(data, out_shape, x.dtype)
