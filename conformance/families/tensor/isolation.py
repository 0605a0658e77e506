"""Aspect isolation and no masking for every tensor check kind, applied where the suite maps kinds to checks.

Each property gets an input class (``Property.classify``) so that the core, after a failure, leaves that
class out and keeps exploring: a call's class is the dtypes of its array arguments (``"float32"``,
``"int8,uint8"``); a special-case example's is its row; an operator's is the operator. A function's
property never draws a dtype the backend does not support for that function (``support.excluded``, chosen
out in ``strategies.Inputs``; this module adds the same filter for checks whose dtypes are fixed rows, and
the note that names what was left out and where it is reported).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypothesis.errors import UnsatisfiedAssumption

from accord.conformance.check import Check, Context, NotApplicableHere, Outcome, Property
from accord.spec.model import Document, Requirement

from . import support
from .specdata import tensor_data

Classifier = Callable[[Requirement, Document], Callable[[Any], str | None]]


def _call_class(req: Requirement, doc: Document) -> Callable[[Any], str | None]:
    return support.input_class


def _law_class(req: Requirement, doc: Document) -> Callable[[Any], str | None]:
    return lambda example: support.input_class(example["calls"][0])


def _row_class(req: Requirement, doc: Document) -> Callable[[Any], str | None]:
    rows = list(doc.data.get("special_cases") or ())

    def classify(example: Mapping[str, Any]) -> str:
        index = example["row"]
        if req.check == "special-cases" and index < len(rows):
            when = ", ".join(f"{k}={v}" for k, v in rows[index]["when"].items())
            return f"row {index}: {when}"
        return f"row {index}"
    return classify


def _object_class(req: Requirement, doc: Document) -> Callable[[Any], str | None]:
    def classify(example: Mapping[str, Any]) -> str | None:
        if "attribute" in example:  # operators: attributes
            return f"attribute {example['attribute']['name']}"
        op = example.get("op")
        if isinstance(op, Mapping) and "method" in op:  # operators: one class per operator
            return op["method"]
        if isinstance(op, str):  # indexing: the indexed array's dtype (views: the function's inputs)
            args = example["args"]
            return support.input_class({"args": [args["self"]]} if "self" in args else args)
        call = example.get("call")
        if req.check == "broadcasting" and call is not None:
            return call["fn"]
        return support.input_class(call) if call is not None else None
    return classify


CLASSIFIERS: dict[str, Classifier] = {
    "signature": _call_class, "dtype": _call_class, "shape": _call_class, "values": _call_class,
    "special-cases": _row_class, "complex-special-cases": _row_class, "property": _law_class,
    "promotion": _object_class, "promotion-scalars": _object_class, "broadcasting": _object_class,
    "operators": _object_class, "indexing": _object_class,
}


#: the dtypes of the checks whose rows are fixed (the rest draw from the function's own categories)
ROW_DTYPES = {"special-cases": frozenset({"float32", "float64"}),
              "complex-special-cases": frozenset({"complex64", "complex128"})}


def isolated(kind: str, check: Check) -> Check:
    """``check`` with its property classified and kept to the dtypes the backend supports for the function."""
    classifier = CLASSIFIERS.get(kind)

    def run(ctx: Context, req: Requirement, doc: Document) -> Outcome | Property:
        # a signature judged by calling draws the default dtypes only: nothing of its own is left out
        function = doc.kind == "tensor.function" and kind != "signature"
        left_out = _left_out(ctx, req, doc, ROW_DTYPES.get(kind)) if function else frozenset()
        produced = check(ctx, req, doc)
        if not isinstance(produced, Property):
            return produced
        if classifier is not None:
            produced.classify = classifier(req, doc)
        if left_out:
            # checks whose dtypes are fixed rows (special cases at float32 / float64) are filtered here too
            produced.strategy = produced.strategy.filter(lambda example: not _dtypes_in(example) & left_out)
            noted(produced, support.note(ctx.spec, left_out) or "")
        return produced

    run.__name__ = getattr(check, "__name__", kind)
    run.__doc__ = check.__doc__
    return run


def _left_out(ctx: Context, req: Requirement, doc: Document, rows: frozenset[str] | None) -> frozenset[str]:
    """The unsupported dtypes this requirement would draw (``rows``: its fixed dtypes); not applicable when
    that is every one of them."""
    excluded = support.excluded(ctx, doc)
    if not excluded:
        return excluded
    admitted = support.admitted(doc.data, ctx.spec)
    if rows is not None:
        admitted = tuple(d for d in admitted if d in rows)
    complex_ = set(tensor_data(ctx.spec).categories["complex-floating"])
    if not (req.feature == "complex" or req.params.get("dtypes") or set(admitted) <= complex_):
        admitted = tuple(d for d in admitted if d not in complex_)
    if req.params.get("dtypes"):
        admitted = tuple(d for d in admitted if d in tensor_data(ctx.spec).dtypes(req.params["dtypes"], True))
    left_out = excluded & set(admitted)
    if admitted and left_out >= set(admitted):
        raise NotApplicableHere(f"{doc.name} supports none of the dtypes this requirement draws: "
                                f"{support.note(ctx.spec, left_out)}")
    return frozenset(left_out)


def _dtypes_in(example: Any) -> set[str]:
    if isinstance(example, Mapping) and "call" in example:
        return set(support.classes(example["call"]))
    if isinstance(example, Mapping) and "calls" in example:
        return set(support.classes(example["calls"][0]))
    if isinstance(example, Mapping) and "fn" in example:
        return set(support.classes(example))
    return set()


def noted(prop: Property, note: str) -> None:
    """Say in the result message which dtypes were left out, when the requirement passes.

    A failure's message stays the failure's own (its findings cluster across requirements by it).
    """
    failed: list[bool] = []
    test, extra = prop.test, prop.extra

    def watched(example: Any) -> None:
        try:
            test(example)
        except UnsatisfiedAssumption:
            raise
        except Exception:
            failed.append(True)
            raise

    def with_note() -> dict[str, Any]:
        found = extra() if extra is not None else {}
        if not failed:
            found["message"] = note
        return found

    prop.test = watched
    prop.extra = with_note
