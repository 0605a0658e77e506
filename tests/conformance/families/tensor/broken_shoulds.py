"""numpy adapters each breaking one "should" of the standard on purpose (loaded in-process by test_should_requirements.py).

Naive kernels (expm1, log1p, hypot, complex abs), a squeeze that ignores a non-singleton axis, an
expand_dims raising the wrong class, and info objects whose defaults or dtypes break the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from accord_testing.overriding import INFO, Overriding, numpy_meta

from accord.adapters.base import AdapterMeta


class NaiveExpm1(Overriding):
    """expm1 as exp(x) - 1: what the standard says an implementation should avoid."""

    meta: ClassVar[AdapterMeta] = numpy_meta("naive-expm1")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"expm1": lambda x, /: (np.exp(x) - x.dtype.type(1)).astype(x.dtype)}


class NaiveLog1p(Overriding):
    """log1p as log(1 + x)."""

    meta: ClassVar[AdapterMeta] = numpy_meta("naive-log1p")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"log1p": lambda x, /: np.log(x.dtype.type(1) + x).astype(x.dtype)}


class NaiveHypot(Overriding):
    """hypot as sqrt(x1**2 + x2**2): its squares overflow and underflow."""

    meta: ClassVar[AdapterMeta] = numpy_meta("naive-hypot")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def hypot(x1: Any, x2: Any, /) -> Any:
            with np.errstate(all="ignore"):
                return np.sqrt(x1 * x1 + x2 * x2)
        return {"hypot": hypot}


class NaiveComplexAbs(Overriding):
    """abs of a complex array as sqrt(re**2 + im**2) in the component dtype."""

    meta: ClassVar[AdapterMeta] = numpy_meta("naive-complex-abs")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def absolute(x: Any, /) -> Any:
            if x.dtype.kind != "c":
                return np.abs(x)
            with np.errstate(all="ignore"):
                return np.sqrt(x.real * x.real + x.imag * x.imag)
        return {"abs": absolute}


class LaxSqueeze(Overriding):
    """squeeze returning the input when the axis is not a singleton (torch's behaviour)."""

    meta: ClassVar[AdapterMeta] = numpy_meta("lax-squeeze")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def squeeze(x: Any, /, axis: Any) -> Any:
            axes = axis if isinstance(axis, tuple) else (axis,)
            return x if any(x.shape[a] != 1 for a in axes) else np.squeeze(x, axis=axis)
        return {"squeeze": squeeze}


class TypeErrorExpandDims(Overriding):
    """expand_dims raising TypeError, not IndexError, for an axis out of range."""

    meta: ClassVar[AdapterMeta] = numpy_meta("type-error-expand-dims")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def expand_dims(x: Any, /, *, axis: int = 0) -> Any:
            if not -x.ndim - 1 <= axis <= x.ndim:
                raise TypeError(f"bad axis {axis}")
            return np.expand_dims(x, axis)
        return {"expand_dims": expand_dims}


class OddDefaults(Overriding):
    """default_dtypes() pairing float64 with complex64 and an int32 index dtype; dtypes() listing float16."""

    meta: ClassVar[AdapterMeta] = numpy_meta("odd-defaults")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def default_dtypes(*, device: Any = None) -> dict[str, Any]:
            return {"real floating": np.dtype("float64"), "complex floating": np.dtype("complex64"),
                    "integral": np.dtype("int64"), "indexing": np.dtype("int32")}

        def dtypes(*, device: Any = None, kind: Any = None) -> dict[str, Any]:
            return {**np.__array_namespace_info__().dtypes(), "float16": np.dtype("float16")}
        return {INFO + "default_dtypes": default_dtypes, INFO + "dtypes": dtypes}


naive_expm1 = NaiveExpm1()
naive_log1p = NaiveLog1p()
naive_hypot = NaiveHypot()
naive_complex_abs = NaiveComplexAbs()
lax_squeeze = LaxSqueeze()
type_error_expand_dims = TypeErrorExpandDims()
odd_defaults = OddDefaults()
