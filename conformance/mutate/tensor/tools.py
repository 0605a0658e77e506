"""Building blocks of tensor mutants: patches as overrides, direct examples, and running an example.

A tensor patch is ``patch(xp) -> {target: callable}`` over the pure-Python reference namespace ``xp``:
``target`` is a namespace function name, ``method:<name>`` (an array method or operator), or
``getitem`` / ``setitem``. A patch builds new callables from the reference's own functions and
mutates nothing, so building one never changes the namespace the kit's oracle uses; only the mutant
adapter, in a worker, installs them. Overrides keep the reference's signature (``functools.wraps``):
a mutant changes a behaviour, never the signature the ``signature`` requirements read.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Fix = Callable[..., Any]


@dataclass(frozen=True)
class A:
    """An array argument of a direct example: ``xp.asarray(values, dtype=dtype)``."""

    values: Any
    dtype: str | None = None


@dataclass(frozen=True)
class D:
    """A dtype argument of a direct example (``xp.<name>``)."""

    name: str


@dataclass(frozen=True)
class Call:
    """A direct example: ``target`` called with ``args`` / ``kwargs`` (``A`` and ``D`` built on the namespace)."""

    target: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def build(self, xp: Any) -> tuple[list[Any], dict[str, Any]]:
        return [_build(xp, a) for a in self.args], {k: _build(xp, v) for k, v in self.kwargs.items()}


def call(target: str, *args: Any, **kwargs: Any) -> Call:
    return Call(target, args, kwargs)


def _build(xp: Any, value: Any) -> Any:
    if isinstance(value, A):
        return xp.asarray(value.values, dtype=getattr(xp, value.dtype) if value.dtype else None)
    if isinstance(value, D):
        return getattr(xp, value.name)
    if isinstance(value, tuple):
        return tuple(_build(xp, v) for v in value)
    if isinstance(value, list):
        return [_build(xp, v) for v in value]
    return value


def reference() -> Any:
    """The pure-Python reference namespace (the module; patches never change it)."""
    from accord.reference import tensor

    return tensor


def plain(xp: Any, target: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What the unmutated reference answers for ``target`` (the mutant adapter's dispatch, unpatched)."""
    from accord.adapters.tensor.namespace_adapter import NamespaceAdapter

    if target.startswith("method:"):
        return NamespaceAdapter.call_method(args[0], target[len("method:"):], args[1:], kwargs)
    if target == "getitem":
        return args[0][args[1]]
    if target == "setitem":
        args[0][args[1]] = args[2]
        return args[0]
    return getattr(xp, target)(*args, **kwargs)


def mutated(overrides: dict[str, Callable[..., Any]], target: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What the mutant answers: its override for ``target``, called as the mutant adapter calls it."""
    return overrides[target](*args, **kwargs)


def outcome(xp: Any, thunk: Callable[[], Any]) -> Any:
    """A comparable form of an answer: the raised exception's type, or the value with NaN and -0.0 kept apart."""
    try:
        value = thunk()
    except Exception as exc:  # the reference or the mutant refusing is an answer too
        return ("raised", type(exc).__name__)
    return _norm(xp, value)


def _norm(xp: Any, value: Any) -> Any:
    if isinstance(value, xp.Array):
        return ("array", value.dtype.name, tuple(value.shape), tuple(_norm(xp, v) for v in value.to_flat()))
    if isinstance(value, tuple | list):
        return tuple(_norm(xp, v) for v in value)
    if isinstance(value, float):
        return repr(value)  # 'nan', '-0.0' and '0.0' differ
    if isinstance(value, complex):
        return (repr(value.real), repr(value.imag))
    if isinstance(value, bool | int | str) or value is None:
        return value
    return repr(value)


def difference(patch: Callable[[Any], dict[str, Callable[..., Any]]], example: Call) -> str | None:
    """How the mutant's answer to ``example`` differs from the reference's (None: the same answer)."""
    xp = reference()
    overrides = patch(xp)
    if example.target not in overrides:
        return None
    args, kwargs = example.build(xp)
    want = outcome(xp, lambda: plain(xp, example.target, args, kwargs))
    args, kwargs = example.build(xp)  # fresh arguments: setitem changes its array
    got = outcome(xp, lambda: mutated(overrides, example.target, args, kwargs))
    return None if want == got else f"reference {_short(want)}; mutant {_short(got)}"


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ writing patches


def like(orig: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a replacement the original's name and signature (``inspect.signature`` follows ``__wrapped__``)."""
    return functools.wraps(orig)


def params(orig: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Every parameter of a call to ``orig`` by name, defaults filled in."""
    bound = inspect.signature(orig).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def values_of(xp: Any, operand: Any, shape: tuple[int, ...]) -> list[Any]:
    """An operand's elements broadcast to ``shape`` (a Python scalar repeated)."""
    size = math.prod(shape)
    if isinstance(operand, xp.Array):
        return xp.broadcast_to(operand, shape).to_flat()
    return [operand] * size


def pointwise(xp: Any, name: str, fix: Fix) -> dict[str, Callable[..., Any]]:
    """An element-wise function whose result element is ``fix(*input elements, correct result)``."""
    orig = getattr(xp, name)

    @like(orig)
    def patched(*args: Any, **kwargs: Any) -> Any:
        out = orig(*args, **kwargs)
        columns = [values_of(xp, a, out.shape) for a in args] or [[]]
        data = [fix(*row) for row in zip(*columns, out.to_flat(), strict=True)]
        return xp.Array.from_flat(data, out.shape, out.dtype)

    return {name: patched}


def wrap(xp: Any, name: str, body: Callable[..., Any]) -> dict[str, Callable[..., Any]]:
    """Replace ``name`` by ``body(orig, *args, **kwargs)``, keeping the signature."""
    orig = getattr(xp, name)

    @like(orig)
    def patched(*args: Any, **kwargs: Any) -> Any:
        return body(orig, *args, **kwargs)

    return {name: patched}


def with_dtype(xp: Any, array: Any, dtype: Any) -> Any:
    """``array`` relabelled as ``dtype`` (values converted), the way a wrong result dtype looks."""
    return xp.Array.from_flat(array.to_flat(), array.shape, dtype)


def isnan(v: Any) -> bool:
    return isinstance(v, float) and v != v


def is_neg_zero(v: Any) -> bool:
    return isinstance(v, float) and v == 0 and math.copysign(1.0, v) < 0


NAN = float("nan")
INF = float("inf")
