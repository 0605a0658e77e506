"""Backend objects the tensor wire names rather than carries (used by :mod:`accord.spec.tensor.wire`).

A device object has no portable form, so it travels as its place in the backend's ``devices()``
(``$device``); a finfo / iinfo number travels as a plain number, with the Python type it had beside
it (``$info`` ``types``), because the standard types those attributes. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Device:
    """A backend's device object as the kit sees it (``$device``): its place in ``devices()`` and its text."""

    index: int
    text: str


def device_index(value: Any, devices: tuple[Any, ...] | None) -> int | None:
    """``value``'s place in the backend's ``devices()``, or None when it is none of them."""
    for index, device in enumerate(devices or ()):
        try:
            if value is device or bool(value == device):
                return index
        except Exception:  # an object whose == raises is no device of this backend
            continue
    return None


def python_type(value: Any) -> str:
    """``"int"`` / ``"float"`` for an instance of that builtin (a bool is ``"bool"``), else ``module.qualname``."""
    for builtin in (bool, int, float):
        if isinstance(value, builtin):
            return builtin.__name__
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"
