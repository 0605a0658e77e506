"""Special-case rows (``when`` -> ``then``) of function documents as concrete test inputs.

A row names, per parameter, a value (``NaN``, ``+0``, ``+infinity`` …, a number) or a class of
values (``positive-finite``, ``>1``, ``odd-integer`` …); a list means "either". Each class stands
for a fixed set of representative values of the dtype, tiny (subnormal), ordinary and huge
magnitudes included, so every row is checked on its edges, deterministically.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

NAMED = {"NaN": math.nan, "+0": 0.0, "-0": -0.0, "+infinity": math.inf, "-infinity": -math.inf}
PI = {"+pi/2": math.pi / 2, "-pi/2": -math.pi / 2, "+pi": math.pi, "-pi": -math.pi, "+pi/4": math.pi / 4,
      "-pi/4": -math.pi / 4, "+3pi/4": 3 * math.pi / 4, "-3pi/4": -3 * math.pi / 4}


def negative_nan(dtype: np.dtype) -> Any:
    return np.copysign(np.asarray(math.nan, dtype=dtype), -1)


def samples(cond: Any, dtype: np.dtype) -> list[Any]:
    """Representative values (numpy scalars of ``dtype``) of one condition."""
    if isinstance(cond, list | tuple):
        return [v for c in cond for v in samples(c, dtype)]
    f = np.finfo(dtype)
    tiny, normal, big = f.smallest_subnormal, f.smallest_normal, f.max
    pos = [tiny, normal, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 7.0, 1e10, big]
    odd_big = {np.dtype("float32"): 16777215.0, np.dtype("float64"): 9007199254740991.0}[np.dtype(dtype)]
    table: dict[str, list[float]] = {
        "any": [math.nan, -math.inf, -3.0, -1.0, -0.5, -0.0, 0.0, tiny, 0.5, 1.0, 2.5, big, math.inf],
        "finite": [-big, -2.5, -1.0, -tiny, -0.0, 0.0, tiny, 0.5, 1.0, 3.0, big],
        "nonzero-finite": [-big, -2.5, -1.0, -tiny, tiny, normal, 0.5, 1.0, 3.0, big],
        "positive-finite": pos,
        "negative-finite": [-v for v in pos],
        ">0": pos + [math.inf],
        "<0": [-v for v in pos] + [-math.inf],
        ">1": [1.5, 2.0, 3.0, 1e10, big, math.inf],
        "<1": [-math.inf, -big, -3.0, -1.0, -0.5, -0.0, 0.0, tiny, 0.5, 0.75],
        "<-1": [-1.5, -2.0, -1e10, -big, -math.inf],
        "|x|>1": [1.5, -1.5, 2.0, -3.0, big, -big, math.inf, -math.inf],
        "|x|<1": [0.5, -0.5, 0.0, -0.0, tiny, -tiny, 0.75],
        "|x|=1": [1.0, -1.0],
        "not-nan": [-math.inf, -big, -1.0, -0.0, 0.0, tiny, 1.5, big, math.inf],
        "not-1": [math.nan, -math.inf, -1.0, -0.0, 0.0, 0.5, 2.0, math.inf],
        "not-0": [math.nan, -math.inf, -1.0, tiny, 0.5, 2.0, math.inf],
        "finite-or-nan": [math.nan, -big, -1.0, -0.0, 0.0, tiny, 2.5, big],
        "integer-valued": [-1e10, -3.0, -1.0, -0.0, 0.0, 1.0, 2.0, 7.0, 1e10, odd_big, big, -big],
        "half-integer": [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, odd_big / 2],
        "positive-odd-integer": [1.0, 3.0, 7.0, odd_big],
        "positive-not-odd-integer": [0.5, 2.0, 2.5, 1e10, big, math.inf],
        "negative-odd-integer": [-1.0, -3.0, -7.0, -odd_big],
        "negative-not-odd-integer": [-0.5, -2.0, -2.5, -1e10, -big, -math.inf],
        "finite-non-integer": [0.5, -0.5, 2.5, -1.25, tiny, -tiny],
        "nan-sign-0": [math.nan],
    }
    if cond == "nan-sign-1":
        return [negative_nan(dtype)]
    if isinstance(cond, str) and cond in NAMED:
        values = [NAMED[cond]]
    elif isinstance(cond, int | float) and not isinstance(cond, bool):
        values = [float(cond)]
    else:
        values = table[cond]
    return [np.asarray(v, dtype=dtype)[()] for v in values]


def cases(row: Mapping[str, Any], params: list[str], dtype: np.dtype) -> list[dict[str, Any]]:
    """Every combination of representative values that satisfies the row's ``when``."""
    when = row["when"]
    relation = {"-x1": lambda x1: -x1, "x1": lambda x1: x1}
    dependent = set(relation) | {"finite-not-x1"}
    independent = [p for p in params if p in when and not (isinstance(when[p], str) and when[p] in dependent)]
    pools = [samples(when[p], dtype) for p in independent]
    out = []
    for combo in itertools.product(*pools):
        case = dict(zip(independent, combo, strict=True))
        for p in params:
            cond = when.get(p)
            if isinstance(cond, str) and cond in relation:
                case[p] = relation[cond](case["x1"])
            elif cond == "finite-not-x1":
                case[p] = None
        if "x2" in case and case["x2"] is None:  # finite values that differ from x1
            for other in samples("finite", dtype):
                if other != case["x1"]:
                    out.append(dict(case, x2=other))
            continue
        signs = when.get("signs")
        if signs and (np.signbit(case["x1"]) == np.signbit(case["x2"])) != (signs == "same"):
            continue
        out.append(case)
    return out


