"""Check kinds for the data documents: dtypes, promotion, broadcasting, operators, indexing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.conformance.check import Context, Mismatch, Outcome, Property
from accord.conformance.client import BackendRaised
from accord.spec.model import Document, Requirement

from . import applicability, checks, compare, integer_indexing, isolation, oracle, strategies, support
from .oracle import DType, View
from .specdata import TensorData, tensor_data

KIND_NAMES = {"bool": "bool", "signed-integer": "signed integer", "unsigned-integer": "unsigned integer",
              "integer": "integral", "real-floating": "real floating", "complex-floating": "complex floating",
              "numeric": "numeric"}


def _fail(message: str, expected: Any = None, actual: Any = None) -> Outcome:
    return Outcome("fail", examples=1, message=message, expected=expected, actual=actual)


def _backend(ctx: Context, op: str, args: dict) -> Any:
    try:
        return oracle.decode(ctx.backend.invoke(op, args))
    except BackendRaised as exc:
        raise Mismatch(f"the backend raised {exc}", actual=f"raised {exc}") from None


def _check_all(ctx: Context, items: list[tuple[str, Callable[[], str | None]]]) -> Outcome:
    for label, fn in items:
        try:
            reason = fn()
        except Mismatch as exc:
            reason = exc.message
        if reason:
            return _fail(f"{label}: {reason}")
    return Outcome("pass", examples=len(items))


# ------------------------------------------------------------------ dtypes


def dtypes(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    data = tensor_data(ctx.spec)
    rows = [r for r in doc.data["dtypes"] if bool(r.get("feature")) == bool(req.params.get("feature_rows"))]
    aspect = req.params["aspect"]
    items: list[tuple[str, Callable[[], str | None]]] = []
    if aspect == "present":
        info = ctx.backend.invoke("namespace_info", {"names": []})
        missing = [r["name"] for r in rows if r["name"] not in info.get("dtypes", [])]
        if missing:
            return _fail(f"the namespace lacks the dtypes {missing}", expected=[r["name"] for r in rows],
                         actual=info.get("dtypes"))
        for r in rows:
            arr = np.asarray([0, 1, 1, 0], dtype=r["name"]).reshape(2, 2)

            def round_trip(arr: np.ndarray = arr) -> str | None:
                got = _backend(ctx, "call", oracle.call("asarray", arr))
                return compare.compare_arrays(arr, got, {"rule": "exact"}) or (
                    None if got.dtype == arr.dtype else f"dtype {got.dtype}")
            items.append((f"asarray of a {r['name']} array", round_trip))
    elif aspect in ("finfo", "iinfo"):
        kinds = ("real-floating",) if aspect == "finfo" else ("signed-integer", "unsigned-integer")
        for r in (r for r in rows if r["kind"] in kinds):
            fields = ("bits", "max", "min", "eps", "smallest_normal") if aspect == "finfo" else ("bits", "max", "min")

            def info(r: dict = r, fields: tuple = fields) -> str | None:
                got = _backend(ctx, "call", oracle.call(aspect, DType(r["name"])))
                for f in fields:
                    value = getattr(got, f, None)
                    if value != r[f]:
                        return f"{aspect}({r['name']}).{f} is {value!r}, the spec says {r[f]!r}"
                return None
            items.append((f"{aspect}({r['name']})", info))
    elif aspect in ("finfo-types", "iinfo-types"):
        fn = aspect.removesuffix("-types")
        kinds = ("real-floating",) if fn == "finfo" else ("signed-integer", "unsigned-integer")
        for r in (r for r in rows if r["kind"] in kinds):
            items.append((f"{fn}({r['name']})", lambda r=r, fn=fn: _info_types(ctx, fn, r["name"], req.params["types"])))
    elif aspect == "kinds":
        for r in rows:
            for category, kind in KIND_NAMES.items():
                want = r["name"] in data.categories[category]

                def isdtype(r: dict = r, kind: str = kind, want: bool = want) -> str | None:
                    got = _backend(ctx, "call", oracle.call("isdtype", DType(r["name"]), kind))
                    return None if got is want else f"isdtype({r['name']}, {kind!r}) is {got!r}, the spec says {want}"
                items.append((f"isdtype({r['name']}, {kind!r})", isdtype))
    return _check_all(ctx, items)


def _info_types(ctx: Context, fn: str, dtype: str, types: dict[str, str]) -> str | None:
    """Each attribute of finfo / iinfo of the type ``params.types`` names: int, float, or dtype (a data type
    object, here the row's own dtype or, for finfo, its real component). The wire says what each number was."""
    got = _backend(ctx, "call", oracle.call(fn, DType(dtype)))
    found = getattr(got, "types", None) or {}
    for attribute, want in types.items():
        if want == "dtype":
            value = getattr(got, attribute, None)
            if not isinstance(value, np.dtype):
                return f"{fn}({dtype}).{attribute} is {value!r}, not a data type object"
            continue
        kind = found.get(attribute, "missing")
        if kind != want:
            return f"{fn}({dtype}).{attribute} is a {kind}, the standard says {want}"
    return None


# ------------------------------------------------------------------ promotion


def _binary_for(dtype: str, data: TensorData) -> str:
    return "logical_and" if dtype == "bool" else "add"


def promotion(ctx: Context, req: Requirement, doc: Document) -> Property:
    data = tensor_data(ctx.spec)
    with_features = bool(req.params.get("feature_rows"))
    rows = [dict(r) for r in doc.data["table"] if bool(r.get("feature")) == with_features]
    via = req.params.get("via", "both")
    forms = ["result_type", "operation"] if via == "both" else [via]
    # each form keeps to the rows whose dtypes the backend supports for the function it calls
    left_out = {"result_type": _unsupported(ctx, "result_type"),
                "operation": _unsupported(ctx, "add") | _unsupported(ctx, "logical_and")}
    rows_for = {f: [r for r in rows if not {r["x1"], r["x2"]} & left_out[f]] for f in forms}
    forms = [f for f in forms if rows_for[f]] or forms

    @st.composite
    def examples(draw: Callable) -> dict:
        form = draw(st.sampled_from(forms))
        row = draw(st.sampled_from(rows_for[form] or rows))
        if form == "result_type":
            return {"row": row, "call": oracle.call("result_type", DType(row["x1"]), DType(row["x2"]))}
        s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
        x1 = draw(hnp.arrays(np.dtype(row["x1"]), s1, elements=strategies.elements(row["x1"], _plain(doc, data))))
        x2 = draw(hnp.arrays(np.dtype(row["x2"]), s2, elements=strategies.elements(row["x2"], _plain(doc, data))))
        return {"row": row, "call": oracle.call(_binary_for(row["x1"], data), x1, x2)}

    def test(example: dict) -> None:
        row = example["row"]
        got = oracle.actual(ctx, "call", example["call"])
        name = got.dtype.name if isinstance(got, np.ndarray) else getattr(got, "name", repr(got))
        if name != row["result"]:
            raise Mismatch(f"{example['call']['fn']} of {row['x1']} and {row['x2']} gives {name}; the promotion table says "
                           f"{row['result']}", expected=row["result"], actual=name)

    # every row is a fixed case: budget enough examples to visit them all
    prop = Property(strategy=examples(), test=test, max_examples=max(2 * len(rows) * len(forms), 20),
                    snippet=lambda example: oracle.snippet(ctx, "call", example["call"]))
    note = support.note(ctx.spec, set().union(*(left_out[f] for f in forms)))
    if note:
        isolation.noted(prop, note)
    return prop


def _unsupported(ctx: Context, function: str) -> frozenset[str]:
    """The dtypes the backend does not support for a spec function (see :mod:`.support`)."""
    return support.excluded(ctx, ctx.spec.document("tensor.function", function))


def _plain(doc: Document, data: TensorData) -> strategies.Inputs:
    fake = {"name": doc.name, "signature": {"params": []}, "inputs": {"strategy": "elementwise"}}
    return strategies.Inputs(fake, data, None, with_complex=True)


def promotion_scalars(ctx: Context, req: Requirement, doc: Document) -> Property:
    data = tensor_data(ctx.spec)
    rules = [dict(r) for r in doc.data["scalars"]["rules"] if not r.get("feature") or ctx.claims(r["feature"])]
    plain = _plain(doc, data)
    make_scalar = {"bool": st.booleans(), "float": st.floats(-1e3, 1e3, allow_subnormal=False),
                   "complex": st.complex_numbers(max_magnitude=1e3, allow_subnormal=False)}

    @st.composite
    def examples(draw: Callable) -> dict:
        rule = draw(st.sampled_from(rules))
        dtype = draw(st.sampled_from(data.dtypes(rule["array_dtypes"], with_complex=True)))
        x = draw(hnp.arrays(np.dtype(dtype), strategies.shapes(max_side=3), elements=strategies.elements(dtype, plain)))
        if rule["scalar"] == "int":
            info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
            lo, hi = (int(info.min), int(info.max)) if info else (-1000, 1000)
            scalar = draw(st.integers(lo, hi))
        else:
            scalar = draw(make_scalar[rule["scalar"]])
        # complex multiply rounds intermediate products differently across libraries; add is exact per component
        fn = "logical_and" if dtype == "bool" else ("add" if dtype.startswith("complex") else "multiply")
        args = [x, scalar] if draw(st.booleans()) else [scalar, x]
        return {"dtype": dtype, "call": oracle.call(fn, *args)}

    def test(example: dict) -> None:
        try:
            want = oracle.expected("call", example["call"])
        except oracle.Rejected:
            assume(False)
        got = oracle.actual(ctx, "call", example["call"])
        if got.dtype.name != example["dtype"]:
            raise Mismatch(f"array of {example['dtype']} with a Python scalar gives {got.dtype.name}; the scalar rule keeps "
                           f"{example['dtype']}", expected=example["dtype"], actual=got.dtype.name)
        reason = compare.same_value(want, got, {"rule": "exact"})
        if reason:
            raise Mismatch(reason, expected=oracle.readable(want), actual=oracle.readable(got))

    return Property(strategy=examples(), test=test, snippet=lambda example: oracle.snippet(ctx, "call", example["call"]))


# ------------------------------------------------------------------ broadcasting

_VIA_DTYPES = {"add": "float64", "multiply": "int32", "less": "float32", "logical_and": "bool", "where": "int16"}


def _via_call(fn: str, arrays: list[np.ndarray]) -> dict:
    if fn == "where":
        cond = (np.arange(arrays[0].size) % 2 == 0).reshape(arrays[0].shape)
        return oracle.call("where", cond, arrays[1], arrays[1])
    return oracle.call(fn, *arrays)


def broadcasting(ctx: Context, req: Requirement, doc: Document) -> Property:
    via = list(req.params["via"])
    aspect = req.params["aspect"]
    data = tensor_data(ctx.spec)
    plain = _plain(doc, data)

    @st.composite
    def examples(draw: Callable) -> dict:
        fn = draw(st.sampled_from(via))
        dtype = _VIA_DTYPES.get(fn, "float64")
        if aspect == "compatible":
            s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=3)).input_shapes
        elif aspect == "incompatible":
            s1 = list(draw(strategies.shapes(min_dims=1, max_side=4)))
            axis = draw(st.integers(0, len(s1) - 1))
            s2 = list(s1)
            s2[axis] = draw(st.integers(0, 5).filter(lambda n: n != s1[axis] and n != 1))
            s1[axis] = s1[axis] if s1[axis] != 1 else 2
            if s2[axis] == s1[axis]:
                s2[axis] += 1
            s2 = s2[draw(st.integers(0, axis)):]
        else:
            s1 = list(draw(strategies.shapes(min_dims=1, min_side=2, max_side=3)))
            target = list(s1)
            axis = draw(st.integers(0, len(s1) - 1))
            target[axis] = draw(st.integers(0, 5).filter(lambda n: n != s1[axis]))
            x = draw(hnp.arrays(np.dtype(dtype), tuple(s1), elements=strategies.elements(dtype, plain)))
            shape = tuple(target) if draw(st.booleans()) or len(target) < 2 else tuple(target[1:])
            if shape == tuple(s1):
                shape = (*target[:axis], target[axis] + 7, *target[axis + 1:])
            return {"call": oracle.call("broadcast_to", x, shape)}
        arrays = [draw(hnp.arrays(np.dtype(dtype), tuple(s), elements=strategies.elements(dtype, plain))) for s in (s1, s2)]
        if fn == "where":
            arrays = [arrays[0], arrays[1]]
            cond = draw(hnp.arrays(np.bool_, tuple(s1)))
            return {"call": oracle.call("where", cond, arrays[1], draw(hnp.arrays(np.dtype(dtype), ())))}
        return {"call": oracle.call(fn, *arrays)}

    def test(example: dict) -> None:
        call = example["call"]
        if aspect == "compatible":
            want = oracle.expected("call", call)
            got = oracle.actual(ctx, "call", call)
            reason = compare.same_value(want, got, {"rule": "exact"})
            if reason:
                raise Mismatch(reason, expected=oracle.readable(want), actual=oracle.readable(got))
            return
        if not oracle.raises(ctx, "call", call):
            shapes = [oracle.decode(a).shape for a in call["args"] if isinstance(a, dict) and "$array" in a]
            raise Mismatch(f"{call['fn']} on incompatible shapes {shapes} (target {call['args'][1:] if call['fn'] == 'broadcast_to' else ''}) "
                           "did not raise", expected="an exception", actual="a result")

    return Property(strategy=examples(), test=test, snippet=lambda example: oracle.snippet(ctx, "call", example["call"]))


