"""Algebraic laws of function documents, checked on the backend alone (no oracle).

A law names how to build a second computation from the first (swap operands, apply twice,
apply the inverse, an equivalent expression) and the results must agree exactly, NaN matching NaN.
An example is ``{"calls": [first call, ...]}`` in wire form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from accord.conformance.check import Context, Mismatch, NotApplicableHere, Property
from accord.spec.model import Document, Requirement

from . import compare, decompositions, oracle, strategies
from .strategies import Inputs


class NotALaw(Exception):
    """The law does not apply to this document (unknown inverse, …)."""


def _agree(first: Any, second: Any, law: Mapping[str, Any], what: str) -> None:
    reason = compare.same_value(first, second, {"rule": "exact", "signed_zeros": law.get("signed_zeros", True)})
    if reason:
        raise Mismatch(f"{what}: {reason}", expected=oracle.readable(first), actual=oracle.readable(second))


def _call(ctx: Context, call: dict) -> Any:
    return oracle.actual(ctx, "call", call)


def _valid(call: dict) -> None:
    try:
        oracle.expected("call", call)
    except oracle.Rejected:
        assume(False)


def make(ctx: Context, doc: Document, law: Mapping[str, Any], inputs: Inputs) -> tuple[st.SearchStrategy, Callable]:
    name = doc.name
    kind = law["law"]
    base = strategies.build(inputs).map(lambda call: {"calls": [call]})

    if kind == "commutative":
        def test(example: dict) -> None:
            call = example["calls"][0]
            _valid(call)
            swapped = dict(call, args=list(reversed(call["args"])))
            _agree(_call(ctx, call), _call(ctx, swapped), law, f"{name}(x1, x2) != {name}(x2, x1)")
        return base, test

    if kind in ("involution", "idempotent"):
        def test(example: dict) -> None:
            call = example["calls"][0]
            _valid(call)
            once = _call(ctx, call)
            twice = _call(ctx, dict(call, args=[oracle.encode(once), *call["args"][1:]]))
            if kind == "involution":
                _agree(oracle.decode(call["args"][0]), twice, law, f"{name}({name}(x)) != x")
            else:
                _agree(once, twice, law, f"{name}({name}(x)) != {name}(x)")
        return base, test

    if kind in ("odd", "even"):
        def test(example: dict) -> None:
            call = example["calls"][0]
            _valid(call)
            plain = _call(ctx, call)
            mirrored = _call(ctx, dict(call, args=[_negated(call["args"][0])]))
            want = np.asarray(np.negative(plain)) if kind == "odd" else plain
            _agree(want, mirrored, law, f"{name}(-x) != {'-' if kind == 'odd' else ''}{name}(x)")
        return base, test

    if kind == "identity":
        element = law["element"]

        def test(example: dict) -> None:
            call = example["calls"][0]
            x = oracle.decode(call["args"][0])
            x = x if isinstance(x, np.ndarray) else np.asarray(x)
            e = np.full(x.shape, _identity_value(element, x.dtype), dtype=x.dtype)
            args = [x, e] if law.get("side", "right") == "right" else [e, x]
            with_identity = oracle.call(name, *args)
            _valid(with_identity)
            _agree(x, _call(ctx, with_identity), law, f"{name}(x, {element}) != x")
        return base, test

    if kind == "associative":
        @st.composite
        def triples(draw: Callable) -> dict:
            dtype = draw(st.sampled_from(inputs.dtypes()))
            info = np.iinfo(dtype)
            bound = max(1, round(float(info.max) ** (1 / 3)) - 1)
            lo = 0 if info.min == 0 else -bound
            shape = draw(strategies.shapes(max_side=3))
            arrays = [draw(strategies.array(dtype, shape, inputs, elems=st.integers(lo, bound))) for _ in range(3)]
            return {"calls": [oracle.call(name, *arrays[:2])], "third": oracle.encode(arrays[2])}

        def test(example: dict) -> None:
            a, b = example["calls"][0]["args"]
            c = example["third"]
            left = _call(ctx, {"fn": name, "args": [oracle.encode(_call(ctx, {"fn": name, "args": [a, b], "kwargs": {}})), c],
                               "kwargs": {}})
            right = _call(ctx, {"fn": name, "args": [a, oracle.encode(_call(ctx, {"fn": name, "args": [b, c], "kwargs": {}}))],
                                "kwargs": {}})
            _agree(left, right, law, f"{name}({name}(a, b), c) != {name}(a, {name}(b, c))")
        return triples(), test

    if kind == "equivalent":
        tree = law["to"]
        params = [p["name"] for p in doc.data["signature"]["params"]]

        def test(example: dict) -> None:
            call = example["calls"][0]
            _valid(call)
            # the expression re-feeds intermediate results as arrays; a Python-scalar operand would promote differently
            assume(all(isinstance(a, dict) and ("$array" in a or "$view" in a) for a in call["args"]))
            assume(len({oracle.decode(a).dtype for a in call["args"]}) == 1)  # the identities hold within one dtype
            bound = dict(zip(params, call["args"], strict=False))
            direct = _call(ctx, call)
            via = _evaluate(ctx, tree, bound)
            _agree(direct, via, law, f"{name} differs from {_render(tree)}")
        return base, test

    if kind == "round-trip":
        inverse = law["inverse"]
        invert = INVERSES.get((name, inverse))
        if invert is None:
            raise NotALaw(f"no round trip known for {name} -> {inverse}")

        def test(example: dict) -> None:
            call = example["calls"][0]
            _valid(call)
            x = oracle.decode(call["args"][0])
            x = x if not isinstance(x, list) else x
            out = _call(ctx, call)
            assume(not isinstance(out, tuple | list) or len(out) > 0)  # stack needs at least one array
            back_call = invert(call, out)
            back = _call(ctx, back_call)
            _agree(x, back, law, f"{inverse} does not undo {name}")
        return base, test

    if kind == "unique-reconstructs":
        def test(example: dict) -> None:
            call = example["calls"][0]
            _valid(call)
            x = oracle.decode(call["args"][0])
            got = _call(ctx, call)
            values = np.asarray(got[0])
            fields = getattr(got, "_fields", ())
            inverse = got[fields.index("inverse_indices")] if "inverse_indices" in fields else got[-1]
            rebuilt = np.asarray(values[np.asarray(inverse, dtype=np.int64).reshape(x.shape)] if values.size
                                 else values.reshape(x.shape))
            _agree(x, rebuilt, {"signed_zeros": False}, "values[inverse_indices] does not rebuild x")
            if "indices" in fields:
                picked = np.asarray(x.ravel()[np.asarray(got[fields.index("indices")], dtype=np.int64)])
                _agree(values, picked, {"signed_zeros": False}, "x[indices] does not give the unique values")
        return base, test

    if kind == "unique-first-occurrence":
        def test(example: dict) -> None:
            call = example["calls"][0]
            _valid(call)
            x = oracle.decode(call["args"][0]).ravel()
            got = _call(ctx, call)
            fields = getattr(got, "_fields", ())
            values = np.asarray(got[0]).ravel()
            indices = np.asarray(got[fields.index("indices")], dtype=np.int64).ravel()
            for v, i in zip(values, indices, strict=True):
                allowed = _first_occurrences(x, v)
                if allowed and int(i) not in allowed:
                    raise Mismatch(f"the index of unique value {v!r} is {int(i)}, not its first occurrence "
                                   f"({' or '.join(map(str, sorted(allowed)))})", expected=sorted(allowed), actual=int(i))
        return base, test

    if kind == "unique-nan-distinct":
        def test(example: dict) -> None:
            call = example["calls"][0]
            x = np.array(oracle.decode(call["args"][0]), copy=True)
            assume(x.dtype.kind == "f" and x.size >= 2)
            x.flat[0] = x.flat[-1] = np.nan  # two NaNs at least: each is a unique element of its own
            got = _call(ctx, {**call, "args": [oracle.encode(x), *call["args"][1:]]})
            values = np.asarray(got[0] if isinstance(got, tuple) else got)
            want, seen = int(np.isnan(x).sum()), int(np.isnan(values).sum())
            if seen != want:
                raise Mismatch(f"{want} NaNs in the input give {seen} unique NaN(s); each NaN is distinct",
                               expected=want, actual=seen)
        return base, test

    if kind in decompositions.KINDS:  # matrix decompositions, judged by their defining properties
        return decompositions.make(ctx, doc, law, inputs)

    raise NotALaw(f"unknown law {kind!r}")


def _first_occurrences(x: np.ndarray, value: Any) -> set[int]:
    """Where ``value`` first occurs in flat ``x`` by equality; for a zero, the first zero of either sign or the
    first of the value's own sign (signed zeros are one value whose representative is the backend's choice)."""
    equal = np.flatnonzero(x == value)
    if not equal.size:
        return set()
    found = {int(equal[0])}
    if x.dtype.kind == "f" and value == 0:
        same_sign = np.flatnonzero((x == 0) & (np.signbit(x) == np.signbit(value)))
        found |= {int(same_sign[0])} if same_sign.size else set()
    return found


def _negated(arg: Any) -> Any:
    """-x in x's own memory layout: a ``$view`` stays the same view of the negated base.

    The odd / even laws are about the sign only. Some backends take another kernel for strided
    inputs (numpy's cosh rounds ``x[::-1]`` and a contiguous ``x`` 1 ULP apart, both within the
    spec's tolerance), so comparing a view with a contiguous copy would test the layout instead.
    """
    if isinstance(arg, dict) and "$view" in arg:
        body = arg["$view"]
        return {"$view": {"base": oracle.encode(np.negative(oracle.decode(body["base"]))), "key": body["key"]}}
    return oracle.encode(np.negative(oracle.decode(arg)))


def _identity_value(element: Any, dtype: np.dtype) -> Any:
    if element == "-0":
        return -0.0 if dtype.kind in "fc" else 0
    if element == "all-ones":
        return True if dtype.kind == "b" else (-1 if dtype.kind == "i" else np.iinfo(dtype).max)
    return element


def _evaluate(ctx: Context, tree: Any, bound: Mapping[str, Any]) -> Any:
    """Evaluate an ``equivalent`` call tree on the backend; leaves are parameter names or literals."""
    if isinstance(tree, Mapping):
        args = [_as_wire(ctx, a, bound) for a in tree["args"]]
        return _call(ctx, {"fn": tree["fn"], "args": args, "kwargs": {}})
    raise TypeError(tree)


def _as_wire(ctx: Context, node: Any, bound: Mapping[str, Any]) -> Any:
    if isinstance(node, Mapping):
        return oracle.encode(_evaluate(ctx, node, bound))
    if isinstance(node, str):
        return bound[node]
    return oracle.encode(node)


def _render(tree: Any) -> str:
    if isinstance(tree, Mapping):
        return f"{tree['fn']}({', '.join(_render(a) for a in tree['args'])})"
    return str(tree)


def _squeeze_back(call: dict, out: Any) -> dict:
    axis = oracle.decode(call["kwargs"]["axis"])
    return oracle.call("squeeze", out, axis=axis)


def _permute_back(call: dict, out: Any) -> dict:
    axes = oracle.decode(call["args"][1] if len(call["args"]) > 1 else call["kwargs"]["axes"])
    axes = [a % len(axes) for a in axes] if axes else axes  # 2025.12: an axis may be counted from the last
    return oracle.call("permute_dims", out, tuple(int(i) for i in np.argsort(axes)))


def _reshape_back(call: dict, out: Any) -> dict:
    return oracle.call("reshape", out, tuple(oracle.decode(call["args"][0]).shape))


def _roll_back(call: dict, out: Any) -> dict:
    shift = oracle.decode(call["args"][1])
    back = tuple(-s for s in shift) if isinstance(shift, tuple) else -shift
    kwargs = {k: oracle.decode(v) for k, v in call.get("kwargs", {}).items()}
    return oracle.call("roll", out, back, **kwargs)


def _stack_back(call: dict, out: Any) -> dict:
    kwargs = {k: oracle.decode(v) for k, v in call.get("kwargs", {}).items()}
    return oracle.call("stack", list(out), **kwargs)


def _astype_back(call: dict, out: Any) -> dict:
    return oracle.call("astype", out, oracle.DType(oracle.decode(call["args"][0]).dtype.name))


INVERSES: dict[tuple[str, str], Callable[[dict, Any], dict]] = {
    ("expand_dims", "squeeze"): _squeeze_back,
    ("permute_dims", "permute_dims"): _permute_back,
    ("reshape", "reshape"): _reshape_back,
    ("roll", "roll"): _roll_back,
    ("unstack", "stack"): _stack_back,
    ("astype", "astype"): _astype_back,
}


def check(ctx: Context, req: Requirement, doc: Document) -> Property:
    """The ``property`` check kind: the document's law named by the requirement, as a hypothesis property."""
    from .checks import _inputs, share

    law = next(p for p in doc.data["properties"] if p["id"] == req.params["property"])
    inputs = _inputs(ctx, req, doc)
    if law.get("dtypes"):
        inputs.category_override = law["dtypes"]
    try:
        strategy, test = make(ctx, doc, law, inputs)
    except NotALaw as exc:
        raise NotApplicableHere(str(exc)) from None
    # a law needs no oracle call but two or three backend calls per example: half the budget keeps runs short
    return Property(strategy=strategy, test=test, snippet=lambda example: oracle.snippet(ctx, "call", example["calls"][0]),
                    max_examples=share(ctx, 0.5))
