"""Non-element-wise functions of the namespace against numpy."""

from __future__ import annotations

import numpy as np
import pytest

import accord.reference.tensor as xp

from .conftest import assert_close, assert_same, from_np


@pytest.fixture
def m(rng) -> np.ndarray:
    a = rng.normal(size=(3, 4, 5))
    a[0, 1, 2] = np.nan
    return a


def test_creation() -> None:
    assert_same(xp.arange(5), np.arange(5))
    assert_same(xp.arange(1, 2, 0.25), np.arange(1, 2, 0.25))
    assert_same(xp.arange(10, 0, -3), np.arange(10, 0, -3))
    assert_same(xp.arange(0, 1, 0.1, dtype=xp.float32), np.arange(0, 1, 0.1, dtype=np.float32), ulps=1)
    assert_same(xp.linspace(0, 1, 7), np.linspace(0, 1, 7), ulps=1)
    assert_same(xp.linspace(-3, 5, 4, endpoint=False, dtype=xp.float32), np.linspace(-3, 5, 4, endpoint=False, dtype=np.float32))
    assert_same(xp.eye(3, 4, k=-1, dtype=xp.int8), np.eye(3, 4, k=-1, dtype=np.int8))
    assert_same(xp.full((2, 2), 7), np.full((2, 2), 7))
    assert_same(xp.full((2,), True), np.full((2,), True))
    assert_same(xp.zeros((0, 3)), np.zeros((0, 3)))
    assert_same(xp.ones_like(xp.zeros((2,), dtype=xp.uint16)), np.ones(2, dtype=np.uint16))
    assert_same(xp.asarray([[1, 2], [3, 4]]), np.asarray([[1, 2], [3, 4]]))
    assert_same(xp.asarray([1, 2.5]), np.asarray([1, 2.5]))
    assert_same(xp.asarray([True, False]), np.asarray([True, False]))
    x = xp.asarray([1, 2])
    assert xp.asarray(x, copy=False) is x
    with pytest.raises(ValueError):
        xp.asarray(x, dtype=xp.int8, copy=False)
    for indexing in ("xy", "ij"):
        got = xp.meshgrid(xp.asarray([1, 2]), xp.asarray([3, 4, 5]), xp.asarray([6]), indexing=indexing)
        want = np.meshgrid([1, 2], [3, 4, 5], [6], indexing=indexing)
        for g, w in zip(got, want, strict=True):
            assert_same(g, w)
    a = np.arange(24).reshape(2, 3, 4)
    assert_same(xp.tril(from_np(a), k=1), np.tril(a, k=1))
    assert_same(xp.triu(from_np(a), k=-1), np.triu(a, k=-1))


