"""An optional extension (linalg, fft) stays out of the core's dtype-support rows: a claimed fft refusing single precision
fails fft's own (MAY) values requirement, never the MUST ``tensor.dtypes.support-complex64``; unclaimed, it is
not run at all."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from accord_testing import tensor_outcome
from accord_testing.overriding import Overriding

from accord.adapters.base import AdapterMeta
from accord.conformance.check import Outcome
from accord.conformance.families.tensor import support
from accord.conformance.runner import classify
from accord.spec import load_spec


class NoFloat32Fft(Overriding):
    """numpy whose fft.fft refuses float32 and complex64 input."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(name="no-float32-fft", family="tensor", backend_package="numpy",
                                              requires=("numpy",), spec_versions=("3.0",), claims=("complex", "fft"))

    def replace(self, xp: Any) -> dict[str, Any]:
        def fft(x: Any, /, *, n: Any = None, axis: int = -1, norm: str = "backward") -> Any:
            if x.dtype in (np.float32, np.complex64):
                raise TypeError("fft: single precision is not supported")
            return xp.fft.fft(x, n=n, axis=axis, norm=norm)
        return {"fft.fft": fft}


def outcome(adapter: Any, requirement_id: str) -> Outcome:
    return tensor_outcome(adapter, requirement_id, version="draft", seed=1, max_examples=40)


def test_extension_documents_are_recognised() -> None:
    spec = load_spec("tensor", "draft")
    assert support.extension(spec.document("tensor.function", "fft.fft")) == {"fft"}
    assert support.extension(spec.document("tensor.function", "linalg.solve")) == {"linalg"}
    assert support.extension(spec.document("tensor.function", "add")) == frozenset()


def test_a_claimed_extension_s_dtype_gap_is_its_own_failure() -> None:
    adapter = NoFloat32Fft()
    assert outcome(adapter, "tensor.dtypes.support-complex64").status == "pass"  # fft.fft admits complex only
    result = outcome(adapter, "tensor.fft.fft.values")
    assert result.status == "fail" and "single precision is not supported" in (result.message or ""), result.message


def test_an_unclaimed_extension_is_not_run() -> None:
    spec = load_spec("tensor", "draft")
    numpy_meta = {"name": "numpy", "claims": ["complex"]}
    assert classify(spec.requirement("tensor.fft.fft.values"), numpy_meta).status == "not-claimed"
