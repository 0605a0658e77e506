"""Exact arithmetic on finite doubles, rounded once at the end.

Every finite double is an integer times a power of two, so sums and dot products of
doubles are computed exactly as Python integers over a common power of two; the final
division ``int / int`` is correctly rounded by Python (ties to even) and raises
OverflowError only when the rounded result is too large, which becomes ±inf here.
This is the same result as rational (``Fraction``) arithmetic, without its gcd cost.
"""

from __future__ import annotations

import math
from fractions import Fraction


def scaled_ints(values: list[float]) -> tuple[list[int], int]:
    """Integers n_i and one exponent e with values[i] == n_i * 2**e exactly (finite inputs)."""
    pairs = [v.as_integer_ratio() for v in values]  # denominators are powers of two
    shifts = [d.bit_length() - 1 for _, d in pairs]  # v == n / 2**shift
    top = max(shifts, default=0)
    return [n << (top - s) for (n, _), s in zip(pairs, shifts, strict=True)], -top


def to_float(numerator: int, denominator: int = 1) -> float:
    """numerator / denominator correctly rounded to a double; ±inf on overflow."""
    try:
        return numerator / denominator
    except OverflowError:
        return math.inf if (numerator > 0) == (denominator > 0) else -math.inf


def scaled_to_float(n: int, e: int) -> float:
    """n * 2**e correctly rounded."""
    return to_float(n << e) if e >= 0 else to_float(n, 1 << -e)


def sum_finite(values: list[float]) -> float:
    """Correctly rounded sum of finite doubles."""
    ints, e = scaled_ints(values)
    return scaled_to_float(sum(ints), e)


def mean_finite(values: list[float]) -> float:
    """Correctly rounded mean of a non-empty list of finite doubles."""
    ints, e = scaled_ints(values)
    total = sum(ints)
    return to_float(total << e, len(values)) if e >= 0 else to_float(total, len(values) << -e)


def variance_finite(values: list[float], correction: float) -> float:
    """Correctly rounded sum((v - mean)**2) / (N - correction) for finite doubles."""
    ints, e = scaled_ints(values)
    n = len(ints)
    total = sum(ints)
    # (v_i - mean) = (n*ints_i - total) / n * 2**e, squared and summed:
    ss = sum((n * k - total) ** 2 for k in ints)
    q = Fraction(ss, n * n) * Fraction(2) ** (2 * e) / (n - Fraction(correction))
    return to_float(q.numerator, q.denominator)


def dot_finite(xs: list[float], ys: list[float]) -> float:
    """Correctly rounded sum of x*y over finite doubles."""
    xi, ex = scaled_ints(xs)
    yi, ey = scaled_ints(ys)
    return scaled_to_float(sum(a * b for a, b in zip(xi, yi, strict=True)), ex + ey)
