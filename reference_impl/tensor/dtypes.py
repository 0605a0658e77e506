"""Data types of the array API standard (2024.12) and the type-promotion lattice.

Every dtype is a singleton object; two dtypes are equal only if they are the same
object.  Elements of arrays are stored as plain Python values:

=========  ==================================================================
kind       stored Python value
=========  ==================================================================
bool       ``bool``
int/uint   ``int`` kept inside the dtype's range (wraparound, see ``wrap_int``)
float      ``float``; float32 values are always exactly representable in binary32
complex    ``complex``; complex64 parts are always representable in binary32
=========  ==================================================================

Conversions into a dtype go through :func:`cast_scalar`, the single place where a
Python number is rounded / wrapped to the dtype's value set.
"""

from __future__ import annotations

import math
import struct

__all__ = [
    "DType", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128", "ALL_DTYPES", "promote_types",
    "promote_with_scalar", "round_f32", "int_to_f32", "wrap_int", "cast_scalar", "int_bounds",
    "default_int", "default_float", "default_complex", "real_dtype_of", "complex_dtype_of",
]


class DType:
    """One data type of the standard: a name, a kind and a bit width."""

    __slots__ = ("name", "kind", "bits")

    def __init__(self, name: str, kind: str, bits: int) -> None:
        self.name = name
        self.kind = kind  # "b" bool, "i" signed int, "u" unsigned int, "f" real float, "c" complex
        self.bits = bits

    def __repr__(self) -> str:
        return f"reference.{self.name}"

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return hash(self.name)

    # small predicates used all over the package
    @property
    def is_bool(self) -> bool:
        return self.kind == "b"

    @property
    def is_integer(self) -> bool:
        return self.kind in "iu"

    @property
    def is_real_float(self) -> bool:
        return self.kind == "f"

    @property
    def is_complex(self) -> bool:
        return self.kind == "c"

    @property
    def is_float(self) -> bool:
        """Real or complex floating point."""
        return self.kind in "fc"

    @property
    def is_numeric(self) -> bool:
        return self.kind != "b"


bool_ = DType("bool", "b", 8)
int8 = DType("int8", "i", 8)
int16 = DType("int16", "i", 16)
int32 = DType("int32", "i", 32)
int64 = DType("int64", "i", 64)
uint8 = DType("uint8", "u", 8)
uint16 = DType("uint16", "u", 16)
uint32 = DType("uint32", "u", 32)
uint64 = DType("uint64", "u", 64)
float32 = DType("float32", "f", 32)
float64 = DType("float64", "f", 64)
complex64 = DType("complex64", "c", 64)
complex128 = DType("complex128", "c", 128)

ALL_DTYPES: tuple[DType, ...] = (
    bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
    float32, float64, complex64, complex128,
)
BY_NAME: dict[str, DType] = {d.name: d for d in ALL_DTYPES}

# Defaults of this implementation (the standard lets the library choose; these match
# numpy on 64-bit Linux and array-api-strict).
default_int = int64
default_float = float64
default_complex = complex128


def real_dtype_of(dtype: DType) -> DType:
    """complex64 -> float32, complex128 -> float64, real dtypes unchanged."""
    return {complex64: float32, complex128: float64}.get(dtype, dtype)


def complex_dtype_of(dtype: DType) -> DType:
    """float32 -> complex64, float64 -> complex128, complex dtypes unchanged."""
    return {float32: complex64, float64: complex128}.get(dtype, dtype)


# ---------------------------------------------------------------------------
# Type promotion between two arrays ("Type Promotion Rules" of the standard).
# Each row lists the pairs whose join on the lattice is the row's result.  The
# table is symmetric; pairs not listed (bool with numbers, integers with floats,
# signed/unsigned 64-bit) have no promotion in the standard and raise TypeError.
# ---------------------------------------------------------------------------
_PROMOTION_ROWS: list[tuple[str, str, str]] = [
    # signed integers
    ("int8", "int8", "int8"), ("int8", "int16", "int16"), ("int8", "int32", "int32"), ("int8", "int64", "int64"),
    ("int16", "int16", "int16"), ("int16", "int32", "int32"), ("int16", "int64", "int64"),
    ("int32", "int32", "int32"), ("int32", "int64", "int64"),
    ("int64", "int64", "int64"),
    # unsigned integers
    ("uint8", "uint8", "uint8"), ("uint8", "uint16", "uint16"), ("uint8", "uint32", "uint32"),
    ("uint8", "uint64", "uint64"),
    ("uint16", "uint16", "uint16"), ("uint16", "uint32", "uint32"), ("uint16", "uint64", "uint64"),
    ("uint32", "uint32", "uint32"), ("uint32", "uint64", "uint64"),
    ("uint64", "uint64", "uint64"),
    # mixed signed and unsigned integers (an unsigned type promotes to the next wider signed type)
    ("int8", "uint8", "int16"), ("int8", "uint16", "int32"), ("int8", "uint32", "int64"),
    ("int16", "uint8", "int16"), ("int16", "uint16", "int32"), ("int16", "uint32", "int64"),
    ("int32", "uint8", "int32"), ("int32", "uint16", "int32"), ("int32", "uint32", "int64"),
    ("int64", "uint8", "int64"), ("int64", "uint16", "int64"), ("int64", "uint32", "int64"),
    # floating point (real and complex)
    ("float32", "float32", "float32"), ("float32", "float64", "float64"),
    ("float32", "complex64", "complex64"), ("float32", "complex128", "complex128"),
    ("float64", "float64", "float64"), ("float64", "complex64", "complex128"),
    ("float64", "complex128", "complex128"),
    ("complex64", "complex64", "complex64"), ("complex64", "complex128", "complex128"),
    ("complex128", "complex128", "complex128"),
    # boolean
    ("bool", "bool", "bool"),
]

