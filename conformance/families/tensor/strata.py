"""The tensor condition kinds: how to recognise each in a call, and how to draw one on purpose.

A tensor example is a call (``{"fn", "args", "kwargs"}`` in the wire form), a law's calls
(``{"calls": [...]}``: the first one counts) or a special-case row's call (``{"call": ...}``).
Recognising reads the decoded arguments of that call, decoded once per example (the strata of a
requirement share it). Drawing on purpose: the value kinds (``nan``, ``infinity``,
``signed-zero``, ``halfway``, ``duplicates``) write the value into an array argument of a drawn call;
the other kinds filter the requirement's own draws, which reach them often (empty and 0-d shapes,
negative axes, keywords given). Laws and special-case rows are only filtered: a law's calls share
their inputs, and a row's inputs are the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from hypothesis import strategies as st

from accord.conformance.check import Context
from accord.conformance.strata import Stratum, StratumKind
from accord.spec.model import Document, Requirement

from . import oracle
from .oracle import View

AXIS_PARAMS = ("axis", "axes", "source", "destination")

_last: list[Any] = [None, None]  # (example, its decoded call): every stratum of a requirement reads it


def _call(example: Any) -> dict | None:
    if "fn" in example:
        return example
    if "calls" in example:
        return example["calls"][0]
    return example.get("call")


def _decoded(example: Any) -> tuple[list[Any], dict[str, Any]]:
    if _last[0] is not example:
        call = _call(example)
        args = [oracle.decode(a) for a in call.get("args", [])] if call else []
        kwargs = {k: oracle.decode(v) for k, v in call.get("kwargs", {}).items()} if call else {}
        _last[:] = [example, (args, kwargs)]
    return _last[1]


def _flat(value: Any) -> Iterator[Any]:
    if isinstance(value, View):
        yield value.base[value.key]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flat(item)
    else:
        yield value


def _arrays(example: Any) -> list[np.ndarray]:
    args, kwargs = _decoded(example)
    return [v for v in _flat([*args, *kwargs.values()]) if isinstance(v, np.ndarray)]


def _operands(example: Any) -> list[np.ndarray]:
    """Array arguments and Python scalar operands, as arrays (value kinds look at both)."""
    args, kwargs = _decoded(example)
    out = []
    for v in _flat([*args, *kwargs.values()]):
        if isinstance(v, np.ndarray):
            out.append(v)
        elif isinstance(v, float | complex) and not isinstance(v, bool):
            out.append(np.asarray(v))
    return out


def _inexact(a: np.ndarray) -> bool:
    return a.dtype.kind in "fc"


def _bound(doc: Document, example: Any) -> dict[str, Any]:
    """Parameter name -> value, for the parameters the call gives (defaults are not filled in)."""
    args, kwargs = _decoded(example)
    bound: dict[str, Any] = {}
    positional = [p for p in doc.data.get("signature", {}).get("params", ()) if p["kind"] != "keyword-only"]
    for i, (p, value) in enumerate(zip(positional, args, strict=False)):
        bound[p["name"]] = args[i:] if p["kind"] == "var-positional" else value
    bound.update(kwargs)
    return bound


# ------------------------------------------------------------------ recognisers


def _empty(example: Any) -> bool:
    return any(a.size == 0 for a in _arrays(example))


def _zero_dim(example: Any) -> bool:
    return any(a.ndim == 0 for a in _arrays(example))


def _nan(example: Any) -> bool:
    return any(_inexact(a) and np.isnan(a).any() for a in _operands(example))


def _infinity(example: Any) -> bool:
    return any(_inexact(a) and np.isinf(a).any() for a in _operands(example))


def _signed_zero(example: Any) -> bool:
    return any(a.dtype.kind == "f" and bool(((a == 0) & np.signbit(a)).any()) for a in _operands(example))


def _halfway(example: Any) -> bool:
    return any(a.dtype.kind == "f" and bool((np.abs(a % 1) == 0.5).any()) for a in _operands(example))


def _duplicates(example: Any) -> bool:
    for a in _arrays(example):
        if a.size < 2:
            continue
        flat = a.reshape(-1)
        if _inexact(a):
            flat = flat[~np.isnan(flat)]
        if np.unique(flat).size < flat.size:
            return True
    return False


def _broadcast(example: Any) -> bool:
    args, kwargs = _decoded(example)
    shapes = {v.shape for v in _flat(args) if isinstance(v, np.ndarray)}
    return len(shapes) > 1


def _mixed_dtypes(example: Any) -> bool:
    args, _ = _decoded(example)
    return len({v.dtype for v in _flat(args) if isinstance(v, np.ndarray)}) > 1


def _predicate_mixed(example: Any) -> bool:
    return any(a.dtype.kind == "b" and a.any() and not a.all() for a in _arrays(example))


def _scalar_operand(example: Any) -> bool:
    args, _ = _decoded(example)
    return any(isinstance(v, bool | int | float | complex) for v in args)


# ------------------------------------------------------------------ drawing on purpose


def _written(value: Callable[[np.ndarray, int], Any], wants: Callable[[np.ndarray], bool],
             skip: Callable[[dict], bool] = lambda call: False) -> Callable[[st.SearchStrategy], st.SearchStrategy]:
    """A draw writing ``value(array, index)`` into the first array argument ``wants`` of a drawn call."""

    def write(example: Any, index: int) -> Any:
        if "fn" not in example or skip(example):
            return example
        args = list(example.get("args", []))
        for k, arg in enumerate(args):
            v = oracle.decode(arg)
            if isinstance(v, View):
                v = v.base[v.key]
            if isinstance(v, np.ndarray) and wants(v):
                changed = np.array(v, copy=True)
                flat = changed.reshape(-1)
                flat[index % flat.size] = value(changed, index)
                args[k] = oracle.encode(changed.reshape(v.shape))
                return {**example, "args": args}
        return example

    return lambda base: st.tuples(base, st.integers(0, 2**16)).map(lambda pair: write(*pair))


def _unstable_sort(call: dict) -> bool:
    """An unstable sort's ties leave the order free: its calls draw distinct elements on purpose."""
    return oracle.decode(call.get("kwargs", {}).get("stable", True)) is False


