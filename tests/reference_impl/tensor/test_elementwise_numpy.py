"""Element-wise functions against numpy on random bit patterns, specials and subnormals.

Correctly rounded operations (+ - * / sqrt, rounding, comparisons, copysign, nextafter)
must match numpy bit for bit, float32 included; transcendental functions within a few ulps.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import accord.reference.tensor as xp

from .conftest import NP_DTYPES, assert_same, from_np

SPECIALS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, np.inf, -np.inf, np.nan, 3.0, -7.0]


def float_sample(rng: np.random.Generator, npd: type, n: int = 300) -> np.ndarray:
    """Random bit patterns (all magnitudes, subnormals, NaN, inf) plus ordinary values and specials."""
    width = np.dtype(npd).itemsize
    ui = {4: np.uint32, 8: np.uint64}[width]
    bits = rng.integers(0, np.iinfo(ui).max, size=n, dtype=ui, endpoint=True).view(npd)
    ordinary = rng.normal(0, 10, size=n).astype(npd)
    tiny = (rng.normal(0, 1, size=40) * np.finfo(npd).smallest_subnormal * 50).astype(npd)
    return np.concatenate([bits, ordinary, tiny, np.array(SPECIALS, dtype=npd)])


def int_sample(rng: np.random.Generator, npd: type, n: int = 300) -> np.ndarray:
    info = np.iinfo(npd)
    edge = np.array([info.min, info.max, 0, 1, info.max - 1, info.min + 1], dtype=npd)
    return np.concatenate([rng.integers(info.min, info.max, size=n, dtype=npd, endpoint=True), edge])


def pair(rng: np.random.Generator, sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = rng.permutation(sample)
    b = rng.permutation(sample)
    return a, b


def run_np(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args)


EXACT_BINARY_FLOAT = ["add", "subtract", "multiply", "divide", "copysign", "nextafter", "atan2", "hypot",
                      "equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
EXACT_UNARY_FLOAT = ["sqrt", "floor", "ceil", "trunc", "round", "abs", "negative", "positive", "square",
                     "isnan", "isinf", "isfinite", "signbit", "sign", "reciprocal"]
APPROX_UNARY = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
                "exp", "expm1", "log", "log1p", "log2", "log10"]
NUMPY_NAME = {"acos": "arccos", "asin": "arcsin", "atan": "arctan", "acosh": "arccosh", "asinh": "arcsinh",
              "atanh": "arctanh", "atan2": "arctan2", "pow": "power", "reciprocal": "reciprocal"}


def np_fn(name: str):
    return getattr(np, NUMPY_NAME.get(name, name))


@pytest.mark.parametrize("dtype", [xp.float32, xp.float64])
@pytest.mark.parametrize("name", EXACT_BINARY_FLOAT)
def test_exact_binary_float(name: str, dtype, rng) -> None:
    npd = NP_DTYPES[dtype]
    a, b = pair(rng, float_sample(rng, npd))
    expected = run_np(np_fn(name), a, b)
    ulps = 1 if name in ("atan2", "hypot") and dtype is xp.float32 else 0
    if name == "atan2":
        ulps = 2
    assert_same(getattr(xp, name)(from_np(a), from_np(b)), expected, ulps=ulps)


@pytest.mark.parametrize("dtype", [xp.float32, xp.float64])
@pytest.mark.parametrize("name", EXACT_UNARY_FLOAT)
def test_exact_unary_float(name: str, dtype, rng) -> None:
    a = float_sample(rng, NP_DTYPES[dtype])
    expected = run_np(np_fn(name), a)
    assert_same(getattr(xp, name)(from_np(a)), expected)


@pytest.mark.parametrize("dtype", [xp.float32, xp.float64])
@pytest.mark.parametrize("name", APPROX_UNARY)
def test_transcendental_within_ulps(name: str, dtype, rng) -> None:
    a = float_sample(rng, NP_DTYPES[dtype])
    expected = run_np(np_fn(name), a)
    assert_same(getattr(xp, name)(from_np(a)), expected, ulps=4)


@pytest.mark.parametrize("dtype", [xp.float32, xp.float64])
@pytest.mark.parametrize("name", ["floor_divide", "remainder", "pow", "maximum", "minimum", "logaddexp"])
def test_finite_binary_float(name: str, dtype, rng) -> None:
    """Operations where numpy deviates from the standard only at infinities / signed-zero ties."""
    npd = NP_DTYPES[dtype]
    sample = float_sample(rng, npd)
    sample = sample[np.isfinite(sample) & (sample != 0)]
    if name == "pow":
        sample = sample[(np.abs(sample) < 50) & (np.abs(sample) > 1e-3)]
    a, b = pair(rng, sample)
    expected = run_np(np_fn(name), a, b)
    ulps = {"pow": 4, "logaddexp": 4}.get(name, 0)
    assert_same(getattr(xp, name)(from_np(a), from_np(b)), expected, ulps=ulps)


INT_DTYPES = [xp.int8, xp.int16, xp.int32, xp.int64, xp.uint8, xp.uint16, xp.uint32, xp.uint64]


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "floor_divide", "remainder", "bitwise_and",
                                  "bitwise_or", "bitwise_xor", "maximum", "minimum", "equal", "less",
                                  "greater_equal"])
def test_integer_binary(name: str, dtype, rng) -> None:
    a, b = pair(rng, int_sample(rng, NP_DTYPES[dtype]))
    expected = run_np(np_fn(name), a, b)
    assert_same(getattr(xp, name)(from_np(a), from_np(b)), expected)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integer_shifts_and_pow(dtype, rng) -> None:
    npd = NP_DTYPES[dtype]
    a = int_sample(rng, npd)
    s = rng.integers(0, np.dtype(npd).itemsize * 8, size=a.size).astype(npd)
    for name in ("bitwise_left_shift", "bitwise_right_shift"):
        expected = run_np(getattr(np, name.replace("bitwise_", "")), a, s)
        assert_same(getattr(xp, name)(from_np(a), from_np(s)), expected)
    e = rng.integers(0, 70, size=a.size).astype(npd)
    assert_same(xp.pow(from_np(a), from_np(e)), run_np(np.power, a, e))


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("name", ["abs", "negative", "positive", "square", "sign", "bitwise_invert",
                                  "floor", "ceil", "round", "trunc"])
def test_integer_unary(name: str, dtype, rng) -> None:
    a = int_sample(rng, NP_DTYPES[dtype])  # includes the minimum integer: abs/negative wrap around as numpy
    fn = {"bitwise_invert": np.invert}.get(name, getattr(np, name, None))
    assert_same(getattr(xp, name)(from_np(a)), run_np(fn, a))


def test_broadcasting_and_scalars(rng) -> None:
    a = rng.normal(size=(3, 1, 4)).astype(np.float32)
    b = rng.normal(size=(5, 1)).astype(np.float32)
    assert_same(xp.add(from_np(a), from_np(b)), a + b)
    assert_same(from_np(a) * 2.5, a * np.float32(2.5))
    assert_same(2 - from_np(a), np.float32(2) - a)
    assert_same(from_np(a) / 3, a / np.float32(3))
    c = from_np(a)
    c += 1.0
    assert_same(c, a + np.float32(1))
    with pytest.raises(ValueError):
        c += from_np(b)  # would change the shape
    i = from_np(np.arange(6, dtype=np.int16))
    with pytest.raises(TypeError):
        i += 1.5  # would change the dtype (float scalar with an integer array)


def test_bool_logic(rng) -> None:
    a = rng.integers(0, 2, size=50).astype(bool)
    b = rng.integers(0, 2, size=50).astype(bool)
    for name in ("logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_xor", "equal"):
        assert_same(getattr(xp, name)(from_np(a), from_np(b)), getattr(np, name)(a, b))
    assert_same(xp.logical_not(from_np(a)), np.logical_not(a))
    assert_same(~from_np(a), ~a)


@pytest.mark.parametrize("dtype", [xp.complex64, xp.complex128])
def test_complex_arithmetic(dtype, rng) -> None:
    npd = NP_DTYPES[dtype]
    a = (rng.normal(size=40) + 1j * rng.normal(size=40)).astype(npd)
    b = (rng.normal(size=40) + 1j * rng.normal(size=40)).astype(npd)
    assert_same(xp.add(from_np(a), from_np(b)), a + b)  # componentwise: correctly rounded
    assert_same(xp.equal(from_np(a), from_np(b)), a == b)
    for name in ("multiply", "divide"):
        # the reference rounds once from double; numpy rounds every float32 step: a few eps apart
        got = getattr(xp, name)(from_np(a), from_np(b)).to_flat()
        want = getattr(np, name)(a, b).tolist()
        assert all(abs(g - w) <= 4 * np.finfo(npd).eps * abs(w) for g, w in zip(got, want, strict=True)), name
    assert_same(xp.abs(from_np(a)), np.abs(a), ulps=2)
    for name in ("exp", "log", "sqrt", "sin", "tanh"):
        got = getattr(xp, name)(from_np(a)).to_flat()
        want = getattr(np, name)(a).tolist()
        assert all(abs(g - w) <= 8 * np.finfo(npd).eps * max(abs(w), 1) for g, w in zip(got, want, strict=True)), name


@pytest.mark.parametrize("dtype", [xp.complex64, xp.complex128])
@pytest.mark.parametrize("name", ["exp", "cosh", "sinh", "cos", "sin", "tanh", "sqrt", "log", "log2", "log10"])
def test_complex_transcendental_including_overflow(name: str, dtype, rng) -> None:
    """Within 8 eps (relative to |result|) of numpy, also where one part overflows."""
    npd = NP_DTYPES[dtype]
    a = (rng.uniform(-720, 720, 400) + 1j * rng.uniform(-720, 720, 400)).astype(npd)
    a = np.concatenate([a, np.array([0j, 711 + 0j, 1 + 711j, 710 + 1.5707963267948966j], dtype=npd)])
    got = getattr(xp, name)(from_np(a)).to_flat()
    want = run_np(getattr(np, name), a).tolist()
    eps = np.finfo(npd).eps
    for g, w in zip(got, want, strict=True):
        for gp, wp in ((g.real, w.real), (g.imag, w.imag)):
            if np.isnan(wp) or np.isinf(wp):
                assert (np.isnan(gp) and np.isnan(wp)) or gp == wp, (name, g, w)
            else:
                scale = max(abs(w.real), abs(w.imag), np.finfo(npd).tiny)
                assert abs(gp - wp) <= 8 * eps * scale, (name, g, w)


def test_complex_log1p_and_multiply_are_accurate() -> None:
    """Checked against 50-digit decimal arithmetic (numpy's naive complex log1p is not)."""
    from decimal import Decimal, getcontext

    getcontext().prec = 50
    z = complex(1.234e-5, 3.1e-5)
    got = xp.log1p(xp.asarray(z)).to_flat()[0]
    re, im = Decimal(z.real), Decimal(z.imag)
    assert abs(got.real - float(((1 + re) ** 2 + im ** 2).ln() / 2)) <= np.spacing(got.real)
    a, b = 94906267.0, 91892598.0  # heavy cancellation in a*a - b*b
    sq = xp.square(xp.asarray(complex(a, b))).to_flat()[0]
    assert sq.real == float(Decimal(a) ** 2 - Decimal(b) ** 2) and sq.imag == 2 * a * b
    assert xp.exp(xp.asarray(complex(711.0, 0.0))).to_flat()[0] == complex(np.inf, 0.0)
    assert xp.expm1(xp.asarray(complex(711.0, 0.0))).to_flat()[0] == complex(np.inf, 0.0)
    below_cut = xp.log1p(xp.asarray([complex(-2.0, -0.0), complex(-2.0, 0.0)])).to_flat()
    assert [v.imag for v in below_cut] == [-np.pi, np.pi]  # the sign of an imaginary zero picks the side