# ------------------------------------------------------------------ operators


def _function_inputs(ctx: Context, name: str, scalars: bool) -> strategies.Inputs:
    fdoc = ctx.spec.document("tensor.function", name).data
    inputs = strategies.Inputs(fdoc, tensor_data(ctx.spec), None, with_complex=False, exclude=_unsupported(ctx, name))
    if not scalars:
        inputs.params = [dict(p, type="array") if p["type"] == "array-or-scalar" else p for p in inputs.params]
    return inputs


def operators(ctx: Context, req: Requirement, doc: Document) -> Property:
    aspect = req.params["aspect"]
    data = tensor_data(ctx.spec)
    binary = [dict(r) for r in doc.data["binary"]]

    @st.composite
    def examples(draw: Callable) -> dict:
        if aspect in ("binary", "scalar", "reflected", "in-place"):
            rows = binary if aspect == "binary" else [r for r in binary if r["function"] != "matmul" and (
                aspect == "scalar" or r.get("reflected" if aspect == "reflected" else "in_place"))]
            row = draw(st.sampled_from(rows))
            inputs = _function_inputs(ctx, row["function"], scalars=False)
            call = draw(strategies.build(inputs))
            x1, x2 = call["args"]
            if aspect == "binary":
                return {"op": {"method": row["method"], "self": x1, "args": [x2]}, "reference": call}
            arr = oracle.decode(x1)
            if aspect == "in-place":
                y = oracle.decode(x2)
                assume(data.promote(arr.dtype.name, y.dtype.name) == arr.dtype.name)
                assume(np.broadcast_shapes(arr.shape, y.shape) == arr.shape)
                return {"op": {"method": row["in_place"], "self": x1, "args": [x2]}, "reference": call}
            if aspect == "scalar":
                scalar = draw(strategies.scalar_of(arr.dtype.name, inputs, "x2"))
                return {"op": {"method": row["method"], "self": x1, "args": [oracle.encode(scalar)]},
                        "reference": oracle.call(row["function"], arr, scalar)}
            # reflected: the array is the second operand, so it is drawn in x2's role (a nonzero integer
            # divisor where the function's inputs say so: 1 // 0 on integers is unspecified)
            arr = oracle.decode(x2)
            scalar = draw(strategies.scalar_of(arr.dtype.name, inputs, "x1"))
            return {"op": {"method": row["reflected"], "self": x2, "args": [oracle.encode(scalar)]},
                    "reference": oracle.call(row["function"], scalar, arr)}
        if aspect == "unary":
            row = draw(st.sampled_from(list(doc.data["unary"])))
            call = draw(strategies.build(_function_inputs(ctx, row["function"], scalars=False)))
            return {"op": {"method": row["method"], "self": call["args"][0], "args": []}, "reference": call}
        plain = _plain(doc, data)
        if aspect == "attributes":
            name = draw(st.sampled_from([a["name"] for a in doc.data["attributes"]]))
            dtype = draw(st.sampled_from(data.dtypes("any")))
            shape = draw(strategies.shapes(min_dims=2 if name in ("T", "mT") else 0, max_dims=2 if name == "T" else 3))
            x = draw(strategies.array(dtype, shape, plain))
            return {"attribute": {"self": oracle.encode(x), "name": name}}
        conv = draw(st.sampled_from([dict(c) for c in doc.data["conversions"]]))
        dtype = draw(st.sampled_from(data.dtypes(conv["dtypes"])))
        x = draw(hnp.arrays(np.dtype(dtype), (), elements=strategies.elements(dtype, plain)))
        return {"op": {"method": conv["method"], "self": oracle.encode(x), "args": []},
                "reference": {"method": conv["method"], "self": oracle.encode(x), "args": []}, "reference_op": "method"}

    def test(example: dict) -> None:
        if "attribute" in example:
            want = oracle.expected("attribute", example["attribute"])
            got = oracle.actual(ctx, "attribute", example["attribute"])
        else:
            try:
                want = oracle.expected(example.get("reference_op", "call"), example["reference"])
            except oracle.Rejected:
                assume(False)
            got = oracle.actual(ctx, "method", example["op"])
        if isinstance(want, np.ndarray) and isinstance(got, np.ndarray) and want.dtype != got.dtype:
            raise Mismatch(f"dtype {got.dtype.name}, the function gives {want.dtype.name}", expected=want.dtype.name,
                           actual=got.dtype.name)
        reason = compare.same_value(_plainify(want), _plainify(got), {"rule": "exact"})
        if reason and example.get("reference_op", "call") == "call" and "reference" in example:
            # the operator must give what the backend's own function gives; how close that is to the
            # reference (matmul's float32 sums within its ULP bound) is the function's requirement
            own = oracle.actual(ctx, "call", example["reference"])
            if compare.same_value(_plainify(own), _plainify(got), {"rule": "exact"}) is None:
                reason = None
        if reason:
            raise Mismatch(reason, expected=oracle.readable(want), actual=oracle.readable(got))

    def show(example: dict) -> str:
        if "attribute" in example:
            return oracle.snippet(ctx, "attribute", example["attribute"])
        return oracle.snippet(ctx, "method", example["op"])

    # the binary aspects spread one requirement's examples over some twenty operators and their dtypes: twice
    # the run's budget, about ten per operator (x // y truncating instead of flooring survived 100 examples
    # and was killed by 200 on seeds 1-3, accord mutate)
    budget = checks.share(ctx, 2.0) if aspect in ("binary", "scalar", "reflected", "in-place") else None
    return Property(strategy=examples(), test=test, snippet=show, max_examples=budget)