PROMOTION_TABLE: dict[tuple[DType, DType], DType] = {}
for _a, _b, _r in _PROMOTION_ROWS:
    PROMOTION_TABLE[(BY_NAME[_a], BY_NAME[_b])] = BY_NAME[_r]
    PROMOTION_TABLE[(BY_NAME[_b], BY_NAME[_a])] = BY_NAME[_r]


def promote_types(a: DType, b: DType) -> DType:
    """Join of two dtypes on the standard's lattice; TypeError when the standard defines none."""
    try:
        return PROMOTION_TABLE[(a, b)]
    except KeyError:
        raise TypeError(f"no type promotion between {a.name} and {b.name} in the array API standard") from None


def promote_with_scalar(dtype: DType, scalar: object) -> DType:
    """Result dtype of ``array(dtype) <op> python_scalar`` ("Mixing arrays with Python scalars").

    bool scalar  -> bool arrays only;  int scalar -> integer and floating arrays;
    float scalar -> floating arrays;   complex scalar -> floating arrays, a real float
    array becomes the complex dtype of the same precision (2024.12).
    Other combinations are unspecified by the standard; this implementation raises TypeError.
    """
    if isinstance(scalar, bool):
        if dtype.is_bool:
            return dtype
    elif isinstance(scalar, int):
        if dtype.is_integer or dtype.is_float:
            return dtype
    elif isinstance(scalar, float):
        if dtype.is_float:
            return dtype
    elif isinstance(scalar, complex):
        if dtype.is_float:
            return complex_dtype_of(dtype)
    else:
        raise TypeError(f"expected an array or a Python scalar, got {type(scalar).__name__}")
    raise TypeError(f"mixing a Python {type(scalar).__name__} with a {dtype.name} array is not "
                    "specified by the array API standard")


# ---------------------------------------------------------------------------
# Value conversion
# ---------------------------------------------------------------------------

def int_bounds(dtype: DType) -> tuple[int, int]:
    """(min, max) of an integer dtype."""
    if dtype.kind == "i":
        return -(1 << (dtype.bits - 1)), (1 << (dtype.bits - 1)) - 1
    return 0, (1 << dtype.bits) - 1


def wrap_int(value: int, dtype: DType) -> int:
    """Reduce an exact integer modulo 2**bits into the dtype's range (two's complement wraparound).

    Integer overflow is unspecified by the standard; wraparound is what numpy, torch and
    jax do, and the suite does not test it.
    """
    bits = dtype.bits
    value &= (1 << bits) - 1
    if dtype.kind == "i" and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


F32_MAX = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]


def round_f32(x: float) -> float:
    """Round a double to the nearest binary32 value (ties to even); overflow gives ±inf.

    ``struct.pack('<f', x)`` performs the C conversion (round to nearest even, subnormals
    included) but raises OverflowError where the correctly rounded result is ±infinity.
    """
    if x != x or x in (math.inf, -math.inf):
        return x
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def int_to_f32(n: int) -> float:
    """Exact integer -> nearest binary32 (ties to even) without double rounding."""
    if abs(n) <= 1 << 53:
        return round_f32(float(n))
    mag = abs(n)
    drop = mag.bit_length() - 24
    kept, rest = mag >> drop, mag & ((1 << drop) - 1)
    half = 1 << (drop - 1)
    if rest > half or (rest == half and kept & 1):
        kept += 1
    try:
        return round_f32(float(kept << drop) if n > 0 else -float(kept << drop))
    except OverflowError:
        return math.inf if n > 0 else -math.inf


def _to_float(value: object) -> float:
    """Python number -> double, with ints too large for a double becoming ±inf."""
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        return math.inf if value > 0 else -math.inf  # type: ignore[operator]


def cast_scalar(value: object, dtype: DType) -> object:
    """Convert one Python value (bool/int/float/complex) into ``dtype``'s value set.

    Used by astype/asarray/full: ints wrap, floats round to the target precision,
    float -> int truncates toward zero (NaN/inf -> int is unspecified; this raises
    ValueError), complex -> real takes the real part (unspecified by the standard; numpy does
    the same with a warning).
    """
    if dtype.is_bool:
        return bool(value)
    if dtype.is_integer:
        if isinstance(value, complex):
            value = value.real
        if isinstance(value, float):
            if value != value or value in (math.inf, -math.inf):
                raise ValueError(f"cannot convert {value} to {dtype.name}")
            value = math.trunc(value)
        return wrap_int(int(value), dtype)
    if dtype.is_real_float:
        if isinstance(value, complex):
            value = value.real
        if dtype is float32 and isinstance(value, int):
            return int_to_f32(value)
        x = _to_float(value)
        return round_f32(x) if dtype is float32 else x
    # complex
    if isinstance(value, complex):
        re, im = value.real, value.imag
    else:
        re, im = _to_float(value), 0.0
    if dtype is complex64:
        re, im = round_f32(re), round_f32(im)
    return complex(re, im)