_NAN = _written(lambda a, i: complex("nan") if a.dtype.kind == "c" else np.nan, lambda a: _inexact(a) and a.size > 0)
_INF = _written(lambda a, i: np.inf if i % 2 else -np.inf, lambda a: _inexact(a) and a.size > 0)
_NEG_ZERO = _written(lambda a, i: -0.0, lambda a: a.dtype.kind == "f" and a.size > 0)
_HALF = _written(lambda a, i: (0.5, 2.5, -1.5, -0.5)[i % 4], lambda a: a.dtype.kind == "f" and a.size > 0)
_DUP = _written(lambda a, i: a.reshape(-1)[(i + 1) % a.size], lambda a: a.size > 1, skip=_unstable_sort)


def _kind(recognise: Callable[[Any], bool], draw: Callable | None = None) -> StratumKind:
    def quiet(example: Any) -> bool:
        with np.errstate(all="ignore"):  # inf % 1, NaN comparisons: no warning per example
            return recognise(example)

    def make(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum:
        return Stratum("", quiet, draw)
    return make


def _negative_axis(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum:
    def recognise(example: Any) -> bool:
        bound = _bound(doc, example)
        for name in AXIS_PARAMS:
            value = bound.get(name)
            values = value if isinstance(value, tuple | list) else (value,)
            if any(isinstance(v, int) and not isinstance(v, bool) and v < 0 for v in values):
                return True
        return False
    return Stratum("", recognise)


def _non_default(argument: str | None, ctx: Context, req: Requirement, doc: Document) -> Stratum | None:
    params = {p["name"]: p for p in doc.data.get("signature", {}).get("params", ())}
    if argument not in params:
        return None
    default = params[argument].get("default")

    def recognise(example: Any) -> bool:
        bound = _bound(doc, example)
        if argument not in bound:
            return False
        value = bound[argument]
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        if default is None or not isinstance(value, bool | int | float | str):
            return value is not None
        return value != default or type(value) is not type(default)
    return Stratum("", recognise)


KINDS: dict[str, StratumKind] = {
    "empty": _kind(_empty),
    "zero-dim": _kind(_zero_dim),
    "nan": _kind(_nan, _NAN),
    "infinity": _kind(_infinity, _INF),
    "signed-zero": _kind(_signed_zero, _NEG_ZERO),
    "halfway": _kind(_halfway, _HALF),
    "duplicates": _kind(_duplicates, _DUP),
    "broadcast": _kind(_broadcast),
    "mixed-dtypes": _kind(_mixed_dtypes),
    "predicate-mixed": _kind(_predicate_mixed),
    "scalar-operand": _kind(_scalar_operand),
    "negative-axis": _negative_axis,
    "non-default": _non_default,
}
