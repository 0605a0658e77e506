"""The ``fft`` extension (array API 2025.12, "Fourier transform Functions"): ``xp.fft.<name>``.

Every transform is the textbook discrete Fourier transform, O(n^2) per line, written out so that it can
be checked against its definition::

    forward:  X[k] = sum_j x[j] * exp(-2*pi*i*j*k/n)
    inverse:  x[j] = sum_k X[k] * exp(+2*pi*i*j*k/n)

computed in Python floats (double precision, sums by ``math.fsum``) and rounded once into the result
dtype. An n-dimensional transform is the 1-D transform applied along each axis in turn.

The standard's parameters:

* ``n`` (1-D) / ``s`` (n-D): the input is trimmed or zero-padded along the axis to that length first
  (``s[i] == -1``: the axis' own length). For ``irfft`` / ``hfft`` (and the last axis of ``irfftn``)
  ``n`` is the *output* length and the input is fitted to ``n//2 + 1``; it defaults to ``2*(M-1)``.
* ``norm``: the forward transforms (fft, fftn, rfft, rfftn, hfft) scale by 1 / ``1/sqrt(n)`` /
  ``1/n`` for "backward" / "ortho" / "forward"; the inverse ones (ifft, ifftn, irfft, irfftn, ihfft)
  by ``1/n`` / ``1/sqrt(n)`` / 1. For n-D transforms ``n = prod(s)``, the product of the per-axis factors.
* result dtypes: fft/ifft/fftn/ifftn keep the (complex) dtype of ``x``; rfft/rfftn/ihfft give the complex
  dtype of ``x``'s precision; irfft/irfftn/hfft the real dtype of ``x``'s precision.

Unspecified by the text, decided here (the reference rejects, so checks never judge them): a transform
length below 1 raises ValueError; ``s`` without ``axes``, ``s`` and ``axes`` of different lengths, and
repeated axes raise ValueError; integer or boolean inputs raise TypeError. A real floating input to
fft / ifft / fftn / ifftn / irfft / irfftn / hfft ("should have a complex floating-point data type") is
read as complex of the same precision. ``fftfreq`` / ``rfftfreq`` need ``n >= 1``.
"""

from __future__ import annotations

import cmath
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

from . import _helpers as h
from . import dtypes as dt
from .array import Array, check_device
from .elementwise.core import finish
from .manipulation import roll

__all__ = ["fft", "fftfreq", "fftn", "fftshift", "hfft", "ifft", "ifftn", "ifftshift", "ihfft", "irfft",
           "irfftn", "rfft", "rfftfreq", "rfftn"]

NORMS = ("backward", "ortho", "forward")


# ------------------------------------------------------------------ the 1-D building blocks


def _dft(line: list[complex], sign: int) -> list[complex]:
    """sum_j line[j] * exp(sign*2*pi*i*j*k/n) for every k (sign -1: forward, +1: inverse, unscaled)."""
    n = len(line)
    # exp(sign*2*pi*i*m/n) for m = j*k mod n: reducing the angle first keeps every twiddle accurate
    twiddle = [cmath.exp(sign * 2j * math.pi * m / n) for m in range(n)]
    out = []
    for k in range(n):
        terms = [line[j] * twiddle[(j * k) % n] for j in range(n)]
        out.append(complex(math.fsum(t.real for t in terms), math.fsum(t.imag for t in terms)))
    return out


def _scale(n: int, norm: str, inverse: bool) -> float:
    """The factor the text's ``norm`` modes give a transform of logical length ``n``."""
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")
    if norm == "ortho":
        return 1 / math.sqrt(n)
    unscaled = "forward" if inverse else "backward"  # the mode in which this direction is not normalised
    return 1.0 if norm == unscaled else 1 / n


def _fit(line: list, size: int) -> list:
    """The line trimmed, or zero-padded, to ``size`` elements."""
    return line[:size] + [0j] * (size - len(line))


def _length(n: int | None, default: int) -> int:
    n = default if n is None else n
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"the transform length must be a positive integer, got {n!r}")
    return n


