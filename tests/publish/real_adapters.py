"""Real (numpy-backed) tensor adapters that misbehave on purpose, so the matrix is built from real runs.

Loaded by the worker as ``real_adapters:<name>`` with this folder on PYTHONPATH.
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.tensor.numpy_adapter import NumpyAdapter


def _meta(name: str, **extra: Any) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                        spec_versions=("1.0", "1.1", "2.0"), **extra)


class WrongAdd(NumpyAdapter):
    """``add`` returns x1 + x2 + 1 for integer inputs: a wrong answer with a counterexample."""

    meta: ClassVar[AdapterMeta] = _meta("wrong-add")

    def make_overrides(self) -> dict:
        overrides = super().make_overrides()
        np = self.xp

        def add(x1: Any, x2: Any, /) -> Any:
            result = np.add(x1, x2)
            return result + result.dtype.type(1) if result.dtype.kind in "iu" else result

        overrides["add"] = add
        return overrides


class DeclaredWrongAdd(WrongAdd):
    meta: ClassVar[AdapterMeta] = _meta("declared-wrong-add", expected_failures=(
        ExpectedFailure("tensor.add.values", "integer add is off by one", "https://example.invalid/issue/7"),))


class NeverStarts(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("never-starts")

    def start(self) -> None:
        raise RuntimeError("cannot reach the device")


wrong_add = WrongAdd()
declared_wrong_add = DeclaredWrongAdd()
never_starts = NeverStarts()
