"""PyTorch's shims: the callables that map torch's names and signatures onto the tensor spec.

:func:`make_torch_overrides` builds the table (spec name -> callable; each callable's first
docstring line is shown in snippets), :data:`TABLE_SHIMS` declares it in the adapter's
metadata, one :class:`~accord.adapters.base.Shim` per reason. Values stay torch's own: every
shim only renames, reorders or re-spells arguments, or composes torch functions where torch
has none (``eye`` with an offset, ``isdtype``, ``__array_namespace_info__``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from accord.adapters.base import Shim
from accord.adapters.tensor._cumulative import cumulative_functions, cumulative_shim
from accord.adapters.tensor._unique import unique_functions, unique_shim
from accord.adapters.tensor.namespace_adapter import SPEC_DTYPES

_INFO = tuple(f"__array_namespace_info__.{n}"
              for n in ("capabilities", "default_dtypes", "dtypes", "devices", "default_device"))

#: every entry of make_torch_overrides' table, grouped by reason
TABLE_SHIMS: tuple[Shim, ...] = (
    Shim("renamed", ("equal", "bitwise_invert", "broadcast_arrays", "expand_dims", "permute_dims", "repeat",
                     "unstack", "take_along_axis", "max", "min"), "replace",
         "torch spells these eq (torch.equal compares whole tensors and returns one bool), bitwise_not, "
         "broadcast_tensors, unsqueeze, permute, repeat_interleave, unbind, take_along_dim, amax / amin "
         "(torch.max / torch.min take one dim and return (values, indices))"),
    Shim("array-methods", ("astype", "matrix_transpose"), "replace",
         "torch has no astype / matrix_transpose function: Tensor.to(dtype, copy=) and Tensor.mT"),
    cumulative_shim("torch has cumsum / cumprod, without include_initial: the identity is prepended with torch.cat"),
    unique_shim("torch has one torch.unique(return_inverse=, return_counts=) and no first-occurrence indices: "
                "unique_all's indices come from scatter_reduce(amin)"),
    Shim("equal-dtypes", ("matmul", "tensordot", "vecdot"), "wrap",
         "torch.matmul / tensordot / linalg.vecdot demand operands of one dtype: both are first cast to "
         "torch.promote_types of the two (tensordot's axes is torch's dims, vecdot's axis its dim)"),
    Shim("keyword-names", ("tril", "triu", "roll", "take", "linspace", "sum", "mean", "meshgrid"), "wrap",
         "torch names the standard's keywords differently: diagonal for k, shifts / dims for shift / axis, "
         "index_select's dim for axis, steps for num (endpoint=False takes num of num + 1 points), keepdim "
         "for keepdims (torch's keepdims alias needs an axis); meshgrid defaults to indexing='ij' where the "
         "standard has 'xy'"),
    Shim("argument-forms", ("arange", "clip", "concat", "count_nonzero", "flip", "full", "nonzero", "prod",
                            "reshape"), "wrap",
         "torch takes these arguments in other forms: arange(start, end) with no stop=None, clamp demanding "
         "a bound, cat without axis=None, count_nonzero / prod without keepdims or a tuple of axes, flip "
         "without dims=None, full without an int shape, nonzero without as_tuple=True, reshape without copy"),
    Shim("sorting", ("sort", "argsort"), "wrap",
         "torch.sort returns (values, indices) and both default to stable=False where the standard has "
         "stable=True: sort is torch.sort(...).values, both pass the standard's stable default"),
    Shim("eye-offset", ("eye",), "emulate", "torch.eye has no k: zeros with the k-th diagonal filled with 1"),
    Shim("dtype-functions", ("isdtype", "can_cast", "result_type"), "emulate",
         "torch has no isdtype (the standard's kind table over torch dtypes), can_cast takes no array, "
         "result_type takes two operands only (torch.promote_types is folded over arrays and dtypes)"),
    Shim("namespace-info", _INFO, "emulate",
         "torch has no __array_namespace_info__: its capabilities, default dtypes, dtypes, devices (the CPU and "
         "every CUDA device) and default device as the standard names them"),
)


def _kinds(torch: Any) -> dict[str, frozenset[Any]]:
    signed = frozenset({torch.int8, torch.int16, torch.int32, torch.int64})
    unsigned = frozenset({torch.uint8, torch.uint16, torch.uint32, torch.uint64})
    real = frozenset({torch.float16, torch.bfloat16, torch.float32, torch.float64})
    cplx = frozenset({torch.complex64, torch.complex128})
    return {
        "bool": frozenset({torch.bool}),
        "signed integer": signed,
        "unsigned integer": unsigned,
        "integral": signed | unsigned,
        "real floating": real,
        "complex floating": cplx,
        "numeric": signed | unsigned | real | cplx,
    }


def make_torch_overrides(torch: Any) -> dict[str, Callable[..., Any]]:
    """The name/signature mapping of torch onto the spec (see the module docstring)."""
    kinds = _kinds(torch)

    def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
        if axis is None:
            return tuple(range(ndim))
        axes = (axis,) if isinstance(axis, int) else tuple(axis)
        return tuple(a % ndim if ndim else a for a in axes)

    def equal(x1: Any, x2: Any, /) -> Any:
        """torch.eq (torch.equal compares whole tensors and returns one bool)"""
        return torch.eq(x1, x2)

    def bitwise_invert(x: Any, /) -> Any:
        """torch.bitwise_not"""
        return torch.bitwise_not(x)

    def broadcast_arrays(*arrays: Any) -> Any:
        """torch.broadcast_tensors"""
        return torch.broadcast_tensors(*arrays)

    def expand_dims(x: Any, /, axis: int) -> Any:
        """torch.unsqueeze(x, axis)"""
        return torch.unsqueeze(x, axis)

    def permute_dims(x: Any, /, axes: tuple[int, ...]) -> Any:
        """torch.permute(x, axes)"""
        return torch.permute(x, axes)

    def repeat(x: Any, repeats: Any, /, *, axis: int | None = None) -> Any:
        """torch.repeat_interleave(x, repeats, dim=axis)"""
        return torch.repeat_interleave(x, repeats, dim=axis)

    def unstack(x: Any, /, *, axis: int = 0) -> Any:
        """torch.unbind(x, dim=axis)"""
        return torch.unbind(x, dim=axis)

    def matrix_transpose(x: Any, /) -> Any:
        """x.mT"""
        return x.mT

    def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
        """torch.linalg.vecdot(x1, x2, dim=axis), both first cast to torch.promote_types of their dtypes"""
        return torch.linalg.vecdot(*_promoted(x1, x2), dim=axis)

    def take_along_axis(x: Any, indices: Any, /, *, axis: int = -1) -> Any:
        """torch.take_along_dim(x, indices, dim=axis)"""
        return torch.take_along_dim(x, indices, dim=axis)

    def astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Any:
        """x.to(dtype, copy=copy)"""
        return x.to(dtype, copy=copy)

    cumulative_sum, cumulative_prod = cumulative_functions(torch, "torch", torch.cat, "dim")

    def _first_indices(x: Any, values: Any, inverse: Any) -> Any:
        """scatter_reduce amin"""
        n = x.numel()
        first = torch.full((values.shape[0],), n, dtype=torch.int64)
        return first.scatter_reduce(0, inverse.reshape(-1), torch.arange(n), reduce="amin")

    unique_values, unique_counts, unique_inverse, unique_all = unique_functions(
        torch.unique, "torch.unique", _first_indices
    )

    def isdtype(dtype: Any, kind: Any) -> bool:
        """the standard's kind table over torch dtypes"""
        if isinstance(kind, tuple):
            return any(isdtype(dtype, k) for k in kind)
        if isinstance(kind, torch.dtype):
            return dtype == kind
        if kind not in kinds:
            raise ValueError(f"unknown dtype kind {kind!r}")
        return dtype in kinds[kind]

    def _promoted(x1: Any, x2: Any) -> tuple[Any, Any]:
        common = torch.promote_types(x1.dtype, x2.dtype)
        return x1.to(common), x2.to(common)

    def tensordot(x1: Any, x2: Any, /, *, axes: Any = 2) -> Any:
        """torch.tensordot(x1, x2, dims=axes), both first cast to torch.promote_types of their dtypes"""
        return torch.tensordot(*_promoted(x1, x2), dims=axes)

    def matmul(x1: Any, x2: Any, /) -> Any:
        """torch.matmul(x1, x2), both first cast to torch.promote_types of their dtypes"""
        return torch.matmul(*_promoted(x1, x2))

    def sum_(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Any:
        """torch.sum(x, dim=axis, dtype=dtype, keepdim=keepdims)"""
        return torch.sum(x, dim=axis, dtype=dtype, keepdim=keepdims)

    def mean(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Any:
        """torch.mean(x, dim=axis, keepdim=keepdims)"""
        return torch.mean(x, dim=axis, keepdim=keepdims)

    def meshgrid(*arrays: Any, indexing: str = "xy") -> Any:
        """torch.meshgrid(*arrays, indexing=indexing) with the standard's default 'xy' (torch's is 'ij')"""
        return torch.meshgrid(*arrays, indexing=indexing)

    def clip(x: Any, /, min: Any = None, max: Any = None) -> Any:  # noqa: A002 - the standard's names
        """torch.clamp(x, min, max); with neither bound a copy of x (torch.clamp demands one)"""
        if min is None and max is None:
            return x.clone()
        return torch.clamp(x, min, max)

    def tril(x: Any, /, *, k: int = 0) -> Any:
        """torch.tril(x, diagonal=k)"""
        return torch.tril(x, diagonal=k)

    def triu(x: Any, /, *, k: int = 0) -> Any:
        """torch.triu(x, diagonal=k)"""
        return torch.triu(x, diagonal=k)

    def roll(x: Any, /, shift: Any, *, axis: Any = None) -> Any:
        """torch.roll(x, shifts=shift, dims=axis)"""
        return torch.roll(x, shifts=shift, dims=axis)

    def flip(x: Any, /, *, axis: Any = None) -> Any:
        """torch.flip(x, dims=axis), axis=None -> every dimension"""
        return torch.flip(x, dims=_axes(axis, x.ndim))

    def eye(
        n_rows: int, n_cols: int | None = None, /, *, k: int = 0, dtype: Any = None, device: Any = None
    ) -> Any:
        """torch.zeros((n_rows, n_cols)) with the k-th diagonal filled with 1 (torch.eye has no k)"""
        out = torch.zeros((n_rows, n_rows if n_cols is None else n_cols), dtype=dtype)
        out.diagonal(k).fill_(1)
        return out

    def linspace(
        start: Any, stop: Any, /, num: int, *, dtype: Any = None, device: Any = None, endpoint: bool = True
    ) -> Any:
        """torch.linspace(start, stop, steps=num); endpoint=False takes num of num+1 points"""
        if endpoint:
            return torch.linspace(start, stop, steps=num, dtype=dtype)
        return torch.linspace(start, stop, steps=num + 1, dtype=dtype)[:-1]

    def arange(
        start: Any, /, stop: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None
    ) -> Any:
        """torch.arange(start, end=stop, step=step), stop=None counts from 0 to start"""
        if stop is None:
            start, stop = 0, start
        return torch.arange(start, stop, step, dtype=dtype)

    def _reduce_extreme(fn: Any) -> Callable[..., Any]:
        def reduce(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Any:
            return fn(x, dim=_axes(axis, x.ndim), keepdim=keepdims)

        return reduce

    max_ = _reduce_extreme(torch.amax)
    max_.__doc__ = "torch.amax(x, dim=axis, keepdim=keepdims)"
    min_ = _reduce_extreme(torch.amin)
    min_.__doc__ = "torch.amin(x, dim=axis, keepdim=keepdims)"

    def prod(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Any:
        """torch.prod over one dim; several axes are moved last and flattened first"""
        axes = _axes(axis, x.ndim)
        if len(axes) == 1:
            return torch.prod(x, dim=axes[0], dtype=dtype, keepdim=keepdims)
        rest = [a for a in range(x.ndim) if a not in axes]
        reduced = math.prod(x.shape[a] for a in axes)  # explicit: -1 is ambiguous for empty arrays
        moved = torch.permute(x, rest + list(axes)).reshape([x.shape[a] for a in rest] + [reduced])
        out = torch.prod(moved, dim=-1, dtype=dtype)
        if keepdims:
            out = out.reshape([1 if a in axes else x.shape[a] for a in range(x.ndim)])
        return out

    def sort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
        """torch.sort(x, dim=axis, descending=descending, stable=stable).values"""
        return torch.sort(x, dim=axis, descending=descending, stable=stable).values

    def argsort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
        """torch.argsort(x, dim=axis, descending=descending, stable=stable)"""
        return torch.argsort(x, dim=axis, descending=descending, stable=stable)

    def nonzero(x: Any, /) -> Any:
        """torch.nonzero(x, as_tuple=True)"""
        return torch.nonzero(x, as_tuple=True)

    def count_nonzero(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Any:
        """torch.count_nonzero(x, dim=axis), keepdims by reshaping"""
        axes = _axes(axis, x.ndim)
        out = torch.count_nonzero(x, dim=axes)
        if keepdims:
            out = out.reshape([1 if a in axes else x.shape[a] for a in range(x.ndim)])
        return out

    def take(x: Any, indices: Any, /, *, axis: int | None = None) -> Any:
        """torch.index_select(x, axis, indices); axis may be omitted for a 1-D x"""
        if axis is None:
            if x.ndim != 1:
                raise ValueError("axis is required for an array of more than one dimension")
            axis = 0
        return torch.index_select(x, axis, indices)

    def concat(arrays: Any, /, *, axis: int | None = 0) -> Any:
        """torch.cat(arrays, dim=axis); axis=None concatenates the flattened arrays"""
        if axis is None:
            return torch.cat([torch.reshape(a, (-1,)) for a in arrays])
        return torch.cat(list(arrays), dim=axis)

    def full(shape: Any, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Any:
        """torch.full, an int shape taken as (shape,)"""
        return torch.full((shape,) if isinstance(shape, int) else tuple(shape), fill_value, dtype=dtype)

    def reshape(x: Any, /, shape: Any, *, copy: bool | None = None) -> Any:
        """torch.reshape; copy=True clones, copy=False uses Tensor.view (raises if a copy is needed)"""
        if copy is False:
            return x.view(shape)
        out = torch.reshape(x, shape)
        return out.clone() if copy else out

    def can_cast(from_: Any, to: Any, /) -> bool:
        """torch.can_cast on dtypes (an array's dtype when given an array)"""
        return torch.can_cast(from_.dtype if isinstance(from_, torch.Tensor) else from_, to)

    def result_type(*arrays_and_dtypes: Any) -> Any:
        """torch.promote_types folded over arrays' dtypes and dtypes; Python scalars via torch.result_type"""
        dtypes = [a.dtype if isinstance(a, torch.Tensor) else a for a in arrays_and_dtypes]
        typed = [d for d in dtypes if isinstance(d, torch.dtype)]
        if not typed:
            raise ValueError("result_type needs at least one array or dtype")
        out = functools.reduce(torch.promote_types, typed)
        for scalar in (d for d in dtypes if not isinstance(d, torch.dtype)):
            out = torch.result_type(torch.empty((1,), dtype=out), scalar)
        return out

    def capabilities() -> dict[str, Any]:
        """torch has no __array_namespace_info__: its capabilities as the standard names them"""
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_dtypes(*, device: Any = None) -> dict[str, Any]:
        """torch's defaults: torch.get_default_dtype() for real floating, int64 for integers"""
        real = torch.get_default_dtype()
        cplx = torch.complex128 if real == torch.float64 else torch.complex64
        return {
            "real floating": real,
            "complex floating": cplx,
            "integral": torch.int64,
            "indexing": torch.int64,
        }

    def dtypes(*, device: Any = None, kind: Any = None) -> dict[str, Any]:
        """the spec's dtypes that torch has, filtered by kind"""
        out = {n: getattr(torch, n) for n in SPEC_DTYPES}
        return {n: d for n, d in out.items() if kind is None or isdtype(d, kind)}

    def devices() -> list[Any]:
        """the CPU, then every CUDA device torch sees"""
        return [torch.device("cpu")] + [torch.device("cuda", i) for i in range(torch.cuda.device_count())]

    def default_device() -> Any:
        """where torch creates tensors unless told (torch.get_default_device)"""
        return torch.get_default_device()

    table = {
        name: value
        for name, value in locals().items()
        if callable(value) and not name.startswith("_") and name not in {"torch", "kinds"}
    }
    table["max"] = table.pop("max_")
    table["sum"] = table.pop("sum_")
    table["min"] = table.pop("min_")
    for info in ("capabilities", "default_dtypes", "dtypes", "devices", "default_device"):
        table["__array_namespace_info__." + info] = table.pop(info)
    return table

