"""Shape bookkeeping shared by the modules: strides, axes, broadcasting, index gathering.

Arrays are flat row-major lists; every structural operation (transpose, slicing,
broadcasting, reductions) is expressed as "which flat source positions, in which order",
computed by :func:`gather_indices` from an offset, a shape and per-axis strides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


class AxisError(ValueError, IndexError):
    """An axis argument outside [-ndim, ndim) (both a ValueError and an IndexError, like numpy's)."""


def size_of(shape: Sequence[int]) -> int:
    return math.prod(shape)


def strides_of(shape: Sequence[int]) -> tuple[int, ...]:
    """Row-major strides, in elements."""
    strides = []
    step = 1
    for dim in reversed(shape):
        strides.append(step)
        step *= dim
    return tuple(reversed(strides))


def gather_indices(offset: int, shape: Sequence[int], strides: Sequence[int]) -> list[int]:
    """Flat source positions of a strided view, listed in row-major order of ``shape``."""
    idx = [offset]
    for dim, stride in zip(shape, strides, strict=True):
        idx = [i + k * stride for i in idx for k in range(dim)]
    return idx


def normalize_axis(axis: int, ndim: int) -> int:
    """Resolve a possibly negative axis; AxisError if out of range."""
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise AxisError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    return axis % ndim if ndim else 0


def normalize_axes(axis: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """``None`` -> all axes; int or tuple -> sorted resolved axes; duplicates raise ValueError."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    resolved = [normalize_axis(a, ndim) for a in axes]
    if len(set(resolved)) != len(resolved):
        raise ValueError(f"repeated axis in {axis!r}")
    return tuple(sorted(resolved))


def normalize_shape(shape: int | Sequence[int]) -> tuple[int, ...]:
    """Accept an int or a sequence of non-negative ints."""
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    out = tuple(shape)
    for d in out:
        if not isinstance(d, int) or isinstance(d, bool):
            raise TypeError(f"shape entries must be ints, got {shape!r}")
        if d < 0:
            raise ValueError(f"negative dimension in shape {shape!r}")
    return out


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    """The standard's broadcasting algorithm: align right, sizes must match or be 1."""
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(ndim):
        size = 1
        for s in shapes:
            k = i - (ndim - len(s))
            if k < 0:
                continue
            d = s[k]
            if d == 1:
                continue
            if size not in (1, d):
                raise ValueError(f"shapes {', '.join(map(str, shapes))} cannot be broadcast together")
            size = d
        out.append(size)
    return tuple(out)


def broadcast_index_list(shape: Sequence[int], target: Sequence[int]) -> list[int]:
    """Flat positions in an array of ``shape`` for each element of its broadcast to ``target``."""
    pad = len(target) - len(shape)
    if pad < 0:
        raise ValueError(f"cannot broadcast shape {tuple(shape)} to {tuple(target)}")
    full = (1,) * pad + tuple(shape)
    base = strides_of(full)
    strides = []
    for d, t, st in zip(full, target, base, strict=True):
        if d == t:
            strides.append(st)
        elif d == 1:
            strides.append(0)
        else:
            raise ValueError(f"cannot broadcast shape {tuple(shape)} to {tuple(target)}")
    return gather_indices(0, target, strides)


def permuted_index_list(shape: Sequence[int], axes: Sequence[int]) -> list[int]:
    """Flat positions, in row-major order of the permuted shape, of ``permute_dims(x, axes)``."""
    st = strides_of(shape)
    return gather_indices(0, [shape[a] for a in axes], [st[a] for a in axes])


def reduction_groups(data: list, shape: Sequence[int], axes: tuple[int, ...]) -> tuple[tuple[int, ...], list[list]]:
    """Split ``data`` into one group per output element of a reduction over ``axes``.

    Returns (shape of the kept axes, groups); each group lists the reduced elements in
    row-major order of the reduced axes.
    """
    kept = [a for a in range(len(shape)) if a not in axes]
    order = permuted_index_list(shape, kept + list(axes))
    n = size_of([shape[a] for a in axes])
    out_shape = tuple(shape[a] for a in kept)
    count = size_of(out_shape)
    groups = [[data[i] for i in order[g * n:(g + 1) * n]] for g in range(count)]
    return out_shape, groups


def keepdims_shape(shape: Sequence[int], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if a in axes else d for a, d in enumerate(shape))


def moved_axis_lanes(shape: Sequence[int], axis: int) -> tuple[list[int], list[list[int]]]:
    """Flat positions of every 1-D lane along ``axis`` (lanes in row-major order of the other axes)."""
    others = [a for a in range(len(shape)) if a != axis]
    order = permuted_index_list(shape, others + [axis])
    n = shape[axis]
    lanes_count = size_of([shape[a] for a in others])
    return others, [order[g * n:(g + 1) * n] for g in range(lanes_count)]
