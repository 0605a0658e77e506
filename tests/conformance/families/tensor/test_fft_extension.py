"""The fft extension: the reference's O(n^2) transforms agree with numpy.fft, the builders draw only calls the
text defines (and reach the optional arguments), and a wrong transform fails its values requirement.

The adapters under test do not claim ``fft`` yet: the requirements are evaluated in-process (``evaluate``
runs a MAY requirement whatever the claims; the runner is what reports it not-claimed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pytest
from accord_testing import InProcess
from accord_testing.drawn import function_calls
from accord_testing.overriding import Overriding, numpy_meta

from accord.adapters.base import AdapterMeta
from accord.adapters.registry import resolve
from accord.conformance.check import Context, RunSettings
from accord.conformance.families.tensor import SUITE, oracle, strategies
from accord.conformance.families.tensor.specdata import tensor_data
from accord.conformance.runner import evaluate
from accord.reference import tensor as xp
from accord.spec import load_spec

DRAFT = load_spec("tensor", "draft")
TRANSFORMS = ["fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft"]
REAL_INPUT = {"rfft", "rfftn", "ihfft"}


def _reference(x: np.ndarray) -> Any:
    return xp.asarray(x.tolist(), dtype=getattr(xp, x.dtype.name))


def _numpy(r: Any) -> np.ndarray:
    return np.asarray(r.tolist(), dtype=r.dtype.name)


EXAMPLES = [
    ("fft", (5,), {}), ("fft", (2, 6), {"n": 8, "axis": 0, "norm": "ortho"}), ("fft", (3, 4), {"n": 2, "norm": "forward"}),
    ("ifft", (7,), {"norm": "backward"}), ("ifft", (2, 3, 4), {"axis": 1, "n": 5, "norm": "ortho"}),
    ("fftn", (3, 4), {}), ("fftn", (2, 3, 4), {"s": (3, 2), "axes": (2, 0), "norm": "ortho"}),
    ("ifftn", (2, 5), {"axes": (-1,), "norm": "forward"}),
    ("rfft", (6,), {}), ("rfft", (7, 2), {"axis": 0, "n": 4, "norm": "forward"}),
    ("irfft", (4,), {}), ("irfft", (3, 5), {"n": 7, "norm": "ortho"}), ("irfft", (5, 2), {"axis": 0, "n": 3}),
    ("rfftn", (4, 6), {}), ("rfftn", (3, 4, 5), {"s": (4, 3), "axes": (0, 2), "norm": "ortho"}),
    ("irfftn", (4, 3), {}), ("irfftn", (3, 4, 2), {"s": (2, 5), "axes": (1, 2), "norm": "forward"}),
    ("hfft", (4,), {}), ("hfft", (2, 5), {"n": 5, "norm": "ortho"}),
    ("ihfft", (6,), {}), ("ihfft", (3, 7), {"n": 5, "norm": "forward"}),
]


@pytest.mark.parametrize(("fn", "shape", "kwargs"), EXAMPLES, ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)])
@pytest.mark.parametrize("precision", ["single", "double"])
def test_reference_transforms_agree_with_numpy(fn: str, shape: tuple[int, ...], kwargs: dict, precision: str) -> None:
    rng = np.random.default_rng(len(shape) + 7 * sum(shape))
    real = rng.standard_normal(shape)
    x = real if fn in REAL_INPUT else real + 1j * rng.standard_normal(shape)
    dtype = {"single": "float32", "double": "float64"}[precision] if fn in REAL_INPUT else \
        {"single": "complex64", "double": "complex128"}[precision]
    x = x.astype(dtype)
    want = getattr(np.fft, fn)(x, **kwargs)
    got = _numpy(getattr(xp.fft, fn)(_reference(x), **kwargs))
    assert got.shape == want.shape
    # the text's dtypes: same as x (c2c), complex of x's precision (r2c), real of x's precision (c2r)
    expected_dtype = {"f": {"float32": "complex64", "float64": "complex128"}, "c": {}}[x.dtype.kind].get(dtype, dtype)
    if fn in ("irfft", "irfftn", "hfft"):
        expected_dtype = {"complex64": "float32", "complex128": "float64"}[dtype]
    assert got.dtype.name == expected_dtype
    tol = 1e-5 if precision == "single" else 1e-12
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(x).sum())


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_reference_frequencies_and_shifts_agree_with_numpy(n: int) -> None:
    for d in (1.0, 0.5, 3.0):
        np.testing.assert_allclose(_numpy(xp.fft.fftfreq(n, d=d)), np.fft.fftfreq(n, d=d), rtol=1e-15)
        np.testing.assert_allclose(_numpy(xp.fft.rfftfreq(n, d=d)), np.fft.rfftfreq(n, d=d), rtol=1e-15)
    assert xp.fft.fftfreq(n).dtype == xp.float64  # the default real floating dtype
    assert xp.fft.rfftfreq(n, dtype=xp.float32).dtype == xp.float32
    x = np.arange(n * 3, dtype=np.float64).reshape(n, 3)
    for axes in (None, 0, (1,), (-1, 0)):
        shifted = xp.fft.fftshift(_reference(x), axes=axes)
        np.testing.assert_array_equal(_numpy(shifted), np.fft.fftshift(x, axes=axes))
        np.testing.assert_array_equal(_numpy(xp.fft.ifftshift(shifted, axes=axes)), x)


def test_fft_is_a_namespace_of_the_reference_not_a_top_level_function() -> None:
    assert "fft" not in xp.__all__
    assert callable(xp.fft.fft) and xp.fft.fft.__module__.endswith("tensor.fft")


# ------------------------------------------------------------------ builders

def _draws(name: str, n: int) -> list[dict]:
    first = DRAFT.document("tensor.function", name).data["signature"]["params"][0].get("dtypes")
    return function_calls(DRAFT, name, n, with_complex=first == "complex-floating")


@pytest.mark.parametrize("fn", TRANSFORMS)
def test_transform_builders_draw_defined_calls_and_reach_the_keywords(fn: str) -> None:
    doc = DRAFT.document("tensor.function", f"fft.{fn}")
    allowed = set(tensor_data(DRAFT).dtypes(doc.data["signature"]["params"][0]["dtypes"], True))
    seen: dict[str, int] = {"n-or-s": 0, "norm": 0, "axis-or-axes": 0, "default-call": 0}
    for call in _draws(f"fft.{fn}", 120):
        assert call["fn"] == f"fft.{fn}"
        x = strategies.value_of(oracle.decode(call["args"][0]))
        kwargs = {k: oracle.decode(v) for k, v in call["kwargs"].items()}
        assert x.dtype.name in allowed and 1 <= x.ndim <= 3
        assert np.isfinite(x).all() and np.abs(x).max(initial=0) <= 8  # moderate values: allclose is meaningful
        oracle.expected("call", call)  # never outside what the text defines (the reference would reject it)
        seen["n-or-s"] += "n" in kwargs or "s" in kwargs
        seen["norm"] += "norm" in kwargs
        seen["axis-or-axes"] += "axis" in kwargs or kwargs.get("axes") is not None
        seen["default-call"] += not kwargs
        if "s" in kwargs:
            assert kwargs.get("axes") is not None  # "If s is not None, axes must not be None"
        axes = kwargs.get("axes")
        if axes is not None:
            assert len({a % x.ndim for a in axes}) == len(axes)  # repeated axes are unspecified
        lengths = [kwargs.get("n")] if "n" in kwargs else list(kwargs.get("s", ()))
        assert all(m == -1 or 1 <= m <= 8 for m in lengths)
    assert all(count >= 5 for count in seen.values()), seen


def test_frequency_and_shift_builders() -> None:
    dtypes = {"default": 0, "float32": 0, "float64": 0}
    for call in _draws("fft.fftfreq", 60):
        n = oracle.decode(call["args"][0])
        assert isinstance(n, int) and 1 <= n <= 8
        dtype = call["kwargs"].get("dtype")
        dtypes[dtype["$dtype"] if dtype else "default"] += 1
    assert all(dtypes.values()), dtypes
    for call in _draws("fft.fftshift", 60):
        axes = oracle.decode(call["kwargs"]["axes"]) if "axes" in call["kwargs"] else None
        assert axes != ()  # an empty axes tuple is left out (the text does not say what it shifts)
        assert strategies.value_of(oracle.decode(call["args"][0])).dtype.kind == "f"


# ------------------------------------------------------------------ requirements on adapters


def _claiming_fft(backend: Any) -> Context:
    meta = backend.meta.to_json()
    meta["claims"] = [*meta["claims"], "fft"]
    return Context(backend=InProcess(backend, start=True, spec=DRAFT), spec=DRAFT,
                   settings=RunSettings(seed=1, max_examples=30), adapter=meta)


def _run(backend: Any, requirement: str) -> Any:
    return evaluate(_claiming_fft(backend), SUITE, DRAFT.requirement(requirement))


@pytest.mark.parametrize("aspect", ["dtype", "shape", "values"])
@pytest.mark.parametrize("fn", TRANSFORMS)
def test_numpy_fft_meets_the_transform_requirements(fn: str, aspect: str) -> None:
    result = _run(resolve("numpy", "tensor"), f"tensor.fft.{fn}.{aspect}")
    assert result.status == "pass", result.message


def test_numpy_fft_deviations_are_found() -> None:
    """numpy's norm defaults to None (not "backward") and its fftfreq has no dtype keyword (numpy 2.4)."""
    numpy = resolve("numpy", "tensor")
    signature = _run(numpy, "tensor.fft.fft.signature")
    assert signature.status == "fail" and "'norm' defaults to None" in signature.message
    if "dtype" not in __import__("inspect").signature(np.fft.fftfreq).parameters:
        assert _run(numpy, "tensor.fft.fftfreq.dtype").status == "fail"


