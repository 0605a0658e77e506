"""The inspection API: ``__array_namespace_info__()`` (capabilities, devices, default dtypes)."""

from __future__ import annotations

from typing import Any

from . import dtypes as dt
from . import revision
from .array import CPU_DEVICE, Device, check_device
from .data_type_functions import isdtype

__all__ = ["__array_namespace_info__"]


class Info:
    """Answers the standard's inspection queries for this single-device implementation."""

    def capabilities(self) -> dict[str, Any]:
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": None}

    def default_device(self) -> Device:
        return CPU_DEVICE

    def devices(self) -> list[Device] | tuple[Device, ...]:
        return revision.several([CPU_DEVICE])

    def default_dtypes(self, *, device: Any = None) -> dict[str, dt.DType]:
        check_device(device)
        return {"real floating": dt.default_float, "complex floating": dt.default_complex,
                "integral": dt.default_int, "indexing": dt.default_int}

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, dt.DType]:
        check_device(device)
        return {d.name: d for d in dt.ALL_DTYPES if kind is None or isdtype(d, kind)}


def __array_namespace_info__() -> Info:
    return Info()