def check(then: Any, case: Mapping[str, Any], got: Any, dtype: np.dtype, ulp: int | None) -> str | None:
    """None when ``got`` satisfies ``then`` for this case, else what was expected. ``ulp`` bounds an
    ``approx`` result; None (the function's accuracy is the implementation's) admits any finite value of
    the target's sign, since the standard asks only for "an implementation-dependent approximation"."""
    from .compare import ulp_distance

    def is_value(target: Any) -> bool:
        if isinstance(target, bool):
            return bool(got) is target and isinstance(got, np.bool_ | bool)
        g = float(got)
        if isinstance(target, str) and target in NAMED:
            v = NAMED[target]
            if math.isnan(v):
                return math.isnan(g)
            return g == v and math.copysign(1, g) == math.copysign(1, v)
        if isinstance(target, int | float):
            return g == float(target)
        raise ValueError(target)

    if isinstance(then, dict):
        if "approx" in then:
            want = np.asarray(PI[then["approx"]], dtype=dtype)
            g = np.asarray(got, dtype=dtype)
            if ulp is None:  # accuracy left to the implementation: only a gross error fails
                if np.isfinite(g) and g != 0 and np.signbit(g) == np.signbit(want):
                    return None
                return f"an approximation of {then['approx']} (finite, of its sign)"
            if np.isfinite(g) and ulp_distance(want.reshape(1), g.reshape(1))[0] <= ulp:
                return None
            return f"an approximation of {then['approx']} (within {ulp} ULP)"
        if "one_of" in then:
            return None if any(is_value(t) for t in then["one_of"]) else f"one of {then['one_of']}"
        if "sign" in then:
            if then.get("unless") == "NaN" and math.isnan(float(got)):
                return None
            ok = not math.isnan(float(got)) and bool(np.signbit(got)) == (then["sign"] == "-")
            return None if ok else f"a result with sign {then['sign']}"
        if "infinity_with_sign" in then:
            negative = bool(np.signbit(case["x1"])) != bool(np.signbit(case["x2"]))
            target = "-infinity" if negative else "+infinity"
            return None if is_value(target) else target
    if then in ("x", "x1", "x2"):
        want = case[then]
        same = (math.isnan(float(want)) and math.isnan(float(got))) or (
            float(got) == float(want) and np.signbit(got) == np.signbit(want))
        return None if same else f"{then} itself ({want!r})"
    if then in ("|x1|", "|x2|", "-|x1|"):
        name = then.strip("-|")
        want = np.abs(case[name])
        want = -want if then.startswith("-") else want
        same = (math.isnan(float(want)) and math.isnan(float(got))) or (
            float(got) == float(want) and np.signbit(got) == np.signbit(want))
        return None if same else f"{then} = {want!r}"
    if then in ("nan-sign-0", "nan-sign-1"):
        ok = math.isnan(float(got)) and bool(np.signbit(got)) == (then == "nan-sign-1")
        return None if ok else f"NaN with sign bit {then[-1]}"
    if then == "±0":
        return None if float(got) == 0.0 else "a zero (either sign)"
    if then == "round-half-to-even(x)":
        want = float(round(float(case["x"])))
        return None if float(got) == want else f"{want!r} (ties to even)"
    return None if is_value(then) else f"{then}"


# Conditions a concrete input can be tested against (the rows whose outcome leaves the backend a choice use these).
_PREDICATES: dict[str, Any] = {
    "any": lambda v: True,
    "finite": math.isfinite,
    "nonzero-finite": lambda v: math.isfinite(v) and v != 0,
    "positive-finite": lambda v: math.isfinite(v) and v > 0,
    "negative-finite": lambda v: math.isfinite(v) and v < 0,
    ">0": lambda v: v > 0,
    "<0": lambda v: v < 0,
}


def holds(cond: Any, value: Any) -> bool | None:
    """Whether a real input satisfies one condition of a ``when``; None when the condition is not testable here."""
    if isinstance(cond, list | tuple):
        results = [holds(c, value) for c in cond]
        return None if None in results else any(results)
    v = float(value)
    if cond == "any":
        return True
    if isinstance(cond, str) and cond in NAMED:
        want = NAMED[cond]
        return math.isnan(v) if math.isnan(want) else (v == want and math.copysign(1, v) == math.copysign(1, want))
    if isinstance(cond, int | float) and not isinstance(cond, bool):
        return v == float(cond)
    predicate = _PREDICATES.get(cond)
    return None if predicate is None or math.isnan(v) else bool(predicate(v))


def free_outcome(rows: list[Mapping[str, Any]], case: Mapping[str, Any], got: Any, dtype: np.dtype) -> bool:
    """Whether a row that leaves the result open (``one_of``, ``±0``) covers ``case`` and admits ``got``.

    The reference must pick one of the allowed results; a backend picking another is still conforming.
    """
    for row in rows:
        then = row["then"]
        if not (then == "±0" or (isinstance(then, Mapping) and "one_of" in then)):
            continue
        when = {k: c for k, c in row["when"].items() if k != "signs"}
        if set(when) - set(case) or "signs" in row["when"]:
            continue
        if all(holds(c, case[p]) for p, c in when.items()) and check(then, case, got, dtype, 0) is None:
            return True
    return False
