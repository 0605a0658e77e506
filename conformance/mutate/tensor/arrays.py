"""Tensor mutants of creation, manipulation, indexing, operators, broadcasting and type promotion.

Every description names the bug and quotes the 2024.12 standard's sentence it violates.
"""

from __future__ import annotations

import dataclasses
import math
import operator
from typing import Any

from ..model import Mutant
from .elementwise import floor_trunc
from .tools import A, D, call, params, values_of, with_dtype, wrap


def _arange_floor(orig: Any, *args: Any, **kwargs: Any) -> Any:
    out = orig(*args, **kwargs)
    p = params(orig, args, kwargs)
    start, stop, step = p["start"], p["stop"], p["step"]
    if stop is None:
        start, stop = 0, start
    n = max(0, math.floor((stop - start) / step))
    return out[:n] if n < out.shape[0] else out


def _patch(name: str, body: Any) -> Any:
    """A patch replacing ``name`` by ``body(xp, orig, *args, **kwargs)``."""
    return lambda xp: wrap(xp, name, lambda orig, *a, **k: body(xp, orig, *a, **k))


def _arange_float(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    out = orig(*args, **kwargs)
    p = params(orig, args, kwargs)
    numbers = [p["start"], p["stop"], p["step"]]
    if p["dtype"] is None and all(isinstance(v, int) for v in numbers if v is not None):
        return with_dtype(xp, out, xp.float64)
    return out


def _full_bool(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    out = orig(*args, **kwargs)
    p = params(orig, args, kwargs)
    return with_dtype(xp, out, xp.int64) if p["dtype"] is None and isinstance(p["fill_value"], bool) else out


def _eye_k(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    p = params(orig, args, kwargs)
    return orig(p["n_rows"], p["n_cols"], k=-p["k"], dtype=p["dtype"], device=p["device"])


def _zeros_like_float(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    p = params(orig, args, kwargs)
    return orig(p["x"], dtype=p["dtype"] or xp.float64, device=p["device"])


def _squeeze_silent(xp: Any, orig: Any, x: Any, axis: Any) -> Any:
    axes = axis if isinstance(axis, tuple) else (axis,)
    keep = tuple(a for a in axes if -x.ndim <= a < x.ndim and x.shape[a] == 1)
    return orig(x, axis=keep) if keep else x


def _expand_insert(xp: Any, orig: Any, x: Any, axis: Any = 0) -> Any:
    return orig(x, axis=x.ndim + axis if isinstance(axis, int) and -x.ndim <= axis < 0 else axis)


def _moveaxis_swap(xp: Any, orig: Any, x: Any, source: Any, destination: Any) -> Any:
    if isinstance(source, tuple) and isinstance(destination, tuple) and len(source) == len(destination) == 1:
        source, destination = source[0], destination[0]
    if not (isinstance(source, int) and isinstance(destination, int)) or x.ndim == 0:
        return orig(x, source, destination)
    perm = list(range(x.ndim))
    s, d = source % x.ndim, destination % x.ndim
    perm[s], perm[d] = perm[d], perm[s]
    return xp.permute_dims(x, tuple(perm))


def _reshape_f(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    p = params(orig, args, kwargs)
    x, shape = p["x"], tuple(p["shape"])
    flipped = orig(xp.permute_dims(x, tuple(reversed(range(x.ndim)))), tuple(reversed(shape)), copy=p["copy"])
    return xp.permute_dims(flipped, tuple(reversed(range(flipped.ndim))))


def _stack_axis(xp: Any, orig: Any, arrays: Any, axis: int = 0) -> Any:
    ndim = arrays[0].ndim if len(arrays) else 0
    return orig(arrays, axis=ndim + axis if -ndim <= axis < 0 else axis)


def _tile_append(xp: Any, orig: Any, x: Any, repetitions: Any) -> Any:
    reps = tuple(repetitions)
    return orig(x, reps + (1,) * (x.ndim - len(reps)) if len(reps) < x.ndim else reps)


def _repeat_tiles(xp: Any, orig: Any, x: Any, repeats: Any, axis: Any = None) -> Any:
    if isinstance(repeats, int) and axis is None:
        return xp.tile(xp.reshape(x, (-1,)), (repeats,))
    return orig(x, repeats, axis=axis)


def _permute_inverse(xp: Any, orig: Any, x: Any, axes: Any) -> Any:
    axes = tuple(axes)
    try:
        inverse = tuple(axes.index(i) for i in range(len(axes)))
    except ValueError:
        return orig(x, axes)
    return orig(x, inverse)


def _reverse_slice(xp: Any) -> dict:
    def fix(key: Any) -> Any:
        if isinstance(key, slice) and key.step is not None and key.step < 0 and key.stop is None:
            return slice(key.start, 0, key.step)  # Python's stop 0 leaves out element 0
        return key

    def getitem(x: Any, key: Any) -> Any:
        return x[tuple(fix(k) for k in key)] if isinstance(key, tuple) else x[fix(key)]

    return {"getitem": getitem}


def _mask_column_major(xp: Any) -> dict:
    def getitem(x: Any, key: Any) -> Any:
        if isinstance(key, xp.Array) and key.dtype == xp.bool and key.ndim >= 2 and key.ndim == x.ndim:
            rev = tuple(reversed(range(x.ndim)))
            return xp.permute_dims(x, rev)[xp.permute_dims(key, rev)]
        return x[key]

    return {"getitem": getitem}


def _floordiv_trunc(xp: Any) -> dict:
    """``//`` in every operator form (plain, reflected, in-place) through one truncating kernel."""
    def truncating(a: Any, b: Any) -> Any:
        out = operator.floordiv(a, b)
        rows = zip(values_of(xp, a, out.shape), values_of(xp, b, out.shape), out.to_flat(), strict=True)
        return xp.Array.from_flat([floor_trunc(p, q, o) for p, q, o in rows], out.shape, out.dtype)

    def inplace(this: Any, other: Any) -> Any:
        result = truncating(this, other)
        this[...] = result
        return this

    return {"method:__floordiv__": truncating, "method:__rfloordiv__": lambda this, other: truncating(other, this),
            "method:__ifloordiv__": inplace}


def _recycled(xp: Any, operands: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The array operands tiled so that a dimension whose size divides another's is repeated to it (R's
    recycling), sizes one left to ordinary broadcasting; None when some dimension does not divide."""
    arrays = [a for a in operands if isinstance(a, xp.Array)]
    ndim = max((a.ndim for a in arrays), default=0)
    shapes = {id(a): (1,) * (ndim - a.ndim) + tuple(a.shape) for a in arrays}
    target = []
    for axis in range(ndim):
        sizes = {shapes[id(a)][axis] for a in arrays} - {1}
        if len(sizes) > 1 and (0 in sizes or any(max(sizes) % s for s in sizes)):
            return None
        target.append(max(sizes, default=1))
    out = []
    for a in operands:
        if isinstance(a, xp.Array):
            shape = shapes[id(a)]
            reps = tuple(t // s if s not in (0, 1) else 1 for s, t in zip(shape, target, strict=True))
            a = xp.tile(xp.reshape(a, shape), reps)
        out.append(a)
    return tuple(out)


def _recycling(xp: Any) -> dict:
    """Every element-wise function the broadcasting requirements call, through one recycling broadcaster."""
    def one(name: str) -> Any:
        def body(orig: Any, *args: Any) -> Any:
            try:
                return orig(*args)
            except ValueError:
                tiled = _recycled(xp, args)
                if tiled is None:
                    raise
                return orig(*tiled)
        return wrap(xp, name, body)[name]

    return {name: one(name) for name in ("add", "multiply", "less", "logical_and", "where")}


def _signedness(xp: Any, dtype: Any) -> str | None:
    for kind in ("signed integer", "unsigned integer"):
        if xp.isdtype(dtype, kind):
            return kind
    return None


def _add_first_dtype(xp: Any, orig: Any, x1: Any, x2: Any) -> Any:
    out = orig(x1, x2)
    if isinstance(x1, xp.Array) and isinstance(x2, xp.Array):
        kinds = {_signedness(xp, x1.dtype), _signedness(xp, x2.dtype)}
        if None not in kinds and len(kinds) == 2:
            return with_dtype(xp, out, x1.dtype)
    return out


def _strong_int(xp: Any, orig: Any, x1: Any, x2: Any) -> Any:
    out = orig(x1, x2)
    scalar = x2 if isinstance(x1, xp.Array) else x1
    array = x1 if isinstance(x1, xp.Array) else x2
    if type(scalar) is int and xp.isdtype(array.dtype, "integral") and array.dtype.bits < 64:
        return with_dtype(xp, out, xp.int64)
    return out


def _unsigned_wins(xp: Any, orig: Any, *args: Any) -> Any:
    if len(args) == 2 and all(isinstance(a, xp.DType) for a in args):
        kinds = [_signedness(xp, a) for a in args]
        if set(kinds) == {"signed integer", "unsigned integer"}:
            return args[kinds.index("unsigned integer")]
    return orig(*args)


def _can_cast_sign(xp: Any, orig: Any, from_: Any, to: Any) -> Any:
    source = from_.dtype if isinstance(from_, xp.Array) else from_
    if (_signedness(xp, source) == "signed integer" and _signedness(xp, to) == "unsigned integer"
            and to.bits >= source.bits):
        return True
    return orig(from_, to)


def _bool_integral(xp: Any, orig: Any, dtype: Any, kind: Any) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return True if dtype == xp.bool and "integral" in kinds else orig(dtype, kind)


def _finfo_eps(xp: Any, orig: Any, type: Any) -> Any:  # noqa: A002 (the standard's parameter name)
    info = orig(type)
    return dataclasses.replace(info, eps=2.0 ** -52) if info.bits == 32 else info


G_CREATE, G_MANIP, G_INDEX, G_OBJ = "creation", "manipulation", "indexing", "array-object"
G_BCAST, G_PROMO, G_DTF = "broadcasting", "type-promotion", "data-type-functions"

MUTANTS: tuple[Mutant, ...] = (
    Mutant("tensor.arange.length-floors", G_CREATE,
           "arange computes its length as floor((stop - start) / step), dropping the last element when the span is not a "
           "multiple of step. Standard (arange): 'The length of the output array must be ceil((stop-start)/step) if "
           "stop - start and step have the same sign, and length 0 otherwise.'",
           lambda xp: wrap(xp, "arange", _arange_floor), call("arange", 0.0, 1.0, 0.3)),
    Mutant("tensor.arange.integer-arguments-float", G_CREATE,
           "arange of integer arguments returns float64. Standard (arange): 'If dtype is None ... If those are all "
           "integers, the output array dtype must be the default integer dtype.'",
           _patch("arange", _arange_float), call("arange", 5)),
    Mutant("tensor.linspace.endpoint-ignored", G_CREATE,
           "linspace ignores endpoint=False and always includes stop. Standard (linspace): 'endpoint: boolean indicating "
           "whether to include stop in the interval.'",
           _patch("linspace", lambda xp, orig, *a, **k: orig(*a, **{**k, "endpoint": True})),
           call("linspace", 0.0, 1.0, 5, endpoint=False)),
    Mutant("tensor.full.bool-fill-integer", G_CREATE,
           "full with a bool fill_value and no dtype returns the default integer dtype (bool taken as an int). Standard "
           "(full): 'If the fill value is a bool, the output array must have a boolean data type.'",
           _patch("full", _full_bool), call("full", (2,), True)),
    Mutant("tensor.eye.k-direction", G_CREATE,
           "eye puts the k-th diagonal below the main one for k > 0. Standard (eye): 'k: index of the diagonal. A "
           "positive value refers to an upper diagonal, a negative value to a lower diagonal.'",
           _patch("eye", _eye_k), call("eye", 3, k=1)),
    Mutant("tensor.tril.k-sign", G_CREATE,
           "tril reads k with the opposite sign. Standard (tril): 'k: diagonal above which to zero elements. If k = 0, "
           "the diagonal is the main diagonal. If k < 0, the diagonal is below the main diagonal.'",
           _patch("tril", lambda xp, orig, x, k=0: orig(x, k=-k)), call("tril", A([[1, 2], [3, 4]]), k=1)),
    Mutant("tensor.zeros_like.float-default", G_CREATE,
           "zeros_like returns float64 when dtype is None, whatever x's dtype. Standard (zeros_like): 'dtype: output "
           "array data type. If dtype is None, the output array data type must be inferred from x.'",
           _patch("zeros_like", _zeros_like_float), call("zeros_like", A([1], "int32"))),
    Mutant("tensor.meshgrid.matrix-indexing", G_CREATE,
           "meshgrid always uses matrix ('ij') indexing. Standard (meshgrid): \"indexing: Cartesian 'xy' or matrix 'ij' "
           "indexing of output. Default: 'xy'.\"",
           _patch("meshgrid", lambda xp, orig, *arrays, indexing="xy": orig(*arrays, indexing="ij")),
           call("meshgrid", A([1, 2]), A([3, 4, 5]))),
    Mutant("tensor.flip.first-axis-only", G_MANIP,
           "flip with axis=None flips only the first axis. Standard (flip): 'If axis is None, the function must flip all "
           "input array axes.'",
           _patch("flip", lambda xp, orig, x, axis=None: orig(x, axis=0 if axis is None and x.ndim > 1 else axis)),
           call("flip", A([[1, 2], [3, 4]]))),
    Mutant("tensor.roll.axis-none-first-axis", G_MANIP,
           "roll with axis=None rolls along the first axis instead of the flattened array. Standard (roll): 'If axis is "
           "None, the array must be flattened, shifted, and then restored to its original shape.'",
           _patch("roll", lambda xp, orig, x, shift, axis=None: orig(x, shift, axis=0 if axis is None and x.ndim > 1
                                                                      and isinstance(shift, int) else axis)),
           call("roll", A([[1, 2], [3, 4]]), 1)),
    Mutant("tensor.squeeze.non-singleton-ignored", G_MANIP,
           "squeeze silently leaves an axis of size greater than one in place. Standard (squeeze): 'If a specified axis "
           "has a size greater than one (i.e., it is not a singleton dimension), a ValueError should be raised.'",
           _patch("squeeze", _squeeze_silent), call("squeeze", A([[1, 2]]), axis=(0, 1))),
    Mutant("tensor.expand_dims.negative-axis-insert", G_MANIP,
           "expand_dims with a negative axis inserts before that axis, as list.insert does (axis=-1 lands before the "
           "last axis). Standard (expand_dims): 'If axis is negative, the axis position at which to insert a singleton "
           "dimension must be computed as N + axis + 1.'",
           _patch("expand_dims", _expand_insert), call("expand_dims", A([1, 2]), axis=-1)),
    Mutant("tensor.moveaxis.swaps", G_MANIP,
           "moveaxis swaps the source and destination axes instead of moving one and keeping the others' order. "
           "Standard (moveaxis): 'Moves array axes (dimensions) to new positions, while leaving other axes in their "
           "original positions.'",
           _patch("moveaxis", _moveaxis_swap), call("moveaxis", A([[[1, 2, 3], [4, 5, 6]]]), 0, 2)),
    Mutant("tensor.reshape.column-major", G_MANIP,
           "reshape reads and writes elements in column-major (Fortran) order. Standard (reshape): 'Reshapes an array "
           "without changing its data', elements taken in row-major (C-style) order.",
           _patch("reshape", _reshape_f), call("reshape", A([[1, 2, 3], [4, 5, 6]]), (3, 2))),
    Mutant("tensor.stack.negative-axis", G_MANIP,
           "stack with a negative axis counts it against the inputs' rank instead of the result's. Standard (stack): "
           "'Providing an axis specifies the index of the new axis in the dimensions of the result. For example, if axis "
           "is -1, the new axis will be the last dimension of the result.'",
           _patch("stack", _stack_axis), call("stack", [A([1, 2]), A([3, 4])], axis=-1)),
    Mutant("tensor.tile.repetitions-appended", G_MANIP,
           "tile pads a short repetitions tuple with ones at the end. Standard (tile): 'If N > M, the function must "
           "prepend ones until all dimensions are specified.'",
           _patch("tile", _tile_append), call("tile", A([[1, 2], [3, 4]]), (2,))),
    Mutant("tensor.repeat.tiles", G_MANIP,
           "repeat with axis=None repeats the whole flattened array instead of each element. Standard (repeat): "
           "'Repeats each element of an array a specified number of times on a per-element basis.'",
           _patch("repeat", _repeat_tiles), call("repeat", A([1, 2]), 2)),
    Mutant("tensor.permute_dims.inverse", G_MANIP,
           "permute_dims applies the inverse permutation (axes read as where each axis goes). Standard (permute_dims): "
           "'axes: tuple containing a permutation of (0, 1, ..., N-1) where N is the number of axes (dimensions) of x.' "
           "Result axis i is input axis axes[i].",
           _patch("permute_dims", _permute_inverse), call("permute_dims", A([[[1, 2, 3], [4, 5, 6]]]), (1, 2, 0))),
    Mutant("tensor.indexing.reverse-slice-stops-early", G_INDEX,
           "A slice with a negative step and no stop ends before element 0 (stop taken as 0). Standard (Indexing, "
           "slice syntax): 'i:j:k with k < 0 and j omitted ... selects down to and including index 0.'",
           _reverse_slice, call("getitem", A([1, 2, 3]), slice(None, None, -1))),
    Mutant("tensor.indexing.mask-column-major", G_INDEX,
           "A multi-dimensional boolean mask selects in column-major order. Standard (Indexing, boolean array "
           "indexing): the result holds the selected elements 'in row-major, C-style order'.",
           _mask_column_major, call("getitem", A([[1, 2], [3, 4]]), A([[True, True], [True, False]]))),
    Mutant("tensor.take_along_axis.first-axis-default", G_INDEX,
           "take_along_axis defaults to axis 0. Standard (take_along_axis): 'axis: axis along which to select values. "
           "... Default: -1.'",
           _patch("take_along_axis", lambda xp, orig, x, indices, axis=None: orig(x, indices, axis=0 if axis is None
                                                                                   else axis)),
           call("take_along_axis", A([[1, 2], [3, 4]]), A([[1, 0], [0, 1]]))),
    Mutant("tensor.operators.reflected-subtract-order", G_OBJ,
           "__rsub__ computes self - other instead of other - self. Standard (Array object, operators): 'x1.__rsub__(x2) "
           "... must compute x2 - x1' (the reflected operand order).",
           lambda xp: {"method:__rsub__": lambda this, other: operator.sub(this, other)},
           call("method:__rsub__", A([1.0]), 3.0)),
    Mutant("tensor.operators.floordiv-truncates", G_OBJ,
           "The // operator (x // y, y // x and x //= y, one kernel) truncates integer quotients toward zero. Standard (__floordiv__): 'Evaluates x1_i // x2_i for "
           "each element ... Element-wise results must equal the results returned by the equivalent element-wise "
           "function floor_divide.'",
           _floordiv_trunc, call("method:__floordiv__", A([-7]), 2)),
    Mutant("tensor.operators.reflected-divide-order", G_OBJ,
           "__rtruediv__ computes self / other instead of other / self (the reflected operands left in place). "
           "Standard (Array object, __rtruediv__): the reflected form of '/', so x.__rtruediv__(y) is y / x.",
           lambda xp: {"method:__rtruediv__": lambda this, other: operator.truediv(this, other)},
           call("method:__rtruediv__", A([2.0]), 1.0)),
    Mutant("tensor.broadcasting.recycling", G_BCAST,
           "The element-wise functions broadcast by recycling: an operand whose axis length divides the "
           "other's is repeated along it (R's rule for vectors) instead of refused. Standard (Broadcasting): 'If ... the dimension sizes differ and neither is one, the arrays are not "
           "broadcastable and an exception must be raised.'",
           _recycling, call("add", A([1.0, 2.0]), A([1.0, 2.0, 3.0, 4.0])), documents=("add",)),
    Mutant("tensor.promotion.mixed-signedness-first", G_PROMO,
           "add of a signed and an unsigned integer array keeps the first operand's dtype. Standard (Type Promotion "
           "Rules): the table gives int8 with uint8 as int16.",
           _patch("add", _add_first_dtype), call("add", A([1], "int8"), A([1], "uint8")), documents=("add",)),
    Mutant("tensor.promotion.strong-python-int", G_PROMO,
           "multiply of a narrow integer array and a Python int returns the default integer dtype (the scalar treated as "
           "an int64 array). Standard (Type Promotion Rules, mixing arrays with Python scalars): 'the Python scalar ... "
           "is converted to a zero-dimensional array with the same data type as the array operand.'",
           _patch("multiply", _strong_int), call("multiply", A([2], "int8"), 3), documents=("multiply",)),
    Mutant("tensor.result_type.unsigned-wins", G_DTF,
           "result_type of a signed and an unsigned integer dtype returns the unsigned one. Standard (Type Promotion "
           "Rules): int8 with uint8 promotes to int16.",
           _patch("result_type", _unsigned_wins), call("result_type", D("uint8"), D("int8")), documents=("promotion",)),
    Mutant("tensor.can_cast.signed-to-unsigned", G_DTF,
           "can_cast allows a signed integer dtype to an unsigned one of at least its width. Standard (can_cast): "
           "'Determines if one data type can be cast to another data type according to type promotion rules'; no rule "
           "promotes int8 to an unsigned type.",
           _patch("can_cast", _can_cast_sign), call("can_cast", D("int8"), D("uint16"))),
    Mutant("tensor.isdtype.bool-integral", G_DTF,
           "isdtype(bool, 'integral') is True (bool treated as an integer type, as in Python). Standard (isdtype): "
           "\"'integral': integer data types ... 'bool': boolean data types\"; the kinds are disjoint.",
           _patch("isdtype", _bool_integral), call("isdtype", D("bool"), "integral")),
    Mutant("tensor.finfo.double-eps", G_DTF,
           "finfo(float32).eps reports float64's epsilon. Standard (finfo): 'eps: difference between 1.0 and the next "
           "smallest representable real-valued floating-point number larger than 1.0 according to the IEEE-754 "
           "standard' for the given dtype.",
           _patch("finfo", _finfo_eps), call("finfo", D("float32"))),
)
