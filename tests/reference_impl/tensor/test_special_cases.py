"""Special cases stated by the standard (2024.12), checked row by row in float32 and float64."""

from __future__ import annotations

import math

import pytest

import accord.reference.tensor as xp

from .conftest import same_value

INF, NAN = math.inf, math.nan
NEG_NAN = -math.nan if math.copysign(1, -math.nan) < 0 else math.copysign(math.nan, -1.0)
TINY32 = 2.0 ** -149  # smallest float32 subnormal
TINY64 = 5e-324

BINARY = [
    # divide
    ("divide", NAN, 1.0, NAN), ("divide", INF, -INF, NAN), ("divide", 0.0, -0.0, NAN),
    ("divide", 0.0, 2.0, 0.0), ("divide", -0.0, 2.0, -0.0), ("divide", 0.0, -2.0, -0.0), ("divide", -0.0, -2.0, 0.0),
    ("divide", 3.0, 0.0, INF), ("divide", 3.0, -0.0, -INF), ("divide", -3.0, 0.0, -INF), ("divide", -3.0, -0.0, INF),
    ("divide", INF, 2.0, INF), ("divide", INF, -2.0, -INF), ("divide", -INF, 2.0, -INF), ("divide", -INF, -2.0, INF),
    ("divide", 2.0, INF, 0.0), ("divide", 2.0, -INF, -0.0), ("divide", -2.0, INF, -0.0), ("divide", -2.0, -INF, 0.0),
    # floor_divide (the standard's floor(x1/x2) choices, not Python's)
    ("floor_divide", NAN, 1.0, NAN), ("floor_divide", INF, INF, NAN), ("floor_divide", -0.0, 0.0, NAN),
    ("floor_divide", 0.0, 2.0, 0.0), ("floor_divide", -0.0, 2.0, -0.0), ("floor_divide", 0.0, -2.0, -0.0),
    ("floor_divide", -0.0, -2.0, 0.0), ("floor_divide", 3.0, 0.0, INF), ("floor_divide", 3.0, -0.0, -INF),
    ("floor_divide", -3.0, 0.0, -INF), ("floor_divide", -3.0, -0.0, INF),
    ("floor_divide", INF, 2.0, INF), ("floor_divide", INF, -2.0, -INF), ("floor_divide", -INF, 2.0, -INF),
    ("floor_divide", -INF, -2.0, INF), ("floor_divide", 2.0, INF, 0.0), ("floor_divide", 2.0, -INF, -0.0),
    ("floor_divide", -2.0, INF, -0.0), ("floor_divide", -2.0, -INF, 0.0),
    ("floor_divide", 7.0, 2.0, 3.0), ("floor_divide", -7.0, 2.0, -4.0), ("floor_divide", 1.0, 0.1, 9.0),
    # remainder
    ("remainder", NAN, 1.0, NAN), ("remainder", INF, -INF, NAN), ("remainder", 0.0, 0.0, NAN),
    ("remainder", 0.0, 2.0, 0.0), ("remainder", -0.0, 2.0, 0.0), ("remainder", 0.0, -2.0, -0.0),
    ("remainder", -0.0, -2.0, -0.0), ("remainder", 3.0, 0.0, NAN), ("remainder", -3.0, -0.0, NAN),
    ("remainder", INF, 2.0, NAN), ("remainder", -INF, -2.0, NAN), ("remainder", 2.0, INF, 2.0),
    ("remainder", 2.0, -INF, -INF), ("remainder", -2.0, INF, INF), ("remainder", -2.0, -INF, -2.0),
    ("remainder", 5.0, -3.0, -1.0), ("remainder", -5.0, 3.0, 1.0), ("remainder", 6.0, -3.0, -0.0),
    # pow
    ("pow", 2.0, NAN, NAN), ("pow", NAN, 0.0, 1.0), ("pow", NAN, -0.0, 1.0), ("pow", NAN, 2.0, NAN),
    ("pow", 2.0, INF, INF), ("pow", -2.0, -INF, 0.0), ("pow", -1.0, INF, 1.0), ("pow", 1.0, -INF, 1.0),
    ("pow", 1.0, NAN, 1.0), ("pow", 0.5, INF, 0.0), ("pow", -0.5, -INF, INF), ("pow", INF, 0.5, INF),
    ("pow", INF, -0.5, 0.0), ("pow", -INF, 3.0, -INF), ("pow", -INF, 2.0, INF), ("pow", -INF, -3.0, -0.0),
    ("pow", -INF, -2.0, 0.0), ("pow", 0.0, 3.0, 0.0), ("pow", 0.0, -3.0, INF), ("pow", -0.0, 3.0, -0.0),
    ("pow", -0.0, 2.0, 0.0), ("pow", -0.0, -3.0, -INF), ("pow", -0.0, -2.0, INF), ("pow", -2.0, 0.5, NAN),
    ("pow", -2.0, 3.0, -8.0), ("pow", 10.0, 400.0, INF), ("pow", -10.0, 401.0, -INF),
    # atan2 (C99)
    ("atan2", NAN, 1.0, NAN), ("atan2", 1.0, 0.0, math.pi / 2), ("atan2", 0.0, 1.0, 0.0), ("atan2", 0.0, 0.0, 0.0),
    ("atan2", 0.0, -0.0, math.pi), ("atan2", -0.0, -0.0, -math.pi), ("atan2", -0.0, 1.0, -0.0),
    ("atan2", 0.0, -1.0, math.pi), ("atan2", -0.0, -1.0, -math.pi), ("atan2", -1.0, 0.0, -math.pi / 2),
    ("atan2", 1.0, INF, 0.0), ("atan2", -1.0, INF, -0.0), ("atan2", 1.0, -INF, math.pi),
    ("atan2", -1.0, -INF, -math.pi), ("atan2", INF, 1.0, math.pi / 2), ("atan2", -INF, 1.0, -math.pi / 2),
    ("atan2", INF, INF, math.pi / 4), ("atan2", INF, -INF, 3 * math.pi / 4), ("atan2", -INF, -INF, -3 * math.pi / 4),
    # hypot
    ("hypot", INF, NAN, INF), ("hypot", NAN, -INF, INF), ("hypot", 0.0, -3.0, 3.0), ("hypot", -0.0, -0.0, 0.0),
    ("hypot", NAN, 1.0, NAN), ("hypot", 3e38, 3e38, None),
    # copysign (NaN sign bits included)
    ("copysign", 2.0, -1.0, -2.0), ("copysign", -2.0, 0.0, 2.0), ("copysign", 2.0, -0.0, -2.0),
    ("copysign", 2.0, NEG_NAN, -2.0), ("copysign", -2.0, NAN, 2.0), ("copysign", NAN, -1.0, NEG_NAN),
    # maximum / minimum propagate NaN
    ("maximum", NAN, 1.0, NAN), ("maximum", 1.0, NAN, NAN), ("minimum", NAN, -INF, NAN), ("minimum", 2.0, -INF, -INF),
    # logaddexp
    ("logaddexp", NAN, INF, NAN), ("logaddexp", INF, -INF, INF), ("logaddexp", 5.0, INF, INF),
    ("logaddexp", -INF, -INF, -INF), ("logaddexp", 0.0, 0.0, math.log(2)),
    # nextafter
    ("nextafter", NAN, 1.0, NAN), ("nextafter", 1.0, NAN, NAN), ("nextafter", -0.0, 0.0, 0.0), ("nextafter", 0.0, -0.0, -0.0),
    # add / multiply IEEE rules
    ("add", INF, -INF, NAN), ("add", -0.0, -0.0, -0.0), ("add", -0.0, 0.0, 0.0), ("add", 2.0, -2.0, 0.0),
    ("multiply", INF, 0.0, NAN), ("multiply", -0.0, 3.0, -0.0), ("multiply", -INF, -2.0, INF),
    # comparisons
    ("equal", NAN, NAN, False), ("equal", 0.0, -0.0, True), ("not_equal", NAN, NAN, True), ("less", -0.0, 0.0, False),
]

