"""Real numpy-backed tensor adapters that misbehave on purpose: matrices and findings built from real runs.

Loaded by the worker as ``accord_testing.wrong_add:<name>`` with ``tests/`` on PYTHONPATH (``TESTS_ENV``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.tensor.numpy_adapter import NumpyAdapter

# the finding of "integer add is off by one" in tensor.add.values (test_finding_runs proves it stable)
ADD_VALUES_FINDING = "F-7847268ed6"


def _meta(name: str, **extra: Any) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                        spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0", "4.0"), **extra)


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


class DeclaresFinding(WrongAdd):
    """Declares the add.values finding by id (not by requirement), plus one finding this backend does not have."""

    meta: ClassVar[AdapterMeta] = _meta("declares-finding", expected_failures=(
        ExpectedFailure(finding=ADD_VALUES_FINDING, reason="integer add is off by one", link="https://example.invalid/7"),
        ExpectedFailure(finding="F-0000000000", reason="a finding this backend does not have"),
    ))


class RandomAdd(NumpyAdapter):
    """``add`` returns x1 + x2 plus a random offset for integer inputs: the same input, another answer.

    The offset (1..100, drawn by numpy's unseeded generator) is never 0 and never the previous call's,
    so every integer add is wrong and no two consecutive answers agree: a replay right after a failure
    always sees another value. (A coin flip would be missed by a single replay half of the time.)
    """

    meta: ClassVar[AdapterMeta] = _meta("random-add")

    def make_overrides(self) -> dict:
        overrides = super().make_overrides()
        np = self.xp
        rng = np.random.default_rng()
        last = [0]

        def add(x1: Any, x2: Any, /) -> Any:
            result = np.add(x1, x2)
            if result.dtype.kind not in "iu":
                return result
            last[0] = (last[0] + int(rng.integers(1, 100))) % 100  # any of the other 99 offsets
            return result + result.dtype.type(last[0] + 1)

        overrides["add"] = add
        return overrides


class NeverStarts(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("never-starts")

    def start(self) -> None:
        raise RuntimeError("cannot reach the device")


wrong_add = WrongAdd()
declared_wrong_add = DeclaredWrongAdd()
declares_finding = DeclaresFinding()
never_starts = NeverStarts()
random_add = RandomAdd()
