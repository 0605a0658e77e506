"""Manipulation functions: broadcasting, concatenation, axes, reshaping, repetition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import oracle
from .base import MAX_DIMS, MAX_SIDE, Inputs, array, axis_for, draws, shapes, x_of


@draws("broadcast_arrays")
def _broadcast_arrays(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
    n = draw(st.integers(1, 3))
    found = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=MAX_DIMS, max_side=MAX_SIDE)).input_shapes
    return oracle.call("broadcast_arrays", *[draw(array(dtype, s, inputs)) for s in found])


def _trailing(draw: Callable, target: list[int], min_dims: int = 0) -> list[int]:
    """A shape that broadcasts to ``target``: its last dimensions (at least ``min_dims``), some set to 1."""
    ndim = draw(st.integers(min_dims, len(target)))
    return [1 if draw(st.booleans()) else n for n in target[len(target) - ndim:]]


@draws("broadcast_shapes")
def _broadcast_shapes(draw: Callable, inputs: Inputs) -> dict:
    """None to four broadcast-compatible shapes: different lengths, size-1 and size-0 dimensions come often."""
    target = list(draw(shapes(max_dims=4, max_side=3)))
    found = [tuple(_trailing(draw, target)) for _ in range(draw(st.integers(0, 4)))]
    return oracle.call("broadcast_shapes", *found)


@draws("broadcast_shapes-incompatible")
def _broadcast_shapes_incompatible(draw: Callable, inputs: Inputs) -> dict:
    """Two to four shapes that do not broadcast: two of them hold different sizes, neither 1, at one position
    counted from the last (the others are compatible with everything), in any order."""
    target = list(draw(shapes(min_dims=1, max_dims=4, max_side=3)))
    k = draw(st.integers(1, len(target)))  # the clashing position, counted from the last
    a, b = draw(st.permutations([0, 2, 3]))[:2]
    first, second = _trailing(draw, target, min_dims=k), _trailing(draw, target, min_dims=k)
    first[-k], second[-k] = a, b
    others = [_trailing(draw, target) for _ in range(draw(st.integers(0, 2)))]
    found = draw(st.permutations([first, second, *others]))
    return oracle.call("broadcast_shapes", *(tuple(s) for s in found))


@draws("broadcast_to")
def _broadcast_to(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs, max_side=3)
    target = [draw(st.integers(0, 3)) if n == 1 else n for n in xv.shape]
    lead = draw(st.lists(st.integers(0, 3), max_size=2))
    return oracle.call("broadcast_to", x, tuple(lead + target))


@draws("concat")
def _concat(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
    shape = list(draw(shapes(max_side=3)))
    n = draw(st.integers(1, 3))
    if not shape or draw(st.integers(0, 4)) == 0:
        arrays = [draw(array(dtype, draw(shapes(max_side=3)), inputs)) for _ in range(n)]
        return oracle.call("concat", arrays, axis=None)
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    arrays = []
    for _ in range(n):
        shape[axis] = draw(st.integers(0, 3))
        arrays.append(draw(array(dtype, tuple(shape), inputs)))
    kwargs = {"axis": axis} if axis != 0 or draw(st.booleans()) else {}
    return oracle.call("concat", arrays, **kwargs)


@draws("expand_dims")
def _expand_dims(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs)
    if draw(st.booleans()):
        out = xv.ndim + 1
        return oracle.call("expand_dims", x, axis=draw(st.integers(-out, out - 1)))
    k = draw(st.integers(1, 2))
    out = xv.ndim + k
    picked = draw(st.lists(st.integers(0, out - 1), min_size=k, max_size=k, unique=True))
    return oracle.call("expand_dims", x, axis=tuple(draw(st.sampled_from([a, a - out])) for a in picked))


@draws("flip")
def _flip(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs)
    axis = axis_for(draw, xv.ndim, many=True)
    return oracle.call("flip", x, **({"axis": axis} if axis is not None else {}))


@draws("moveaxis")
def _moveaxis(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs, min_dims=1)
    n = xv.ndim
    k = draw(st.integers(1, n))
    src = draw(st.lists(st.integers(-n, n - 1), min_size=k, max_size=k, unique_by=lambda a: a % n))
    dst = draw(st.lists(st.integers(-n, n - 1), min_size=k, max_size=k, unique_by=lambda a: a % n))
    if k == 1 and draw(st.booleans()):
        return oracle.call("moveaxis", x, src[0], dst[0])
    return oracle.call("moveaxis", x, tuple(src), tuple(dst))


@draws("permute_dims")
def _permute_dims(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs)
    axes = draw(st.permutations(range(xv.ndim)))
    if "negative-axes" in inputs.spec.get("edges", ()):  # 2025.12: an axis may be counted from the last
        axes = [draw(st.sampled_from([a, a - xv.ndim])) for a in axes]
    return oracle.call("permute_dims", x, tuple(axes))


@draws("repeat")
def _repeat(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs, min_dims=1)
    axis = axis_for(draw, xv.ndim)
    n = xv.size if axis is None else xv.shape[axis]
    if draw(st.booleans()):
        repeats = draw(st.integers(0, 3))
    else:
        repeats = np.asarray(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    return oracle.call("repeat", x, repeats, **({"axis": axis} if axis is not None else {}))


@draws("reshape")
def _reshape(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs)
    size = xv.size
    options = [(size,), tuple(reversed(xv.shape)), (1, size), (size, 1), (-1,)]
    if size:
        options.append((-1, 1))
        for d in range(2, 5):
            if size % d == 0:
                options += [(d, size // d), (d, -1)]
    return oracle.call("reshape", x, draw(st.sampled_from(options)))


@draws("roll")
def _roll(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs)
    axis = axis_for(draw, xv.ndim, many=True)
    if isinstance(axis, tuple):
        shift: Any = tuple(draw(st.integers(-7, 7)) for _ in axis)
    else:
        shift = draw(st.integers(-7, 7))
    return oracle.call("roll", x, shift, **({"axis": axis} if axis is not None else {}))


@draws("squeeze")
def _squeeze(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    shape = list(draw(shapes(max_side=3)))
    k = draw(st.integers(1, 2))
    for _ in range(k):
        shape.insert(draw(st.integers(0, len(shape))), 1)
    x = draw(array(dtype, tuple(shape), inputs))
    ones = [i for i, n in enumerate(shape) if n == 1]
    picked = draw(st.lists(st.sampled_from(ones), min_size=1, max_size=len(ones), unique=True))
    picked = [draw(st.sampled_from([a, a - len(shape)])) for a in picked]
    return oracle.call("squeeze", x, picked[0] if len(picked) == 1 and draw(st.booleans()) else tuple(picked))


@draws("stack")
def _stack(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
    shape = draw(shapes(max_side=3))
    arrays = [draw(array(dtype, shape, inputs)) for _ in range(draw(st.integers(1, 3)))]
    out = len(shape) + 1
    return oracle.call("stack", arrays, axis=draw(st.integers(-out, out - 1)))


@draws("tile")
def _tile(draw: Callable, inputs: Inputs) -> dict:
    x, _ = x_of(draw, inputs, max_side=3)
    return oracle.call("tile", x, tuple(draw(st.lists(st.integers(0, 3), max_size=3))))


@draws("unstack")
def _unstack(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs, min_dims=1)
    return oracle.call("unstack", x, axis=draw(st.integers(-xv.ndim, xv.ndim - 1)))
