"""Complex kernels of exp, log and the trigonometric and hyperbolic functions.

Python's ``cmath`` (C99 Annex G) where it answers; where it raises instead (cosh, sinh, tanh
of infinite parts, atanh's poles, …) the standard's rows are written out here, on the quarter
plane the standard uses and unfolded by its stated symmetries. Complex is a MAY feature.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable

from .core import INF, NAN, guard_complex, is_nan, sign_bit


def complex_log(z: complex) -> complex:
    if z == 0:
        return complex(-INF, math.atan2(z.imag, z.real))
    return cmath.log(z)


def complex_log1p(z: complex) -> complex:
    """log(1 + z); near 0 the real part is 0.5*log1p(2a + a^2 + b^2) to avoid cancellation."""
    a, b = z.real, z.imag
    if abs(a) < 0.5 and abs(b) < 0.5:
        return complex(0.5 * math.log1p(a * (2.0 + a) + b * b), math.atan2(b, 1.0 + a))
    return complex_log(complex(1.0 + a, b))  # not 1 + z: that would turn an imaginary -0 into +0


def complex_log_base(base: float) -> Callable[[complex], complex]:
    """log(z) / log(base), dividing each part (complex division would turn -inf + 0j into NaN)."""
    scale = math.log(base)

    def run(z: complex) -> complex:
        w = complex_log(z)
        return complex(w.real / scale, w.imag / scale)
    return run


def _exp_times(a: float, t: float) -> float:
    """exp(a) * t for finite a and t without spurious overflow (exact zero t keeps its sign)."""
    if t == 0:
        return t
    try:
        return math.exp(a) * t
    except OverflowError:  # exp(a) alone overflows; (exp(a/2) * t) * exp(a/2) may not
        try:
            half = math.exp(a / 2)
        except OverflowError:
            return math.copysign(INF, t)
        return (half * t) * half


def _cosh_sinh_times(a: float, t: float, odd: bool) -> float:
    """cosh(a) * t (or sinh(a) * t when ``odd``) for finite a and t, overflow-safe."""
    if t == 0:
        return t * (-1.0 if odd and sign_bit(a) else 1.0)
    try:
        return (math.sinh(a) if odd else math.cosh(a)) * t
    except OverflowError:  # |a| > ~710: cosh(a) = |sinh(a)| = exp(|a|) / 2
        sign = -1.0 if odd and a < 0 else 1.0
        return sign * _exp_times(abs(a), t / 2)


def _with_cmath_specials(finite: Callable[[float, float], complex], fallback: Callable[[complex], complex]):
    """Finite inputs through ``finite`` (overflow-safe real formulas, or cmath); non-finite ones through
    ``fallback``: the standard's rows written out, where cmath raises instead of answering."""
    def run(z: complex) -> complex:
        if math.isfinite(z.real) and math.isfinite(z.imag):
            return finite(z.real, z.imag)
        return guard_complex(fallback)(z)
    return run


def _nan_or_plus_infinity(a: float, b: float) -> complex:
    """The rows exp, cosh and sinh share for a real part a = NaN or +infinity."""
    if is_nan(a):
        return complex(NAN, b) if b == 0 else complex(NAN, NAN)
    if b == 0:
        return complex(INF, b)
    if math.isfinite(b):  # +infinity * cis(b)
        return complex(math.copysign(INF, math.cos(b)), math.copysign(INF, math.sin(b)))
    return complex(INF, NAN)


def _cexp_nonfinite(z: complex) -> complex:
    """The standard's special cases of exp for a non-finite real or imaginary part."""
    a, b = z.real, z.imag
    if is_nan(a) or a == INF:
        return _nan_or_plus_infinity(a, b)
    if a == -INF:  # +0 * cis(b); signs unspecified when b is not finite
        return complex(0.0 * math.cos(b), 0.0 * math.sin(b)) if math.isfinite(b) else complex(0.0, 0.0)
    return complex(NAN, NAN)  # finite a with b = ±infinity or NaN