def _plainify(value: Any) -> Any:
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, list):
        return tuple(value)
    return value


# ------------------------------------------------------------------ indexing


def _basic_key(draw: Callable, shape: tuple[int, ...], *, new_axes: bool = True) -> Any:
    """A basic index; ``new_axes=False`` for assignment, whose keys the standard types without None."""
    parts: list[Any] = []
    used_ellipsis = False
    for n in shape:
        choice = draw(st.sampled_from(["int", "slice", "slice", "reverse", "ellipsis", "none"]))
        if choice == "reverse":  # a negative step and no stop: down to and including element 0
            parts.append(slice(draw(st.one_of(st.none(), st.integers(-n, n - 1))) if n else None, None,
                               draw(st.integers(-3, -1))))
        elif choice == "int" and n:
            parts.append(draw(st.integers(-n, n - 1)))
        elif choice == "ellipsis" and not used_ellipsis:
            parts.append(Ellipsis)
            used_ellipsis = True
            break
        elif choice == "none" and new_axes:
            parts.append(None)
            parts.append(slice(None))
        else:
            # the standard specifies slice bounds within [-n, n] only (no clipping is required beyond them)
            step = draw(st.one_of(st.none(), st.integers(-3, 3).filter(bool)))
            hi = n if step is None or step > 0 else n - 1
            bound = st.one_of(st.none(), st.integers(-n, hi)) if hi >= -n else st.none()
            parts.append(slice(draw(bound), draw(bound), step))
    if len(parts) == 1 and draw(st.booleans()):
        return parts[0]
    return tuple(parts)


