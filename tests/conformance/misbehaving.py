"""Deliberately broken tensor adapters: the kit must record each as a finding, never crash.

Each breaks only calls of ``add`` (the other requirements keep passing on numpy), so a
run selecting ``tensor.add.*`` shows exactly the failure mode under test.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.tensor.numpy_adapter import NumpyAdapter


def _meta(name: str, **extra: Any) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                        spec_versions=("1.0", "1.1"), **extra)


def _is_add(op: str, args: Any) -> bool:
    return op in ("call", "signature") and isinstance(args, dict) and args.get("fn") == "add"


class Hangs(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("hangs")

    def invoke(self, op: str, args: Any) -> Any:
        if _is_add(op, args):
            time.sleep(3600)
        return super().invoke(op, args)


class Segfaults(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("segfaults")

    def invoke(self, op: str, args: Any) -> Any:
        if _is_add(op, args):
            ctypes.string_at(0)  # a real SIGSEGV in native code
        return super().invoke(op, args)


class ExitsHard(NumpyAdapter):
    meta: ClassVar[AdapterMeta] = _meta("exits")

    def invoke(self, op: str, args: Any) -> Any:
        if _is_add(op, args):
            os._exit(3)
        return super().invoke(op, args)


class OutOfMemory(NumpyAdapter):
    """What the kernel's OOM killer does: SIGKILL, no goodbye."""

    meta: ClassVar[AdapterMeta] = _meta("oom-killed")

    def invoke(self, op: str, args: Any) -> Any:
        if _is_add(op, args):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().invoke(op, args)


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


hangs = Hangs()
segfaults = Segfaults()
exits = ExitsHard()
oom = OutOfMemory()
wrong_type = WrongType()
raises = Raises()
not_json = NotJson()
off_by_one = OffByOne()
declared = DeclaresAddBroken()
fails_to_start = FailsToStart()
typo = DeclaresATypo()
