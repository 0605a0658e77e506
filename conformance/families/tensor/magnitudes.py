"""Check kind ``values-at-magnitude``: results where the standard says an implementation "should" avoid a naive formula.

expm1 and log1p exist to be accurate near zero ("should avoid implementing this function as simply
exp(x)-1.0"); hypot and the complex abs "should not use naive implementations" that overflow or
underflow in intermediate steps. A naive kernel is exact enough on ordinary inputs and wrong only at
particular magnitudes, which a general search rarely draws. So these requirements draw the function's
usual calls and move every finite non-zero floating input to a magnitude ``2**e`` with ``e`` among the
requirement's ``params.exponents`` for that input dtype (sign and mantissa kept, ``0``, infinities and
NaN left alone), then hold each result the reference gives as a finite non-zero number to
``compare.ulp[result dtype]`` ULPs of it. A naive kernel is thousands to millions of ULPs off there (or
returns 0 or infinity); any careful one is within a few.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume

from accord.conformance.check import Context, Mismatch, Property
from accord.spec.model import Document, Requirement

from . import checks, compare, oracle


def values_at_magnitude(ctx: Context, req: Requirement, doc: Document) -> Property:
    """Values of calls whose floating inputs sit at the magnitudes ``params.exponents`` names, within ``compare.ulp``."""
    exponents = {dtype: _allowed(ranges) for dtype, ranges in req.params["exponents"].items()}
    bounds = {dtype: int(n) for dtype, n in req.compare["ulp"].items()}

    def moved(call: dict) -> dict:
        return {**call, "args": [_move(a, exponents) for a in call["args"]],
                "kwargs": {k: _move(v, exponents) for k, v in call.get("kwargs", {}).items()}}

    def test(call: dict) -> None:
        try:
            want = oracle.expected("call", call)
        except oracle.Rejected:
            assume(False)  # outside the function's domain as the reference reads the spec
            raise
        try:
            got = oracle.actual(ctx, "call", call)
        except Mismatch:
            assume(False)  # a raise is the values requirement's finding, not this one
            raise
        reason = judged(want, got, bounds)
        if reason:
            raise Mismatch(f"{doc.name}: {reason}", expected=oracle.readable(want), actual=oracle.readable(got))

    strategy = checks._calls(ctx, req, doc).filter(lambda call: _has_moved(call, exponents)).map(moved)
    return Property(strategy=strategy, test=test, snippet=lambda call: oracle.snippet(ctx, "call", call),
                    max_examples=checks.share(ctx, 0.3), classify=lambda call: _dtypes_of(call))


def judged(expected: Any, actual: Any, bounds: dict[str, int]) -> str | None:
    """Why ``actual`` is not within the bound of ``expected`` where the reference is finite and non-zero."""
    if not isinstance(expected, np.ndarray) or not isinstance(actual, np.ndarray) or actual.shape != expected.shape:
        return None  # the shape requirement's business
    if expected.dtype != actual.dtype or expected.dtype.name not in bounds:
        return None  # the dtype requirement's business
    bound = bounds[expected.dtype.name]
    for e, a in zip(_parts(expected), _parts(actual), strict=True):
        e, a = e.reshape(-1), a.reshape(-1)
        for i in np.flatnonzero(np.isfinite(e) & (e != 0)):
            want, got = e[i], a[i]
            if not np.isfinite(got):
                return f"{_show(got)} where the result is {_show(want)} (an intermediate overflow or underflow)"
            distance = compare.ulp_distance(np.array([want]), np.array([got]))[0]
            if distance > bound:
                return (f"{_show(got)} where the result is {_show(want)} ({distance} ULP apart; a careful "
                        f"{expected.dtype.name} kernel stays within {bound})")
    return None


def _allowed(ranges: list[list[int]]) -> tuple[int, ...]:
    return tuple(e for lo, hi in ranges for e in range(int(lo), int(hi) + 1))


def _move(arg: Any, exponents: dict[str, tuple[int, ...]]) -> Any:
    value = oracle.decode(arg)
    if not isinstance(value, np.ndarray) or value.dtype.name not in exponents:
        return arg
    allowed = exponents[value.dtype.name]
    out = value.copy()
    for part in _parts(out):  # views into ``out``: complex parts move independently
        finite = np.isfinite(part) & (part != 0)
        mantissa, exp = np.frexp(part[finite])
        target = np.array([allowed[int(k) % len(allowed)] for k in exp.ravel()], dtype=np.int32).reshape(exp.shape)
        part[finite] = np.ldexp(mantissa, target)
    return oracle.encode(out)


def _has_moved(call: dict, exponents: dict[str, tuple[int, ...]]) -> bool:
    """Whether the call has a floating input of a dtype the requirement moves, with a finite non-zero element."""
    for arg in [*call["args"], *call.get("kwargs", {}).values()]:
        value = oracle.decode(arg)
        if isinstance(value, np.ndarray) and value.dtype.name in exponents:
            if any((np.isfinite(p) & (p != 0)).any() for p in _parts(value)):
                return True
    return False


def _parts(arr: np.ndarray) -> list[np.ndarray]:
    if np.iscomplexobj(arr):
        return [arr.real, arr.imag]
    return [arr]


def _dtypes_of(call: dict) -> str | None:
    found = sorted({v.dtype.name for v in map(oracle.decode, call["args"]) if isinstance(v, np.ndarray)})
    return "dtype:" + "+".join(found) if found else None


def _show(x: Any) -> str:
    return repr(float(x))
