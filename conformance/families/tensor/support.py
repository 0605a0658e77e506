"""Which dtypes the backend supports for which function: probed once per (function, dtype), cached.

Dtype coverage is its own requirement (``tensor.dtypes.support-<dtype>``, check ``dtype-support``),
so every other requirement draws only dtypes the backend supports for its function: a library that
lacks uint16 kernels shows that once, in the uint16 row, instead of failing every signature, shape,
law and values requirement that happens to draw a uint16 first (and hiding what else they find).

The probe draws a few deterministic calls per dtype from the function's own builder, every array
of the probed dtype (binary functions: each promotion pair containing it), keeps the calls the
reference accepts, and asks the backend. A dtype is unsupported when the backend refuses one of
them while accepting another dtype's calls: a function the backend refuses in every dtype is not a
dtype gap (it is missing or broken), and its own requirements report it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import numpy as np
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from accord.conformance.check import Context
from accord.conformance.client import BackendRaised
from accord.conformance.seeded import keyless, seed_only
from accord.spec.model import Document, Spec

from . import oracle, strategies
from .specdata import tensor_data

PROBES = 3
"""Calls drawn per (function, dtype); the ``CALLS`` that meet a kernel best (arrays of two or more elements)
are made: enough to meet a missing kernel or a missing promotion, cheap on every backend."""
CALLS = 2
STATE_KEY = "tensor.dtype-support"
SHARED_KEY = "tensor.strategies-per-element-profile"
SEED = 20241200


@dataclass
class Probe:
    """What the backend did with one function's calls in one dtype."""

    dtype: str
    calls: int = 0  # calls the reference accepted and the backend was asked
    refused: dict[str, Any] | None = None  # the first refused call (wire form)
    error: BackendRaised | None = None  # what the backend raised for it


@dataclass
class FunctionSupport:
    """The probes of one function, per dtype it admits."""

    name: str
    probes: dict[str, Probe] = field(default_factory=dict)

    def works_somewhere(self) -> bool:
        return any(p.calls and p.refused is None for p in self.probes.values())

    def unsupported(self) -> set[str]:
        """Dtypes refused while another dtype works (a function refused everywhere is not a dtype gap)."""
        if not self.works_somewhere():
            return set()
        return {d for d, p in self.probes.items() if p.refused is not None}


def requirement_for(spec: Spec, dtype: str) -> str | None:
    """The id of the spec's ``dtype-support`` requirement for ``dtype``, if the spec version has one."""
    for doc in spec.documents_of("tensor.dtypes"):
        for req in doc.requirements:
            if req.check == "dtype-support" and req.params.get("dtype") == dtype:
                return req.id
    return None


def admitted(doc: Mapping[str, Any], spec: Spec) -> tuple[str, ...]:
    """The dtypes a function's signature admits: its parameters' categories (a ``dtype`` keyword, or a
    dtype-or-array parameter without one: any)."""
    data = tensor_data(spec)
    found: list[str] = []
    for p in doc["signature"]["params"]:
        category = p.get("dtypes") or ("any" if p["name"] == "dtype" or p["type"].startswith("dtype") else None)
        if category:
            found += [d for d in data.dtypes(category, with_complex=True) if d not in found]
    return tuple(d for d in data.dtypes("any", with_complex=True) if d in found)


def of(ctx: Context, doc: Document) -> FunctionSupport:
    """The (cached) probes of every dtype the function admits, probing what is not known yet."""
    cache: dict[str, FunctionSupport] = ctx.state.setdefault(STATE_KEY, {})
    known = cache.get(doc.name)
    if known is None:
        known = cache[doc.name] = _probe(ctx, doc, admitted(doc.data, ctx.spec))
    return known


def extension(doc: Document) -> frozenset[str]:
    """The features every requirement of ``doc`` is gated by: an optional extension's function (linalg, fft).

    Those stay out of the dtype-support probes: the support rows are MUSTs about the core namespace, and a
    claimed extension refusing a dtype is a failure of the extension function's own (MAY) requirements."""
    features = {r.feature for r in doc.requirements}
    return frozenset() if None in features or not features else frozenset(features)  # type: ignore[arg-type]


def excluded(ctx: Context, doc: Document) -> frozenset[str]:
    """The dtypes a check of ``doc`` leaves out: unsupported ones the spec version has a support requirement for.

    Without such a requirement (released versions before 1.2) nothing is left out: a gap must show somewhere;
    nor for an extension's function (:func:`extension`), whose own requirements show its gaps.
    """
    if extension(doc) or not any(requirement_for(ctx.spec, d) for d in admitted(doc.data, ctx.spec)):
        return frozenset()  # nothing to point to: no probe either
    found = of(ctx, doc).unsupported()
    return frozenset(d for d in found if requirement_for(ctx.spec, d))


def note(spec: Spec, dtypes: set[str] | frozenset[str]) -> str | None:
    """The result-message note for dtypes a check left out, naming the requirement that reports each."""
    if not dtypes:
        return None
    data = tensor_data(spec)
    ordered = [d for d in data.dtypes("any", with_complex=True) if d in dtypes]
    return "; ".join(f"{d} excluded: see {requirement_for(spec, d)}" for d in ordered)


def shared(ctx: Context, inputs: strategies.Inputs) -> strategies.Inputs:
    """``inputs`` drawing from shared element, array and scalar strategies.

    Those are keyed by dtype, shape and role and read only the document's element restrictions, so
    every ``Inputs`` of functions with the same restrictions (the probes', one per dtype, and each
    check's) can share them: the same strategies give the same draws, and building a hypothesis
    strategy and validating it on its first draw costs more than drawing from it.
    """
    inputs.cache = ctx.state.setdefault(SHARED_KEY, {}).setdefault(inputs.element_profile(), inputs.cache)
    return inputs


