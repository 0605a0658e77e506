"""Check kind ``dlpack``: DLPack interchange (``from_dlpack``, ``__dlpack_device__``).

What travels: the worker protocol carries values, not objects, so a DLPack capsule (a PyCapsule) never
leaves the worker. ``from_dlpack(x, ...)`` on the backend's own array (``call``; the wire builds ``x``
natively, views included) is answered by its values, and ``x.__dlpack_device__()`` (``method``) by a tuple
of integers. What memory the result uses can only be seen where it lives, so the op ``dlpack_exchange``
calls ``from_dlpack`` in the worker, then writes one value into every element of x and answers with the
result as read after that write: a copy still holds x's old values, a result sharing x's memory shows the
written one. The same op builds x as a numpy array (another library exporting DLPack) when asked. The
oracle stays here: the input is the answer (no reference call).

Omission: the standard lets a library that can never export its data through DLPack omit ``__dlpack__``
and ``__dlpack_device__`` ("and hence from_dlpack may raise an AttributeError"). A backend whose array
has no ``__dlpack_device__`` (an AttributeError from the probe) is therefore not applicable, with that
reason. A BufferError for one array is the text's "may" (the data cannot be materialised as strided
memory) and is accepted for that example.

Aspects (``params.aspect``): ``round-trip`` (``copy`` omitted, None or True), ``copy-false`` (equal values,
or BufferError / ValueError: the text names both), ``device-keyword`` (``device=`` the default device),
``device-tuple`` (a 2-tuple of integers whose first is a DLPack device type the text lists),
``copy-true-copies`` (``copy=True``: writing x afterwards leaves the result as it was), ``copy-false-shares``
(``copy=False``: the result shows the write, or BufferError / ValueError), ``foreign-round-trip``
(``from_dlpack`` of a numpy array holds its values). The memory aspects draw x from the backend's own arrays
and numpy's; own arrays that cannot be written (``x[...] = v`` raises: jax's are immutable) cannot show
sharing, so only numpy's are drawn for such a backend.

Not checked: ``copy=None`` ("must reuse the existing memory buffer if possible and copy otherwise": whether
reuse was possible is the library's to say).
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
#: the aspects observed through the worker op ``dlpack_exchange`` (what the result holds after x is written)
MEMORY_ASPECTS = ("copy-true-copies", "copy-false-shares", "foreign-round-trip")
#: what :func:`_answer` gives for a copy=False the backend refused with an exception the text names
REFUSED = object()


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
    if aspect not in ("round-trip", "copy-false", "device-keyword", "device-tuple", *MEMORY_ASPECTS):
        raise ValueError(f"{req.id}: params.aspect {aspect!r} is not a dlpack aspect")
    reason = _omits_dlpack(ctx)
    if reason:
        raise NotApplicableHere(reason)
    if aspect in MEMORY_ASPECTS:
        return _memory(ctx, doc, aspect)
    data = tensor_data(ctx.spec)
    plain = _plain(ctx, doc)
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
        got = _answer(ctx, op, args, may_refuse=aspect == "copy-false")
        if got is REFUSED:
            return
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


def _answer(ctx: Context, op: str, args: dict[str, Any], may_refuse: bool) -> Any:
    """The backend's decoded answer; REFUSED for a copy=False refused as the text allows (``may_refuse``).
    A BufferError (this array cannot be exported: the text's "may") rejects the example; any other raise fails."""
    try:
        return oracle.decode(ctx.backend.invoke(op, args))
    except BackendRaised as exc:
        if exc.type == "BufferError":
            assume(False)
        if may_refuse and exc.type in COPY_FALSE_ERRORS:
            return REFUSED
        raise Mismatch(f"the backend raised {exc}", expected="a result", actual=f"raised {exc}", raised=exc) from None


def _plain(ctx: Context, doc: Document) -> strategies.Inputs:
    """Inputs drawing any array (the elementwise strategy's values)."""
    return strategies.Inputs({"name": doc.name, "signature": {"params": []}, "inputs": {"strategy": "elementwise"}},
                             tensor_data(ctx.spec), None, with_complex=True)


def _own_writable(ctx: Context) -> bool:
    """Whether ``x[...] = v`` works on the backend's own arrays (else sharing with them cannot be seen)."""
    if "dlpack own writable" not in ctx.state:
        probe = {"self": oracle.encode(np.zeros(2, dtype="float64")), "key": {"$ellipsis": True}, "value": 1.0}
        try:
            ctx.backend.invoke("setitem", probe)
            ctx.state["dlpack own writable"] = True
        except BackendRaised:
            ctx.state["dlpack own writable"] = False
    return ctx.state["dlpack own writable"]


def _memory(ctx: Context, doc: Document, aspect: str) -> Property:
    """The aspects observed through ``dlpack_exchange``: what the result holds after x is written."""
    data = tensor_data(ctx.spec)
    plain = _plain(ctx, doc)
    sources = ["numpy"] if aspect == "foreign-round-trip" or not _own_writable(ctx) else ["own", "numpy"]

    @st.composite
    def examples(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(data.dtypes("any", with_complex=ctx.claims("complex"))))
        x = draw(strategies.array(dtype, draw(strategies.shapes(min_side=1)), plain))
        held = np.asarray(strategies.value_of(x))
        args: dict[str, Any] = {"x": oracle.encode(x), "source": draw(st.sampled_from(sources))}
        if aspect == "foreign-round-trip":
            args["kwargs"] = draw(st.sampled_from([{}, {"copy": None}, {"copy": True}]))
            return {"args": args, "x": held}
        value = bool(not held.flat[0]) if dtype == "bool" else 7
        args["kwargs"], args["value"] = {"copy": aspect == "copy-true-copies"}, value
        return {"args": args, "x": held, "written": np.full(held.shape, value, dtype=held.dtype)}

    def test(example: dict) -> None:
        x, args = example["x"], example["args"]
        written = example.get("written")
        if written is not None:
            assume(not np.array_equal(x, written))  # the write must change something to be seen
        answer = _answer(ctx, "dlpack_exchange", args, may_refuse=aspect == "copy-false-shares")
        if answer is REFUSED:
            return
        got, was_written = answer
        if written is not None:
            assume(was_written)
        call = _described(args)
        if aspect == "copy-false-shares":
            if compare.same_value(written, got, {"rule": "exact"}) is None:
                return
            if compare.same_value(x, got, {"rule": "exact"}) is None:
                problem = f"copied x: after x[...] = {args['value']!r} the result still holds x's old values"
            else:
                problem = "holds neither x's old values nor the written ones"
            raise Mismatch(f"{call} {problem}", expected=oracle.readable(written), actual=oracle.readable(got))
        reason = compare.same_value(x, got, {"rule": "exact"})
        if reason is None:
            return
        if written is not None and compare.same_value(written, got, {"rule": "exact"}) is None:
            reason = f"it shares x's memory: after x[...] = {args['value']!r} the result changed with it"
        raise Mismatch(f"{call} does not hold x: {reason}", expected=oracle.readable(x), actual=oracle.readable(got))

    def snippet(example: dict) -> str:
        args = example["args"]
        call = oracle.snippet(ctx, "call", oracle.call("from_dlpack", example["x"], **args["kwargs"]))
        lines = [call, "# then, in the worker (the wire carries values, so this step is described, not run):"]
        if args["source"] == "numpy":
            lines.append("# x1 is built with numpy.asarray instead (another library exporting DLPack)")
        if "value" in args:
            lines.append(f"# x1[...] = {args['value']!r}; print(result)  # a copy keeps x1's values; shared memory shows the write")
        return "\n".join(lines)

    return Property(strategy=examples(), test=test, snippet=snippet)


def _described(args: dict[str, Any]) -> str:
    """``from_dlpack(x, copy=True) of a numpy array x``: the call a memory aspect made, in words."""
    keywords = "".join(f", {k}={v}" for k, v in args["kwargs"].items())
    source = "a numpy array" if args["source"] == "numpy" else "an own array"
    return f"from_dlpack(x{keywords}) of {source} x"


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
