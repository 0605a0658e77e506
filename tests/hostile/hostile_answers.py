"""Real numpy adapters whose ``add`` answers in a hostile way: an exception that cannot be printed,
and a result far larger than anything the suite asks for.

Loaded by the worker as ``hostile_answers:<name>`` with this folder on PYTHONPATH.
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                       spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0"))


class Unprintable(Exception):
    """An exception whose ``str()`` raises, as some C extensions' errors do."""

    def __str__(self) -> str:
        raise RuntimeError("this exception cannot be printed")

    def __repr__(self) -> str:
        raise RuntimeError("nor represented")


class RaisesUnprintable(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("raises-unprintable")

    def make_overrides(self) -> dict:
        overrides = super().make_overrides()

        def add(x1: Any, x2: Any, /) -> Any:
            raise Unprintable()

        overrides["add"] = add
        return overrides


class Sized(NumpyAdapter):
    """``add`` returns ``ELEMENTS`` zeros (float64), whatever it was given."""

    ELEMENTS = 12_000_000
    meta: ClassVar[AdapterMeta] = _meta("huge-result")

    def make_overrides(self) -> dict:
        overrides = super().make_overrides()
        np = self.xp

        def add(x1: Any, x2: Any, /) -> Any:
            return np.zeros(self.ELEMENTS)

        overrides["add"] = add
        return overrides


class Large(Sized):
    """30 000 elements: a quarter-megabyte answer, under the protocol's limit but over what a report stores."""

    ELEMENTS = 30_000
    meta: ClassVar[AdapterMeta] = _meta("large-result")


raises_unprintable = RaisesUnprintable()
huge = Sized()
large = Large()