def test_manipulation(m) -> None:
    x = from_np(m)
    assert_same(xp.reshape(x, (5, -1)), m.reshape(5, -1))
    assert_same(xp.permute_dims(x, (2, 0, 1)), np.transpose(m, (2, 0, 1)))
    assert_same(xp.moveaxis(x, (0, 1), (-1, 0)), np.moveaxis(m, (0, 1), (-1, 0)))
    assert_same(xp.flip(x, axis=(0, -1)), np.flip(m, axis=(0, -1)))
    assert_same(xp.flip(x), np.flip(m))
    assert_same(xp.roll(x, 2), np.roll(m, 2))
    assert_same(xp.roll(x, (1, -2), axis=(0, 2)), np.roll(m, (1, -2), axis=(0, 2)))
    assert_same(xp.expand_dims(x, axis=-1), np.expand_dims(m, -1))
    assert_same(xp.squeeze(xp.expand_dims(x, axis=1), axis=1), m)
    assert_same(xp.concat([x, x], axis=-1), np.concatenate([m, m], axis=-1))
    assert_same(xp.concat([x, x], axis=None), np.concatenate([m, m], axis=None))
    assert_same(xp.stack([x, x], axis=-1), np.stack([m, m], axis=-1))
    assert_same(xp.unstack(x, axis=1)[2], m[:, 2])
    assert_same(xp.broadcast_to(xp.asarray([1, 2]), (3, 2)), np.broadcast_to([1, 2], (3, 2)))
    assert_same(xp.repeat(x, 2, axis=1), np.repeat(m, 2, axis=1))
    assert_same(xp.repeat(x, xp.asarray([1, 0, 2]), axis=0), np.repeat(m, [1, 0, 2], axis=0))
    assert_same(xp.repeat(x, 2), np.repeat(m, 2))
    assert_same(xp.tile(x, (2, 1, 1, 2)), np.tile(m, (2, 1, 1, 2)))
    assert_same(xp.tile(x, (2,)), np.tile(m, (2,)))


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(m, axis, keepdims) -> None:
    x = from_np(m)
    f = m.astype(np.float32)
    for name, fn in [("sum", np.sum), ("prod", np.prod), ("mean", np.mean), ("max", np.max), ("min", np.min)]:
        # numpy sums pairwise in the input precision; the reference rounds the exact sum once
        assert_close(getattr(xp, name)(x, axis=axis, keepdims=keepdims), fn(m, axis=axis, keepdims=keepdims), 1e-13)
        assert_close(getattr(xp, name)(from_np(f), axis=axis, keepdims=keepdims), fn(f, axis=axis, keepdims=keepdims), 1e-5)
    for corr in (0, 1, 1.5):
        assert_close(xp.var(x, axis=axis, correction=corr, keepdims=keepdims), np.var(m, axis=axis, ddof=corr, keepdims=keepdims), 1e-12)
        assert_close(xp.std(x, axis=axis, correction=corr, keepdims=keepdims), np.std(m, axis=axis, ddof=corr, keepdims=keepdims), 1e-12)
    b = m > 0
    assert_same(xp.all(from_np(b), axis=axis, keepdims=keepdims), np.all(b, axis=axis, keepdims=keepdims))
    assert_same(xp.any(from_np(b), axis=axis, keepdims=keepdims), np.any(b, axis=axis, keepdims=keepdims))
    assert_same(xp.count_nonzero(from_np(b), axis=axis, keepdims=keepdims), np.count_nonzero(b, axis=axis, keepdims=keepdims))
    i = np.arange(60, dtype=np.int8).reshape(3, 4, 5)
    assert_same(xp.sum(from_np(i), axis=axis, keepdims=keepdims), np.sum(i, axis=axis, keepdims=keepdims))
    assert_same(xp.prod(from_np(i.astype(np.uint8)), axis=axis, keepdims=keepdims), np.prod(i.astype(np.uint8), axis=axis, keepdims=keepdims))
    assert_same(xp.sum(from_np(i), axis=axis, dtype=xp.int8), np.sum(i, axis=axis, dtype=np.int8))


def test_reduction_edges() -> None:
    assert np.isnan(xp.mean(xp.zeros((0,))).to_flat()[0])
    assert xp.sum(xp.zeros((0, 3)), axis=0).to_flat() == [0.0, 0.0, 0.0]
    assert np.isnan(xp.var(xp.asarray([1.0]), correction=1).to_flat()[0])
    assert xp.sum(xp.asarray([1e308, 1e308, -1e308])).to_flat() == [1e308]  # exact, no overflow
    assert xp.sum(xp.asarray([float("inf"), 1.0])).to_flat() == [float("inf")]
    assert np.isnan(xp.sum(xp.asarray([float("inf"), -float("inf")])).to_flat()[0])
    with pytest.raises(ValueError):
        xp.max(xp.zeros((0,)))


@pytest.mark.parametrize("include_initial", [False, True])
def test_cumulative(include_initial, rng) -> None:
    a = rng.integers(-5, 5, size=(3, 4)).astype(np.int32)
    for axis in (0, 1, -1):
        want = np.cumsum(a, axis=axis, dtype=np.int64)
        if include_initial:
            want = np.concatenate([np.zeros_like(np.take(want, [0], axis=axis)), want], axis=axis)
        assert_same(xp.cumulative_sum(from_np(a), axis=axis, include_initial=include_initial), want)
    f = rng.normal(size=7).astype(np.float32)
    assert_same(xp.cumulative_sum(from_np(f)), np.cumsum(f))
    assert_same(xp.cumulative_prod(from_np(f)), np.cumprod(f))
    assert_same(xp.cumulative_prod(from_np(a), axis=1), np.cumprod(a, axis=1, dtype=np.int64))


