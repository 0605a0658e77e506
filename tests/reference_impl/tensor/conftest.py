"""Helpers for the reference tests: numpy is used here only as a cross-check."""

from __future__ import annotations

import math

import numpy as np
import pytest

import accord.reference.tensor as xp

NP_DTYPES = {
    xp.bool: np.bool_, xp.int8: np.int8, xp.int16: np.int16, xp.int32: np.int32, xp.int64: np.int64,
    xp.uint8: np.uint8, xp.uint16: np.uint16, xp.uint32: np.uint32, xp.uint64: np.uint64,
    xp.float32: np.float32, xp.float64: np.float64, xp.complex64: np.complex64, xp.complex128: np.complex128,
}


def to_np(a: xp.Array) -> np.ndarray:
    return np.array(a.to_flat(), dtype=NP_DTYPES[a.dtype]).reshape(a.shape)


def from_np(a: np.ndarray) -> xp.Array:
    dtype = next(k for k, v in NP_DTYPES.items() if np.dtype(v) == a.dtype)
    return xp.Array.from_flat([v.item() for v in a.reshape(-1)], a.shape, dtype)


def same_value(u: object, v: object) -> bool:
    """Bit-level equality for floats (NaN == NaN, +0 != -0), == otherwise."""
    if isinstance(u, complex) or isinstance(v, complex):
        u, v = complex(u), complex(v)
        return same_value(u.real, v.real) and same_value(u.imag, v.imag)
    if isinstance(u, float) or isinstance(v, float):
        u, v = float(u), float(v)
        if math.isnan(u) or math.isnan(v):
            return math.isnan(u) and math.isnan(v)
        return u == v and math.copysign(1, u) == math.copysign(1, v)
    return u == v


def assert_same(ref: xp.Array, expected: np.ndarray, ulps: int = 0) -> None:
    """The reference result equals numpy's: same dtype, shape, values (exactly or within ulps)."""
    assert ref.dtype.name == np.dtype(expected.dtype).name, (ref.dtype.name, expected.dtype)
    assert ref.shape == expected.shape, (ref.shape, expected.shape)
    for got, want in zip(ref.to_flat(), expected.reshape(-1).tolist(), strict=True):
        if ulps and isinstance(want, float) and math.isfinite(want) and math.isfinite(got):
            spacing = np.spacing(np.abs(np.array(want, dtype=expected.dtype)))
            assert abs(got - want) <= ulps * float(spacing), (got, want)
        else:
            assert same_value(got, want), (got, want)


def assert_close(ref: xp.Array, expected: np.ndarray, rtol: float, atol: float = 0.0) -> None:
    """Same dtype, shape and NaN positions; other values within rtol/atol (for reordered sums)."""
    assert ref.dtype.name == np.dtype(expected.dtype).name, (ref.dtype.name, expected.dtype)
    assert ref.shape == expected.shape, (ref.shape, expected.shape)
    got = np.array(ref.to_flat(), dtype=expected.dtype).reshape(expected.shape)
    assert np.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True), (got, expected)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