def _unfold(quadrant: Callable[[float, float], complex], parity: str) -> Callable[[complex], complex]:
    """Evaluate a conjugate-symmetric, even or odd function from its values for a, b >= 0, the quarter
    of the plane where the standard writes its special cases: f(conj z) = conj f(z) and f(-z) = ±f(z)."""
    def run(z: complex) -> complex:
        a, b = z.real, z.imag
        sign = 1.0
        if sign_bit(a):
            a, b = -a, -b
            sign = -1.0 if parity == "odd" else 1.0
        conjugate = sign_bit(b)
        w = quadrant(a, -b if conjugate else b)
        w = complex(w.real, -w.imag) if conjugate else w
        return complex(sign * w.real, sign * w.imag)
    return run


def _hyperbolic_quadrant(odd: bool) -> Callable[[float, float], complex]:
    """The standard's special cases of cosh (sinh when ``odd``) for a, b >= 0, one of them not finite.

    The two share every row but a = +0 with b = +infinity or NaN: cosh gives NaN + 0j, sinh 0 + NaN j
    (the zero's sign is unspecified in both)."""
    def run(a: float, b: float) -> complex:
        if is_nan(a) or a == INF:
            return _nan_or_plus_infinity(a, b)
        if a == 0:  # b = +infinity or NaN
            return complex(a, NAN) if odd else complex(NAN, a)
        return complex(NAN, NAN)  # finite nonzero a, b = +infinity or NaN
    return run


def _tanh_quadrant(a: float, b: float) -> complex:
    """The standard's special cases of tanh (a, b >= 0, one of them not finite)."""
    if is_nan(a):
        return complex(NAN, b) if b == 0 else complex(NAN, NAN)
    if a == INF:  # 1 + 0j; for finite b the zero takes the sign of sin(2b) = 2 sin(b) cos(b), as in C99
        return complex(1.0, math.copysign(0.0, math.sin(b) * math.cos(b)) if math.isfinite(b) else 0.0)
    return complex(a, NAN) if a == 0 else complex(NAN, NAN)  # finite a, b = +infinity or NaN


def catanh(z: complex) -> complex:
    if abs(z.real) == 1 and z.imag == 0:  # the poles: atanh(±1 ± 0j) = ±infinity ± 0j
        return complex(math.copysign(INF, z.real), z.imag)
    return cmath.atanh(z)


def cacosh(z: complex) -> complex:
    if z.real == 0 and is_nan(z.imag):  # NaN ± πj/2 (sign unspecified); cmath answers NaN + NaN j
        return complex(NAN, math.pi / 2)
    return cmath.acosh(z)


def rotated(fn: Callable[[complex], complex]) -> Callable[[complex], complex]:
    """-1j * fn(z * 1j), multiplying by the imaginary unit exactly (tan from tanh, atan from atanh)."""
    def run(z: complex) -> complex:
        w = fn(complex(-z.imag, z.real))
        return complex(w.imag, -w.real)
    return run


ctanh = _with_cmath_specials(lambda a, b: cmath.tanh(complex(a, b)), _unfold(_tanh_quadrant, "odd"))

cexp = _with_cmath_specials(lambda a, b: complex(_exp_times(a, math.cos(b)), _exp_times(a, math.sin(b))),
                             _cexp_nonfinite)
ccosh = _with_cmath_specials(lambda a, b: complex(_cosh_sinh_times(a, math.cos(b), odd=False),
                                                   _cosh_sinh_times(a, math.sin(b), odd=True)),
                              _unfold(_hyperbolic_quadrant(odd=False), "even"))
csinh = _with_cmath_specials(lambda a, b: complex(_cosh_sinh_times(a, math.cos(b), odd=True),
                                                   _cosh_sinh_times(a, math.sin(b), odd=False)),
                              _unfold(_hyperbolic_quadrant(odd=True), "odd"))


def ccos(z: complex) -> complex:
    return ccosh(complex(-z.imag, z.real))  # cos(z) = cosh(iz)


def csin(z: complex) -> complex:
    w = csinh(complex(-z.imag, z.real))  # sin(z) = -i sinh(iz)
    return complex(w.imag, -w.real)


def cexpm1(z: complex) -> complex:
    a, b = z.real, z.imag
    if not (math.isfinite(a) and math.isfinite(b)):
        return cexp(z) - 1
    try:  # exp(a)cos(b) - 1 = expm1(a)cos(b) - 2 sin^2(b/2), accurate near 0
        real = math.expm1(a) * math.cos(b) - 2.0 * math.sin(b / 2) ** 2
    except OverflowError:
        real = _exp_times(a, math.cos(b))
    return complex(real, _exp_times(a, math.sin(b)))