def test_sorting_searching_sets(rng) -> None:
    a = rng.integers(0, 6, size=(4, 7)).astype(np.float64)
    a[1, 3] = np.nan
    x = from_np(a)
    for axis in (0, -1):
        assert_same(xp.sort(x, axis=axis), np.sort(a, axis=axis))
        assert_same(xp.argsort(x, axis=axis), np.argsort(a, axis=axis, kind="stable"))
        assert_same(xp.sort(x, axis=axis, descending=True), np.flip(np.sort(a, axis=axis), axis=axis))  # NaN first
        assert_same(xp.argmax(x, axis=axis), np.argmax(a, axis=axis))
        assert_same(xp.argmin(x, axis=axis, keepdims=True), np.argmin(a, axis=axis, keepdims=True))
    d = xp.argsort(xp.asarray([1, 3, 3, 2, 3]), descending=True).to_flat()
    assert d == [1, 2, 4, 3, 0]  # stable: ties keep their input order
    s = np.sort(rng.integers(0, 10, size=12))
    q = rng.integers(-1, 11, size=9)
    for side in ("left", "right"):
        assert_same(xp.searchsorted(from_np(s), from_np(q), side=side), np.searchsorted(s, q, side=side))
    perm = rng.permutation(12)
    unsorted = s[perm]
    sorter = np.argsort(unsorted, kind="stable")
    assert_same(xp.searchsorted(from_np(unsorted), from_np(q), sorter=from_np(sorter)),
                np.searchsorted(unsorted, q, sorter=sorter))
    c = np.array([[0, 3], [2, 0]])
    for g, w in zip(xp.nonzero(from_np(c)), np.nonzero(c), strict=True):
        assert_same(g, w)
    cond = rng.integers(0, 2, size=(3, 1)).astype(bool)
    assert_same(xp.where(from_np(cond), from_np(a[:3, :2]), 0.5), np.where(cond, a[:3, :2], 0.5))
    v = np.array([3.0, 1.0, np.nan, -0.0, 0.0, 3.0, np.nan, 1.0])
    res = xp.unique_all(from_np(v))
    np_res = np.unique_all(v)
    assert res._fields == ("values", "indices", "inverse_indices", "counts")
    assert_same(res.values, np_res.values)
    assert_same(res.counts, np_res.counts)
    assert_same(res.indices, np_res.indices)
    assert_same(res.inverse_indices, np_res.inverse_indices)
    assert xp.unique_counts(from_np(v))._fields == ("values", "counts")
    assert xp.unique_inverse(from_np(v.reshape(2, 4))).inverse_indices.shape == (2, 4)
    # which zero stands for the {-0.0, +0.0} group is implementation-dependent (the standard says so;
    # numpy 2.4's unique_values keeps +0.0 where its unique_all keeps the first, -0.0): compare by value
    values, expected = xp.unique_values(from_np(v)), np.unique_values(v)
    assert values.dtype.name == expected.dtype.name
    assert np.array_equal(np.array(values.tolist()), expected, equal_nan=True), (values, expected)


