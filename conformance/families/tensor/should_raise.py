"""Check kind ``raises``: inputs the standard says a function or attribute should refuse with an error.

The standard's *Raises* notes and a few sentences of its prose say an error "should" be raised (``x.T``
of a non-2-D array, an out-of-range ``expand_dims`` axis, ``squeeze`` of a non-singleton axis, casting
complex to real, fewer indices than dimensions). Each becomes a requirement whose ``params`` name the
``form`` of input (one strategy per form below) and the exception class the text names (``raises``;
``any`` where the text says only "an error"). Everything else about the inputs stays plain: the default
dtypes, which every backend supports, so the raise can only come from the aspect under test.

The wire carries an exception's class name only. A builtin name is judged with its hierarchy (a
``LookupError`` is not an ``IndexError``); a library's own class (numpy's ``AxisError`` subclasses
both ``IndexError`` and ``ValueError``) cannot be placed in it from its name, so it is accepted.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from accord.conformance.check import Context, Mismatch, Property
from accord.conformance.client import BackendRaised
from accord.spec.model import Document, Requirement

from . import oracle, strategies
from .specdata import tensor_data

FORMS = ("attribute-ndim", "axis-out-of-range", "non-singleton-axis", "complex-to-real", "too-few-indices")


def raises(ctx: Context, req: Requirement, doc: Document) -> Property:
    """The backend raises (the named exception, where the text names one) for every drawn input of the form."""
    params = req.params
    form, wanted = params["form"], params.get("raises", "any")
    if form not in FORMS:
        raise ValueError(f"{req.id}: params.form {form!r} is not one of {', '.join(FORMS)}")
    data = tensor_data(ctx.spec)
    plain = strategies.Inputs({"name": doc.name, "signature": {"params": []}, "inputs": {"strategy": "elementwise"}},
                              data, None, with_complex=form == "complex-to-real")
    defaults = sorted(d for d in data.default_dtypes() if d in data.dtypes("any"))
    examples = _FORM_STRATEGIES[form](doc, params, plain, defaults, data)

    def test(example: dict) -> None:
        must_raise(ctx, doc.name, wanted, example["op"], example["args"])

    return Property(strategy=examples, test=test,
                    snippet=lambda example: oracle.snippet(ctx, example["op"], example["args"]),
                    classify=lambda example: example.get("class"))


def must_raise(ctx: Context, name: str, wanted: str, op: str, args: Any) -> None:
    """Ask the backend ``op(args)``; a Mismatch unless it raises ``wanted`` (``any``: whatever it raises)."""
    try:
        got = ctx.backend.invoke(op, args)
    except BackendRaised as exc:
        reason = wrong_type(exc.type, wanted)
        if reason:
            raise Mismatch(f"{name}: {reason}", expected=f"raises {wanted}", actual=f"raised {exc}",
                           raised=exc) from None
        return
    shown = oracle.readable(oracle.decode(got)) if got is not None else None
    raise Mismatch(f"{name}: returned a result where an error should be raised", expected=f"raises {wanted}",
                   actual=shown)


def wrong_type(raised: str, wanted: str) -> str | None:
    """Why a raised class name is not the one the text names (None: it is, or it cannot be told)."""
    if wanted == "any":
        return None
    found = getattr(builtins, raised, None)
    if not (isinstance(found, type) and issubclass(found, BaseException)):
        return None  # a library's own class: only its name crossed the wire
    if issubclass(found, getattr(builtins, wanted)):
        return None
    return f"raised {raised}, not {wanted}"


def _array(draw: Callable, dtypes: list[str], shape: tuple[int, ...], plain: strategies.Inputs) -> Any:
    dtype = draw(st.sampled_from(dtypes))
    return strategies.value_of(draw(strategies.array(dtype, shape, plain, views=False)))


@st.composite
def _attribute_ndim(draw: Callable, doc: Document, params: dict, plain: strategies.Inputs, dtypes: list[str],
                    data: Any) -> dict:
    ndim = draw(st.sampled_from(list(params["ndims"])))
    x = _array(draw, dtypes, draw(strategies.shapes(min_dims=ndim, max_dims=ndim)), plain)
    return {"op": "attribute", "args": {"self": oracle.encode(x), "name": params["name"]}, "class": f"ndim:{ndim}"}


@st.composite
def _axis_out_of_range(draw: Callable, doc: Document, params: dict, plain: strategies.Inputs, dtypes: list[str],
                       data: Any) -> dict:
    x = _array(draw, dtypes, draw(strategies.shapes()), plain)
    n = x.ndim + int(params.get("rank_offset", 0))  # the rank the axis counts positions in
    axis = draw(st.one_of(st.integers(n, n + 3), st.integers(-n - 4, -n - 1)))
    side = "above" if axis >= 0 else "below"
    return {"op": "call", "args": oracle.call(doc.name, x, **{params["param"]: axis}), "class": f"axis:{side}"}


@st.composite
def _non_singleton_axis(draw: Callable, doc: Document, params: dict, plain: strategies.Inputs, dtypes: list[str],
                        data: Any) -> dict:
    shape = list(draw(strategies.shapes(min_dims=1)))
    axis = draw(st.integers(0, len(shape) - 1))
    shape[axis] = draw(st.integers(2, 3))  # "a size greater than one": size 0 is left out (the text names no error)
    x = _array(draw, dtypes, tuple(shape), plain)
    return {"op": "call", "args": oracle.call(doc.name, x, **{params["param"]: axis}), "class": f"ndim:{len(shape)}"}


@st.composite
def _complex_to_real(draw: Callable, doc: Document, params: dict, plain: strategies.Inputs, dtypes: list[str],
                     data: Any) -> dict:
    source = draw(st.sampled_from(data.dtypes("complex-floating", with_complex=True)))
    target = draw(st.sampled_from([d for d in dtypes if d in data.dtypes("real")]))
    x = strategies.value_of(draw(strategies.array(source, draw(strategies.shapes()), plain, views=False)))
    return {"op": "call", "args": oracle.call(doc.name, x, oracle.DType(target)), "class": f"to:{data.kind(target)}"}


@st.composite
def _too_few_indices(draw: Callable, doc: Document, params: dict, plain: strategies.Inputs, dtypes: list[str],
                     data: Any) -> dict:
    shape = draw(strategies.shapes(min_dims=2, min_side=1))
    x = _array(draw, dtypes, shape, plain)
    given = draw(st.integers(1, len(shape) - 1))
    key = tuple(draw(st.one_of(st.integers(-side, side - 1), st.just(slice(None)))) for side in shape[:given])
    return {"op": "getitem", "args": {"self": oracle.encode(x), "key": oracle.encode(key if given > 1 else key[0])},
            "class": f"missing:{len(shape) - given}"}


_FORM_STRATEGIES: dict[str, Callable[..., st.SearchStrategy]] = {
    "attribute-ndim": _attribute_ndim,
    "axis-out-of-range": _axis_out_of_range,
    "non-singleton-axis": _non_singleton_axis,
    "complex-to-real": _complex_to_real,
    "too-few-indices": _too_few_indices,
}
