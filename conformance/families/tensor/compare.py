"""Comparison rules of the tensor spec: exact, ULP distance, scaled allclose, multiset.

Each rule compares one backend result with the reference's under a requirement's ``compare``
mapping and returns None when they agree, or a one-line reason. NaN always matches NaN (its
payload carries no meaning); the sign of zero matters unless ``signed_zeros: false``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

_INT_VIEW = {np.dtype("float32"): (np.int32, 0x7FFFFFFF), np.dtype("float64"): (np.int64, 0x7FFFFFFFFFFFFFFF)}


def ordered_bits(values: np.ndarray) -> list[int]:
    """Map floats to integers whose difference is the number of representable values between them.

    Negative floats map below zero by magnitude, so the distance across zero is counted properly
    (+0 and -0 both map to 0).
    """
    int_type, mask = _INT_VIEW[values.dtype]
    out = []
    for bits in np.ascontiguousarray(values).view(int_type).ravel().tolist():
        out.append(bits if bits >= 0 else -(bits & mask))
    return out


def ulp_distance(expected: np.ndarray, actual: np.ndarray) -> list[int]:
    """Per-element ULP distance of two real float arrays of the same dtype (finite or infinite, not NaN)."""
    return [abs(a - b) for a, b in zip(ordered_bits(expected), ordered_bits(actual), strict=True)]


def _real_parts(arr: np.ndarray) -> list[np.ndarray]:
    if np.iscomplexobj(arr):
        return [np.ascontiguousarray(arr.real), np.ascontiguousarray(arr.imag)]
    return [arr]


def _first_bad(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _describe(expected: np.ndarray, actual: np.ndarray, where: tuple[int, ...]) -> str:
    e = expected[where] if expected.ndim else expected[()]
    a = actual[where] if actual.ndim else actual[()]
    at = f" at index {list(where)}" if where else ""
    return f"expected {_fmt(e)}, got {_fmt(a)}{at}"


def _fmt(v: Any) -> str:
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, float) and v == 0.0:
        return "-0.0" if math.copysign(1.0, v) < 0 else "0.0"
    return repr(v)


def compare_arrays(expected: np.ndarray, actual: np.ndarray, compare: Mapping[str, Any],
                   inputs: list[np.ndarray] | None = None) -> str | None:
    """Compare two arrays under a compare rule; None when they agree."""
    if expected.shape != actual.shape:
        return f"shape {actual.shape} differs from the reference's {expected.shape}"
    if actual.dtype != expected.dtype:
        if expected.dtype.kind in "fc" and actual.dtype.kind in "fc" or expected.dtype.kind == actual.dtype.kind:
            actual = actual.astype(expected.dtype)  # the dtype requirement reports the dtype itself
        else:
            return f"dtype {actual.dtype} where the reference gives {expected.dtype}: values not comparable"
    if expected.size == 0:
        return None
    if expected.dtype.kind not in "fc":
        bad = expected != actual
        return _describe(expected, actual, _first_bad(bad)) if bad.any() else None
    rule = compare.get("rule", "exact")
    signed_zeros = compare.get("signed_zeros", rule == "exact")
    if rule == "ulp" and expected.dtype.kind == "c":
        return _complex_normwise(expected, actual, int(compare["ulp"][expected.dtype.name]))
    for e, a in zip(_real_parts(expected), _real_parts(actual), strict=True):
        reason = _compare_real(e, a, rule, compare, signed_zeros, expected.dtype.name, inputs)
        if reason:
            return reason
    return None


def _compare_real(e: np.ndarray, a: np.ndarray, rule: str, compare: Mapping[str, Any], signed_zeros: bool,
                  dtype: str, inputs: list[np.ndarray] | None) -> str | None:
    e_nan, a_nan = np.isnan(e), np.isnan(a)
    bad = e_nan != a_nan
    if bad.any():
        return _describe(e, a, _first_bad(bad))
    both = ~e_nan
    inf = np.isinf(e) | np.isinf(a)
    bad = inf & both & (e != a)
    if bad.any():
        return _describe(e, a, _first_bad(bad))
    if signed_zeros:
        bad = both & (e == 0) & (a == 0) & (np.signbit(e) != np.signbit(a))
        if bad.any():
            return _describe(e, a, _first_bad(bad)) + " (sign of zero)"
    finite = both & ~inf
    if rule == "exact":
        bad = finite & (e != a)
        return _describe(e, a, _first_bad(bad)) if bad.any() else None
    if rule == "ulp":
        bound = int(compare["ulp"][dtype])
        flat_e, flat_a = e[finite], a[finite]
        distances = ulp_distance(flat_e, flat_a)
        for i, d in enumerate(distances):
            if d > bound:
                where = tuple(int(k) for k in np.argwhere(finite)[i])
                return _describe(e, a, where) + f" ({d} ULP apart, the spec allows {bound} for {dtype})"
        return None
    if rule == "allclose":
        rtol = float(compare["rtol"][dtype])
        atol = rtol * magnitude_scale(compare.get("magnitude", "linear"), inputs or [])
        with np.errstate(all="ignore"):
            diff = np.abs(e.astype(np.float64) - a.astype(np.float64))
        limit = atol + rtol * np.abs(e.astype(np.float64))
        bad = finite & ~(diff <= limit)
        if bad.any():
            where = _first_bad(bad)
            return _describe(e, a, where) + f" (differs by {float(diff[where]):.3g}, allowed {float(limit[where]):.3g})"
        return None
    raise ValueError(f"unknown compare rule {rule!r}")


def _complex_normwise(expected: np.ndarray, actual: np.ndarray, bound: int) -> str | None:
    """Complex results within ``bound`` units of roundoff of |expected| (norm-wise, as complex kernels are judged).

    A component-wise ULP distance would punish cancellation in one component (a*a - b*b) that no
    complex kernel avoids; NaN and infinite components must still match exactly.
    """
    for e, a in zip(_real_parts(expected), _real_parts(actual), strict=True):
        special = ~np.isfinite(e) | ~np.isfinite(a)
        reason = _compare_real(np.where(special, e, 0).astype(e.dtype), np.where(special, a, 0).astype(a.dtype),
                               "exact", {}, False, e.dtype.name, None)
        if reason:
            return reason
    real = np.finfo(expected.real.dtype)
    e64, a64 = expected.astype(np.complex128), actual.astype(np.complex128)
    finite = np.isfinite(e64) & np.isfinite(a64)
    with np.errstate(all="ignore"):
        err = np.abs(e64 - a64)
        limit = bound * float(real.eps) * np.maximum(np.abs(e64), float(real.smallest_normal))
    bad = finite & ~(err <= limit)
    if bad.any():
        where = _first_bad(bad)
        return _describe(expected, actual, where) + (
            f" (|difference| {float(err[where]):.3g} exceeds {bound} x eps x |expected| = {float(limit[where]):.3g})")
    return None


def magnitude_scale(mode: str, inputs: list[np.ndarray]) -> float:
    """How large the absolute error of an accumulating computation may grow for these inputs."""
    finite = [np.abs(x[np.isfinite(x)]).astype(np.float64) for x in inputs if x.dtype.kind in "fc" and x.size]
    finite += [np.abs(x.astype(np.float64)).ravel() for x in inputs if x.dtype.kind in "iub" and x.size]
    m = max((float(f.max()) for f in finite if f.size), default=1.0)
    m = max(m, 1.0)
    n = max((x.size for x in inputs), default=1)
    n = max(n, 1)
    if mode == "linear":
        return n * m
    if mode == "square":
        return n * m * m
    if mode == "root":
        return math.sqrt(n) * m
    if mode == "product":
        exponent = math.log(n) + min(n, 64) * math.log(m)
        return 1e300 if exponent > 690 else math.exp(exponent)
    if mode == "endpoints":
        return m
    raise ValueError(f"unknown magnitude mode {mode!r}")


def same_value(expected: Any, actual: Any, compare: Mapping[str, Any], inputs: list[np.ndarray] | None = None) -> str | None:
    """Compare whole results: arrays, tuples of arrays, namedtuples, Python scalars."""
    if isinstance(expected, np.ndarray):
        if not isinstance(actual, np.ndarray):
            return f"expected an array, got {type(actual).__name__} {actual!r}"
        return compare_arrays(expected, actual, compare, inputs)
    if isinstance(expected, tuple | list):
        if not isinstance(actual, tuple | list) or len(actual) != len(expected):
            return f"expected a sequence of {len(expected)} results, got {type(actual).__name__} {_short(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            reason = same_value(e, a, compare, inputs)
            if reason:
                return f"item {i}: {reason}"
        return None
    if isinstance(expected, float) and isinstance(actual, float):
        if math.isnan(expected) and math.isnan(actual):
            return None
    if expected != actual or type(expected) is not type(actual) and not (
        isinstance(expected, int | float) and isinstance(actual, int | float) and not isinstance(actual, bool)
    ):
        return f"expected {expected!r}, got {actual!r}"
    return None


def multiset_fields(expected: Any, actual: Any, fields: list[str], compare: Mapping[str, Any]) -> str | None:
    """Compare named result fields as multisets of rows (order of unique elements is unspecified)."""
    def rows(result: Any) -> list[tuple]:
        arrays = [result] if isinstance(result, np.ndarray) else [getattr(result, f) if hasattr(result, f)
                                                                    else result[i] for i, f in enumerate(fields)]
        flat = [[v + 0.0 if isinstance(v, float) else v for v in np.asarray(a).ravel().tolist()] for a in arrays]
        return sorted(zip(*flat, strict=True), key=repr)

    try:
        got = rows(actual)
    except (AttributeError, IndexError, TypeError, ValueError) as exc:
        return f"result lacks the fields {fields}: {exc}"
    want = rows(expected)
    if got != want:
        return f"expected (as a multiset) {want[:8]}{' …' if len(want) > 8 else ''}, got {got[:8]}{' …' if len(got) > 8 else ''}"
    return None


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) < 120 else text[:117] + "..."