def _probe(ctx: Context, doc: Document, dtypes: tuple[str, ...]) -> FunctionSupport:
    known = FunctionSupport(doc.name, {d: Probe(d) for d in dtypes})
    data = tensor_data(ctx.spec)
    per_dtype = [_or_none(strategies.build(shared(ctx, strategies.Inputs(doc.data, data, None,
                                                                              with_complex=True, only=d))))
                 for d in dtypes]
    drawn = _draw(st.tuples(*per_dtype))
    for i, dtype in enumerate(dtypes):
        probe = known.probes[dtype]
        calls = [found[i] for found in drawn if found[i] is not None and dtype in classes(found[i])
                 and not _scalar_operand(doc.data, found[i])]
        for call in sorted(calls, key=_kernel_reach, reverse=True)[:CALLS]:
            if probe.refused is not None:
                break
            try:
                oracle.expected("call", call)
            except oracle.Rejected:
                continue
            probe.calls += 1
            try:
                ctx.backend.invoke("call", call)
            except BackendRaised as exc:
                if _accepted_in_another_dtype(ctx, call, dtype, dtypes):
                    probe.refused, probe.error = call, exc
    return known


CONTROLS = ("float64", "int64", "float32", "int32", "bool", "complex128")
"""Dtypes tried, in order, for the same call when the probed one is refused (the defaults first)."""


def _accepted_in_another_dtype(ctx: Context, call: dict[str, Any], dtype: str, admits: tuple[str, ...]) -> bool:
    """Whether the backend accepts the same call with the probed dtype's arrays in another dtype.

    Only then is the refusal the dtype's: ``arange`` refusing an empty range, or ``take`` refusing an
    index, refuses in every dtype, and the function's own requirements report that.
    """
    for target in [d for d in CONTROLS if d in admits and d != dtype][:3]:
        control = retyped(call, dtype, target)
        try:
            oracle.expected("call", control)
        except oracle.Rejected:
            continue
        try:
            ctx.backend.invoke("call", control)
        except BackendRaised:
            continue
        return True
    return False


def retyped(value: Any, dtype: str, target: str) -> Any:
    """A wire value with every array (view bases included) and dtype argument of ``dtype`` turned into ``target``."""
    if isinstance(value, list):
        return [retyped(v, dtype, target) for v in value]
    if not isinstance(value, Mapping):
        return value
    if "$array" in value:
        if value["$array"]["dtype"] != dtype:
            return value
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # complex to real drops the imaginary part: the values do not matter
            return oracle.encode(oracle.decode(value).astype(target))
    if value.get("$dtype") == dtype:
        return {"$dtype": target}
    return {k: retyped(v, dtype, target) for k, v in value.items()}


def _scalar_operand(doc: Mapping[str, Any], call: Mapping[str, Any]) -> bool:
    """Whether an ``array-or-scalar`` operand of the call is a Python scalar: how a backend mixes scalars with
    arrays is the function's own requirements' aspect, not whether it supports the dtype (pydata/sparse
    shifts uint64 arrays but refuses ``bitwise_left_shift(5, x)``)."""
    params = doc["signature"]["params"]
    return any(p["type"] == "array-or-scalar" and not (isinstance(a, Mapping) and ("$array" in a or "$view" in a))
               for p, a in zip(params, call.get("args", []), strict=False))


def _kernel_reach(call: dict[str, Any]) -> tuple[bool, int]:
    """How surely a call meets the dtype's kernels: first an array of two or more elements, where it has
    arrays (flip of a 0-d or empty array may skip the kernel the dtype lacks), then more array operands
    (torch's clip of a uint16 array with scalar or no bounds works, with array bounds it has no kernel)."""
    arrays = _arrays(call)
    sizes = [int(np.prod(a["shape"])) for a in arrays]
    return not sizes or max(sizes) >= 2, len(arrays)


def _arrays(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [a for v in value for a in _arrays(v)]
    if not isinstance(value, Mapping):
        return []
    if "$array" in value:
        return [value["$array"]]
    return [a for v in value.values() for a in _arrays(v)]


@st.composite
def _or_none(draw: Any, strategy: st.SearchStrategy) -> Any:
    """A draw of ``strategy``, or None where the builder has nothing to draw for the probed dtype."""
    try:
        return draw(strategy)
    except InvalidArgument:
        return None


def _draw(strategy: st.SearchStrategy) -> list[Any]:
    """A few examples, the same on every run (fixed seed, generation only)."""
    found: list[Any] = []

    @keyless
    @settings(max_examples=PROBES, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), verbosity=hypothesis.Verbosity.quiet)
    @hypothesis.seed(SEED)
    @hypothesis.given(strategy)
    def collect(example: Any) -> None:
        found.append(example)

    try:
        with seed_only():
            collect()
    except Exception:  # nothing drawable at all: nothing to probe
        pass
    return found


def classes(call: Mapping[str, Any]) -> list[str]:
    """The dtypes of a wire call's array arguments (views and lists included) and ``$dtype`` arguments."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            if "$array" in value:
                found.append(value["$array"]["dtype"])
            elif "$view" in value:
                walk(value["$view"]["base"])
            elif "$dtype" in value:
                found.append(value["$dtype"])
            else:
                for v in value.values():
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(list(call.get("args", [])))
    walk(list(call.get("kwargs", {}).values()))
    return found


def input_class(call: Mapping[str, Any]) -> str | None:
    """A call's input class: the distinct dtypes of its array arguments, sorted (``"int8,uint8"``)."""
    found = sorted(set(classes(call)))
    return ",".join(found) if found else None