def indexing(ctx: Context, req: Requirement, doc: Document) -> Property:
    aspect = req.params["aspect"]
    data = tensor_data(ctx.spec)
    plain = _plain(doc, data)
    if aspect in integer_indexing.ASPECTS:  # x[(i, J, ...)] with integer arrays: its own module
        return integer_indexing.check(ctx, req, doc, plain, data.dtypes("any"))
    # a library that declares it omits boolean indexing (the standard lets it) is not held to mask assignment
    masks = aspect != "setitem" or (applicability.capabilities(ctx) or {}).get("boolean indexing") is not False

    @st.composite
    def examples(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(data.dtypes("any")))
        shape = draw(strategies.shapes(min_dims=1 if aspect != "basic" else 0))
        x = draw(strategies.array(dtype, shape, plain, views=aspect in ("basic", "views")))
        xv = strategies.value_of(x)
        if aspect == "basic":
            return {"op": "getitem", "args": {"self": oracle.encode(x), "key": oracle.encode(_basic_key(draw, xv.shape))}}
        if aspect == "boolean-mask":
            lead = draw(st.integers(1, xv.ndim))
            mask = draw(hnp.arrays(np.bool_, xv.shape[:lead]))
            return {"op": "getitem", "args": {"self": oracle.encode(x), "key": oracle.encode(mask)}}
        if aspect == "setitem-promotion":  # 2025.12: an array value of another dtype is promoted to x's
            others = [d for d in data.dtypes("any") if d != dtype and data.promote(d, dtype) == dtype]
            assume(others)
            vdtype = draw(st.sampled_from(others))
            key = _basic_key(draw, xv.shape, new_axes=False)
            vshape = draw(hnp.broadcastable_shapes(xv[key].shape, max_dims=xv[key].ndim, min_side=0))
            value = draw(hnp.arrays(np.dtype(vdtype), vshape, elements=strategies.elements(vdtype, plain)))
            return {"op": "setitem", "args": {"self": oracle.encode(xv.copy()), "key": oracle.encode(key),
                                              "value": oracle.encode(value)}}
        if aspect == "setitem":
            if masks and draw(st.booleans()):
                key: Any = draw(hnp.arrays(np.bool_, xv.shape))
                selected: tuple[int, ...] = (int(key.sum()),)
            else:
                key = _basic_key(draw, xv.shape, new_axes=False)
                selected = xv[key].shape
            vshape = draw(hnp.broadcastable_shapes(selected, max_dims=len(selected), min_side=0))
            if draw(st.booleans()):
                value: Any = draw(strategies.scalar_of(dtype, plain, "v"))
            else:
                value = draw(hnp.arrays(np.dtype(dtype), vshape, elements=strategies.elements(dtype, plain)))
            return {"op": "setitem", "args": {"self": oracle.encode(xv.copy()), "key": oracle.encode(key),
                                              "value": oracle.encode(value)}}
        # views: element-wise functions on non-contiguous inputs
        fn = draw(st.sampled_from(["negative", "abs", "add", "equal", "positive"]))
        dtype = draw(st.sampled_from([d for d in data.dtypes("real" if fn != "equal" else "any")
                                      if d not in _unsupported(ctx, fn)]))
        shape = draw(strategies.shapes(min_dims=1, min_side=1))  # slice starts stay within the axis
        base = draw(hnp.arrays(np.dtype(dtype), (*shape[:-1], 2 * shape[-1]), elements=strategies.elements(dtype, plain)))
        v = View(base, (Ellipsis, slice(None, None, -2)))
        args = [v] if fn in ("negative", "abs", "positive") else [v, View(base, (Ellipsis, slice(1, None, 2)))]
        if fn in ("negative", "abs") and np.dtype(dtype).kind == "i":
            assume(not (base == np.iinfo(dtype).min).any())
        return {"op": "call", "args": oracle.call(fn, *args)}

    def test(example: dict) -> None:
        op, args = example["op"], example["args"]
        try:
            want = oracle.expected(op, args)
        except oracle.Rejected:
            assume(False)
        got = oracle.actual(ctx, op, args)
        reason = compare.same_value(want, got, {"rule": "exact"})
        if reason:
            raise Mismatch(reason, expected=oracle.readable(want), actual=oracle.readable(got))

    return Property(strategy=examples(), test=test, snippet=lambda example: oracle.snippet(ctx, example["op"], example["args"]))
