"""Comparison rules of the tensor spec: exact, ULP distance, scaled allclose, multiset.

Each rule compares one backend result with the reference's under a requirement's ``compare``
mapping and returns None when they agree, or a one-line reason. NaN always matches NaN (its
payload carries no meaning); the sign of zero matters unless ``signed_zeros: false``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    if np.iscomplexobj(arr):  # copy(), not ascontiguousarray: that makes a 0-d part 1-d
        return [arr.real.copy(), arr.imag.copy()]
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


# ------------------------------------------------------------------ measured accuracy
# The standard does not define the accuracy of acos … tanh ("implementation-dependent approximation",
# design topic "Accuracy"): for those a values requirement with ``accuracy: measured`` fails only on
# gross errors and records the largest ULP error it saw, the way libm test suites publish theirs.


@dataclass
class Accuracy:
    """The largest ULP error seen per dtype over every example of one requirement."""

    worst: dict[str, dict[str, Any]] = field(default_factory=dict)
    elements: dict[str, int] = field(default_factory=dict)

    def record(self, dtype: str, ulp: int, example: dict[str, Any], count: int = 1) -> None:
        """One call's worst element (``ulp``, ``example``) out of ``count`` measured elements."""
        self.elements[dtype] = self.elements.get(dtype, 0) + count
        if dtype not in self.worst or ulp > self.worst[dtype]["max_ulp"]:
            self.worst[dtype] = {"max_ulp": int(ulp), "example": example}

    def to_json(self) -> dict[str, Any]:
        """``{"float32": {"max_ulp": 9, "elements": 812, "example": {...}}}`` (report entry ``accuracy``)."""
        return {d: {**w, "elements": self.elements[d]} for d, w in sorted(self.worst.items())}


def gross_error(expected: np.ndarray, actual: np.ndarray) -> str | None:
    """Errors no approximation excuses, in a real floating result of the reference's dtype and shape.

    NaN where the reference is a number (or a number where it is NaN); an infinity where the reference
    is finite or a finite value where it is infinite (except one rounding across the largest finite
    value, one ULP in the ordered encoding); a result of the opposite sign (zeros excepted: a tiny
    result may underflow to either zero).
    """
    e_nan, a_nan = np.isnan(expected), np.isnan(actual)
    bad = e_nan != a_nan
    if bad.any():
        return _describe(expected, actual, _first_bad(bad))
    both = ~e_nan
    inf = both & (np.isinf(expected) | np.isinf(actual)) & (expected != actual)
    for where in np.argwhere(inf):
        where = tuple(int(i) for i in where)
        e, a = expected[where], actual[where]
        if ulp_distance(np.asarray([e]), np.asarray([a]))[0] > 1:
            return _describe(expected, actual, where) + " (infinite where the other is finite)"
    sign = both & (expected != 0) & (actual != 0) & (np.signbit(expected) != np.signbit(actual))
    if sign.any():
        return _describe(expected, actual, _first_bad(sign)) + " (wrong sign)"
    return None


def subnormal_mask(expected: np.ndarray, inputs_at: Any = None) -> np.ndarray:
    """Elements whose reference result or any floating input is subnormal: "conforming implementations may
    vary in their support for subnormal numbers" (design topic Accuracy), so flushing them (DAZ / FTZ)
    is neither a gross error, nor imprecision, nor an accuracy figure."""
    mask = np.zeros(expected.shape, dtype=bool)
    for part in _real_parts(expected):
        tiny = np.finfo(part.dtype).smallest_normal
        mask |= (part != 0) & (np.abs(part) < tiny)
    if inputs_at is not None:
        for index in np.ndindex(expected.shape):
            mask[index] |= any(_is_subnormal(np.asarray(v)) for v in inputs_at(index).values())
    return mask


def _is_subnormal(v: np.ndarray) -> bool:
    if v.dtype.kind not in "fc":
        return False
    tiny = np.finfo(v.dtype).smallest_normal
    return any(bool(x != 0 and abs(x) < tiny) for x in ([v.real, v.imag] if v.dtype.kind == "c" else [v]))


def measure_ulp(expected: np.ndarray, actual: np.ndarray, accuracy: Accuracy,
                inputs_at: Any = None, skip: np.ndarray | None = None) -> None:
    """Record the ULP error of every element both sides give as a finite number (complex: per part),
    except those ``skip`` marks."""
    dtype = expected.dtype.name
    for e, a in zip(_real_parts(expected), _real_parts(actual), strict=True):
        finite = np.isfinite(e) & np.isfinite(a) & (True if skip is None else ~skip)
        if not finite.any():
            continue
        distances = ulp_distance(e[finite], a[finite])
        i = max(range(len(distances)), key=distances.__getitem__)
        where = tuple(int(k) for k in np.argwhere(finite)[i])
        example = {"expected": _fmt(e[where]), "actual": _fmt(a[where])}
        if inputs_at is not None:
            example["inputs"] = {k: _fmt(v) for k, v in inputs_at(where).items()}
        accuracy.record(dtype, distances[i], example, len(distances))


