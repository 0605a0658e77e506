"""Check kinds for ``tensor.function`` documents: signature, dtype, shape, values, special-cases, property."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from accord.conformance.check import (
    Case,
    Context,
    Mismatch,
    NotApplicableHere,
    Outcome,
    Property,
    raised_info,
)
from accord.conformance.client import BackendRaised
from accord.spec.model import Document, Requirement

from . import compare, complex_special, oracle, rules, signed_zeros, special, strategies, support
from .specdata import tensor_data

KIND_NAMES = {"positional-only": "POSITIONAL_ONLY", "positional-or-keyword": "POSITIONAL_OR_KEYWORD",
              "keyword-only": "KEYWORD_ONLY", "var-positional": "VAR_POSITIONAL"}
#: backend kinds that accept a parameter of the spec's kind
ACCEPTS = {"POSITIONAL_ONLY": {"POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD"},
           "POSITIONAL_OR_KEYWORD": {"POSITIONAL_OR_KEYWORD"},
           "KEYWORD_ONLY": {"KEYWORD_ONLY", "POSITIONAL_OR_KEYWORD"},
           "VAR_POSITIONAL": {"VAR_POSITIONAL"}}


def _inputs(ctx: Context, req: Requirement, doc: Document, *, defaults_only: bool = False) -> strategies.Inputs:
    """What the check draws: never a dtype the backend does not support for this function (that is the
    ``tensor.dtypes.support-*`` requirements' finding, see :mod:`.support`)."""
    category = req.params.get("dtypes")
    with_complex = bool(category) or req.feature == "complex"
    first = next((p.get("dtypes") for p in doc.data["signature"]["params"] if p.get("dtypes")), None)
    if first == "complex-floating":  # only complex inputs exist (imag): a signature call needs one
        with_complex = True
    return support.shared(ctx, strategies.Inputs(doc.data, tensor_data(ctx.spec), category,
                                                      with_complex=with_complex, exclude=support.excluded(ctx, doc),
                                                      defaults_only=defaults_only))


def _calls(ctx: Context, req: Requirement, doc: Document, *, defaults_only: bool = False) -> Any:
    """The strategy of a function's calls for this requirement, built once per distinct ``Inputs``: the dtype,
    shape, values and precision requirements of a function draw from the same one (same draws, one build)."""
    inputs = _inputs(ctx, req, doc, defaults_only=defaults_only)
    key = (doc.name, inputs.category_override, inputs.with_complex, inputs.exclude, inputs.defaults_only)
    built = ctx.state.setdefault("tensor.calls-per-inputs", {})
    if key not in built:
        built[key] = strategies.build(inputs)
    return built[key]


def share(ctx: Context, fraction: float) -> int:
    """A fraction of the run's example budget (at least 1), for checks whose rule has a small input space."""
    return max(1, int(ctx.settings.max_examples * fraction))


def _property(ctx: Context, req: Requirement, doc: Document, test: Any, strategy: Any = None,
              max_examples: int | None = None, *, defaults_only: bool = False) -> Property:
    if strategy is None:
        strategy = _calls(ctx, req, doc, defaults_only=defaults_only)
    return Property(strategy=strategy, test=test, snippet=lambda example: oracle.snippet(ctx, "call", example),
                    max_examples=max_examples)


def _reference(call: dict) -> Any:
    try:
        return oracle.expected("call", call)
    except oracle.Rejected:
        assume(False)  # outside the function's domain as the reference reads the spec
        raise


# ------------------------------------------------------------------ signature


def signature(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """Compare the backend's introspected signature with the spec's; call it when not introspectable."""
    name = doc.name
    spec_params = list(doc.data["signature"]["params"])
    try:
        found = ctx.backend.invoke("signature", {"fn": name})
    except BackendRaised as exc:  # the raise is the finding: the one every call of the function meets too
        return Outcome.from_cases([Case("fail", f"{name} is missing: {exc}", raised=raised_info(exc))], 1)
    if found is None:
        return _signature_by_call(ctx, req, doc)
    problems = []
    by_name = {p["name"]: p for p in found}
    positional = [p for p in found if p["kind"] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    var_positional = any(p["kind"] == "VAR_POSITIONAL" for p in found)
    var_keyword = any(p["kind"] == "VAR_KEYWORD" for p in found)
    position = 0
    for sp in spec_params:
        want = KIND_NAMES[sp["kind"]]
        if want == "POSITIONAL_ONLY":
            if position < len(positional):
                got = positional[position]
            elif var_positional:
                got = None
            else:
                problems.append(f"positional parameter {sp['name']!r} (#{position + 1}) is not accepted")
                continue
            position += 1
        elif want == "VAR_POSITIONAL":
            if not var_positional:
                problems.append(f"*{sp['name']} is not accepted (no variadic positional parameter)")
            continue
        else:
            got = by_name.get(sp["name"])
            if want == "POSITIONAL_OR_KEYWORD":
                # accepted positionally at its position (under any name) and by keyword under its name
                if position >= len(positional) and not var_positional:
                    problems.append(f"parameter {sp['name']!r} cannot be passed positionally (#{position + 1})")
                position += 1
                if got is not None and got["kind"] in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY"):
                    _check_default(sp, got, problems)
                    continue
            if got is None:
                if not var_keyword:
                    problems.append(f"parameter {sp['name']!r} ({sp['kind']}) is not accepted")
                continue
        if got is None:
            continue
        if got["kind"] not in ACCEPTS[want]:
            problems.append(f"parameter {sp['name']!r} is {got['kind'].lower().replace('_', '-')}, the spec has {sp['kind']}")
        _check_default(sp, got, problems)
    spec_names = {sp["name"] for sp in spec_params}
    for p in found:
        extra = p["kind"] in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY") and p["name"] not in spec_names
        if extra and "default" not in p and p not in positional[: sum(1 for s in spec_params if s["kind"] != "keyword-only")]:
            problems.append(f"extra required parameter {p['name']!r} (a spec-conforming call cannot supply it)")
    if problems:
        return Outcome("fail", examples=1, message=f"{name}: " + "; ".join(problems),
                       expected=[dict(p) for p in spec_params], actual=found)
    return Outcome("pass", examples=1)


def _check_default(sp: dict, got: dict, problems: list[str]) -> None:
    """The backend's default must be the spec's (an unencodable default such as numpy's _NoValue is not judged)."""
    if "default" not in sp:
        return
    if "default" not in got:
        problems.append(f"parameter {sp['name']!r} has no default, the spec's is {sp['default']!r}")
        return
    if isinstance(got["default"], dict) and "$repr" in got["default"]:
        return
    value = oracle.decode(got["default"])
    if isinstance(value, np.ndarray):
        value = value.item()
    if value != sp["default"] or type(value) is not type(sp["default"]) and not (
            isinstance(value, int | float) and isinstance(sp["default"], int | float)):
        problems.append(f"parameter {sp['name']!r} defaults to {value!r}, the spec's default is {sp['default']!r}")


def _signature_by_call(ctx: Context, req: Requirement, doc: Document) -> Outcome | Property:
    """Not introspectable (e.g. ufuncs, C builtins): call with every keyword parameter spelled out."""
    spec_params = list(doc.data["signature"]["params"])
    keywords = [p for p in spec_params if p["kind"] in ("positional-or-keyword", "keyword-only") and "default" in p]

    def test(call: dict) -> None:
        bound = rules.bind(doc.data, call)
        explicit = dict(call)
        explicit["kwargs"] = dict(call.get("kwargs", {}))
        n_pos = len(call.get("args", []))
        positional_names = [p["name"] for p in spec_params if p["kind"] != "keyword-only"][:n_pos]
        for p in keywords:
            if p["name"] not in explicit["kwargs"] and p["name"] not in positional_names:
                explicit["kwargs"][p["name"]] = oracle.encode(bound.get(p["name"], p["default"]))
        want = _reference(explicit)
        got = oracle.actual(ctx, "call", explicit)
        del want, got

    # a handful of calls in the default dtypes shows whether keywords are accepted (dtypes are not this aspect)
    return _property(ctx, req, doc, test, max_examples=5, defaults_only=True)


# ------------------------------------------------------------------ dtype and shape


def dtype(ctx: Context, req: Requirement, doc: Document) -> Property:
    data = tensor_data(ctx.spec)
    rule = doc.data["result"]["dtype"]

    def test(call: dict) -> None:
        _reference(call)
        bound = rules.bind(doc.data, call)
        got = oracle.actual(ctx, "call", call)
        if rule["rule"] == "fields":
            for field, allowed in rules.field_dtypes(rule, bound, data).items():
                value = getattr(got, field, None)
                if value is None:
                    raise Mismatch(f"the result has no field {field!r}", expected=field, actual=repr(got)[:200])
                if value.dtype.name not in allowed:
                    raise Mismatch(f"field {field} has dtype {value.dtype.name}; the spec allows {sorted(allowed)}",
                                   expected=sorted(allowed), actual=value.dtype.name)
            return
        allowed = rules.expected_dtypes(rule, bound, data)
        assume(allowed is not None)
        for item in got if isinstance(got, tuple | list) else [got]:
            name = item.dtype.name if isinstance(item, np.ndarray) else type(item).__name__
            if name not in allowed:
                raise Mismatch(f"result dtype {name}; the spec's rule {dict(rule)} gives {sorted(allowed)}",
                               expected=sorted(allowed), actual=name,  # promotion: every function promotes alike
                               rule=f"dtype:{rule['rule']}" if rule["rule"] in ("promote", "promote-all") else None)

    # the rule depends on dtypes only (never on values); the pairs are few and tensor.promotion.* checks the
    # whole table exhaustively, so 30% of the budget covers them while keeping a full run under 5 minutes
    return _property(ctx, req, doc, test, max_examples=share(ctx, 0.3))


def shape(ctx: Context, req: Requirement, doc: Document) -> Property:
    rule = doc.data["result"]["shape"]

    zeros_elsewhere = signed_zeros.apart_allowed(doc)

    def test(call: dict) -> None:
        assume(not (zeros_elsewhere and signed_zeros.both_in(call)))  # -0 / +0 apart: a SHOULD of its own
        want = _reference(call)
        bound = rules.bind(doc.data, call)
        got = oracle.actual(ctx, "call", call)
        expected = rules.expected_shape(rule, bound)
        if expected is None:
            expected = _shapes(want)
        actual = _shapes(got)
        if _norm(actual) != _norm(expected):
            raise Mismatch(f"result shape {actual}; expected {expected}", expected=_norm(expected), actual=_norm(actual))

    # shapes are small (≤ 3 axes of ≤ 4) and independent of values: 30% of the budget explores them
    return _property(ctx, req, doc, test, max_examples=share(ctx, 0.3))


def _shapes(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.shape
    if isinstance(value, tuple | list):
        return [_shapes(v) for v in value]
    return ()


def _norm(value: Any) -> Any:
    if isinstance(value, tuple):
        return [int(n) for n in value]
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


# ------------------------------------------------------------------ values


def _arrays_in(call: dict) -> list[np.ndarray]:
    out = []
    for a in [*call.get("args", []), *call.get("kwargs", {}).values()]:
        v = oracle.decode(a)
        for item in v if isinstance(v, list) else [v]:
            if isinstance(item, np.ndarray):
                out.append(item)
    return out


def values(ctx: Context, req: Requirement, doc: Document) -> Property:
    """Values against the reference; ``accuracy: measured`` (functions whose accuracy the standard leaves to
    the implementation) fails only on gross errors and records the largest ULP error per dtype in the report;
    ``accuracy: precision`` judges only whether results carry their dtype's precision (a SHOULD)."""
    cmp = req.compare
    accuracy = compare.Accuracy() if cmp.get("accuracy") == "measured" else None

    def test(call: dict) -> None:
        want = _reference(call)
        try:
            got = oracle.actual(ctx, "call", call)
        except Mismatch:
            if cmp.get("accuracy") == "precision":
                assume(False)  # a raise is the values requirement's finding, not a precision one
            raise
        want = _in_chosen_default(ctx, doc, call, want, got)
        want = _allowing_free_outcomes(doc, call, want, got)
        if accuracy is not None:
            shape = want.shape if isinstance(want, np.ndarray) else ()
            reason = compare.measured(want, got, accuracy, _inputs_at(doc, call, shape))
        elif cmp.get("accuracy") == "precision":
            shape = want.shape if isinstance(want, np.ndarray) else ()
            reason = compare.precision(want, got, cmp, _inputs_at(doc, call, shape))
        elif cmp.get("rule") == "multiset":
            reason = compare.multiset_fields(want, got, list(cmp["fields"]), cmp)
        elif cmp.get("rule") == "json":
            reason = compare.same_value(want, got, cmp)
        else:
            reason = compare.same_value(want, got, cmp, _arrays_in(call))
        if reason:
            raise Mismatch(f"{doc.name}: {reason}", expected=oracle.readable(want), actual=oracle.readable(got))

    if cmp.get("aspect") == "signed-zeros":  # every input holds both zeros: the aspect this requirement judges
        strategy = _calls(ctx, req, doc).filter(signed_zeros.room).map(signed_zeros.injected)
        return _property(ctx, req, doc, test, strategy=strategy, max_examples=share(ctx, 0.3))
    # complex values (a MAY feature) get half the budget: their kernels are fewer and slower to shrink;
    # a precision SHOULD re-measures what the values requirement saw: 20% finds a float32-precision kernel
    budget = share(ctx, 0.5) if req.feature else share(ctx, 0.2) if cmp.get("accuracy") == "precision" else None
    strategy = None
    if cmp.get("accuracy") == "precision":  # only the dtypes the bound names: a float32 draw tells nothing here
        bounded = set(cmp.get("ulp", {}))
        strategy = _calls(ctx, req, doc).filter(lambda call: bool(bounded.intersection(support.classes(call))))
    prop = _property(ctx, req, doc, test, strategy=strategy, max_examples=budget)
    if accuracy is not None:
        prop.extra = lambda: {"accuracy": accuracy.to_json()}
    return prop


def _in_chosen_default(ctx: Context, doc: Document, call: dict, want: Any, got: Any) -> Any:
    """The reference's answer in the dtype the backend chose, where the spec lets it choose.

    An omitted ``dtype`` leaves the default floating dtype to the backend (spec ``defaults``:
    float32 or float64); torch picks float32, so ``full((), 16777217.0)`` is rightly 16777216.
    Whether the chosen dtype is allowed is the dtype check's business; values compare like for like.
    """
    if not (isinstance(want, np.ndarray) and isinstance(got, np.ndarray)) or want.dtype == got.dtype:
        return want
    if call["kwargs"].get("dtype") is not None or "dtype" not in {p["name"] for p in doc.data["signature"]["params"]}:
        return want
    allowed = rules.expected_dtypes(doc.data["result"]["dtype"], rules.bind(doc.data, call), tensor_data(ctx.spec))
    if len(allowed or ()) < 2 or got.dtype.name not in allowed:
        return want
    return _reference({**call, "kwargs": {**call["kwargs"], "dtype": oracle.encode(oracle.DType(got.dtype.name))}})


def _allowing_free_outcomes(doc: Document, call: dict, want: Any, got: Any) -> Any:
    """The reference's answer with each element where a special-case row leaves the choice open, and the
    backend made an allowed one, replaced by the backend's: ``floor_divide(+inf, 1.0)`` is +inf or NaN.

    Only real floating arrays of the same shape; every other element is still compared with the reference.
    """
    rows = [r for r in doc.data.get("special_cases", ()) if r["then"] == "±0" or
            (isinstance(r["then"], dict) and "one_of" in r["then"])]
    if (not isinstance(want, np.ndarray) or not isinstance(got, np.ndarray) or want.shape != got.shape
            or want.dtype != got.dtype or call["kwargs"]):
        return want
    if want.dtype.kind == "c":
        return _allowing_unspecified_complex(doc, call, want, got)
    inputs_at = _inputs_at(doc, call, want.shape)
    if not rows or want.dtype.kind != "f" or inputs_at is None:
        return want
    same = (want == got) & (np.signbit(want) == np.signbit(got)) | (np.isnan(want) & np.isnan(got))
    out = want.copy()
    for index in np.ndindex(want.shape):
        if not same[index] and special.free_outcome(rows, inputs_at(index), got[index], want.dtype):
            out[index] = got[index]
    return out


def _allowing_unspecified_complex(doc: Document, call: dict, want: np.ndarray, got: np.ndarray) -> np.ndarray:
    """The reference's answer with each element a ``then: unspecified`` complex row covers (division by a
    complex zero, NaN or infinite parts in products and quotients) replaced by the backend's: the standard
    leaves those results to the implementation."""
    rows = (doc.data.get("complex_special_cases") or {}).get("rows", ())
    inputs_at = _inputs_at(doc, call, want.shape)
    if not any(r["then"] == "unspecified" for r in rows) or inputs_at is None:
        return want
    out = want.copy()
    for index in np.ndindex(want.shape):
        if complex_special.unspecified(doc.data, inputs_at(index)):
            out[index] = got[index]
    return out


def _inputs_at(doc: Document, call: dict, shape: tuple[int, ...]) -> Any:
    """index -> the element-wise inputs (by parameter name) that gave a result of ``shape`` at that index;
    None when the positional inputs do not broadcast to it."""
    names = [p["name"] for p in doc.data["signature"]["params"]][: len(call["args"])]
    try:
        inputs = np.broadcast_arrays(*(np.asarray(oracle.decode(a)) for a in call["args"]))
    except ValueError:
        return None
    if not inputs or inputs[0].shape != shape:
        return None
    return lambda index: {name: x[index] for name, x in zip(names, inputs, strict=True)}


# ------------------------------------------------------------------ special cases


def special_cases(ctx: Context, req: Requirement, doc: Document) -> Property:
    """Every row at float32 and float64, all representative values of a row in one call."""
    rows = list(doc.data["special_cases"])
    params = [p["name"] for p in doc.data["signature"]["params"]]
    values = dict(_values_compare(doc) or {})
    # "an implementation-dependent approximation to +pi/2": no bound where the values' accuracy is measured
    ulp = None if values.get("accuracy") == "measured" else int(values.get("ulp", {}).get("float64", 4))
    targets = [(i, d) for i in range(len(rows)) for d in ("float32", "float64")]

    def build(target: tuple[int, str]) -> dict:
        index, dtype = target
        cases = special.cases(rows[index], params, np.dtype(dtype))
        args: dict[str, Any] = {}
        for p in params:
            if cases and p in cases[0]:
                args[p] = np.asarray([c[p] for c in cases], dtype=dtype)
        if "x1" in params and "x2" in params:
            for p in ("x1", "x2"):  # a parameter the row leaves free takes every value
                args.setdefault(p, np.zeros(len(cases), dtype=dtype))
            call = oracle.call(doc.name, args["x1"], args["x2"])
        else:
            first = params[0]
            kwargs = {p: args[p] for p in params[1:] if p in args}
            call = oracle.call(doc.name, args.get(first, np.zeros(len(cases), dtype=dtype)), **kwargs)
        return {"row": index, "dtype": dtype, "call": call}

    def test(example: dict) -> None:
        row = rows[example["row"]]
        dtype = np.dtype(example["dtype"])
        cases = special.cases(row, params, dtype)
        got = oracle.actual(ctx, "call", example["call"])
        if not isinstance(got, np.ndarray) or got.shape != (len(cases),):
            raise Mismatch(f"expected {len(cases)} results, got {got!r}"[:300], actual=repr(got)[:300])
        for case, value in zip(cases, got, strict=True):
            reason = special.check(row["then"], case, value, dtype, ulp)
            if reason:
                inputs = ", ".join(f"{k}={_show(v)}" for k, v in case.items())
                raise Mismatch(f"{doc.name}({inputs}) [{dtype}] gave {_show(value)}; the special case "
                               f"{dict(row['when'])} -> {row['then']!r} requires {reason}",
                               expected=str(row["then"]), actual=_show(value))

    strategy = st.sampled_from(targets).map(build)
    # rows are fixed inputs, not random ones: enumerate them all whatever the run's example budget
    return Property(strategy=strategy, test=test, max_examples=max(len(targets) * 3, 10),
                    snippet=lambda example: oracle.snippet(ctx, "call", example["call"]))


def complex_special_cases(ctx: Context, req: Requirement, doc: Document) -> Property:
    """Every complex row (and its stated symmetric images) at complex64 and complex128, one call per row."""
    functions = {d.name: d.data for d in ctx.spec.documents_of("tensor.function")}
    bounds = dict(req.compare).get("ulp", {})
    built = {d: complex_special.groups(doc.data, functions.__getitem__, np.dtype(d)) for d in ("complex64", "complex128")}
    targets = [(i, d) for d, rows in built.items() for i in range(len(rows))]
    if not targets:
        raise NotApplicableHere(f"{doc.name} has no complex special-case rows to check")

    def cases(target: tuple[int, str]) -> list[complex_special.Case]:
        index, dtype = target
        return built[dtype][index]

    def build(target: tuple[int, str]) -> dict:
        group = cases(target)
        args = [np.asarray([c.inputs[p] for c in group], dtype=target[1]) for p in group[0].inputs]
        return {"row": target[0], "dtype": target[1], "call": oracle.call(doc.name, *args)}

    def test(example: dict) -> None:
        group = cases((example["row"], example["dtype"]))
        got = oracle.actual(ctx, "call", example["call"])
        if not isinstance(got, np.ndarray) or got.shape != (len(group),):
            raise Mismatch(f"expected {len(group)} results, got {got!r}"[:300], actual=repr(got)[:300])
        for case, value in zip(group, got, strict=True):
            reason = case.problem(value, np.dtype(example["dtype"]), int(bounds.get(example["dtype"], 0)))
            if reason:
                inputs = ", ".join(f"{k}={_show(v)}" for k, v in case.inputs.items())
                raise Mismatch(f"{doc.name}({inputs}) [{example['dtype']}] gave {_show(value)}; the special case "
                               f"{case.rule} requires {reason}", expected=reason, actual=_show(value))

    return Property(strategy=st.sampled_from(targets).map(build), test=test, max_examples=max(len(targets) * 3, 10),
                    snippet=lambda example: oracle.snippet(ctx, "call", example["call"]))


def _values_compare(doc: Document) -> Any:
    for r in doc.requirements:
        if r.check == "values" and not r.feature:
            return r.compare
    return None


def _show(v: Any) -> str:
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, complex):
        return f"complex({_show(v.real)}, {_show(v.imag)})"
    if isinstance(v, float):
        if v != v:
            return "-NaN" if np.signbit(v) else "NaN"
        if v == 0:
            return "-0.0" if np.signbit(v) else "+0.0"
    return repr(v)
