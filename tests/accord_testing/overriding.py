"""numpy adapters with some functions replaced: the base of the tests' deliberately wrong tensor backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter

INFO = "__array_namespace_info__."


def numpy_meta(name: str) -> AdapterMeta:
    """A numpy-backed test adapter's metadata: the latest tensor versions, complex claimed."""
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                       spec_versions=("2.1", "3.0"), claims=("complex",))


class Overriding(NumpyAdapter):
    """numpy with the functions ``replace`` returns (name -> callable) in place of numpy's own."""

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {}

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        return {**super().make_overrides(), **self.replace(self.xp)}
