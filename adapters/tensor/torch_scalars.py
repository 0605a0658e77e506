"""torch's Python-scalar operands: the one shim that wraps torch's own binary functions.

torch accepts a Number only as the second operand of its binary element-wise functions, and
not even there for ``atan2``, ``hypot``, ``logaddexp``, ``nextafter``, ``maximum``, ``minimum``,
``logical_*``. :func:`with_scalar_operands` passes such a scalar as the 0-d tensor torch itself
makes of a Python number (the tensor's dtype when the scalar's kind fits its category, else
int64 / the default float dtype); :data:`SCALAR_SHIM` declares it; the snippet helpers
(:func:`wire_kind`, :func:`wire_dtype`, :func:`scalar_dtype`) spell it out in a repro.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from accord.adapters.base import Shim

#: the spec's binary element-wise functions: torch takes no Python scalar as their first operand
SCALAR_FIRST: frozenset[str] = frozenset(
    """add subtract multiply divide floor_divide remainder pow atan2 copysign hypot logaddexp nextafter
    maximum minimum equal not_equal greater greater_equal less less_equal logical_and logical_or
    logical_xor bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift""".split()
)
#: ... and these take none as their second operand either (the others take a Number there)
SCALAR_SECOND: frozenset[str] = frozenset(
    "atan2 hypot logaddexp nextafter maximum minimum logical_and logical_or logical_xor".split()
)
#: the declaration of this shim in the adapter's metadata
SCALAR_SHIM = Shim(
    "scalar-operands", tuple(sorted(SCALAR_FIRST)), "wrap",
    "torch takes a Python scalar only as the second operand of its binary element-wise functions, and none "
    "in atan2, hypot, logaddexp, nextafter, maximum, minimum, logical_*: the scalar is passed as the 0-d "
    "tensor torch itself makes of a Python number",
)
_KIND_RANK = {"bool": 0, "int": 1, "float": 2, "complex": 3}


def dtype_kind(name: str) -> str:
    """bool / int / float / complex of a dtype name."""
    if name == "bool":
        return name
    return "int" if "int" in name else "complex" if name.startswith("complex") else "float"


def scalar_dtype(kind: str, like: str) -> str | None:
    """The dtype torch gives a Python scalar of ``kind`` next to a tensor of dtype ``like``:
    ``like`` itself when the scalar's kind fits its category, else the scalar kind's default
    (``None``: torch's default float / complex dtype)."""
    if _KIND_RANK[kind] <= _KIND_RANK[dtype_kind(like)]:
        return like
    return {"bool": "bool", "int": "int64"}.get(kind)


def _python_kind(value: Any) -> str | None:
    for kind, types in (("bool", bool), ("int", int), ("float", float), ("complex", complex)):
        if isinstance(value, types):
            return kind
    return None


def wire_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "float" if "$float" in value else "complex" if "$complex" in value else None
    return _python_kind(value)


def wire_dtype(value: Any) -> str | None:
    if isinstance(value, dict) and "$view" in value:
        return wire_dtype(value["$view"]["base"])
    if isinstance(value, dict) and "$array" in value:
        return value["$array"]["dtype"]
    return None


def with_scalar_operands(torch: Any, fn: Callable[..., Any], second: bool) -> Callable[..., Any]:
    """``fn(x1, x2)`` with a Python scalar operand turned into the 0-d tensor torch itself makes of
    a Python number (see :func:`scalar_dtype`), in the positions where torch rejects scalars."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if len(args) == 2:
            x1, x2 = args
            if _python_kind(x1) and isinstance(x2, torch.Tensor):
                x1 = _as_tensor(torch, x1, x2)
            elif second and _python_kind(x2) and isinstance(x1, torch.Tensor):
                x2 = _as_tensor(torch, x2, x1)
            args = (x1, x2)
        return fn(*args, **kwargs)

    return call


def _as_tensor(torch: Any, value: Any, like: Any) -> Any:
    name = scalar_dtype(_python_kind(value), str(like.dtype).removeprefix("torch."))
    if name is None:
        dtype = torch.get_default_dtype()
        if isinstance(value, complex):
            dtype = torch.complex128 if dtype == torch.float64 else torch.complex64
    else:
        dtype = getattr(torch, name)
    return torch.as_tensor(value, dtype=dtype)
