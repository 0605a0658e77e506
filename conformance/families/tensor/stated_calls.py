"""Check kinds ``stated-call`` and ``raises-drawn``: what the text says of one call, or of a drawn kind of call.

Some sentences of the standard are about a single call rather than a rule over drawn inputs
(``broadcast_shapes()`` with no arguments "must return an empty tuple"); some say an error should be raised
for a kind of input that only a strategy of its own draws (shapes that are not broadcast compatible). Both
suit functions whose arguments and results are not arrays, where the ``raises`` forms (arrays, axes,
indices) do not apply.

``stated-call``: ``params.args`` (and ``params.kwargs``) are the call's wire arguments, ``params.result`` the
result the text states, in wire JSON. The reference must give that result (else the spec data or the
reference is wrong, an error of the suite); the backend's answer is compared with it under the requirement's
``compare`` and must be of the same container (a tuple subclass such as torch.Size is a tuple).

``raises-drawn``: ``params.draws`` names a call builder (:mod:`.strategies`), ``params.raises`` the exception
class the text names (``any`` where it names none); every drawn call must raise it, judged as ``raises``
judges (:func:`.should_raise.wrong_type`).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from accord.conformance.check import Context, Mismatch, Property
from accord.spec.model import Document, Requirement, thaw

from . import compare, oracle, strategies
from .should_raise import must_raise
from .specdata import tensor_data


def stated_call(ctx: Context, req: Requirement, doc: Document) -> Property:
    """The one call the requirement states, its answer against the stated result."""
    params = thaw(req.params)  # wire JSON again: frozen spec data holds tuples where the wire has lists
    call = {"fn": doc.name, "args": list(params.get("args", [])), "kwargs": dict(params.get("kwargs", {}))}
    stated = oracle.decode(params["result"])
    try:
        reference = oracle.expected("call", call)
    except oracle.Rejected as exc:
        raise ValueError(f"{req.id}: the reference refuses the stated call ({exc})") from None
    if compare.same_value(stated, reference, req.compare) or type(reference) is not type(stated):
        raise ValueError(f"{req.id}: the reference gives {reference!r}, the spec states {stated!r}")

    def test(example: dict) -> None:
        got = oracle.actual(ctx, "call", example)
        if isinstance(stated, tuple | list) and not isinstance(got, type(stated)):
            raise Mismatch(f"{doc.name} returned a {type(got).__name__}; the standard states a {type(stated).__name__}",
                           expected=oracle.readable(stated), actual=oracle.readable(got))
        reason = compare.same_value(stated, got, req.compare)
        if reason:
            raise Mismatch(f"{doc.name}: {reason}", expected=oracle.readable(stated), actual=oracle.readable(got))

    return Property(strategy=st.just(call), test=test, max_examples=1,
                    snippet=lambda example: oracle.snippet(ctx, "call", example))


def raises_drawn(ctx: Context, req: Requirement, doc: Document) -> Property:
    """Every call the named builder draws raises (the named exception, where the text names one)."""
    params = req.params
    name, wanted = params["draws"], params.get("raises", "any")
    if name not in strategies.BUILDERS:
        raise ValueError(f"{req.id}: params.draws {name!r} is not a call builder of the tensor suite")
    inputs = strategies.Inputs({**doc.data, "inputs": {**doc.data.get("inputs", {}), "strategy": name}},
                               tensor_data(ctx.spec), None, with_complex=False)

    def test(call: dict[str, Any]) -> None:
        must_raise(ctx, doc.name, wanted, "call", call)

    return Property(strategy=strategies.build(inputs), test=test,
                    snippet=lambda example: oracle.snippet(ctx, "call", example),
                    classify=lambda example: f"{len(example['args'])} arguments")