class _OrthoUnscaled(Overriding):
    """numpy whose fft forgets the 1/sqrt(n) of norm="ortho" (a backend bug the values requirement must catch)."""

    meta: ClassVar[AdapterMeta] = numpy_meta("broken-fft-ortho")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def fft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Any:
            return np.fft.fft(x, n=n, axis=axis, norm="backward" if norm == "ortho" else norm)
        return {"fft.fft": fft}


class _ShiftBackwards(Overriding):
    """numpy whose fftshift rolls the wrong way (ifftshift's result: differs for odd lengths only)."""

    meta: ClassVar[AdapterMeta] = numpy_meta("broken-fftshift")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        def fftshift(x: Any, /, *, axes: Any = None) -> Any:
            return x.copy() if x.ndim == 0 else np.fft.ifftshift(x, axes=axes)  # 0-d: numpy's own raises
        return {"fft.fftshift": fftshift}


def test_a_wrong_ortho_scaling_fails_the_values_requirement() -> None:
    result = _run(_OrthoUnscaled(), "tensor.fft.fft.values")
    assert result.status == "fail", result.message
    assert "differs by" in result.message
    assert _run(_OrthoUnscaled(), "tensor.fft.fft.shape").status == "pass"  # only the values are wrong


def test_a_shift_the_wrong_way_fails_the_fftshift_values() -> None:
    result = _run(_ShiftBackwards(), "tensor.fft.fftshift.values")
    assert result.status == "fail", result.message
    assert "raised" not in result.message and "expected" in result.message


def test_complex_of_dtype_rule_gives_the_complex_dtype_of_the_input_precision() -> None:
    from accord.conformance.families.tensor import rules

    data = tensor_data(DRAFT)
    rule = {"rule": "complex-of", "of": "x"}
    for given, want in [("float32", "complex64"), ("float64", "complex128"), ("complex64", "complex64"),
                        ("complex128", "complex128")]:
        assert rules.expected_dtypes(rule, {"x": np.zeros(2, dtype=given)}, data) == {want}