def measured(expected: Any, actual: Any, accuracy: Accuracy, inputs_at: Any = None) -> str | None:
    """A measured-accuracy comparison: None unless shapes, dtypes or a gross error disagree."""
    if not isinstance(expected, np.ndarray) or not isinstance(actual, np.ndarray):
        return same_value(expected, actual, {"rule": "exact"})
    if expected.shape != actual.shape:
        return f"shape {actual.shape} differs from the reference's {expected.shape}"
    if expected.dtype.kind not in "fc" or actual.dtype.kind not in "fc":
        return compare_arrays(expected, actual, {"rule": "exact"})
    same_dtype = actual.dtype == expected.dtype
    if not same_dtype:
        actual = actual.astype(expected.dtype)  # the dtype requirement reports the dtype itself
    if expected.size == 0:
        return None
    free = subnormal_mask(expected, inputs_at)  # judged and measured on normal inputs and results only
    if expected.dtype.kind == "c":
        return _measured_complex(expected, actual, accuracy, inputs_at, free)
    for e, a in zip(_real_parts(expected), _real_parts(actual), strict=True):
        reason = gross_error(np.where(free, 1, e).astype(e.dtype), np.where(free, 1, a).astype(a.dtype))
        if reason:
            return reason
    if same_dtype:  # ULPs of a result in another dtype would measure the dtype deviation, not the kernel
        measure_ulp(expected, actual, accuracy, inputs_at, skip=free)
    return None


def _measured_complex(expected: np.ndarray, actual: np.ndarray, accuracy: Accuracy, inputs_at: Any,
                      free: np.ndarray) -> str | None:
    """Complex results judged per part for NaN and infinity, for sign only where the part is not lost to
    cancellation (below sqrt(eps) of the modulus, as in a*a - b*b), and measured norm-wise:
    |expected - actual| in units of eps x |expected|, the way complex kernels are judged."""
    real = np.finfo(expected.real.dtype)
    modulus = np.abs(expected.astype(np.complex128))
    for e, a in zip(_real_parts(expected), _real_parts(actual), strict=True):
        with np.errstate(all="ignore"):
            lost = np.isfinite(e) & np.isfinite(a) & (np.abs(e.astype(np.float64)) < np.sqrt(real.eps) * modulus)
        reason = gross_error(np.where(free | lost, 1, e).astype(e.dtype), np.where(free | lost, 1, a).astype(a.dtype))
        if reason:
            return reason
    if actual.dtype != expected.dtype:
        return None  # the dtype requirement's business
    e64, a64 = expected.astype(np.complex128), actual.astype(np.complex128)
    finite = np.isfinite(e64) & np.isfinite(a64) & ~free
    if not finite.any():
        return None
    with np.errstate(all="ignore"):
        units = np.abs(e64 - a64) / (float(real.eps) * np.maximum(modulus, float(real.smallest_normal)))
    units = np.where(finite, np.minimum(units, 2.0 ** 62), -1.0)
    where = tuple(int(k) for k in np.unravel_index(int(np.argmax(units)), units.shape))
    example = {"expected": _fmt(expected[where]), "actual": _fmt(actual[where])}
    if inputs_at is not None:
        example["inputs"] = {k: _fmt(v) for k, v in inputs_at(where).items()}
    accuracy.record(expected.dtype.name, int(np.ceil(units[where])), example, int(finite.sum()))
    return None


def precision(expected: Any, actual: Any, compare: Mapping[str, Any], inputs_at: Any = None) -> str | None:
    """Whether results of the dtypes ``compare["ulp"]`` bounds carry that dtype's precision.

    Only elements both sides give as finite numbers of the same sign count (gross errors are the
    values requirement's business); a float64 result computed at float32 precision is ~2**28 float64
    ULPs off, a float64 kernel a few.
    """
    bounds = compare.get("ulp", {})
    if (not isinstance(expected, np.ndarray) or not isinstance(actual, np.ndarray) or expected.shape != actual.shape
            or expected.dtype.name not in bounds or actual.dtype != expected.dtype or expected.size == 0):
        return None  # another dtype is the dtype requirement's business
    bound = int(bounds[expected.dtype.name])
    free = subnormal_mask(expected, inputs_at)
    for e, a in zip(_real_parts(expected), _real_parts(actual), strict=True):
        ok = np.isfinite(e) & np.isfinite(a) & ((np.signbit(e) == np.signbit(a)) | (e == 0) | (a == 0)) & ~free
        if not ok.any():
            continue
        distances = ulp_distance(e[ok], a[ok])
        i = max(range(len(distances)), key=distances.__getitem__)
        if distances[i] > bound:
            where = tuple(int(k) for k in np.argwhere(ok)[i])
            return (_describe(e, a, where) + f" ({distances[i]} ULP apart: {expected.dtype.name} results at a lower "
                    f"precision; a {expected.dtype.name} computation stays within {bound})")
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
    """Compare named result fields as multisets of rows (order of unique elements is unspecified).

    ``aspect: signed-zeros`` compares only the rows whose value is a zero (are -0 and +0 one unique
    element, with one aggregated count?); ``signed_zeros: either`` accepts them merged or apart, the
    standard's "should" (its SHOULD requirement judges which)."""
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
    if compare.get("aspect") == "signed-zeros":
        got, want = _zero_rows(got), _zero_rows(want)
    elif compare.get("signed_zeros") == "either":
        got = _merge_zero_rows(got)
    if got != want:
        return f"expected (as a multiset) {want[:8]}{' …' if len(want) > 8 else ''}, got {got[:8]}{' …' if len(got) > 8 else ''}"
    return None


def _zero_rows(rows: list[tuple]) -> list[tuple]:
    return [r for r in rows if isinstance(r[0], float) and r[0] == 0.0]


def _merge_zero_rows(rows: list[tuple]) -> list[tuple]:
    """Rows with -0 and +0 kept apart folded into one (counts summed), as the standard's "should" asks."""
    zeros = _zero_rows(rows)
    if len(zeros) != 2:  # only -0 and +0 apart; three zero rows are duplicates, a real error
        return rows
    merged = (0.0, *(sum(col) for col in list(zip(*zeros, strict=True))[1:]))
    return sorted([r for r in rows if r not in zeros] + [merged], key=repr)


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) < 120 else text[:117] + "..."
