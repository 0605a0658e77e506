"""The array object: dtype, shape, flat row-major storage, operators and indexing.

Operators delegate to the element-wise functions (``elementwise.py``), so the rules
(type promotion, Python-scalar mixing, special cases) live in one place.  In-place
operators compute the out-of-place result and refuse any change of dtype or shape, as
the standard requires ("an in-place operation must not change the data type or shape").
Indexing semantics live in ``slicing.py``.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from . import _helpers as h
from . import dtypes as dt


class Device:
    """The single (CPU) device of the reference implementation."""

    def __repr__(self) -> str:
        return "CPU_DEVICE"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Device)

    def __hash__(self) -> int:
        return 0


CPU_DEVICE = Device()


def check_device(device: object) -> None:
    """``device=`` arguments accept None or the CPU device."""
    if device is not None and device != CPU_DEVICE and device != "cpu":
        raise ValueError(f"unsupported device {device!r}")


class Array:
    """An n-dimensional array: ``dtype``, ``shape`` and a flat row-major list ``_data``."""

    __slots__ = ("_data", "_shape", "_dtype")
    __hash__ = None  # type: ignore[assignment]  # arrays compare element-wise

    def __init__(self, data: list, shape: tuple[int, ...], dtype: dt.DType) -> None:
        """Internal constructor: trusts that ``data`` already holds values of ``dtype``."""
        if len(data) != h.size_of(shape):
            raise ValueError(f"{len(data)} values do not fill shape {shape}")
        self._data = data
        self._shape = tuple(shape)
        self._dtype = dtype

    # ---- construction used by adapters ---------------------------------------------------
    @classmethod
    def from_flat(cls, values: list, shape: tuple[int, ...], dtype: dt.DType) -> Array:
        """Build an array from row-major Python values (each converted into ``dtype``)."""
        if not isinstance(dtype, dt.DType):
            raise TypeError(f"expected a reference dtype, got {dtype!r}")
        shape = h.normalize_shape(shape)
        return cls([dt.cast_scalar(v, dtype) for v in values], shape, dtype)

    def to_flat(self) -> list:
        """A copy of the elements as Python values in row-major order."""
        return list(self._data)

    # ---- attributes -------------------------------------------------------------------------
    @property
    def dtype(self) -> dt.DType:
        return self._dtype

    @property
    def shape(self) -> tuple[int, ...]:
        return self._shape

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def size(self) -> int:
        return len(self._data)

    @property
    def device(self) -> Device:
        return CPU_DEVICE

    @property
    def T(self) -> Array:
        """Transpose of a two-dimensional array (the standard defines ``.T`` for 2-D only)."""
        if self.ndim != 2:
            raise ValueError(f"x.T requires a two-dimensional array, got {self.ndim} dimensions")
        from .linalg import matrix_transpose

        return matrix_transpose(self)

    @property
    def mT(self) -> Array:
        from .linalg import matrix_transpose

        return matrix_transpose(self)

    def to_device(self, device: Any, /, *, stream: Any = None) -> Array:
        check_device(device)
        return self

    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any:
        if api_version not in (None, "2024.12", "2023.12", "2022.12", "2021.12"):
            raise ValueError(f"unsupported api_version {api_version!r}")
        import importlib

        from . import __name__ as package_name

        return importlib.import_module(package_name)

    def __repr__(self) -> str:
        return f"Array({self.tolist()!r}, dtype={self._dtype.name})"

    def tolist(self) -> Any:
        """Nested Python lists (a 0-d array gives its scalar); handy for debugging and tests."""
        def build(offset: int, dims: tuple[int, ...]) -> Any:
            if not dims:
                return self._data[offset]
            step = h.size_of(dims[1:])
            return [build(offset + i * step, dims[1:]) for i in range(dims[0])]

        return build(0, self._shape)

    # ---- conversion to Python scalars (0-d arrays only) ------------------------------------
    def _scalar(self, what: str) -> Any:
        if self._shape != ():
            raise TypeError(f"{what}() requires a zero-dimensional array, got shape {self._shape}")
        return self._data[0]

    def __bool__(self) -> bool:
        return bool(self._scalar("bool"))

    def __complex__(self) -> complex:
        return complex(self._scalar("complex"))

    def __int__(self) -> int:
        v = self._scalar("int")
        if isinstance(v, complex):
            raise TypeError("int() of a complex array")
        if isinstance(v, float):
            if math.isnan(v):
                raise ValueError("cannot convert NaN to int")
            if math.isinf(v):
                raise OverflowError("cannot convert infinity to int")
        return int(v)

    def __float__(self) -> float:
        v = self._scalar("float")
        if isinstance(v, complex):
            raise TypeError("float() of a complex array")
        return float(v)

    def __index__(self) -> int:
        v = self._scalar("index")
        if not self._dtype.is_integer:
            raise TypeError(f"__index__ requires an integer array, got {self._dtype.name}")
        return operator.index(v)

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of a zero-dimensional array")
        return self._shape[0]

    def __iter__(self):  # iteration is defined for one-dimensional arrays (2024.12)
        if self.ndim != 1:
            raise TypeError(f"iteration requires a one-dimensional array, got {self.ndim} dimensions")
        return (self[i] for i in range(self._shape[0]))

    # ---- indexing -----------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Array:
        from .slicing import resolve_key

        shape, positions = resolve_key(self, key)
        data = self._data
        return Array([data[i] for i in positions], shape, self._dtype)

    def __setitem__(self, key: Any, value: Any) -> None:
        from .slicing import resolve_key

        shape, positions = resolve_key(self, key)
        values = _setitem_values(self._dtype, value, shape)
        for i, v in zip(positions, values, strict=True):
            self._data[i] = v

    # ---- in-place helper -------------------------------------------------------------------
    def _inplace(self, result: Array) -> Array:
        if result.dtype is not self._dtype:
            raise TypeError(f"in-place operation would change dtype {self._dtype.name} to {result.dtype.name}")
        if result.shape != self._shape:
            raise ValueError(f"in-place operation would change shape {self._shape} to {result.shape}")
        self._data[:] = result._data
        return self


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


_OPERANDS = (Array, bool, int, float, complex)


def _install_operators() -> None:
    """Attach the arithmetic, comparison, bitwise and matmul operators to ``Array``."""
    from . import elementwise as ew
    from .linalg import matmul

    binary = {
        "add": ew.add, "sub": ew.subtract, "mul": ew.multiply, "truediv": ew.divide,
        "floordiv": ew.floor_divide, "mod": ew.remainder, "pow": ew.pow, "matmul": matmul,
        "and": ew.bitwise_and, "or": ew.bitwise_or, "xor": ew.bitwise_xor,
        "lshift": ew.bitwise_left_shift, "rshift": ew.bitwise_right_shift,
    }
    for name, fn in binary.items():
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

    comparisons = {"eq": ew.equal, "ne": ew.not_equal, "lt": ew.less, "le": ew.less_equal,
                   "gt": ew.greater, "ge": ew.greater_equal}
    for name, fn in comparisons.items():
        def compare(self: Array, other: Any, /, _fn=fn) -> Array:
            if not isinstance(other, _OPERANDS):
                return NotImplemented
            return _fn(self, other)

        compare.__name__ = f"__{name}__"
        setattr(Array, f"__{name}__", compare)

    unary = {"pos": ew.positive, "neg": ew.negative, "abs": ew.abs, "invert": ew.bitwise_invert}
    for name, fn in unary.items():
        def apply(self: Array, /, _fn=fn) -> Array:
            return _fn(self)

        apply.__name__ = f"__{name}__"
        setattr(Array, f"__{name}__", apply)