UNARY = [
    ("abs", -0.0, 0.0), ("abs", -INF, INF), ("abs", NAN, NAN),
    ("acos", 1.0, 0.0), ("acos", 2.0, NAN), ("acos", -1.5, NAN), ("asin", -0.0, -0.0), ("asin", 1.1, NAN),
    ("acosh", 1.0, 0.0), ("acosh", 0.5, NAN), ("acosh", INF, INF), ("asinh", -0.0, -0.0), ("asinh", -INF, -INF),
    ("atan", -0.0, -0.0), ("atan", INF, math.pi / 2), ("atanh", 1.0, INF), ("atanh", -1.0, -INF), ("atanh", 2.0, NAN),
    ("atanh", -0.0, -0.0), ("cos", -0.0, 1.0), ("cos", INF, NAN), ("sin", -0.0, -0.0), ("sin", -INF, NAN),
    ("tan", -0.0, -0.0), ("tan", INF, NAN), ("cosh", -INF, INF), ("cosh", 1000.0, INF), ("sinh", -1000.0, -INF),
    ("sinh", -0.0, -0.0), ("tanh", -INF, -1.0), ("tanh", -0.0, -0.0),
    ("exp", -INF, 0.0), ("exp", 1000.0, INF), ("exp", -0.0, 1.0), ("expm1", -INF, -1.0), ("expm1", -0.0, -0.0),
    ("expm1", 1000.0, INF), ("log", -0.0, -INF), ("log", -1.0, NAN), ("log", 1.0, 0.0), ("log", INF, INF),
    ("log1p", -1.0, -INF), ("log1p", -2.0, NAN), ("log1p", -0.0, -0.0), ("log2", 0.0, -INF), ("log2", -INF, NAN),
    ("log10", 1.0, 0.0), ("log10", -0.0, -INF), ("sqrt", -0.0, -0.0), ("sqrt", -1.0, NAN), ("sqrt", INF, INF),
    ("ceil", -0.5, -0.0), ("ceil", -0.0, -0.0), ("ceil", INF, INF), ("floor", 0.5, 0.0), ("floor", -0.0, -0.0),
    ("floor", -INF, -INF), ("trunc", -0.7, -0.0), ("trunc", NAN, NAN),
    ("round", 0.5, 0.0), ("round", 1.5, 2.0), ("round", 2.5, 2.0), ("round", -2.5, -2.0), ("round", -0.4, -0.0),
    ("round", -INF, -INF), ("sign", -0.0, 0.0), ("sign", NAN, NAN), ("sign", -INF, -1.0), ("sign", 3.0, 1.0),
    ("signbit", -0.0, True), ("signbit", 0.0, False), ("signbit", NEG_NAN, True), ("signbit", NAN, False),
    ("signbit", -INF, True), ("isnan", NAN, True), ("isinf", -INF, True), ("isfinite", NAN, False),
    ("reciprocal", -0.0, -INF), ("reciprocal", INF, 0.0), ("square", -INF, INF), ("negative", 0.0, -0.0),
]


