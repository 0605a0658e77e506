"""dtypes, the promotion lattice, float32 rounding and integer wraparound."""

from __future__ import annotations

import itertools
import math
import struct

import numpy as np
import pytest

import accord.reference.tensor as xp
from accord.reference.tensor import dtypes as dt

from .conftest import NP_DTYPES

REAL = [d for d in dt.ALL_DTYPES]


def test_dtype_objects_are_singletons_with_names() -> None:
    assert xp.float32.name == "float32" and xp.bool.name == "bool"
    assert xp.int8 == xp.int8 and xp.int8 != xp.uint8
    assert len({d.name for d in dt.ALL_DTYPES}) == 13


@pytest.mark.parametrize(("a", "b"), list(itertools.product(dt.ALL_DTYPES, repeat=2)))
def test_promotion_table_matches_numpy_where_defined(a: dt.DType, b: dt.DType) -> None:
    kinds = {a.kind, b.kind}
    defined = (a.kind == b.kind or kinds == {"i", "u"} or kinds == {"f", "c"})
    if kinds == {"i", "u"} and {a, b} & {xp.uint64}:
        defined = False  # uint64 with a signed integer has no promotion in the standard
    if not defined:
        with pytest.raises(TypeError):
            dt.promote_types(a, b)
        return
    got = dt.promote_types(a, b)
    assert got.name == np.promote_types(NP_DTYPES[a], NP_DTYPES[b]).name


def test_python_scalar_rules() -> None:
    assert dt.promote_with_scalar(xp.int8, 3) is xp.int8
    assert dt.promote_with_scalar(xp.float32, 3) is xp.float32
    assert dt.promote_with_scalar(xp.float32, 1.5) is xp.float32
    assert dt.promote_with_scalar(xp.float32, 1j) is xp.complex64
    assert dt.promote_with_scalar(xp.float64, 1j) is xp.complex128
    assert dt.promote_with_scalar(xp.bool, True) is xp.bool
    for dtype, scalar in [(xp.int8, 1.5), (xp.bool, 1), (xp.int32, True), (xp.int8, 1j)]:
        with pytest.raises(TypeError):
            dt.promote_with_scalar(dtype, scalar)
    x = xp.asarray([1, 2], dtype=xp.int8)
    assert (x + 1).dtype is xp.int8
    with pytest.raises(OverflowError):
        x + 1000


def test_round_f32_matches_numpy(rng: np.random.Generator) -> None:
    bits = rng.integers(0, 2**64, size=5000, dtype=np.uint64)
    doubles = bits.view(np.float64)
    for d in doubles.tolist():
        if not math.isfinite(d) or abs(d) > 3e38:
            continue
        want = float(np.float32(d))
        got = dt.round_f32(d)
        assert got == want or (math.isnan(got) and math.isnan(want)), d


def test_round_f32_edges() -> None:
    f32max = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]
    assert dt.round_f32(f32max) == f32max
    half_ulp_above = f32max + 2.0 ** 103  # exactly halfway to 2**128: ties to even -> inf
    assert dt.round_f32(half_ulp_above) == math.inf
    assert dt.round_f32(-1e39) == -math.inf
    assert dt.round_f32(2.0 ** -149) == 2.0 ** -149  # smallest subnormal
    assert dt.round_f32(2.0 ** -150) == 0.0  # halfway to the smallest subnormal: ties to even (0)
    assert dt.round_f32(3 * 2.0 ** -151) == 2.0 ** -149
    assert math.copysign(1, dt.round_f32(-2.0 ** -151)) == -1
    assert dt.round_f32(1 + 2.0 ** -24) == 1.0 and dt.round_f32(1 + 3 * 2.0 ** -24) == 1 + 2.0 ** -22


def test_int_to_f32_has_no_double_rounding() -> None:
    n = 2**60 + 2**36 + 1  # just above a float32 halfway point; a double would round to the tie
    assert dt.int_to_f32(n) == float(np.float32(np.float64(2**60 + 2**37)))
    assert dt.int_to_f32(2**60 + 2**36) == 2.0**60  # exact tie -> even
    for n in [0, 1, -1, 2**24 + 1, -(2**53 + 3), 2**126 * 3]:
        assert dt.int_to_f32(n) == float(np.float32(float(n)))
    assert dt.int_to_f32(2**128) == math.inf and dt.int_to_f32(-(10**400)) == -math.inf


@pytest.mark.parametrize("dtype", [xp.int8, xp.uint8, xp.int16, xp.uint16, xp.int32, xp.uint32, xp.int64, xp.uint64])
def test_wraparound(dtype: dt.DType) -> None:
    lo, hi = dt.int_bounds(dtype)
    npd = NP_DTYPES[dtype]
    assert (lo, hi) == (np.iinfo(npd).min, np.iinfo(npd).max)
    assert dt.wrap_int(hi + 1, dtype) == lo and dt.wrap_int(lo - 1, dtype) == hi
    x = xp.asarray([hi, lo], dtype=dtype)
    assert (x + xp.asarray([1, 1], dtype=dtype)).to_flat() == [lo, lo + 1]
