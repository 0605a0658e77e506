"""Check kind ``dlpack``: DLPack interchange within one library (``from_dlpack``, ``__dlpack_device__``).

What travels: the worker protocol carries values, not objects, so a DLPack capsule (a PyCapsule) never
leaves the worker. Every aspect is a wire-safe composition the worker already runs: ``from_dlpack(x, ...)``
on the backend's own array (``call``; the wire builds ``x`` natively, views included) answered by its
values, and ``x.__dlpack_device__()`` (``method``) answered by a tuple of integers. The oracle stays here:
``from_dlpack(x)`` must hold x's values, dtype and shape (no reference call, the input is the answer).

Omission: the standard lets a library that can never export its data through DLPack omit ``__dlpack__``
and ``__dlpack_device__`` ("and hence from_dlpack may raise an AttributeError"). A backend whose array
has no ``__dlpack_device__`` (an AttributeError from the probe) is therefore not applicable, with that
reason. A BufferError for one array is the text's "may" (the data cannot be materialised as strided
memory) and is accepted for that example.

Aspects (``params.aspect``): ``round-trip`` (``copy`` omitted, None or True), ``copy-false`` (equal values,
or BufferError / ValueError: the text names both), ``device-keyword`` (``device=`` the default device),
``device-tuple`` (a 2-tuple of integers whose first is a DLPack device type the text lists).

Not checked here (the wire cannot observe memory): that ``copy=True`` gives memory not shared with x, and
that ``from_dlpack`` consumes another library's array (the worker builds every array natively).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from accord.conformance.check import Context, Mismatch, NotApplicableHere, Property
from accord.conformance.client import BackendRaised
from accord.spec.model import Document, Requirement

from . import compare, oracle, strategies
from .specdata import tensor_data

#: DLPack device types the standard lists for ``__dlpack_device__`` (CPU = 1, CUDA = 2, ...)
DEVICE_TYPES = frozenset({1, 2, 3, 4, 7, 8, 9, 10, 13, 14})
#: exceptions the text allows for ``copy=False`` where a copy would be needed
COPY_FALSE_ERRORS = frozenset({"BufferError", "ValueError"})


def _omits_dlpack(ctx: Context) -> str | None:
    """Why the backend's arrays do not take part in DLPack at all (no ``__dlpack_device__``), or None."""
    if "dlpack omitted" not in ctx.state:
        probe = {"method": "__dlpack_device__", "self": oracle.encode(np.zeros(2, dtype="float64")), "args": []}
        reason = None
        try:
            ctx.backend.invoke("method", probe)
        except BackendRaised as exc:
            if exc.type == "AttributeError":
                reason = (f"the backend's array has no __dlpack_device__ ({exc}); the standard lets a library that "
                          "can never export its data via DLPack omit __dlpack__ and __dlpack_device__ "
                          "(Design topics / Data interchange mechanisms)")
        ctx.state["dlpack omitted"] = reason
    return ctx.state["dlpack omitted"]


def _default_device(ctx: Context) -> Any:
    try:
        return oracle.decode(ctx.backend.invoke("call", oracle.call("__array_namespace_info__.default_device")))
    except BackendRaised as exc:
        raise NotApplicableHere(f"__array_namespace_info__().default_device() raised {exc}") from None


def dlpack(ctx: Context, req: Requirement, doc: Document) -> Property:
    """DLPack within the backend's own arrays, by ``params.aspect`` (see the module docstring)."""
    aspect = req.params["aspect"]
    if aspect not in ("round-trip", "copy-false", "device-keyword", "device-tuple"):
        raise ValueError(f"{req.id}: params.aspect {aspect!r} is not a dlpack aspect")
    reason = _omits_dlpack(ctx)
    if reason:
        raise NotApplicableHere(reason)
    data = tensor_data(ctx.spec)
    plain = strategies.Inputs({"name": doc.name, "signature": {"params": []}, "inputs": {"strategy": "elementwise"}},
                              data, None, with_complex=True)
    device = _default_device(ctx) if aspect == "device-keyword" else None

    @st.composite
    def examples(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(data.dtypes("any", with_complex=ctx.claims("complex"))))
        x = draw(strategies.array(dtype, draw(strategies.shapes()), plain))
        if aspect == "device-tuple":
            return {"op": "method", "args": {"method": "__dlpack_device__", "self": oracle.encode(x), "args": []},
                    "x": strategies.value_of(x)}
        kwargs: dict[str, Any] = {}
        if aspect == "round-trip":
            kwargs = draw(st.sampled_from([{}, {"copy": None}, {"copy": True}]))
        elif aspect == "copy-false":
            kwargs = {"copy": False}
        else:
            kwargs = {"device": device}
        return {"op": "call", "args": oracle.call("from_dlpack", x, **kwargs), "x": strategies.value_of(x)}

    def test(example: dict) -> None:
        op, args, x = example["op"], example["args"], example["x"]
        try:
            got = oracle.decode(ctx.backend.invoke(op, args))
        except BackendRaised as exc:
            if exc.type == "BufferError":  # the text's "may": this array cannot be exported
                assume(False)
            if aspect == "copy-false" and exc.type in COPY_FALSE_ERRORS:
                return
            raise Mismatch(f"the backend raised {exc}", expected="a result", actual=f"raised {exc}", raised=exc) from None
        if aspect == "device-tuple":
            problem = _device_tuple_problem(got)
            if problem:
                raise Mismatch(problem, expected="(device_type, device_id)", actual=repr(got))
            return
        reason = compare.same_value(x, got, {"rule": "exact"})
        if reason:
            raise Mismatch(f"from_dlpack(x) does not hold x: {reason}", expected=oracle.readable(x),
                           actual=oracle.readable(got))

    return Property(strategy=examples(), test=test, snippet=lambda example: oracle.snippet(ctx, example["op"], example["args"]))


def _device_tuple_problem(got: Any) -> str | None:
    """What is wrong with a ``__dlpack_device__()`` answer, or None (an IntEnum travels as its integer)."""
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"__dlpack_device__() returned {got!r}, not a (device_type, device_id) 2-tuple"
    kind, ident = got
    if isinstance(kind, bool) or not isinstance(kind, int | np.integer) or int(kind) not in DEVICE_TYPES:
        return f"__dlpack_device__()[0] is {kind!r}, not a DLPack device type the standard lists ({sorted(DEVICE_TYPES)})"
    if isinstance(ident, bool) or not isinstance(ident, int | np.integer) or int(ident) < 0:
        return f"__dlpack_device__()[1] is {ident!r}, not a device id (a non-negative integer)"
    return None
