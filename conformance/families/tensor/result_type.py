"""Results are arrays of the backend's own array type (check kind ``result-type``).

The standard's functions and ``__getitem__`` return ``array`` — the library's array object, which
is what its functions accept ("most other libraries only accept their own array types. This
standard follows the latter choice."). The wire converts whatever comes back, so a backend handing
back numpy arrays (pydata/sparse's ``x[()]``, ``x[0]``, ``unique_values``, ``unstack``) would look
fine everywhere else: this check asks the adapter (op ``result_types``) before encoding.

Every function of the spec gets an example or two of its own inputs (a backend that raises is
other requirements' business), then basic indexing; each function returning
a foreign type is one case (input class = the function), so one does not mask another.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.conformance.check import (
    Case,
    Context,
    Mismatch,
    NotApplicableHere,
    Outcome,
    Property,
    run_property,
)
from accord.conformance.client import (
    BackendCrashed,
    BackendFailure,
    BackendRaised,
    BackendTimeout,
    BackendUnsupported,
)
from accord.spec.model import Document, Requirement

from . import oracle, strategies, support
from .specdata import tensor_data

#: keys whose result is an array per the standard (0-d arrays included: ``x[()]``, ``x[0]`` of a 1-d x)
_KEYS = ((), 0, -1, Ellipsis, slice(None), None)


def result_type(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """Run every function (and basic indexing) a few times; a result array of a foreign type fails."""
    # a result's type depends on the function, hardly on the values: one or two examples of each suffice
    per_function = max(1, int(ctx.settings.max_examples * float(req.params.get("share", 0.02))))
    try:
        ctx.backend.invoke("result_types", {"op": "call", "args": oracle.call("asarray", 0)})
    except BackendUnsupported as exc:
        raise NotApplicableHere(f"the adapter cannot tell its result types (op result_types: {exc})") from None
    except BackendRaised:
        pass
    cases: list[Case] = []
    examples = 0
    for name, prop in _properties(ctx, per_function):
        try:
            outcome = run_property(prop, ctx.settings)
        except BackendFailure as exc:  # one function hanging or crashing the worker: its case, then go on
            ctx.backend.restart()
            ctx.state.clear()
            status = "timeout" if isinstance(exc, BackendTimeout) else "crashed" if isinstance(exc, BackendCrashed) \
                else "error"
            outcome = Outcome(status, message=f"{name}: {exc}", cases=[*getattr(exc, "accord_cases", []),
                                                                      Case(status, f"{name}: {exc}")])
        examples += outcome.examples
        if outcome.status != "pass" and not outcome.cases:
            if (outcome.message or "").startswith("no valid example"):
                continue  # the backend raised on every input: other requirements' business, not the type
            outcome.cases = [Case(outcome.status, f"{name}: {outcome.message}")]  # the search itself failed
        for case in outcome.cases:
            case.input_class = name
            cases.append(case)
    if not cases:
        return Outcome("pass", examples=examples)
    return Outcome.from_cases(cases, examples)


def _properties(ctx: Context, per_function: int) -> list[tuple[str, Property]]:
    data = tensor_data(ctx.spec)
    out = []
    for fdoc in sorted(ctx.spec.documents_of("tensor.function"), key=lambda d: d.name):
        if not all(ctx.claims(f) for f in support.extension(fdoc)):  # an extension the adapter does not claim
            continue
        first = next((p.get("dtypes") for p in fdoc.data["signature"]["params"] if p.get("dtypes")), None)
        complex_only = first == "complex-floating"  # imag, real, conj's only inputs are complex
        if complex_only and not ctx.claims("complex"):
            continue
        try:
            strategy = strategies.build(strategies.Inputs(fdoc.data, data, None, with_complex=complex_only))
        except Exception:  # a strategy this suite cannot build here is the function's other requirements' business
            continue
        out.append((fdoc.name, Property(strategy=strategy.map(lambda call: {"op": "call", "args": call}),
                                        test=_test(ctx, fdoc.name), snippet=_snippet(ctx), max_examples=per_function)))

    for key in _KEYS:  # one search per key form, so each is its own case
        out.append((f"x[{_key_text(key)}]", Property(strategy=_getitem(data, key), test=_test(ctx, f"x[{_key_text(key)}]"),
                                                     snippet=_snippet(ctx), max_examples=max(per_function, 2))))
    return out


def _key_text(key: Any) -> str:
    if isinstance(key, slice):
        return ":"
    return "..." if key is Ellipsis else repr(key)


def _getitem(data: Any, key: Any) -> Any:
    @st.composite
    def examples(draw: Any) -> dict:
        dtype = draw(st.sampled_from(data.dtypes("real")))
        # x[()] of a 0-d array and x[0] of a 1-d array give 0-d arrays: where a backend may hand back a scalar
        low = 0 if key in ((), Ellipsis, None) else 1
        shape = draw(strategies.shapes(min_dims=low, max_dims=low + 1, min_side=1))
        x = draw(hnp.arrays(np.dtype(dtype), shape))
        return {"op": "getitem", "args": {"self": oracle.encode(x), "key": oracle.encode(key)}}
    return examples()


def _test(ctx: Context, what: str) -> Any:
    def test(example: dict) -> None:
        try:
            foreign = ctx.backend.invoke("result_types", example)
        except BackendRaised:
            assume(False)  # raising is not this requirement's aspect
            raise
        if foreign:
            where = ", ".join(f"{f['type']}{' at item ' + f['path'] if f['path'] else ''}" for f in foreign)
            raise Mismatch(f"{what} returned {where}, not an array of the backend's own type",
                           expected="the namespace's array type", actual=[f["type"] for f in foreign])
    return test


def _snippet(ctx: Context) -> Any:
    return lambda example: oracle.snippet(ctx, example["op"], example["args"]) + "\nprint(type(result))"
