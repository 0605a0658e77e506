"""Tensor mutants of the element-wise functions: each one IEEE 754 or array API rule an engine gets wrong.

Every description names the bug and quotes the 2024.12 standard's sentence it violates.
"""

from __future__ import annotations

import math
from typing import Any

from ..model import Mutant
from .tools import INF, NAN, A, call, is_neg_zero, isnan, pointwise, values_of, with_dtype, wrap


def _isinf(v: Any) -> bool:
    return isinstance(v, float) and math.isinf(v)


def _real(v: Any) -> bool:
    return isinstance(v, float)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def floor_trunc(a: Any, b: Any, o: Any) -> Any:
    if _int(a) and _int(b) and b != 0 and a % b != 0 and (a < 0) != (b < 0):
        return o + 1  # C's truncating division instead of flooring
    return o


def _fmod(a: Any, b: Any, o: Any) -> Any:
    if (_int(o) or (_real(o) and math.isfinite(o))) and o != 0 and (o < 0) != (a < 0):
        return o - b  # the sign of the dividend, as C's fmod
    return o


def _round_half_away(a: Any, o: Any) -> Any:
    if _real(a) and math.isfinite(a) and abs(a - math.trunc(a)) == 0.5:
        return math.copysign(math.floor(abs(a)) + 1.0, a)
    return o


def _logical_shift(xp: Any) -> dict:
    def body(orig: Any, x1: Any, x2: Any) -> Any:
        out = orig(x1, x2)
        bits = out.dtype.bits
        rows = zip(values_of(xp, x1, out.shape), values_of(xp, x2, out.shape), out.to_flat(), strict=True)
        values = [((a % (1 << bits)) >> b) if a < 0 and 0 < b < bits else o for a, b, o in rows]
        return xp.Array.from_flat(values, out.shape, out.dtype)

    return wrap(xp, "bitwise_right_shift", body)


