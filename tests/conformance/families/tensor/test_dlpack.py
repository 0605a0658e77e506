"""``tensor.from_dlpack.*`` (2025.12, tensor 4.0): DLPack within one library. numpy passes; the pure-Python
reference, whose arrays have no ``__dlpack_device__`` (the standard lets a library that can never export its
data omit the protocol), is not applicable; a from_dlpack that changes the dtype, a copy=False that raises
the wrong exception, and a __dlpack_device__ that answers a device type the standard does not list fail.
What memory the result uses is observed in the worker (op ``dlpack_exchange``): a copy=True that shares x's
memory, a copy=False that copies and a from_dlpack that garbles another library's (numpy's) array fail."""

from __future__ import annotations

from typing import Any, ClassVar

from accord_testing import tensor_outcome

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.conformance.check import Outcome

REQUIREMENTS = ("tensor.from_dlpack.round-trip", "tensor.from_dlpack.copy-false",
                "tensor.from_dlpack.device-keyword", "tensor.from_dlpack.dlpack-device",
                "tensor.from_dlpack.copy-true-copies", "tensor.from_dlpack.copy-false-shares",
                "tensor.from_dlpack.foreign-round-trip")


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                       spec_versions=("3.0",))


class WideningDlpack(NumpyAdapter):
    """numpy whose from_dlpack hands back float64 whatever it was given."""

    meta: ClassVar[AdapterMeta] = _meta("widening-dlpack")

    def run(self, op: str, args: dict[str, Any]) -> Any:
        if op == "call" and args["fn"] == "from_dlpack":
            return self.xp.astype(super().run(op, args), self.xp.float64)
        return super().run(op, args)


class CopyFalseTypeError(NumpyAdapter):
    """numpy whose from_dlpack refuses copy=False with a TypeError (the text names BufferError / ValueError)."""

    meta: ClassVar[AdapterMeta] = _meta("copy-false-type-error")

    def run(self, op: str, args: dict[str, Any]) -> Any:
        if op == "call" and args["fn"] == "from_dlpack" and (args.get("kwargs") or {}).get("copy") is False:
            raise TypeError("copy=False is not supported")
        return super().run(op, args)


class DeviceZero(NumpyAdapter):
    """numpy whose __dlpack_device__ answers (0, 0): 0 is not a DLPack device type."""

    meta: ClassVar[AdapterMeta] = _meta("device-zero")

    def run(self, op: str, args: dict[str, Any]) -> Any:
        if op == "method" and args["method"] == "__dlpack_device__":
            return (0, 0)
        return super().run(op, args)


class WithFromDlpack(NumpyAdapter):
    """numpy whose from_dlpack is :meth:`from_dlpack` (the worker op dlpack_exchange looks it up by name)."""

    def function(self, name: str) -> Any:
        return self.from_dlpack if name == "from_dlpack" else super().function(name)

    def from_dlpack(self, x: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


class NeverCopies(WithFromDlpack):
    """numpy whose from_dlpack hands x itself back, copy=True included."""

    meta: ClassVar[AdapterMeta] = _meta("never-copies")

    def from_dlpack(self, x: Any, **kwargs: Any) -> Any:
        return x


class AlwaysCopies(WithFromDlpack):
    """numpy whose from_dlpack copies, copy=False included."""

    meta: ClassVar[AdapterMeta] = _meta("always-copies")

    def from_dlpack(self, x: Any, **kwargs: Any) -> Any:
        return self.xp.asarray(x, copy=True)


class Reversed(WithFromDlpack):
    """numpy whose from_dlpack reverses the order of the elements along every axis."""

    meta: ClassVar[AdapterMeta] = _meta("reversed")

    def from_dlpack(self, x: Any, **kwargs: Any) -> Any:
        return self.xp.flip(self.xp.from_dlpack(x, **kwargs))


def outcome(adapter: Any, requirement: str) -> Outcome:
    return tensor_outcome(adapter, requirement, version="draft", seed=2, max_examples=30)


def test_numpy_passes() -> None:
    for requirement in REQUIREMENTS:
        result = outcome(numpy_adapter, requirement)
        assert result.status == "pass", (requirement, result.message)


def test_the_reference_has_no_dlpack_and_is_not_applicable() -> None:
    for requirement in REQUIREMENTS:
        result = outcome(reference_adapter, requirement)
        assert result.status == "not-applicable", (requirement, result.status, result.message)
        assert "__dlpack_device__" in (result.message or "")


def test_a_changed_dtype_fails() -> None:
    result = outcome(WideningDlpack(), "tensor.from_dlpack.round-trip")
    assert result.status == "fail", result.message


def test_copy_false_with_an_unnamed_exception_fails() -> None:
    result = outcome(CopyFalseTypeError(), "tensor.from_dlpack.copy-false")
    assert result.status == "fail", result.message
    assert "TypeError" in (result.message or "")


def test_an_unlisted_device_type_fails() -> None:
    result = outcome(DeviceZero(), "tensor.from_dlpack.dlpack-device")
    assert result.status == "fail", result.message
    assert "device type" in (result.message or "")


def test_a_copy_true_that_shares_memory_fails() -> None:
    result = outcome(NeverCopies(), "tensor.from_dlpack.copy-true-copies")
    assert result.status == "fail", result.message
    assert "shares x's memory" in (result.message or "")


def test_a_copy_false_that_copies_fails() -> None:
    result = outcome(AlwaysCopies(), "tensor.from_dlpack.copy-false-shares")
    assert result.status == "fail", result.message
    assert "copied x" in (result.message or "")


def test_sharing_and_copying_pass_where_they_are_asked_for() -> None:
    assert outcome(NeverCopies(), "tensor.from_dlpack.copy-false-shares").status == "pass"
    assert outcome(AlwaysCopies(), "tensor.from_dlpack.copy-true-copies").status == "pass"


def test_another_librarys_array_garbled_fails() -> None:
    result = outcome(Reversed(), "tensor.from_dlpack.foreign-round-trip")
    assert result.status == "fail", result.message
    assert "numpy array" in (result.message or "")
