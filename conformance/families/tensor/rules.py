"""Result dtype and shape rules of function documents, evaluated for one call.

The rule names are data in each ``tensor.function`` document (``result.dtype`` / ``result.shape``);
this module knows what each name means. Dtype rules give the set of acceptable dtype names (a set
because the standard leaves default dtypes implementation-defined among listed candidates).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .specdata import TensorData
from .strategies import value_of


def bind(doc: Mapping[str, Any], call: Mapping[str, Any]) -> dict[str, Any]:
    """Parameter name -> decoded argument (numpy values; defaults filled in; var-positional as a list)."""
    from . import oracle

    args = [oracle.decode(a) for a in call.get("args", [])]
    kwargs = {k: oracle.decode(v) for k, v in call.get("kwargs", {}).items()}
    bound: dict[str, Any] = {}
    params = list(doc["signature"]["params"])
    i = 0
    for p in params:
        if p["kind"] == "var-positional":
            bound[p["name"]] = args[i:]
            i = len(args)
        elif p["kind"] != "keyword-only" and i < len(args):
            bound[p["name"]] = args[i]
            i += 1
        elif p["name"] in kwargs:
            bound[p["name"]] = kwargs[p["name"]]
        elif "default" in p:
            bound[p["name"]] = p["default"]
    return bound


def _dtype_name(value: Any) -> str | None:
    value = value_of(value)
    if isinstance(value, np.ndarray):
        return value.dtype.name
    if isinstance(value, np.dtype):
        return value.name
    return None


def _scalar_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, complex):
        return "complex"
    return None


def expected_dtypes(rule: Mapping[str, Any], bound: Mapping[str, Any], data: TensorData) -> set[str] | None:
    """Acceptable result dtype names, or None when the rule does not decide (unspecified)."""
    name = rule["rule"]
    if name == "promote":
        dts = [_dtype_name(bound.get(p)) for p in rule["of"]]
        arrays = [d for d in dts if d]
        if len(arrays) == 1:  # an array with a Python scalar keeps the array's dtype
            return {arrays[0]}
        result = data.promote(arrays[0], arrays[1])
        return {result} if result else None
    if name == "promote-all":
        items = bound.get(rule["of"]) or []
        dts = [_dtype_name(a) for a in items]
        result = dts[0] if dts else None
        for d in dts[1:]:
            result = data.promote(result, d) if result else None
        return {result} if result else None
    if name == "same-as":
        value = bound.get(rule["of"])
        if isinstance(value, list):
            value = value[0] if value else None
        d = _dtype_name(value)
        return {d} if d else None
    if name == "real-of":
        d = _dtype_name(bound.get(rule["of"]))
        return {data.limits[d].get("real", d)} if d else None
    if name == "complex-of":  # "a complex floating-point data type whose precision matches the precision of x"
        d = _dtype_name(bound.get(rule["of"]))
        return {next((c for c, row in data.limits.items() if row.get("real") == d), d)} if d else None
    if name == "fixed":
        return {rule["dtype"]}
    if name == "default":
        return set(data.defaults[rule["kind"]])
    if name == "parameter":
        chosen = bound.get(rule["param"])
        if chosen is not None:
            return {_dtype_name(chosen)}
        return expected_dtypes(rule["otherwise"], bound, data) if "otherwise" in rule else None
    if name == "accumulation":
        d = _dtype_name(bound.get(rule["of"]))
        kind = data.kind(d)
        if kind in ("real-floating", "complex-floating"):
            return {d}
        if kind == "unsigned-integer":
            return {"u" + i for i in data.defaults["integer"]}
        return set(data.defaults["integer"])
    if name == "default-for-scalars":
        kinds = {_scalar_kind(bound.get(p)) for p in rule["of"]} - {None}
        if "complex" in kinds:
            return set(data.defaults["complex-floating"])
        if "float" in kinds:
            return set(data.defaults["real-floating"])
        if kinds == {"bool"}:
            return {"bool"}
        return set(data.defaults["integer"])
    return None


def field_dtypes(rule: Mapping[str, Any], bound: Mapping[str, Any], data: TensorData) -> dict[str, set[str]]:
    """For ``fields`` rules (namedtuple results): field -> acceptable dtypes."""
    out = {}
    for field, spec in rule["fields"].items():
        kind, _, arg = spec.partition(":")
        out[field] = {_dtype_name(bound[arg])} if kind == "same-as" else set(data.defaults[arg])
    return out


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(sorted(a % ndim for a in axis)) if ndim else ()


def expected_shape(rule: Mapping[str, Any], bound: Mapping[str, Any]) -> Any:
    """The result shape a rule gives for these arguments (None: the reference decides)."""
    name = rule["rule"]
    if name == "broadcast":
        of = rule["of"]
        values = bound.get(of) if isinstance(of, str) else [bound.get(p) for p in of]
        shapes = [np.shape(value_of(v)) for v in values]
        out = np.broadcast_shapes(*shapes)
        return [out] * len(values) if isinstance(of, str) else out
    if name == "same-as":
        return np.shape(value_of(bound[rule["of"]]))
    if name == "parameter":
        shape = bound[rule["param"]]
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        if -1 in shape:  # reshape's "infer this axis": the size of the input over the product of the others
            known = int(np.prod([n for n in shape if n != -1]))
            size = value_of(bound["x"]).size
            shape = tuple(size // known if n == -1 and known else (0 if n == -1 else n) for n in shape)
        return shape
    if name == "reduce":
        x = value_of(bound["x"])
        axes = _axes(bound.get("axis"), x.ndim)
        if bound.get("keepdims"):
            return tuple(1 if i in axes else n for i, n in enumerate(x.shape))
        return tuple(n for i, n in enumerate(x.shape) if i not in axes)
    return None