def _hermitian(half: list[complex], n: int) -> list[complex]:
    """The full length-``n`` sequence whose first ``n//2 + 1`` entries are ``half``: entry k > n//2 is conj(half[n-k])."""
    return [half[k] if k <= n // 2 else half[n - k].conjugate() for k in range(n)]


def _along(data: list, shape: tuple[int, ...], axis: int, size: int,
           fn: Callable[[list], list]) -> tuple[list, tuple[int, ...]]:
    """``fn`` applied to every 1-D line of ``data`` along ``axis``; each result line has ``size`` elements."""
    out_shape = (*shape[:axis], size, *shape[axis + 1:])
    in_strides, out_strides = h.strides_of(shape), h.strides_of(out_shape)
    out: list = [0j] * h.size_of(out_shape)
    others = [range(d) for i, d in enumerate(shape) if i != axis]
    for index in itertools.product(*others):
        at = (*index[:axis], 0, *index[axis:])
        start_in = sum(i * s for i, s in zip(at, in_strides, strict=True))
        start_out = sum(i * s for i, s in zip(at, out_strides, strict=True))
        line = [data[start_in + k * in_strides[axis]] for k in range(shape[axis])]
        for k, v in enumerate(fn(line)):
            out[start_out + k * out_strides[axis]] = v
    return out, out_shape


# ------------------------------------------------------------------ one transform along one axis
# Each takes and returns (flat complex/real values, shape); the public functions add dtypes.


def _c2c(data: list, shape: tuple, axis: int, n: int, norm: str, inverse: bool) -> tuple[list, tuple]:
    factor = _scale(n, norm, inverse)
    return _along(data, shape, axis, n, lambda line: [v * factor for v in _dft(_fit(line, n), +1 if inverse else -1)])


def _r2c(data: list, shape: tuple, axis: int, n: int, norm: str, inverse: bool) -> tuple[list, tuple]:
    """rfft (forward) / ihfft (inverse): the first n//2 + 1 terms of the transform of a real line."""
    factor = _scale(n, norm, inverse)
    return _along(data, shape, axis, n // 2 + 1,
                  lambda line: [v * factor for v in _dft(_fit(line, n), +1 if inverse else -1)[: n // 2 + 1]])


def _c2r(data: list, shape: tuple, axis: int, n: int, norm: str, inverse: bool) -> tuple[list, tuple]:
    """irfft (inverse) / hfft (forward): the real transform of the Hermitian sequence whose half is the line."""
    factor = _scale(n, norm, inverse)
    return _along(data, shape, axis, n, lambda line: [
        v.real * factor for v in _dft(_hermitian(_fit(line, n // 2 + 1), n), +1 if inverse else -1)])


# ------------------------------------------------------------------ arguments and dtypes


def _complex_input(x: Array) -> list[complex]:
    if not x.dtype.is_float:
        raise TypeError(f"the fft functions take floating-point arrays, got {x.dtype.name}")
    return [complex(v) for v in x._data]


def _real_input(x: Array) -> list[complex]:
    if x.dtype.kind != "f":
        raise TypeError(f"x must have a real-valued floating-point data type, got {x.dtype.name}")
    return [complex(v) for v in x._data]


def _axis(axis: int, x: Array) -> int:
    return h.normalize_axis(axis, x.ndim) if x.ndim else _no_axis()


def _no_axis() -> int:
    raise ValueError("a zero-dimensional array has no axis to transform")


def _axes_and_sizes(x: Array, s: Sequence[int] | None, axes: Sequence[int] | None) -> list[tuple[int, int | None]]:
    """(axis, requested size or None) per transformed axis, in the order given."""
    if s is not None and axes is None:
        raise ValueError("if s is not None, axes must not be None")
    resolved = list(range(x.ndim)) if axes is None else [h.normalize_axis(a, x.ndim) for a in axes]
    if len(set(resolved)) != len(resolved):
        raise ValueError(f"repeated axis in {axes!r} (unspecified by the standard)")
    if not resolved:
        raise ValueError("no axis to transform")
    sizes = [None] * len(resolved) if s is None else list(s)
    if len(sizes) != len(resolved):
        raise ValueError("s and axes must have the same length")
    return [(a, None if size == -1 else size) for a, size in zip(resolved, sizes, strict=True)]


def _result(values: list, shape: tuple, dtype: dt.DType) -> Array:
    return Array(finish(values, dtype), shape, dtype)


# ------------------------------------------------------------------ the standard's functions


def fft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """One-dimensional discrete Fourier transform; same dtype as (complex) ``x``."""
    a = _axis(axis, x)
    values, shape = _c2c(_complex_input(x), x.shape, a, _length(n, x.shape[a]), norm, inverse=False)
    return _result(values, shape, dt.complex_dtype_of(x.dtype))


def ifft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """One-dimensional inverse discrete Fourier transform; same dtype as (complex) ``x``."""
    a = _axis(axis, x)
    values, shape = _c2c(_complex_input(x), x.shape, a, _length(n, x.shape[a]), norm, inverse=True)
    return _result(values, shape, dt.complex_dtype_of(x.dtype))


def _c2c_n(x: Array, s: Sequence[int] | None, axes: Sequence[int] | None, norm: str, inverse: bool) -> Array:
    values, shape = _complex_input(x), x.shape
    for a, size in _axes_and_sizes(x, s, axes):
        values, shape = _c2c(values, shape, a, _length(size, x.shape[a]), norm, inverse)
    return _result(values, shape, dt.complex_dtype_of(x.dtype))


def fftn(x: Array, /, *, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
         norm: str = "backward") -> Array:
    """n-dimensional discrete Fourier transform: fft along each axis of ``axes`` (all by default)."""
    return _c2c_n(x, s, axes, norm, inverse=False)


def ifftn(x: Array, /, *, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str = "backward") -> Array:
    """n-dimensional inverse discrete Fourier transform: ifft along each axis of ``axes``."""
    return _c2c_n(x, s, axes, norm, inverse=True)


def rfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """Transform of a real ``x``: the ``n//2 + 1`` non-negative frequency terms, complex of ``x``'s precision."""
    a = _axis(axis, x)
    values, shape = _r2c(_real_input(x), x.shape, a, _length(n, x.shape[a]), norm, inverse=False)
    return _result(values, shape, dt.complex_dtype_of(x.dtype))


def irfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """Inverse of rfft: a real signal of length ``n`` (default ``2*(M-1)``), real of ``x``'s precision."""
    a = _axis(axis, x)
    values, shape = _c2r(_complex_input(x), x.shape, a, _length(n, 2 * (x.shape[a] - 1)), norm, inverse=True)
    return _result(values, shape, dt.real_dtype_of(x.dtype))


def rfftn(x: Array, /, *, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str = "backward") -> Array:
    """rfft along the last axis of ``axes``, then fft along the others; complex of ``x``'s precision."""
    plan = _axes_and_sizes(x, s, axes)
    last, last_size = plan[-1]
    values, shape = _r2c(_real_input(x), x.shape, last, _length(last_size, x.shape[last]), norm, inverse=False)
    for a, size in plan[:-1]:
        values, shape = _c2c(values, shape, a, _length(size, x.shape[a]), norm, inverse=False)
    return _result(values, shape, dt.complex_dtype_of(x.dtype))


def irfftn(x: Array, /, *, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
           norm: str = "backward") -> Array:
    """Inverse of rfftn: ifft along all but the last axis of ``axes``, then irfft along it; real of ``x``'s precision."""
    plan = _axes_and_sizes(x, s, axes)
    values, shape = _complex_input(x), x.shape
    for a, size in plan[:-1]:
        values, shape = _c2c(values, shape, a, _length(size, x.shape[a]), norm, inverse=True)
    last, last_size = plan[-1]
    values, shape = _c2r(values, shape, last, _length(last_size, 2 * (x.shape[last] - 1)), norm, inverse=True)
    return _result(values, shape, dt.real_dtype_of(x.dtype))


def hfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """Transform of a Hermitian-symmetric signal given by its first half: real, length ``n`` (default ``2*(M-1)``)."""
    a = _axis(axis, x)
    values, shape = _c2r(_complex_input(x), x.shape, a, _length(n, 2 * (x.shape[a] - 1)), norm, inverse=False)
    return _result(values, shape, dt.real_dtype_of(x.dtype))


def ihfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """Inverse of hfft: the first ``n//2 + 1`` terms of the inverse transform of a real ``x``."""
    a = _axis(axis, x)
    values, shape = _r2c(_real_input(x), x.shape, a, _length(n, x.shape[a]), norm, inverse=True)
    return _result(values, shape, dt.complex_dtype_of(x.dtype))


def _frequency_dtype(dtype: dt.DType | None, device: Any) -> dt.DType:
    check_device(device)
    dtype = dt.default_float if dtype is None else dtype
    if not isinstance(dtype, dt.DType) or dtype.kind != "f":
        raise ValueError(f"dtype must be a real-valued floating-point data type, got {dtype!r}")
    return dtype


def fftfreq(n: int, /, *, d: float = 1.0, dtype: dt.DType | None = None, device: Any = None) -> Array:
    """Sample frequencies [0, 1, ..., -2, -1] / (d*n) of a length-``n`` transform."""
    dtype = _frequency_dtype(dtype, device)
    n = _length(n, n)
    ks = [k if k < (n + 1) // 2 else k - n for k in range(n)]
    return _result([k / (d * n) for k in ks], (n,), dtype)


def rfftfreq(n: int, /, *, d: float = 1.0, dtype: dt.DType | None = None, device: Any = None) -> Array:
    """Sample frequencies [0, 1, ..., n//2] / (d*n) of rfft / irfft (the Nyquist term counted positive)."""
    dtype = _frequency_dtype(dtype, device)
    n = _length(n, n)
    return _result([k / (d * n) for k in range(n // 2 + 1)], (n // 2 + 1,), dtype)


def _shift_axes(x: Array, axes: int | Sequence[int] | None) -> list[int]:
    if axes is None:
        return list(range(x.ndim))
    resolved = [h.normalize_axis(a, x.ndim) for a in ((axes,) if isinstance(axes, int) else axes)]
    if len(set(resolved)) != len(resolved):
        raise ValueError(f"repeated axis in {axes!r} (unspecified by the standard)")
    return resolved


def fftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    """Swap half-spaces: roll each axis of ``axes`` (all by default) forward by half its length (n//2)."""
    picked = _shift_axes(x, axes)
    if not picked:
        return Array(list(x._data), x.shape, x.dtype)
    return roll(x, tuple(x.shape[a] // 2 for a in picked), axis=tuple(picked))


def ifftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    """Inverse of fftshift: roll each axis back by n//2 (they differ by one sample for odd lengths)."""
    picked = _shift_axes(x, axes)
    if not picked:
        return Array(list(x._data), x.shape, x.dtype)
    return roll(x, tuple(-(x.shape[a] // 2) for a in picked), axis=tuple(picked))
