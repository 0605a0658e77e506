"""Calling the reference (in-process) and the backend (through its worker) with one wire call.

An example is a wire-encoded op argument (``{"fn", "args", "kwargs"}`` for ``call``), so it is
JSON as stored in the report and replayed by ``accord repro`` unchanged. Results are decoded to
numpy for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from accord.conformance.check import Context, Mismatch
from accord.conformance.client import BackendRaised
from accord.spec.tensor import wire


@dataclass(frozen=True)
class View:
    """A non-contiguous view ``base[key]`` the backend builds natively (wire ``$view``)."""

    base: np.ndarray
    key: Any


class Rejected(Exception):
    """The reference refused the input: the example is outside the function's domain."""


@cache
def codec() -> wire.NumpyCodec:
    return wire.NumpyCodec()


@cache
def reference() -> Any:
    from accord.adapters.tensor.reference_adapter import adapter

    adapter.start()
    return adapter


def encode(value: Any) -> Any:
    """Wire JSON of a numpy-side value (arrays, views, scalars, dtypes, tuples …)."""
    if isinstance(value, View):
        return wire.view(value.base, value.key, codec())
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, DType):
        return {"$dtype": value.name}
    return wire.encode(value, codec())


@dataclass(frozen=True)
class DType:
    """A dtype argument by name (encodes as ``{"$dtype": name}``)."""

    name: str


def decode(value: Any) -> Any:
    return wire.decode(value, codec())


def call(fn: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Wire form of ``fn(*args, **kwargs)``."""
    return {"fn": fn, "args": [encode(a) for a in args], "kwargs": {k: encode(v) for k, v in kwargs.items()}}


def expected(op: str, args: dict[str, Any]) -> Any:
    """The reference's answer (decoded), or :class:`Rejected` when it refuses the input."""
    try:
        raw = reference().invoke(op, args)
    except (ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError, KeyError, NotImplementedError) as exc:
        raise Rejected(f"{type(exc).__name__}: {exc}") from None
    return decode(raw)


def actual(ctx: Context, op: str, args: dict[str, Any]) -> Any:
    """The backend's answer (decoded); a backend exception becomes a :class:`Mismatch`."""
    try:
        raw = ctx.backend.invoke(op, args)
    except BackendRaised as exc:
        raise Mismatch(f"the backend raised {exc}", expected="a result", actual=f"raised {exc}", raised=exc) from None
    try:
        return decode(raw)
    except wire.WireError as exc:
        raise Mismatch(f"the backend returned a value that is not valid tensor wire JSON: {exc}",
                       actual=str(raw)[:200]) from None


def raises(ctx: Context, op: str, args: dict[str, Any]) -> bool:
    """Whether the backend raises for this op."""
    try:
        ctx.backend.invoke(op, args)
    except BackendRaised:
        return True
    return False


def describe(op: str, args: dict[str, Any]) -> str:
    """Adapter-independent description of one op, as array-API code on ``xp``."""
    try:
        return reference().snippet(op, args).replace("from accord.reference import tensor as xp",
                                                    "# xp: the array namespace under test")
    except Exception as exc:  # a description must never hide the failure
        return f"# {op} {args!r} ({exc})"


def snippet(ctx: Context, op: str, args: dict[str, Any]) -> str:
    """A copy-paste reproduction in the backend's own API when the adapter can render one."""
    text = None
    try:
        text = ctx.backend.invoke("snippet", {"op": op, "args": args})
    except Exception:  # adapters without the op answer "unsupported"; a dead worker still propagates
        text = None
    if not isinstance(text, str):
        text = _local_snippet(ctx, op, args)
    generic = describe(op, args)
    if text:
        return f"{text}\n\n# the same call in array-API terms:\n" + "\n".join("# " + line for line in generic.splitlines())
    return generic


def _local_snippet(ctx: Context, op: str, args: dict[str, Any]) -> str | None:
    name = ctx.adapter.get("name")
    if not name:
        return None
    try:
        from accord.adapters.registry import resolve

        adapter = resolve(name, "tensor")
        render = getattr(adapter, "snippet", None)
        return render(op, args) if callable(render) else None
    except Exception:
        return None


def readable(value: Any) -> Any:
    """A value as people read it in a report: arrays as dtype, shape and nested values."""
    if isinstance(value, np.ndarray):
        return {"dtype": value.dtype.name, "shape": list(value.shape),
                "values": [_plain(v) for v in value.ravel().tolist()] if value.ndim != 0 else _plain(value.item())}
    if isinstance(value, tuple | list):
        return [readable(v) for v in value]
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, np.generic):
        return _plain(value.item())
    return _plain(value)


def _plain(v: Any) -> Any:
    if isinstance(v, complex):
        return [v.real, v.imag]
    return v if isinstance(v, bool | int | float | str | type(None)) else repr(v)