def _clip_nan(xp: Any) -> dict:
    def body(orig: Any, x: Any, /, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        out = orig(x, min=min, max=max)
        if min is None:
            return out
        rows = zip(values_of(xp, min, out.shape), out.to_flat(), strict=True)
        return xp.Array.from_flat([lo if isnan(v) else v for lo, v in rows], out.shape, out.dtype)

    return wrap(xp, "clip", body)


def _clip_none(xp: Any) -> dict:
    def body(orig: Any, x: Any, /, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        return orig(x, min=0 if min is None and max is not None else min, max=max)

    return wrap(xp, "clip", body)


def _clip_float64(xp: Any) -> dict:
    def body(orig: Any, x: Any, /, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        out = orig(x, min=min, max=max)
        if x.dtype == xp.float32 and any(isinstance(b, float) for b in (min, max)):
            return with_dtype(xp, out, xp.float64)
        return out

    return wrap(xp, "clip", body)


def _float_result_as(xp: Any, name: str, target: str, when: str) -> dict:
    """``name`` returning ``target`` dtype for inputs of kind ``when`` (``real floating`` / ``integral``)."""
    def body(orig: Any, x: Any) -> Any:
        out = orig(x)
        return with_dtype(xp, out, getattr(xp, target)) if xp.isdtype(x.dtype, when) else out

    return wrap(xp, name, body)


def _complex_abs(xp: Any) -> dict:
    def body(orig: Any, x: Any) -> Any:
        out = orig(x)
        if x.dtype in (xp.complex64, xp.complex128):
            return xp.Array.from_flat(out.to_flat(), out.shape, x.dtype)
        return out

    return wrap(xp, "abs", body)


def _bool_or_int8(xp: Any) -> dict:
    def body(orig: Any, x1: Any, x2: Any) -> Any:
        out = orig(x1, x2)
        return with_dtype(xp, out, xp.int8) if out.dtype == xp.bool else out

    return wrap(xp, "bitwise_or", body)


G_ARITH, G_CMP, G_LOGIC = "elementwise-arithmetic", "elementwise-comparison", "elementwise-logical-bitwise"
G_ROUND, G_EXP, G_TRIG = "rounding", "exponential-logarithmic", "trigonometric-hyperbolic"

MUTANTS: tuple[Mutant, ...] = (
    Mutant("tensor.add.negative-zero-sum", G_ARITH,
           "add(-0, -0) returns +0, as an engine adding onto a +0 accumulator does. Standard (add): "
           "'If x1_i is -0 and x2_i is -0, the result is -0.'",
           lambda xp: pointwise(xp, "add", lambda a, b, o: 0.0 if is_neg_zero(a) and is_neg_zero(b) else o),
           call("add", A([-0.0]), A([-0.0]))),
    Mutant("tensor.subtract.infinity-cancels", G_ARITH,
           "subtract(+inf, +inf) returns 0 (equal operands short-cut to zero). Standard (subtract): the result equals "
           "add(x1, negative(x2)), and add says 'If x1_i is +infinity and x2_i is -infinity, the result is NaN.'",
           lambda xp: pointwise(xp, "subtract", lambda a, b, o: 0.0 if _isinf(a) and a == b else o),
           call("subtract", A([INF]), A([INF]))),
    Mutant("tensor.multiply.infinity-times-zero", G_ARITH,
           "multiply(inf, 0) returns 0 (a zero operand short-cuts the product). Standard (multiply): 'If x1_i is either "
           "+infinity or -infinity and x2_i is either +0 or -0, the result is NaN.'",
           lambda xp: pointwise(xp, "multiply", lambda a, b, o: 0.0 if (_isinf(a) and b == 0) or (_isinf(b) and a == 0)
                                else o),
           call("multiply", A([INF]), A([0.0]))),
    Mutant("tensor.divide.negative-zero-divisor", G_ARITH,
           "divide by -0 ignores the zero's sign (x / -0 is +infinity for x > 0). Standard (divide): 'If x1_i is greater "
           "than 0 and x2_i is -0, the result is -infinity.'",
           lambda xp: pointwise(xp, "divide", lambda a, b, o: math.copysign(INF, a)
                                if is_neg_zero(b) and _real(a) and a != 0 and not isnan(a) else o),
           call("divide", A([1.0]), A([-0.0]))),
    Mutant("tensor.floor_divide.truncates", G_ARITH,
           "floor_divide of integers truncates toward zero (C division): -7 // 2 is -3. Standard (floor_divide): 'Rounds "
           "the result of dividing each element x1_i ... to the greatest (i.e., closest to +infinity) integer-value "
           "number that is not greater than the division result.'",
           lambda xp: pointwise(xp, "floor_divide", floor_trunc),
           call("floor_divide", A([-7]), A([2]))),
    Mutant("tensor.remainder.dividend-sign", G_ARITH,
           "remainder takes the sign of the dividend (C fmod): remainder(-7, 3) is -1. Standard (remainder): 'the result "
           "... has the same sign as the divisor x2_i.'",
           lambda xp: pointwise(xp, "remainder", _fmod),
           call("remainder", A([-7]), A([3]))),
    Mutant("tensor.pow.nan-to-the-zero", G_ARITH,
           "pow(NaN, 0) returns NaN (computed as exp(x2 * log(x1))). Standard (pow): 'If x2_i is +0, the result is 1, "
           "even if x1_i is NaN.'",
           lambda xp: pointwise(xp, "pow", lambda a, b, o: NAN if isnan(a) and b == 0 else o),
           call("pow", A([NAN]), A([0.0]))),
    Mutant("tensor.abs.negative-zero", G_ARITH,
           "abs(-0) returns -0 (implemented as x if x >= 0 else -x). Standard (abs): 'If x_i is -0, the result is +0.'",
           lambda xp: pointwise(xp, "abs", lambda a, o: -0.0 if is_neg_zero(a) else o),
           call("abs", A([-0.0]))),
    Mutant("tensor.abs.complex-result-dtype", G_ARITH,
           "abs of a complex array keeps the complex dtype. Standard (abs): 'If x has a complex floating-point data type, "
           "the returned array must have a real-valued floating-point data type whose precision matches the precision of x.'",
           _complex_abs, call("abs", A([3 + 4j], "complex128"))),
    Mutant("tensor.sign.nan-is-zero", G_ARITH,
           "sign(NaN) returns 0 (computed from x > 0 and x < 0). Standard (sign): 'If x_i is NaN, the result is NaN.'",
           lambda xp: pointwise(xp, "sign", lambda a, o: 0.0 if isnan(a) else o),
           call("sign", A([NAN]))),
    Mutant("tensor.maximum.nan-ignored", G_ARITH,
           "maximum skips NaN and returns the other operand (C's fmax). Standard (maximum): 'If either x1_i or x2_i is "
           "NaN, the result is NaN.'",
           lambda xp: pointwise(xp, "maximum", lambda a, b, o: b if isnan(a) and not isnan(b) else
                                (a if isnan(b) and not isnan(a) else o)),
           call("maximum", A([NAN]), A([1.0]))),
    Mutant("tensor.minimum.nan-second-operand", G_ARITH,
           "minimum(x, NaN) returns x (computed as x2 if x2 < x1 else x1, so only a NaN in x1 propagates). Standard "
           "(minimum): 'If either x1_i or x2_i is NaN, the result is NaN.'",
           lambda xp: pointwise(xp, "minimum", lambda a, b, o: a if isnan(b) and not isnan(a) else o),
           call("minimum", A([1.0]), A([NAN]))),
    Mutant("tensor.maximum.signed-zero-order", G_ARITH,
           "maximum(-0, +0) returns the first operand, -0 (zeros compare equal, the first wins).",
           lambda xp: pointwise(xp, "maximum", lambda a, b, o: a if _real(a) and _real(b) and a == 0 and b == 0 else o),
           call("maximum", A([-0.0]), A([0.0])),
           allowed="the standard (maximum): 'The order of signed zeros is unspecified and thus implementation-defined. "
                   "When choosing between -0 or +0 as a return value, the result is implementation-dependent.'"),
    Mutant("tensor.clip.nan-clamped", G_ARITH,
           "clip replaces NaN by min (clamping through comparisons, which are false for NaN). Standard (clip): 'If x_i is "
           "NaN, the result is NaN.'",
           _clip_nan, call("clip", A([NAN]), min=0.0, max=1.0)),
    Mutant("tensor.clip.missing-min-is-zero", G_ARITH,
           "clip(x, max=m) clamps below at 0, treating a missing min as 0. Standard (clip): 'min: lower-bound of the range "
           "to which to clamp. If None, no lower bound must be applied.'",
           _clip_none, call("clip", A([-2.0]), max=1.0)),
    Mutant("tensor.clip.float-bound-widens", G_ARITH,
           "clip of a float32 array with Python float bounds returns float64. Standard (clip): 'an array containing "
           "element-wise results. The returned array must have the same data type as x.'",
           _clip_float64, call("clip", A([0.5], "float32"), min=0.0, max=1.0)),
    Mutant("tensor.hypot.infinity-with-nan", G_ARITH,
           "hypot(inf, NaN) returns NaN (NaN checked first). Standard (hypot): 'If x1_i is +infinity or -infinity and x2_i "
           "is any value, including NaN, the result is +infinity.'",
           lambda xp: pointwise(xp, "hypot", lambda a, b, o: NAN if (_isinf(a) and isnan(b)) or (isnan(a) and _isinf(b))
                                else o),
           call("hypot", A([INF]), A([NAN]))),
    Mutant("tensor.copysign.negative-zero-sign", G_ARITH,
           "copysign(x, -0) returns |x| (the sign read as x2 < 0). Standard (copysign): 'If x2_i is -0, the result is "
           "-|x1_i|.'",
           lambda xp: pointwise(xp, "copysign", lambda a, b, o: abs(a) if is_neg_zero(b) else o),
           call("copysign", A([1.0]), A([-0.0]))),
    Mutant("tensor.nextafter.equal-operands", G_ARITH,
           "nextafter(x1, x2) returns x1 when x1 == x2, so nextafter(-0, +0) is -0. Standard (nextafter): 'If x1_i is -0 "
           "and x2_i is +0, the result is +0.'",
           lambda xp: pointwise(xp, "nextafter", lambda a, b, o: a if a == b else o),
           call("nextafter", A([-0.0]), A([0.0]))),
    Mutant("tensor.equal.nan-identity", G_CMP,
           "equal(NaN, NaN) is True (an identity short-cut on equal bits). Standard (equal): 'If x1_i is NaN or x2_i is "
           "NaN, the result is False.'",
           lambda xp: pointwise(xp, "equal", lambda a, b, o: True if isnan(a) and isnan(b) else o),
           call("equal", A([NAN]), A([NAN]))),
    Mutant("tensor.not_equal.nan-identity", G_CMP,
           "not_equal(NaN, NaN) is False (computed as not equal-bits). Standard (not_equal): 'If x1_i is NaN or x2_i is "
           "NaN, the result is True.'",
           lambda xp: pointwise(xp, "not_equal", lambda a, b, o: False if isnan(a) and isnan(b) else o),
           call("not_equal", A([NAN]), A([NAN]))),
    Mutant("tensor.less.signed-zero-order", G_CMP,
           "less(-0, +0) is True (zeros ordered by their sign bit, as a total order would). Standard (less): 'Computes the "
           "truth value of x1_i < x2_i'; in IEEE 754 -0 and +0 are equal, so -0 < +0 is False.",
           lambda xp: pointwise(xp, "less", lambda a, b, o: True if is_neg_zero(a) and b == 0 and not is_neg_zero(b)
                                else o),
           call("less", A([-0.0]), A([0.0]))),
    Mutant("tensor.greater_equal.not-less", G_CMP,
           "greater_equal is computed as not less, so a NaN operand gives True. Standard (greater_equal): 'If x1_i is NaN "
           "or x2_i is NaN, the result is False.'",
           lambda xp: pointwise(xp, "greater_equal", lambda a, b, o: True if isnan(a) or isnan(b) else o),
           call("greater_equal", A([NAN]), A([1.0]))),
    Mutant("tensor.isfinite.nan-finite", G_CMP,
           "isfinite(NaN) is True (implemented as not isinf). Standard (isfinite): 'If x_i is NaN, the result is False.'",
           lambda xp: pointwise(xp, "isfinite", lambda a, o: True if isnan(a) else o),
           call("isfinite", A([NAN]))),
    Mutant("tensor.signbit.negative-zero", G_CMP,
           "signbit(-0) is False (implemented as x < 0). Standard (signbit): 'If x_i is -0, the result is True.'",
           lambda xp: pointwise(xp, "signbit", lambda a, o: False if is_neg_zero(a) else o),
           call("signbit", A([-0.0]))),
    Mutant("tensor.bitwise_right_shift.logical", G_LOGIC,
           "bitwise_right_shift of a negative signed integer shifts zeros in (a logical shift): int8 -8 >> 1 is 124. "
           "Standard (bitwise_right_shift): 'this operation must be an arithmetic shift (i.e., sign-propagating) and "
           "thus equivalent to floor division by a power of two.'",
           _logical_shift, call("bitwise_right_shift", A([-8], "int8"), A([1], "int8"))),
    Mutant("tensor.bitwise_invert.bool-as-int", G_LOGIC,
           "bitwise_invert of a boolean array applies integer ~ (~True is -2, which is truthy). Standard "
           "(bitwise_invert): 'Inverts (flips) each bit for each element x_i'; for a boolean array that is logical NOT.",
           lambda xp: pointwise(xp, "bitwise_invert", lambda a, o: ~a if isinstance(a, bool) else o),
           call("bitwise_invert", A([True, False]))),
    Mutant("tensor.bitwise_or.bool-as-int8", G_LOGIC,
           "bitwise_or of two boolean arrays returns int8. Standard (bitwise_or): 'The returned array must have a data "
           "type determined by Type Promotion Rules', and bool with bool is bool.",
           _bool_or_int8, call("bitwise_or", A([True]), A([False]))),
    Mutant("tensor.round.half-away-from-zero", G_ROUND,
           "round rounds halves away from zero (C's round): round(2.5) is 3. Standard (round): 'If two integers are "
           "equally close to x_i, the result is the even integer closest to x_i.'",
           lambda xp: pointwise(xp, "round", _round_half_away),
           call("round", A([2.5]))),
    Mutant("tensor.floor.integer-result", G_ROUND,
           "floor of a floating-point array returns int64 (Python's math.floor). Standard (floor): 'The returned array "
           "must have the same data type as x.'",
           lambda xp: _float_result_as(xp, "floor", "int64", "real floating"),
           call("floor", A([1.5]))),
    Mutant("tensor.trunc.integer-input-floats", G_ROUND,
           "trunc of an integer array returns float64. Standard (trunc): 'The returned array must have the same data type "
           "as x.'",
           lambda xp: _float_result_as(xp, "trunc", "float64", "integral"),
           call("trunc", A([3], "int32"))),
    Mutant("tensor.ceil.no-negative-zero", G_ROUND,
           "ceil never returns -0 (computed as floor(x) + 1 for a non-integer x). Standard (ceil): 'If x_i is -0, the "
           "result is -0.'",
           lambda xp: pointwise(xp, "ceil", lambda a, o: 0.0 if is_neg_zero(o) else o),
           call("ceil", A([-0.0]))),
    Mutant("tensor.logaddexp.infinities", G_EXP,
           "logaddexp(+inf, +inf) returns NaN (max + log1p(exp(-|x1 - x2|)) with inf - inf). Standard (logaddexp): 'If "
           "x1_i is +infinity and x2_i is not NaN, the result is +infinity.'",
           lambda xp: pointwise(xp, "logaddexp", lambda a, b, o: NAN if _isinf(a) and a == b and a > 0 else o),
           call("logaddexp", A([INF]), A([INF]))),
    Mutant("tensor.sqrt.negative-zero", G_EXP,
           "sqrt(-0) returns +0. Standard (sqrt): 'If x_i is -0, the result is -0.'",
           lambda xp: pointwise(xp, "sqrt", lambda a, o: 0.0 if is_neg_zero(a) else o),
           call("sqrt", A([-0.0]))),
    Mutant("tensor.log1p.negative-zero", G_EXP,
           "log1p(-0) returns +0 (computed as log(1 + x)). Standard (log1p): 'If x_i is -0, the result is -0.'",
           lambda xp: pointwise(xp, "log1p", lambda a, o: 0.0 if is_neg_zero(a) else o),
           call("log1p", A([-0.0]))),
    Mutant("tensor.expm1.negative-zero", G_EXP,
           "expm1(-0) returns +0 (computed as exp(x) - 1). Standard (expm1): 'If x_i is -0, the result is -0.'",
           lambda xp: pointwise(xp, "expm1", lambda a, o: 0.0 if is_neg_zero(a) else o),
           call("expm1", A([-0.0]))),
    Mutant("tensor.log.negative-magnitude", G_EXP,
           "log of a negative number returns log(|x|) instead of NaN. Standard (log): 'If x_i is less than 0, the result "
           "is NaN.'",
           lambda xp: pointwise(xp, "log", lambda a, o: math.log(-a) if _real(a) and a < 0 and math.isfinite(a) else o),
           call("log", A([-2.0]))),
    Mutant("tensor.atan2.negative-zero-divisor", G_TRIG,
           "atan2(+0, -0) returns +0 (the divisor's sign bit ignored, as atan(x1/x2) would). Standard (atan2): 'If x1_i is "
           "+0 and x2_i is -0, the result is an implementation-dependent approximation to +π.'",
           lambda xp: pointwise(xp, "atan2", lambda a, b, o: a if _real(a) and a == 0 and is_neg_zero(b) else o),
           call("atan2", A([0.0]), A([-0.0]))),
    Mutant("tensor.sin.negative-zero", G_TRIG,
           "sin(-0) returns +0. Standard (sin): 'If x_i is -0, the result is -0.'",
           lambda xp: pointwise(xp, "sin", lambda a, o: 0.0 if is_neg_zero(a) else o),
           call("sin", A([-0.0]))),
    Mutant("tensor.tanh.infinity", G_TRIG,
           "tanh(±inf) returns NaN (computed as (e^x - e^-x) / (e^x + e^-x)). Standard (tanh): 'If x_i is +infinity, the "
           "result is +1.'",
           lambda xp: pointwise(xp, "tanh", lambda a, o: NAN if _isinf(a) else o),
           call("tanh", A([INF]))),
    Mutant("tensor.asin.clamped-domain", G_TRIG,
           "asin clamps its argument to [-1, 1]: asin(2) is π/2. Standard (asin): 'If x_i is greater than 1, the result is "
           "NaN.'",
           lambda xp: pointwise(xp, "asin", lambda a, o: math.copysign(math.pi / 2, a)
                                if _real(a) and abs(a) > 1 else o),
           call("asin", A([2.0]))),
    Mutant("tensor.conj.real-to-complex", G_ARITH,
           "conj of a real-valued array returns a complex array. Standard (conj): 'The returned array must have the same "
           "data type as x.'",
           lambda xp: wrap(xp, "conj", lambda orig, x: xp.astype(x, xp.complex128)
                           if x.dtype == xp.float64 else orig(x)),
           call("conj", A([1.0]))),
)
