"""Adapters each deviating in one way whose verdict level the standard's text decides.

Accuracy (measured, gross errors, float64 precision), signed zeros in unique_* (a SHOULD),
declared capabilities (data-dependent shapes, boolean indexing) and foreign result types.
Loaded in-process by test_text_levels.py.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import Any, ClassVar

import numpy

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.adapters.tensor.strict_adapter import StrictAdapter


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                       spec_versions=("1.0", "1.1"))


class _Overriding(NumpyAdapter):
    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {}

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        return {**super().make_overrides(), **self.replace(self.xp)}


class SloppyExp(_Overriding):
    """exp about 64 ULP off everywhere: an accuracy the standard does not forbid (measured, not failed)."""

    meta: ClassVar[AdapterMeta] = _meta("sloppy-exp")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"exp": lambda x, /: (np.exp(x) * (1 + np.finfo(x.dtype).eps * 64)).astype(x.dtype)}


class NegativeExp(_Overriding):
    """exp of the wrong sign above 1: a gross error."""

    meta: ClassVar[AdapterMeta] = _meta("negative-exp")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"exp": lambda x, /: np.where(x > 1, -np.exp(x), np.exp(x)).astype(x.dtype)}


class NanExp(_Overriding):
    """exp NaN above 1 where the result is finite: a gross error."""

    meta: ClassVar[AdapterMeta] = _meta("nan-exp")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"exp": lambda x, /: np.where((x > 1) & (x < 50), np.nan, np.exp(x)).astype(x.dtype)}


class Float32Exp(_Overriding):
    """exp computed in float32 and returned as float64 (ndonnx's pattern): dtype right, precision not."""

    meta: ClassVar[AdapterMeta] = _meta("float32-exp")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"exp": lambda x, /: np.exp(x.astype(np.float32)).astype(x.dtype)}


UniqueCounts = namedtuple("UniqueCounts", "values counts")


class ApartZeros(_Overriding):
    """unique_values / unique_counts keeping -0 and +0 apart (by bit pattern)."""

    meta: ClassVar[AdapterMeta] = _meta("apart-zeros")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def bits(x: Any) -> tuple[Any, Any]:
            flat = np.ascontiguousarray(x).ravel()
            view = {2: np.uint16, 4: np.uint32, 8: np.uint64}[flat.dtype.itemsize] if flat.dtype.kind == "f" else None
            return flat, view

        def unique_values(x: Any, /) -> Any:
            flat, view = bits(x)
            return np.unique_values(flat) if view is None else np.unique(flat.view(view)).view(flat.dtype)

        def unique_counts(x: Any, /) -> Any:
            flat, view = bits(x)
            if view is None:
                return np.unique_counts(flat)
            values, counts = np.unique(flat.view(view), return_counts=True)
            return UniqueCounts(values.view(flat.dtype), counts)

        return {"unique_values": unique_values, "unique_counts": unique_counts}


class Graph(_Overriding):
    """numpy declaring, as a graph library may, that it omits data-dependent shapes and boolean indexing."""

    meta: ClassVar[AdapterMeta] = _meta("graph-like")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def capabilities() -> dict[str, Any]:
            return {"boolean indexing": False, "data-dependent shapes": False, "max dimensions": 64}
        return {"__array_namespace_info__.capabilities": capabilities}


class ForeignResults(StrictAdapter):
    """array-api-strict whose unique_values and x[()] hand back numpy arrays (pydata/sparse's pattern)."""

    meta: ClassVar[AdapterMeta] = _meta("foreign-results")

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        xp = self.xp
        return {"unique_values": lambda x, /: numpy.asarray(xp.unique_values(x))}

    def run(self, op: str, args: dict[str, Any]) -> Any:
        result = super().run(op, args)
        if op == "getitem" and args["key"] == ():
            return numpy.asarray(result)
        return result


sloppy_exp, negative_exp, nan_exp, float32_exp = SloppyExp(), NegativeExp(), NanExp(), Float32Exp()
apart_zeros, graph, foreign_results = ApartZeros(), Graph(), ForeignResults()

