"""numpy adapters each broken on purpose in one category, to show the tensor suite catches it.

Loaded by the tests as ``broken_tensor:<name>`` (``module:attribute``); each subclass changes one
behaviour of the real numpy adapter and keeps everything else numpy's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.adapters.tensor.reference_adapter import ReferenceAdapter


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",), spec_versions=("1.0", "1.1"))


class _Overriding(NumpyAdapter):
    """numpy with some functions replaced (``replace`` returns name -> callable)."""

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {}

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        return {**super().make_overrides(), **self.replace(self.xp)}


class Signature(_Overriding):
    """sort without the spec's ``descending`` keyword."""

    meta: ClassVar[AdapterMeta] = _meta("broken-signature")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def sort(x: Any, /, *, axis: int = -1, stable: bool = True) -> Any:
            return np.sort(x, axis=axis, stable=stable)
        return {"sort": sort}


class Dtype(_Overriding):
    """divide of two float32 arrays computed and returned in float64."""

    meta: ClassVar[AdapterMeta] = _meta("broken-dtype")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def divide(x1: Any, x2: Any, /) -> Any:
            return np.divide(np.asarray(x1, dtype=np.float64), x2)
        return {"divide": divide}


class Shape(_Overriding):
    """sum that ignores keepdims."""

    meta: ClassVar[AdapterMeta] = _meta("broken-shape")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def sum_(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Any:
            return np.sum(x, axis=axis, dtype=dtype)
        return {"sum": sum_}


class Values(_Overriding):
    """exp with a relative error of 1e-6 (a float32-quality kernel used for float64)."""

    meta: ClassVar[AdapterMeta] = _meta("broken-values")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def exp(x: Any, /) -> Any:
            return (np.exp(x) * (1 + np.finfo(x.dtype).eps * 64)).astype(x.dtype)
        return {"exp": exp}


class SpecialCases(_Overriding):
    """maximum that ignores NaN (numpy's fmax) instead of propagating it."""

    meta: ClassVar[AdapterMeta] = _meta("broken-special-cases")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"maximum": np.fmax}


class Law(_Overriding):
    """squeeze that removes every size-one axis, not only the requested ones (breaks expand_dims/squeeze)."""

    meta: ClassVar[AdapterMeta] = _meta("broken-law")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def squeeze(x: Any, /, axis: Any) -> Any:
            return np.squeeze(x)
        return {"squeeze": squeeze}


class Promotion(_Overriding):
    """result_type with numpy-1.x-like value-blind mistakes: int8 with uint8 gives int8."""

    meta: ClassVar[AdapterMeta] = _meta("broken-promotion")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def result_type(*arrays_and_dtypes: Any) -> Any:
            found = np.result_type(*arrays_and_dtypes)
            names = {np.dtype(getattr(a, "dtype", a)).name for a in arrays_and_dtypes}
            return np.dtype("int8") if names == {"int8", "uint8"} else found
        return {"result_type": result_type}


class Broadcasting(_Overriding):
    """broadcast_to that tiles and truncates (np.resize) instead of raising on incompatible shapes."""

    meta: ClassVar[AdapterMeta] = _meta("broken-broadcasting")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def broadcast_to(x: Any, /, shape: Any) -> Any:
            try:
                return np.broadcast_to(x, shape)
            except ValueError:
                return np.resize(x, shape)
        return {"broadcast_to": broadcast_to}


class Operators(NumpyAdapter):
    """Reflected subtraction computed the wrong way round (x - s instead of s - x)."""

    meta: ClassVar[AdapterMeta] = _meta("broken-operators")

    @staticmethod
    def call_method(this: Any, name: str, args: Any, kwargs: dict[str, Any]) -> Any:
        if name == "__rsub__":
            return this - args[0]
        return NumpyAdapter.call_method(this, name, args, kwargs)


class Indexing(NumpyAdapter):
    """Boolean-mask indexing that returns the selected elements in reverse order."""

    meta: ClassVar[AdapterMeta] = _meta("broken-indexing")

    def run(self, op: str, args: dict[str, Any]) -> Any:
        key = args.get("key")
        if op == "getitem" and getattr(key, "dtype", None) is not None and key.dtype == bool:
            return args["self"][key][::-1]
        return super().run(op, args)


