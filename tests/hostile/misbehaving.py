"""Deliberately broken tensor adapters: the kit must record each as a finding, never crash.

Each breaks only calls of ``add`` (the other requirements keep passing on numpy), so a
run selecting ``tensor.add.*`` shows exactly the failure mode under test. The hangs, deaths,
floods and leaked children are the acts of :mod:`behaviours`, shared with the other families.
Loaded by the worker as ``misbehaving:<name>`` with this folder on PYTHONPATH.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from behaviours import ACTS

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.tensor.numpy_adapter import NumpyAdapter


def _meta(name: str, **extra: Any) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                        spec_versions=("1.0", "1.1", "1.2"), **extra)


def _is_add(op: str, args: Any) -> bool:
    return op in ("call", "signature") and isinstance(args, dict) and args.get("fn") == "add"


class Acts(NumpyAdapter):
    """Numpy, except that every call of ``add`` first does ``act`` (which may never return)."""

    act: ClassVar[Callable[[], None]]

    def invoke(self, op: str, args: Any) -> Any:
        if _is_add(op, args):
            type(self).act()
        return super().invoke(op, args)


def acting(name: str) -> Acts:
    """The numpy adapter doing the act of that name on each ``add``."""
    cls = type(f"Acts_{name}", (Acts,), {"meta": _meta(name.replace("_", "-")), "act": staticmethod(ACTS[name])})
    return cls()


class WrongType(NumpyAdapter):
    """Answers every ``add`` with a Python string instead of an array."""

    meta: ClassVar[AdapterMeta] = _meta("wrong-type")

    def invoke(self, op: str, args: Any) -> Any:
        if op == "call" and args.get("fn") == "add":
            return "definitely not an array"
        return super().invoke(op, args)


class Raises(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("raises")

    def invoke(self, op: str, args: Any) -> Any:
        if op == "call" and args.get("fn") == "add":
            raise RuntimeError("backend exploded")
        return super().invoke(op, args)


class NotJson(NumpyAdapter):
    """Returns an object the wire cannot carry: garbage on the protocol."""

    meta: ClassVar[AdapterMeta] = _meta("not-json")

    def invoke(self, op: str, args: Any) -> Any:
        if op == "call" and args.get("fn") == "add":
            return object()
        return super().invoke(op, args)


class OffByOne(NumpyAdapter):
    """A wrong answer: ``add`` returns x1 + x2 + 1 for integer inputs."""

    meta: ClassVar[AdapterMeta] = _meta("off-by-one")

    def make_overrides(self) -> dict:
        overrides = super().make_overrides()
        np = self.xp

        def add(x1: Any, x2: Any, /) -> Any:
            result = np.add(x1, x2)
            if result.dtype.kind in "iu":
                result = result + result.dtype.type(1)
            return result

        overrides["add"] = add
        return overrides


class DeclaresAddBroken(OffByOne):
    """The same wrong answer, declared as a known failure: must show as xfail."""

    meta: ClassVar[AdapterMeta] = _meta("declared", expected_failures=(
        ExpectedFailure("tensor.add.values", "integer add is off by one", "https://example.invalid/issue/1"),
        ExpectedFailure("tensor.subtract.values", "declared but not actually broken"),
    ))


class DeclaresATypo(NumpyAdapter):
    """Declares an expected failure whose id names no requirement (``sort.stable`` is not one)."""

    meta: ClassVar[AdapterMeta] = _meta("typo", expected_failures=(
        ExpectedFailure("tensor.sort.stable", "no such requirement"),))


class FailsToStart(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("fails-to-start")

    def start(self) -> None:
        raise RuntimeError("cannot reach the accelerator")


hangs = acting("hangs")
segfaults = acting("segfaults")
exits = acting("exits")
oom = acting("oom")
floods_stdout = acting("floods_stdout")
floods_stale_answers = acting("floods_stale_answers")
floods_stderr = acting("floods_stderr")
leaks_child = acting("leaks_child")
leaks_detached = acting("leaks_detached")
leaks_scrubbed = acting("leaks_scrubbed")
forks_and_dies = acting("forks_and_dies")
detaches_and_hangs = acting("detaches_and_hangs")
detaches_and_dies = acting("detaches_and_dies")
wrong_type = WrongType()
raises = Raises()
not_json = NotJson()
off_by_one = OffByOne()
declared = DeclaresAddBroken()
fails_to_start = FailsToStart()
typo = DeclaresATypo()