@pytest.mark.parametrize("dtype", [xp.float32, xp.float64])
@pytest.mark.parametrize(("name", "a", "b", "want"), BINARY)
def test_binary_special_case(name: str, a: float, b: float, want: object, dtype) -> None:
    got = getattr(xp, name)(xp.asarray(a, dtype=dtype), xp.asarray(b, dtype=dtype)).to_flat()[0]
    if want is None:  # hypot without undue overflow: finite in float64, inf in float32
        assert got == (INF if dtype is xp.float32 else math.hypot(a, b))
        return
    if isinstance(want, float) and want != 0 and math.isfinite(want) and dtype is xp.float32:
        want = xp.asarray(want, dtype=xp.float32).to_flat()[0]
    assert same_value(got, want), (name, a, b, got, want)


@pytest.mark.parametrize("dtype", [xp.float32, xp.float64])
@pytest.mark.parametrize(("name", "a", "want"), UNARY)
def test_unary_special_case(name: str, a: float, want: object, dtype) -> None:
    got = getattr(xp, name)(xp.asarray(a, dtype=dtype)).to_flat()[0]
    if isinstance(want, float) and want != 0 and math.isfinite(want) and dtype is xp.float32:
        want = xp.asarray(want, dtype=xp.float32).to_flat()[0]
    assert same_value(got, want), (name, a, got, want)


@pytest.mark.parametrize(("dtype", "tiny", "big"), [(xp.float32, TINY32, 3.4028234663852886e38),
                                                     (xp.float64, TINY64, 1.7976931348623157e308)])
def test_nextafter_subnormals_and_extremes(dtype, tiny: float, big: float) -> None:
    def na(a: float, b: float) -> float:
        return xp.nextafter(xp.asarray(a, dtype=dtype), xp.asarray(b, dtype=dtype)).to_flat()[0]
    assert na(0.0, 1.0) == tiny and na(-0.0, -1.0) == -tiny and na(tiny, 0.0) == 0.0
    assert same_value(na(-tiny, 1.0), -0.0)
    assert na(big, INF) == INF and na(INF, 0.0) == big and na(-INF, 0.0) == -big
    assert na(1.0, 2.0) > 1.0 and na(1.0, 0.0) < 1.0


def test_clip_special_cases() -> None:
    x = xp.asarray([NAN, 1.0, 5.0, 10.0])
    assert [same_value(g, w) for g, w in zip(xp.clip(x, 2.0, 6.0).to_flat(), [NAN, 2.0, 5.0, 6.0], strict=True)] == [True] * 4
    got = xp.clip(x, xp.asarray([0.0, NAN, 0.0, 0.0]), None).to_flat()
    assert math.isnan(got[1]) and got[2] == 5.0
    assert xp.clip(xp.asarray([1, 5, 9], dtype=xp.int8), max=4).to_flat() == [1, 4, 4]
    assert xp.clip(x[1:]).to_flat() == [1.0, 5.0, 10.0]
