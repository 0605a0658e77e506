"""The array object: attributes, from_flat/to_flat, indexing against numpy, operators."""

from __future__ import annotations

import numpy as np
import pytest

import accord.reference.tensor as xp

from .conftest import assert_close, assert_same, from_np, to_np


def test_from_flat_round_trip_and_attributes() -> None:
    a = xp.Array.from_flat([1.0, 2.5, -0.0, 0.1, 5.0, 6.0], (2, 3), xp.float32)
    assert a.shape == (2, 3) and a.ndim == 2 and a.size == 6 and a.dtype is xp.float32
    assert a.to_flat()[3] == float(np.float32(0.1))  # values are rounded into the dtype
    assert a.T.shape == (3, 2) and a.mT.to_flat() == to_np(a).T.reshape(-1).tolist()
    assert xp.Array.from_flat([300], (1,), xp.uint8).to_flat() == [44]
    assert a.to_device(a.device) is a
    assert a.__array_namespace__() is xp
    with pytest.raises(ValueError):
        xp.Array.from_flat([1, 2], (3,), xp.int8)


def test_scalar_conversions() -> None:
    assert float(xp.asarray(2.5)) == 2.5 and int(xp.asarray(-3.7)) == -3 and bool(xp.asarray(0)) is False
    assert [0, 1, 2][xp.asarray(2)] == 2 and complex(xp.asarray(1j)) == 1j
    with pytest.raises(TypeError):
        bool(xp.asarray([1, 2]))
    with pytest.raises(TypeError):
        [0][xp.asarray(0.0)]
    with pytest.raises(ValueError):
        int(xp.asarray(float("nan")))


KEYS = [
    0, -1, (1, 2), slice(None), slice(1, None), slice(None, None, -1), slice(-1, -4, -2), slice(5, 1, -1),
    (Ellipsis, 1), (None, 0), (slice(None), None, 2), (1, Ellipsis, None), (Ellipsis,), (),
    (slice(0, 0),), (-2, slice(None, None, -2), -1), (slice(None, None, 3), 0, slice(1, 3)),
    (0, 1, 2), (slice(None), None, 2, slice(1, None)), (slice(5, 1, -1), slice(None), None, -1),
]


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_basic_indexing_matches_numpy(key) -> None:
    a = np.arange(60, dtype=np.int32).reshape(3, 4, 5)
    items = key if isinstance(key, tuple) else (key,)
    given = len([k for k in items if k is not None and k is not Ellipsis])
    if given > 3:
        pytest.skip("too many indices")
    if given < 3 and Ellipsis not in items:  # the standard: fewer indices than axes "should" raise IndexError
        with pytest.raises(IndexError):
            from_np(a)[key]
        return
    assert_same(from_np(a)[key], a[key])


def test_setitem_matches_numpy(rng) -> None:
    a = rng.normal(size=(4, 5))
    r = from_np(a)
    for key, value in [((1, 2), 7.0), ((slice(None), -1), 3), ((slice(None, None, -2), slice(None)), rng.normal(size=(5,))),
                       ((Ellipsis, slice(1, 3)), rng.normal(size=(4, 1)))]:
        a[key] = value
        r[key] = from_np(value) if isinstance(value, np.ndarray) else value
        assert_same(r, a)
    mask = a > 0
    a[mask] = 0.0
    r[from_np(mask)] = 0.0
    assert_same(r, a)
    with pytest.raises(TypeError):
        r[0, 0] = 1j


def test_boolean_and_integer_array_indexing(rng) -> None:
    a = rng.normal(size=(3, 4))
    mask = a > 0
    assert_same(from_np(a)[from_np(mask)], a[mask])
    row_mask = np.array([True, False, True])
    assert_same(from_np(a)[from_np(row_mask)], a[row_mask])
    assert_same(from_np(a)[xp.asarray(True)], a[np.True_])
    i = np.array([[0, 2], [1, -1]])
    j = np.array([3, -2])
    assert_same(from_np(a)[from_np(i), from_np(j)], a[i, j])
    assert_same(from_np(a)[from_np(i)], a[i])
    assert_same(from_np(a)[1, from_np(j)], a[1, j])
    with pytest.raises(IndexError):
        from_np(a)[from_np(np.array([3]))]
    with pytest.raises(IndexError):
        from_np(a)[5]
    assert [float(v) for v in from_np(a[0])] == a[0].tolist()


def test_operators_and_reflected_forms(rng) -> None:
    a = rng.integers(1, 50, size=(2, 3)).astype(np.int16)
    b = rng.integers(1, 7, size=(3,)).astype(np.int16)
    A, B = from_np(a), from_np(b)
    assert_same(A + B, a + b)
    assert_same(A - 3, a - 3)
    assert_same(3 - A, 3 - a)
    assert_same(A * B, a * b)
    assert_same(A // B, a // b)
    assert_same(100 // A, 100 // a)
    assert_same(A % 7, a % 7)
    assert_same(7 % A, 7 % a)
    assert_same(A ** 2, a ** 2)
    assert_same(2 ** B, 2 ** b)
    assert_same(A & B, a & b)
    assert_same(5 | A, 5 | a)
    assert_same(A ^ 3, a ^ 3)
    assert_same(A << B, a << b)
    assert_same(1000 >> B, 1000 >> b)
    assert_same(-A, -a)
    assert_same(+A, +a)
    assert_same(abs(-A), abs(-a))
    assert_same(~A, ~a)
    assert_same(A < B, a < b)
    assert_same(A >= 10, a >= 10)
    assert_same(A == B, a == b)
    assert_same(A != 3, a != 3)
    m = rng.normal(size=(2, 3, 4))
    n = rng.normal(size=(4, 5))
    assert_close(from_np(m) @ from_np(n), m @ n, 1e-12, 1e-12)
    C = from_np(a)
    C //= 2
    C <<= 1
    C %= 5
    C -= 1
    C *= 3
    assert_same(C, (((a // 2) << 1) % 5 - 1) * 3)
    D = xp.asarray([1.5, 2.5])
    D /= 2
    D **= 2
    assert D.to_flat() == [0.5625, 1.5625]
    with pytest.raises(TypeError):
        A + 1.5  # float scalar with an integer array is unspecified: refused
    assert (A == None) is False  # noqa: E711  (no comparison with arbitrary objects)