def test_linalg_and_indexing(rng) -> None:
    a = rng.normal(size=(2, 3, 4))
    b = rng.normal(size=(4, 5))
    v = rng.normal(size=(4,))
    assert_close(xp.matmul(from_np(a), from_np(b)), a @ b, 1e-12, 1e-12)
    assert_close(xp.matmul(from_np(v), from_np(b)), v @ b, 1e-12, 1e-12)
    assert_close(xp.matmul(from_np(a), from_np(v)), a @ v, 1e-12, 1e-12)
    assert_close(xp.matmul(from_np(v), from_np(v)), np.asarray(v @ v), 1e-12, 1e-12)
    i = rng.integers(-9, 9, size=(3, 3)).astype(np.int8)
    assert_same(xp.matmul(from_np(i), from_np(i)), i @ i)
    assert_same(xp.matrix_transpose(from_np(a)), np.swapaxes(a, -1, -2))
    assert_close(xp.tensordot(from_np(a), from_np(b), axes=1), np.tensordot(a, b, axes=1), 1e-12, 1e-12)
    assert_close(xp.tensordot(from_np(a), from_np(a), axes=([0, -1], [0, 2])), np.tensordot(a, a, axes=([0, 2], [0, 2])), 1e-12, 1e-12)
    assert_same(xp.tensordot(from_np(v), from_np(v), axes=0), np.tensordot(v, v, axes=0))
    assert_close(xp.vecdot(from_np(a), from_np(v)), np.vecdot(a, v), 1e-12, 1e-12)
    assert_close(xp.vecdot(from_np(a), from_np(a), axis=0), np.vecdot(a, a, axis=0), 1e-12, 1e-12)
    c = (rng.normal(size=3) + 1j * rng.normal(size=3))
    assert abs(xp.vecdot(from_np(c), from_np(c)).to_flat()[0] - np.vecdot(c, c)) < 1e-12
    idx = np.array([2, 0, -1])
    assert_same(xp.take(from_np(a), from_np(idx), axis=1), np.take(a, idx, axis=1))
    assert_same(xp.take(from_np(v), from_np(idx)), np.take(v, idx))
    ti = rng.integers(0, 4, size=(2, 3, 2))
    assert_same(xp.take_along_axis(from_np(a), from_np(ti), axis=-1), np.take_along_axis(a, ti, axis=-1))
    assert_same(xp.diff(from_np(a), axis=1), np.diff(a, axis=1))
    assert_same(xp.diff(from_np(v), n=2, prepend=xp.asarray([0.0]), append=xp.asarray([1.0, 2.0])),
                np.diff(v, n=2, prepend=[0.0], append=[1.0, 2.0]))


def test_data_type_functions() -> None:
    assert xp.astype(xp.asarray([1.7, -1.7, 0.0]), xp.int8).to_flat() == [1, -1, 0]
    assert xp.astype(xp.asarray([2, 0]), xp.bool).to_flat() == [True, False]
    assert xp.astype(xp.asarray([float("nan")]), xp.bool).to_flat() == [True]
    assert xp.astype(xp.asarray([True]), xp.float32).to_flat() == [1.0]
    with pytest.raises(TypeError):
        xp.astype(xp.asarray([1j]), xp.float64)
    assert xp.can_cast(xp.int8, xp.int16) and not xp.can_cast(xp.int16, xp.int8)
    assert not xp.can_cast(xp.int64, xp.float64) and xp.can_cast(xp.float32, xp.complex64)
    for d, npd in [(xp.float32, np.float32), (xp.float64, np.float64), (xp.complex64, np.complex64)]:
        fi, nfi = xp.finfo(d), np.finfo(npd)
        assert (fi.bits, fi.eps, fi.max, fi.min, fi.smallest_normal) == (
            nfi.bits, float(nfi.eps), float(nfi.max), float(nfi.min), float(nfi.smallest_normal))
    assert xp.finfo(xp.complex128).dtype is xp.float64
    for d, npd in [(xp.int8, np.int8), (xp.uint64, np.uint64)]:
        ii = xp.iinfo(d)
        assert (ii.bits, ii.min, ii.max, ii.dtype) == (np.iinfo(npd).bits, np.iinfo(npd).min, np.iinfo(npd).max, d)
    assert xp.isdtype(xp.uint8, "integral") and not xp.isdtype(xp.uint8, "signed integer")
    assert xp.isdtype(xp.complex64, ("real floating", "complex floating"))
    assert xp.result_type(xp.int8, xp.asarray([1], dtype=xp.uint8)) is xp.int16
    assert xp.result_type(xp.float32, 1j) is xp.complex64
    info = xp.__array_namespace_info__()
    assert info.default_dtypes()["indexing"] is xp.int64
    assert set(info.dtypes(kind="integral")) == {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}
