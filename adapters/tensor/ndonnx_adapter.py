"""ndonnx (``import ndonnx``) as a tensor backend, written the way docs/adapters/tensor.md describes.

Arrays travel through numpy (``unwrap_numpy`` / ``ndonnx.asarray``); ndonnx's dtypes are its own
objects, mapped by name. ndonnx computes eager values with onnxruntime, which the ``ndonnx`` extra
installs (without it, ONNX's slow reference evaluator). ``pip install -e '.[ndonnx]'``, then
``accord run -f tensor -a ndonnx``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta, ExpectedFailure
from accord.adapters.tensor.namespace_adapter import SPEC_DTYPES, NamespaceAdapter
from accord.spec.tensor import wire


class NdonnxCodec(wire.BridgeCodec):
    name = "ndonnx"

    def __init__(self, ndx: Any) -> None:
        super().__init__()
        self.ndx = ndx
        self.by_name = {n: getattr(ndx, n) for n in SPEC_DTYPES if hasattr(ndx, n)}

    def is_native(self, value: Any) -> bool:
        return isinstance(value, self.ndx.Array)

    def native_to_numpy(self, value: Any) -> Any:
        return self.np.asarray(value.unwrap_numpy())

    def from_numpy(self, array: Any) -> Any:
        return self.ndx.asarray(array)

    def is_dtype(self, value: Any) -> bool:
        return isinstance(value, self.ndx.DType) or super().is_dtype(value)

    def dtype_name(self, dtype: Any) -> str:
        for name, known in self.by_name.items():
            if dtype == known:
                return name
        return super().dtype_name(dtype)

    def dtype_from_name(self, name: str) -> Any:
        try:
            return self.by_name[name]
        except KeyError:
            raise wire.WireError(f"ndonnx has no dtype {name!r}") from None


# ndonnx's own deviations, found by `accord run -f tensor -a ndonnx` (MUST requirements failing on
# seeds 1 and 2 at 25 examples; the reason is the first failure's message). Each still fails on seed 3:
# tests/adapters/tensor/test_sparse_ndonnx.py.
KNOWN: tuple[ExpectedFailure, ...] = (
    ExpectedFailure('tensor.acosh.values', 'acosh: expected 89.41598626243062, got inf (infinite where the other is finite)'),
    ExpectedFailure('tensor.asinh.values', 'asinh: expected 89.41598626243062, got inf (infinite where the other is finite)'),
    ExpectedFailure('tensor.atan2.dtype', 'NotImplementedError:'),
    ExpectedFailure('tensor.atan2.shape', 'NotImplementedError:'),
    ExpectedFailure('tensor.atan2.special-cases', 'NotImplementedError:'),
    ExpectedFailure('tensor.atan2.values', 'NotImplementedError:'),
    ExpectedFailure('tensor.conj.dtype', 'NotImplementedError:'),
    ExpectedFailure('tensor.conj.involution', 'NotImplementedError:'),
    ExpectedFailure('tensor.conj.shape', 'NotImplementedError:'),
    ExpectedFailure('tensor.conj.values', 'NotImplementedError:'),
    ExpectedFailure('tensor.copysign.dtype', 'NotImplementedError:'),
    ExpectedFailure('tensor.copysign.shape', 'NotImplementedError:'),
    ExpectedFailure('tensor.copysign.special-cases', 'NotImplementedError:'),
    ExpectedFailure('tensor.copysign.values', 'NotImplementedError:'),
    ExpectedFailure('tensor.cos.values', 'cos: expected -0.46495775685501073, got 0.998521625995636 (wrong sign)'),
    ExpectedFailure('tensor.cumulative_prod.values', 'cumulative_prod: expected -1, got -9223372036854775808 at index [0]'),
    ExpectedFailure('tensor.expand_dims.signature', "expand_dims: parameter 'axis' cannot be passed positionally (#2)"),
    ExpectedFailure('tensor.expm1.special-cases', "expm1(x=-0.0) [float32] gave +0.0; the special case {'x': '-0'} -> '-0' require…"),
    ExpectedFailure('tensor.hypot.commutative', 'NotImplementedError:'),
    ExpectedFailure('tensor.hypot.dtype', 'NotImplementedError:'),
    ExpectedFailure('tensor.hypot.shape', 'NotImplementedError:'),
    ExpectedFailure('tensor.hypot.special-cases', 'NotImplementedError:'),
    ExpectedFailure('tensor.hypot.values', 'NotImplementedError:'),
    ExpectedFailure('tensor.log1p.special-cases', "log1p(x=-0.0) [float32] gave +0.0; the special case {'x': '-0'} -> '-0' require…"),
    ExpectedFailure('tensor.logaddexp.values', 'logaddexp: expected 89.0, got inf (infinite where the other is finite)'),
    ExpectedFailure('tensor.nextafter.dtype', 'NotImplementedError:'),
    ExpectedFailure('tensor.nextafter.shape', 'NotImplementedError:'),
    ExpectedFailure('tensor.nextafter.special-cases', 'NotImplementedError:'),
    ExpectedFailure('tensor.nextafter.values', 'NotImplementedError:'),
    ExpectedFailure('tensor.real.dtype', 'NotImplementedError:'),
    ExpectedFailure('tensor.real.shape', 'NotImplementedError:'),
    ExpectedFailure('tensor.real.values', 'NotImplementedError:'),
    ExpectedFailure('tensor.searchsorted.dtype', "IndexError: length of 'key' excluding 'None' values must match array's rank or…"),
    ExpectedFailure('tensor.searchsorted.shape', "IndexError: length of 'key' excluding 'None' values must match array's rank or…"),
    ExpectedFailure('tensor.searchsorted.values', "IndexError: length of 'key' excluding 'None' values must match array's rank or…"),
    ExpectedFailure('tensor.signbit.dtype', 'NotImplementedError:'),
    ExpectedFailure('tensor.signbit.shape', 'NotImplementedError:'),
    ExpectedFailure('tensor.signbit.special-cases', 'NotImplementedError:'),
    ExpectedFailure('tensor.signbit.values', 'NotImplementedError:'),
    ExpectedFailure('tensor.tan.values', 'tan: expected -1.4202363449409259, got 0.5047739148139954 (wrong sign)'),
)


class NdonnxAdapter(NamespaceAdapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="ndonnx", family="tensor", backend_package="ndonnx", requires=("ndonnx", "onnxruntime"),
        spec_versions=("1.0", "1.1", "2.0", "2.1", "3.0"), expected_failures=KNOWN,
        description="ndonnx (ONNX-backed arrays), eager values, CPU.",
    )
    snippet_header: ClassVar[str] = "import ndonnx as ndx"
    alias: ClassVar[str] = "ndx"

    def load_namespace(self) -> Any:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # import-time chatter (e.g. "onnxruntime is not installed")
            import ndonnx

        return ndonnx

    def make_codec(self) -> wire.Codec:
        return NdonnxCodec(self.xp)


adapter = NdonnxAdapter()
