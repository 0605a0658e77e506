"""The array object's operators, indexing, ``.T`` / ``.mT`` and ``__array_namespace__``.

They delegate to the functions, so the rules (type promotion, Python-scalar mixing, special
cases, the standard's "Indexing" page) live in one place: ``elementwise``, ``linalg.matmul`` /
``matrix_transpose`` and ``slicing.resolve_key``. Those modules import ``array``; this one imports
them and attaches the methods to ``Array`` (``install``, called once by the package), so imports
only go one way. In-place operators compute the out-of-place result and refuse any change of dtype
or shape, as the standard requires ("an in-place operation must not change the data type or shape").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from . import _helpers as h
from . import dtypes as dt
from . import elementwise as ew
from .array import Array
from .linalg import matmul, matrix_transpose
from .slicing import resolve_key

_OPERANDS = (Array, bool, int, float, complex)

BINARY: dict[str, Callable[[Any, Any], Array]] = {
    "add": ew.add, "sub": ew.subtract, "mul": ew.multiply, "truediv": ew.divide,
    "floordiv": ew.floor_divide, "mod": ew.remainder, "pow": ew.pow, "matmul": matmul,
    "and": ew.bitwise_and, "or": ew.bitwise_or, "xor": ew.bitwise_xor,
    "lshift": ew.bitwise_left_shift, "rshift": ew.bitwise_right_shift,
}
COMPARISON: dict[str, Callable[[Any, Any], Array]] = {
    "eq": ew.equal, "ne": ew.not_equal, "lt": ew.less, "le": ew.less_equal,
    "gt": ew.greater, "ge": ew.greater_equal,
}
UNARY: dict[str, Callable[[Array], Array]] = {
    "pos": ew.positive, "neg": ew.negative, "abs": ew.abs, "invert": ew.bitwise_invert,
}


def getitem(self: Array, key: Any) -> Array:
    shape, positions = resolve_key(self, key)
    data = self._data
    return Array([data[i] for i in positions], shape, self._dtype)


def setitem(self: Array, key: Any, value: Any) -> None:
    shape, positions = resolve_key(self, key)
    values = _setitem_values(self._dtype, value, shape)
    for i, v in zip(positions, values, strict=True):
        self._data[i] = v


def _setitem_values(dtype: dt.DType, value: Any, shape: tuple[int, ...]) -> list:
    """Values for ``x[key] = value``: a Python scalar or an array broadcast to the selection."""
    if isinstance(value, Array):
        if dt.promote_types(dtype, value.dtype) is not dtype:
            raise TypeError(f"cannot assign a {value.dtype.name} array into a {dtype.name} array")
        src = value._data
        return [dt.cast_scalar(src[i], dtype) for i in h.broadcast_index_list(value.shape, shape)]
    dt.promote_with_scalar(dtype, value)  # raises TypeError for kinds the standard does not allow
    if isinstance(value, complex) and not dtype.is_complex:
        raise TypeError(f"cannot assign a complex scalar into a {dtype.name} array")
    if dtype.is_integer:
        lo, hi = dt.int_bounds(dtype)
        if not lo <= value <= hi:
            raise OverflowError(f"Python int {value} out of bounds for {dtype.name}")
    v = dt.cast_scalar(value, dtype)
    return [v] * h.size_of(shape)


def transpose_2d(self: Array) -> Array:
    """Transpose of a two-dimensional array (the standard defines ``.T`` for 2-D only)."""
    if self.ndim != 2:
        raise ValueError(f"x.T requires a two-dimensional array, got {self.ndim} dimensions")
    return matrix_transpose(self)


def array_namespace(self: Array, /, *, api_version: str | None = None) -> Any:
    """The package itself (looked up by name at call time: it is the module importing this one)."""
    if api_version not in (None, "2024.12", "2023.12", "2022.12", "2021.12"):
        raise ValueError(f"unsupported api_version {api_version!r}")
    return importlib.import_module(__package__)


def install() -> None:
    """Attach the operators, indexing, ``.T`` / ``.mT`` and ``__array_namespace__`` to ``Array``."""
    for name, fn in BINARY.items():
        def forward(self: Array, other: Any, /, _fn=fn) -> Array:
            if not isinstance(other, _OPERANDS):
                return NotImplemented
            return _fn(self, other)

        def reflected(self: Array, other: Any, /, _fn=fn) -> Array:
            if not isinstance(other, _OPERANDS):
                return NotImplemented
            return _fn(other, self)

        def inplace(self: Array, other: Any, /, _fn=fn) -> Array:
            if not isinstance(other, _OPERANDS):
                return NotImplemented
            return self._inplace(_fn(self, other))

        forward.__name__ = f"__{name}__"
        reflected.__name__ = f"__r{name}__"
        inplace.__name__ = f"__i{name}__"
        setattr(Array, f"__{name}__", forward)
        setattr(Array, f"__r{name}__", reflected)
        setattr(Array, f"__i{name}__", inplace)

    for name, fn in COMPARISON.items():
        def compare(self: Array, other: Any, /, _fn=fn) -> Array:
            if not isinstance(other, _OPERANDS):
                return NotImplemented
            return _fn(self, other)

        compare.__name__ = f"__{name}__"
        setattr(Array, f"__{name}__", compare)

    for name, fn in UNARY.items():
        def apply(self: Array, /, _fn=fn) -> Array:
            return _fn(self)

        apply.__name__ = f"__{name}__"
        setattr(Array, f"__{name}__", apply)

    getitem.__name__, setitem.__name__ = "__getitem__", "__setitem__"
    array_namespace.__name__ = "__array_namespace__"
    Array.__getitem__ = getitem
    Array.__setitem__ = setitem
    Array.__array_namespace__ = array_namespace
    Array.T = property(transpose_2d)
    Array.mT = property(matrix_transpose)
