"""Complex special-case rows (a function document's ``complex_special_cases``) as concrete inputs.

The standard states complex special cases per part: with ``a = real(x)`` and ``b = imag(x)``, a row
says what each part of the result is: a value (signs count), a zero or an infinity whose sign is left
open, NaN, or an approximation of a multiple of pi. A document writes them in one of three forms:

* ``rows``: ``when: {x: {real: C, imag: C}}`` -> ``then: {real: V, imag: V}`` (or a real or boolean
  result, or ``{times_cis: V, plus: p}`` for ``V * cis(b) + p``), extended by the symmetries the
  standard states for the function (``conjugate``: f(conj x) = conj f(x); ``odd``; ``even``);
* ``as_if``: another function's cases under the exact rotation or scaling the standard names
  (``asin(x) = -1j * asinh(x * 1j)``; ``log2(x) = log(x) / log(2)``), multiplying by the imaginary
  unit being the exact swap of parts, as in C99 Annex G;
* ``componentwise``: the function's real rows apply to the real and imaginary parts independently
  (``add``, ``round``).

``then: unspecified`` marks inputs the standard leaves to the implementation (complex division by
zero): nothing is checked for them here, and the values check accepts any result there.

Conditions on one part use the real rows' vocabulary (:func:`special.samples`), so each class of
values stands for its tiny, ordinary and huge representatives, as for real rows.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import special

#: the part dtype of each complex dtype
PART = {np.dtype("complex64"): np.dtype("float32"), np.dtype("complex128"): np.dtype("float64")}
#: the other part of a componentwise input: ordinary values whose sum, difference and rounding are no special case
FILL = {"x": 1.0, "x1": 1.0, "x2": 2.0}


@dataclass(frozen=True)
class Part:
    """What one part of a result must be: ``value`` (exact, sign included), ``zero`` or ``infinity``
    (either sign), ``nan``, or ``approx`` / ``approx_either_sign`` (within the requirement's ULP bound)."""

    kind: str
    value: float = 0.0

    def negated(self) -> Part:
        return Part(self.kind, -self.value) if self.kind in ("value", "approx") else self

    def scaled(self, factor: float) -> Part:
        return Part(self.kind, self.value * factor) if self.kind in ("value", "approx", "approx_either_sign") else self

    def accepts(self, got: float, dtype: np.dtype, ulp: int) -> bool:
        g = float(got)
        if self.kind == "nan":
            return math.isnan(g)
        if self.kind == "zero":
            return g == 0.0
        if self.kind == "infinity":
            return math.isinf(g)
        if self.kind in ("approx", "approx_either_sign"):
            from .compare import ulp_distance

            if self.kind == "approx_either_sign":
                g = abs(g)
            want = np.asarray([abs(self.value) if self.kind == "approx_either_sign" else self.value], dtype=dtype)
            return math.isfinite(g) and ulp_distance(want, np.asarray([g], dtype=dtype))[0] <= ulp
        return g == self.value and math.copysign(1.0, g) == math.copysign(1.0, self.value)

    def __str__(self) -> str:
        if self.kind in ("nan", "zero", "infinity"):
            return {"nan": "NaN", "zero": "±0", "infinity": "±infinity"}[self.kind]
        text = special_text(self.value)
        if self.kind == "approx_either_sign":
            return f"≈±{special_text(abs(self.value))}"
        return f"≈{text}" if self.kind == "approx" else text


def special_text(v: float) -> str:
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "+0"
    if math.isinf(v):
        return "-infinity" if v < 0 else "+infinity"
    return repr(v)


#: an expected result: (real part, imaginary part), one Part (a real result) or a bool
Expected = tuple[Part, Part] | Part | bool


@dataclass(frozen=True)
class Case:
    """One input of a row and the check of the backend's answer for it."""

    inputs: dict[str, Any]  # parameter -> complex numpy scalar
    rule: str  # the row as the spec writes it, and the symmetry or transformation that led here
    expected: Expected | None = None  # None for componentwise cases, which the real row checks on one part:
    part: str | None = None
    real_then: Any = None
    real_case: Mapping[str, Any] | None = None

    def problem(self, got: Any, dtype: np.dtype, ulp: int) -> str | None:
        """None when ``got`` satisfies the case, else what the case requires."""
        part_dtype = PART[np.dtype(dtype)]
        if self.part is not None:
            value = np.real(got) if self.part == "real" else np.imag(got)
            reason = special.check(self.real_then, self.real_case or {}, part_dtype.type(value), part_dtype, ulp)
            return None if reason is None else f"a {self.part} part that is {reason}"
        want = self.expected
        assert want is not None
        if isinstance(want, bool):
            ok = isinstance(got, np.bool_ | bool) and bool(got) is want
            return None if ok else str(want)
        if isinstance(want, Part):
            return None if want.accepts(got, part_dtype, ulp) else str(want)
        real, imag = want
        ok = real.accepts(np.real(got), part_dtype, ulp) and imag.accepts(np.imag(got), part_dtype, ulp)
        return None if ok else f"{real} {imag} j"


# ------------------------------------------------------------------ building cases


def groups(doc: Mapping[str, Any], lookup: Callable[[str], Mapping[str, Any]], dtype: np.dtype) -> list[list[Case]]:
    """The document's cases at a complex dtype, one list per spec row (each list becomes one backend call)."""
    data = doc.get("complex_special_cases") or {}
    params = [p["name"] for p in doc["signature"]["params"] if p["type"] in ("array", "array-or-scalar")]
    if "componentwise" in data:
        return _componentwise(doc, params, dtype)
    if "as_if" in data:
        spec = data["as_if"]
        source = lookup(spec["function"])
        transform = _transform(spec.get("input", "none"), spec.get("output", "none"))
        call = f"{spec['function']}({'x * 1j' if spec.get('input') == 'times_i' else 'x'})"
        named = "as if " + {"times_minus_i": f"-1j * {call}", "divided_by_log_2": f"{call} / log(2)",
                            "divided_by_log_10": f"{call} / log(10)"}.get(spec.get("output", "none"), call)
        return [[transform(c, named) for c in group] for group in groups(source, lookup, dtype)]
    return [_row_cases(row, params, data.get("symmetry", ()), dtype) for row in data.get("rows", ())
            if row["then"] != "unspecified"]


def _row_cases(row: Mapping[str, Any], params: list[str], symmetry: list[str], dtype: np.dtype) -> list[Case]:
    part_dtype = PART[np.dtype(dtype)]
    pools = []
    for p in params:
        cond = row["when"][p]
        pools.append([complex(float(a), float(b)) for a in special.samples(cond["real"], part_dtype)
                      for b in special.samples(cond["imag"], part_dtype)])
    rule = f"{dict(row['when'])} -> {row['then']}"
    out = []
    for combo in itertools.product(*pools):
        inputs = {p: np.asarray(v, dtype=dtype)[()] for p, v in zip(params, combo, strict=True)}
        case = Case(inputs, rule, _expected(row["then"], inputs))
        out.extend(_mirrors(case, symmetry, dtype))
    return out


def _expected(then: Any, inputs: Mapping[str, Any]) -> Expected:
    if isinstance(then, bool):
        return then
    if isinstance(then, Mapping) and "times_cis" in then:
        b = float(np.imag(inputs["x"]))
        v = special.NAMED[then["times_cis"]]
        real = v * math.cos(b)
        if "plus" in then:  # only then: -0 + 0 would lose the zero's sign
            real += float(then["plus"])
        return (_exact(real), _exact(v * math.sin(b)))
    if isinstance(then, Mapping) and "real" in then:
        return (_part(then["real"], inputs), _part(then["imag"], inputs))
    return _part(then, inputs)


def _part(value: Any, inputs: Mapping[str, Any]) -> Part:
    if isinstance(value, Mapping):
        return Part("approx_either_sign" if value.get("either_sign") else "approx", special.PI[value["approx"]])
    if value == "±0":
        return Part("zero")
    if value == "±infinity":
        return Part("infinity")
    if value in ("|real|", "|imag|"):
        x = inputs["x"]
        return _exact(abs(float(np.real(x) if value == "|real|" else np.imag(x))))
    if isinstance(value, str):
        return _exact(special.NAMED[value])
    return _exact(float(value))


def _exact(v: float) -> Part:
    return Part("nan") if math.isnan(v) else Part("value", v)


def _mirrors(case: Case, symmetry: list[str], dtype: np.dtype) -> list[Case]:
    """The case and its images under every combination of the stated symmetries."""
    out = []
    for chosen in itertools.product((False, True), repeat=len(symmetry)):
        current = case
        for name, apply in zip(symmetry, chosen, strict=True):
            if apply:
                current = _mirror(current, name, dtype)
        out.append(current)
    return out


def _mirror(case: Case, name: str, dtype: np.dtype) -> Case:
    inputs = {p: (np.conj(v) if name == "conjugate" else -v).astype(dtype) for p, v in case.inputs.items()}
    want = case.expected
    if isinstance(want, tuple):
        real, imag = want
        want = {"conjugate": (real, imag.negated()), "odd": (real.negated(), imag.negated()), "even": want}[name]
    return Case(inputs, f"{case.rule} ({name} image)", want)


def _transform(input_rule: str, output_rule: str) -> Callable[[Case, str], Case]:
    """A source function's case as a case of the function defined from it."""
    scale = {"none": 1.0, "divided_by_log_2": 1 / math.log(2), "divided_by_log_10": 1 / math.log(10)}

    def run(case: Case, named: str) -> Case:
        inputs = dict(case.inputs)
        if input_rule == "times_i":  # f(x) = g(x * 1j): x = y / 1j = imag(y) - real(y) j
            inputs["x"] = _swap(inputs["x"])
        want = case.expected
        if isinstance(want, tuple):
            real, imag = want
            if output_rule == "times_minus_i":  # -1j * (R + I j) = I - R j
                real, imag = imag, real.negated()
            else:
                real, imag = real.scaled(scale[output_rule]), imag.scaled(scale[output_rule])
            want = (real, imag)
        return Case(inputs, f"{case.rule}, {named}", want)

    return run


def _swap(y: Any) -> Any:
    """``y / 1j`` exactly: (a + b j) / j = b - a j, signs of zeros and NaNs carried."""
    part = PART[y.dtype]
    out = np.empty((), dtype=y.dtype)
    out.real = part.type(np.imag(y))
    out.imag = -part.type(np.real(y))
    return out[()]


def _componentwise(doc: Mapping[str, Any], params: list[str], dtype: np.dtype) -> list[list[Case]]:
    part_dtype = PART[np.dtype(dtype)]
    out = []
    for row in doc.get("special_cases", ()):
        cases = []
        for real_case in special.cases(row, params, part_dtype):
            for part in ("real", "imag"):
                inputs = {}
                for p in params:
                    mine = float(real_case.get(p, 0.0))
                    pair = (mine, FILL[p]) if part == "real" else (FILL[p], mine)
                    inputs[p] = _complex(pair, dtype)
                rule = f"{dict(row['when'])} -> {row['then']} on the {part} parts"
                cases.append(Case(inputs, rule, part=part, real_then=row["then"], real_case=real_case))
        out.append(cases)
    return out


def _complex(pair: tuple[float, float], dtype: np.dtype) -> Any:
    out = np.empty((), dtype=dtype)
    out.real, out.imag = pair
    return out[()]


# ------------------------------------------------------------------ unspecified results


def unspecified(doc: Mapping[str, Any], inputs: Mapping[str, Any]) -> bool:
    """Whether a ``then: unspecified`` row covers these complex inputs (any result is then conforming)."""
    for row in (doc.get("complex_special_cases") or {}).get("rows", ()):
        if row["then"] != "unspecified":
            continue
        if all(p in inputs and special.holds(c["real"], np.real(inputs[p])) and
               special.holds(c["imag"], np.imag(inputs[p])) for p, c in row["when"].items()):
            return True
    return False
