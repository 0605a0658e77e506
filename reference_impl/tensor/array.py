"""The array object: dtype, shape, flat row-major storage, attributes and conversions.

This module imports no function module: the element-wise functions, ``linalg`` and ``slicing``
build and inspect arrays, so they import it. The object's operators (``x + y``, ``x < y``, ``x @ y``,
in-place forms), indexing (``x[k]``, ``x[k] = v``), ``.T`` / ``.mT`` and ``__array_namespace__``
delegate to those functions and are attached by ``operators.py``, which sits above both.
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

    def to_device(self, device: Any, /, *, stream: Any = None) -> Array:
        check_device(device)
        return self

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

    # ---- in-place helper -------------------------------------------------------------------
    def _inplace(self, result: Array) -> Array:
        if result.dtype is not self._dtype:
            raise TypeError(f"in-place operation would change dtype {self._dtype.name} to {result.dtype.name}")
        if result.shape != self._shape:
            raise ValueError(f"in-place operation would change shape {self._shape} to {result.shape}")
        self._data[:] = result._data
        return self