class Dtypes(_Overriding):
    """finfo(float32) that reports float64's limits."""

    meta: ClassVar[AdapterMeta] = _meta("broken-dtypes")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def finfo(type: Any, /) -> Any:
            return np.finfo(np.float64)
        return {"finfo": finfo}


class TakeNegative(_Overriding):
    """take that clips negative indices to 0 (``mode="clip"``) instead of counting them from the end."""

    meta: ClassVar[AdapterMeta] = _meta("broken-take-negative")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def take(x: Any, indices: Any, /, *, axis: Any = None) -> Any:
            return np.take(x, indices, axis=axis, mode="clip")
        return {"take": take}


class TakeAlongAxisNegative(_Overriding):
    """take_along_axis that reads a negative index as 0."""

    meta: ClassVar[AdapterMeta] = _meta("broken-take-along-axis-negative")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def take_along_axis(x: Any, indices: Any, /, *, axis: int = -1) -> Any:
            return np.take_along_axis(x, np.maximum(indices, 0), axis=axis)
        return {"take_along_axis": take_along_axis}


class UnstableArgsort(_Overriding):
    """argsort whose ``stable=False`` path forgets ``descending``."""

    meta: ClassVar[AdapterMeta] = _meta("broken-unstable-argsort")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        argsort = NumpyAdapter.make_overrides(self)["argsort"]

        def broken(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
            if not stable:
                return np.argsort(x, axis=axis)
            return argsort(x, axis=axis, descending=descending, stable=stable)
        return {"argsort": broken}


class CoshNotEven(_Overriding):
    """cosh one ULP high for negative inputs (each value within 4 ULP, but cosh(-x) != cosh(x))."""

    meta: ClassVar[AdapterMeta] = _meta("broken-cosh-not-even")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def cosh(x: Any, /) -> Any:
            y = np.cosh(x)
            return np.where(np.signbit(x), np.nextafter(y, np.asarray(np.inf, dtype=y.dtype)), y)
        return {"cosh": cosh}


class FloorDivideInfZero(_Overriding):
    """floor_divide(±inf, finite) gives 0 — neither of the outcomes (±inf or NaN) the special-case row allows."""

    meta: ClassVar[AdapterMeta] = _meta("broken-floor-divide-inf")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def floor_divide(x1: Any, x2: Any, /) -> Any:
            y = np.floor_divide(x1, x2)
            return np.where(np.isinf(x1) & np.isfinite(x2), np.zeros_like(y), y)
        return {"floor_divide": floor_divide}


signature = Signature()
dtype = Dtype()
shape = Shape()
values = Values()
special_cases = SpecialCases()
law = Law()
promotion = Promotion()
broadcasting = Broadcasting()
operators = Operators()
indexing = Indexing()
dtypes = Dtypes()
take_negative = TakeNegative()
take_along_axis_negative = TakeAlongAxisNegative()
unstable_argsort = UnstableArgsort()
cosh_not_even = CoshNotEven()
floor_divide_inf_zero = FloorDivideInfZero()


class ComplexExpTextbook(_Overriding):
    """complex exp by the textbook formula exp(a) * (cos b + i sin b): exp(+inf + 0j) becomes inf + NaN j."""

    meta: ClassVar[AdapterMeta] = _meta("broken-complex-exp")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def exp(x: Any, /) -> Any:
            if not np.iscomplexobj(x):
                return np.exp(x)
            with np.errstate(all="ignore"):
                return (np.exp(x.real) * (np.cos(x.imag) + 1j * np.sin(x.imag))).astype(x.dtype)
        return {"exp": exp}


class ComplexTanMultiplied(_Overriding):
    """complex tan as -1j * tanh(x * 1j) with IEEE complex products, which turn infinities into NaN
    parts and lose zero signs; the standard means the exact rotation."""

    meta: ClassVar[AdapterMeta] = _meta("broken-complex-tan")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def tan(x: Any, /) -> Any:
            if not np.iscomplexobj(x):
                return np.tan(x)
            with np.errstate(all="ignore"):
                return (-1j * np.tanh(x * 1j)).astype(x.dtype)
        return {"tan": tan}


class ComplexAddPlusZero(_Overriding):
    """complex add that adds 0j to the sum: -0 + -0 in either part comes out +0."""

    meta: ClassVar[AdapterMeta] = _meta("broken-complex-add")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def add(x1: Any, x2: Any, /) -> Any:
            out = np.add(x1, x2)
            return (out + np.zeros((), dtype=out.dtype)) if np.iscomplexobj(out) else out
        return {"add": add}


class ComplexDivideByZeroAnything(ReferenceAdapter):
    """The reference with complex divide answering 7 + 7j for a zero divisor, which the standard leaves
    to the implementation (built on the reference: numpy's own complex division fails elsewhere, with
    NaN for subnormal divisors)."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="complex-divide-by-zero-anything", family="tensor", backend_package="accord", claims=("complex",),
        requires=("accord.reference.tensor",), spec_versions=("1.0", "1.1"))

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        xp = self.xp

        def divide(x1: Any, x2: Any, /) -> Any:
            out = xp.divide(x1, x2)
            if not xp.isdtype(out.dtype, "complex floating"):
                return out
            divisor = x2 if hasattr(x2, "dtype") else xp.asarray(x2, dtype=out.dtype)
            return xp.where(divisor == 0, xp.asarray(7 + 7j, dtype=out.dtype), out)
        return {"divide": divide}


complex_exp = ComplexExpTextbook()
complex_tan = ComplexTanMultiplied()
complex_add = ComplexAddPlusZero()
complex_divide_by_zero = ComplexDivideByZeroAnything()


def _holds_dtype(value: Any, name: str) -> bool:
    """Whether a decoded argument is, or holds, an array or dtype named ``name``."""
    if isinstance(value, list | tuple):
        return any(_holds_dtype(v, name) for v in value)
    if isinstance(value, dict):
        return any(_holds_dtype(v, name) for v in value.values())
    dtype = getattr(value, "dtype", value)
    try:
        import numpy

        return numpy.dtype(dtype).name == name
    except TypeError:
        return False


class NoUint16WrongFloat32Add(_Overriding):
    """A library without uint16 (every call holding a uint16 array or dtype raises) whose float32 ``add``
    is also wrong (doubles the sum): the uint16 gap must fail tensor.dtypes.support-uint16 alone, and the
    float32 error must still be found beside it."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="broken-no-uint16", family="tensor", backend_package="numpy", requires=("numpy",),
        spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0"), claims=("complex",))

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def add(x1: Any, x2: Any, /) -> Any:
            out = np.add(x1, x2)
            return out * np.float32(2) if getattr(out, "dtype", None) == np.float32 else out
        return {"add": add}

    def run(self, op: str, args: dict[str, Any]) -> Any:
        if op in ("call", "method") and _holds_dtype([args.get("args"), args.get("kwargs"), args.get("self")], "uint16"):
            raise TypeError("uint16 is not supported")
        return super().run(op, args)


no_uint16 = NoUint16WrongFloat32Add()


class ClipArrayBoundsNoUint16(_Overriding):
    """numpy whose ``clip`` has no uint16 kernel for array bounds, as torch's ``clamp`` (scalar or no bounds
    work): the dtype-support probe must meet the gap, so clip's own requirements leave uint16 out."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="broken-clip-uint16-bounds", family="tensor", backend_package="numpy", requires=("numpy",),
        spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0"), claims=("complex",))

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        clip = NumpyAdapter.make_overrides(self).get("clip", np.clip)

        def clip_(x: Any, /, min: Any = None, max: Any = None) -> Any:  # noqa: A002 - the standard's names
            if x.dtype == np.uint16 and any(isinstance(b, np.ndarray) for b in (min, max)):
                raise NotImplementedError('"minimum_cpu" not implemented for \'UInt16\'')
            return clip(x, min=min, max=max)
        return {"clip": clip_}


clip_uint16_bounds = ClipArrayBoundsNoUint16()
